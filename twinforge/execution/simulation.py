"""A SimPy discrete-event simulation of a ``ModelGraph`` (twinforge's approximation, not FlexSim).

Semantics, kept deliberately simple (docs/execution.md lists the differences from FlexSim):
- a station holds at most ``max_content`` items (sources 1, sinks unlimited); an item moves on
  to the first output port whose station has room, else waits until one has (blocking);
- a source draws the next inter-arrival time after its previous item has left;
- processors (capacity c: c items in parallel) do setup then process; a multiprocessor runs its
  steps in order; a combiner takes one container on input port 1 and ``component_quantity``
  items from each other port (pack/join: one item leaves, batch: all leave); a separator sends
  on ``split_quantity`` copies (split) or the container plus that many items (unpack);
- a conveyor holds ``floor(length / 1 m)`` items, each travelling ``length / speed`` seconds, in order;
- ``use_transport``: a task executer (first centre partner, or a free member of that dispatcher's
  team) travels to the station and carries the item to its destination at its speed;
  ``use_operator``: one such task executer walks to the machine and is held while it processes.
Draws use ``twinforge.distributions.sampler`` clamped at 0 with ``numpy.random.default_rng(seed)``.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from twinforge.execution.errors import SimulationError
from twinforge.execution.graph import ModelGraph
from twinforge.execution.stations import Model, Processor

__all__ = ["SimulationError", "SimulationReport", "simulate"]


@dataclass
class SimulationReport:
    """KPIs and how the run ended: ``deadlock_at`` is set when nothing could move any more."""

    kpis: dict[str, Any]
    items_out: int
    deadlock_at: float | None = None
    stuck: list[str] = field(default_factory=list)
    events: int = 0


def simulate(graph: ModelGraph, *, horizon_s: float, seed: int, max_events: int = 2_000_000,
             max_seconds: float = 5.0) -> SimulationReport:
    """Run ``graph`` for ``horizon_s`` simulated seconds; raise ``SimulationError`` on a broken model."""
    model = Model(graph, horizon_s, np.random.default_rng(seed))
    env = model.env
    deadline = time.perf_counter() + max_seconds
    events = 0
    deadlock_at = None
    while True:
        when = env.peek()
        if when >= horizon_s:
            if when == math.inf and env.now < horizon_s:
                deadlock_at = env.now
            break
        env.step()
        events += 1
        if not events & 4095:
            if events > max_events:
                raise SimulationError(f"more than {max_events:,} simulation events before "
                                      f"t = {env.now:.0f} s (zero-time loops?)")
            if time.perf_counter() > deadline:
                raise SimulationError(f"simulation took longer than {max_seconds} s of wall time "
                                      f"(reached t = {env.now:.0f} s of {horizon_s:.0f} s)")
    model.wip_area += model.wip * (horizon_s - model.wip_since)
    stuck = [f"{s.name} ({s.content})" for s in model.stations.values()
             if s.content and s.kind not in ("sink",)]
    return SimulationReport(kpis=_kpis(model, graph), items_out=model.items_out, deadlock_at=deadlock_at,
                            stuck=stuck, events=events)


def _kpis(model: Model, graph: ModelGraph) -> dict[str, Any]:
    """Throughput per hour, mean WIP, utilisation of machines and task executers, items out."""
    hours = model.horizon / 3600
    utilisation: dict[str, float] = {}
    for obj in graph.objects:
        station = model.stations.get(obj.name)
        if station is not None and obj.kind in ("processor", "multiprocessor", "combiner", "separator"):
            slots = station.workers if isinstance(station, Processor) else 1
            utilisation[obj.name] = round(min(1.0, station.busy / (slots * model.horizon)), 6)
        elif obj.name in model.executers:
            utilisation[obj.name] = round(min(1.0, model.executers[obj.name].busy / model.horizon), 6)
    return {
        "throughput_per_hour": round(model.items_out / hours, 6),
        "mean_wip": round(model.wip_area / model.horizon, 6),
        "utilisation": utilisation,
        "items_out": model.items_out,
    }
