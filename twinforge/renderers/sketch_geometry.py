"""The value types a layout sketch is made of: screen boxes, glyph, edge, mark, legend and label
placements, the grid.

Shared by the placement (``sketch_glyph_placement``), routing (``sketch_edge_routing``), marks
(``sketch_marks``) and drawing (``sketch``) steps, and inspected by tests; no computation beyond
box tests lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

Style = Literal["clean", "hand"]


def clip(value: float, low: float, high: float) -> float:
    """``np.clip`` for one float, without numpy's overhead on scalars."""
    return min(max(value, low), high)


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

    def moved_inside(self, width: float, height: float) -> Box:
        """This box slid the least distance that puts it inside a ``width`` x ``height`` canvas (its
        top left corner at the canvas's when it is larger than the canvas)."""
        dx = max(-self.x0, min(width - self.x1, 0.0))
        dy = max(-self.y0, min(height - self.y1, 0.0))
        if dx == 0 and dy == 0:
            return self
        return Box(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)


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

    ``kinds`` are the lines drawn for it (``sketch_links``: flow, team, transport, operator; two
    side by side for a station that needs both an operator and transport). ``samples`` are points
    along the drawn line, shape (n, 2), every few px.
    """

    source: str
    target: str
    port: Literal["A", "S"]
    kinds: tuple[str, ...]
    start: tuple[float, float]
    end: tuple[float, float]
    control: tuple[float, float] | None
    samples: np.ndarray = field(compare=False, repr=False)


@dataclass(frozen=True)
class MarkPlacement:
    """A note on the drawing: a combiner's (``owner``) input port number, circled on the arrow from
    ``feeder`` (``port``), or the word "random" beside an arc across the outputs of an object that
    routes at random (``routing``; ``arc`` is centre x, y, radius, first and last angle in degrees,
    clockwise)."""

    kind: Literal["port", "routing"]
    owner: str
    feeder: str | None
    text: str
    cx: float
    cy: float
    font_size: float
    box: Box
    arc: tuple[float, float, float, float, float] | None = None


@dataclass(frozen=True)
class LegendEntry:
    """One legend line: a sample of a line kind from ``x0`` to ``x1`` at height ``y``, then its word
    starting at ``text_x``."""

    kind: str
    x0: float
    x1: float
    y: float
    text_x: float


@dataclass(frozen=True)
class Legend:
    """The line legend in a strip along the bottom of the canvas, clear of the drawing."""

    box: Box
    font_size: float
    entries: tuple[LegendEntry, ...]


@dataclass(frozen=True)
class LabelPlacement:
    """One object's name: text centre, font size, rotation (deg), the conservative screen box, the
    dotted leader line to its glyph (if any), and its lines of text (the name, or the name broken
    at a space into two)."""

    name: str
    lines: tuple[str, ...]
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
    marks: tuple[MarkPlacement, ...]
    legend: Legend | None
