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
    The first search step (full font size, nearest rings), which settles almost every label, is
    prepared for all labels at once; only the check against earlier labels runs label by label.
    """
    glyphs = np.array(glyph_boxes, dtype=float).reshape(-1, 4)
    canvas = _Canvas(glyphs=glyphs, centres=(glyphs[:, :2] + glyphs[:, 2:]) / 2,
                     points=np.array(edge_points, dtype=float).reshape(-1, 3),
                     tips=np.array(arrow_tips, dtype=float).reshape(-1, 2), width=width, height=height)
    obstacles = np.concatenate([glyphs, np.zeros((len(names), 4))])
    first = _first_steps(names, tilts, font_size, canvas, italic)
    spots = []
    for index, (name, tilt) in enumerate(zip(names, tilts)):
        placed = len(glyphs) + index
        spot = _place_one(name, index, float(tilt), font_size, canvas, obstacles[:placed], italic,
                          first.get(index))
        obstacles[placed] = spot.box
        spots.append(spot)
    return spots


@dataclass(frozen=True)
class _Canvas:
    """What every label must avoid or weigh: glyph boxes and centres, weighted line samples
    (x, y, weight), arrow tips, and the canvas size."""

    glyphs: np.ndarray
    centres: np.ndarray
    points: np.ndarray
    tips: np.ndarray
    width: int
    height: int

    def fits(self, w: float, h: float) -> bool:
        """Whether a ``w`` x ``h`` label fits on the canvas at all."""
        return not (w > self.width - 2 * EDGE or h > self.height - 2 * EDGE)

    def glyph(self, index: int) -> tuple[float, float, float, float]:
        """Glyph box ``index`` as plain floats."""
        return tuple(self.glyphs[index].tolist())


@dataclass(frozen=True)
class _Step:
    """One search step of one label: its candidate spots at one font size in one ring group, and
    the parts of their price that do not depend on the labels placed before it."""

    size: float
    rings: tuple[int, ...]
    centres: np.ndarray
    boxes: np.ndarray
    ambiguity: np.ndarray
    points: np.ndarray
    tips: np.ndarray


def _first_steps(names: list[str], tilts: np.ndarray, font_size: float, canvas: _Canvas,
                 italic: bool) -> dict[int, _Step]:
    """The first step (full size, first ring group) of every label that fits the canvas, by label index."""
    size = font_size * FONT_STEPS[0]
    dims = [label_size(name, size, float(tilt), italic=italic) for name, tilt in zip(names, tilts)]
    labels = [index for index, (w, h) in enumerate(dims) if canvas.fits(w, h)]
    sizes = np.array([dims[index] for index in labels], dtype=float).reshape(-1, 2)
    return dict(zip(labels, _steps(canvas, labels, size, sizes, RINGS[0])))


def _place_one(name: str, index: int, tilt: float, font_size: float, canvas: _Canvas, obstacles: np.ndarray,
               italic: bool, first: _Step | None) -> LabelSpot:
    """The best free spot for label ``index``: steps through font sizes and ring groups until one has room."""
    if first is not None and (spot := _choose(first, index, canvas, obstacles)) is not None:
        return spot
    for factor in FONT_STEPS:
        size = font_size * factor
        w, h = label_size(name, size, tilt, italic=italic)
        if not canvas.fits(w, h):
            continue
        for rings in RINGS:
            if first is not None and factor == FONT_STEPS[0] and rings == RINGS[0]:
                continue
            step = _steps(canvas, [index], size, np.array([[w, h]]), rings)[0]
            if (spot := _choose(step, index, canvas, obstacles)) is not None:
                return spot
    return _anywhere(name, canvas.glyph(index), tilt, font_size * FONT_STEPS[-1], obstacles, canvas.width,
                     canvas.height, italic)


def _choose(step: _Step, index: int, canvas: _Canvas, obstacles: np.ndarray) -> LabelSpot | None:
    """The cheapest of the step's spots that overlaps no obstacle (None when all are taken)."""
    free = ~_overlaps_any(step.boxes, obstacles)
    if not free.any():
        return None
    options = np.flatnonzero(free)
    ring_of = _RING_OF[step.rings]
    cost = (_cost(step.boxes[options], step.points, step.tips) + step.ambiguity[options]
            + 5.0 * ring_of[options] + 0.2 * options / len(step.rings))
    best = int(options[np.argmin(cost)])
    leader = _leader(canvas.glyph(index), step.boxes[best]) if ring_of[best] >= 2 else None
    return _spot(step.centres[best], step.size, step.boxes[best], leader)


def _steps(canvas: _Canvas, labels: list[int], size: float, dims: np.ndarray,
           rings: tuple[int, ...]) -> list[_Step]:
    """One step for each of ``labels`` (label box sizes ``dims`` as (w, h) rows) at font ``size``, all at once."""
    if not labels:
        return []
    glyphs = canvas.glyphs[labels]
    centres, boxes = _candidates(glyphs, dims[:, 0], dims[:, 1], rings, canvas.width, canvas.height)
    region = np.concatenate([boxes[:, :, :2].min(axis=1), boxes[:, :, 2:].max(axis=1)], axis=1)
    near_points, near_tips = _near(canvas.points, region), _near(canvas.tips, region)
    ambiguity = _ambiguity(boxes, canvas.centres, np.array(labels))
    return [_Step(size=size, rings=rings, centres=centres[row], boxes=boxes[row], ambiguity=ambiguity[row],
                  points=canvas.points[near_points[row]], tips=canvas.tips[near_tips[row]])
            for row in range(len(labels))]


def _candidates(glyphs: np.ndarray, w: np.ndarray, h: np.ndarray, rings: tuple[int, ...],
                width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """Candidate label spots around each glyph (rows of ``glyphs``), in order of preference, on the canvas.

    Returns centres (labels, spots, 2) and boxes (labels, spots, 4). Each ring has five x and five
    y positions, combined by the fixed ``SPOT_X``/``SPOT_Y`` pattern.
    """
    x0, y0, x1, y1 = glyphs.T
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w, half_h = w / 2, h / 2
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    for ring in rings:
        d = 2.0 + ring * (h * 0.9)
        below, above = y1 + d + half_h, y0 - d - half_h
        xs += (cx, x0 + half_w, x1 - half_w, x1 + d + half_w, x0 - d - half_w)
        ys += (below, above, cy, below - half_h, above + half_h)
    pattern_x, pattern_y = _SPOT_PATTERN[len(rings)]
    low_x, high_x = (EDGE + half_w)[:, None], (width - EDGE - half_w)[:, None]
    low_y, high_y = (EDGE + half_h)[:, None], (height - EDGE - half_h)[:, None]
    centres = np.stack([np.clip(np.stack(xs, axis=1)[:, pattern_x], low_x, high_x),
                        np.clip(np.stack(ys, axis=1)[:, pattern_y], low_y, high_y)], axis=2)
    half = np.stack([half_w, half_h], axis=1)[:, None, :]
    return centres, np.concatenate([centres - half, centres + half], axis=2)


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


def _near(points: np.ndarray, regions: np.ndarray, pad: float = 8.0) -> np.ndarray:
    """Which points lie within ``pad`` of each region (x0, y0, x1, y1 rows), shape (regions, points)."""
    x, y = points[None, :, 0], points[None, :, 1]
    return ((x > regions[:, 0:1] - pad) & (x < regions[:, 2:3] + pad)
            & (y > regions[:, 1:2] - pad) & (y < regions[:, 3:4] + pad))


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


def _ambiguity(boxes: np.ndarray, centres: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """A price for spots nearer to another glyph's centre than to the label's own (a reader would
    misattribute the label). ``boxes`` has shape (labels, spots, 4); ``labels`` are the glyph indices."""
    count, spots = boxes.shape[:2]
    if len(centres) < 2:
        return np.zeros((count, spots))
    distances = _distances(boxes.reshape(-1, 4), centres).reshape(count, spots, len(centres))
    rows = np.arange(count)
    own = distances[rows, :, labels].copy()
    distances[rows, :, labels] = np.inf
    return np.where(distances.min(axis=2) + 1.0 < own, 9.0, 0.0)


def _distances(boxes: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Distance from each box to each point, shape (len(boxes), len(points)); 0 inside."""
    x, y = points[None, :, 0], points[None, :, 1]
    dx = np.maximum(0.0, np.maximum(boxes[:, None, 0] - x, x - boxes[:, None, 2]))
    dy = np.maximum(0.0, np.maximum(boxes[:, None, 1] - y, y - boxes[:, None, 3]))
    return np.hypot(dx, dy)


def _inside(boxes: np.ndarray, points: np.ndarray, pad: float) -> np.ndarray:
    """Whether each point lies strictly inside each box grown by ``pad``, shape (len(boxes), len(points))."""
    x, y = points[None, :, 0], points[None, :, 1]
    return ((x > boxes[:, None, 0] - pad) & (x < boxes[:, None, 2] + pad)
            & (y > boxes[:, None, 1] - pad) & (y < boxes[:, None, 3] + pad))


def _leader(glyph: tuple[float, float, float, float], box: np.ndarray) -> tuple[float, float, float, float]:
    """A line from the glyph's box edge to the nearest point of the label box."""
    gx, gy = (glyph[0] + glyph[2]) / 2, (glyph[1] + glyph[3]) / 2
    lx, ly = float(np.clip(gx, box[0], box[2])), float(np.clip(gy, box[1], box[3]))
    dx, dy = lx - gx, ly - gy
    half_w, half_h = (glyph[2] - glyph[0]) / 2, (glyph[3] - glyph[1]) / 2
    t = min(half_w / abs(dx) if abs(dx) > 1e-9 else np.inf, half_h / abs(dy) if abs(dy) > 1e-9 else np.inf, 1.0)
    return (round(gx + dx * t, 2), round(gy + dy * t, 2), round(lx, 2), round(ly, 2))


LAST_RESORT_SHRINK = (1.0, 0.8, 0.65, 0.5, 0.4)
"""Extra font factors tried when even the whole canvas has no free spot at the smallest step."""


def _anywhere(name: str, glyph: tuple[float, float, float, float], tilt: float, size: float,
              obstacles: np.ndarray, width: int, height: int, italic: bool) -> LabelSpot:
    """The free spot nearest the glyph on a fine grid over the whole canvas (with a leader line).

    On a crowded canvas the text shrinks further until a spot is free; only when none is free even
    then does the label take the nearest spot and overlap.
    """
    for factor in LAST_RESORT_SHRINK:
        spot, free = _nearest_free(name, glyph, tilt, size * factor, obstacles, width, height, italic)
        if free:
            return spot
    return spot


def _nearest_free(name: str, glyph: tuple[float, float, float, float], tilt: float, size: float,
                  obstacles: np.ndarray, width: int, height: int, italic: bool) -> tuple[LabelSpot, bool]:
    """The grid spot nearest the glyph that overlaps nothing, and whether one was free."""
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
    return _spot(grid[pick], size, boxes[pick], _leader(glyph, boxes[pick])), bool(free.any())


def _spot(centre: np.ndarray, size: float, box: np.ndarray, leader) -> LabelSpot:
    return LabelSpot(cx=round(float(centre[0]), 2), cy=round(float(centre[1]), 2), font_size=round(size, 2),
                     box=tuple(float(v) for v in box), leader=leader)
