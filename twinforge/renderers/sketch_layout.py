"""Geometry of a layout sketch: where every glyph, connection and label goes on the canvas.

Pure computation, no SVG: the drawing step (``sketch.py``) only paints what this module decides,
and tests check the boxes here for overlaps without parsing SVG. The steps live in their own
modules: the legend strip and the marks (``sketch_marks``: port numbers, random routing), glyph
placement (``sketch_glyph_placement``: floor to canvas above the legend, pushing crowded glyphs
apart), edge routing (``sketch_edge_routing``: connections bent around glyphs) and label
placement (``sketch_label_search``: a small deterministic search over candidate spots around
each glyph, so no label covers another label, a mark or any glyph). The value types are in
``sketch_geometry`` and re-exported here.

Sizes follow the canvas's shorter side, which a vision encoder scales to 336 (or 224) px: labels
are 1/34 of it, and never smaller than 9.2 px at 336 on a model of up to ``LEGIBLE_OBJECTS``
objects; glyphs are 1/16.7 of it, lines 1/17 of a glyph.
"""

from __future__ import annotations

import math

import numpy as np

from twinforge.renderers.sketch_edge_routing import route_edges
from twinforge.renderers.sketch_geometry import (
    Box,
    EdgePlacement,
    GlyphPlacement,
    Grid,
    LabelPlacement,
    Legend,
    MarkPlacement,
    SketchLayout,
    Style,
    clip,
)
from twinforge.renderers.sketch_glyph_placement import (
    GLYPH_EXTENT,
    fit_to_canvas,
    fitted_glyph_size,
    floor_points,
    pairwise,
    place_glyphs,
    push_apart,
)
from twinforge.renderers.sketch_label_search import FONT_STEPS, place_labels
from twinforge.renderers.sketch_links import head_scale, link_kinds
from twinforge.renderers.sketch_marks import arc_samples, legend_layout, port_marks, routing_marks
from twinforge.schemas import FactorySpec

__all__ = [
    "Box",
    "EdgePlacement",
    "GlyphPlacement",
    "Grid",
    "LabelPlacement",
    "Legend",
    "MarkPlacement",
    "SketchLayout",
    "Style",
    "clip",
    "layout_sketch",
]

S_LINE_WEIGHT = 0.25
"""A label over a dashed S line costs this fraction of one over a flow arrow. A multiple of 1/4, so
that the label search sums line weights exactly in whatever order it adds them."""
FONT_EM = 1 / 34
"""Label font size as a share of the canvas's shorter side (22.6 px at 768, 9.9 px once at 336)."""
LEGIBLE_EM = 9.2 / 336
"""Smallest label font as a share of the shorter side: 9.2 px when that side is scaled to 336 px."""
LEGIBLE_OBJECTS = 25
"""Models of up to this many objects (the sketch-mode limit) keep every label at ``LEGIBLE_EM``;
larger ones may shrink labels further to find room."""
GLYPH_EM = 1 / 16.7
"""Glyph size as a share of the shorter side (46 px at 768), before crowded glyphs shrink."""

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
    side = min(width, height)
    font_size = max(side * FONT_EM, 4.0)
    legible = min(side * LEGIBLE_EM, font_size)
    min_font = legible if count <= LEGIBLE_OBJECTS else font_size * FONT_STEPS[-1]
    base_glyph = max(side * GLYPH_EM, 8.0)
    links = link_kinds(spec)
    legend = legend_layout({kind for both in links for kind in both}, width, height, legible, hand)
    area = (width, math.floor(legend.box.y0) - 2 if legend is not None else height)

    floor = floor_points(spec)
    centres, scale, grid = fit_to_canvas(floor, *area, base_glyph, font_size)
    delta, dist = pairwise(centres)
    glyph_size = fitted_glyph_size(dist, base_glyph)
    kinds = [obj.kind for obj in spec.objects]
    radii = np.array([max(GLYPH_EXTENT[k][:2]) for k in kinds]) * glyph_size
    margin = np.array([glyph_size * 0.6 + 4, glyph_size * 0.6 + 4])
    centres = push_apart(centres, delta, dist, radii, 0.3 * glyph_size, margin, *area)

    glyphs = place_glyphs(spec, centres, glyph_size, glyph_tilt, min(scale))
    edges = route_edges(spec, glyphs, glyph_size, links, legend.box if legend is not None else None)
    marks = port_marks(spec, edges, glyphs, font_size, 9.0 * head_scale(glyph_size), area)
    marks += routing_marks(spec, edges, glyphs, glyph_size, legible, [mark.box for mark in marks], area, hand)
    labels = place_labels(
        [g.name for g in glyphs], [_as_tuple(g.box) for g in glyphs], label_tilt, font_size,
        _weighted_samples(edges, marks),
        [edge.end for edge in edges if edge.port == "A"],
        *area, italic=hand, obstacles=[_as_tuple(mark.box) for mark in marks], min_font=min_font,
    )
    placed = tuple(
        LabelPlacement(name=g.name, lines=lab.lines, cx=lab.cx, cy=lab.cy, font_size=lab.font_size,
                       rotation=float(tilt), box=Box(*lab.box), leader=lab.leader)
        for g, lab, tilt in zip(glyphs, labels, label_tilt)
    )
    return SketchLayout(width=width, height=height, style=style, scale=scale, glyph_size=glyph_size,
                        grid=grid, glyphs=glyphs, edges=edges, labels=placed, marks=tuple(marks), legend=legend)


def _weighted_samples(edges: tuple[EdgePlacement, ...], marks: list[MarkPlacement]) -> np.ndarray:
    """All edge and routing-arc samples as rows (x, y, weight): covering an S line matters less
    than covering an arrow or an arc."""
    lines = [e.samples for e in edges] + [arc_samples(mark.arc) for mark in marks if mark.arc is not None]
    if not lines:
        return np.zeros((0, 3))
    rows = np.empty((sum(len(samples) for samples in lines), 3))
    rows[:, :2] = np.concatenate(lines)
    weights = [1.0 if e.port == "A" else S_LINE_WEIGHT for e in edges] + [1.0] * (len(lines) - len(edges))
    rows[:, 2] = np.array(weights).repeat([len(samples) for samples in lines])
    return rows


def _as_tuple(box: Box) -> tuple[float, float, float, float]:
    return (box.x0, box.y0, box.x1, box.y1)
