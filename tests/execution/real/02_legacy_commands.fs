// Imitates the command reference pages for createinstance, setname and setloc in FlexSim's help,
// "Command Reference" (https://docs.flexsim.com/en/19.2/Reference/CodingInFlexSim/CommandReference/CommandGroups.html).
// Written for twinforge's tests; no FlexSim code copied.
treenode src = createinstance(library().find("?Source"), model());
setname(src, "Source1");
setloc(src, 0, 0, 0);

treenode q = createinstance(node("/?Queue", library()), model());
setnodename(q, "Queue1");
setloc(q, 5, 0, 0);

treenode proc = createinstance(library().find("?Processor"), model());
setname(proc, "Processor1");
setloc(proc, 10, 0, 0);

treenode snk = createinstance(library().find("?Sink"), model());
setname(snk, "Sink1");
setloc(snk, 15, 0, 0);

contextdragconnection(src, q, "A");
contextdragconnection(q, proc, "A");
contextdragconnection(proc, snk, "A");
print("built " + getname(proc) + " with " + nrip(proc) + " input port(s)");
