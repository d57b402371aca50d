// Imitates the declarations, operators and loops of FlexSim's help, "Writing Logic in FlexSim"
// (https://docs.flexsim.com/en/25.2/Reference/CodingInFlexSim/WritingLogic/WritingLogic.html).
// Written for twinforge's tests; no FlexSim code copied.
int stations = 3, spacing = 4;
int flags = 0x0F & 0x06 | 0x01;
double x = 0;
Map names;
Array made = [];

Object src = Object.create("Source");
src.name = "Feed";
made.push(src);

int k = 1;
do {
    Object q = Object.create("Queue");
    q.name = "Station" + k + "_Queue";
    x += spacing;
    q.setLocation(x, 0, 0);
    names[k] = q.name;
    made.push(q);
    k++;
} while (k <= stations);

int leftover = 17;
leftover %= 5;
Object out = Object.create("Sink");
out.name = "Out";
made.push(out);
for (int i = 1, j = 2; j <= made.length; i++, j++) {
    contextdragconnection(made[i], made[j], "A");
}
string note = "stations: \
" + names.length;
print(note + ", flags " + flags + ", leftover " + leftover);
