"""Geometry of a layout sketch: where every glyph, connection and label goes on the canvas.

Pure computation, no SVG: the drawing step (``sketch.py``) only paints what this module decides,
and tests check the boxes here for overlaps without parsing SVG. The spec's floor positions
(x, y in metres, y up) are scaled to fit the canvas with margins and flipped to screen
coordinates (y down); objects closer than a glyph apart are pushed apart just enough to be seen.
Labels are placed by a small deterministic search over candidate spots around each glyph, so no
label covers another label or any glyph.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

import numpy as np

from twinforge.renderers.sketch_label_search import place_labels
from twinforge.renderers.sketch_text import text_height
from twinforge.schemas import FactorySpec

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
    font_size = float(np.clip(min(width, height) / 32.0, 8.0, 13.0))
    base_glyph = float(np.clip(min(width, height) / 9.5, 16.0, 46.0))

    floor = _floor_points(spec)
    centres, scale, grid = _fit_to_canvas(floor, width, height, base_glyph, font_size)
    glyph_size = _glyph_size(centres, base_glyph)
    kinds = [obj.kind for obj in spec.objects]
    radii = np.array([max(GLYPH_EXTENT[k][:2]) for k in kinds]) * glyph_size
    margin = np.array([glyph_size * 0.6 + 4, glyph_size * 0.6 + 4])
    centres = _separate(centres, radii, 0.3 * glyph_size, margin, width, height)

    glyphs = _glyphs(spec, centres, glyph_size, glyph_tilt, min(scale))
    edges = tuple(_route_edges(spec, glyphs, glyph_size))
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


def _floor_points(spec: FactorySpec) -> np.ndarray:
    """Floor (x, y) per object where its glyph is centred: a conveyor's position is its start
    (FlexSim's StartLocation), so its glyph sits half its length along the way to what it feeds."""
    original = np.array([obj.position[:2] for obj in spec.objects], dtype=float)
    floor = original.copy()
    index = {obj.name: i for i, obj in enumerate(spec.objects)}
    targets: dict[str, list[int]] = defaultdict(list)
    for conn in spec.flow_connections():
        targets[conn.from_].append(index[conn.to])
    for i, obj in enumerate(spec.objects):
        if obj.kind != "conveyor" or not targets[obj.name]:
            continue
        ahead = original[targets[obj.name]].mean(axis=0) - original[i]
        distance = float(np.hypot(*ahead))
        if distance > 1e-9:
            floor[i] = floor[i] + ahead / distance * min(obj.length, distance) / 2
    return floor


def _weighted_samples(edges: tuple[EdgePlacement, ...]) -> np.ndarray:
    """All edge samples as rows (x, y, weight): covering an S line matters less than covering an arrow."""
    if not edges:
        return np.zeros((0, 3))
    rows = np.empty((sum(len(e.samples) for e in edges), 3))
    rows[:, :2] = np.concatenate([e.samples for e in edges])
    weights = [1.0 if e.port == "A" else S_LINE_WEIGHT for e in edges]
    rows[:, 2] = np.repeat(weights, [len(e.samples) for e in edges])
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
    low, high = floor.min(axis=0), floor.max(axis=0)
    span = high - low
    margin_x = glyph * 0.6 + 8
    margin_y = glyph * 0.6 + text_height(font_size) + 8
    room = np.array([width - 2 * margin_x, height - 2 * margin_y])
    limits = [room[axis] / span[axis] for axis in (0, 1) if span[axis] > 1e-9]
    cap = MAX_SPACING * glyph / _typical_spacing(floor)
    uniform = float(min([*limits, cap]))
    sx, sy = (float(min(room[axis] / span[axis] if span[axis] > 1e-9 else np.inf, cap, MAX_STRETCH * uniform))
              for axis in (0, 1))
    middle = (low + high) / 2
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


def _glyph_size(centres: np.ndarray, base: float) -> float:
    """Shrink glyphs (down to 60 %) when most objects stand close together on the canvas.

    The lower quartile of nearest-neighbour distances decides, so one tight pair (a dispatcher
    beside its operator) does not shrink every glyph; ``_separate`` then nudges that pair apart.
    """
    if len(centres) < 2:
        return base
    gaps = np.hypot(*(centres[:, None, :] - centres[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(gaps, np.inf)
    return float(np.clip(0.62 * np.percentile(gaps.min(axis=1), 25), 0.6 * base, base))


def _separate(centres: np.ndarray, radii: np.ndarray, gap: float, margin: np.ndarray,
              width: int, height: int) -> np.ndarray:
    """Push apart glyphs closer than their radii plus ``gap`` (deterministic; stays inside the canvas)."""
    points = centres.copy()
    count = len(points)
    index = np.arange(count)
    fallback = np.stack([np.cos(index * 2.39996), np.sin(index * 2.39996)], axis=1)
    need = radii[:, None] + radii[None, :] + gap
    low, high = margin, np.array([width, height]) - margin
    for _ in range(120):
        delta = points[:, None, :] - points[None, :, :]
        dist = np.hypot(delta[..., 0], delta[..., 1])
        deficit = np.triu(need - dist, k=1)
        if deficit.max(initial=0.0) <= 1e-6:
            break
        tiny = dist < 1e-6
        direction = np.where(tiny[..., None], fallback[:, None, :] - fallback[None, :, :] + 1e-3,
                             delta / np.maximum(dist, 1e-9)[..., None])
        direction /= np.maximum(np.hypot(direction[..., 0], direction[..., 1]), 1e-9)[..., None]
        push = np.clip(deficit, 0.0, None) * 0.52
        push = push + push.T
        points = np.clip(points + (direction * push[..., None]).sum(axis=1), low, high)
    return points


def _flow_angles(spec: FactorySpec, centres: dict[str, np.ndarray]) -> dict[str, float]:
    """Screen angle (deg) of the item flow through each flow object: from its inputs towards its outputs."""
    inputs: dict[str, list[str]] = defaultdict(list)
    outputs: dict[str, list[str]] = defaultdict(list)
    for conn in spec.flow_connections():
        outputs[conn.from_].append(conn.to)
        inputs[conn.to].append(conn.from_)
    angles = {}
    for obj in spec.flow_objects:
        here = centres[obj.name]
        ahead = np.mean([centres[n] for n in outputs[obj.name]], axis=0) if outputs[obj.name] else here
        behind = np.mean([centres[n] for n in inputs[obj.name]], axis=0) if inputs[obj.name] else here
        direction = ahead - behind
        if np.hypot(*direction) < 1e-6:
            direction = np.array([1.0, 0.0])
        angles[obj.name] = float(np.degrees(np.arctan2(direction[1], direction[0])))
    return angles


def _glyphs(spec: FactorySpec, centres: np.ndarray, size: float, tilt: np.ndarray,
            scale: float) -> tuple[GlyphPlacement, ...]:
    by_name = {obj.name: centres[i] for i, obj in enumerate(spec.objects)}
    flow_angle = _flow_angles(spec, by_name)
    draft = []
    for i, obj in enumerate(spec.objects):
        half_w, half_h, rounded = GLYPH_EXTENT[obj.kind]
        orient = 0.0
        if obj.kind in ORIENTED_KINDS:
            orient = 90.0 * round(flow_angle[obj.name] / 90.0)
        draft.append([obj, half_w * size, half_h * size, rounded, orient + float(tilt[i])])
    placements = []
    for i, (obj, half_w, half_h, rounded, rotation) in enumerate(draft):
        if obj.kind == "conveyor":
            half_w = _conveyor_half_length(i, obj.length * scale / 2, rotation, centres, draft, size)
        box = _rotated_box(centres[i], half_w, half_h, rotation, pad=1.5)
        placements.append(GlyphPlacement(name=obj.name, kind=obj.kind, cx=float(centres[i][0]),
                                         cy=float(centres[i][1]), half_w=half_w, half_h=half_h,
                                         rotation=rotation, round=rounded, box=box))
    return tuple(placements)


def _conveyor_half_length(index: int, wanted: float, rotation: float, centres: np.ndarray,
                          draft: list, size: float) -> float:
    """The conveyor's drawn half length: its scaled length, shortened so it stops short of its neighbours."""
    axis = np.array([np.cos(np.radians(rotation)), np.sin(np.radians(rotation))])
    normal = np.array([-axis[1], axis[0]])
    limit = wanted
    for j, (_, half_w, half_h, _, _) in enumerate(draft):
        if j == index:
            continue
        offset = centres[j] - centres[index]
        along, across = abs(float(offset @ axis)), abs(float(offset @ normal))
        reach = max(half_w, half_h)
        if across < reach + 0.2 * size + 3:
            limit = min(limit, along - reach - 0.3 * size)
    return float(np.clip(limit, 0.45 * size, 3.0 * size))


def _rotated_box(centre: np.ndarray, half_w: float, half_h: float, rotation: float, pad: float) -> Box:
    c, s = abs(np.cos(np.radians(rotation))), abs(np.sin(np.radians(rotation)))
    ext_x, ext_y = c * half_w + s * half_h + pad, s * half_w + c * half_h + pad
    x, y = float(centre[0]), float(centre[1])
    return Box(x - ext_x, y - ext_y, x + ext_x, y + ext_y)


def _exit_distance(glyph: GlyphPlacement, dx: float, dy: float) -> float:
    """Distance from the glyph centre to its outline along the unit vector (dx, dy)."""
    if glyph.round:
        return glyph.half_w
    angle = math.radians(glyph.rotation)
    cos, sin = math.cos(angle), math.sin(angle)
    along, across = abs(cos * dx + sin * dy), abs(-sin * dx + cos * dy)
    return min(glyph.half_w / along if along > 1e-9 else math.inf,
               glyph.half_h / across if across > 1e-9 else math.inf)


def _route_edges(spec: FactorySpec, glyphs: tuple[GlyphPlacement, ...], size: float):
    """Yield one edge per connection; bend it when a straight line would cross another glyph."""
    by_name = {g.name: g for g in glyphs}
    boxes = np.array([_as_tuple(g.box) for g in glyphs]).reshape(-1, 4)
    inner = boxes + CROSS_SHRINK * np.array([1.0, 1.0, -1.0, -1.0])
    names = [g.name for g in glyphs]
    pair_total: dict[frozenset[str], int] = defaultdict(int)
    for conn in spec.connections:
        pair_total[frozenset((conn.from_, conn.to))] += 1
    pair_seen: dict[frozenset[str], int] = defaultdict(int)
    for conn in spec.connections:
        pair = frozenset((conn.from_, conn.to))
        rank, total = pair_seen[pair], pair_total[pair]
        pair_seen[pair] += 1
        sign = 1.0 if conn.from_ < conn.to else -1.0
        first = sign * (rank - (total - 1) / 2) * 0.9 * size if total > 1 else 0.0
        others = [i for i, n in enumerate(names) if n not in pair]
        yield _route_one(conn, by_name[conn.from_], by_name[conn.to], first, inner[others], size)


def _route_one(conn, a: GlyphPlacement, b: GlyphPlacement, first_bend: float, obstacles: np.ndarray,
               size: float) -> EdgePlacement:
    """The first of the straight line and the bends in ``BENDS`` that crosses none of ``obstacles``
    (glyph boxes already shrunk by ``CROSS_SHRINK``), else the one crossing least."""
    reach = BENDS if conn.port == "A" else BENDS[:4]
    bends = [first_bend] + [first_bend + k * size for k in reach]
    best = None
    for bend in bends:
        edge = _edge(conn, a, b, bend)
        hits = 0 if _clear_of(edge, obstacles) else _points_in_boxes(edge.samples, obstacles)
        if hits == 0:
            return edge
        if best is None or hits < best[0]:
            best = (hits, edge)
    return best[1]


def _edge(conn, a: GlyphPlacement, b: GlyphPlacement, bend: float) -> EdgePlacement:
    length = math.hypot(b.cx - a.cx, b.cy - a.cy)
    ux, uy = ((b.cx - a.cx) / length, (b.cy - a.cy) / length) if length > 1e-9 else (1.0, 0.0)
    control = None
    if abs(bend) > 1e-9:
        control = ((a.cx + b.cx) / 2 - uy * 2 * bend, (a.cy + b.cy) / 2 + ux * 2 * bend)
    ahead = control or (b.cx, b.cy)
    behind = control or (a.cx, a.cy)
    bx_, by_ = _unit(ahead[0] - a.cx, ahead[1] - a.cy)
    ax_, ay_ = _unit(behind[0] - b.cx, behind[1] - b.cy)
    out = _exit_distance(a, bx_, by_) + 2.5
    into = _exit_distance(b, ax_, ay_) + 3.0
    start = (round(a.cx + bx_ * out, 2), round(a.cy + by_ * out, 2))
    end = (round(b.cx + ax_ * into, 2), round(b.cy + ay_ * into, 2))
    steps = max(4, int(math.hypot(end[0] - start[0], end[1] - start[1]) / SAMPLE_STEP))
    t, from_start, from_control, from_end = _bezier_weights(steps)
    p0, p2 = np.array(start), np.array(end)
    if control is None:
        samples = p0 + (p2 - p0) * t
    else:
        control = (round(control[0], 2), round(control[1], 2))
        samples = from_start * p0 + from_control * np.array(control) + from_end * p2
    return EdgePlacement(source=conn.from_, target=conn.to, port=conn.port, start=start, end=end,
                         control=control, samples=samples)


@cache
def _bezier_weights(steps: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sample parameters t (``steps + 1`` of them, as a column) and the quadratic Bezier weights
    (1-t)^2, 2(1-t)t and t^2; cached because every sketch needs the same few lengths."""
    t = np.linspace(0.0, 1.0, steps + 1)[:, None]
    weights = (t, (1 - t) ** 2, 2 * (1 - t) * t, t ** 2)
    for array in weights:
        array.flags.writeable = False
    return weights


def _unit(dx: float, dy: float) -> tuple[float, float]:
    norm = max(math.hypot(dx, dy), 1e-9)
    return dx / norm, dy / norm


def _clear_of(edge: EdgePlacement, boxes: np.ndarray) -> bool:
    """True when no sample of ``edge`` can lie inside any of ``boxes``: the rectangle around its
    start, end and control point (which holds the whole curve; widened by a hair for rounding)
    meets none of them. A cheap exact shortcut for most edges, which run between glyphs."""
    corners = [edge.start, edge.end] if edge.control is None else [edge.start, edge.end, edge.control]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    x0, y0, x1, y1 = min(xs) - 1e-6, min(ys) - 1e-6, max(xs) + 1e-6, max(ys) + 1e-6
    return not any(x0 < bx1 and bx0 < x1 and y0 < by1 and by0 < y1 for bx0, by0, bx1, by1 in boxes.tolist())


def _points_in_boxes(points: np.ndarray, boxes: np.ndarray) -> int:
    """How many points lie strictly inside at least one of ``boxes`` (x0, y0, x1, y1 rows)."""
    if len(boxes) == 0 or len(points) == 0:
        return 0
    x, y = points[:, 0:1], points[:, 1:2]
    inside = ((x > boxes[None, :, 0]) & (x < boxes[None, :, 2])
              & (y > boxes[None, :, 1]) & (y < boxes[None, :, 3]))
    return int(inside.any(axis=1).sum())
