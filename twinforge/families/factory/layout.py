"""Floor geometry for sampled lines: where the source, the stations and the sink stand.

A line is a path ``source -> stations -> sink`` whose consecutive points are ``lengths`` metres
apart. Each layout folds that path differently, so every (layout, line type) pair looks different:

- ``linear``: one straight row along +x.
- ``u_shaped``: the path runs out along +x, turns, and comes back along -x one aisle lower, so the
  sink ends up beside the source. Resources stand inside the U, container sources outside.
- ``parallel``: 2-3 identical rows stacked along -y, fed by one source and emptied into one sink,
  both on the middle row's axis.
- ``conveyor``: an L: a long infeed conveyor climbs along +y from the source to the first
  station, the stations run along +x, and a long outfeed conveyor carries on to the sink.

Each station also gets a frame: the flow direction and the sides on which resources and
container sources stand, so those never sit on the flow path.
"""

from __future__ import annotations

from dataclasses import dataclass

from twinforge.schemas.enums import Layout

Point = tuple[float, float]

ROW_SPACING_PARALLEL = 12.0
"""Distance between parallel rows: room for container sources on one side and resources on the other."""
MIN_AISLE_U = 10.0
"""Minimum distance between the two arms of a U (resources stand in the aisle between them)."""
CONTAINER_OFFSET = 3.0
RESOURCE_OFFSET = 4.0
RESOURCE_OFFSET_L = 6.0
"""In the L layout resources stand behind the container sources (the infeed leg is on the other side)."""


@dataclass(frozen=True)
class Frame:
    """Where things stand around a station: flow direction and side offsets (unit vectors times metres)."""

    tangent: Point
    resource_side: Point
    container_side: Point


@dataclass(frozen=True)
class LineGeometry:
    """Positions of the shared source and sink and of every station of every line."""

    source: Point
    sink: Point
    stations: tuple[tuple[Point, ...], ...]
    frames: tuple[tuple[Frame, ...], ...]
    rows: tuple[tuple[int, ...], ...]
    """Row index of each station (robots do not reach across rows)."""


_ALONG_X = Frame((1.0, 0.0), (0.0, -RESOURCE_OFFSET), (0.0, CONTAINER_OFFSET))
_BACK_ALONG_X = Frame((-1.0, 0.0), (0.0, RESOURCE_OFFSET), (0.0, -CONTAINER_OFFSET))
_L_ROW = Frame((1.0, 0.0), (0.0, RESOURCE_OFFSET_L), (0.0, CONTAINER_OFFSET))


def place(layout: Layout, lengths: list[float], lines: int) -> LineGeometry:
    """Place a path with ``len(lengths) - 1`` stations; ``lines`` > 1 only for ``parallel``."""
    if len(lengths) < 2:
        raise ValueError("a line needs at least one station (two link lengths)")
    if layout is Layout.LINEAR:
        return _linear(lengths)
    if layout is Layout.U_SHAPED:
        return _u_shaped(lengths)
    if layout is Layout.PARALLEL:
        return _parallel(lengths, lines)
    return _l_shaped(lengths)


def _cumulative(lengths: list[float]) -> list[float]:
    total, out = 0.0, []
    for length in lengths:
        total += length
        out.append(total)
    return out


def _linear(lengths: list[float]) -> LineGeometry:
    xs = _cumulative(lengths)
    n = len(lengths) - 1
    return LineGeometry((0.0, 0.0), (xs[-1], 0.0), (tuple((x, 0.0) for x in xs[:n]),),
                        ((_ALONG_X,) * n,), ((0,) * n,))


def _u_shaped(lengths: list[float]) -> LineGeometry:
    points = len(lengths) + 1
    top = (points + 1) // 2
    aisle = max(lengths[top - 1], MIN_AISLE_U)
    xy: list[Point] = [(0.0, 0.0)]
    for index in range(1, points):
        x = xy[-1][0]
        if index < top:
            xy.append((x + lengths[index - 1], 0.0))
        elif index == top:
            xy.append((x, -aisle))
        else:
            xy.append((x - lengths[index - 1], -aisle))
    stations = tuple(xy[1:-1])
    frames = tuple(_ALONG_X if i < top else _BACK_ALONG_X for i in range(1, points - 1))
    rows = tuple(0 if i < top else 1 for i in range(1, points - 1))
    return LineGeometry(xy[0], xy[-1], (stations,), (frames,), (rows,))


def _parallel(lengths: list[float], lines: int) -> LineGeometry:
    xs = _cumulative(lengths)
    n = len(lengths) - 1
    middle = -(lines - 1) * ROW_SPACING_PARALLEL / 2
    rows_y = [-j * ROW_SPACING_PARALLEL for j in range(lines)]
    return LineGeometry(
        (0.0, middle), (xs[-1], middle),
        tuple(tuple((x, y) for x in xs[:n]) for y in rows_y),
        tuple((_ALONG_X,) * n for _ in rows_y),
        tuple((j,) * n for j in range(lines)),
    )


def _l_shaped(lengths: list[float]) -> LineGeometry:
    height = lengths[0]
    xs = [0.0, *_cumulative(lengths[1:])]
    n = len(lengths) - 1
    return LineGeometry((0.0, 0.0), (xs[-1], height), (tuple((x, height) for x in xs[:n]),),
                        ((_L_ROW,) * n,), ((0,) * n,))
