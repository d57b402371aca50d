"""Painting the lines of a sketch: connections in their four styles (``sketch_links``) with their
heads, the marks (port numbers, random routing) and the legend.

Arrowheads are paths rather than an SVG ``<marker>``: markers are drawn by some rasterisers and
viewers and silently dropped by others (Skia's SVG module among them). A filled head is turned
along the line's last segment, as a marker with ``orient="auto"`` would be, and its line stops
inside it. In the hand style lines wobble and bow, a solid line is a pencil outline whose width
follows the pressure, and dashed lines vary in weight from line to line.
"""

from __future__ import annotations

import math

from twinforge.renderers.sketch_geometry import EdgePlacement, Legend, MarkPlacement, SketchLayout
from twinforge.renderers.sketch_glyphs import Pen, Point, fmt, fmt_points
from twinforge.renderers.sketch_links import LINK_STYLES, dash_array, flow_width, head_scale
from twinforge.renderers.sketch_pencil import PencilBatch
from twinforge.renderers.sketch_raster import PAPER
from twinforge.renderers.sketch_svg import group, tag, text
from twinforge.renderers.sketch_text import BASELINE_SHIFT, FONT_FAMILY

ARROW_SHAPES = {"clean": ((0.0, 0.0), (-9.0, -4.2), (-6.8, 0.0), (-9.0, 4.2)),
                "hand": ((0.5, 0.0), (-9.0, -4.6), (-6.4, -0.2), (-8.6, 4.0))}
"""Filled arrowhead outlines with the tip at the origin pointing along +x, in px before scaling."""
OPEN_HEAD = ((-8.0, -4.8), (0.0, 0.0), (-8.0, 4.8))
"""The open (chevron) head of a team line, tip at the origin."""
INSET = 5.0
"""A line with a filled head stops this far (before scaling) inside the head, so no cap pokes out."""
LEGEND_FRAME = "#8d9ba6"
TEXT_WEIGHT = 0.035
"""Width of the outline drawn around letters, in em."""
CURVE_STEP = 12.0
"""A hand-drawn curve is sampled every this many px before it wobbles."""


def font_attrs(hand: bool, ink: str, anchor: str, font_size: float) -> dict[str, object]:
    """Group attributes of sketch text of about ``font_size``: font, colour, anchor, a thin outline
    of the same ink that makes the letters a little bolder (they stay readable when a vision
    encoder shrinks the sketch), and oblique in the hand style."""
    return {"font-family": f"{FONT_FAMILY}, sans-serif", "fill": ink, "stroke": ink,
            "stroke-width": round(TEXT_WEIGHT * font_size, 2), "stroke-linejoin": "round", "text-anchor": anchor,
            **({"font-style": "italic"} if hand else {})}


def edges_svg(layout: SketchLayout, pen: Pen, pencil: PencilBatch) -> str:
    """The connections group: each edge's line (two side by side for a station that needs both an
    operator and transport), each followed by its head. Pencil outlines are marks in ``pencil``."""
    width, scale = flow_width(layout.glyph_size), head_scale(layout.glyph_size)
    items = []
    for edge in layout.edges:
        apart = 1.1 * width if len(edge.kinds) > 1 else 0.0
        for number, kind in enumerate(edge.kinds):
            start, end, control = _shifted(edge, apart * (2 * number - len(edge.kinds) + 1) / 2)
            items += line_svg(kind, start, end, control, width, scale, pen, pencil)
    return group({"fill": "none", "stroke-linecap": "round", "stroke-linejoin": "round"}, items)


def _shifted(edge: EdgePlacement, offset: float) -> tuple[Point, Point, Point | None]:
    """The edge's start, end and control point moved ``offset`` px sideways (to the left of its chord)."""
    (x0, y0), (x1, y1) = edge.start, edge.end
    if not offset:
        return edge.start, edge.end, edge.control
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    nx, ny = (y0 - y1) / length * offset, (x1 - x0) / length * offset
    control = None if edge.control is None else (edge.control[0] + nx, edge.control[1] + ny)
    return (x0 + nx, y0 + ny), (x1 + nx, y1 + ny), control


def line_svg(kind: str, start: Point, end: Point, control: Point | None, width: float, scale: float,
             pen: Pen, pencil: PencilBatch, prefix: str = "") -> list[str]:
    """A line of ``kind`` from ``start`` to ``end`` (bent towards ``control``) and its head, if any,
    classed ``kind`` and ``arrowhead`` after ``prefix``; a pencil outline is a mark in ``pencil``."""
    style = LINK_STYLES[kind]
    if pen.hand:
        centre = pen.wobble(_curve(start, end, control))
        if style.head:
            centre[-1] = end
        tail, tip = centre[-2], centre[-1]
    else:
        centre = [start, end] if control is None else [start, control, end]
        tail, tip = centre[-2], end
    if style.head == "filled":
        centre[-1] = _back(tail, tip, INSET * scale)
    if pen.hand:
        d = "M" + fmt_points(centre)
    elif control is None:
        d = f"M{fmt_points(centre)}"
    else:
        d = f"M{fmt(start[0])} {fmt(start[1])}Q{fmt_points(centre[1:]).replace('L', ' ')}"
    stroke_width = width * style.width
    if pen.hand and not style.dashes:
        attrs: dict[str, object] = {"d": pencil.mark(d, stroke_width, pen), "fill": style.ink, "class": prefix + kind}
    else:
        weight = pen.uniform(0.85, 1.15) if pen.hand else 1.0
        attrs = {"d": d, "stroke": style.ink, "stroke-width": round(stroke_width * weight, 2),
                 "class": prefix + kind}
        if style.dashes:
            attrs["stroke-dasharray"] = dash_array(style, width)
    out = [tag("path", attrs)]
    if style.head == "filled":
        shape = ARROW_SHAPES["hand" if pen.hand else "clean"]
        out.append(tag("path", {"d": _placed(shape, tail, tip, scale) + "Z", "fill": style.ink, "stroke": "none",
                                "class": prefix + "arrowhead"}))
    elif style.head == "open":
        out.append(tag("path", {"d": _placed(OPEN_HEAD, tail, tip, scale), "stroke": style.ink,
                                "stroke-width": round(stroke_width, 2), "class": prefix + "arrowhead"}))
    return out


def _curve(start: Point, end: Point, control: Point | None) -> list[Point]:
    """Points along a line (its two ends) or a quadratic curve (every ``CURVE_STEP`` px of chord)."""
    if control is None:
        return [start, end]
    (x0, y0), (cx, cy), (x1, y1) = start, control, end
    steps = max(4, int(math.hypot(x1 - x0, y1 - y0) / CURVE_STEP))
    weights = [((1 - t) ** 2, 2 * (1 - t) * t, t * t) for t in (k / steps for k in range(steps + 1))]
    return [(a * x0 + b * cx + c * x1, a * y0 + b * cy + c * y1) for a, b, c in weights]


def _back(tail: Point, tip: Point, distance: float) -> Point:
    """The point ``distance`` px back from ``tip`` towards ``tail``."""
    length = math.hypot(tip[0] - tail[0], tip[1] - tail[1]) or 1.0
    return tip[0] - (tip[0] - tail[0]) / length * distance, tip[1] - (tip[1] - tail[1]) / length * distance


def _placed(shape: tuple[Point, ...], tail: Point, tip: Point, scale: float) -> str:
    """``shape`` (tip at the origin, pointing along +x) put on ``tip``, turned to point away from ``tail``."""
    length = math.hypot(tip[0] - tail[0], tip[1] - tail[1]) or 1.0
    ux, uy = (tip[0] - tail[0]) / length, (tip[1] - tail[1]) / length
    x1, y1 = tip
    return "M" + fmt_points([(x1 + scale * (px * ux - py * uy), y1 + scale * (px * uy + py * ux)) for px, py in shape])


def marks_svg(layout: SketchLayout, pen: Pen, pencil: PencilBatch, ink: str) -> str:
    """The marks group: circled port numbers on arrows into combiners, and the arc and word that
    say an object sends its items to a random output."""
    width = flow_width(layout.glyph_size)
    shapes, words = [], []
    for mark in layout.marks:
        if mark.kind == "port":
            shapes += _closed_shape(pen.circle((mark.cx, mark.cy), (mark.box.x1 - mark.box.x0) / 2), 0.7 * width, pen,
                                    pencil, ink)
            words.append(text((mark.text,), mark.cx, mark.cy + 0.36 * mark.font_size, mark.font_size, pen))
        else:
            shapes.append(_arc(mark, 0.8 * width, pen, pencil, ink))
            words.append(text((mark.text,), mark.cx, mark.cy + BASELINE_SHIFT * mark.font_size, mark.font_size, pen))
    if not shapes:
        return ""
    return group({"class": "marks"}, [group({"fill": "none", "stroke": ink, "stroke-linecap": "round"}, shapes),
                                      group(font_attrs(pen.hand, ink, "middle", layout.marks[0].font_size), words)])


def _closed_shape(d: str, width: float, pen: Pen, pencil: PencilBatch, ink: str) -> list[str]:
    """A closed outline filled with paper: stroked in the clean style, a pencil outline by hand."""
    if not pen.hand:
        return [tag("path", {"d": d, "fill": PAPER, "stroke": ink, "stroke-width": round(width, 2)})]
    return [tag("path", {"d": d, "fill": PAPER, "stroke": "none"}),
            tag("path", {"d": pencil.mark(d, width, pen), "fill": ink, "stroke": "none"})]


def _arc(mark: MarkPlacement, width: float, pen: Pen, pencil: PencilBatch, ink: str) -> str:
    """The arc across the outgoing arrows of a random router."""
    cx, cy, radius, first, last = mark.arc
    if not pen.hand:
        x0, y0 = cx + radius * math.cos(math.radians(first)), cy + radius * math.sin(math.radians(first))
        x1, y1 = cx + radius * math.cos(math.radians(last)), cy + radius * math.sin(math.radians(last))
        large = 1 if last - first > 180 else 0
        d = f"M{fmt(x0)} {fmt(y0)}A{fmt(radius)} {fmt(radius)} 0 {large} 1 {fmt(x1)} {fmt(y1)}"
        return tag("path", {"d": d, "stroke-width": round(width, 2)})
    steps = max(3, int(radius * math.radians(last - first) / CURVE_STEP))
    angles = [math.radians(first + (last - first) * k / steps) for k in range(steps + 1)]
    d = "M" + fmt_points(pen.wobble([(cx + radius * math.cos(a), cy + radius * math.sin(a)) for a in angles]))
    return tag("path", {"d": pencil.mark(d, width, pen), "fill": ink, "stroke": "none"})


def legend_svg(legend: Legend | None, layout: SketchLayout, pen: Pen, pencil: PencilBatch, ink: str) -> str:
    """The legend: a paper box with, per line kind, a sample of its line and its word."""
    if legend is None:
        return ""
    box = legend.box
    width, scale = flow_width(layout.glyph_size), head_scale(layout.glyph_size)
    frame = [(box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1)]
    items = _closed_shape(pen.polyline(frame, closed=True), 0.45 * width, pen, pencil, LEGEND_FRAME)
    words = []
    for entry in legend.entries:
        items += line_svg(entry.kind, (entry.x0, entry.y), (entry.x1, entry.y), None, width, scale, pen, pencil,
                          "legend-")
        words.append(text((LINK_STYLES[entry.kind].word,), entry.text_x, entry.y + BASELINE_SHIFT * legend.font_size,
                          legend.font_size, pen))
    return group({"class": "legend"}, [group({"fill": "none", "stroke-linecap": "round"}, items),
                                       group(font_attrs(pen.hand, ink, "start", legend.font_size), words)])
