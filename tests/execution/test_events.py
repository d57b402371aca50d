"""The event core schedules exactly as SimPy: the same reports, draw for draw, on sampled models."""

from __future__ import annotations

import pytest

from twinforge.execution import graph_from_spec, simulate
from twinforge.execution.check import default_horizon
from twinforge.execution.events import Environment, simpy_environment
from twinforge.pipeline.sampler import sample_specs


def report(graph, seed: int, environment) -> dict:
    result = simulate(graph, horizon_s=min(default_horizon(graph), 4 * 3600.0), seed=seed, environment=environment)
    return {"kpis": result.kpis, "deadlock_at": result.deadlock_at, "stuck": result.stuck, "events": result.events}


def test_sampled_models_give_identical_reports_on_simpy_and_on_the_event_core() -> None:
    graphs = [graph_from_spec(spec) for spec in sample_specs(40, 5, {})]
    features = {"several outputs (any_of)": 0, "transport": 0, "operator": 0}
    for seed, graph in enumerate(graphs):
        assert report(graph, seed, Environment) == report(graph, seed, simpy_environment)
        features["several outputs (any_of)"] += any(len(graph.outputs(o.name)) > 1 for o in graph.objects
                                                    if o.kind not in ("dispatcher",))
        features["transport"] += any(o.params.get("use_transport") for o in graph.objects)
        features["operator"] += any(o.params.get("use_operator") for o in graph.objects)
    assert all(features.values()), features  # the comparison went through every kind of wait


def test_same_time_events_run_urgent_first_then_in_the_order_they_were_scheduled() -> None:
    env = Environment()
    seen: list[str] = []

    def waits(name: str, delay: float):
        yield env.timeout(delay)
        seen.append(name)

    env.process(waits("a", 1.0))
    env.process(waits("b", 0.0))
    trigger = env.event()
    trigger.callbacks.append(lambda _: seen.append("event"))
    trigger.succeed()
    env.process(waits("c", 1.0))
    while env.peek() < float("inf"):
        env.step()
    assert seen == ["event", "b", "a", "c"]
    assert env.now == 1.0


def test_any_of_fires_once_for_its_first_event_and_drops_its_other_waits() -> None:
    env = Environment()
    first, second = env.event(), env.event()
    fired: list[float] = []

    def waiter():
        yield env.any_of([first, second])
        fired.append(env.now)

    env.process(waiter())
    env.step()  # the process starts and waits on both
    first.succeed()
    env.advance(float("inf"), 10)
    assert fired == [0.0]
    assert second.callbacks == []  # nothing left waiting on the second event
    with pytest.raises(RuntimeError):
        first.succeed()
    with pytest.raises(ValueError, match="negative delay"):
        env.timeout(-1.0)
