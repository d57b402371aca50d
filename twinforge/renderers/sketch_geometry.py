"""The value types a layout sketch is made of: screen boxes, glyph, edge and label placements, the grid.

Shared by the placement (``sketch_glyph_placement``), routing (``sketch_edge_routing``) and
drawing (``sketch``) steps, and inspected by tests; no computation beyond box tests lives here.
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

    ``samples`` are points along the drawn line, shape (n, 2), every few px.
    """

    source: str
    target: str
    port: Literal["A", "S"]
    start: tuple[float, float]
    end: tuple[float, float]
    control: tuple[float, float] | None
    samples: np.ndarray = field(compare=False, repr=False)


@dataclass(frozen=True)
class LabelPlacement:
    """One object's name: text centre, font size, rotation (deg) and the conservative screen box."""

    name: str
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
