"""The largest specs the schema allows: most objects, most connections, longest names, extreme positions.

Used to check that the sketch of any valid spec stays bounded in time and size. A chain of
processors fed by one source and drained by one sink carries the A connections; robots
S-connected to the processors fill the object count; extra A links between processors fill the
connection count. ``arrangement`` decides the floor positions:

- ``spread``: a square grid over the whole bounded floor (corner to corner);
- ``cluster``: two objects on opposite corners, all others a millimetre apart near the centre,
  so the canvas scale is tiny and every glyph and label has to be pushed and searched for;
- ``line``: one long row from one edge of the floor to the other.
"""

from __future__ import annotations

import itertools
import math
from typing import Literal

from twinforge.schemas import FactorySpec, load_spec
from twinforge.schemas.objects import MAX_COORDINATE_M, MAX_NAME_LENGTH
from twinforge.schemas.spec import MAX_CONNECTIONS, MAX_OBJECTS

Arrangement = Literal["spread", "cluster", "line"]


def _name(prefix: str, index: int) -> str:
    """A name of the largest allowed length, in the widest letters (the largest label boxes)."""
    return f"{prefix} {index:03d} ".ljust(MAX_NAME_LENGTH, "W")


def _positions(count: int, arrangement: Arrangement) -> list[list[float]]:
    edge = MAX_COORDINATE_M
    if arrangement == "line":
        return [[-edge + 2 * edge * i / (count - 1), 0.0, 0.0] for i in range(count)]
    if arrangement == "cluster":
        side = math.ceil(math.sqrt(count - 2))
        near = [[0.001 * (i % side), 0.001 * (i // side), 0.0] for i in range(count - 2)]
        return [[-edge, -edge, 0.0], *near, [edge, edge, edge]]
    side = math.ceil(math.sqrt(count))
    step = 2 * edge / (side - 1)
    return [[-edge + step * (i % side), -edge + step * (i // side), 0.0] for i in range(count)]


def largest_spec_data(arrangement: Arrangement = "spread", objects: int = MAX_OBJECTS,
                      connections: int = MAX_CONNECTIONS) -> dict:
    """A valid serialised spec with ``objects`` objects and ``connections`` connections."""
    robots = (objects - 2) // 2
    processors = objects - 2 - robots
    time = {"family": "exponential", "mean": 30}
    items: list[dict] = [{"kind": "source", "name": _name("Source", 0), "inter_arrival": time}]
    items += [{"kind": "processor", "name": _name("Processor", i), "process_time": time, "use_operator": True}
              for i in range(processors)]
    items += [{"kind": "robot", "name": _name("Robot", i), "speed": 2} for i in range(robots)]
    items.append({"kind": "sink", "name": _name("Sink", 0)})
    for item, position in zip(items, _positions(len(items), arrangement)):
        item["position"] = position
    source, sink = items[0]["name"], items[-1]["name"]
    names = [item["name"] for item in items[1:1 + processors]]
    links = [(source, names[0], "A"), *((a, b, "A") for a, b in itertools.pairwise(names)), (names[-1], sink, "A")]
    links += [(items[1 + processors + i]["name"], names[i % processors], "S") for i in range(robots)]
    extra = ((names[i], names[j], "A") for gap in range(2, processors) for i in range(processors - gap)
             for j in (i + gap,))
    while len(links) < connections:
        links.append(next(extra))
    return {
        "industry": "electronics", "automation": "robot", "layout": "linear", "line_type": "workstation",
        "objects": items,
        "connections": [{"from": a, "to": b, "port": port} for a, b, port in links[:connections]],
    }


def largest_spec(arrangement: Arrangement = "spread") -> FactorySpec:
    """:func:`largest_spec_data` validated."""
    return load_spec(largest_spec_data(arrangement))
