// ---- object table: class, name and location per object ----
Array classes = ["Source", "Conveyor::StraightConveyor", "Processor", "Processor", "Processor", "Conveyor::StraightConveyor", "Sink", "Robot", "TaskExecuter"];
Array names = ["Dough In", "Infeed Conveyor", "Proof", "Bake Oven", "Cool", "Outfeed Conveyor", "Packed", "Oven Robot", "AGV 1"];
Array xs = [0, 2, 9, 11, 13, 14, 19, 11, 0];
Array ys = [0, 0, 0, 0, 0, 0, 0, 2.5, -3];
Array zs = [0, 0, 0, 0, 0, 0, 0, 0, 0];
Array upstream = [0, 1, 2, 3, 4, 5, 6, 0, 0];
Array objs = Array(classes.length);

// ---- create, name and place each object; A-connect it to its upstream station ----
for (int i = 1; i <= classes.length; i++) {
    Object obj = Object.create(classes[i]);
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
Object proof = objs[3];
Object bake_oven = objs[4];
Object cool = objs[5];
Object outfeed_conveyor = objs[6];
Object oven_robot = objs[8];
Object agv_1 = objs[9];

// ---- parameters ----
dough_in.setProperty("InterArrivalTime", 8);
dough_in.setProperty("UseTransport", 1);

infeed_conveyor.setProperty("HorizontalLength", 6);
infeed_conveyor.setProperty("Speed", 0.5);

proof.setProperty("ProcessTime", 45);
proof.setProperty("SetupTime", 0);
proof.setProperty("UseProcessOperators", 1);
proof.setProperty("NumProcessOperators", 1);

bake_oven.setProperty("ProcessTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn exponential(0, 120, getstream(current));");
bake_oven.setProperty("SetupTime", 0);
bake_oven.setProperty("UseProcessOperators", 1);
bake_oven.setProperty("NumProcessOperators", 1);

cool.setProperty("ProcessTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn triangular(30, 60, 40, getstream(current));");
cool.setProperty("SetupTime", 0);
cool.setProperty("UseProcessOperators", 1);
cool.setProperty("NumProcessOperators", 1);

outfeed_conveyor.setProperty("HorizontalLength", 4.25);
outfeed_conveyor.setProperty("Speed", 0.75);

oven_robot.setProperty("MaxSpeed", 1);
oven_robot.setProperty("Capacity", 1);

agv_1.setProperty("MaxSpeed", 1.8);
agv_1.setProperty("Capacity", 2);
agv_1.AGV = 1;

// ---- remaining connections (statement order sets port numbers) ----
contextdragconnection(proof, oven_robot, "S");
contextdragconnection(bake_oven, oven_robot, "S");
contextdragconnection(cool, oven_robot, "S");
contextdragconnection(dough_in, agv_1, "S");
