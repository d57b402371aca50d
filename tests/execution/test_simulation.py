"""The SimPy simulation: hand-computed KPIs on deterministic lines and the behaviour of each object."""

from __future__ import annotations

import pytest

from twinforge.execution import check_graph, check_script, graph_from_spec, simulate
from twinforge.schemas import load_spec


def const(value: float) -> dict:
    return {"family": "constant", "value": value}


def items_out(result) -> int:
    """Items into sinks during the measurement window (throughput times the window)."""
    kpis = result.kpis
    return round(kpis["throughput_per_hour"] * (kpis["horizon_s"] - kpis["warmup_s"]) / 3600)


def line(objects: list[dict], links: list[tuple[str, str, str]], automation: str = "manual",
         extra: list[dict] | None = None) -> object:
    resources = extra if extra is not None else [
        {"kind": "dispatcher", "name": "D", "position": [0, -5, 0]},
        {"kind": "operator", "name": "Op", "position": [0, 0, 0], "speed": 1},
    ]
    first_machine = next(o["name"] for o in objects if o["kind"] not in ("source", "queue", "sink", "conveyor"))
    for obj in objects:
        if obj["name"] == first_machine and extra is None:
            obj["use_operator"] = True
    if extra is None:
        links = links + [("D", "Op", "A"), (first_machine, "D", "S")]
    return load_spec({"industry": "electronics", "automation": automation, "layout": "linear",
                      "line_type": "workstation", "objects": objects + resources,
                      "connections": [{"from": a, "to": b, "port": p} for a, b, p in links]})


def single_server(inter_arrival: float, process: float, max_content: int = 10) -> object:
    return line(
        [{"kind": "source", "name": "S", "position": [0, 0, 0], "inter_arrival": const(inter_arrival)},
         {"kind": "queue", "name": "Q", "position": [0, 0, 0], "max_content": max_content},
         {"kind": "processor", "name": "P", "position": [0, 0, 0], "process_time": const(process)},
         {"kind": "sink", "name": "K", "position": [0, 0, 0]}],
        [("S", "Q", "A"), ("Q", "P", "A"), ("P", "K", "A")])


def test_single_server_kpis_match_hand_computation() -> None:
    # Items arrive at 10, 20, ..., 3590 and leave 6 s later; the one arriving at 3600 is not counted.
    result = check_graph(graph_from_spec(single_server(10, 6)), horizon_s=3600)
    assert result.outcome == "ok"
    assert items_out(result) == 359
    assert result.kpis["throughput_per_hour"] == 359
    assert result.kpis["utilisation"]["P"] == pytest.approx(359 * 6 / 3600)
    assert result.kpis["wip_mean"] == pytest.approx(359 * 6 / 3600)
    assert result.kpis["resource_utilisation"]["Op"] == pytest.approx(359 * 6 / 3600)


def test_bottleneck_sets_throughput_and_the_queue_blocks_the_source() -> None:
    # Process 10 s, arrivals every 5 s: the machine finishes at 15, 25, ..., 3595.
    result = check_graph(graph_from_spec(single_server(5, 10, max_content=3)), horizon_s=3600)
    assert items_out(result) == 359
    # Busy from the first arrival at 5 s to the end, the item in work at 3600 s included.
    assert result.kpis["utilisation"]["P"] == pytest.approx(3595 / 3600)
    assert result.kpis["bottleneck"] == "P" and result.kpis["bottleneck_utilisation"] == result.kpis["utilisation"]["P"]
    # WIP never exceeds source (1) + queue (3) + machine (1).
    assert 4 < result.kpis["wip_mean"] <= 5


def test_setup_time_adds_to_cycle_time() -> None:
    spec = single_server(1, 4)
    data = spec.model_dump(mode="json", by_alias=True)
    data["objects"][2]["setup_time"] = const(6)
    result = check_graph(graph_from_spec(load_spec(data)), horizon_s=1000)
    assert items_out(result) == 99  # first arrival at 1, then one item every 10 s
    assert result.kpis["resource_utilisation"]["Op"] == pytest.approx(99 * 4 / 1000, abs=0.01)


def test_parallel_capacity_processes_items_at_once() -> None:
    spec = single_server(1, 10)
    data = spec.model_dump(mode="json", by_alias=True)
    data["objects"][2]["max_content"] = 5
    data["objects"][2]["use_operator"] = False
    data["objects"][-2:] = []
    data["connections"] = data["connections"][:3]
    data["automation"] = "manual"
    data["objects"].append({"kind": "dispatcher", "name": "D", "position": [0, 0, 0]})
    data["objects"].append({"kind": "operator", "name": "Op", "position": [0, 0, 0], "speed": 1})
    data["objects"][1]["use_transport"] = True
    data["connections"] += [{"from": "D", "to": "Op", "port": "A"}, {"from": "Q", "to": "D", "port": "S"}]
    result = check_graph(graph_from_spec(load_spec(data)), horizon_s=1000)
    assert 480 <= items_out(result) <= 500  # five at a time, ten seconds each


def test_combiner_packs_components_from_port_two() -> None:
    spec = line(
        [{"kind": "source", "name": "Pallets", "position": [0, 0, 0], "inter_arrival": const(10)},
         {"kind": "source", "name": "Parts", "position": [0, 2, 0], "inter_arrival": const(2)},
         {"kind": "queue", "name": "PartQ", "position": [0, 2, 0], "max_content": 50},
         {"kind": "combiner", "name": "Pack", "position": [0, 0, 0], "mode": "pack", "component_quantity": 4,
          "process_time": const(1)},
         {"kind": "sink", "name": "K", "position": [0, 0, 0]}],
        [("Pallets", "Pack", "A"), ("Parts", "PartQ", "A"), ("PartQ", "Pack", "A"), ("Pack", "K", "A")])
    result = check_graph(graph_from_spec(spec), horizon_s=1000)
    assert result.outcome == "ok"
    assert 98 <= items_out(result) <= 100  # one pallet of four parts every 10 s


@pytest.mark.parametrize(("mode", "per_item"), [("split", 3), ("unpack", 4)])
def test_separator_multiplies_items(mode: str, per_item: int) -> None:
    spec = line(
        [{"kind": "source", "name": "S", "position": [0, 0, 0], "inter_arrival": const(10)},
         {"kind": "separator", "name": "Cut", "position": [0, 0, 0], "mode": mode, "split_quantity": 3,
          "process_time": const(2)},
         {"kind": "sink", "name": "K", "position": [0, 0, 0]}],
        [("S", "Cut", "A"), ("Cut", "K", "A")])
    result = check_graph(graph_from_spec(spec), horizon_s=1000)
    assert items_out(result) == 99 * per_item


def test_conveyor_travel_time_and_multiprocessor_steps() -> None:
    spec = line(
        [{"kind": "source", "name": "S", "position": [0, 0, 0], "inter_arrival": const(20)},
         {"kind": "conveyor", "name": "Belt", "position": [0, 0, 0], "length": 10, "speed": 0.5},
         {"kind": "multiprocessor", "name": "MP", "position": [0, 0, 0],
          "steps": [{"name": "Wash", "process_time": const(5)}, {"name": "Dry", "process_time": const(7)}]},
         {"kind": "sink", "name": "K", "position": [0, 0, 0]}],
        [("S", "Belt", "A"), ("Belt", "MP", "A"), ("MP", "K", "A")])
    # Arrivals at 20, 40, ...; 20 s on the belt, 12 s in the multiprocessor: out at t + 32 <= 1000.
    result = check_graph(graph_from_spec(spec), horizon_s=1000)
    assert items_out(result) == 48
    assert result.kpis["utilisation"]["MP"] == pytest.approx(48 * 12 / 1000)


def test_transport_takes_travel_time_at_the_resource_speed() -> None:
    spec = line(
        [{"kind": "source", "name": "S", "position": [0, 0, 0], "inter_arrival": const(100)},
         {"kind": "queue", "name": "Q", "position": [0, 0, 0], "max_content": 5, "use_transport": True},
         {"kind": "processor", "name": "P", "position": [30, 0, 0], "process_time": const(10)},
         {"kind": "sink", "name": "K", "position": [30, 0, 0]}],
        [("S", "Q", "A"), ("Q", "P", "A"), ("P", "K", "A"), ("Q", "T", "S")],
        automation="task_executer",
        extra=[{"kind": "task_executer", "name": "T", "position": [0, 0, 0], "speed": 3}])
    # The first trip starts at the queue (10 s loaded); later ones add 10 s back empty. Items reach
    # the queue at 100, 200, ..., 900 and leave the machine at 120, then 100 k + 30.
    result = check_graph(graph_from_spec(spec), horizon_s=1000)
    assert items_out(result) == 9
    assert result.kpis["resource_utilisation"]["T"] == pytest.approx((10 + 8 * 20) / 1000)


def test_same_seed_same_kpis_and_seed_changes_draws(small_spec) -> None:
    graph = graph_from_spec(small_spec)
    first = simulate(graph, horizon_s=7200, seed=3).kpis
    assert simulate(graph, horizon_s=7200, seed=3).kpis == first
    assert simulate(graph, horizon_s=7200, seed=4).kpis != first


def test_operator_use_without_a_centre_link_is_a_runtime_error() -> None:
    code = """Object s = Object.create("Source");
Object p = Object.create("Processor");
Object k = Object.create("Sink");
p.setProperty("UseProcessOperators", 1);
contextdragconnection(s, p, "A");
contextdragconnection(p, k, "A");"""
    result = check_script(code, horizon_s=600)
    assert result.outcome == "runtime_error" and "no S connection" in result.message
