"""The executable check: parse, build a ``ModelGraph``, simulate, and classify the outcome.

This is twinforge's executor, an approximation of FlexSim (which is proprietary and was never
run here): a script that passes may still fail in FlexSim, and the reverse. See docs/execution.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twinforge.collector import fewer_collections
from twinforge.execution.errors import (
    BUILD_ERROR,
    NO_THROUGHPUT,
    OK,
    PARSE_ERROR,
    RUNTIME_ERROR,
    ScriptError,
    SimulationError,
)
from twinforge.execution.graph import ModelGraph, graph_from_build
from twinforge.execution.horizon import RunLength, run_length
from twinforge.execution.limits import Limits
from twinforge.execution.sandbox import run_script
from twinforge.execution.simulation import simulate

CHECK_VERSION = "2"
"""Version of what the check gives a script and seed (outcome, message, KPIs): bump it with any
change that moves them, so ``generate --reuse`` re-runs the check instead of copying old results."""

YOUNG_OBJECTS = 5_000
"""The cycle collector's first threshold during a check (Python's default is 700): compiling a
script's new statements makes thousands of closures that the statement cache keeps, and at the
default the collector ran about 1.5 times per check, scanning them and moving them on to older
generations to be scanned again there."""


@dataclass
class ExecutionResult:
    """How a script fared: ``outcome`` in ``OUTCOMES``, a message naming the line or object, the
    built graph (when the build succeeded) and the KPIs (when the simulation ran)."""

    outcome: str
    message: str
    graph: ModelGraph | None = None
    kpis: dict[str, Any] = field(default_factory=dict)
    line: int | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == OK


def build_graph(code: str, limits: Limits | None = None) -> ModelGraph:
    """Parse and run a build script into a ``ModelGraph`` (no simulation); raises ``ScriptError``."""
    limits = limits or Limits()
    try:
        hooks = run_script(code, limits)
    except RecursionError:
        raise ScriptError(BUILD_ERROR, "the script nests too deeply") from None
    return graph_from_build(hooks.objects, hooks.connections, hooks.printed)


def default_horizon(graph: ModelGraph) -> float:
    """Simulated seconds a check runs ``graph`` for, warm-up included (``horizon.run_length``)."""
    return run_length(graph).horizon_s


def check_script(code: str, *, horizon_s: float | None = None, seed: int = 0, limits: Limits | None = None,
                 warmup_s: float | None = None) -> ExecutionResult:
    """Run the whole check on ``code``; never raises for anything the script does.

    ``horizon_s=None`` simulates for ``horizon.run_length(graph)`` (a warm-up, then the window
    the KPIs cover); a given ``horizon_s`` is measured from ``warmup_s`` (default 0) on."""
    limits = limits or Limits()
    with fewer_collections(YOUNG_OBJECTS):
        try:
            graph = build_graph(code, limits)
        except ScriptError as error:
            return ExecutionResult(error.outcome, str(error), line=error.line)
        return check_graph(graph, horizon_s=horizon_s, seed=seed, limits=limits, warmup_s=warmup_s)


def check_graph(graph: ModelGraph, *, horizon_s: float | None = None, seed: int = 0,
                limits: Limits | None = None, warmup_s: float | None = None) -> ExecutionResult:
    """Simulate a built graph and classify the result (``horizon_s=None``: ``run_length(graph)``)."""
    limits = limits or Limits()
    run = run_length(graph) if horizon_s is None else RunLength(warmup_s or 0.0, horizon_s)
    horizon_s = run.horizon_s
    kinds = {obj.kind for obj in graph.objects}
    for needed in ("source", "sink"):
        if needed not in kinds:
            return ExecutionResult(NO_THROUGHPUT, f"the model has no {needed.capitalize()}, so no item can "
                                   "reach a sink", graph)
    try:
        report = simulate(graph, horizon_s=horizon_s, seed=seed, warmup_s=run.warmup_s,
                          max_events=limits.max_events, max_seconds=limits.max_sim_seconds)
    except SimulationError as error:
        return ExecutionResult(RUNTIME_ERROR, str(error), graph)
    span = f"{horizon_s:,.0f} simulated seconds ({horizon_s / 3600:.3g} h)"
    if report.deadlock_at is not None:
        where = f"; items are stuck in {', '.join(report.stuck[:6])}" if report.stuck else ""
        message = f"the line deadlocked at t = {report.deadlock_at:.1f} s: nothing can move{where}"
        outcome = NO_THROUGHPUT if report.items_out == 0 else RUNTIME_ERROR
        if outcome == NO_THROUGHPUT:
            message = f"no item reached a sink: {message}"
        return ExecutionResult(outcome, message, graph, report.kpis)
    if report.items_out == 0:
        return ExecutionResult(NO_THROUGHPUT, f"no item reached a sink in {span}", graph,
                               report.kpis)
    return ExecutionResult(OK, f"{report.items_out} items reached a sink in {span}", graph,
                           report.kpis)


MAX_FILE_BYTES = 1_000_000


def validate_file(path: str | Path, *, horizon_s: float | None = None, seed: int = 0) -> dict[str, Any]:
    """The JSON record ``twinforge validate`` prints for one file (never raises for bad content)."""
    path = Path(path)
    record: dict[str, Any] = {"file": str(path), "outcome": PARSE_ERROR, "message": "", "objects": [],
                              "connections": [], "kpis": {}}
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        record["message"] = f"cannot read the file: {error.strerror or error}"
        return record
    if len(data) > MAX_FILE_BYTES:
        record["message"] = f"the file is larger than {MAX_FILE_BYTES:,} bytes; not a model-building script"
        return record
    try:
        code = data.decode("utf-8")
    except UnicodeDecodeError as error:
        record["message"] = f"not UTF-8 text (invalid byte at offset {error.start})"
        return record
    if "\0" in code:
        record["message"] = f"binary content (a NUL character at offset {code.index(chr(0))})"
        return record
    if not code.strip():
        record["message"] = "the file is empty"
        return record
    result = check_script(code, horizon_s=horizon_s, seed=seed)
    record.update(outcome=result.outcome, message=result.message, kpis=result.kpis)
    if result.graph is not None:
        record["objects"] = [{"name": o.name, "class": o.cls} for o in result.graph.objects]
        record["connections"] = [{"from": c.from_, "to": c.to, "port": c.port} for c in result.graph.connections]
    return record
