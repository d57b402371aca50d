"""How a text prompt states the item flow: chains, single edges, fan-outs and fan-ins.

Every ``A`` flow connection of the spec is covered by exactly one statement, in a form the
fidelity checker reads back (names joined by a flow word or arrow in one sentence).
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Literal

import numpy as np

from twinforge.schemas import FactorySpec


@dataclass(frozen=True)
class RouteStatement:
    """``chain``: a path a -> b -> c; ``edge``: a -> b; ``fanout``: a -> each of rest; ``fanin``: each of
    the first names -> the last."""

    kind: Literal["chain", "edge", "fanout", "fanin"]
    names: tuple[str, ...]


def flow_edges(spec: FactorySpec) -> list[tuple[str, str]]:
    """Item-flow edges in statement order."""
    return [(c.from_, c.to) for c in spec.flow_connections()]


def flow_order(spec: FactorySpec) -> list[str]:
    """Flow objects in the order items meet them (breadth first from the sources)."""
    successors: dict[str, list[str]] = defaultdict(list)
    for a, b in flow_edges(spec):
        successors[a].append(b)
    starts = [obj.name for obj in spec.objects if obj.kind == "source"]
    seen, todo = list(starts), deque(starts)
    while todo:
        for nxt in successors[todo.popleft()]:
            if nxt not in seen:
                seen.append(nxt)
                todo.append(nxt)
    return seen + [obj.name for obj in spec.flow_objects if obj.name not in seen]


def _chains(edges: list[tuple[str, str]]) -> list[RouteStatement]:
    remaining = list(edges)
    statements = []
    while remaining:
        start = next((e for e in remaining if not any(f[1] == e[0] for f in remaining)), remaining[0])
        remaining.remove(start)
        path = list(start)
        while (nxt := next((e for e in remaining if e[0] == path[-1]), None)) is not None:
            remaining.remove(nxt)
            path.append(nxt[1])
        statements.append(RouteStatement("chain" if len(path) > 2 else "edge", tuple(path)))
    return statements


def _edges(edges: list[tuple[str, str]], rng: np.random.Generator) -> list[RouteStatement]:
    successors: dict[str, list[str]] = defaultdict(list)
    predecessors: dict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        successors[a].append(b)
        predecessors[b].append(a)
    used: set[tuple[str, str]] = set()
    statements = []
    for target, sources in predecessors.items():
        if len(sources) > 1 and all(len(successors[s]) == 1 for s in sources) and rng.random() < 0.6:
            statements.append(RouteStatement("fanin", (*sources, target)))
            used.update((s, target) for s in sources)
    for source, targets in successors.items():
        rest = [t for t in targets if (source, t) not in used]
        if len(rest) > 1 and rng.random() < 0.75:
            statements.append(RouteStatement("fanout", (source, *rest)))
        else:
            statements += [RouteStatement("edge", (source, t)) for t in rest]
    return statements


def route_plan(spec: FactorySpec, style: str, rng: np.random.Generator) -> list[RouteStatement]:
    """Statements covering every flow edge; ``style`` is ``chain`` (paths) or ``edges`` (one per node)."""
    edges = flow_edges(spec)
    return _chains(edges) if style == "chain" else _edges(edges, rng)
