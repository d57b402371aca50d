"""Label placement: a small deterministic search over candidate spots around each glyph.

Hard rules: a label box lies inside the canvas and overlaps neither a glyph nor an earlier label.
Soft rule: it covers as little of the connection lines (and especially arrowheads) as possible.
Candidates come in rings around the glyph (below, above, corner-aligned, sides, diagonals); when
no ring has room the font shrinks a step, and as a last resort the nearest free spot anywhere on
the canvas is used with a thin leader line back to the glyph.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twinforge.renderers.sketch_text import text_height, text_width

FONT_STEPS = (1.0, 0.88, 0.76, 0.66, 0.56)
"""Font scale factors tried in turn when a label finds no room."""
RINGS = ((0, 1), (2, 3))
"""Ring groups searched at each font size; rings further out get a leader line."""
EDGE = 2.0
"""Labels keep this many px from the canvas border."""


@dataclass(frozen=True)
class LabelSpot:
    cx: float
    cy: float
    font_size: float
    box: tuple[float, float, float, float]
    leader: tuple[float, float, float, float] | None


def label_size(text: str, font_size: float, tilt: float, *, italic: bool) -> tuple[float, float]:
    """Width and height (px) of the screen box that holds ``text`` rotated by ``tilt`` degrees."""
    width = text_width(text, font_size, italic=italic) + 2.0
    height = text_height(font_size) + 1.0
    c, s = abs(np.cos(np.radians(tilt))), abs(np.sin(np.radians(tilt)))
    return c * width + s * height, s * width + c * height


def place_labels(names: list[str], glyph_boxes: list[tuple[float, float, float, float]], tilts: np.ndarray,
                 font_size: float, edge_points: np.ndarray,
                 arrow_tips: list[tuple[float, float]], width: int, height: int,
                 *, italic: bool) -> list[LabelSpot]:
    """One spot per name, in order; each avoids all glyph boxes and the labels placed before it.

    ``edge_points`` are (x, y, weight) samples along the connections: how much covering each costs.
    """
    glyphs = np.array(glyph_boxes, dtype=float).reshape(-1, 4)
    obstacles = np.concatenate([glyphs, np.zeros((len(names), 4))])
    points = np.array(edge_points, dtype=float).reshape(-1, 3)
    tips = np.array(arrow_tips, dtype=float).reshape(-1, 2)
    centres = (glyphs[:, :2] + glyphs[:, 2:]) / 2
    spots = []
    for index, (name, glyph, tilt) in enumerate(zip(names, glyph_boxes, tilts)):
        placed = len(glyphs) + index
        scene = _Scene(obstacles[:placed], centres, index, points, tips, width, height)
        spot = _place_one(name, glyph, float(tilt), font_size, scene, italic)
        obstacles[placed] = spot.box
        spots.append(spot)
    return spots


@dataclass(frozen=True)
class _Scene:
    """What one label must avoid or weigh: boxes taken so far, glyph centres (its own at ``index``),
    weighted line samples, arrow tips and the canvas size."""

    obstacles: np.ndarray
    centres: np.ndarray
    index: int
    points: np.ndarray
    tips: np.ndarray
    width: int
    height: int


def _place_one(name: str, glyph: tuple[float, float, float, float], tilt: float, font_size: float,
               scene: _Scene, italic: bool) -> LabelSpot:
    for factor in FONT_STEPS:
        size = font_size * factor
        w, h = label_size(name, size, tilt, italic=italic)
        if w > scene.width - 2 * EDGE or h > scene.height - 2 * EDGE:
            continue
        for rings in RINGS:
            centres, boxes, ring_of, region = _candidates(glyph, w, h, rings, scene.width, scene.height)
            free = ~_overlaps_any(boxes, scene.obstacles)
            if free.any():
                options = np.flatnonzero(free)
                spots = boxes[options]
                cost = (_cost(spots, _near_points(scene.points, region), _near_points(scene.tips, region))
                        + _ambiguity(spots, scene) + 5.0 * ring_of[options] + 0.2 * options / len(rings))
                best = int(options[np.argmin(cost)])
                leader = _leader(glyph, boxes[best]) if ring_of[best] >= 2 else None
                return _spot(centres[best], size, boxes[best], leader)
    return _anywhere(name, glyph, tilt, font_size * FONT_STEPS[-1], scene.obstacles, scene.width, scene.height,
                     italic)


def _candidates(glyph: tuple[float, float, float, float], w: float, h: float, rings: tuple[int, ...],
                width: int, height: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[float, ...]]:
    """Candidate label spots around ``glyph`` in order of preference, kept on the canvas.

    Returns their centres, boxes, rings and the region all boxes span. Each ring has five x and
    five y positions (plain floats), combined by the fixed ``SPOT_X``/``SPOT_Y`` pattern.
    """
    x0, y0, x1, y1 = glyph
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w, half_h = w / 2, h / 2
    low_x, low_y = EDGE + half_w, EDGE + half_h
    high_x, high_y = width - EDGE - half_w, height - EDGE - half_h
    xs: list[float] = []
    ys: list[float] = []
    for ring in rings:
        d = 2.0 + ring * (h * 0.9)
        below, above = y1 + d + half_h, y0 - d - half_h
        xs += (cx, x0 + half_w, x1 - half_w, x1 + d + half_w, x0 - d - half_w)
        ys += (below, above, cy, below - half_h, above + half_h)
    pattern_x, pattern_y = _SPOT_PATTERN[len(rings)]
    centres = np.empty((len(pattern_x), 2))
    centres[:, 0] = np.clip(np.array(xs)[pattern_x], low_x, high_x)
    centres[:, 1] = np.clip(np.array(ys)[pattern_y], low_y, high_y)
    region = (min(max(min(xs), low_x), high_x) - half_w, min(max(min(ys), low_y), high_y) - half_h,
              min(max(max(xs), low_x), high_x) + half_w, min(max(max(ys), low_y), high_y) + half_h)
    return centres, _boxes(centres, w, h), _RING_OF[rings], region


SPOT_X = (0, 0, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4)
SPOT_Y = (0, 1, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4)
"""Per ring, which of its x (centre, left-aligned, right-aligned, right of, left of the glyph) and
y (below, above, centre, low beside, high beside) positions each of its 12 spots combines:
below, above, corner-aligned below and above, sides, then diagonals."""
_SPOT_PATTERN = {count: (np.array([i + 5 * r for r in range(count) for i in SPOT_X]),
                         np.array([i + 5 * r for r in range(count) for i in SPOT_Y])) for count in (1, 2)}
_RING_OF = {rings: np.repeat(np.array(rings, dtype=float), 12) for rings in RINGS}
"""Ring of each candidate spot (12 per ring), per ring group."""


def _boxes(centres: np.ndarray, w: float, h: float) -> np.ndarray:
    half = np.array([w / 2, h / 2])
    return np.concatenate([centres - half, centres + half], axis=1)


def _near_points(points: np.ndarray, region: tuple[float, ...], pad: float = 8.0) -> np.ndarray:
    """The points within ``pad`` of ``region`` (a cheap prefilter that keeps their order)."""
    low = np.array([region[0] - pad, region[1] - pad])
    high = np.array([region[2] + pad, region[3] + pad])
    xy = points[:, :2]
    return points[((xy > low) & (xy < high)).all(axis=1)]


def _overlaps_any(boxes: np.ndarray, obstacles: np.ndarray) -> np.ndarray:
    if len(obstacles) == 0:
        return np.zeros(len(boxes), dtype=bool)
    b, o = boxes[:, None, :], obstacles[None, :, :]
    hit = (b[..., 0] < o[..., 2]) & (o[..., 0] < b[..., 2]) & (b[..., 1] < o[..., 3]) & (o[..., 1] < b[..., 3])
    return hit.any(axis=1)


def _cost(boxes: np.ndarray, points: np.ndarray, tips: np.ndarray) -> np.ndarray:
    """Soft cost: line samples under the label (weighted, capped) plus a heavy price per covered arrowhead."""
    cost = np.zeros(len(boxes))
    if len(points):
        cost += 2.0 * np.minimum(_inside(boxes, points[:, :2], 3.0).astype(float) @ points[:, 2], 6.0)
    if len(tips):
        cost += 12.0 * np.count_nonzero(_inside(boxes, tips, 6.0), axis=1)
    return cost


def _ambiguity(boxes: np.ndarray, scene: _Scene) -> np.ndarray:
    """A price for spots nearer to another glyph's centre than to the label's own (a reader would
    misattribute the label)."""
    if len(scene.centres) < 2:
        return np.zeros(len(boxes))
    distances = _distances(boxes, scene.centres)
    own = distances[:, scene.index].copy()
    distances[:, scene.index] = np.inf
    return np.where(distances.min(axis=1) + 1.0 < own, 9.0, 0.0)


def _distances(boxes: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Distance from each box to each point, shape (len(boxes), len(points)); 0 inside."""
    x, y = points[None, :, 0], points[None, :, 1]
    dx = np.maximum(0.0, np.maximum(boxes[:, None, 0] - x, x - boxes[:, None, 2]))
    dy = np.maximum(0.0, np.maximum(boxes[:, None, 1] - y, y - boxes[:, None, 3]))
    return np.hypot(dx, dy)


def _inside(boxes: np.ndarray, points: np.ndarray, pad: float) -> np.ndarray:
    """Whether each point lies strictly inside each box grown by ``pad``, shape (len(boxes), len(points))."""
    low, high = boxes[:, None, :2] - pad, boxes[:, None, 2:] + pad
    return ((points > low) & (points < high)).all(axis=2)


def _leader(glyph: tuple[float, float, float, float], box: np.ndarray) -> tuple[float, float, float, float]:
    """A line from the glyph's box edge to the nearest point of the label box."""
    gx, gy = (glyph[0] + glyph[2]) / 2, (glyph[1] + glyph[3]) / 2
    lx, ly = float(np.clip(gx, box[0], box[2])), float(np.clip(gy, box[1], box[3]))
    dx, dy = lx - gx, ly - gy
    half_w, half_h = (glyph[2] - glyph[0]) / 2, (glyph[3] - glyph[1]) / 2
    t = min(half_w / abs(dx) if abs(dx) > 1e-9 else np.inf, half_h / abs(dy) if abs(dy) > 1e-9 else np.inf, 1.0)
    return (round(gx + dx * t, 2), round(gy + dy * t, 2), round(lx, 2), round(ly, 2))


def _anywhere(name: str, glyph: tuple[float, float, float, float], tilt: float, size: float,
              obstacles: np.ndarray, width: int, height: int, italic: bool) -> LabelSpot:
    """The free spot nearest the glyph on a fine grid over the whole canvas (with a leader line)."""
    w, h = label_size(name, size, tilt, italic=italic)
    w, h = min(w, width - 2 * EDGE), min(h, height - 2 * EDGE)
    step = max(2.0, h / 3)
    xs = np.arange(EDGE + w / 2, width - EDGE - w / 2 + 1e-9, step)
    ys = np.arange(EDGE + h / 2, height - EDGE - h / 2 + 1e-9, step)
    if len(xs) == 0:
        xs = np.array([width / 2])
    if len(ys) == 0:
        ys = np.array([height / 2])
    grid = np.array(np.meshgrid(xs, ys)).reshape(2, -1).T
    boxes = _boxes(grid, w, h)
    gx, gy = (glyph[0] + glyph[2]) / 2, (glyph[1] + glyph[3]) / 2
    distance = np.hypot(grid[:, 0] - gx, grid[:, 1] - gy)
    free = ~_overlaps_any(boxes, obstacles)
    pick = int(np.flatnonzero(free)[np.argmin(distance[free])]) if free.any() else int(np.argmin(distance))
    return _spot(grid[pick], size, boxes[pick], _leader(glyph, boxes[pick]))


def _spot(centre: np.ndarray, size: float, box: np.ndarray, leader) -> LabelSpot:
    return LabelSpot(cx=round(float(centre[0]), 2), cy=round(float(centre[1]), 2), font_size=round(size, 2),
                     box=tuple(float(v) for v in box), leader=leader)
