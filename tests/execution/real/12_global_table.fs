// Imitates the Table class examples of FlexSim's help, "FlexScript Class Reference: Table"
// (https://docs.flexsim.com/en/24.2/Reference/CodingInFlexSim/FlexScriptAPIReference/FlexScriptClassReference.html?Class=Table).
// Written for twinforge's tests; no FlexSim code copied.
Table times = Table("ProcessTimes");
for (int row = 1; row <= times.numRows; row++) {
    Object proc = Object.create("Processor");
    proc.name = times[row][1];
    proc.setProperty("ProcessTime", times[row][2]);
}
