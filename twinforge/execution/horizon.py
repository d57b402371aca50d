"""How long to simulate a model: a warm-up, then a measurement window, both read off the model.

Stage times range from seconds (a labeller) to hours (an autoclave cure), so the run is counted
in the model's own time scales, never in clock hours:

- ``slow`` and ``fast``: the mean inter-arrival times of the slowest and the fastest source (the
  same for a model with one source);
- ``flow``: the time an item takes through the empty line, the longest source-to-sink path of
  mean stage times (setup + process, steps, conveyor travel, transport legs).

The warm-up is ``max(SLOW_WARMUP_ARRIVALS * slow, WARMUP_ARRIVALS * fast, WARMUP_FLOWS * flow)``:
the line has filled and its queues have had time to settle. The window is
``max(SLOW_WINDOW_ARRIVALS * slow, WINDOW_ARRIVALS * fast, WINDOW_FLOWS * flow, MIN_WINDOW_S)``:
enough items for stable means, and much longer than one item's trip, so that cycle times (of
items that arrive after the warm-up and leave before the end) are not biased towards the short
ones. A one-source model runs 20 arrivals, then 200 (the slow terms are smaller). In a model with
several sources (a combiner's container source and its component sources) the slowest source
needs only 60 arrivals: its faster sources feed many items per container, so its KPIs are
steadier per container and 200 containers cost several times the events. Both depend on the
built model only, so a prediction that builds the reference's model is simulated over the same
run. The figures behind 20, 200 and 60 are in docs/execution.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from twinforge.distributions import mean as dist_mean
from twinforge.execution.graph import GraphObject, ModelGraph
from twinforge.schemas.objects import FLOW_KINDS, TASK_EXECUTER_KINDS

WARMUP_ARRIVALS = 20
WINDOW_ARRIVALS = 200
WARMUP_FLOWS = 2
WINDOW_FLOWS = 10
SLOW_WARMUP_ARRIVALS = 6
SLOW_WINDOW_ARRIVALS = 60
"""Arrivals of the slowest source when it is slower than the fastest (below the one-source counts,
so they bind only in a model with several sources)."""
MIN_WINDOW_S = 60.0
"""A floor for a model whose sources arrive every 0 s (its run then ends as a runtime error on
the event budget, as it should) or whose times are all zero."""


@dataclass(frozen=True)
class RunLength:
    """Simulated seconds: KPIs are measured from ``warmup_s`` to ``horizon_s``."""

    warmup_s: float
    horizon_s: float


def run_length(graph: ModelGraph) -> RunLength:
    """The warm-up and horizon of ``graph`` (see the module docstring)."""
    gaps = [dist_mean(obj.params["inter_arrival"]) for obj in graph.objects
            if obj.kind == "source" and "inter_arrival" in obj.params]
    slow, fast = (max(gaps), min(gaps)) if gaps else (0.0, 0.0)
    flow = flow_time(graph)
    warmup = max(SLOW_WARMUP_ARRIVALS * slow, WARMUP_ARRIVALS * fast, WARMUP_FLOWS * flow)
    window = max(SLOW_WINDOW_ARRIVALS * slow, WINDOW_ARRIVALS * fast, WINDOW_FLOWS * flow, MIN_WINDOW_S)
    return RunLength(warmup, warmup + window)


def flow_time(graph: ModelGraph) -> float:
    """Mean seconds an item needs from a source to a sink through the empty line: the longest
    path of stage times over the A connections (a cycle's closing connection is left out)."""
    stations = {obj.name: obj for obj in graph.objects if obj.kind in FLOW_KINDS}
    successors: dict[str, list[str]] = {name: [] for name in stations}
    waiting = dict.fromkeys(stations, 0)
    for conn in graph.connections:
        if conn.port == "A" and conn.from_ in stations and conn.to in stations:
            successors[conn.from_].append(conn.to)
            waiting[conn.to] += 1
    order = _topological(list(stations), successors, waiting)
    rank = {name: index for index, name in enumerate(order)}
    speeds = _helper_speeds(graph)
    best = {name: stage_time(stations[name]) for name in order}
    for name in order:
        obj = stations[name]
        for nxt in successors[name]:
            if rank[nxt] > rank[name]:
                leg = _transport_leg(obj, stations[nxt], speeds.get(name))
                best[nxt] = max(best[nxt], best[name] + leg + stage_time(stations[nxt]))
    return max(best.values(), default=0.0)


def stage_time(obj: GraphObject) -> float:
    """Mean seconds an item spends being worked on or moved at ``obj`` (0 for buffers)."""
    params = obj.params
    if obj.kind in ("processor", "combiner", "separator"):
        return dist_mean(params["setup_time"]) + dist_mean(params["process_time"])
    if obj.kind == "multiprocessor":
        return sum(dist_mean(dist) for _, dist in params.get("steps", ()))
    if obj.kind == "conveyor":
        return float(params["length"]) / float(params["speed"])
    return 0.0


def _topological(names: list[str], successors: dict[str, list[str]], waiting: dict[str, int]) -> list[str]:
    """``names`` in an order where each comes after its predecessors (cycles left in graph order)."""
    ready = [name for name in reversed(names) if waiting[name] == 0]
    order: list[str] = []
    while ready:
        name = ready.pop()
        order.append(name)
        for nxt in successors[name]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                ready.append(nxt)
    placed = set(order)
    return order + [name for name in names if name not in placed]


def _helper_speeds(graph: ModelGraph) -> dict[str, float]:
    """Per station that uses transport: the slowest speed among its helpers (first centre partner)."""
    kinds = {obj.name: obj.kind for obj in graph.objects}
    speeds = {obj.name: float(obj.params["speed"]) for obj in graph.objects if obj.kind in TASK_EXECUTER_KINDS}
    result: dict[str, float] = {}
    for obj in graph.objects:
        if not obj.params.get("use_transport"):
            continue
        centre = graph.centre(obj.name)
        if not centre:
            continue
        ref = centre[0]
        team = [ref] if ref in speeds else [m for m in graph.outputs(ref) if m in speeds] if kinds.get(ref) == "dispatcher" else []
        if team:
            result[obj.name] = min(speeds[m] for m in team)
    return result


def _transport_leg(obj: GraphObject, nxt: GraphObject, speed: float | None) -> float:
    """Seconds a transport from ``obj`` to ``nxt`` takes: the helper comes, then carries."""
    if speed is None or speed <= 0:
        return 0.0
    return 2 * math.dist(obj.position, nxt.position) / speed
