"""Glyph shapes, one per object kind, as SVG path data in the glyph's own frame.

A ``Pen`` turns ideal strokes into path data: exact lines in the ``clean`` style, wobbly pencil
lines (seeded jitter, small overshoots) in the ``hand`` style. Each glyph is a few strokes in
three inks: ``body`` (outline filled with paper, so the grid does not show through), ``line``
(strokes only) and ``solid`` (filled with graphite). Shapes are chosen so that a person tells the
14 kinds apart at 512 px: circles for source (play mark) and sink (cross), a flat tray of items
for a queue, squares with a hub (processor) or four cells (multiprocessor), a funnel (combiner),
a diamond with a fork (separator), a belt with rollers (conveyor), a triangle (dispatcher), a stick
figure (operator), a cart (task executer), a forklift (transporter), an arm (robot) and a flat
vehicle with a heading arrow (AGV).
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np

try:
    from twinforge.renderers import sketch_pen_lines
except ImportError:  # not built (no C compiler at install): Python draws the same lines
    sketch_pen_lines = None

Ink = Literal["body", "line", "solid"]
Point = tuple[float, float]
Stroke = tuple[str, Ink]


def fmt(value: float) -> str:
    """A coordinate with one decimal (0.1 px is below what any rasteriser shows); never ``-0.0``."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def fmt_points(points: Sequence[Point]) -> str:
    """Points as ``x y`` pairs joined by ``L``, each number exactly as :func:`fmt` writes it.

    The compiled writer (``sketch_pen_lines.pyx``) where it is built; else :func:`fmt_points_python`,
    its test oracle.
    """
    if compiled_pen_lines is not None:
        return pen_writer().points_text(points)
    return fmt_points_python(points)


def fmt_points_python(points: Sequence[Point]) -> str:
    """:func:`fmt_points` in Python.

    One ``replace`` instead of a call per number: with one decimal, ``-0.0`` only ever occurs as
    a whole number, since a minus sign always starts a number. Each pair is written by one bound
    ``str.format`` (the same text as ``f"{x:.1f} {y:.1f}"``, in half the time on long strokes).
    """
    return "L".join(itertools.starmap(_PAIR, points)).replace("-0.0", "0.0")


def fmt_xy(xs: Sequence[float], ys: Sequence[float]) -> str:
    """:func:`fmt_points` of the points ``zip(xs, ys)``, without building the pairs."""
    return "L".join(map(_PAIR, xs, ys)).replace("-0.0", "0.0")


_PAIR = "{:.1f} {:.1f}".format

TENTHS_LIMIT = 20_000
""":func:`fmt_many` looks up the text of values within ``TENTHS_LIMIT`` tenths of zero (2,000 px)."""
NEAR_HALF = 0.5 - 1e-7
""":func:`fmt_many` writes a value by :func:`fmt` itself when its tenths lie nearer a half than this."""


def fmt_many(values: np.ndarray) -> list[str]:
    """:func:`fmt` of each value, for many values at once.

    Each value is rounded to tenths in one array operation and its text looked up; a value whose
    tenths lie within 1e-7 of a half (where the float product could round the other way than the
    exact decimal rounding :func:`fmt` does) or beyond ``TENTHS_LIMIT`` is written by :func:`fmt`
    itself, so the text is always the same.
    """
    values = np.asarray(values, dtype=float)
    tenths = values * 10
    nearest = np.rint(tenths)
    with np.errstate(invalid="ignore"):  # an infinite value (written by fmt) has no distance to its tenths
        sure = (np.abs(tenths - nearest) < NEAR_HALF) & (np.abs(nearest) < TENTHS_LIMIT)
    texts = _tenths_array()[np.where(sure, nearest, 0.0).astype(np.intp) + TENTHS_LIMIT].tolist()
    for row in np.flatnonzero(~sure).tolist():
        texts[row] = fmt(float(values[row]))
    return texts


@functools.cache
def tenths_texts() -> tuple[str, ...]:
    """:func:`fmt` of every whole number of tenths within ``TENTHS_LIMIT`` of zero, lowest first
    (entry ``k + TENTHS_LIMIT`` is the text of ``k`` tenths)."""
    return tuple(fmt(k / 10) for k in range(-TENTHS_LIMIT, TENTHS_LIMIT))


@functools.cache
def pen_writer() -> sketch_pen_lines.Writer:
    """The compiled writer of path numbers, made once (it holds :func:`tenths_texts`)."""
    return compiled_pen_lines.Writer(tenths_texts(), fmt, TENTHS_LIMIT, NEAR_HALF)


@functools.cache
def _tenths_array() -> np.ndarray:
    """:func:`tenths_texts` as an object array, so that a whole array of rows is looked up at once."""
    return np.array(tenths_texts(), dtype=object)


class _Draws:
    """One kind of random draw, handed out in order. ``draw(BLOCK)`` is called only when the
    previous block is used up, so blocks of different kinds interleave on the generator exactly
    as the values are asked for; a block becomes Python floats one chunk at a time, as most of
    the last block of a sketch is never used."""

    BLOCK = 2048
    CHUNK = 256

    def __init__(self, draw: Callable[[int], np.ndarray]):
        self._draw = draw
        self._block = np.empty(0)
        self._block_at = 0
        self._chunk: list[float] = []
        self._at = 0

    def one(self) -> float:
        if self._at == len(self._chunk):
            self._next_chunk()
        self._at += 1
        return self._chunk[self._at - 1]

    def take(self, count: int) -> list[float]:
        """The next ``count`` values."""
        start = self._at
        if start + count <= len(self._chunk):
            self._at = start + count
            return self._chunk[start:start + count]
        return [self.one() for _ in range(count)]

    def _next_chunk(self) -> None:
        if self._block_at == len(self._block):
            self._block, self._block_at = self._draw(self.BLOCK), 0
        end = self._block_at + self.CHUNK
        self._chunk, self._at = self._block[self._block_at:end].tolist(), 0
        self._block_at = min(end, len(self._block))


BOW = 0.012
"""Largest bow of a long hand-drawn stroke, as a share of its length (a hand does not rule lines)."""


class Pen:
    """Writes path data; in the hand style every stroke wobbles and overshoots a little.

    Noise is drawn from ``rng`` in blocks of normal and of uniform draws and consumed in order
    (cheaper than one numpy call per point, and just as reproducible).
    """

    def __init__(self, hand: bool, rng: np.random.Generator | None):
        self.hand = hand
        self.rng = rng
        if rng is not None:
            self._normals = _Draws(rng.standard_normal)
            self._uniforms = _Draws(rng.random)

    def normal(self, scale: float) -> float:
        return self._normals.one() * scale

    def normals(self, count: int, scale: float) -> list[float]:
        """The next ``count`` draws of :meth:`normal`, in the same order, taken in one go."""
        return [value * scale for value in self._normals.take(count)]

    def uniform(self, low: float, high: float) -> float:
        return low + (high - low) * self._uniforms.one()

    def polyline(self, points: Sequence[Point], closed: bool = False) -> str:
        pts = list(points)
        if closed:
            pts.append(pts[0])
        if self.hand:
            if compiled_pen_lines is not None:
                return pen_writer().wobble_text(pts, closed, self, BOW)
            return f"M{fmt_points(self.wobble(pts, closed))}"
        return f"M{fmt_points(pts)}{'Z' if closed else ''}"

    def circle(self, centre: Point, radius: float) -> str:
        cx, cy = centre
        if not self.hand:
            r = fmt(radius)
            return (f"M{fmt(cx - radius)} {fmt(cy)}a{r} {r} 0 1 0 {fmt(2 * radius)} 0"
                    f"a{r} {r} 0 1 0 {fmt(-2 * radius)} 0Z")
        count = max(8, int(radius * 1.2))
        start = self.uniform(0, 2 * math.pi)
        step = (2 * math.pi + self.uniform(0.1, 0.35)) / count
        if compiled_pen_lines is not None:
            return pen_writer().circle_text(cx, cy, radius, start, step, self.normals(count + 1, 0.025))
        return "M" + fmt_points([_on_circle(cx, cy, radius * (1 + noise), start + k * step)
                                 for k, noise in enumerate(self.normals(count + 1, 0.025))])

    def wobble(self, pts: list[Point], closed: bool = False) -> list[Point]:
        """Jitter the corners, bow long strokes a little and bend them every ~14 px, overshoot the
        ends (or the closing corner).

        The compiled routine (``sketch_pen_lines.pyx``) where it is built, with the same draws and
        the same points; else :meth:`wobble_python`, its test oracle.
        """
        if compiled_pen_lines is not None:
            return compiled_pen_lines.wobble(pts, closed, self, BOW)
        return self.wobble_python(pts, closed)

    def wobble_python(self, pts: list[Point], closed: bool = False) -> list[Point]:
        """:meth:`wobble` in Python."""
        noise = self.normals(2 * len(pts), 0.45)
        corners = [(x + nx, y + ny) for (x, y), nx, ny in zip(pts, noise[0::2], noise[1::2])]
        if closed:
            corners[-1] = corners[0]
        out = [corners[0]]
        for (ax, ay), (bx, by) in itertools.pairwise(corners):
            dx, dy = bx - ax, by - ay
            length = max(math.hypot(dx, dy), 1e-9)
            pieces = int(length / 14)
            if pieces > 1:
                nx, ny = -dy / length, dx / length
                bow = max(-BOW, min(BOW, self.normal(BOW / 2))) * length
                out += [(ax + dx * k / pieces + nx * offset, ay + dy * k / pieces + ny * offset)
                        for k, bend in enumerate(self.normals(pieces - 1, 0.5), start=1)
                        for offset in (bend + bow * math.sin(math.pi * k / pieces),)]
            out.append((bx, by))
        if closed:
            u = self.uniform(0.05, 0.3)
            (x0, y0), (x1, y1) = out[0], out[1]
            out.append((x0 + (x1 - x0) * u, y0 + (y1 - y0) * u))
            return out
        for end, inner in ((0, 1), (-1, -2)):
            (ex, ey), (ix, iy) = out[end], out[inner]
            norm = math.hypot(ex - ix, ey - iy)
            if norm > 1e-9:
                grow = self.uniform(0.0, 1.5) / norm
                out[end] = (ex + (ex - ix) * grow, ey + (ey - iy) * grow)
        return out


def _on_circle(cx: float, cy: float, r: float, angle: float) -> Point:
    return cx + r * math.cos(angle), cy + r * math.sin(angle)


CLEAN_PEN = Pen(False, None)
"""The pen of the clean style: it draws exact strokes and never needs random numbers."""


def _rect(pen: Pen, x0: float, y0: float, x1: float, y1: float) -> str:
    return pen.polyline([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], closed=True)


def _source(pen: Pen, w: float, h: float) -> list[Stroke]:
    r = w
    return [(pen.circle((0, 0), r), "body"),
            (pen.polyline([(-0.28 * r, -0.4 * r), (0.45 * r, 0), (-0.28 * r, 0.4 * r)], closed=True), "solid")]


def _sink(pen: Pen, w: float, h: float) -> list[Stroke]:
    r, k = w, 0.42 * w
    return [(pen.circle((0, 0), r), "body"), (pen.circle((0, 0), 0.72 * r), "line"),
            (pen.polyline([(-k, -k), (k, k)]) + pen.polyline([(-k, k), (k, -k)]), "line")]


def _queue(pen: Pen, w: float, h: float) -> list[Stroke]:
    items = "".join(pen.circle((x * w, 0.1 * h), 0.48 * h) for x in (-0.6, 0.0, 0.6))
    tray = pen.polyline([(-w, -h), (-w, h), (w, h), (w, -h)])
    return [(_rect(pen, -w, -h, w, h), "body"), (tray + items, "line")]


def _processor(pen: Pen, w: float, h: float) -> list[Stroke]:
    return [(_rect(pen, -w, -h, w, h), "body"), (pen.circle((0, 0), 0.55 * min(w, h)), "line"),
            (pen.circle((0, 0), 0.14 * min(w, h)), "solid")]


def _multiprocessor(pen: Pen, w: float, h: float) -> list[Stroke]:
    k = 0.62
    cells = _rect(pen, -k * w, -k * h, k * w, k * h)
    cells += pen.polyline([(0, -k * h), (0, k * h)]) + pen.polyline([(-k * w, 0), (k * w, 0)])
    return [(_rect(pen, -w, -h, w, h), "body"), (cells, "line")]


def _combiner(pen: Pen, w: float, h: float) -> list[Stroke]:
    funnel = pen.polyline([(-w, -h), (w, -0.42 * h), (w, 0.42 * h), (-w, h)], closed=True)
    marks = pen.polyline([(-0.6 * w, -0.5 * h), (0.3 * w, 0)]) + pen.polyline([(-0.6 * w, 0.5 * h), (0.3 * w, 0)])
    return [(funnel, "body"), (marks, "line")]


def _separator(pen: Pen, w: float, h: float) -> list[Stroke]:
    diamond = pen.polyline([(0, -h), (w, 0), (0, h), (-w, 0)], closed=True)
    fork = pen.polyline([(-0.55 * w, 0), (0.0, 0)]) + pen.polyline([(0.45 * w, -0.3 * h), (0.0, 0), (0.45 * w, 0.3 * h)])
    return [(diamond, "body"), (fork, "line")]


def _conveyor(pen: Pen, w: float, h: float) -> list[Stroke]:
    pitch = max(2.2 * h, 6.0)
    count = max(1, int(2 * w / pitch))
    step = (w - -w) / (count + 1)  # the inner points of np.linspace(-w, w, count + 2), bit for bit
    inner = (k * step + -w for k in range(1, count + 1))
    rollers = "".join(pen.polyline([(x, -h), (x, h)]) for x in inner if abs(x) > 0.8 * h)
    chevron = pen.polyline([(-0.25 * h, -0.6 * h), (0.35 * h, 0), (-0.25 * h, 0.6 * h)])
    return [(_rect(pen, -w, -h, w, h), "body"), (rollers, "line"), (chevron, "line")]


def _dispatcher(pen: Pen, w: float, h: float) -> list[Stroke]:
    return [(pen.polyline([(0, -h), (w, h), (-w, h)], closed=True), "body"),
            (pen.circle((0, 0.3 * h), 0.2 * min(w, h)), "solid"),
            (pen.polyline([(0, -0.45 * h), (0, 0.05 * h)]), "line")]


def _operator(pen: Pen, w: float, h: float) -> list[Stroke]:
    head_r = 0.3 * h
    neck, hip = -h + 2 * head_r, 0.25 * h
    limbs = (pen.polyline([(0, neck), (0, hip)]) + pen.polyline([(-w, neck + 0.3 * h), (0, neck + 0.12 * h),
                                                                 (w, neck + 0.3 * h)])
             + pen.polyline([(-0.8 * w, h), (0, hip), (0.8 * w, h)]))
    return [(pen.circle((0, -h + head_r), head_r), "body"), (limbs, "line")]


def _task_executer(pen: Pen, w: float, h: float) -> list[Stroke]:
    wheel = 0.3 * h
    body = _rect(pen, -w, -0.55 * h, w, h - 2 * wheel)
    wheels = pen.circle((-0.55 * w, h - wheel), wheel) + pen.circle((0.55 * w, h - wheel), wheel)
    handle = pen.polyline([(0.55 * w, -0.55 * h), (0.85 * w, -h)])
    return [(body, "body"), (wheels + handle, "line")]


def _transporter(pen: Pen, w: float, h: float) -> list[Stroke]:
    wheel = 0.26 * h
    cab = pen.polyline([(-w, h - wheel), (-w, -0.2 * h), (-0.55 * w, -h), (0.2 * w, -h), (0.2 * w, h - wheel)],
                       closed=True)
    mast = pen.polyline([(0.45 * w, -h), (0.45 * w, 0.75 * h), (w, 0.75 * h)])
    wheels = pen.circle((-0.6 * w, h - wheel), wheel) + pen.circle((-0.05 * w, h - wheel), wheel)
    return [(cab, "body"), (mast, "line"), (wheels, "solid")]


def _robot(pen: Pen, w: float, h: float) -> list[Stroke]:
    base = _rect(pen, -0.65 * w, 0.68 * h, 0.65 * w, h)
    joints = [(0.0, 0.68 * h), (-0.45 * w, -0.1 * h), (0.45 * w, -0.62 * h)]
    arm = pen.polyline(joints)
    gripper = pen.polyline([(0.95 * w, -h), (0.45 * w, -0.62 * h), (0.95 * w, -0.3 * h)])
    dots = "".join(pen.circle(j, 0.13 * w) for j in joints[1:])
    return [(base, "body"), (arm + gripper, "line"), (dots, "solid")]


def _agv(pen: Pen, w: float, h: float) -> list[Stroke]:
    wheels = "".join(_rect(pen, x0 * w, y0 * h, x1 * w, y1 * h) for x0, x1 in ((-0.8, -0.4), (0.4, 0.8))
                     for y0, y1 in ((-1.0, -0.62), (0.62, 1.0)))
    heading = pen.polyline([(0.5 * w, 0), (-0.1 * w, -0.4 * h), (-0.1 * w, 0.4 * h)], closed=True)
    return [(wheels, "solid"), (_rect(pen, -w, -0.7 * h, w, 0.7 * h), "body"), (heading, "line")]


GLYPHS: dict[str, Callable[[Pen, float, float], list[Stroke]]] = {
    "source": _source,
    "sink": _sink,
    "queue": _queue,
    "processor": _processor,
    "multiprocessor": _multiprocessor,
    "combiner": _combiner,
    "separator": _separator,
    "conveyor": _conveyor,
    "dispatcher": _dispatcher,
    "operator": _operator,
    "task_executer": _task_executer,
    "transporter": _transporter,
    "robot": _robot,
    "agv": _agv,
}
"""Kind -> function drawing its glyph within half sizes (w, h) around the origin."""


def glyph_strokes(kind: str, pen: Pen, half_w: float, half_h: float) -> list[Stroke]:
    """Path data and ink of each stroke of a ``kind`` glyph."""
    return GLYPHS[kind](pen, half_w, half_h)


compiled_pen_lines = sketch_pen_lines
"""The compiled pen routines (None where they are not built; the tests set it to None to run the plain path)."""
