"""Where each object's glyph goes: floor metres scaled onto the canvas, crowded glyphs pushed apart.

The spec's floor positions (x, y in metres, y up) are scaled to fit the canvas with margins and
flipped to screen coordinates (y down), with square grid paper to match; objects closer than a
glyph apart are pushed apart just enough to be seen. Conveyors and combiners turn to face the
item flow. Part of :func:`twinforge.renderers.sketch_layout.layout_sketch`.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from functools import cache

import numpy as np

from twinforge.renderers.sketch_geometry import Box, GlyphPlacement, Grid, clip
from twinforge.renderers.sketch_text import text_height
from twinforge.schemas import FactorySpec

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

MAX_GROWTH = 1.3
"""Largest glyph size as a multiple of the canvas's base size, for sparse sketches."""
MAX_STRETCH = 6.0
"""Largest ratio between the two axes' scales (flat layouts are stretched to use the canvas)."""
MAX_SPACING = 4.0
"""Sparse specs are not blown up: neighbours end at most this many glyph sizes apart (typically)."""
MIN_GRID_STEP_PX = 2.0
"""Grid lines are at least this many px apart: on a canvas hardly larger than its margins a wide
floor gets a tiny scale, and a 200 m grid would otherwise be drawn as thousands of lines per px."""


def _mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Mean of a few points, summed in order from 0.0 exactly as ``np.mean(points, axis=0)`` does."""
    sum_x = sum_y = 0.0
    for x, y in points:
        sum_x += x
        sum_y += y
    return sum_x / len(points), sum_y / len(points)


def floor_points(spec: FactorySpec) -> np.ndarray:
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



def fit_to_canvas(floor: np.ndarray, width: int, height: int, glyph: float,
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
    room = [max(width - 2 * margin_x, 1.0), max(height - 2 * margin_y, 1.0)]  # a tiny canvas: never a negative scale
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
    while step_m * abs(sx) < MIN_GRID_STEP_PX and step_m < 1e9:
        step_m *= 10.0
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
    # statistics.median on plain floats: the same middle value, or mean of the two middle values
    # ((a + b) / 2, as np.median takes it), without numpy's overhead on a dozen numbers.
    return statistics.median(nearest.tolist()) if len(nearest) else 4.0


def pairwise(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Offsets (point i minus point j, shape (n, n, 2)) and distances between all pairs of points."""
    delta = points[:, None, :] - points[None, :, :]
    return delta, np.hypot(delta[..., 0], delta[..., 1])


def fitted_glyph_size(dist: np.ndarray, base: float) -> float:
    """Shrink glyphs (down to 60 %) when most objects stand close together on the canvas, and grow
    them (up to ``MAX_GROWTH``) when all stand far apart, so that a sparse sketch still shows its
    glyphs large enough for a vision encoder (``dist`` holds the distances between their centres).

    The lower quartile of nearest-neighbour distances decides, so one tight pair (a dispatcher
    beside its operator) does not shrink every glyph; ``push_apart`` then nudges that pair apart.
    """
    if len(dist) < 2:
        return base
    gaps = dist.copy()
    np.fill_diagonal(gaps, np.inf)
    quartile = float(np.percentile(gaps.min(axis=1), 25))
    return max(clip(0.62 * quartile, 0.6 * base, base), min(0.4 * quartile, MAX_GROWTH * base))


def push_apart(centres: np.ndarray, delta: np.ndarray, dist: np.ndarray, radii: np.ndarray, gap: float,
               margin: np.ndarray, width: int, height: int) -> np.ndarray:
    """Push apart glyphs closer than their radii plus ``gap`` (deterministic; stays inside the canvas).

    ``delta`` and ``dist`` are the :func:`pairwise` offsets and distances of ``centres``.
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
        delta, dist = pairwise(points)
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


def place_glyphs(spec: FactorySpec, centres: np.ndarray, size: float, tilt: np.ndarray,
                 scale: float) -> tuple[GlyphPlacement, ...]:
    """One glyph per object at its canvas centre: sized, turned (flow direction plus ``tilt``) and boxed.

    ``scale`` (px per metre) gives a conveyor its drawn length.
    """
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
