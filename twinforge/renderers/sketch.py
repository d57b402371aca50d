"""Layout sketches: a FactorySpec drawn as a pencil-on-grid-paper SVG (drawsvg), and its PNG.

The sketch is the visual half of a GDT triplet (paper section 3.1): a vision-language model reads
station order, queue placement and connections from it. Every object gets a glyph of its kind and
a label with its exact name; every connection a line of its kind (``sketch_links``: item flow,
transport, operator and dispatcher-team lines differ in colour, dashes and head); a combiner's
inputs carry their port numbers, a random router says "random", and a legend names the lines.
Labels are sized for the vision encoder (``sketch_layout``). Two styles: ``clean`` (exact
strokes) and ``hand`` (pencil strokes whose width follows the pressure, wobbly lines, uneven
lettering). Randomness comes only from ``np.random.default_rng(seed)``, so the same spec, style,
seed and size give the same SVG bytes, and the same PNG bytes.

Geometry lives in ``sketch_layout`` and the modules it names (use :func:`sketch_layout` to
inspect boxes), glyph shapes in ``sketch_glyphs``, lines, marks and legend in ``sketch_lines``,
the pencil in ``sketch_pencil``, rasterisation in ``sketch_raster``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import drawsvg as draw
import numpy as np

from twinforge.renderers.sketch_glyphs import CLEAN_PEN, Pen, Stroke, fmt, glyph_strokes
from twinforge.renderers.sketch_layout import GlyphPlacement, SketchLayout, Style, layout_sketch
from twinforge.renderers.sketch_lines import edges_svg, font_attrs, legend_svg, marks_svg
from twinforge.renderers.sketch_pencil import PencilBatch, fill_marks
from twinforge.renderers.sketch_raster import PAPER, check_size, parse_size, svg_to_png
from twinforge.renderers.sketch_svg import group, tag, text
from twinforge.renderers.sketch_text import BASELINE_SHIFT, text_height
from twinforge.schemas import FactorySpec

__all__ = ["SKETCH_VERSION", "SketchLayout", "parse_size", "render_sketch_svg", "sketch_layout", "svg_to_png"]

SKETCH_VERSION = "8"
"""Changes whenever the same spec, style, seed and size start giving other bytes (provenance of a
corpus). 2: labels sized for the vision encoder, four line styles and a legend, port numbers,
random routing, a pencil for the hand style. 3: PNGs written by ``sketch_raster.encode_png``
(unfiltered rows, zlib level 2) instead of Pillow; the SVG and the decoded pixels are unchanged. 4: the
PNG's rows deflated by libdeflate at level 1 instead of zlib; the SVG and the decoded pixels are unchanged.
5: port numbers and the word "random" are slid inside the drawing area instead of being placed past its edge.
6: port numbers try more spots along and beside their arrow, and take the least covered one when none is clear.
7: the PNG is an 8-bit palette PNG (``sketch_raster.encode_palette_png``); the SVG is unchanged, each pixel
moves to its nearest palette colour (paper, grid and inks stay exact; PSNR about 51 dB at 768x768).
8: labels drawn with Skia's text instead of as SVG glyph outlines (``sketch_labels``); the SVG is unchanged."""
GRID_MINOR = "#dbe6ef"
GRID_MAJOR = "#bfd2e2"
INK = {"clean": "#263238", "hand": "#34373a"}
LEADER_INK = "#56656f"
TEXT_INK = {"clean": "#14202b", "hand": "#23272b"}


def sketch_layout(spec: FactorySpec, *, style: Style = "clean", seed: int = 0,
                  size: tuple[int, int] = (768, 768)) -> SketchLayout:
    """The geometry :func:`render_sketch_svg` draws for these arguments (glyph, edge, mark and label boxes)."""
    _check_style(style)
    check_size(tuple(size))
    return layout_sketch(spec, style=style, rng=np.random.default_rng(seed), size=tuple(size))


def render_sketch_svg(spec: FactorySpec, *, style: Style = "clean", seed: int = 0,
                      size: tuple[int, int] = (768, 768)) -> str:
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
    """Paint a computed layout: paper and grid, connections, glyphs, marks, labels, then the legend.

    The many small elements are written as SVG text directly (``sketch_svg``) and handed to
    drawsvg as raw blocks: building one drawsvg object per stroke cost more than the rest of the
    drawing. The text is the same drawsvg would write for those elements. The hand style's pencil
    outlines take their draws in drawing order and are worked out together at the end (one
    :class:`PencilBatch` for the whole sketch).
    """
    canvas = draw.Drawing(layout.width, layout.height, id_prefix="sketch",
                          preserveAspectRatio="xMidYMid meet")
    canvas.append(draw.Rectangle(0, 0, layout.width, layout.height, fill=PAPER))
    for path in _grid_paths(layout):
        canvas.append(path)
    ink, pencil = INK[layout.style], PencilBatch()
    blocks = [edges_svg(layout, pen, pencil), _glyphs(layout, pen, pencil), marks_svg(layout, pen, pencil, ink),
              _labels(layout, pen), legend_svg(layout.legend, layout, pen, pencil, TEXT_INK[layout.style])]
    outlines = pencil.outlines()
    for block in blocks:
        if block:
            canvas.append(draw.Raw(fill_marks(block, outlines) if outlines else block))
    return canvas.as_svg()


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


def glyph_width(glyph_size: float) -> float:
    """Stroke width in px of the outlines of glyphs of ``glyph_size``."""
    return max(glyph_size / 18.0, 0.6)


def _glyphs(layout: SketchLayout, pen: Pen, pencil: PencilBatch) -> str:
    """The glyphs group: one translated (and turned) group of strokes per object (pencil outlines
    as marks in ``pencil``)."""
    ink = INK[layout.style]
    width = glyph_width(layout.glyph_size)
    if pen.hand:
        contents = _hand_glyph_paths(layout.glyphs, pen, pencil, width)
    else:
        contents = [_clean_glyph_paths(glyph.kind, glyph.half_w, glyph.half_h, ink) for glyph in layout.glyphs]
    items = []
    for glyph, paths in zip(layout.glyphs, contents):
        turn = fmt(glyph.rotation)
        transform = f"translate({fmt(glyph.cx)} {fmt(glyph.cy)})"
        if turn != "0.0":
            transform += f" rotate({turn})"
        items.append(group({"transform": transform}, paths))
    if pen.hand:
        return group({"fill": ink, "stroke": "none"}, items)
    return group({"stroke": ink, "stroke-width": round(width, 2), "fill": "none", "stroke-linecap": "round",
                  "stroke-linejoin": "round"}, items)


def _hand_glyph_paths(glyphs: Sequence[GlyphPlacement], pen: Pen, pencil: PencilBatch,
                      width: float) -> list[list[str]]:
    """The ``<path>`` elements of each hand-style glyph (its group fills with graphite): per stroke
    its paper or graphite fill, then its pencil outline; last a faint, shifted second pass over the
    body. The outlines are marks in ``pencil``."""
    contents = []
    for glyph in glyphs:
        strokes = glyph_strokes(glyph.kind, pen, glyph.half_w, glyph.half_h)
        paths = []
        for d, ink in strokes:
            if ink == "body":
                paths.append(f'<path d="{d}" fill="{PAPER}" />')
            elif ink == "solid":
                paths.append(f'<path d="{d}" fill-opacity="0.7" />')
            paths.append(f'<path d="{pencil.mark(d, width, pen)}" />')
        body = next(d for d, ink in strokes if ink == "body")
        shift_x, shift_y = fmt(pen.normal(0.7)), fmt(pen.normal(0.7))
        second = pencil.mark(body, 0.5 * width, pen)
        paths.append(f'<path d="{second}" fill-opacity="0.3" transform="translate({shift_x} {shift_y})" />')
        contents.append(paths)
    return contents


def _stroke_paths(strokes: Sequence[Stroke], ink: str) -> list[str]:
    """One ``<path>`` per clean glyph stroke, filled as its ink says (the text :func:`tag` would write)."""
    fills = {"body": f' fill="{PAPER}"', "solid": f' fill="{ink}"', "line": ""}
    return [f'<path d="{d}"{fills[kind]} />' for d, kind in strokes]


@lru_cache(maxsize=1024)
def _clean_glyph_paths(kind: str, half_w: float, half_h: float, ink: str) -> tuple[str, ...]:
    """The ``<path>`` elements of a clean-style glyph. A clean pen draws no random numbers, so the
    text depends on these arguments alone; glyphs of one kind in one sketch mostly share a size."""
    return tuple(_stroke_paths(glyph_strokes(kind, CLEAN_PEN, half_w, half_h), ink))


def _labels(layout: SketchLayout, pen: Pen) -> str:
    """The labels group: each name as text (XML-escaped), with its dotted leader line if it has one."""
    leader_width = round(0.5 * glyph_width(layout.glyph_size), 2)
    items = []
    for label in layout.labels:
        if label.leader is not None:
            x0, y0, x1, y1 = label.leader
            items.append(tag("path", {"d": f"M{fmt(x0)} {fmt(y0)}L{fmt(x1)} {fmt(y1)}", "stroke": LEADER_INK,
                                      "stroke-width": leader_width, "stroke-dasharray": "2 2.5", "class": "leader"}))
        attrs = {}
        if label.rotation:
            attrs["transform"] = f"rotate({fmt(label.rotation)} {fmt(label.cx)} {fmt(label.cy)})"
        advance = text_height(label.font_size, italic=pen.hand)
        baseline = label.cy + BASELINE_SHIFT * label.font_size - (len(label.lines) - 1) / 2 * advance
        items.append(text(label.lines, label.cx, baseline, label.font_size, pen, attrs, advance))
    size = max((label.font_size for label in layout.labels), default=0.0)
    return group({"class": "labels", **font_attrs(pen.hand, TEXT_INK[layout.style], "middle", size)}, items)
