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

import itertools
import math
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np

Ink = Literal["body", "line", "solid"]
Point = tuple[float, float]
Stroke = tuple[str, Ink]


def fmt(value: float) -> str:
    """A coordinate with one decimal (0.1 px is below what any rasteriser shows); never ``-0.0``."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def fmt_points(points: Sequence[Point]) -> str:
    """Points as ``x y`` pairs joined by ``L``, each number exactly as :func:`fmt` writes it.

    One ``replace`` instead of a call per number: with one decimal, ``-0.0`` only ever occurs as
    a whole number, since a minus sign always starts a number.
    """
    return "L".join([f"{x:.1f} {y:.1f}" for x, y in points]).replace("-0.0", "0.0")


class Pen:
    """Writes path data; in the hand style every stroke wobbles and overshoots a little.

    Noise is drawn from ``rng`` in blocks and consumed in order (cheaper than one numpy call per
    point, and just as reproducible).
    """

    BLOCK = 2048

    def __init__(self, hand: bool, rng: np.random.Generator):
        self.hand = hand
        self.rng = rng
        self._normal: list[float] = []
        self._uniform: list[float] = []

    def normal(self, scale: float) -> float:
        if not self._normal:
            self._normal = self.rng.standard_normal(self.BLOCK).tolist()[::-1]
        return self._normal.pop() * scale

    def normals(self, count: int, scale: float) -> list[float]:
        """The next ``count`` draws of :meth:`normal`, in the same order, taken in one go."""
        if 0 < count <= len(self._normal):
            chunk = self._normal[-count:]
            del self._normal[-count:]
            return [value * scale for value in reversed(chunk)]
        out: list[float] = []
        while len(out) < count:
            if not self._normal:
                self._normal = self.rng.standard_normal(self.BLOCK).tolist()[::-1]
            take = min(count - len(out), len(self._normal))
            chunk = self._normal[-take:]
            del self._normal[-take:]
            out.extend(value * scale for value in reversed(chunk))
        return out

    def uniform(self, low: float, high: float) -> float:
        if not self._uniform:
            self._uniform = self.rng.random(self.BLOCK).tolist()[::-1]
        return low + (high - low) * self._uniform.pop()

    def polyline(self, points: Sequence[Point], closed: bool = False) -> str:
        pts = [(float(x), float(y)) for x, y in points]
        if closed:
            pts.append(pts[0])
        if self.hand:
            pts = self._wobble(pts, closed)
        return f"M{fmt_points(pts)}{'Z' if closed and not self.hand else ''}"

    def circle(self, centre: Point, radius: float) -> str:
        cx, cy = centre
        if not self.hand:
            r = fmt(radius)
            return (f"M{fmt(cx - radius)} {fmt(cy)}a{r} {r} 0 1 0 {fmt(2 * radius)} 0"
                    f"a{r} {r} 0 1 0 {fmt(-2 * radius)} 0Z")
        count = max(8, int(radius * 1.2))
        start = self.uniform(0, 2 * math.pi)
        step = (2 * math.pi + self.uniform(0.1, 0.35)) / count
        pts = []
        for k, noise in enumerate(self.normals(count + 1, 0.025)):
            r = radius * (1 + noise)
            pts.append((cx + r * math.cos(start + k * step), cy + r * math.sin(start + k * step)))
        return "M" + fmt_points(pts)

    def _wobble(self, pts: list[Point], closed: bool) -> list[Point]:
        """Jitter the corners, bend long strokes every ~14 px, overshoot the ends (or the closing corner)."""
        noise = self.normals(2 * len(pts), 0.35)
        corners = [(x + noise[2 * i], y + noise[2 * i + 1]) for i, (x, y) in enumerate(pts)]
        if closed:
            corners[-1] = corners[0]
        out = [corners[0]]
        for (ax, ay), (bx, by) in itertools.pairwise(corners):
            dx, dy = bx - ax, by - ay
            length = max(math.hypot(dx, dy), 1e-9)
            pieces = max(1, int(length / 14))
            nx, ny = -dy / length, dx / length
            for k, bend in enumerate(self.normals(pieces - 1, 0.45) if pieces > 1 else (), start=1):
                out.append((ax + dx * k / pieces + nx * bend, ay + dy * k / pieces + ny * bend))
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
