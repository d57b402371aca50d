// Imitates the Model.find and objectexists examples of FlexSim's help, "FlexScript Class Reference:
// Model" and the objectexists command page
// (https://docs.flexsim.com/en/24.2/Reference/CodingInFlexSim/FlexScriptAPIReference/FlexScriptClassReference.html?Class=Model).
// Written for twinforge's tests; no FlexSim code copied.
Object src = Model.find("Source1");
if (!objectexists(src)) {
    src = Object.create("Source");
    src.name = "Source1";
}
Object proc = Model.find("Processor1");
if (proc == NULL) {
    proc = Object.create("Processor");
    proc.name = "Processor1";
    proc.setLocation(5, 0, 0);
}
Object snk = Model.find("Sink1");
if (!snk) {
    snk = Object.create("Sink");
    snk.name = "Sink1";
    snk.setLocation(10, 0, 0);
}
contextdragconnection(src, proc, "A");
contextdragconnection(proc, snk, "A");
