// ---- object table: class, name and location per object ----
Array classes = ["Source", "Queue", "Source", "Queue", "Combiner", "Separator", "Processor", "Processor", "Sink", "Dispatcher", "TaskExecuter", "Transporter"];
Array names = ["Board Source", "Board Buffer", "Tray Source", "Tray Buffer", "Kit Packer", "Kit Splitter", "1st Tester", "2nd Tester", "Shipped", "Crew", "TE 1", "Forklift"];
Array xs = [0, 4, 0, 4, 8, 12, 16, 16, 20, 4, 6, 8];
Array ys = [0, 0, 6, 6, 3, 3, 0, 6, 3, -4, -4, -4];
Array zs = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
Array upstream = [0, 1, 0, 3, 4, 5, 6, 6, 7, 0, 0, 0];
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
Object board_source = objs[1];
Object board_buffer = objs[2];
Object tray_source = objs[3];
Object tray_buffer = objs[4];
Object kit_packer = objs[5];
Object kit_splitter = objs[6];
Object processor_1st_tester = objs[7];
Object processor_2nd_tester = objs[8];
Object shipped = objs[9];
Object crew = objs[10];
Object te_1 = objs[11];
Object forklift = objs[12];

// ---- parameters ----
board_source.setProperty("InterArrivalTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn triangular(10, 20, 12.5, getstream(current));");

board_buffer.setProperty("MaxContent", 10);
board_buffer.setProperty("UseTransport", 1);

tray_source.setProperty("InterArrivalTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn uniform(25, 35, getstream(current));");
tray_source.setProperty("FlowItemClass", "Pallet");

tray_buffer.setProperty("MaxContent", 5);

kit_packer.setProperty("CombineMode", "Pack");
kit_packer.setProperty("ProcessTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn normal(30, 4, getstream(current));");
kit_packer.setProperty("SetupTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn uniform(1, 3, getstream(current));");

kit_splitter.setProperty("SeparateMode", "Split");
kit_splitter.setProperty("SeparateQty", 3);
kit_splitter.setProperty("ProcessTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn lognormal2(0, 9.97418245, 0.25, getstream(current));");
kit_splitter.setProperty("SetupTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn weibull(0, 4, 1.5, getstream(current));");
kit_splitter.setProperty("SendToPort", "Object current = ownerobject(c);\nObject item = param(1);\nreturn duniform(1, current.outObjects.length, getstream(current));");

processor_1st_tester.setProperty("ProcessTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn gamma(0, 7.5, 2, getstream(current));");
processor_1st_tester.setProperty("SetupTime", 0);

processor_2nd_tester.setProperty("MaxContent", 2);
processor_2nd_tester.setProperty("ProcessTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn poisson(14, getstream(current));");
processor_2nd_tester.setProperty("SetupTime", 0);

te_1.setProperty("MaxSpeed", 1.5);
te_1.setProperty("Capacity", 1);

forklift.setProperty("MaxSpeed", 2.5);
forklift.setProperty("Capacity", 4);

// ---- remaining connections (statement order sets port numbers) ----
contextdragconnection(board_buffer, kit_packer, "A");
contextdragconnection(processor_2nd_tester, shipped, "A");
contextdragconnection(crew, te_1, "A");
contextdragconnection(crew, forklift, "A");
contextdragconnection(board_buffer, crew, "S");

// ---- combiner components (set after connecting: one row per component input port) ----
kit_packer.setProperty("ComponentsList", [2]);
