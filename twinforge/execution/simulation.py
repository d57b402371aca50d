"""A discrete-event simulation of a ``ModelGraph`` (twinforge's approximation, not FlexSim), written
against SimPy's API and run by the lean core of ``event_core`` (SimPy itself behind its switch).

Semantics, kept deliberately simple (docs/execution.md lists the differences from FlexSim):
- a station holds at most ``max_content`` items (sources 1, sinks unlimited); an item leaves by
  its station's Send To Port rule: first available (FlexSim's default: the first output port, in
  rank order, whose station has room, else the first to free a place), random (a port drawn
  uniformly from the station's own stream; the item then waits for that port) or a fixed port;
- a source draws the next inter-arrival time after its previous item has left;
- processors (capacity c: c items in parallel) do setup then process; a multiprocessor runs its
  steps in order; a combiner takes one container on input port 1 and ``component_quantity``
  items from each other port (pack/join: one item leaves, batch: all leave); a separator sends
  on ``split_quantity`` copies (split) or the container plus that many items (unpack);
- a conveyor holds ``floor(length / 1 m)`` items, each travelling ``length / speed`` seconds, in order;
- ``use_transport``: a task executer (first centre partner, or a free member of that dispatcher's
  team) travels to the station and carries the item to its destination at its speed;
  ``use_operator``: one such task executer walks to the machine and is held while it processes.
Draws use ``twinforge.distributions.sample`` (a batch at a time) clamped at 0 with
``numpy.random.default_rng(seed)``.

KPIs cover the window from ``warmup_s`` to ``horizon_s`` (``KPI_KEYS``; docs/execution.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from twinforge.execution.errors import SimulationError
from twinforge.execution.event_core import run_until
from twinforge.execution.flow import Processor
from twinforge.execution.graph import ModelGraph
from twinforge.execution.model import Model

__all__ = ["SimulationError", "SimulationReport", "simulate"]


KPI_KEYS = ("horizon_s", "warmup_s", "throughput_per_hour", "wip_mean", "cycle_time_mean_s", "utilisation",
            "resource_utilisation", "bottleneck", "bottleneck_utilisation")
"""The KPIs a run reports, in this order."""
MACHINE_KINDS = ("processor", "multiprocessor", "combiner", "separator")


@dataclass
class SimulationReport:
    """KPIs and how the run ended: ``deadlock_at`` is set when nothing could move any more;
    ``items_out`` counts the items that reached a sink over the whole run, warm-up included."""

    kpis: dict[str, Any]
    items_out: int
    deadlock_at: float | None = None
    stuck: list[str] = field(default_factory=list)
    events: int = 0


def simulate(graph: ModelGraph, *, horizon_s: float, seed: int, warmup_s: float = 0.0,
             max_events: int = 2_000_000, max_seconds: float = 5.0) -> SimulationReport:
    """Run ``graph`` for ``horizon_s`` simulated seconds, measuring KPIs after ``warmup_s``;
    raise ``SimulationError`` on a broken model."""
    model = Model(graph, horizon_s, np.random.default_rng(seed), warmup_s)
    env = model.env
    deadline = time.perf_counter() + max_seconds

    def check(events: int) -> None:
        if events > max_events:
            raise SimulationError(f"more than {max_events:,} simulation events before "
                                  f"t = {env.now:.0f} s (zero-time loops?)")
        if time.perf_counter() > deadline:
            raise SimulationError(f"simulation took longer than {max_seconds} s of wall time "
                                  f"(reached t = {env.now:.0f} s of {horizon_s:.0f} s)")

    events = run_until(env, horizon_s, check)
    deadlock_at = env.now if not env._queue and env.now < horizon_s else None
    model.wip_area += model.wip * model.in_window(model.wip_since, horizon_s)
    stuck = [f"{s.name} ({s.content})" for s in model.stations.values()
             if s.content and s.kind not in ("sink",)]
    return SimulationReport(kpis=_kpis(model, graph), items_out=model.items_out, deadlock_at=deadlock_at,
                            stuck=stuck, events=events)


def _kpis(model: Model, graph: ModelGraph) -> dict[str, Any]:
    """The KPIs of a finished run, over its measurement window (``KPI_KEYS``)."""
    window = model.horizon - model.warmup
    utilisation: dict[str, float] = {}
    resources: dict[str, float] = {}
    for obj in graph.objects:
        station = model.stations.get(obj.name)
        if station is not None and obj.kind in MACHINE_KINDS:
            slots = station.workers if isinstance(station, Processor) else 1
            utilisation[obj.name] = _share(station.busy, slots * window)
        elif obj.name in model.executers:
            resources[obj.name] = _share(model.executers[obj.name].busy, window)
    busiest = max(utilisation, key=utilisation.__getitem__, default=None)
    return {
        "horizon_s": _round(model.horizon),
        "warmup_s": _round(model.warmup),
        "throughput_per_hour": _round(model.window_out * 3600 / window) if window > 0 else 0.0,
        "wip_mean": _round(model.wip_area / window) if window > 0 else 0.0,
        "cycle_time_mean_s": _round(model.cycle_sum / model.cycle_count) if model.cycle_count else None,
        "utilisation": utilisation,
        "resource_utilisation": resources,
        "bottleneck": busiest,
        "bottleneck_utilisation": None if busiest is None else utilisation[busiest],
    }


def _share(busy: float, capacity: float) -> float:
    """A busy time as a fraction of ``capacity`` (0 to 1, 6 significant digits)."""
    return _round(min(1.0, busy / capacity)) if capacity > 0 else 0.0


def _round(value: float) -> float:
    """``value`` to 6 significant digits: enough for a label, no false precision."""
    return float(f"{value:.6g}")
