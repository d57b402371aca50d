"""The executed mode: read a model from the ModelGraph that twinforge's interpreter builds.

A script is run by ``twinforge.execution`` (our FlexScript-subset interpreter, not FlexSim), so a
loop that creates and connects objects scores exactly like the explicit statements it stands for.
The same call gives the executable check's outcome, which is what ESR counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from twinforge.errors import UserError
from twinforge.metrics.statements import Statements
from twinforge.metrics.values import python_value

EXECUTOR_UNAVAILABLE = "executor unavailable: twinforge.execution does not provide check_script and graph_from_spec"


@dataclass(frozen=True)
class Execution:
    """The executable check of one script: its outcome and what it built (empty if nothing)."""

    outcome: str
    message: str
    statements: Statements
    reused: bool = False


def _executor() -> Any:
    try:
        from twinforge import execution
    except ImportError as error:
        raise UserError(f"{EXECUTOR_UNAVAILABLE} ({error})") from None
    if not all(hasattr(execution, name) for name in ("check_script", "build_graph", "graph_from_spec", "ScriptError")):
        raise UserError(EXECUTOR_UNAVAILABLE)
    return execution


def executor_available() -> bool:
    """Whether the interpreter is installed with the functions this mode needs."""
    try:
        _executor()
    except UserError:
        return False
    return True


def execute(code: str, seed: int = 0, known_outcome: str | None = None) -> Execution:
    """Run the executable check on ``code``; keep the outcome and the graph it built, if any.

    ``known_outcome`` is the stored outcome of this exact script under the same check (the
    corpus's ``exec_outcome`` of an identical reference, checked with the same seed and horizon):
    the script is then only built, for its graph, and the simulation is not repeated.
    """
    executor = _executor()
    if known_outcome is not None:
        try:
            graph = executor.build_graph(code)
        except executor.ScriptError as error:
            return Execution(error.outcome, str(error), Statements())
        return Execution(known_outcome, "stored outcome of the identical reference script",
                         statements_from_graph(graph), reused=True)
    result = executor.check_script(code, seed=seed)
    graph = result.graph
    statements = statements_from_graph(graph) if graph is not None else Statements()
    return Execution(result.outcome, result.message, statements)


def reference_statements(spec_data: dict[str, Any]) -> Statements:
    """The reference model as the interpreter represents it, built straight from the spec."""
    from twinforge.schemas import load_spec

    return statements_from_graph(_executor().graph_from_spec(load_spec(spec_data)))


def statements_from_graph(graph: Any) -> Statements:
    """Objects (name -> FlexSim class), connections and parameters of a ModelGraph.

    Parameters are the graph's spec-level ``params`` (``process_time``, ``max_content``, ...):
    every parameter of every object, with the interpreter's assumed FlexSim defaults where a
    script leaves one unset. Positions are not parameters (the paper does not score them).
    """
    result = Statements()
    for obj in graph.objects:
        result.objects[obj.name] = obj.cls
        for param, value in obj.params.items():
            result.parameters[(obj.name, param)] = python_value(value)
    result.connections.extend((c.from_, c.to, c.port) for c in graph.connections)
    return result
