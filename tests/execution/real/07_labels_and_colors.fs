// Imitates the labels and Color examples of FlexSim's help, "FlexScript Class Reference: treenode"
// and "Color" (https://docs.flexsim.com/en/24.2/Reference/CodingInFlexSim/FlexScriptAPIReference/FlexScriptClassReference.html?Class=treenode).
// Written for twinforge's tests; no FlexSim code copied.
Object src = Object.create("Source");
src.name = "Src";
Object proc = Object.create("Processor");
proc.name = "Oven";
proc.setLocation(5, 0, 0);
proc.color = Color.red;
proc.labels.assert("Zone", 2);
proc.labels["Zone"].value = 3;
proc.Shift = 1;
switch_hideconnectors(proc, 1);
Object snk = Object.create("Sink");
snk.name = "Out";
snk.setLocation(10, 0, 0);
snk.color = Color(0, 0.5, 1, 1);
contextdragconnection(src, proc, "A");
contextdragconnection(proc, snk, "A");
print("zone " + proc.labels["Zone"].value + ", labels " + proc.labels.length);
