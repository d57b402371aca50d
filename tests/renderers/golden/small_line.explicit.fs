// ---- objects: create, name, place, parameters ----
Object blank_source = Object.create("Source");
blank_source.name = "Blank Source";
blank_source.setLocation(0, 0, 0);
blank_source.setProperty("InterArrivalTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn exponential(0, 30, getstream(current));");

Object queue1 = Object.create("Queue");
queue1.name = "Queue1";
queue1.setLocation(4, 0, 0);
queue1.setProperty("MaxContent", 20);

Object mask_coater = Object.create("Processor");
mask_coater.name = "Mask Coater";
mask_coater.setLocation(8, 0, 0);
mask_coater.setProperty("ProcessTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn triangular(20, 40, 25, getstream(current));");
mask_coater.setProperty("SetupTime", 5);
mask_coater.setProperty("UseProcessOperators", 1);
mask_coater.setProperty("NumProcessOperators", 1);

Object sink1 = Object.create("Sink");
sink1.name = "Sink1";
sink1.setLocation(12, 0, 0);

Object dispatcher1 = Object.create("Dispatcher");
dispatcher1.name = "Dispatcher1";
dispatcher1.setLocation(8, -5, 0);

Object operator1 = Object.create("Operator");
operator1.name = "Operator1";
operator1.setLocation(10, -5, 0);
operator1.setProperty("MaxSpeed", 1.2);
operator1.setProperty("Capacity", 1);

// ---- connections (statement order sets port numbers) ----
contextdragconnection(blank_source, queue1, "A");
contextdragconnection(queue1, mask_coater, "A");
contextdragconnection(mask_coater, sink1, "A");
contextdragconnection(dispatcher1, operator1, "A");
contextdragconnection(mask_coater, dispatcher1, "S");
