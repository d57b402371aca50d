"""Whole scripts: the reference's section 6 examples and a two-line script in the paper's style."""

from __future__ import annotations

from pathlib import Path

import pytest

from twinforge.execution import check_script, graph_differences, graph_from_spec
from twinforge.schemas import load_spec

DATA = Path(__file__).parent / "data"


def _spec(objects: list[dict], connections: list[tuple[str, str, str]], automation: str = "operator") -> object:
    return load_spec({
        "industry": "electronics", "automation": automation, "layout": "linear", "line_type": "workstation",
        "objects": objects, "connections": [{"from": a, "to": b, "port": p} for a, b, p in connections],
    })


def _reference_spec(process_time: dict, setup: float, dispatcher: list[float], operator: list[float],
                    speed: float) -> object:
    return _spec(
        [
            {"kind": "source", "name": "Source_Parts", "position": [0, 0, 0],
             "inter_arrival": {"family": "exponential", "mean": 30}},
            {"kind": "queue", "name": "Queue_Buffer", "position": [5, 0, 0], "max_content": 20},
            {"kind": "processor", "name": "Processor_Drill", "position": [10, 0, 0], "process_time": process_time,
             "setup_time": {"family": "constant", "value": setup}, "use_operator": True},
            {"kind": "sink", "name": "Sink_Done", "position": [15, 0, 0]},
            {"kind": "dispatcher", "name": "Dispatcher_Crew", "position": dispatcher},
            {"kind": "operator", "name": "Operator_1", "position": operator, "speed": speed},
        ],
        [("Source_Parts", "Queue_Buffer", "A"), ("Queue_Buffer", "Processor_Drill", "A"),
         ("Processor_Drill", "Sink_Done", "A"), ("Dispatcher_Crew", "Operator_1", "A"),
         ("Processor_Drill", "Dispatcher_Crew", "S")],
    )


EXAMPLES = {
    "reference_6_1.fs": _reference_spec({"family": "triangular", "min": 20, "mode": 25, "max": 40}, 5,
                                        [10, -6, 0], [12, -4, 0], 1.2),
    "reference_6_2.fs": _reference_spec({"family": "uniform", "min": 20, "max": 40}, 0, [10, -5, 0],
                                        [12, -5, 0], 2.0),
}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_reference_examples_build_the_intended_model_and_run(name: str) -> None:
    result = check_script((DATA / name).read_text())
    assert result.outcome == "ok", result.message
    assert graph_differences(result.graph, EXAMPLES[name]) == []
    assert result.kpis["throughput_per_hour"] > 0
    assert set(result.kpis["utilisation"]) == {"Processor_Drill"}
    assert set(result.kpis["resource_utilisation"]) == {"Operator_1"}


def test_reference_6_2_only_differs_from_6_1_where_the_scripts_differ() -> None:
    result = check_script((DATA / "reference_6_2.fs").read_text())
    differences = graph_differences(result.graph, EXAMPLES["reference_6_1.fs"])
    assert any("process_time" in d for d in differences)
    assert any("Operator_1': position" in d for d in differences)


PARALLEL = _spec(
    [
        {"kind": "source", "name": "Source_Wafers", "position": [0, 0, 0],
         "inter_arrival": {"family": "exponential", "mean": 20}},
        {"kind": "queue", "name": "Queue_Split", "position": [4, 0, 0], "max_content": 30, "use_transport": True},
        {"kind": "sink", "name": "Sink_Out", "position": [20, 0, 0]},
        {"kind": "processor", "name": "Etch_A", "position": [9, 3, 0],
         "process_time": {"family": "normal", "mean": 30, "std": 3}},
        {"kind": "processor", "name": "Etch_B", "position": [9, -3, 0],
         "process_time": {"family": "normal", "mean": 32, "std": 3}},
        {"kind": "processor", "name": "Clean_A", "position": [14, 3, 0],
         "process_time": {"family": "normal", "mean": 25, "std": 3}},
        {"kind": "processor", "name": "Clean_B", "position": [14, -3, 0],
         "process_time": {"family": "normal", "mean": 27, "std": 3}},
        {"kind": "dispatcher", "name": "Dispatcher_AGV", "position": [4, -6, 0]},
        {"kind": "agv", "name": "AGV_1", "position": [4, -8, 0], "speed": 1.5},
        {"kind": "agv", "name": "AGV_2", "position": [6, -8, 0], "speed": 1.5},
    ],
    [("Source_Wafers", "Queue_Split", "A"), ("Queue_Split", "Etch_A", "A"), ("Queue_Split", "Etch_B", "A"),
     ("Etch_A", "Clean_A", "A"), ("Etch_B", "Clean_B", "A"), ("Clean_A", "Sink_Out", "A"),
     ("Clean_B", "Sink_Out", "A"), ("Dispatcher_AGV", "AGV_1", "A"), ("Dispatcher_AGV", "AGV_2", "A"),
     ("Queue_Split", "Dispatcher_AGV", "S")],
    automation="agv",
)


def test_two_parallel_lines_built_in_one_loop() -> None:
    result = check_script((DATA / "parallel_lines.fs").read_text())
    assert result.outcome == "ok", result.message
    assert graph_differences(result.graph, PARALLEL) == []
    assert result.graph.outputs("Queue_Split") == ["Etch_A", "Etch_B"]
    assert result.graph.inputs("Sink_Out") == ["Clean_A", "Clean_B"]
    utilisation = result.kpis["utilisation"]
    assert utilisation["Etch_A"] > 0 and utilisation["Etch_B"] > 0
    assert result.kpis["resource_utilisation"]["AGV_1"] > 0


def test_graph_from_spec_matches_itself(small_spec) -> None:
    assert graph_differences(graph_from_spec(small_spec), small_spec) == []


def test_graph_differences_report_port_order_and_values() -> None:
    data = PARALLEL.model_dump(mode="json", by_alias=True)
    links = data["connections"]
    links[1], links[2] = links[2], links[1]
    swapped = load_spec(data)
    problems = graph_differences(graph_from_spec(swapped), PARALLEL)
    assert problems == ["object 'Queue_Split': outgoing A ['Etch_B', 'Etch_A'], the spec says ['Etch_A', 'Etch_B']"]
    data = PARALLEL.model_dump(mode="json", by_alias=True)
    data["objects"][1]["max_content"] = 31
    data["objects"][3]["position"] = [9.5, 3, 0]
    problems = graph_differences(graph_from_spec(load_spec(data)), PARALLEL)
    assert len(problems) == 2
    assert any("Queue_Split': max_content is 31" in p for p in problems)
    assert any("Etch_A': position" in p for p in problems)
