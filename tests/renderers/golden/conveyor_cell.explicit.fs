// twinforge flexscript-1 | food_processing | robot | conveyor | conveyor

// ---- objects: create, name, place, parameters ----
Object dough_in = Object.create("Source");
dough_in.name = "Dough In";
dough_in.setLocation(0, 0, 0);
dough_in.setProperty("ArrivalStyle", "Inter-Arrival Time");
dough_in.setProperty("InterArrivalTime", 8);
dough_in.setProperty("FlowItemClass", "Box");
dough_in.setProperty("UseTransport", 1);

Object infeed_conveyor = Object.create("Conveyor::StraightConveyor");
infeed_conveyor.name = "Infeed Conveyor";
infeed_conveyor.setLocation(2, 0, 0);
infeed_conveyor.setProperty("HorizontalLength", 6);
infeed_conveyor.setProperty("Speed", 0.5);

Object oven_line = Object.create("MultiProcessor");
oven_line.name = "Oven Line";
oven_line.setLocation(9, 0, 0);
oven_line.setProperty("ProcessNames", ["Proof", "Bake \"hot\"", "Cool"]);
oven_line.setProperty("ProcessTimes", [45, "Object current = ownerobject(c);\nObject item = param(1);\nreturn exponential(0, 120, getstream(current));", "Object current = ownerobject(c);\nObject item = param(1);\nreturn triangular(30, 60, 40, getstream(current));"]);
oven_line.setProperty("UseProcessOperators", 1);
oven_line.setProperty("NumProcessOperators", 1);

Object outfeed_conveyor = Object.create("Conveyor::StraightConveyor");
outfeed_conveyor.name = "Outfeed Conveyor";
outfeed_conveyor.setLocation(12, 0, 0);
outfeed_conveyor.setProperty("HorizontalLength", 4.25);
outfeed_conveyor.setProperty("Speed", 0.75);

Object packed = Object.create("Sink");
packed.name = "Packed";
packed.setLocation(17, 0, 0);

Object oven_robot = Object.create("Robot");
oven_robot.name = "Oven Robot";
oven_robot.setLocation(9, 2.5, 0);
oven_robot.setProperty("MaxSpeed", 1);
oven_robot.setProperty("Capacity", 1);

Object agv_1 = Object.create("TaskExecuter");
agv_1.name = "AGV 1";
agv_1.setLocation(0, -3, 0);
agv_1.setProperty("MaxSpeed", 1.8);
agv_1.setProperty("Capacity", 2);
agv_1.AGV = 1;

// ---- connections (statement order sets port numbers) ----
contextdragconnection(dough_in, infeed_conveyor, "A");
contextdragconnection(infeed_conveyor, oven_line, "A");
contextdragconnection(oven_line, outfeed_conveyor, "A");
contextdragconnection(outfeed_conveyor, packed, "A");
contextdragconnection(oven_line, oven_robot, "S");
contextdragconnection(dough_in, agv_1, "S");
