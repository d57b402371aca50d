"""Geometry of a layout sketch: where every glyph, connection and label goes on the canvas.

Pure computation, no SVG: the drawing step (``sketch.py``) only paints what this module decides,
and tests check the boxes here for overlaps without parsing SVG. The steps live in their own
modules: glyph placement (``sketch_glyph_placement``: floor to canvas, pushing crowded glyphs
apart), edge routing (``sketch_edge_routing``: connections bent around glyphs) and label
placement (``sketch_label_search``: a small deterministic search over candidate spots around
each glyph, so no label covers another label or any glyph). The value types are in
``sketch_geometry`` and re-exported here.
"""

from __future__ import annotations

import numpy as np

from twinforge.renderers.sketch_edge_routing import route_edges
from twinforge.renderers.sketch_geometry import (
    Box,
    EdgePlacement,
    GlyphPlacement,
    Grid,
    LabelPlacement,
    SketchLayout,
    Style,
    clip,
)
from twinforge.renderers.sketch_glyph_placement import (
    GLYPH_EXTENT,
    fit_to_canvas,
    floor_points,
    pairwise,
    place_glyphs,
    push_apart,
    shrunk_glyph_size,
)
from twinforge.renderers.sketch_label_search import place_labels
from twinforge.schemas import FactorySpec

__all__ = [
    "Box",
    "EdgePlacement",
    "GlyphPlacement",
    "Grid",
    "LabelPlacement",
    "SketchLayout",
    "Style",
    "clip",
    "layout_sketch",
]

S_LINE_WEIGHT = 0.12
"""A label over a dashed S line costs this fraction of one over a flow arrow."""

HAND_GLYPH_TILT = 4.0
HAND_LABEL_TILT = 2.5
"""Largest random rotation in degrees of glyphs and labels in the hand-drawn style."""


def layout_sketch(spec: FactorySpec, *, style: Style, rng: np.random.Generator,
                  size: tuple[int, int]) -> SketchLayout:
    """Place glyphs, connections and labels of ``spec`` on a ``size`` canvas (px)."""
    width, height = size
    count = len(spec.objects)
    hand = style == "hand"
    glyph_tilt = rng.uniform(-HAND_GLYPH_TILT, HAND_GLYPH_TILT, count) if hand else np.zeros(count)
    label_tilt = rng.uniform(-HAND_LABEL_TILT, HAND_LABEL_TILT, count) if hand else np.zeros(count)
    font_size = clip(min(width, height) / 32.0, 8.0, 13.0)
    base_glyph = clip(min(width, height) / 9.5, 16.0, 46.0)

    floor = floor_points(spec)
    centres, scale, grid = fit_to_canvas(floor, width, height, base_glyph, font_size)
    delta, dist = pairwise(centres)
    glyph_size = shrunk_glyph_size(dist, base_glyph)
    kinds = [obj.kind for obj in spec.objects]
    radii = np.array([max(GLYPH_EXTENT[k][:2]) for k in kinds]) * glyph_size
    margin = np.array([glyph_size * 0.6 + 4, glyph_size * 0.6 + 4])
    centres = push_apart(centres, delta, dist, radii, 0.3 * glyph_size, margin, width, height)

    glyphs = place_glyphs(spec, centres, glyph_size, glyph_tilt, min(scale))
    edges = route_edges(spec, glyphs, glyph_size)
    labels = place_labels(
        [g.name for g in glyphs], [_as_tuple(g.box) for g in glyphs], label_tilt, font_size,
        _weighted_samples(edges),
        [edge.end for edge in edges if edge.port == "A"],
        width, height, italic=hand,
    )
    placed = tuple(
        LabelPlacement(name=g.name, cx=lab.cx, cy=lab.cy, font_size=lab.font_size, rotation=float(tilt),
                       box=Box(*lab.box), leader=lab.leader)
        for g, lab, tilt in zip(glyphs, labels, label_tilt)
    )
    return SketchLayout(width=width, height=height, style=style, scale=scale, glyph_size=glyph_size,
                        grid=grid, glyphs=glyphs, edges=edges, labels=placed)


def _weighted_samples(edges: tuple[EdgePlacement, ...]) -> np.ndarray:
    """All edge samples as rows (x, y, weight): covering an S line matters less than covering an arrow."""
    if not edges:
        return np.zeros((0, 3))
    rows = np.empty((sum(len(e.samples) for e in edges), 3))
    rows[:, :2] = np.concatenate([e.samples for e in edges])
    weights = [1.0 if e.port == "A" else S_LINE_WEIGHT for e in edges]
    rows[:, 2] = np.array(weights).repeat([len(e.samples) for e in edges])
    return rows


def _as_tuple(box: Box) -> tuple[float, float, float, float]:
    return (box.x0, box.y0, box.x1, box.y1)
