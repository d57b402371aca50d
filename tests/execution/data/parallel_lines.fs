// Two parallel lines behind one buffer, written the paper's way: arrays and one for loop.
// Odd indices build line A, even indices line B; prevA / prevB remember each line's last object.
Object src = Object.create("Source");
src.name = "Source_Wafers";
src.setLocation(0, 0, 0);
src.setProperty("InterArrivalTime",
    "Object current = ownerobject(c);\nObject item = param(1);\nreturn exponential(0, 20, getstream(current));");

Object buf = Object.create("Queue");
buf.name = "Queue_Split";
buf.setLocation(4, 0, 0);
buf.setProperty("MaxContent", 30);
buf.setProperty("UseTransport", 1);
contextdragconnection(src, buf, "A");

Object done = Object.create("Sink");
done.name = "Sink_Out";
done.setLocation(20, 0, 0);

Array names = ["Etch_A", "Etch_B", "Clean_A", "Clean_B"];
Array means = [30, 32, 25, 27];
Object prevA = buf;
Object prevB = buf;
for (int i = 1; i <= names.length; i++) {
    Object m = Object.create("Processor");
    m.name = names[i];
    int stage = (i + 1) / 2;
    m.setProperty("ProcessTime", "Object current = ownerobject(c);\nObject item = param(1);\nreturn normal("
        + string.fromNum(means[i]) + ", 3, getstream(current));");
    if (i % 2 == 1) {
        m.setLocation(4 + 5 * stage, 3, 0);
        contextdragconnection(prevA, m, "A");
        prevA = m;
    } else {
        m.setLocation(4 + 5 * stage, -3, 0);
        contextdragconnection(prevB, m, "A");
        prevB = m;
    }
}
contextdragconnection(prevA, done, "A");
contextdragconnection(prevB, done, "A");

Object disp = Object.create("Dispatcher");
disp.name = "Dispatcher_AGV";
disp.setLocation(4, -6, 0);
Array crew = ["AGV_1", "AGV_2"];
for (int j = 1; j <= crew.length; j++) {
    Object te = Object.create("TaskExecuter");
    te.name = crew[j];
    te.AGV = 1;
    te.setLocation(2 + 2 * j, -8, 0);
    te.setProperty("MaxSpeed", 1.5);
    contextdragconnection(disp, te, "A");
}
contextdragconnection(buf, disp, "S");
