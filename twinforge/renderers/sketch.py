"""Layout sketches: a FactorySpec drawn as a pencil-on-grid-paper SVG (drawsvg), and its PNG.

The sketch is the visual half of a GDT triplet (paper section 3.1): a vision-language model reads
station order, queue placement and connections from it. Every object gets a glyph of its kind and
a label with its exact name; every ``A`` connection is an arrow (item flow, or dispatcher to team
member) and every ``S`` connection a dashed line. Two styles: ``clean`` (exact strokes) and
``hand`` (seeded pencil wobble, slightly turned glyphs and labels). Randomness comes only from
``np.random.default_rng(seed)`` and element ids from counters, so the same spec, style, seed and
size give the same SVG bytes, and the same PNG bytes.

Geometry lives in ``sketch_layout`` and the modules it names (use :func:`sketch_layout` to
inspect boxes), glyph shapes in ``sketch_glyphs``, rasterisation in ``sketch_raster``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from xml.sax.saxutils import escape

import drawsvg as draw
import numpy as np

from twinforge.renderers.sketch_glyphs import CLEAN_PEN, Pen, Stroke, fmt, fmt_points, glyph_strokes
from twinforge.renderers.sketch_layout import (
    EdgePlacement,
    GlyphPlacement,
    SketchLayout,
    Style,
    clip,
    layout_sketch,
)
from twinforge.renderers.sketch_raster import PAPER, check_size, parse_size, svg_to_png
from twinforge.renderers.sketch_text import BASELINE_SHIFT, FONT_FAMILY
from twinforge.schemas import FactorySpec

__all__ = ["SketchLayout", "parse_size", "render_sketch_svg", "sketch_layout", "svg_to_png"]

GRID_MINOR = "#dbe6ef"
GRID_MAJOR = "#bfd2e2"
INK = {"clean": "#263238", "hand": "#34373a"}
TEAM_INK = "#455a64"
LINK_INK = "#6b7f8c"
TEXT_INK = {"clean": "#14202b", "hand": "#23272b"}


def sketch_layout(spec: FactorySpec, *, style: Style = "clean", seed: int = 0,
                  size: tuple[int, int] = (768, 384)) -> SketchLayout:
    """The geometry :func:`render_sketch_svg` draws for these arguments (glyph, edge and label boxes)."""
    _check_style(style)
    check_size(tuple(size))
    return layout_sketch(spec, style=style, rng=np.random.default_rng(seed), size=tuple(size))


def render_sketch_svg(spec: FactorySpec, *, style: Style = "clean", seed: int = 0,
                      size: tuple[int, int] = (768, 384)) -> str:
    """The layout sketch of ``spec`` as SVG text on a ``size`` px canvas."""
    _check_style(style)
    check_size(tuple(size))
    rng = np.random.default_rng(seed)
    layout = layout_sketch(spec, style=style, rng=rng, size=tuple(size))
    return draw_layout(layout, Pen(style == "hand", rng))


def _check_style(style: str) -> None:
    if style not in ("clean", "hand"):
        raise ValueError(f"sketch style {style!r}: expected 'clean' or 'hand'")


def draw_layout(layout: SketchLayout, pen: Pen) -> str:
    """Paint a computed layout: paper and grid, connections, glyphs, then labels on top.

    The many small elements (edges, glyph strokes, labels) are written as SVG text directly and
    handed to drawsvg as raw blocks: building one drawsvg object per stroke cost more than the
    rest of the drawing. The text is the same drawsvg would write for those elements.
    """
    canvas = draw.Drawing(layout.width, layout.height, id_prefix="sketch",
                          preserveAspectRatio="xMidYMid meet")
    canvas.append(draw.Rectangle(0, 0, layout.width, layout.height, fill=PAPER))
    for path in _grid_paths(layout):
        canvas.append(path)
    canvas.append(draw.Raw(_edges(layout, pen)))
    canvas.append(draw.Raw(_glyphs(layout, pen)))
    canvas.append(draw.Raw(_labels(layout)))
    return canvas.as_svg()


def _tag(name: str, attrs: dict[str, object], content: str | None = None) -> str:
    """One SVG element as drawsvg writes it: attributes in order, self-closing when empty."""
    args = "".join(f' {key}="{value}"' for key, value in attrs.items())
    return f"<{name}{args} />" if content is None else f"<{name}{args}>{content}</{name}>"


def _group(attrs: dict[str, object], children: Sequence[str]) -> str:
    """A ``<g>`` around ``children``, one per line (drawsvg's layout)."""
    if not children:
        return _tag("g", attrs)
    return _tag("g", attrs, "\n" + "".join(child + "\n" for child in children))


def _grid_paths(layout: SketchLayout) -> list[draw.Path]:
    """Grid paper: one cell per ``grid.step_m`` metres of floor; every fifth line darker.

    Lines sit on pixel centres (of the canvas at its own size) and ask for ``crispEdges``: a
    hairline between two pixel rows is smeared over both, which looks blurred and made the PNGs
    half as large again. Shifting a line by under half a pixel is invisible on a printed grid.
    """
    grid, width, height = layout.grid, layout.width, layout.height
    paths = {True: [], False: []}
    for origin, extent, vertical in ((grid.origin_x, width, True), (grid.origin_y, height, False)):
        first = math.ceil(-origin / grid.step_px)
        last = math.floor((extent - origin) / grid.step_px)
        for k in range(first, last + 1):
            at = fmt(math.floor(origin + k * grid.step_px) + 0.5)
            line = f"M{at} 0V{height}" if vertical else f"M0 {at}H{width}"
            paths[k % 5 == 0].append(line)
    crisp = {"fill": "none", "shape_rendering": "crispEdges"}
    return [
        draw.Path("".join(paths[False]), stroke=GRID_MINOR, stroke_width=0.6, **crisp),
        draw.Path("".join(paths[True]), stroke=GRID_MAJOR, stroke_width=0.9, **crisp),
    ]


ARROW_SHAPES = {"clean": ((0.0, 0.0), (-9.0, -4.2), (-6.8, 0.0), (-9.0, 4.2)),
                "hand": ((0.5, 0.0), (-9.0, -4.6), (-6.4, -0.2), (-8.6, 4.0))}
"""Arrowhead outlines with the tip at the origin pointing along +x, in px before scaling."""
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _edges(layout: SketchLayout, pen: Pen) -> str:
    """The connections group: each edge's stroke, then for an ``A`` edge its arrowhead.

    Arrowheads are filled paths rather than an SVG ``<marker>``: markers are drawn by some
    rasterisers and viewers and silently dropped by others (Skia's SVG module among them).
    """
    team = {g.name for g in layout.glyphs if g.kind == "dispatcher"}
    width = clip(layout.glyph_size / 24.0, 0.9, 1.7)
    scale = clip(layout.glyph_size / 34.0, 0.7, 1.2)
    paths = []
    for edge in layout.edges:
        d = _edge_path(edge, pen)
        if edge.port == "S":
            attrs = {"stroke": LINK_INK, "stroke-width": round(0.7 * width, 2), "stroke-dasharray": "6 4",
                     "class": "link"}
        elif edge.source in team:
            attrs = {"stroke": TEAM_INK, "stroke-width": round(0.8 * width, 2), "class": "team"}
        else:
            attrs = {"stroke": INK[layout.style], "stroke-width": round(width, 2), "class": "flow"}
        paths.append(_tag("path", {"d": d, **attrs}))
        if edge.port != "S":
            head = _arrowhead_path(d, ARROW_SHAPES[layout.style], scale)
            paths.append(_tag("path", {"d": head, "fill": attrs["stroke"], "stroke": "none", "class": "arrowhead"}))
    return _group({"fill": "none", "stroke-linecap": "round"}, paths)


def _arrowhead_path(edge_d: str, shape: tuple[tuple[float, float], ...], scale: float) -> str:
    """``shape`` placed at the end of the drawn edge ``edge_d`` and turned along its last segment.

    The last two points of the path data are the end and the point before it (or the curve's
    control point), exactly the direction an SVG marker with ``orient="auto"`` would take.
    """
    x0, y0, x1, y1 = (float(v) for v in _NUMBER.findall(edge_d)[-4:])
    length = float(np.hypot(x1 - x0, y1 - y0)) or 1.0
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    points = [(x1 + scale * (px * ux - py * uy), y1 + scale * (px * uy + py * ux)) for px, py in shape]
    return "M" + fmt_points(points) + "Z"


def _edge_path(edge: EdgePlacement, pen: Pen) -> str:
    (x0, y0), (x1, y1) = edge.start, edge.end
    if edge.control is None:
        if pen.hand:
            return pen.polyline([edge.start, edge.end])
        return f"M{fmt(x0)} {fmt(y0)}L{fmt(x1)} {fmt(y1)}"
    cx, cy = edge.control
    if pen.hand:
        cx, cy = cx + pen.normal(1.5), cy + pen.normal(1.5)
    return f"M{fmt(x0)} {fmt(y0)}Q{fmt(cx)} {fmt(cy)} {fmt(x1)} {fmt(y1)}"


def _glyphs(layout: SketchLayout, pen: Pen) -> str:
    """The glyphs group: one translated (and turned) group of strokes per object."""
    ink = INK[layout.style]
    width = clip(layout.glyph_size / 22.0, 0.9, 1.9)
    items = []
    for glyph in layout.glyphs:
        turn = fmt(glyph.rotation)
        transform = f"translate({fmt(glyph.cx)} {fmt(glyph.cy)})"
        if turn != "0.0":
            transform += f" rotate({turn})"
        if pen.hand:
            paths = _hand_glyph_paths(glyph, pen, ink, round(0.6 * width, 2))
        else:
            paths = _clean_glyph_paths(glyph.kind, glyph.half_w, glyph.half_h, ink)
        items.append(_group({"transform": transform}, paths))
    return _group({"stroke": ink, "stroke-width": round(width, 2), "fill": "none", "stroke-linecap": "round",
                   "stroke-linejoin": "round"}, items)


def _hand_glyph_paths(glyph: GlyphPlacement, pen: Pen, ink: str, shadow_width: float) -> list[str]:
    """The ``<path>`` elements of a hand-style glyph: its strokes, then a faint shifted copy of its body."""
    strokes = glyph_strokes(glyph.kind, pen, glyph.half_w, glyph.half_h)
    body = next(d for d, kind in strokes if kind == "body")
    shift_x, shift_y = fmt(pen.normal(0.6)), fmt(pen.normal(0.6))
    shadow = (f'<path d="{body}" stroke-opacity="0.35" stroke-width="{shadow_width}" '
              f'transform="translate({shift_x} {shift_y})" />')
    return [*_stroke_paths(strokes, ink), shadow]


def _stroke_paths(strokes: Sequence[Stroke], ink: str) -> list[str]:
    """One ``<path>`` per glyph stroke, filled as its ink says (the text :func:`_tag` would write)."""
    fills = {"body": f' fill="{PAPER}"', "solid": f' fill="{ink}"', "line": ""}
    return [f'<path d="{d}"{fills[kind]} />' for d, kind in strokes]


@lru_cache(maxsize=1024)
def _clean_glyph_paths(kind: str, half_w: float, half_h: float, ink: str) -> tuple[str, ...]:
    """The ``<path>`` elements of a clean-style glyph. A clean pen draws no random numbers, so the
    text depends on these arguments alone; glyphs of one kind in one sketch mostly share a size."""
    return tuple(_stroke_paths(glyph_strokes(kind, CLEAN_PEN, half_w, half_h), ink))


def _labels(layout: SketchLayout) -> str:
    """The labels group: each name as text (XML-escaped), with its dotted leader line if it has one."""
    italic = layout.style == "hand"
    items = []
    for label in layout.labels:
        if label.leader is not None:
            x0, y0, x1, y1 = label.leader
            items.append(_tag("path", {"d": f"M{fmt(x0)} {fmt(y0)}L{fmt(x1)} {fmt(y1)}", "stroke": LINK_INK,
                                       "stroke-width": 0.7, "stroke-dasharray": "1.5 2", "class": "leader"}))
        baseline = label.cy + BASELINE_SHIFT * label.font_size
        attrs = {"x": fmt(label.cx), "y": fmt(baseline), "font-size": label.font_size}
        if label.rotation:
            attrs["transform"] = f"rotate({fmt(label.rotation)} {fmt(label.cx)} {fmt(label.cy)})"
        items.append(_tag("text", attrs, escape(label.name)))
    return _group({"font-family": f"{FONT_FAMILY}, sans-serif", "fill": TEXT_INK[layout.style],
                   "text-anchor": "middle", **({"font-style": "italic"} if italic else {})}, items)
