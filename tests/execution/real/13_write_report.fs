// Imitates the fileopen, fpt and fileclose command pages of FlexSim's help, "Command Reference"
// (https://docs.flexsim.com/en/19.2/Reference/CodingInFlexSim/CommandReference/CommandGroups.html).
// Written for twinforge's tests; no FlexSim code copied.
Object src = Object.create("Source");
src.name = "Src";
Object snk = Object.create("Sink");
snk.name = "Snk";
contextdragconnection(src, snk, "A");
fileopen(modeldir() + "layout.txt", "w");
fpt("objects: 2");
fpr();
fileclose();
