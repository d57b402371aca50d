// ---- object table: class, name and location per object ----
Array classes = ["Source", "Queue", "Processor", "Sink", "Dispatcher", "Operator"];
Array names = ["Blank Source", "Queue1", "Mask Coater", "Sink1", "Dispatcher1", "Operator1"];
Array xs = [0, 4, 8, 12, 8, 10];
Array ys = [0, 0, 0, 0, -5, -5];
Array zs = [0, 0, 0, 0, 0, 0];
Array upstream = [0, 1, 2, 3, 0, 0];
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
Object blank_source = objs[1];
Object queue1 = objs[2];
Object mask_coater = objs[3];
Object dispatcher1 = objs[5];
Object operator1 = objs[6];

// ---- parameters ----
blank_source.setProperty("InterArrivalTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn exponential(0, 30, getstream(current));");

queue1.setProperty("MaxContent", 20);

mask_coater.setProperty("ProcessTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn triangular(20, 40, 25, getstream(current));");
mask_coater.setProperty("SetupTime", 5);
mask_coater.setProperty("UseProcessOperators", 1);
mask_coater.setProperty("NumProcessOperators", 1);

operator1.setProperty("MaxSpeed", 1.2);
operator1.setProperty("Capacity", 1);

// ---- remaining connections (statement order sets port numbers) ----
contextdragconnection(dispatcher1, operator1, "A");
contextdragconnection(mask_coater, dispatcher1, "S");
