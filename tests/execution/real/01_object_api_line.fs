// Imitates the Object class examples of FlexSim's help, "FlexScript Class Reference: Object"
// (https://docs.flexsim.com/en/24.2/Reference/CodingInFlexSim/FlexScriptAPIReference/FlexScriptClassReference.html?Class=Object).
// Written for twinforge's tests; no FlexSim code copied.
Object source = Object.create("Source");
source.name = "Arrivals";
source.setLocation(0, 0, 0);
source.setProperty("InterArrivalTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn exponential(0, 30, getstream(current));");

Object buffer = Object.create("Queue");
buffer.name = "Buffer";
buffer.setLocation(4, 0, 0).setSize(2, 2, 1);
buffer.setProperty("MaxContent", 25);

Object machine = Object.create("Processor");
machine.name = "Lathe";
machine.setLocation(8, 0, 0);
machine.setProperty("ProcessTime", [20, "s"]);

Object done = Object.create("Sink");
done.name = "Shipping";
done.setLocation(12, 0, 0);

contextdragconnection(source, buffer, "A");
contextdragconnection(buffer, machine, "A");
contextdragconnection(machine, done, "A");
