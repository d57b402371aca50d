"""The lean event core (``event_core``) against SimPy, the oracle: the same report, event for event,
on every golden script, generated scripts of both styles, deadlocks and runs that hit the event
budget, sampled specs (hypothesis: routed at random, times made constant), the order of ties on the
bare core; and the switch that turns the lean core off."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import simpy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from tests.execution.test_fast_parse import GOLDEN, generated_scripts
from twinforge.distributions import mean
from twinforge.execution import Limits, build_graph, check_graph, event_core, graph_from_spec, simulate
from twinforge.execution.errors import SimulationError
from twinforge.execution.event_core import LeanEnvironment
from twinforge.execution.horizon import run_length
from twinforge.execution.model import Model
from twinforge.families.factory.sampler import sample_specs
from twinforge.schemas import Constant

GENERATED_CHECKED = 80
"""Generated scripts simulated by both cores (of 300; each takes some tens of ms per core)."""


def reports(graph, seed: int, monkeypatch: pytest.MonkeyPatch, **options) -> tuple[dict, dict]:
    """SimPy's report of ``graph`` and the lean core's, as plain data (events included)."""
    run = run_length(graph)
    found = []
    for lean in (False, True):
        monkeypatch.setattr(event_core, "ENABLED", lean)
        report = simulate(graph, horizon_s=run.horizon_s, seed=seed, warmup_s=run.warmup_s, **options)
        found.append(dataclasses.asdict(report))
    return found[0], found[1]


@pytest.mark.parametrize("path", GOLDEN, ids=lambda path: path.name)
def test_golden_scripts_simulate_alike(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    graph = build_graph(path.read_text(encoding="utf-8"))
    plain, lean = reports(graph, 11, monkeypatch)
    assert plain["items_out"] > 0
    assert lean == plain


def test_generated_scripts_simulate_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both code styles of sampled specs (transport, operators, conveyors, routing, combiners)."""
    for index, code in enumerate(generated_scripts()[:GENERATED_CHECKED]):
        plain, lean = reports(build_graph(code), index, monkeypatch)
        assert lean == plain, index


def test_a_deadlock_and_the_event_budget_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """A line whose last station leads nowhere deadlocks at the same instant with the same stuck
    items; a run cut by the event budget stops with the same message."""
    code = GOLDEN[0].read_text(encoding="utf-8")
    graph = build_graph(code)
    sinks = {obj.name for obj in graph.objects if obj.kind == "sink"}
    stuck = dataclasses.replace(graph, connections=[c for c in graph.connections if c.to not in sinks])
    plain, lean = reports(stuck, 3, monkeypatch)
    assert plain["deadlock_at"] is not None
    assert lean == plain
    messages = []
    for lean_core in (False, True):
        monkeypatch.setattr(event_core, "ENABLED", lean_core)
        messages.append(check_graph(graph, horizon_s=1e7, seed=3, limits=Limits(max_events=5_000)).message)
    assert "more than 5,000 simulation events" in messages[0]
    assert messages[1] == messages[0]


def test_the_switch_chooses_the_core(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = build_graph(GOLDEN[0].read_text(encoding="utf-8"))
    assert isinstance(Model(graph, 100.0, np.random.default_rng(0)).env, LeanEnvironment)
    monkeypatch.setattr(event_core, "ENABLED", False)
    assert isinstance(Model(graph, 100.0, np.random.default_rng(0)).env, simpy.Environment)


def varied(graph, routed: bool, constant: bool):
    """``graph`` with every station of two or more outputs routing at random (a port drawn per
    item, which then waits for it), and/or every distribution replaced by a constant of its mean
    (rounded to whole seconds: many events fall on one instant, so the order of ties shows)."""
    objects = []
    for obj in graph.objects:
        params = dict(obj.params)
        if routed and len(graph.outputs(obj.name)) > 1 and obj.kind in ROUTED_KINDS:
            params["routing"] = "random"
        if constant:
            params = {key: Constant(value=float(round(mean(value)))) if isinstance(value, BaseModel) else value
                      for key, value in params.items()}
        objects.append(dataclasses.replace(obj, params=params))
    return dataclasses.replace(graph, objects=objects)


ROUTED_KINDS = ("source", "queue", "processor", "separator", "combiner", "conveyor")


def outcome(graph, seed: int, monkeypatch: pytest.MonkeyPatch, lean: bool) -> dict:
    """The report of one core as plain data, or the message that stopped the run (event budget)."""
    monkeypatch.setattr(event_core, "ENABLED", lean)
    run = run_length(graph)
    try:
        report = simulate(graph, horizon_s=run.horizon_s, seed=seed, warmup_s=run.warmup_s, max_events=40_000)
    except SimulationError as error:
        return {"stopped": str(error)}
    return dataclasses.asdict(report)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec_seed=st.integers(0, 2**32 - 1), seed=st.integers(0, 2**31 - 1), routed=st.booleans(),
       constant=st.booleans())
def test_sampled_specs_simulate_alike(spec_seed: int, seed: int, routed: bool, constant: bool,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Any sampled spec, as built from the spec, optionally routed at random and with constant
    times: the lean core's report equals SimPy's, event count included, or both stop with one
    message."""
    graph = varied(graph_from_spec(next(sample_specs(1, spec_seed))), routed, constant)
    assert outcome(graph, seed, monkeypatch, lean=True) == outcome(graph, seed, monkeypatch, lean=False)


def tie_order(env: LeanEnvironment | simpy.Environment) -> list[tuple[float, str]]:
    """Who runs when on ``env``: five processes sleeping 0, 1 or 2 s by turns (so many wake at
    one instant), each triggering an event at every wake-up."""
    log: list[tuple[float, str]] = []

    def sleeper(name: str, delays: list[int]) -> Iterator[Any]:
        for delay in delays:
            yield env.timeout(delay)
            log.append((env.now, name))
            event = env.event()
            event.callbacks.append(lambda _, name=name: log.append((env.now, f"{name}'s event")))
            event.succeed()

    for index in range(5):
        env.process(sleeper(f"p{index}", [(index * turn) % 3 for turn in range(1, 7)]))
    event_core.run_until(env, 100.0, lambda events: None)
    return log


def test_ties_come_off_the_heap_in_simpys_order() -> None:
    """The lean core's heap entries (events and processes keyed by time, priority and push order)
    come off in SimPy's order, ties included."""
    lean = tie_order(LeanEnvironment())
    assert len(lean) == 60
    assert lean == tie_order(simpy.Environment())
