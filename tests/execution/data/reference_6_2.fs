Array kinds = ["/?Source", "/?Queue", "/?Processor", "/?Sink"];
Array names = ["Source_Parts", "Queue_Buffer", "Processor_Drill", "Sink_Done"];
Array objs  = Array(kinds.length);

for (int i = 1; i <= kinds.length; i++) {
    string path = kinds[i];
    Object obj = createinstance(node(path, library()), model());
    obj.name = names[i];
    obj.setLocation(5 * (i - 1), 0, 0);
    objs[i] = obj;
    if (i > 1) {
        Object prev = objs[i - 1];
        contextdragconnection(prev, obj, "A");
    }
}

Object src  = objs[1];
Object buf  = objs[2];
Object mach = objs[3];
src.setProperty("InterArrivalTime",
    "Object current = ownerobject(c);\nObject item = param(1);\nreturn exponential(0, 30, getstream(current));");
buf.setProperty("MaxContent", 20);
mach.setProperty("ProcessTime",
    "Object current = ownerobject(c);\nObject item = param(1);\nreturn uniform(20, 40, getstream(current));");
mach.setProperty("UseProcessOperators", 1);

Array crewKinds = ["/?Dispatcher", "/?Operator"];
Array crewNames = ["Dispatcher_Crew", "Operator_1"];
Array crew = Array(crewKinds.length);
for (int j = 1; j <= crewKinds.length; j++) {
    string cpath = crewKinds[j];
    Object c2 = createinstance(node(cpath, library()), model());
    c2.name = crewNames[j];
    c2.setLocation(10 + 2 * (j - 1), -5, 0);
    crew[j] = c2;
}
Object disp = crew[1];
Object op1  = crew[2];
contextdragconnection(disp, op1, "A");
contextdragconnection(mach, disp, "S");
