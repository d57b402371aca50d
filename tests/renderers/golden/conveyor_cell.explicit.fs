// ---- objects: create, name, place, parameters ----
Object dough_in = Object.create("Source");
dough_in.name = "Dough In";
dough_in.setLocation(0, 0, 0);
dough_in.setProperty("InterArrivalTime", 8);
dough_in.setProperty("UseTransport", 1);

Object infeed_conveyor = Object.create("Conveyor::StraightConveyor");
infeed_conveyor.name = "Infeed Conveyor";
infeed_conveyor.setLocation(2, 0, 0);
infeed_conveyor.setProperty("HorizontalLength", 6);
infeed_conveyor.setProperty("Speed", 0.5);

Object proof = Object.create("Processor");
proof.name = "Proof";
proof.setLocation(9, 0, 0);
proof.setProperty("ProcessTime", 45);
proof.setProperty("SetupTime", 0);
proof.setProperty("UseProcessOperators", 1);
proof.setProperty("NumProcessOperators", 1);

Object bake_oven = Object.create("Processor");
bake_oven.name = "Bake Oven";
bake_oven.setLocation(11, 0, 0);
bake_oven.setProperty("ProcessTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn exponential(0, 120, getstream(current));");
bake_oven.setProperty("SetupTime", 0);
bake_oven.setProperty("UseProcessOperators", 1);
bake_oven.setProperty("NumProcessOperators", 1);

Object cool = Object.create("Processor");
cool.name = "Cool";
cool.setLocation(13, 0, 0);
cool.setProperty("ProcessTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn triangular(30, 60, 40, getstream(current));");
cool.setProperty("SetupTime", 0);
cool.setProperty("UseProcessOperators", 1);
cool.setProperty("NumProcessOperators", 1);

Object outfeed_conveyor = Object.create("Conveyor::StraightConveyor");
outfeed_conveyor.name = "Outfeed Conveyor";
outfeed_conveyor.setLocation(14, 0, 0);
outfeed_conveyor.setProperty("HorizontalLength", 4.25);
outfeed_conveyor.setProperty("Speed", 0.75);

Object packed = Object.create("Sink");
packed.name = "Packed";
packed.setLocation(19, 0, 0);

Object oven_robot = Object.create("Robot");
oven_robot.name = "Oven Robot";
oven_robot.setLocation(11, 2.5, 0);
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
contextdragconnection(infeed_conveyor, proof, "A");
contextdragconnection(proof, bake_oven, "A");
contextdragconnection(bake_oven, cool, "A");
contextdragconnection(cool, outfeed_conveyor, "A");
contextdragconnection(outfeed_conveyor, packed, "A");
contextdragconnection(proof, oven_robot, "S");
contextdragconnection(bake_oven, oven_robot, "S");
contextdragconnection(cool, oven_robot, "S");
contextdragconnection(dough_in, agv_1, "S");
