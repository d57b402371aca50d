// Imitates an OnExit trigger body as FlexSim's help shows trigger code, "Writing Logic in FlexSim"
// (https://docs.flexsim.com/en/25.2/Reference/CodingInFlexSim/WritingLogic/WritingLogic.html).
// Written for twinforge's tests; no FlexSim code copied. This is trigger code, not a build script.
Object current = ownerobject(c);
Object item = param(1);
int port = param(2);
if (item.Type == 2) {
    current.Count += 1;
}
return 0;
