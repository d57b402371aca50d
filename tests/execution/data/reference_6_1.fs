// ---- create ----
Object src  = Object.create("Source");
Object buf  = Object.create("Queue");
Object mach = Object.create("Processor");
Object out  = Object.create("Sink");
Object disp = Object.create("Dispatcher");
Object op1  = Object.create("Operator");

// ---- name ----
src.name  = "Source_Parts";
buf.name  = "Queue_Buffer";
mach.name = "Processor_Drill";
out.name  = "Sink_Done";
disp.name = "Dispatcher_Crew";
op1.name  = "Operator_1";

// ---- place (x, y, z in model length units) ----
src.setLocation(0, 0, 0);
buf.setLocation(5, 0, 0);
mach.setLocation(10, 0, 0);
out.setLocation(15, 0, 0);
disp.setLocation(10, -6, 0);
op1.setLocation(12, -4, 0);

// ---- parameters ----
src.setProperty("ArrivalStyle", "Inter-Arrival Time");
src.setProperty("InterArrivalTime",
    "Object current = ownerobject(c);\nObject item = param(1);\nreturn exponential(0, 30, getstream(current));");
buf.setProperty("MaxContent", 20);
mach.setProperty("MaxContent", 1);
mach.setProperty("SetupTime", 5);
mach.setProperty("ProcessTime",
    "Object current = ownerobject(c);\nObject item = param(1);\nreturn triangular(20, 40, 25, getstream(current));");
mach.setProperty("UseProcessOperators", 1);
mach.setProperty("NumProcessOperators", 1);
op1.setProperty("MaxSpeed", 1.2);

// ---- connect ----
contextdragconnection(src, buf, "A");      // flow
contextdragconnection(buf, mach, "A");
contextdragconnection(mach, out, "A");
contextdragconnection(disp, op1, "A");     // operator joins the dispatcher's team
contextdragconnection(mach, disp, "S");    // processor's first center port -> dispatcher (operator requests go here)
