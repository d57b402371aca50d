"""Notes on the drawing that the glyphs and lines alone do not say, and the line legend.

- **Port numbers**: each flow arrow into a combiner carries its input port, circled, just before
  its arrowhead, or further back along it, or beside it when the arrow is short; never over a glyph
  or another number when any spot tried is clear. Input 1 is the container of a ``pack`` combiner
  and the line's item of a ``join`` combiner, so the number says which feeder brings containers and
  which brings parts.
- **Random routing**: an object that sends its items to a random output (``routing="random"``,
  a parallel line's source) gets an arc across its outgoing arrows and the word "random" beside
  it, placed clear of glyphs and lines.
- **Legend**: the line kinds present (flow, transport, operator, team), each with a sample of
  its line, in a strip along the bottom of the canvas; the drawing is fitted above it.

Part of :func:`twinforge.renderers.sketch_layout.layout_sketch`; pure geometry, no SVG.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterator

import numpy as np

from twinforge.renderers.sketch_geometry import (
    Box,
    EdgePlacement,
    GlyphPlacement,
    Legend,
    LegendEntry,
    MarkPlacement,
)
from twinforge.renderers.sketch_links import LINK_KINDS, LINK_STYLES
from twinforge.renderers.sketch_text import text_height, text_width
from twinforge.schemas import FactorySpec

PORT_RADIUS = 0.62
"""Radius of a port number's circle, in em of its font."""
PORT_ASIDE = (1.0, 1.6, 2.2, 2.8)
"""Distances (in circle radii, plus 3 px) from a line's end at which a port number is tried beside it."""
ROUTING_WORD = "random"
ROUTING_TURNS = (0.0, 25.0, -25.0, 50.0, -50.0, 80.0, -80.0, 180.0)
"""Directions (deg from the middle of the fan-out) tried in turn for the word "random"."""
LEGEND_SAMPLE = 2.2
"""Length of a legend's line sample, in em."""


def port_marks(spec: FactorySpec, edges: tuple[EdgePlacement, ...], glyphs: tuple[GlyphPlacement, ...],
               font_size: float, head: float, area: tuple[int, int]) -> list[MarkPlacement]:
    """The circled input port number on every flow arrow into a combiner: the first of
    :func:`_port_spots` that keeps clear of glyphs and earlier numbers or, when none does, the one
    that covers the least of them (area)."""
    combiners = {obj.name for obj in spec.objects if obj.kind == "combiner"}
    ports: dict[str, int] = defaultdict(int)
    radius = PORT_RADIUS * font_size
    marks: list[MarkPlacement] = []
    for edge in edges:
        if edge.target not in combiners or edge.kinds != ("flow",):
            continue
        ports[edge.target] += 1
        obstacles = [glyph.box for glyph in glyphs] + [mark.box for mark in marks]
        box = _port_box(_port_spots(edge.samples, head, radius), radius, obstacles, area)
        marks.append(MarkPlacement(kind="port", owner=edge.target, feeder=edge.source,
                                   text=str(ports[edge.target]),
                                   cx=round((box.x0 + box.x1) / 2, 2), cy=round((box.y0 + box.y1) / 2, 2),
                                   font_size=round(font_size, 2), box=box))
    return marks


def _port_box(spots: Iterator[tuple[float, float]], radius: float, obstacles: list[Box],
              area: tuple[int, int]) -> Box:
    """The box of the first spot (slid inside ``area``) that overlaps no obstacle, else of the spot
    that overlaps them least (summed area; the earlier spot on a tie)."""
    best: Box | None = None
    least = math.inf
    for x, y in spots:
        box = Box(x - radius, y - radius, x + radius, y + radius).moved_inside(*area)
        covered = sum(_overlap_area(box, other) for other in obstacles)
        if covered == 0.0:
            return box
        if covered < least:
            best, least = box, covered
    return best


def _overlap_area(a: Box, b: Box) -> float:
    """Area (px²) of the intersection of two boxes, 0 when only their edges touch or they are apart."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def _port_spots(samples: np.ndarray, head: float, radius: float) -> Iterator[tuple[float, float]]:
    """Centres to try for a port number of ``radius`` on a line ending at ``samples[-1]``, best
    first: on the line one, two and three radii behind its head (while the line is long enough),
    beside the head on either side; then further back on the line a radius at a time, up to half
    its length; then beside the line's end, ``PORT_ASIDE`` radii from it (nearest first), from
    beside the head to two radii behind it, measured along its last segment (so also past the
    start of a short line)."""
    length = float(np.hypot(*np.diff(samples, axis=0).T).sum())
    on_line = [head + radius * k + 2.0 for k in (1, 2, 3)]
    yield from (_point_back(samples, back) for back in on_line if back + radius + 6.0 <= length)
    (x0, y0), (x1, y1) = samples[-2].tolist(), samples[-1].tolist()
    step = math.hypot(x1 - x0, y1 - y0) or 1.0
    aside = (radius + 3.0) / step
    bx, by = _point_back(samples, 0.6 * head)
    yield from ((bx + side * (y0 - y1) * aside, by + side * (x1 - x0) * aside) for side in (1, -1))
    back = on_line[-1] + radius
    while back + radius + 6.0 <= length and back <= length / 2:
        yield _point_back(samples, back)
        back += radius
    ux, uy = (x1 - x0) / step, (y1 - y0) / step
    for offset in (radius * share + 3.0 for share in PORT_ASIDE):
        for behind in (0.6 * head, radius + 2.0, on_line[0], on_line[1]):
            for side in (offset, -offset):
                yield x1 - ux * behind - uy * side, y1 - uy * behind + ux * side


def _point_back(samples: np.ndarray, distance: float) -> tuple[float, float]:
    """The point ``distance`` px back from the end of a line along its samples (at most half way)."""
    points = samples.tolist()[::-1]
    steps = [math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(points)]
    distance = min(distance, sum(steps) / 2)
    walked = 0.0
    for (x0, y0), (x1, y1), step in zip(points, points[1:], steps):
        if walked + step >= distance and step > 0:
            t = (distance - walked) / step
            return x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
        walked += step
    return points[-1][0], points[-1][1]


def routing_marks(spec: FactorySpec, edges: tuple[EdgePlacement, ...], glyphs: tuple[GlyphPlacement, ...],
                  size: float, font_size: float, taken: list[Box], area: tuple[int, int],
                  italic: bool) -> list[MarkPlacement]:
    """An arc across the outgoing arrows of each object that routes at random, and the word
    "random" beside it: the first of ``ROUTING_TURNS`` that stays in ``area`` and clear of glyphs
    and ``taken`` boxes, preferring spots over few lines."""
    randoms = {obj.name for obj in spec.flow_objects if getattr(obj, "routing", "") == "random"}
    by_name = {glyph.name: glyph for glyph in glyphs}
    outgoing: dict[str, list[EdgePlacement]] = defaultdict(list)
    for edge in edges:
        if edge.source in randoms and edge.kinds == ("flow",):
            outgoing[edge.source].append(edge)
    samples = np.concatenate([edge.samples for edge in edges]) if edges else np.zeros((0, 2))
    marks: list[MarkPlacement] = []
    for name, outs in outgoing.items():
        if len(outs) < 2:
            continue
        glyph = by_name[name]
        radius = max(math.hypot(e.start[0] - glyph.cx, e.start[1] - glyph.cy) for e in outs) + 0.3 * size
        angles = [_crossing_angle(e.samples, glyph.cx, glyph.cy, radius) for e in outs]
        first, last = _covering_arc(angles)
        arc = (round(glyph.cx, 2), round(glyph.cy, 2), round(radius, 2), round(first - 8.0, 2), round(last + 8.0, 2))
        w = text_width(ROUTING_WORD, font_size, italic=italic) + 2.0
        h = text_height(font_size, italic=italic) + 1.0
        box = _routing_box(glyph, radius, (first + last) / 2, w, h, glyphs, [*taken, *(m.box for m in marks)],
                           samples, area)
        marks.append(MarkPlacement(kind="routing", owner=name, feeder=None, text=ROUTING_WORD,
                                   cx=round((box.x0 + box.x1) / 2, 2), cy=round((box.y0 + box.y1) / 2, 2),
                                   font_size=round(font_size, 2), box=box, arc=arc))
    return marks


def arc_samples(arc: tuple[float, float, float, float, float]) -> np.ndarray:
    """Points every few px along an arc (centre x, y, radius, first and last angle in deg), as rows."""
    cx, cy, radius, first, last = arc
    angles = np.radians(np.linspace(first, last, max(2, int(radius * math.radians(last - first) / 5.0) + 1)))
    return np.column_stack([cx + radius * np.cos(angles), cy + radius * np.sin(angles)])


def _crossing_angle(samples: np.ndarray, cx: float, cy: float, radius: float) -> float:
    """Screen angle (deg) of the first sample of a line at least ``radius`` from (cx, cy) (its last
    sample when none is that far)."""
    for x, y in samples.tolist():
        if math.hypot(x - cx, y - cy) >= radius:
            break
    return math.degrees(math.atan2(y - cy, x - cx))


def _covering_arc(angles: list[float]) -> tuple[float, float]:
    """The shortest arc (first, last angle in deg, last >= first) that holds all ``angles``: the
    circle minus the widest gap between neighbouring angles."""
    ordered = sorted(a % 360.0 for a in angles)
    gaps = [(ordered[(i + 1) % len(ordered)] - ordered[i]) % 360.0 for i in range(len(ordered))]
    widest = gaps.index(max(gaps))
    first = ordered[(widest + 1) % len(ordered)]
    last = ordered[widest]
    return first, last if last >= first else last + 360.0


def _routing_box(glyph: GlyphPlacement, radius: float, middle: float, w: float, h: float,
                 glyphs: tuple[GlyphPlacement, ...], taken: list[Box], samples: np.ndarray,
                 area: tuple[int, int]) -> Box:
    """The box of the word "random": just outside the arc, towards the first free direction."""
    best, best_price = None, math.inf
    x, y = samples[:, 0], samples[:, 1]
    for turn in ROUTING_TURNS:
        angle = math.radians(middle + turn)
        ux, uy = math.cos(angle), math.sin(angle)
        reach = radius + 4.0 + abs(ux) * w / 2 + abs(uy) * h / 2
        cx, cy = glyph.cx + ux * reach, glyph.cy + uy * reach
        box = Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2).moved_inside(*area)
        blocked = sum(box.overlaps(g.box) for g in glyphs) + sum(box.overlaps(t) for t in taken)
        lines = int(((x > box.x0) & (x < box.x1) & (y > box.y0) & (y < box.y1)).sum())
        price = 1000.0 * blocked + 2.0 * lines + abs(turn) / 25.0
        if price < best_price:
            best, best_price = box, price
    return best


def legend_layout(kinds: set[str], width: int, height: int, font_size: float, italic: bool) -> Legend | None:
    """The legend of the line kinds present, in one or two rows at the bottom left of the canvas
    (None when only flow lines are drawn or the legend does not fit)."""
    present = [kind for kind in LINK_KINDS if kind in kinds]
    if len(present) < 2:
        return None
    pad, sample, gap, sep = 0.4 * font_size, LEGEND_SAMPLE * font_size, 0.3 * font_size, 1.0 * font_size
    row = text_height(font_size, italic=italic) + 0.2 * font_size
    words = [text_width(LINK_STYLES[kind].word, font_size, italic=italic) for kind in present]
    rows: list[list[int]] = [[]]
    x = pad
    for index, word in enumerate(words):
        extent = sample + gap + word
        if rows[-1] and x + extent > width - 2 * pad - 4:
            rows.append([])
            x = pad
        rows[-1].append(index)
        x += extent + sep
    right = max(pad + sum(sample + gap + words[i] + sep for i in line) - sep for line in rows) + pad
    tall = len(rows) * row + 2 * pad
    if len(rows) > 2 or right > width - 4 or tall > 0.25 * height:
        return None
    box = Box(2.0, height - 2.0 - tall, 2.0 + right, height - 2.0)
    entries = []
    for number, line in enumerate(rows):
        y = box.y0 + pad + (number + 0.5) * row
        x = box.x0 + pad
        for index in line:
            entries.append(LegendEntry(kind=present[index], x0=round(x, 2), x1=round(x + sample, 2), y=round(y, 2),
                                       text_x=round(x + sample + gap, 2)))
            x += sample + gap + words[index] + sep
    return Legend(box=box, font_size=round(font_size, 2), entries=tuple(entries))
