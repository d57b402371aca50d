"""Label placement: a small deterministic search over candidate spots around each glyph.

Hard rules: a label box lies inside the canvas and overlaps neither a glyph, a mark (port
number, "random") nor an earlier label. Soft rule: it covers as little of the connection lines
(and especially arrowheads) as possible. Candidates come in rings around the glyph (below, above,
corner-aligned, sides, diagonals); when no ring has room the font shrinks a step (not below the
smallest legible size), and as a last resort the nearest free spot anywhere on the canvas is used
with a thin leader line back to the glyph (shrinking further only when the canvas has no room).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from twinforge.renderers.sketch_arrays import ranks
from twinforge.renderers.sketch_text import text_height, text_width, wrap

try:
    from twinforge.renderers import sketch_label_prices
except ImportError:  # not built (no C compiler at install): numpy prices the spots, to the same steps
    sketch_label_prices = None

FONT_STEPS = (1.0, 0.88, 0.76, 0.66, 0.56)
"""Font scale factors tried in turn when a label finds no room."""
RINGS = ((0, 1), (2, 3))
"""Ring groups searched at each font size; rings further out get a leader line."""
EDGE = 2.0
"""Labels keep this many px from the canvas border."""
LINE_PAD = 3.0
"""A line sample this close to a label box counts as covered by it."""
TIP_PAD = 6.0
"""An arrow tip this close to a label box counts as covered by it."""
FIRST_STEP_BATCH = 64
"""Labels whose first search step is prepared together (bounds the memory of a large spec)."""
AMBIGUITY_PRICE = 16.0
"""Price of a spot nearer another glyph than the label's own (a reader would misattribute it):
more than a label over a stretch of line costs (at most twice ``LINE_CAP``)."""
BUCKET = 32.0
"""Side in px of the squares line samples are filed by, so a label looks only at samples near it."""
NEAR_PAD = 8.0
"""A label's search looks at the line samples within this many px of the region of its spots."""
LINE_CAP = 6.0
"""The line weight under a spot counts up to this much (a spot's line price is twice it)."""
TIP_PRICE = 12.0
"""Price of each arrow tip a spot covers."""
PRICE_RULES = (EDGE, LINE_PAD, TIP_PAD, NEAR_PAD, BUCKET, AMBIGUITY_PRICE, LINE_CAP, TIP_PRICE)
"""The constants the compiled search steps price by, in the order ``sketch_label_prices.price_steps`` takes them."""

Box = tuple[float, float, float, float]
Turn = tuple[float, float]
"""|cos| and |sin| of a label's tilt."""


class LabelSpot(NamedTuple):
    """Where one label goes: text centre, font size, box, leader line (if any) and its lines of text."""

    cx: float
    cy: float
    font_size: float
    box: tuple[float, float, float, float]
    leader: tuple[float, float, float, float] | None
    lines: tuple[str, ...] = ()


def label_size(lines: tuple[str, ...], font_size: float, turn: Turn, *, italic: bool) -> tuple[float, float]:
    """Width and height (px) of the screen box that holds ``lines`` of text tilted by an angle with ``turn``."""
    width = max(text_width(line, font_size, italic=italic) for line in lines) + 2.0
    height = len(lines) * text_height(font_size, italic=italic) + 1.0
    c, s = turn
    return c * width + s * height, s * width + c * height


def _turns(tilts: np.ndarray) -> list[Turn]:
    """The turn of each tilt (degrees), worked out once per label rather than once per size tried."""
    radians = np.radians(np.asarray(tilts, dtype=float))
    return list(zip(np.abs(np.cos(radians)).tolist(), np.abs(np.sin(radians)).tolist()))


def place_labels(names: list[str], glyph_boxes: list[tuple[float, float, float, float]], tilts: np.ndarray,
                 font_size: float, edge_points: np.ndarray,
                 arrow_tips: list[tuple[float, float]], width: int, height: int,
                 *, italic: bool, obstacles: Sequence[Box] = (), min_font: float = 0.0) -> list[LabelSpot]:
    """One spot per name, in order; each avoids all glyph boxes, the ``obstacles`` and the labels
    placed before it, at a font size from ``font_size`` down to ``min_font`` at the least. A long
    name that finds no room on one line is tried on two (broken at a space) before its font shrinks.

    ``edge_points`` are (x, y, weight) samples along the connections: how much covering each costs.
    The first search step (full font size, nearest rings), which settles almost every label, is
    prepared for all labels at once, glyph checks and arrow tips included; only the check against
    earlier labels and the line cover of the spots still free run label by label.
    """
    canvas = _canvas(glyph_boxes, edge_points, arrow_tips, width, height, obstacles, _font_sizes(font_size, min_font))
    turns = _turns(tilts)
    first = _first_steps(names, turns, canvas, italic)
    spots: list[LabelSpot] = []
    for index, name in enumerate(names):
        spots.append(_place_one(name, index, turns[index], canvas, [spot.box for spot in spots], italic,
                                first.get(index)))
    return spots


def _font_sizes(font_size: float, min_font: float) -> tuple[float, ...]:
    """The font sizes tried in turn: the ``FONT_STEPS`` of ``font_size`` down to ``min_font``, and
    ``min_font`` itself when it falls between two steps."""
    sizes = [font_size * factor for factor in FONT_STEPS if font_size * factor >= min_font]
    if not sizes or font_size * FONT_STEPS[-1] < min_font < sizes[-1]:
        sizes.append(min_font)
    return tuple(sizes)


def _canvas(glyph_boxes: Sequence[Box], edge_points: np.ndarray, arrow_tips: Sequence[tuple[float, float]],
            width: int, height: int, obstacles: Sequence[Box], sizes: tuple[float, ...]) -> _Canvas:
    """The :class:`_Canvas` of these glyph boxes, weighted line samples, arrow tips and obstacles."""
    glyphs = np.array(glyph_boxes, dtype=float).reshape(-1, 4)
    points = np.array(edge_points, dtype=float).reshape(-1, 3)
    columns = math.floor(width / BUCKET) + 1
    keys = _buckets(points[:, 1], height) * columns + _buckets(points[:, 0], width)
    order = np.argsort(keys, kind="stable")
    blocks = np.concatenate([glyphs, np.array(obstacles, dtype=float).reshape(-1, 4)])
    return _Canvas(glyphs=glyphs, blocks=blocks, centres=(glyphs[:, :2] + glyphs[:, 2:]) / 2, points=points,
                   bucket_order=order, bucket_keys=keys[order], columns=columns,
                   tips=np.array(arrow_tips, dtype=float).reshape(-1, 2), width=width, height=height, sizes=sizes)


@dataclass(frozen=True)
class _Canvas:
    """What every label must avoid or weigh: glyph boxes and centres, the boxes no label may
    overlap (``blocks``: glyphs and marks), weighted line samples (x, y, weight) with their order
    by ``BUCKET`` square (``bucket_order``, ``bucket_keys``: row * ``columns`` + column), arrow
    tips, the canvas size and the font sizes to try (largest first)."""

    glyphs: np.ndarray
    blocks: np.ndarray
    centres: np.ndarray
    points: np.ndarray
    bucket_order: np.ndarray
    bucket_keys: np.ndarray
    columns: int
    tips: np.ndarray
    width: int
    height: int
    sizes: tuple[float, ...]

    def fits(self, w: float, h: float) -> bool:
        """Whether a ``w`` x ``h`` label fits on the canvas at all."""
        return not (w > self.width - 2 * EDGE or h > self.height - 2 * EDGE)

    def glyph(self, index: int) -> tuple[float, float, float, float]:
        """Glyph box ``index`` as plain floats."""
        return tuple(self.glyphs[index].tolist())

    def near(self, region: list[float], pad: float = NEAR_PAD) -> np.ndarray:
        """Indices (ascending) of the line samples within ``pad`` of ``region`` (x0, y0, x1, y1).

        The same comparisons as testing every sample, but only the samples in the ``BUCKET``
        squares the padded region meets are tested: a large sketch has a million samples, and
        a label's region holds few of them.
        """
        x0, y0, x1, y1 = region[0] - pad, region[1] - pad, region[2] + pad, region[3] + pad
        first, last = _buckets(np.array([x0, x1]), self.width).tolist()
        rows = np.arange(*(_buckets(np.array([y0, y1]), self.height) + [0, 1]))
        starts = np.searchsorted(self.bucket_keys, rows * self.columns + first, side="left")
        ends = np.searchsorted(self.bucket_keys, rows * self.columns + last, side="right")
        candidates = np.concatenate([self.bucket_order[start:end] for start, end in zip(starts, ends)])
        x, y = self.points[candidates, 0], self.points[candidates, 1]
        return np.sort(candidates[(x > x0) & (x < x1) & (y > y0) & (y < y1)])

    def near_each(self, regions: np.ndarray, pad: float = NEAR_PAD) -> tuple[np.ndarray, list[tuple[int, int]]]:
        """:meth:`near` of every row of ``regions``, worked out together: the indices one region
        after the other, and each region's (start, stop) in them.

        One set of array operations for all regions instead of one per region (the first search
        step asks for a region per label); the comparisons are those of :meth:`near`, so the indices
        are the same, and :meth:`near` is kept as the plain reference the tests hold this to.
        """
        x0, y0 = regions[:, 0] - pad, regions[:, 1] - pad
        x1, y1 = regions[:, 2] + pad, regions[:, 3] + pad
        first, last = _buckets(x0, self.width), _buckets(x1, self.width)
        top = _buckets(y0, self.height)
        rows_each = _buckets(y1, self.height) - top + 1
        region_of_row = np.repeat(np.arange(len(regions)), rows_each)
        row = top[region_of_row] + ranks(rows_each)
        starts = np.searchsorted(self.bucket_keys, row * self.columns + first[region_of_row], side="left")
        ends = np.searchsorted(self.bucket_keys, row * self.columns + last[region_of_row], side="right")
        counts = ends - starts
        owner = np.repeat(region_of_row, counts)
        candidates = self.bucket_order[np.repeat(starts, counts) + ranks(counts)]
        x, y = self.points[candidates, 0], self.points[candidates, 1]
        keep = (x > x0[owner]) & (x < x1[owner]) & (y > y0[owner]) & (y < y1[owner])
        owner, candidates = owner[keep], candidates[keep]
        found = candidates[np.lexsort((candidates, owner))]
        stops = np.cumsum(np.bincount(owner, minlength=len(regions))).tolist()
        return found, list(zip([0, *stops[:-1]], stops))


def _buckets(values: np.ndarray, extent: int) -> np.ndarray:
    """The ``BUCKET`` square index of each coordinate, clipped to the canvas (non-decreasing in the
    coordinate, so a range of coordinates maps to a range of squares)."""
    return np.minimum(np.maximum(np.floor(values / BUCKET), 0), math.floor(extent / BUCKET)).astype(np.int64)


class _Step(NamedTuple):
    """One search step of one label: its candidate spots at one font size in one ring group, and
    their order of preference, which does not depend on the labels placed before it.

    ``region`` is the rectangle around all spot boxes; ``ranked`` lists the spots that keep off
    every glyph, cheapest first (equal prices in the order of preference): the first of them that
    overlaps no placed label is the step's choice.
    """

    size: float
    rings: tuple[int, ...]
    centres: np.ndarray
    boxes: np.ndarray
    region: Box
    ranked: list[int]


def _first_steps(names: list[str], turns: list[Turn], canvas: _Canvas, italic: bool) -> dict[int, _Step]:
    """The first step (full size, first ring group) of every label that fits the canvas, by label index.

    Worked out ``FIRST_STEP_BATCH`` labels at a time: each label's step depends on its own row
    alone, and a batch's arrays (spots x glyphs, spots x arrow tips) stay small on a large spec.
    """
    size = canvas.sizes[0]
    dims = [label_size((name,), size, turn, italic=italic) for name, turn in zip(names, turns)]
    labels = [index for index, (w, h) in enumerate(dims) if canvas.fits(w, h)]
    sizes = np.array([dims[index] for index in labels], dtype=float).reshape(-1, 2)
    steps: dict[int, _Step] = {}
    for low in range(0, len(labels), FIRST_STEP_BATCH):
        batch = labels[low:low + FIRST_STEP_BATCH]
        steps.update(zip(batch, _steps(canvas, batch, size, sizes[low:low + FIRST_STEP_BATCH], RINGS[0])))
    return steps


def _place_one(name: str, index: int, turn: Turn, canvas: _Canvas, placed: list[Box],
               italic: bool, first: _Step | None) -> LabelSpot:
    """The best free spot for label ``index``: steps through font sizes and ring groups until one has room."""
    if first is not None and (spot := _choose(first, index, canvas, placed)) is not None:
        return spot._replace(lines=(name,))
    wrapped = wrap(name)
    variants = [(name,)] if wrapped is None else [(name,), wrapped]
    for number, size in enumerate(canvas.sizes):
        for rings, lines in itertools.product(RINGS, variants):
            if first is not None and number == 0 and rings == RINGS[0] and len(lines) == 1:
                continue
            w, h = label_size(lines, size, turn, italic=italic)
            if not canvas.fits(w, h):
                continue
            step = _steps(canvas, [index], size, np.array([[w, h]]), rings)[0]
            if (spot := _choose(step, index, canvas, placed)) is not None:
                return spot._replace(lines=lines)
    spot = _anywhere(name, canvas.glyph(index), turn, canvas.sizes[-1],
                     np.concatenate([canvas.blocks, np.array(placed).reshape(-1, 4)]), canvas.width, canvas.height,
                     italic)
    return spot._replace(lines=(name,))


def _choose(step: _Step, index: int, canvas: _Canvas, placed: list[Box]) -> LabelSpot | None:
    """The cheapest of the step's spots that overlaps no glyph and no placed label (None when all are taken).

    Only placed labels that reach into the step's region can take a spot, so only those are checked,
    and only until a spot is found free (most often the cheapest one is).
    """
    x0, y0, x1, y1 = step.region
    near = [box for box in placed if box[0] < x1 and x0 < box[2] and box[1] < y1 and y0 < box[3]]
    for spot in step.ranked:
        sx0, sy0, sx1, sy1 = box = step.boxes[spot].tolist()
        if not any(sx0 < bx1 and bx0 < sx1 and sy0 < by1 and by0 < sy1 for bx0, by0, bx1, by1 in near):
            leader = _leader(canvas.glyph(index), box) if _RING_OF[step.rings][spot] >= 2 else None
            return _spot(step.centres[spot].tolist(), step.size, box, leader)
    return None


def _line_prices(spots: _Spots, points: np.ndarray, bounds: list[tuple[int, int]], pattern: np.ndarray) -> np.ndarray:
    """Price of the line samples under each spot box grown by ``LINE_PAD`` (labels, spots): twice
    their weight, at most twice ``LINE_CAP``. Label ``row`` weighs ``points[low:high]`` for its (low, high) in ``bounds``.

    A spot box spans one of its label's x ranges and one of its y ranges (``pattern`` says which),
    so a sample is tested against those ranges once, not against every box. The weights are
    multiples of 1/4 (``S_LINE_WEIGHT`` and 1), so their sums are exact in any order, and one
    matrix product (each label's weights on its own samples, zero elsewhere) gives them all.
    """
    count, spots_per_label = spots.centres.shape[:2]
    if not len(points):
        return np.zeros((count, spots_per_label))
    owner = np.repeat(np.arange(count), [high - low for low, high in bounds])
    half_w, half_h = spots.half[:, 0:1], spots.half[:, 1:2]
    left, right = ((spots.xs - half_w) + -LINE_PAD).T, ((spots.xs + half_w) + LINE_PAD).T
    top, bottom = ((spots.ys - half_h) + -LINE_PAD).T, ((spots.ys + half_h) + LINE_PAD).T
    x, y = points[:, 0], points[:, 1]
    in_x = (x > left[:, owner]) & (x < right[:, owner])
    in_y = (y > top[:, owner]) & (y < bottom[:, owner])
    pattern_x, pattern_y = pattern
    weights = np.zeros((len(points), count))
    weights[np.arange(len(points)), owner] = points[:, 2]
    return 2.0 * np.minimum((in_x[pattern_x] & in_y[pattern_y]).astype(float) @ weights, LINE_CAP).T


def _steps(canvas: _Canvas, labels: list[int], size: float, dims: np.ndarray,
           rings: tuple[int, ...]) -> list[_Step]:
    """One step for each of ``labels`` (label box sizes ``dims`` as (w, h) rows) at font ``size``, all at once.

    The compiled routine (``sketch_label_prices.pyx``, built by setup.py) where it is built, a spot
    at a time in C; else :func:`_steps_numpy`, its test oracle, which gives the same steps.
    """
    if not labels:
        return []
    if compiled_price_steps is None:
        return _steps_numpy(canvas, labels, size, dims, rings)
    pattern_x, pattern_y = _SPOT_PATTERN[len(rings)]
    centres, boxes, regions, ranked = compiled_price_steps(
        canvas.glyphs, canvas.blocks, canvas.centres, canvas.points, canvas.bucket_order, canvas.bucket_keys,
        canvas.columns, canvas.tips, canvas.width, canvas.height, np.array(labels, dtype=np.int64),
        np.ascontiguousarray(dims, dtype=float), rings, *_SPOT_PRICES[rings], pattern_x, pattern_y, PRICE_RULES)
    return [_Step(size=size, rings=rings, centres=centres[row], boxes=boxes[row], region=region, ranked=order)
            for row, (region, order) in enumerate(zip(regions, ranked))]


def _steps_numpy(canvas: _Canvas, labels: list[int], size: float, dims: np.ndarray,
                 rings: tuple[int, ...]) -> list[_Step]:
    """:func:`_steps` by numpy: the spots of all ``labels`` priced together in array operations."""
    index = np.array(labels)
    spots = _candidates(canvas.glyphs[index], dims[:, 0], dims[:, 1], rings, canvas.width, canvas.height)
    centres, boxes = spots.centres, spots.boxes
    regions = np.concatenate([boxes[:, :, :2].min(axis=1), boxes[:, :, 2:].max(axis=1)], axis=1)
    found, bounds = canvas.near_each(regions)
    count, per_label = boxes.shape[:2]
    flat = boxes.reshape(-1, 4)
    clear = ~_overlaps_any(flat, canvas.blocks).reshape(count, per_label)
    tips = TIP_PRICE * _inside(flat, canvas.tips, TIP_PAD).sum(axis=1).reshape(count, per_label)
    ambiguity = _ambiguity(boxes, regions, canvas.centres, index)
    ring_price, order_price = _SPOT_PRICES[rings]
    lines = _line_prices(spots, canvas.points[found], bounds, _SPOT_PATTERN[len(rings)])
    prices = lines + tips + ambiguity + ring_price + order_price
    ranked = np.argsort(np.where(clear, prices, np.inf), axis=1, kind="stable").tolist()
    return [_Step(size=size, rings=rings, centres=centres[row], boxes=boxes[row], region=tuple(region),
                  ranked=row_ranked[:free])
            for row, (region, row_ranked, free) in enumerate(zip(regions.tolist(), ranked, clear.sum(axis=1).tolist()))]


class _Spots(NamedTuple):
    """Candidate label spots of a batch of labels: centres (labels, spots, 2) and boxes (labels,
    spots, 4), and the x and y positions (labels, positions) the centres combine (``SPOT_X``,
    ``SPOT_Y``) with each label's half width and height (labels, 2)."""

    centres: np.ndarray
    boxes: np.ndarray
    xs: np.ndarray
    ys: np.ndarray
    half: np.ndarray


def _candidates(glyphs: np.ndarray, w: np.ndarray, h: np.ndarray, rings: tuple[int, ...],
                width: int, height: int) -> _Spots:
    """Candidate label spots around each glyph (rows of ``glyphs``), in order of preference, on the canvas.

    Each ring has five x and five y positions (clipped to the canvas), combined by the fixed
    ``SPOT_X``/``SPOT_Y`` pattern.
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
    across = np.minimum(np.maximum(np.array(xs).T, low_x), high_x)
    down = np.minimum(np.maximum(np.array(ys).T, low_y), high_y)
    centres = np.empty((len(glyphs), len(pattern_x), 2))
    centres[..., 0] = across[:, pattern_x]
    centres[..., 1] = down[:, pattern_y]
    half = np.array([half_w, half_h]).T
    return _Spots(centres=centres, boxes=np.concatenate([centres - half[:, None, :], centres + half[:, None, :]], axis=2),
                  xs=across, ys=down, half=half)


SPOT_X = (0, 0, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4)
SPOT_Y = (0, 1, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4)
"""Per ring, which of its x (centre, left-aligned, right-aligned, right of, left of the glyph) and
y (below, above, centre, low beside, high beside) positions each of its 12 spots combines:
below, above, corner-aligned below and above, sides, then diagonals."""
_SPOT_PATTERN = {count: (np.array([i + 5 * r for r in range(count) for i in SPOT_X]),
                         np.array([i + 5 * r for r in range(count) for i in SPOT_Y])) for count in (1, 2)}
_RING_OF = {rings: [float(ring) for ring in rings for _ in SPOT_X] for rings in RINGS}
"""Ring of each candidate spot (12 per ring), per ring group."""
_SPOT_PRICES = {rings: (np.array([5.0 * ring for ring in ring_of]),
                        np.array([0.2 * spot / len(rings) for spot in range(len(ring_of))]))
                for rings, ring_of in _RING_OF.items()}
"""Per ring group, the fixed parts of each spot's price: 5 per ring outwards, and 0.1 per place in
the order of preference (a tie-break)."""


def _boxes(centres: np.ndarray, w: float, h: float) -> np.ndarray:
    half = np.array([w / 2, h / 2])
    return np.concatenate([centres - half, centres + half], axis=1)


def _overlaps_any(boxes: np.ndarray, obstacles: np.ndarray) -> np.ndarray:
    if len(obstacles) == 0:
        return np.zeros(len(boxes), dtype=bool)
    b, o = boxes[:, None, :], obstacles[None, :, :]
    hit = (b[..., 0] < o[..., 2]) & (o[..., 0] < b[..., 2]) & (b[..., 1] < o[..., 3]) & (o[..., 1] < b[..., 3])
    return hit.any(axis=1)


def _ambiguity(boxes: np.ndarray, regions: np.ndarray, centres: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """``AMBIGUITY_PRICE`` for spots nearer to another glyph's centre than to the label's own (a
    reader would misattribute the label). ``boxes`` has shape (labels, spots, 4); ``labels`` are
    the glyph indices.

    Only glyphs whose centre lies within a spot's own distance (plus a margin) of the label's
    region are measured: any other is at least that far from every spot, so it cannot be nearer.
    """
    count, spots = boxes.shape[:2]
    if len(centres) < 2:
        return np.zeros((count, spots))
    own = _distances(boxes, centres[labels][:, None, :])
    reach = own.max(axis=1) + 2.0
    x, y = centres[:, 0], centres[:, 1]
    gap = np.maximum(np.maximum(regions[:, 0:1] - x, x - regions[:, 2:3]),
                     np.maximum(regions[:, 1:2] - y, y - regions[:, 3:4]))
    near = gap < reach[:, None]
    near[np.arange(count), labels] = False
    rows, others = near.nonzero()
    nearest = np.full((count, spots), np.inf)
    per_label = near.sum(axis=1)
    measured = per_label.nonzero()[0]
    if len(measured):
        starts = np.cumsum(per_label)[measured] - per_label[measured]
        nearest[measured] = np.minimum.reduceat(_distances(boxes[rows], centres[others][:, None, :]), starts, axis=0)
    return np.where(nearest + 1.0 < own, AMBIGUITY_PRICE, 0.0)


def _distances(boxes: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Distance from box to point, boxes (..., 4) broadcast against points (..., 2); 0 inside."""
    x, y = points[..., 0], points[..., 1]
    dx = np.maximum(0.0, np.maximum(boxes[..., 0] - x, x - boxes[..., 2]))
    dy = np.maximum(0.0, np.maximum(boxes[..., 1] - y, y - boxes[..., 3]))
    return np.hypot(dx, dy)


def _inside(boxes: np.ndarray, points: np.ndarray, pad: float) -> np.ndarray:
    """Whether each point lies strictly inside each box grown by ``pad``, shape (len(boxes), len(points))."""
    grown = boxes + np.array([-pad, -pad, pad, pad])
    x, y = points[:, 0], points[:, 1]
    return (x > grown[:, 0:1]) & (x < grown[:, 2:3]) & (y > grown[:, 1:2]) & (y < grown[:, 3:4])


def _leader(glyph: Box, box: list[float]) -> Box:
    """A line from the glyph's box edge to the nearest point of the label box."""
    gx, gy = (glyph[0] + glyph[2]) / 2, (glyph[1] + glyph[3]) / 2
    lx, ly = min(max(gx, box[0]), box[2]), min(max(gy, box[1]), box[3])
    dx, dy = lx - gx, ly - gy
    half_w, half_h = (glyph[2] - glyph[0]) / 2, (glyph[3] - glyph[1]) / 2
    t = min(half_w / abs(dx) if abs(dx) > 1e-9 else math.inf, half_h / abs(dy) if abs(dy) > 1e-9 else math.inf, 1.0)
    return (round(gx + dx * t, 2), round(gy + dy * t, 2), round(lx, 2), round(ly, 2))


LAST_RESORT_SHRINK = (1.0, 0.8, 0.65, 0.5, 0.4)
"""Extra font factors tried when even the whole canvas has no free spot at the smallest step."""


def _anywhere(name: str, glyph: Box, turn: Turn, size: float, obstacles: np.ndarray, width: int, height: int,
              italic: bool) -> LabelSpot:
    """The free spot nearest the glyph on a fine grid over the whole canvas (with a leader line).

    On a crowded canvas the text shrinks further until a spot is free (below the smallest legible
    size only when the whole canvas has no room for it); only when none is free even then does the
    label take the nearest spot and overlap.
    """
    for factor in LAST_RESORT_SHRINK:
        spot, free = _nearest_free(name, glyph, turn, size * factor, obstacles, width, height, italic)
        if free:
            return spot
    return spot


def _nearest_free(name: str, glyph: Box, turn: Turn, size: float, obstacles: np.ndarray, width: int, height: int,
                  italic: bool) -> tuple[LabelSpot, bool]:
    """The grid spot nearest the glyph that overlaps nothing, and whether one was free."""
    w, h = label_size((name,), size, turn, italic=italic)
    w, h = min(w, width - 2 * EDGE), min(h, height - 2 * EDGE)
    step = max(2.0, h / 3)
    xs = np.arange(EDGE + w / 2, width - EDGE - w / 2 + 1e-9, step)
    ys = np.arange(EDGE + h / 2, height - EDGE - h / 2 + 1e-9, step)
    if len(xs) == 0:
        xs = np.array([width / 2])
    if len(ys) == 0:
        ys = np.array([height / 2])
    grid = np.array(np.meshgrid(xs, ys)).reshape(2, -1).T
    gx, gy = (glyph[0] + glyph[2]) / 2, (glyph[1] + glyph[3]) / 2
    distance = np.hypot(grid[:, 0] - gx, grid[:, 1] - gy)
    free = ~_blocked(xs, ys, w, h, obstacles).reshape(-1)
    pick = int(np.flatnonzero(free)[np.argmin(distance[free])]) if free.any() else int(np.argmin(distance))
    box = _boxes(grid[pick:pick + 1], w, h)[0].tolist()
    return _spot(grid[pick].tolist(), size, box, _leader(glyph, box)), bool(free.any())


def _blocked(xs: np.ndarray, ys: np.ndarray, w: float, h: float, obstacles: np.ndarray) -> np.ndarray:
    """Whether the ``w`` x ``h`` box centred on each grid spot (ys rows, xs columns) overlaps an obstacle.

    The same comparisons as :func:`_overlaps_any` on the spots' boxes, in time linear in the grid
    rather than in grid times obstacles: the box edges grow with the (ascending) spot coordinates,
    so the spots an obstacle blocks form one block of rows and columns, found by binary search and
    painted with a two-dimensional difference array.
    """
    left, right, top, bottom = xs - w / 2, xs + w / 2, ys - h / 2, ys + h / 2
    x0, y0, x1, y1 = obstacles.reshape(-1, 4).T
    col_low, col_high = np.searchsorted(right, x0, side="right"), np.searchsorted(left, x1, side="left")
    row_low, row_high = np.searchsorted(bottom, y0, side="right"), np.searchsorted(top, y1, side="left")
    hit = (col_low < col_high) & (row_low < row_high)
    col_low, col_high, row_low, row_high = col_low[hit], col_high[hit], row_low[hit], row_high[hit]
    paint = np.zeros((len(ys) + 1, len(xs) + 1), dtype=np.int32)
    np.add.at(paint, (row_low, col_low), 1)
    np.add.at(paint, (row_low, col_high), -1)
    np.add.at(paint, (row_high, col_low), -1)
    np.add.at(paint, (row_high, col_high), 1)
    return paint.cumsum(axis=0).cumsum(axis=1)[:-1, :-1] > 0


def _spot(centre: list[float], size: float, box: list[float], leader: Box | None) -> LabelSpot:
    return LabelSpot(cx=round(centre[0], 2), cy=round(centre[1], 2), font_size=round(size, 2), box=tuple(box),
                     leader=leader)


compiled_price_steps: Callable[..., tuple[np.ndarray, np.ndarray, list[Box], list[list[int]]]] | None
compiled_price_steps = None if sketch_label_prices is None else sketch_label_prices.price_steps
