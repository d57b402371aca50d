// twinforge flexscript-1 | food_processing | robot | conveyor | conveyor

// ---- object table: library path, name and location per object ----
Array kinds = ["/?Source", "/?StraightConveyor", "/?MultiProcessor", "/?StraightConveyor", "/?Sink", "/?Robot", "/?TaskExecuter"];
Array names = ["Dough In", "Infeed Conveyor", "Oven Line", "Outfeed Conveyor", "Packed", "Oven Robot", "AGV 1"];
Array xs = [0, 2, 9, 12, 17, 9, 0];
Array ys = [0, 0, 0, 0, 0, 2.5, -3];
Array zs = [0, 0, 0, 0, 0, 0, 0];
Array upstream = [0, 1, 2, 3, 4, 0, 0];
Array objs = Array(kinds.length);

// ---- create, name and place each object; A-connect it to its upstream station ----
for (int i = 1; i <= kinds.length; i++) {
    string path = kinds[i];
    Object obj = createinstance(node(path, library()), model());
    obj.name = names[i];
    obj.setLocation(xs[i], ys[i], zs[i]);
    objs[i] = obj;
    int up = upstream[i];
    if (up > 0) {
        Object prev = objs[up];
        contextdragconnection(prev, obj, "A");
    }
}

// ---- references ----
Object dough_in = objs[1];
Object infeed_conveyor = objs[2];
Object oven_line = objs[3];
Object outfeed_conveyor = objs[4];
Object oven_robot = objs[6];
Object agv_1 = objs[7];

// ---- parameters ----
dough_in.setProperty("ArrivalStyle", "Inter-Arrival Time");
dough_in.setProperty("InterArrivalTime", 8);
dough_in.setProperty("FlowItemClass", "Box");
dough_in.setProperty("UseTransport", 1);

infeed_conveyor.setProperty("HorizontalLength", 6);
infeed_conveyor.setProperty("Speed", 0.5);

oven_line.setProperty("ProcessNames", ["Proof", "Bake \"hot\"", "Cool"]);
oven_line.setProperty("ProcessTimes", [45, "Object current = ownerobject(c);\nObject item = param(1);\nreturn exponential(0, 120, getstream(current));", "Object current = ownerobject(c);\nObject item = param(1);\nreturn triangular(30, 60, 40, getstream(current));"]);
oven_line.setProperty("UseProcessOperators", 1);
oven_line.setProperty("NumProcessOperators", 1);

outfeed_conveyor.setProperty("HorizontalLength", 4.25);
outfeed_conveyor.setProperty("Speed", 0.75);

oven_robot.setProperty("MaxSpeed", 1);
oven_robot.setProperty("Capacity", 1);

agv_1.setProperty("MaxSpeed", 1.8);
agv_1.setProperty("Capacity", 2);
agv_1.AGV = 1;

// ---- remaining connections (statement order sets port numbers) ----
contextdragconnection(oven_line, oven_robot, "S");
contextdragconnection(dough_in, agv_1, "S");
