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
    obstacles = glyphs.copy()
    points = np.array(edge_points, dtype=float).reshape(-1, 3)
    tips = np.array(arrow_tips, dtype=float).reshape(-1, 2)
    centres = (glyphs[:, :2] + glyphs[:, 2:]) / 2
    spots = []
    for index, (name, glyph, tilt) in enumerate(zip(names, glyph_boxes, tilts)):
        others = np.delete(centres, index, axis=0)
        spot = _place_one(name, glyph, float(tilt), font_size, obstacles, others, points, tips, width, height,
                          italic)
        obstacles = np.vstack([obstacles, np.array(spot.box)[None, :]])
        spots.append(spot)
    return spots


def _place_one(name: str, glyph: tuple[float, float, float, float], tilt: float, font_size: float,
               obstacles: np.ndarray, others: np.ndarray, points: np.ndarray, tips: np.ndarray, width: int, height: int,
               italic: bool) -> LabelSpot:
    for factor in FONT_STEPS:
        size = font_size * factor
        w, h = label_size(name, size, tilt, italic=italic)
        if w > width - 2 * EDGE or h > height - 2 * EDGE:
            continue
        for rings in RINGS:
            centres, ring_of = _candidates(glyph, w, h, rings)
            centres = _clamp(centres, w, h, width, height)
            boxes = _boxes(centres, w, h)
            region = np.array([boxes[:, 0].min(), boxes[:, 1].min(), boxes[:, 2].max(), boxes[:, 3].max()])
            free = ~_overlaps_any(boxes, _near(obstacles, region))
            if free.any():
                options = np.flatnonzero(free)
                spots = boxes[options]
                cost = (_cost(spots, _near_points(points, region), _near_points(tips, region))
                        + _ambiguity(spots, glyph, others) + 5.0 * ring_of[options] + 0.2 * options / len(rings))
                best = int(options[np.argmin(cost)])
                leader = _leader(glyph, boxes[best]) if ring_of[best] >= 2 else None
                return _spot(centres[best], size, boxes[best], leader)
    return _anywhere(name, glyph, tilt, font_size * FONT_STEPS[-1], obstacles, width, height, italic)


def _candidates(glyph: tuple[float, float, float, float], w: float, h: float,
                rings: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Centres of candidate label boxes around ``glyph``, in order of preference, and their ring."""
    x0, y0, x1, y1 = glyph
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    centres, ring_of = [], []
    for ring in rings:
        d = 2.0 + ring * (h * 0.9)
        below, above = y1 + d + h / 2, y0 - d - h / 2
        right, left = x1 + d + w / 2, x0 - d - w / 2
        spots = [
            (cx, below), (cx, above), (x0 + w / 2, below), (x1 - w / 2, below),
            (x0 + w / 2, above), (x1 - w / 2, above), (right, cy), (left, cy),
            (right, below - h / 2), (left, below - h / 2), (right, above + h / 2), (left, above + h / 2),
        ]
        centres.extend(spots)
        ring_of.extend([ring] * len(spots))
    return np.array(centres), np.array(ring_of, dtype=float)


def _clamp(centres: np.ndarray, w: float, h: float, width: int, height: int) -> np.ndarray:
    low = np.array([EDGE + w / 2, EDGE + h / 2])
    high = np.array([width - EDGE - w / 2, height - EDGE - h / 2])
    return np.clip(centres, low, high)


def _boxes(centres: np.ndarray, w: float, h: float) -> np.ndarray:
    return np.column_stack([centres[:, 0] - w / 2, centres[:, 1] - h / 2,
                            centres[:, 0] + w / 2, centres[:, 1] + h / 2])


def _near(boxes: np.ndarray, region: np.ndarray) -> np.ndarray:
    """The boxes that reach into ``region`` (a cheap prefilter)."""
    keep = (boxes[:, 0] < region[2]) & (boxes[:, 2] > region[0]) & (boxes[:, 1] < region[3]) & (boxes[:, 3] > region[1])
    return boxes[keep]


def _near_points(points: np.ndarray, region: np.ndarray, pad: float = 8.0) -> np.ndarray:
    keep = ((points[:, 0] > region[0] - pad) & (points[:, 0] < region[2] + pad)
            & (points[:, 1] > region[1] - pad) & (points[:, 1] < region[3] + pad))
    return points[keep]


def _overlaps_any(boxes: np.ndarray, obstacles: np.ndarray) -> np.ndarray:
    if len(obstacles) == 0:
        return np.zeros(len(boxes), dtype=bool)
    b, o = boxes[:, None, :], obstacles[None, :, :]
    hit = (b[..., 0] < o[..., 2]) & (o[..., 0] < b[..., 2]) & (b[..., 1] < o[..., 3]) & (o[..., 1] < b[..., 3])
    return hit.any(axis=1)


def _cost(boxes: np.ndarray, points: np.ndarray, tips: np.ndarray) -> np.ndarray:
    """Soft cost: line samples under the label (weighted, capped) plus a heavy price per covered arrowhead."""
    covered = _count_inside(boxes, points[:, :2], 3.0, points[:, 2])
    return 2.0 * np.minimum(covered, 6.0) + 12.0 * _count_inside(boxes, tips, 6.0)


def _ambiguity(boxes: np.ndarray, glyph: tuple[float, float, float, float], others: np.ndarray) -> np.ndarray:
    """A price for spots nearer to another glyph's centre than to the label's own (a reader would
    misattribute the label)."""
    if len(others) == 0:
        return np.zeros(len(boxes))
    own = _distances(boxes, np.array([[(glyph[0] + glyph[2]) / 2, (glyph[1] + glyph[3]) / 2]]))[:, 0]
    nearest = _distances(boxes, others).min(axis=1)
    return np.where(nearest + 1.0 < own, 9.0, 0.0)


def _distances(boxes: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Distance from each box to each point, shape (len(boxes), len(points)); 0 inside."""
    x, y = points[None, :, 0], points[None, :, 1]
    dx = np.maximum(0.0, np.maximum(boxes[:, None, 0] - x, x - boxes[:, None, 2]))
    dy = np.maximum(0.0, np.maximum(boxes[:, None, 1] - y, y - boxes[:, None, 3]))
    return np.hypot(dx, dy)


def _count_inside(boxes: np.ndarray, points: np.ndarray, pad: float,
                  weights: np.ndarray | None = None) -> np.ndarray:
    if len(points) == 0:
        return np.zeros(len(boxes))
    if weights is None:
        weights = np.ones(len(points))
    x, y = points[None, :, 0], points[None, :, 1]
    inside = ((x > boxes[:, None, 0] - pad) & (x < boxes[:, None, 2] + pad)
              & (y > boxes[:, None, 1] - pad) & (y < boxes[:, None, 3] + pad))
    return inside.astype(float) @ weights


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
