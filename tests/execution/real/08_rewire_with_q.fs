// Imitates the keyboard connection keys of FlexSim's help, "Adding and Removing Ports" and the
// contextdragconnection command page (https://docs.flexsim.com/en/23.0/ConnectingFlows/Ports/KeyConceptsPorts/KeyConceptsPorts.html).
// Written for twinforge's tests; no FlexSim code copied.
Object src = Object.create("Source");
src.name = "In";
Object oldq = Object.create("Queue");
oldq.name = "OldBuffer";
Object newq = Object.create("Queue");
newq.name = "NewBuffer";
Object snk = Object.create("Sink");
snk.name = "Out";
contextdragconnection(src, oldq, "A");
contextdragconnection(oldq, snk, "A");
// move the flow to the new buffer: disconnect with "Q", then connect again
contextdragconnection(src, oldq, "Q");
contextdragconnection(oldq, snk, "Q");
contextdragconnection(src, newq, "A");
contextdragconnection(newq, snk, "A");
