"""The package's arrows run one way: cli -> pipeline -> families -> renderers/execution/metrics -> distributions -> schemas.

Every import counts, including those inside functions. The engine (``pipeline/``) may use the
family registry and protocol (``twinforge.families``, ``families.base``) but no family package,
and nothing below ``families/`` may import ``pipeline/`` or ``families/``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "twinforge"
RANKS = {"cli": 6, "pipeline": 5, "families": 4, "renderers": 3, "execution": 3, "metrics": 3,
         "distributions": 2, "schemas": 1}
LEAVES = {"twinforge", "twinforge.collector", "twinforge.compiled", "twinforge.errors", "twinforge.seeding"}
"""Modules with no twinforge imports of their own that any layer may use."""
ENGINE_FAMILY_API = {"twinforge.families", "twinforge.families.base"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the twinforge modules it imports (anywhere in its body)."""
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("twinforge"):
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    targets.add(full if full in modules else node.module)
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names if alias.name.startswith("twinforge"))
        graph[name] = {target for target in targets if target != name}
    return graph


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else module


GRAPH = import_graph()


def test_every_module_sits_in_a_known_layer():
    unknown = sorted(m for m in GRAPH if m not in LEAVES and layer(m) not in RANKS and layer(m) != "templates")
    assert not unknown


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_point_down_never_up(module: str):
    if module in LEAVES:
        assert not GRAPH[module], f"{module} is a leaf and must import nothing of twinforge"
        return
    upward = [target for target in GRAPH[module]
              if target not in LEAVES and layer(target) != layer(module) and RANKS[layer(target)] > RANKS[layer(module)]]
    assert not upward, f"{module} imports a higher layer: {upward}"


def test_the_engine_imports_no_family_package():
    offenders = {m: sorted(t for t in targets if layer(t) == "families" and t not in ENGINE_FAMILY_API)
                 for m, targets in GRAPH.items() if layer(m) in ("pipeline",)}
    assert not {m: t for m, t in offenders.items() if t}


def test_below_families_nothing_imports_pipeline_or_families():
    below = [m for m in GRAPH if m not in LEAVES and RANKS.get(layer(m), 0) < RANKS["families"]]
    offenders = {m: sorted(t for t in GRAPH[m] if layer(t) in ("pipeline", "families")) for m in below}
    assert not {m: t for m, t in offenders.items() if t}


def test_no_import_cycle():
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        stack.append(module)
        for target in sorted(GRAPH.get(module, ())):
            if state.get(target) == 1:
                return stack[stack.index(target):] + [target]
            if target in GRAPH and not state.get(target):
                cycle = visit(target)
                if cycle:
                    return cycle
        stack.pop()
        state[module] = 2
        return None

    for module in sorted(GRAPH):
        if not state.get(module):
            cycle = visit(module)
            assert cycle is None, " -> ".join(cycle)


def test_the_engine_names_no_family_and_no_family_column():
    words = ("factory", "flexscript", "sketch_png", "spec_hash", "exec_outcome", "prompt_mode")
    found = {path.name: [w for w in words if re.search(rf"\b{w}\b", path.read_text(encoding="utf-8").lower())]
             for path in (PACKAGE / "pipeline").glob("*.py")}
    assert not {name: hits for name, hits in found.items() if hits}
