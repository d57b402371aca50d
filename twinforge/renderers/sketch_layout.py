"""Geometry of a layout sketch: where every glyph, connection and label goes on the canvas.

Pure computation, no SVG: the drawing step (``sketch.py``) only paints what this module decides,
and tests check the boxes here for overlaps without parsing SVG. The spec's floor positions
(x, y in metres, y up) are scaled to fit the canvas with margins and flipped to screen
coordinates (y down); objects closer than a glyph apart are pushed apart just enough to be seen.
Labels are placed by a small deterministic search over candidate spots around each glyph, so no
label covers another label or any glyph.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Literal, NamedTuple

import numpy as np

from twinforge.renderers.sketch_label_search import place_labels
from twinforge.renderers.sketch_text import text_height
from twinforge.schemas import Connection, FactorySpec

Style = Literal["clean", "hand"]


@dataclass(frozen=True)
class Box:
    """An axis-aligned screen rectangle in px (y down)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        """True when the interiors intersect (touching edges do not count)."""
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def inside(self, width: float, height: float) -> bool:
        return self.x0 >= 0 and self.y0 >= 0 and self.x1 <= width and self.y1 <= height


@dataclass(frozen=True)
class GlyphPlacement:
    """One object's glyph: centre, half sizes in its own frame, rotation (deg, clockwise) and screen box."""

    name: str
    kind: str
    cx: float
    cy: float
    half_w: float
    half_h: float
    rotation: float
    round: bool
    box: Box


@dataclass(frozen=True)
class EdgePlacement:
    """One connection drawn from glyph border to glyph border; ``control`` bends it (quadratic curve).

    ``samples`` are points along the drawn line, shape (n, 2), every few px.
    """

    source: str
    target: str
    port: Literal["A", "S"]
    start: tuple[float, float]
    end: tuple[float, float]
    control: tuple[float, float] | None
    samples: np.ndarray = field(compare=False, repr=False)


@dataclass(frozen=True)
class LabelPlacement:
    """One object's name: text centre, font size, rotation (deg) and the conservative screen box."""

    name: str
    cx: float
    cy: float
    font_size: float
    rotation: float
    box: Box
    leader: tuple[float, float, float, float] | None


@dataclass(frozen=True)
class Grid:
    """Square grid paper aligned to the floor origin: one cell is ``step_m`` metres along x, ``step_px`` px."""

    step_m: float
    step_px: float
    origin_x: float
    origin_y: float


@dataclass(frozen=True)
class SketchLayout:
    """Everything the drawing step needs; also what tests inspect."""

    width: int
    height: int
    style: Style
    scale: tuple[float, float]
    glyph_size: float
    grid: Grid
    glyphs: tuple[GlyphPlacement, ...]
    edges: tuple[EdgePlacement, ...]
    labels: tuple[LabelPlacement, ...]


GLYPH_EXTENT: dict[str, tuple[float, float, bool]] = {
    "source": (0.42, 0.42, True),
    "sink": (0.42, 0.42, True),
    "queue": (0.62, 0.3, False),
    "processor": (0.42, 0.42, False),
    "multiprocessor": (0.46, 0.42, False),
    "combiner": (0.46, 0.42, False),
    "separator": (0.46, 0.46, False),
    "conveyor": (0.6, 0.2, False),
    "dispatcher": (0.42, 0.4, False),
    "operator": (0.3, 0.46, False),
    "task_executer": (0.44, 0.36, False),
    "transporter": (0.46, 0.4, False),
    "robot": (0.4, 0.46, False),
    "agv": (0.46, 0.3, False),
}
"""Half width, half height (in glyph sizes, in the glyph's own frame) and whether the outline is round."""

ORIENTED_KINDS = frozenset({"conveyor", "combiner"})
"""Glyphs turned to face the item flow (a conveyor lies along it, a combiner's mouth faces its inputs)."""

MAX_STRETCH = 2.5
"""Largest ratio between the two axes' scales (flat layouts are stretched to use the canvas)."""
MAX_SPACING = 4.0
"""Sparse specs are not blown up: neighbours end at most this many glyph sizes apart (typically)."""

BENDS = (0.9, -0.9, 1.6, -1.6, 2.4, -2.4, 3.4, -3.4)
"""Sagittas (in glyph sizes) tried in turn when a straight connection would cross a glyph; dashed S
lines try only the first four (a wide arc of dashes across the sketch reads worse than a crossing)."""
SAMPLE_STEP = 5.0
"""Spacing in px of the points sampled along each connection (for crossing and covering checks)."""
CROSS_SHRINK = 2.0
"""A connection crosses a glyph when one of its samples lies this many px inside the glyph's box."""
S_LINE_WEIGHT = 0.12
"""A label over a dashed S line costs this fraction of one over a flow arrow."""

HAND_GLYPH_TILT = 4.0
HAND_LABEL_TILT = 2.5
"""Largest random rotation in degrees of glyphs and labels in the hand-drawn style."""


def layout_sketch(spec: FactorySpec, *, style: Style, rng: np.random.Generator,
                  size: tuple[int, int]) -> SketchLayout:
    """Place glyphs, connections and labels of ``spec`` on a ``size`` canvas (px)."""
    width, height = size
    count = len(spec.objects)
    hand = style == "hand"
    glyph_tilt = rng.uniform(-HAND_GLYPH_TILT, HAND_GLYPH_TILT, count) if hand else np.zeros(count)
    label_tilt = rng.uniform(-HAND_LABEL_TILT, HAND_LABEL_TILT, count) if hand else np.zeros(count)
    font_size = clip(min(width, height) / 32.0, 8.0, 13.0)
    base_glyph = clip(min(width, height) / 9.5, 16.0, 46.0)

    floor = _floor_points(spec)
    centres, scale, grid = _fit_to_canvas(floor, width, height, base_glyph, font_size)
    delta, dist = _pairwise(centres)
    glyph_size = _glyph_size(dist, base_glyph)
    kinds = [obj.kind for obj in spec.objects]
    radii = np.array([max(GLYPH_EXTENT[k][:2]) for k in kinds]) * glyph_size
    margin = np.array([glyph_size * 0.6 + 4, glyph_size * 0.6 + 4])
    centres = _separate(centres, delta, dist, radii, 0.3 * glyph_size, margin, width, height)

    glyphs = _glyphs(spec, centres, glyph_size, glyph_tilt, min(scale))
    edges = _route_edges(spec, glyphs, glyph_size)
    labels = place_labels(
        [g.name for g in glyphs], [_as_tuple(g.box) for g in glyphs], label_tilt, font_size,
        _weighted_samples(edges),
        [edge.end for edge in edges if edge.port == "A"],
        width, height, italic=hand,
    )
    placed = tuple(
        LabelPlacement(name=g.name, cx=lab.cx, cy=lab.cy, font_size=lab.font_size, rotation=float(tilt),
                       box=Box(*lab.box), leader=lab.leader)
        for g, lab, tilt in zip(glyphs, labels, label_tilt)
    )
    return SketchLayout(width=width, height=height, style=style, scale=scale, glyph_size=glyph_size,
                        grid=grid, glyphs=glyphs, edges=edges, labels=placed)


def clip(value: float, low: float, high: float) -> float:
    """``np.clip`` for one float, without numpy's overhead on scalars."""
    return min(max(value, low), high)


def _mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Mean of a few points, summed in order from 0.0 exactly as ``np.mean(points, axis=0)`` does."""
    sum_x = sum_y = 0.0
    for x, y in points:
        sum_x += x
        sum_y += y
    return sum_x / len(points), sum_y / len(points)


def _floor_points(spec: FactorySpec) -> np.ndarray:
    """Floor (x, y) per object where its glyph is centred: a conveyor's position is its start
    (FlexSim's StartLocation), so its glyph sits half its length along the way to what it feeds."""
    original = [(float(obj.position[0]), float(obj.position[1])) for obj in spec.objects]
    floor = list(original)
    index = {obj.name: i for i, obj in enumerate(spec.objects)}
    targets: dict[str, list[int]] = defaultdict(list)
    for conn in spec.flow_connections():
        targets[conn.from_].append(index[conn.to])
    for i, obj in enumerate(spec.objects):
        if obj.kind != "conveyor" or not targets[obj.name]:
            continue
        mean_x, mean_y = _mean([original[j] for j in targets[obj.name]])
        ahead_x, ahead_y = mean_x - original[i][0], mean_y - original[i][1]
        distance = float(np.hypot(ahead_x, ahead_y))
        if distance > 1e-9:
            reach = min(obj.length, distance)
            floor[i] = (original[i][0] + ahead_x / distance * reach / 2, original[i][1] + ahead_y / distance * reach / 2)
    return np.array(floor)


def _weighted_samples(edges: tuple[EdgePlacement, ...]) -> np.ndarray:
    """All edge samples as rows (x, y, weight): covering an S line matters less than covering an arrow."""
    if not edges:
        return np.zeros((0, 3))
    rows = np.empty((sum(len(e.samples) for e in edges), 3))
    rows[:, :2] = np.concatenate([e.samples for e in edges])
    weights = [1.0 if e.port == "A" else S_LINE_WEIGHT for e in edges]
    rows[:, 2] = np.array(weights).repeat([len(e.samples) for e in edges])
    return rows


def _as_tuple(box: Box) -> tuple[float, float, float, float]:
    return (box.x0, box.y0, box.x1, box.y1)


def _fit_to_canvas(floor: np.ndarray, width: int, height: int, glyph: float,
                   font_size: float) -> tuple[np.ndarray, tuple[float, float], Grid]:
    """Scale metres to px (largest scale that fits, capped), centre, flip y; square grid to match x.

    A flat layout (a long line with its resources just beside it) would leave most of the canvas
    empty, so either axis may be stretched up to ``MAX_STRETCH`` times the uniform scale: a sketch
    keeps order and topology, not exact aspect.
    """
    low, high = floor.min(axis=0).tolist(), floor.max(axis=0).tolist()
    span = [high[axis] - low[axis] for axis in (0, 1)]
    margin_x = glyph * 0.6 + 8
    margin_y = glyph * 0.6 + text_height(font_size) + 8
    room = [width - 2 * margin_x, height - 2 * margin_y]
    limits = [room[axis] / span[axis] for axis in (0, 1) if span[axis] > 1e-9]
    cap = MAX_SPACING * glyph / _typical_spacing(floor)
    uniform = min([*limits, cap])
    sx, sy = (min(room[axis] / span[axis] if span[axis] > 1e-9 else math.inf, cap, MAX_STRETCH * uniform)
              for axis in (0, 1))
    middle = [(low[axis] + high[axis]) / 2 for axis in (0, 1)]
    centres = np.column_stack([
        width / 2 + (floor[:, 0] - middle[0]) * sx,
        height / 2 - (floor[:, 1] - middle[1]) * sy,
    ])
    step_m = next((s for s in (0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0) if s * sx >= 14.0), 200.0)
    grid = Grid(step_m=step_m, step_px=step_m * sx,
                origin_x=width / 2 - middle[0] * sx, origin_y=height / 2 + middle[1] * sy)
    return centres, (sx, sy), grid


def _typical_spacing(floor: np.ndarray) -> float:
    """Median distance (m) from each object to its nearest distinct neighbour (4 m when undefined)."""
    if len(floor) < 2:
        return 4.0
    gaps = np.hypot(*(floor[:, None, :] - floor[None, :, :]).transpose(2, 0, 1))
    gaps[gaps < 1e-9] = np.inf
    nearest = gaps.min(axis=1)
    nearest = nearest[np.isfinite(nearest)]
    return float(np.median(nearest)) if len(nearest) else 4.0


def _pairwise(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Offsets (point i minus point j, shape (n, n, 2)) and distances between all pairs of points."""
    delta = points[:, None, :] - points[None, :, :]
    return delta, np.hypot(delta[..., 0], delta[..., 1])


def _glyph_size(dist: np.ndarray, base: float) -> float:
    """Shrink glyphs (down to 60 %) when most objects stand close together on the canvas (``dist``
    holds the distances between their centres).

    The lower quartile of nearest-neighbour distances decides, so one tight pair (a dispatcher
    beside its operator) does not shrink every glyph; ``_separate`` then nudges that pair apart.
    """
    if len(dist) < 2:
        return base
    gaps = dist.copy()
    np.fill_diagonal(gaps, np.inf)
    return clip(0.62 * float(np.percentile(gaps.min(axis=1), 25)), 0.6 * base, base)


def _separate(centres: np.ndarray, delta: np.ndarray, dist: np.ndarray, radii: np.ndarray, gap: float,
              margin: np.ndarray, width: int, height: int) -> np.ndarray:
    """Push apart glyphs closer than their radii plus ``gap`` (deterministic; stays inside the canvas).

    ``delta`` and ``dist`` are the :func:`_pairwise` offsets and distances of ``centres``.
    """
    points = centres
    count = len(points)
    need = radii[:, None] + radii[None, :] + gap
    upper = _upper_triangle(count)
    low, high = margin, np.array([width, height]) - margin
    for _ in range(120):
        deficit = np.where(upper, need - dist, 0.0)
        if deficit.max(initial=0.0) <= 1e-6:
            break
        tiny = dist < 1e-6
        direction = np.where(tiny[..., None], _fallback_directions(count), delta / np.maximum(dist, 1e-9)[..., None])
        direction /= np.maximum(np.hypot(direction[..., 0], direction[..., 1]), 1e-9)[..., None]
        push = np.clip(deficit, 0.0, None) * 0.52
        push = push + push.T
        points = np.clip(points + (direction * push[..., None]).sum(axis=1), low, high)
        delta, dist = _pairwise(points)
    return points


@cache
def _upper_triangle(count: int) -> np.ndarray:
    """Mask of the pairs (i, j) with j > i: each pair once."""
    mask = np.triu(np.ones((count, count), dtype=bool), k=1)
    mask.flags.writeable = False
    return mask


@cache
def _fallback_directions(count: int) -> np.ndarray:
    """Push directions (i, j) for glyphs on the same spot: apart along a golden-angle spiral."""
    index = np.arange(count)
    spread = np.stack([np.cos(index * 2.39996), np.sin(index * 2.39996)], axis=1)
    directions = spread[:, None, :] - spread[None, :, :] + 1e-3
    directions.flags.writeable = False
    return directions


def _flow_angles(spec: FactorySpec, centres: dict[str, tuple[float, float]]) -> dict[str, float]:
    """Screen angle (deg) of the item flow through each flow object: from its inputs towards its outputs."""
    inputs: dict[str, list[str]] = defaultdict(list)
    outputs: dict[str, list[str]] = defaultdict(list)
    for conn in spec.flow_connections():
        outputs[conn.from_].append(conn.to)
        inputs[conn.to].append(conn.from_)
    names, dx, dy = [], [], []
    for obj in spec.flow_objects:
        here = centres[obj.name]
        ahead = _mean([centres[n] for n in outputs[obj.name]]) if outputs[obj.name] else here
        behind = _mean([centres[n] for n in inputs[obj.name]]) if inputs[obj.name] else here
        names.append(obj.name)
        dx.append(ahead[0] - behind[0])
        dy.append(ahead[1] - behind[1])
    x, y = np.array(dx), np.array(dy)
    still = np.hypot(x, y) < 1e-6
    x[still], y[still] = 1.0, 0.0
    return dict(zip(names, np.degrees(np.arctan2(y, x)).tolist()))


def _glyphs(spec: FactorySpec, centres: np.ndarray, size: float, tilt: np.ndarray,
            scale: float) -> tuple[GlyphPlacement, ...]:
    points = [(x, y) for x, y in centres.tolist()]
    flow_angle = _flow_angles(spec, {obj.name: points[i] for i, obj in enumerate(spec.objects)})
    halves, rotations = [], []
    for i, obj in enumerate(spec.objects):
        half_w, half_h, _ = GLYPH_EXTENT[obj.kind]
        orient = 0.0
        if obj.kind in ORIENTED_KINDS:
            orient = 90.0 * round(flow_angle[obj.name] / 90.0)
        halves.append((half_w * size, half_h * size))
        rotations.append(orient + float(tilt[i]))
    radians = np.radians(rotations)
    turns = list(zip(np.cos(radians).tolist(), np.sin(radians).tolist()))
    placements = []
    for i, obj in enumerate(spec.objects):
        (half_w, half_h), (cos, sin), (x, y) = halves[i], turns[i], points[i]
        if obj.kind == "conveyor":
            half_w = _conveyor_half_length(i, obj.length * scale / 2, (cos, sin), points, halves, size)
        box = _rotated_box(x, y, half_w, half_h, abs(cos), abs(sin), pad=1.5)
        placements.append(GlyphPlacement(name=obj.name, kind=obj.kind, cx=x, cy=y, half_w=half_w, half_h=half_h,
                                         rotation=rotations[i], round=GLYPH_EXTENT[obj.kind][2], box=box))
    return tuple(placements)


def _conveyor_half_length(index: int, wanted: float, axis: tuple[float, float], points: list[tuple[float, float]],
                          halves: list[tuple[float, float]], size: float) -> float:
    """The conveyor's drawn half length: its scaled length, shortened so it stops short of its neighbours
    (whose glyphs reach ``halves``, unshortened, from their ``points``); ``axis`` is its direction."""
    ax, ay = axis
    cx, cy = points[index]
    limit = wanted
    for j, ((x, y), (half_w, half_h)) in enumerate(zip(points, halves)):
        if j == index:
            continue
        ox, oy = x - cx, y - cy
        along, across = abs(ox * ax + oy * ay), abs(ox * -ay + oy * ax)
        reach = max(half_w, half_h)
        if across < reach + 0.2 * size + 3:
            limit = min(limit, along - reach - 0.3 * size)
    return clip(limit, 0.45 * size, 3.0 * size)


def _rotated_box(x: float, y: float, half_w: float, half_h: float, cos: float, sin: float, pad: float) -> Box:
    """The screen box around a glyph turned by an angle with |cos| ``cos`` and |sin| ``sin``, plus ``pad``."""
    ext_x, ext_y = cos * half_w + sin * half_h + pad, sin * half_w + cos * half_h + pad
    return Box(x - ext_x, y - ext_y, x + ext_x, y + ext_y)


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
    """Distance from the glyph centre to its outline along the unit vector (dx, dy)."""
    if end.round:
        return end.half_w
    cos, sin = end.cos, end.sin
    along, across = abs(cos * dx + sin * dy), abs(-sin * dx + cos * dy)
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


def _route_edges(spec: FactorySpec, glyphs: tuple[GlyphPlacement, ...], size: float) -> tuple[EdgePlacement, ...]:
    """One edge per connection; bent when a straight line would cross another glyph.

    The chosen routes are sampled together at the end, in one set of array operations.
    """
    ends = [_end(g) for g in glyphs]
    index = {g.name: i for i, g in enumerate(glyphs)}
    inner = [(g.box.x0 + CROSS_SHRINK, g.box.y0 + CROSS_SHRINK, g.box.x1 - CROSS_SHRINK, g.box.y1 - CROSS_SHRINK)
             for g in glyphs]
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
        routes.append(_route_one(conn, ends[index[conn.from_]], ends[index[conn.to]], first, others, size))
    return tuple(EdgePlacement(source=r.conn.from_, target=r.conn.to, port=r.conn.port, start=r.start, end=r.end,
                               control=r.control, samples=samples)
                 for r, samples in zip(routes, _sample_all(routes)))


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
