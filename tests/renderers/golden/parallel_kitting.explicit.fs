// ---- objects: create, name, place, parameters ----
Object board_source = Object.create("Source");
board_source.name = "Board Source";
board_source.setLocation(0, 0, 0);
board_source.setProperty("InterArrivalTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn triangular(10, 20, 12.5, getstream(current));");

Object tray_source = Object.create("Source");
tray_source.name = "Tray Source";
tray_source.setLocation(0, 6, 0);
tray_source.setProperty("InterArrivalTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn uniform(25, 35, getstream(current));");
tray_source.setProperty("FlowItemClass", "Pallet");

Object board_buffer = Object.create("Queue");
board_buffer.name = "Board Buffer";
board_buffer.setLocation(4, 0, 0);
board_buffer.setProperty("MaxContent", 10);
board_buffer.setProperty("UseTransport", 1);

Object tray_buffer = Object.create("Queue");
tray_buffer.name = "Tray Buffer";
tray_buffer.setLocation(4, 6, 0);
tray_buffer.setProperty("MaxContent", 5);

Object kit_packer = Object.create("Combiner");
kit_packer.name = "Kit Packer";
kit_packer.setLocation(8, 3, 0);
kit_packer.setProperty("CombineMode", "Pack");
kit_packer.setProperty("ProcessTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn normal(30, 4, getstream(current));");
kit_packer.setProperty("SetupTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn uniform(1, 3, getstream(current));");

Object kit_splitter = Object.create("Separator");
kit_splitter.name = "Kit Splitter";
kit_splitter.setLocation(12, 3, 0);
kit_splitter.setProperty("SeparateMode", "Split");
kit_splitter.setProperty("SeparateQty", 3);
kit_splitter.setProperty("ProcessTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn lognormal2(0, 9.97418245, 0.25, getstream(current));");
kit_splitter.setProperty("SetupTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn weibull(0, 4, 1.5, getstream(current));");
kit_splitter.setProperty("SendToPort", "Object current = ownerobject(c);\nObject item = param(1);\nreturn duniform(1, current.outObjects.length, getstream(current));");

Object processor_1st_tester = Object.create("Processor");
processor_1st_tester.name = "1st Tester";
processor_1st_tester.setLocation(16, 0, 0);
processor_1st_tester.setProperty("ProcessTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn gamma(0, 7.5, 2, getstream(current));");
processor_1st_tester.setProperty("SetupTime", 0);

Object processor_2nd_tester = Object.create("Processor");
processor_2nd_tester.name = "2nd Tester";
processor_2nd_tester.setLocation(16, 6, 0);
processor_2nd_tester.setProperty("MaxContent", 2);
processor_2nd_tester.setProperty("ProcessTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn poisson(14, getstream(current));");
processor_2nd_tester.setProperty("SetupTime", 0);

Object shipped = Object.create("Sink");
shipped.name = "Shipped";
shipped.setLocation(20, 3, 0);

Object crew = Object.create("Dispatcher");
crew.name = "Crew";
crew.setLocation(4, -4, 0);

Object te_1 = Object.create("TaskExecuter");
te_1.name = "TE 1";
te_1.setLocation(6, -4, 0);
te_1.setProperty("MaxSpeed", 1.5);
te_1.setProperty("Capacity", 1);

Object forklift = Object.create("Transporter");
forklift.name = "Forklift";
forklift.setLocation(8, -4, 0);
forklift.setProperty("MaxSpeed", 2.5);
forklift.setProperty("Capacity", 4);

// ---- connections (statement order sets port numbers) ----
contextdragconnection(board_source, board_buffer, "A");
contextdragconnection(tray_source, tray_buffer, "A");
contextdragconnection(tray_buffer, kit_packer, "A");
contextdragconnection(board_buffer, kit_packer, "A");
contextdragconnection(kit_packer, kit_splitter, "A");
contextdragconnection(kit_splitter, processor_1st_tester, "A");
contextdragconnection(kit_splitter, processor_2nd_tester, "A");
contextdragconnection(processor_1st_tester, shipped, "A");
contextdragconnection(processor_2nd_tester, shipped, "A");
contextdragconnection(crew, te_1, "A");
contextdragconnection(crew, forklift, "A");
contextdragconnection(board_buffer, crew, "S");

// ---- combiner components (set after connecting: one row per component input port) ----
kit_packer.setProperty("ComponentsList", [2]);
