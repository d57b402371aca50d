"""The hand style's pencil: strokes whose width follows the pressure, and uneven lettering.

A pencil line is not a stroked path of one width. :func:`pencil_outline` takes the wobbly centre
line a :class:`~twinforge.renderers.sketch_glyphs.Pen` drew and returns a filled outline around
it: thin where the pencil touches down and lifts off, then swelling and thinning along the way
as the pressure changes (a slow wave of random length and phase, and a random pressure per
stroke); :class:`PencilBatch` writes many such outlines at once, with the same text and the same
draws. :func:`lettering` gives each character of a hand-written label its own small turn, rise
and shift, as SVG ``rotate``, ``dy`` and ``dx`` lists. Every random number comes from the pen, in
drawing order, so the same seed gives the same bytes.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from twinforge.renderers import sketch_glyphs
from twinforge.renderers.sketch_arrays import ranks
from twinforge.renderers.sketch_glyphs import (
    NEAR_HALF,
    TENTHS_LIMIT,
    Pen,
    Point,
    fmt,
    fmt_many,
    fmt_xy,
    pen_writer,
    tenths_texts,
)
from twinforge.renderers.sketch_text import HAND_RISE, HAND_SHIFT, HAND_TILT

try:
    from twinforge.renderers import sketch_pencil_points
except ImportError:  # not built (no C compiler at install): numpy and Python write the same outlines
    sketch_pencil_points = None

STEP = 7.0
"""Centre lines are resampled to at most this many px between points, so the width can vary."""
MAX_POINTS = 32
"""A long line is resampled more coarsely, so that it keeps about this many points (SVG size)."""
TAPER = 7.0
"""Length in px over which a stroke swells from its thin ends to full width."""
_flat = itertools.chain.from_iterable
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
Line = tuple[int, list[Point], float, float, float]
"""A centre line in a :class:`PencilBatch`: its outline's ticket, its points, and its draws (press, wave, phase)."""
MARK = "\x00"
"""Brackets the ticket of a deferred outline in SVG text (:meth:`PencilBatch.mark`); XML text never holds it."""


def subpaths(d: str) -> list[list[Point]]:
    """The point lists of path data made of ``M`` and ``L`` commands only (what a hand pen writes)."""
    lines = []
    for part in d.split("M")[1:]:
        try:  # what a pen writes: numbers separated by spaces and L (twice as fast as the pattern)
            values = list(map(float, part.replace("L", " ").split()))
        except ValueError:
            values = [float(v) for v in _NUMBER.findall(part)]
        lines.append(list(zip(values[0::2], values[1::2])))
    return lines


def drawn_lines(d: str) -> list[list[Point]]:
    """The point lists of the ``M``/``L`` path data ``d`` that a pencil draws: those with a segment
    longer than 1e-9 px.

    The compiled reader (``sketch_pencil_points.pyx``) where it is built and ``d`` is what a pen
    writes; else :func:`drawn_lines_python`, its test oracle.
    """
    if compiled_drawn_lines is not None and (lines := compiled_drawn_lines(d)) is not None:
        return lines
    return drawn_lines_python(d)


def drawn_lines_python(d: str) -> list[list[Point]]:
    """:func:`drawn_lines` by :func:`subpaths`."""
    return [points for points in subpaths(d)
            if any(math.hypot(x1 - x0, y1 - y0) > 1e-9 for (x0, y0), (x1, y1) in itertools.pairwise(points))]


def pencil_outline(d: str, width: float, pen: Pen) -> str:
    """Filled outlines (path data) of the pencil strokes along the centre lines in ``d``, about
    ``width`` px wide."""
    return "".join(_outline(points, width, pen) for points in subpaths(d) if len(points) > 1)


class PencilBatch:
    """Pencil outlines whose draws are taken from the pen now, in drawing order, and whose
    arithmetic is done later for all of them at once (:meth:`outlines`).

    The text of each outline is that of :func:`pencil_outline` (its plain reference, which the
    tests hold this to). A sketch's glyphs have a few hundred short strokes: a Python loop per
    point and a format call per number cost most of the hand style's drawing time, and here both
    are array operations over all strokes (numbers written by ``fmt_many``).
    """

    def __init__(self) -> None:
        self._lines: list[Line] = []
        self._count = 0

    def add(self, d: str, width: float, pen: Pen) -> int:
        """Take the pen's draws for the outline of ``d`` (as :func:`pencil_outline` would); returns
        the index of its text in :meth:`outlines`."""
        ticket = self._count
        self._count += 1
        for points in drawn_lines(d):
            press = pen.uniform(0.75, 1.15) * width / 2
            wave, phase = 2 * math.pi / pen.uniform(35.0, 90.0), pen.uniform(0.0, 2 * math.pi)
            self._lines.append((ticket, points, press, wave, phase))
        return ticket

    def mark(self, d: str, width: float, pen: Pen) -> str:
        """:meth:`add`, returned as a mark to write where the outline's text goes; :func:`fill_marks`
        puts the text there once :meth:`outlines` has worked out all of them."""
        return f"{MARK}{self.add(d, width, pen)}{MARK}"

    def outlines(self) -> list[str]:
        """The outline text of every :meth:`add`, in order."""
        texts: list[list[str]] = [[] for _ in range(self._count)]
        if self._lines:
            for (ticket, *_), text in zip(self._lines, _outlines(self._lines)):
                texts[ticket].append(text)
        return ["".join(parts) for parts in texts]


def fill_marks(text: str, outlines: list[str]) -> str:
    """``text`` with each :meth:`PencilBatch.mark` in it replaced by the text of its outline."""
    parts = text.split(MARK)
    parts[1::2] = [outlines[int(ticket)] for ticket in parts[1::2]]
    return "".join(parts)


class _Segments(NamedTuple):
    """The segments of a batch of lines with their length and direction, each segment's line and
    running length along it, the normal at its first point, and per line its draws, total length,
    resampling step and taper."""

    start_x: np.ndarray
    start_y: np.ndarray
    dx: np.ndarray
    dy: np.ndarray
    length: np.ndarray
    ux: np.ndarray
    uy: np.ndarray
    line: np.ndarray
    along: np.ndarray
    corner_x: np.ndarray
    corner_y: np.ndarray
    press: np.ndarray
    wave: np.ndarray
    phase: np.ndarray
    total: np.ndarray
    step: np.ndarray
    taper: np.ndarray


def _segments(lines: list[Line]) -> _Segments:
    """:func:`_outline`'s work per segment and per line, term for term, for all ``lines`` at once
    (zero-length segments dropped; lengths by ``math.hypot``, as there)."""
    counts = [len(points) for _, points, *_ in lines]
    xy = np.fromiter(_flat(_flat(points for _, points, *_ in lines)), dtype=float, count=2 * sum(counts)).reshape(-1, 2)
    inner = np.ones(len(xy) - 1, dtype=bool)
    inner[(np.cumsum(counts) - 1)[:-1]] = False
    first = np.flatnonzero(inner)
    dx, dy = xy[first + 1, 0] - xy[first, 0], xy[first + 1, 1] - xy[first, 1]
    length = np.array(list(map(math.hypot, dx.tolist(), dy.tolist())))
    kept = length > 1e-9
    line = np.repeat(np.arange(len(lines)), np.array(counts) - 1)[kept]
    first, dx, dy, length = first[kept], dx[kept], dy[kept], length[kept]
    lengths = length.tolist()
    along, total = [], []
    low = 0
    for count in np.bincount(line, minlength=len(lines)).tolist():
        sums = list(itertools.accumulate(lengths[low:low + count], initial=0.0))
        along += sums[:-1]
        total.append(sums[-1])
        low += count
    ux, uy = dx / length, dy / length
    mean_x, mean_y = np.roll(ux, 1) + ux, np.roll(uy, 1) + uy
    norm = np.array(list(map(math.hypot, mean_x.tolist(), mean_y.tolist())))
    starts_line = np.ones(len(length), dtype=bool)
    starts_line[1:] = line[1:] != line[:-1]
    bent = ~starts_line & (norm >= 1e-6)
    safe = np.where(bent, norm, 1.0)
    press, wave, phase = (np.array([entry[column] for entry in lines]) for column in (2, 3, 4))
    return _Segments(start_x=xy[first, 0], start_y=xy[first, 1], dx=dx, dy=dy, length=length, ux=ux, uy=uy,
                     line=line, along=np.array(along), corner_x=np.where(bent, -mean_y / safe, -uy),
                     corner_y=np.where(bent, mean_x / safe, ux), press=press, wave=wave, phase=phase,
                     total=np.array(total), step=np.array([max(STEP, value / MAX_POINTS) for value in total]),
                     taper=np.array([min(TAPER, value / 3) for value in total]))


def _outlines(lines: list[Line]) -> list[str]:
    """The outline text of each line (points, press, wave, phase), as :func:`_outline` writes it:
    the points of all outlines worked out at once (:func:`outline_points`), then written (:func:`outline_texts`)."""
    return outline_texts(*outline_points(lines))


def outline_texts(xs: np.ndarray, ys: np.ndarray, around: np.ndarray) -> list[str]:
    """Path data ``M x y L x y ... Z`` of each outline, ``around`` points each, one after the other
    in ``xs`` and ``ys``; each number as ``fmt`` writes it.

    The compiled routine (``sketch_pencil_points.pyx``) where it is built, into one C buffer per
    outline; else :func:`outline_texts_python`, its test oracle.
    """
    if compiled_outline_texts is not None:
        return compiled_outline_texts(xs, ys, around, tenths_texts(), fmt, TENTHS_LIMIT, NEAR_HALF)
    return outline_texts_python(xs, ys, around)


def outline_texts_python(xs: np.ndarray, ys: np.ndarray, around: np.ndarray) -> list[str]:
    """:func:`outline_texts` by ``fmt_many`` and one join per outline."""
    numbers = fmt_many(np.concatenate([xs, ys]))
    total = len(xs)
    tokens = ["L"] * (4 * total)
    tokens[0::4], tokens[1::4], tokens[2::4] = numbers[:total], [" "] * total, numbers[total:]
    ends = (4 * np.cumsum(around)).tolist()
    return ["M" + "".join(tokens[start:stop - 1]) + "Z" for start, stop in zip([0, *ends[:-1]], ends)]


def outline_points(lines: list[Line]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Outline x and y of every line, one outline after the other, and each outline's point count.

    The compiled routine (``sketch_pencil_points.pyx``, built by setup.py) where it is built, one
    point at a time in C; else :func:`outline_points_numpy`, its test oracle, which gives the same
    doubles.
    """
    if compiled_outline_points is not None:
        return compiled_outline_points(lines, STEP, MAX_POINTS, TAPER)
    return outline_points_numpy(lines)


def outline_points_numpy(lines: list[Line]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`outline_points` by numpy: :func:`_outline`'s arithmetic, term for term, on arrays of
    all the lines' resampled points (sines by ``math.sin``, as there)."""
    seg = _segments(lines)
    pieces = np.ceil(seg.length / seg.step[seg.line]).astype(np.int64)
    # Every resampled point: its segment, its place k in it, then _outline's per-point terms.
    point_segment = np.repeat(np.arange(len(pieces)), pieces)
    k = ranks(pieces)
    line = seg.line[point_segment]
    length, count_of = seg.length[point_segment], pieces[point_segment]
    s = seg.along[point_segment] + length * k / count_of
    end = seg.total[line] - s
    swell = 0.3 + 0.7 * np.where(s <= end, s, end) / seg.taper[line]
    sines = np.array(list(map(math.sin, (seg.wave[line] * s + seg.phase[line]).tolist())))
    half = seg.press[line] * (1.0 + 0.3 * sines) * np.where(swell < 1.0, swell, 1.0)
    x = seg.start_x[point_segment] + seg.dx[point_segment] * k / count_of
    y = seg.start_y[point_segment] + seg.dy[point_segment] * k / count_of
    corner = k == 0
    off_x = np.where(corner, seg.corner_x[point_segment], -seg.uy[point_segment]) * half
    off_y = np.where(corner, seg.corner_y[point_segment], seg.ux[point_segment]) * half

    last = np.cumsum(np.bincount(seg.line, minlength=len(lines))) - 1
    cap_x, cap_y = seg.start_x[last] + seg.dx[last], seg.start_y[last] + seg.dy[last]
    cap_sines = np.array(list(map(math.sin, (seg.wave * seg.total + seg.phase).tolist())))
    cap_half = seg.press * (1.0 + 0.3 * cap_sines) * 0.3
    cap_dx, cap_dy = seg.uy[last] * cap_half, seg.ux[last] * cap_half
    # Each outline runs along the left side, across the far end, and back along the right side.
    points, count = len(x), len(lines)
    per_point = np.bincount(line, minlength=count)
    around = 2 * per_point + 2
    outline_of = np.repeat(np.arange(count), around)
    rank = ranks(around)
    size, offset = per_point[outline_of], (np.cumsum(per_point) - per_point)[outline_of]
    order = np.where(rank < size, offset + rank,
                     np.where(rank == size, 2 * points + outline_of,
                              np.where(rank == size + 1, 2 * points + count + outline_of,
                                       points + offset + 2 * size + 1 - rank)))
    xs = np.concatenate([x + off_x, x - off_x, cap_x - cap_dx, cap_x + cap_dx])[order]
    ys = np.concatenate([y + off_y, y - off_y, cap_y + cap_dy, cap_y - cap_dy])[order]
    return xs, ys, around


def _outline(points: list[Point], width: float, pen: Pen) -> str:
    """One stroke: the centre line, resampled, offset to both sides by half the pressed width (at a
    corner, along the mean of the two segments' normals)."""
    segments = []
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        length = math.hypot(x1 - x0, y1 - y0)
        if length > 1e-9:
            segments.append((x0, y0, x1 - x0, y1 - y0, length))
    if not segments:
        return ""
    total = sum(segment[4] for segment in segments)
    step = max(STEP, total / MAX_POINTS)
    press = pen.uniform(0.75, 1.15) * width / 2
    wave, phase = 2 * math.pi / pen.uniform(35.0, 90.0), pen.uniform(0.0, 2 * math.pi)
    taper = min(TAPER, total / 3)
    left_x, left_y, right_x, right_y = [], [], [], []
    along, before = 0.0, None
    sin = math.sin
    for x0, y0, dx, dy, length in segments:
        ux, uy = dx / length, dy / length
        pieces = math.ceil(length / step)
        for k in range(pieces):
            if k == 0 and before is not None:
                nx, ny = _mean_normal(before, (ux, uy))
            else:
                nx, ny = -uy, ux
            s = along + length * k / pieces
            # Conditionals rather than min(): the calls were a tenth of the pencil's time.
            end = total - s
            swell = 0.3 + 0.7 * (s if s <= end else end) / taper  # noqa: FURB136 - speed, as said above
            half = press * (1.0 + 0.3 * sin(wave * s + phase)) * (swell if swell < 1.0 else 1.0)  # noqa: FURB136
            x, y = x0 + dx * k / pieces, y0 + dy * k / pieces
            off_x, off_y = nx * half, ny * half
            left_x.append(x + off_x)
            left_y.append(y + off_y)
            right_x.append(x - off_x)
            right_y.append(y - off_y)
        along += length
        before = (ux, uy)
    x, y = x0 + dx, y0 + dy
    half = press * (1.0 + 0.3 * sin(wave * total + phase)) * 0.3
    left_x.append(x - uy * half)
    left_y.append(y + ux * half)
    right_x.append(x + uy * half)
    right_y.append(y - ux * half)
    return "M" + fmt_xy(left_x + right_x[::-1], left_y + right_y[::-1]) + "Z"


def _mean_normal(first: tuple[float, float], second: tuple[float, float]) -> tuple[float, float]:
    """The unit normal halfway between those of two unit directions (the second's when they oppose)."""
    mx, my = first[0] + second[0], first[1] + second[1]
    norm = math.hypot(mx, my)
    if norm < 1e-6:
        return -second[1], second[0]
    return -my / norm, mx / norm


def lettering(text: str, font_size: float, pen: Pen, drop: float = 0.0) -> dict[str, str]:
    """SVG text attributes that letter ``text`` by hand: per character a turn (``rotate``, deg), a
    rise (``dy``, px, relative to the character before; the first also moves ``drop`` px down, to
    the next line) and a shift (``dx``, px). The first and last characters keep their places along
    the baseline, so the label keeps the width it was given.

    The compiled routine (``sketch_pen_lines.pyx``) where it is built, with the same draws and
    text; else :func:`lettering_python`, its test oracle.
    """
    if sketch_glyphs.compiled_pen_lines is not None:
        dx, dy, rotate = pen_writer().lettering(len(text), font_size, pen, drop, HAND_TILT, HAND_RISE, HAND_SHIFT)
        return {"dx": dx, "dy": dy, "rotate": rotate}
    return lettering_python(text, font_size, pen, drop)


def lettering_python(text: str, font_size: float, pen: Pen, drop: float = 0.0) -> dict[str, str]:
    """:func:`lettering` in Python."""
    count = len(text)
    turns = [round(value) for value in _clipped(pen.normals(count, HAND_TILT / 2), HAND_TILT)]
    rises = [round(value * font_size, 1) for value in _clipped(pen.normals(count, HAND_RISE / 2), HAND_RISE)]
    limit = HAND_SHIFT * font_size
    shifts = [round(value, 1) for value in _clipped(pen.normals(count, limit / 2), limit)]
    shifts[0] = 0.0
    if count > 1:
        shifts[-1] = round(-sum(shifts[:-1]), 1)
        if abs(shifts[-1]) > limit:
            shifts = [0.0] * count
    steps = [rises[0] + drop] + [b - a for a, b in itertools.pairwise(rises)]
    return {"dx": _fmt_list(shifts), "dy": _fmt_list(steps), "rotate": " ".join(map(str, turns))}


def _clipped(values: list[float], limit: float) -> list[float]:
    """Each value clipped to [-limit, limit] (conditionals rather than max and min: a third of the
    lettering's time went to those calls)."""
    low = -limit
    return [(limit if value > limit else low if value < low else value) for value in values]  # noqa: FURB136 - speed


def _fmt_list(values: list[float]) -> str:
    """Numbers separated by spaces, each exactly as :func:`~twinforge.renderers.sketch_glyphs.fmt` writes it (one ``replace`` for
    ``-0.0``, as in ``fmt_points``)."""
    return " ".join(map(_NUMBER_TEXT, values)).replace("-0.0", "0.0")


_NUMBER_TEXT = "{:.1f}".format


compiled_outline_points: Callable[[list[Line], float, float, float], tuple[np.ndarray, np.ndarray, np.ndarray]] | None
compiled_outline_points = None if sketch_pencil_points is None else sketch_pencil_points.outline_points
compiled_outline_texts: Callable[..., list[str]] | None = None if sketch_pencil_points is None else sketch_pencil_points.outline_texts
compiled_drawn_lines: Callable[[str], list[list[Point]] | None] | None
compiled_drawn_lines = None if sketch_pencil_points is None else sketch_pencil_points.drawn_lines
