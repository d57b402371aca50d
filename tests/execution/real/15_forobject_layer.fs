// Imitates the forobjectlayerunder and isclasstype command pages of FlexSim's help, "Command Reference"
// (https://docs.flexsim.com/en/19.2/Reference/CodingInFlexSim/CommandReference/CommandGroups.html).
// Written for twinforge's tests; no FlexSim code copied.
Object src = Object.create("Source");
src.name = "Src";
Object p1 = Object.create("Processor");
p1.name = "Cut";
Object p2 = Object.create("Combiner");
p2.name = "Assemble";
Object snk = Object.create("Sink");
snk.name = "Snk";
contextdragconnection(src, p1, "A");
contextdragconnection(p1, p2, "A");
contextdragconnection(p2, snk, "A");
int machines = 0;
forobjectlayerunder(model()) {
    if (isclasstype(a, "Processor")) {
        a.setProperty("ProcessTime", 15);
        machines++;
    }
}
print("machines: " + machines);
