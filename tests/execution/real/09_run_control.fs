// Imitates the run control commands of FlexSim's help, "Command Reference" (resetmodel, runspeed,
// stoptime, getmodelunit) (https://docs.flexsim.com/en/19.2/Reference/CodingInFlexSim/CommandReference/CommandGroups.html).
// Written for twinforge's tests; no FlexSim code copied.
double unit = getmodelunit(LENGTH_MULTIPLE);
Object src = Object.create("Source");
src.name = "Trucks";
src.setProperty("InterArrivalTime", [0.5, "h"]);
Object dock = Object.create("Processor");
dock.name = "Dock";
dock.setLocation(10 / unit, 0, 0);
dock.setProperty("ProcessTime", [20, "min"]);
Object yard = Object.create("Sink");
yard.name = "Yard";
yard.setLocation(20 / unit, 0, 0);
contextdragconnection(src, dock, "A");
contextdragconnection(dock, yard, "A");
resetmodel();
runspeed(50);
stoptime(8 * 3600);
print("ready at t=" + Model.time);
