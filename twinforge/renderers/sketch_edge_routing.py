"""How each connection runs: border to border, bent around glyphs it would cross, sampled every few px.

A straight line is tried first, then sideways bends of growing sagitta (``BENDS``); the samples
along the chosen line are what label placement avoids covering. Part of
:func:`twinforge.renderers.sketch_layout.layout_sketch`.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from functools import cache
from typing import NamedTuple

import numpy as np

from twinforge.renderers.sketch_geometry import Box, EdgePlacement, GlyphPlacement
from twinforge.schemas import Connection, FactorySpec

BENDS = (0.9, -0.9, 1.6, -1.6, 2.4, -2.4, 3.4, -3.4)
"""Sagittas (in glyph sizes) tried in turn when a straight connection would cross a glyph; dashed S
lines try only the first four (a wide arc of dashes across the sketch reads worse than a crossing)."""
SAMPLE_STEP = 5.0
"""Spacing in px of the points sampled along each connection (for crossing and covering checks)."""
CROSS_SHRINK = 2.0
"""A connection crosses a glyph when one of its samples lies this many px inside the glyph's box."""


class _End(NamedTuple):
    """A glyph as a connection end: centre, outline (half sizes, round or not) and its turn."""

    x: float
    y: float
    half_w: float
    half_h: float
    round: bool
    cos: float
    sin: float


def _end(glyph: GlyphPlacement) -> _End:
    angle = math.radians(glyph.rotation)
    return _End(glyph.cx, glyph.cy, glyph.half_w, glyph.half_h, glyph.round, math.cos(angle), math.sin(angle))


def _exit_distance(end: _End, dx: float, dy: float) -> float:
    """Distance from the glyph centre to its outline along the unit vector (dx, dy).

    (0, 0) is no direction: two glyphs on the same spot (pushed into one corner of a canvas hardly
    larger than its margins). Then the larger half size stands in, so the connection is a point
    rather than an infinite or undefined line.
    """
    if end.round:
        return end.half_w
    cos, sin = end.cos, end.sin
    along, across = abs(cos * dx + sin * dy), abs(-sin * dx + cos * dy)
    if along <= 1e-9 and across <= 1e-9:
        return max(end.half_w, end.half_h)
    return min(end.half_w / along if along > 1e-9 else math.inf,
               end.half_h / across if across > 1e-9 else math.inf)


InnerBox = tuple[float, float, float, float]
"""A glyph box shrunk by ``CROSS_SHRINK`` (x0, y0, x1, y1): a connection crossing it crosses the glyph."""


class _Route(NamedTuple):
    """Where one connection runs (its control point, if any, rounded as drawn), before it is sampled."""

    conn: Connection
    start: tuple[float, float]
    end: tuple[float, float]
    control: tuple[float, float] | None


def route_edges(spec: FactorySpec, glyphs: tuple[GlyphPlacement, ...], size: float,
                kinds: list[tuple[str, ...]], keep_out: Box | None = None) -> tuple[EdgePlacement, ...]:
    """One edge per connection, drawn as its ``kinds``; bent when a straight line would cross
    another glyph or the ``keep_out`` box (the legend).

    The chosen routes are sampled together at the end, in one set of array operations.
    """
    ends = [_end(g) for g in glyphs]
    index = {g.name: i for i, g in enumerate(glyphs)}
    inner = [(g.box.x0 + CROSS_SHRINK, g.box.y0 + CROSS_SHRINK, g.box.x1 - CROSS_SHRINK, g.box.y1 - CROSS_SHRINK)
             for g in glyphs]
    extra = [] if keep_out is None else [(keep_out.x0, keep_out.y0, keep_out.x1, keep_out.y1)]
    pair_total: dict[frozenset[str], int] = defaultdict(int)
    for conn in spec.connections:
        pair_total[frozenset((conn.from_, conn.to))] += 1
    pair_seen: dict[frozenset[str], int] = defaultdict(int)
    routes = []
    for conn in spec.connections:
        pair = frozenset((conn.from_, conn.to))
        rank, total = pair_seen[pair], pair_total[pair]
        pair_seen[pair] += 1
        sign = 1.0 if conn.from_ < conn.to else -1.0
        first = sign * (rank - (total - 1) / 2) * 0.9 * size if total > 1 else 0.0
        low, high = sorted((index[conn.from_], index[conn.to]))
        others = inner[:low] + inner[low + 1:high] + inner[high + 1:] if low < high else inner[:low] + inner[low + 1:]
        routes.append(_route_one(conn, ends[index[conn.from_]], ends[index[conn.to]], first, others + extra, size))
    return tuple(EdgePlacement(source=r.conn.from_, target=r.conn.to, port=r.conn.port, kinds=kind, start=r.start,
                               end=r.end, control=r.control, samples=samples)
                 for r, kind, samples in zip(routes, kinds, _sample_all(routes)))


def _route_one(conn: Connection, a: _End, b: _End, first_bend: float,
               obstacles: list[InnerBox], size: float) -> _Route:
    """The first of the straight line and the bends in ``BENDS`` that crosses none of ``obstacles``,
    else the first of those crossing least (with the fewest samples inside a box).

    The straight line and the first bend are checked one by one, mostly without sampling. When
    both cross, the other bends are laid out at once: those before the first with no glyph box
    near it are sampled and counted together (all of them, when every bend has a box near).
    """
    reach = BENDS if conn.port == "A" else BENDS[:4]
    bends = [first_bend] + [first_bend + k * size for k in reach]
    routes, nears = [], []
    for bend in bends[:2]:
        route = _route(conn, a, b, bend)
        near = _boxes_near(route, obstacles)
        if not _crosses(route, near):
            return route
        routes.append(route)
        nears.append(near)
    routes += [_route(conn, a, b, bend) for bend in bends[2:]]
    nears += [_boxes_near(route, obstacles) for route in routes[2:]]
    clear = next((k for k in range(2, len(routes)) if not nears[k]), None)
    if clear is not None:
        counts = _crossing_counts(routes[2:clear], nears[2:clear])
        return routes[2 + counts.index(0)] if 0 in counts else routes[clear]
    counts = _crossing_counts(routes, nears)
    return routes[counts.index(min(counts))]


def _route(conn: Connection, a: _End, b: _End, bend: float) -> _Route:
    """The line from glyph ``a`` to glyph ``b`` (border to border), bent sideways by ``bend`` px."""
    ax, ay, bx, by = a.x, a.y, b.x, b.y
    length = math.hypot(bx - ax, by - ay)
    ux, uy = ((bx - ax) / length, (by - ay) / length) if length > 1e-9 else (1.0, 0.0)
    control = None
    if abs(bend) > 1e-9:
        control = ((ax + bx) / 2 - uy * 2 * bend, (ay + by) / 2 + ux * 2 * bend)
    ahead = control or (bx, by)
    behind = control or (ax, ay)
    out_x, out_y = _unit(ahead[0] - ax, ahead[1] - ay)
    in_x, in_y = _unit(behind[0] - bx, behind[1] - by)
    out = _exit_distance(a, out_x, out_y) + 2.5
    into = _exit_distance(b, in_x, in_y) + 3.0
    start = (round(ax + out_x * out, 2), round(ay + out_y * out, 2))
    end = (round(bx + in_x * into, 2), round(by + in_y * into, 2))
    if control is not None:
        control = (round(control[0], 2), round(control[1], 2))
    return _Route(conn, start, end, control)


def _sample_count(route: _Route) -> int:
    """Intervals between the samples of ``route``: one per ``SAMPLE_STEP`` px of its chord, at least 4."""
    return max(4, int(math.hypot(route.end[0] - route.start[0], route.end[1] - route.start[1]) / SAMPLE_STEP))


def _sample(route: _Route) -> np.ndarray:
    """Points along one route as (x, y) rows; the same numbers :func:`_sample_rows` gives for it."""
    weights = _bezier_weights(_sample_count(route))
    if route.control is None:
        return route.start + np.subtract(route.end, route.start) * weights[:, 0:1]
    return (weights[:, 1:2] * route.start + weights[:, 2:3] * np.array(route.control)
            + weights[:, 3:4] * np.array(route.end))


def _sample_rows(routes: list[_Route]) -> tuple[np.ndarray, list[int]]:
    """Points along all ``routes`` as (x, y) rows, route after route, and how many each has.

    One set of array operations for all routes (on x and on y), row for row the arithmetic of
    :func:`_sample`: start + (end - start) t on a straight line, (1-t)^2 start + 2(1-t)t control +
    t^2 end on a curve.
    """
    counts = [_sample_count(route) + 1 for route in routes]
    t, from_start, from_control, from_end = np.concatenate([_bezier_weights(count - 1) for count in counts]).T
    coords = np.array([(*route.start, *route.end, *(route.control or route.start)) for route in routes])
    coords = coords.repeat(counts, axis=0).T
    curved = np.array([route.control is not None for route in routes]).repeat(counts)
    rows = np.empty((len(t), 2))
    for axis in (0, 1):
        start, end, control = coords[axis], coords[axis + 2], coords[axis + 4]
        rows[:, axis] = np.where(curved, from_start * start + from_control * control + from_end * end,
                                 start + (end - start) * t)
    return rows, counts


def _sample_all(routes: list[_Route]) -> list[np.ndarray]:
    """Points along each route as (x, y) rows (views into one array)."""
    if not routes:
        return []
    rows, counts = _sample_rows(routes)
    return [rows[low:high] for low, high in itertools.pairwise(itertools.accumulate(counts, initial=0))]


@cache
def _bezier_weights(steps: int) -> np.ndarray:
    """Rows (t, (1-t)^2, 2(1-t)t, t^2) for ``steps + 1`` sample parameters t from 0 to 1 (the
    quadratic Bezier weights); cached because every sketch needs the same few lengths."""
    t = np.linspace(0.0, 1.0, steps + 1)[:, None]
    weights = np.hstack([t, (1 - t) ** 2, 2 * (1 - t) * t, t ** 2])
    weights.flags.writeable = False
    return weights


@cache
def _sample_params(steps: int) -> list[float]:
    """The sample parameters t of :func:`_bezier_weights` as plain floats."""
    return _bezier_weights(steps)[:, 0].tolist()


def _unit(dx: float, dy: float) -> tuple[float, float]:
    norm = max(math.hypot(dx, dy), 1e-9)
    return dx / norm, dy / norm


def _boxes_near(route: _Route, boxes: list[InnerBox]) -> list[InnerBox]:
    """The boxes that the rectangle around the route's start, end and control point meets. That
    rectangle holds the whole curve (widened by a hair for rounding), so only these boxes can hold
    a sample: a cheap exact shortcut, since most connections run between glyphs and meet none."""
    (start_x, start_y), (end_x, end_y) = route.start, route.end
    xs, ys = (start_x, end_x), (start_y, end_y)
    if route.control is not None:
        xs, ys = (*xs, route.control[0]), (*ys, route.control[1])
    x0, y0, x1, y1 = min(xs) - 1e-6, min(ys) - 1e-6, max(xs) + 1e-6, max(ys) + 1e-6
    return [box for box in boxes if x0 < box[2] and box[0] < x1 and y0 < box[3] and box[1] < y1]


def _crosses(route: _Route, boxes: list[InnerBox]) -> bool:
    """Whether a sample of ``route`` lies inside one of ``boxes`` (those near it).

    A straight route is mostly settled by geometry: a box wholly off its line holds no sample,
    and its sample nearest a box's centre, when inside, is a crossing. Only the rest is sampled.
    """
    if route.control is None:
        boxes = [box for box in boxes if not _off_line(route, box)]
        if any(_middle_sample_inside(route, box) for box in boxes):
            return True
    return bool(boxes) and bool(_inside_any(_sample(route), boxes).any())


def _off_line(route: _Route, box: InnerBox) -> bool:
    """Whether ``box`` lies wholly on one side of the straight route's line, clear of it by more
    than rounding could move a sample (1e-6 px)."""
    (x0, y0), (x1, y1) = route.start, route.end
    nx, ny = y0 - y1, x1 - x0
    sides = [nx * (x - x0) + ny * (y - y0) for x in (box[0], box[2]) for y in (box[1], box[3])]
    margin = 1e-6 * math.hypot(nx, ny)
    return min(sides) > margin or max(sides) < -margin


def _middle_sample_inside(route: _Route, box: InnerBox) -> bool:
    """Whether the straight route's sample nearest the middle of ``box`` lies inside it (computed
    with the same arithmetic as :func:`_sample`, so this settles a crossing exactly)."""
    (x0, y0), (x1, y1) = route.start, route.end
    dx, dy = x1 - x0, y1 - y0
    length2 = dx * dx + dy * dy
    if length2 == 0.0:
        return False
    steps = _sample_count(route)
    along = ((box[0] + box[2]) / 2 - x0) * dx + ((box[1] + box[3]) / 2 - y0) * dy
    t = _sample_params(steps)[min(max(round(along / length2 * steps), 0), steps)]
    x, y = x0 + dx * t, y0 + dy * t
    return box[0] < x < box[2] and box[1] < y < box[3]


def _crossing_counts(routes: list[_Route], nears: list[list[InnerBox]]) -> list[int]:
    """How many samples of each route lie inside one of the boxes near it (``nears``), all routes
    sampled at once.

    Each route's samples are tested against the boxes near any of the routes: a box not near a
    route holds none of its samples, so the counts are those of each route on its own.
    """
    boxes = list(dict.fromkeys(itertools.chain.from_iterable(nears)))
    if not boxes:
        return [0] * len(routes)
    rows, counts = _sample_rows(routes)
    starts = list(itertools.accumulate(counts[:-1], initial=0))
    return np.add.reduceat(_inside_any(rows, boxes), starts, dtype=int).tolist()


def _inside_any(points: np.ndarray, boxes: list[InnerBox]) -> np.ndarray:
    """Whether each point (x, y row) lies strictly inside at least one of ``boxes``."""
    x, y = points[:, 0:1], points[:, 1:2]
    x0, y0, x1, y1 = np.array(boxes).T
    return ((x > x0) & (x < x1) & (y > y0) & (y < y1)).any(axis=1)
