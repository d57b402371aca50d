// Imitates the user-written helper functions of FlexSim's help, "Writing Logic in FlexSim"
// (https://docs.flexsim.com/en/25.2/Reference/CodingInFlexSim/WritingLogic/WritingLogic.html).
// Written for twinforge's tests; no FlexSim code copied.
Object station(string cls, string name, double x) {
    Object obj = Object.create(cls);
    obj.name = name;
    obj.setLocation(x, 0, 0);
    return obj;
}

void link(Object from, Object to) {
    contextdragconnection(from, to, "A");
    return;
}

Object src = station("Source", "Parts In", 0);
Object wash = station("Processor", "Washer", 5);
Object dry = station("Processor", "Dryer", 10);
Object out = station("Sink", "Parts Out", 15);
wash.setProperty("ProcessTime", 12);
dry.setProperty("ProcessTime", 9);
link(src, wash);
link(wash, dry);
link(dry, out);
