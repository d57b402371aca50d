// Imitates the forobjecttreeunder command page of FlexSim's help, "Command Reference"
// (https://docs.flexsim.com/en/19.2/Reference/CodingInFlexSim/CommandReference/CommandGroups.html).
// Written for twinforge's tests; no FlexSim code copied.
Object src = Object.create("Source");
src.name = "Src";
Object snk = Object.create("Sink");
snk.name = "Snk";
contextdragconnection(src, snk, "A");
int count = 0;
forobjecttreeunder(model()) {
    count++;
}
print("objects in the model tree: " + count);
