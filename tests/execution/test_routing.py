"""Send To Port: the executor runs it once the model is built and honours it in the simulation;
conveyor connections put a transfer on the ports the script sees, as FlexSim does."""

from __future__ import annotations

import pytest

from twinforge.execution import build_graph, check_script

HEADER = "Object current = ownerobject(c);\\nObject item = param(1);\\n"
RANDOM = f'"{HEADER}return duniform(1, current.outObjects.length, getstream(current));"'


def two_machines(send_to_port: str | None, *, gap: str, first: str = "20", second: str = "20",
                 queue: bool = False) -> str:
    """A source (or a queue behind it) feeding two parallel processors that both feed one sink."""
    lines = [
        'Object src = Object.create("Source");', 'src.name = "Src";',
        'Object p1 = Object.create("Processor");', 'p1.name = "P1";',
        'Object p2 = Object.create("Processor");', 'p2.name = "P2";',
        'Object snk = Object.create("Sink");', 'snk.name = "Out";',
        f'src.setProperty("InterArrivalTime", {gap});',
        f'p1.setProperty("ProcessTime", {first});', f'p2.setProperty("ProcessTime", {second});',
    ]
    splitter = "src"
    if queue:
        lines += ['Object q = Object.create("Queue");', 'q.name = "Q";', 'contextdragconnection(src, q, "A");']
        splitter = "q"
    if send_to_port is not None:
        lines.append(f'{splitter}.setProperty("SendToPort", {send_to_port});')
    lines += [f'contextdragconnection({splitter}, p1, "A");', f'contextdragconnection({splitter}, p2, "A");',
              'contextdragconnection(p1, snk, "A");', 'contextdragconnection(p2, snk, "A");']
    return "\n".join(lines) + "\n"


def shares(code: str, horizon: float = 20_000) -> tuple[float, float]:
    result = check_script(code, horizon_s=horizon, seed=1)
    assert result.outcome == "ok", result.message
    utilisation = result.kpis["utilisation"]
    return utilisation["P1"], utilisation["P2"]


def test_first_available_with_a_slow_source_sends_everything_to_port_one():
    p1, p2 = shares(two_machines(None, gap="100"))
    assert p1 == pytest.approx(0.2, abs=0.002) and p2 == 0.0  # 20 s of every 100 s, from the first arrival


def test_first_available_with_a_fast_source_uses_both_machines():
    p1, p2 = shares(two_machines(None, gap="12"))
    assert p1 == pytest.approx(p2, abs=0.01) == pytest.approx(20 / 24, abs=0.01)  # they take turns


def test_code_returning_zero_is_first_available():
    assert shares(two_machines(f'"{HEADER}return 0;"', gap="100")) == shares(two_machines(None, gap="100"))


def test_random_routing_splits_items_in_proportion_whatever_the_load():
    p1, p2 = shares(two_machines(RANDOM, gap="100"))
    assert p1 + p2 == pytest.approx(0.2, abs=0.002)
    assert p1 == pytest.approx(0.1, abs=0.015) and p2 == pytest.approx(0.1, abs=0.015)


def test_random_routing_waits_for_the_drawn_port():
    # P1 takes 60 s, P2 6 s, the source draws each item's port and waits for it: P1 sets the pace
    # and P2 gets as many items as P1 (first available would send most to the fast P2).
    p1, p2 = shares(two_machines(RANDOM, gap="1", first="60", second="6"))
    assert p1 > 0.95
    assert p2 == pytest.approx(p1 / 10, rel=0.15)
    _, fast = shares(two_machines(None, gap="1", first="60", second="6"))
    assert fast > 0.95


def test_a_routed_queue_does_not_hold_items_behind_one_waiting_for_a_busy_port():
    # Every 10 s an item, half of them for P1 (60 s each: they pile up), half for P2 (6 s): the
    # queue releases each item for its own port, so P2 gets all of its half.
    p1, p2 = shares(two_machines(RANDOM, gap="10", first="60", second="6", queue=True))
    assert p1 > 0.99
    assert p2 == pytest.approx(0.3, abs=0.03)


def test_a_fixed_port_and_duniform_bounds_are_honoured():
    p1, p2 = shares(two_machines(f'"{HEADER}return 2;"', gap="100"))
    assert p1 == 0.0 and p2 == pytest.approx(0.2, abs=0.002)
    p1, p2 = shares(two_machines(2, gap="100"))
    assert p1 == 0.0 and p2 > 0
    p1, p2 = shares(two_machines(f'"{HEADER}return duniform(2, 2, getstream(current));"', gap="100"))
    assert p1 == 0.0 and p2 > 0


def test_random_routing_reads_as_random_in_the_graph():
    graph = build_graph(two_machines(RANDOM, gap="10"))
    assert graph.get("Src").params["routing"] == "random"
    assert graph.get("P1").params["routing"] == "first_available"
    assert build_graph(two_machines(f'"{HEADER}return 2;"', gap="10")).get("Src").params["routing"] == 2
    assert build_graph(two_machines(f'"{HEADER}return duniform(2, 2);"', gap="10")).get("Src").params["routing"] == (2, 2)


@pytest.mark.parametrize(("value", "fragment"), [
    (f'"{HEADER}return 3;"', "port 3"),
    (f'"{HEADER}return duniform(1, 3, getstream(current));"', "outside 1..2"),
    (f'"{HEADER}return normal(1, 2, getstream(current));"', "duniform"),
    (f'"{HEADER}return 1.5;"', "whole port number"),
    ('"return (;"', "does not parse"),
    ("[1, 2]", "port number"),
])
def test_send_to_port_code_the_executor_cannot_honour_is_a_param_error(value: str, fragment: str):
    code = two_machines(value, gap="10")
    result = check_script(code, horizon_s=600)
    assert result.outcome == "param_error", result.message
    assert fragment in result.message and "SendToPort" in result.message
    assert result.line == code.splitlines().index(next(l for l in code.splitlines() if "SendToPort" in l)) + 1


def test_send_to_port_by_an_item_label_is_unsupported():
    """Items carry labels only while FlexSim runs the model, which the check does not model."""
    code = two_machines(f'"{HEADER}return item.Type;"', gap="10")
    result = check_script(code, horizon_s=600)
    assert result.outcome == "unsupported", result.message
    assert "item.Type" in result.message and "SendToPort" in result.message


def test_time_code_cannot_read_ports_before_they_are_final():
    code = two_machines(None, gap=f'"{HEADER}return current.outObjects.length;"')
    result = check_script(code, horizon_s=600)
    assert result.outcome == "param_error" and "outObjects" in result.message


CONVEYOR_LINE = """Object src = Object.create("Source");
src.name = "Src";
Object belt = Object.create("Conveyor::StraightConveyor");
belt.name = "Belt";
Object p = Object.create("Processor");
p.name = "P";
Object q = Object.create("Queue");
q.name = "Q";
Object belt2 = Object.create("Conveyor::StraightConveyor");
belt2.name = "Belt2";
Object snk = Object.create("Sink");
snk.name = "Out";
src.setProperty("InterArrivalTime", 30);
contextdragconnection(src, belt, "A");
contextdragconnection(belt, p, "A");
contextdragconnection(p, belt2, "A");
contextdragconnection(p, q, "A");
contextdragconnection(belt2, snk, "A");
contextdragconnection(q, snk, "A");
print(src.outObjects[1].name);
print(p.inObjects[1].name);
print(p.outObjects[1].name);
print(p.outObjects[2].name);
print(string.fromNum(p.outObjects.length));
print(p.outObjects[1].outObjects[1].name);
print(belt.inObjects[1].name);
print(snk.inObjects[1].name);
"""


def test_a_conveyor_connection_puts_a_transfer_on_the_ports_the_script_sees():
    graph = build_graph(CONVEYOR_LINE)
    assert graph.printed == ("EntryTransfer1", "ExitTransfer1", "EntryTransfer2", "Q", "2", "Belt2",
                             "EntryTransfer1", "ExitTransfer2")
    # The model keeps the plain connections: transfers pass items on at once.
    assert graph.outputs("P") == ["Belt2", "Q"] and graph.inputs("P") == ["Belt"]
    assert [obj.name for obj in graph.objects] == ["Src", "Belt", "P", "Q", "Belt2", "Out"]


def test_transfers_change_no_kpi():
    with_transfers = check_script(CONVEYOR_LINE, horizon_s=3600)
    assert with_transfers.outcome == "ok"
    graph = build_graph(CONVEYOR_LINE)
    from twinforge.execution import check_graph
    assert check_graph(graph, horizon_s=3600).kpis == with_transfers.kpis


@pytest.mark.parametrize(("statement", "outcome"), [
    ('p.outObjects[1].setProperty("SendToPort", 1);', "param_error"),
    ('p.outObjects[1].setLocation(1, 2, 0);', "param_error"),
    ('p.outObjects[1].name = "T";', "build_error"),
    ('contextdragconnection(p.outObjects[1], snk, "A");', "build_error"),
])
def test_a_script_cannot_change_or_connect_a_transfer(statement: str, outcome: str):
    result = check_script(CONVEYOR_LINE + statement + "\n", horizon_s=600)
    assert result.outcome == outcome and "transfer" in result.message


def test_send_to_port_counts_a_transfer_as_a_port():
    code = CONVEYOR_LINE.replace('src.setProperty("InterArrivalTime", 30);',
                                 f'src.setProperty("InterArrivalTime", 30);\np.setProperty("SendToPort", {RANDOM});')
    graph = build_graph(code)
    assert graph.get("P").params["routing"] == "random"
    result = check_script(code, horizon_s=7200)
    assert result.outcome == "ok"


def test_disconnecting_removes_the_transfer():
    code = CONVEYOR_LINE.split("print(")[0] + 'contextdragconnection(p, belt2, "Q");\nprint(p.outObjects[1].name);\n'
    assert build_graph(code).printed == ("Q",)
