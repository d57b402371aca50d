// Imitates the createcopy command page of FlexSim's help, "Command Reference"
// (https://docs.flexsim.com/en/19.2/Reference/CodingInFlexSim/CommandReference/CommandGroups.html).
// Written for twinforge's tests; no FlexSim code copied.
Object src = Object.create("Source");
src.name = "Orders";
src.setProperty("InterArrivalTime", 10);
Object q = Object.create("Queue");
q.name = "Waiting";
q.setLocation(4, 0, 0);
Object first = Object.create("Processor");
first.name = "Press1";
first.setLocation(8, -3, 0);
first.setProperty("ProcessTime", 25);
Object snk = Object.create("Sink");
snk.name = "Done";
snk.setLocation(12, 0, 0);
contextdragconnection(src, q, "A");
for (int n = 1; n <= 3; n++) {
    Object press = n == 1 ? first : createcopy(first, model());
    press.name = "Press" + n;
    press.setLocation(8, -3 + 3 * (n - 1), 0);
    contextdragconnection(q, press, "A");
    contextdragconnection(press, snk, "A");
}
