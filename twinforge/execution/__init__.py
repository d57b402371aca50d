"""twinforge's own executable check for FlexScript (not FlexSim): parse, build, simulate.

FlexSim is proprietary, so twinforge carries an approximation: a lark parser for the subset of
FlexScript that model-building scripts use, a sandboxed interpreter that builds a ``ModelGraph``,
and a SimPy simulation of that graph. See docs/execution.md for what differs from FlexSim.
"""

from pathlib import Path

from twinforge.compiled import ensure_fresh

ensure_fresh(Path(__file__).parent)  # before an import below loads a compiled module older than its .py

from twinforge.execution.check import (
    CHECK_VERSION,
    ExecutionResult,
    build_graph,
    check_graph,
    check_script,
    validate_file,
)
from twinforge.execution.errors import OUTCOMES, ScriptError
from twinforge.execution.graph import (
    GraphConnection,
    GraphObject,
    ModelGraph,
    graph_differences,
    graph_from_spec,
    graph_to_spec_data,
    simulated_model,
)
from twinforge.execution.limits import Limits
from twinforge.execution.simulation import simulate

__all__ = [
    "CHECK_VERSION", "OUTCOMES", "ExecutionResult", "GraphConnection", "GraphObject", "Limits", "ModelGraph", "ScriptError",
    "build_graph", "check_graph", "check_script", "graph_differences", "graph_from_spec", "graph_to_spec_data",
    "simulate", "simulated_model", "validate_file",
]
