"""The lean event core (``event_core``) against SimPy, the oracle: the same report, event for event,
on every golden script, generated scripts of both styles, deadlocks and runs that hit the event
budget; and the switch that turns the lean core off."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import simpy

from tests.execution.test_fast_parse import GOLDEN, generated_scripts
from twinforge.execution import Limits, build_graph, check_graph, event_core, simulate
from twinforge.execution.event_core import LeanEnvironment
from twinforge.execution.horizon import run_length
from twinforge.execution.model import Model

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
