"""Sketch text as glyph outlines, so that rasterising a sketch needs no font machinery.

The stored SVG keeps every label as ``<text>`` (a reader, a test or a model can find the names).
Before rasterising, each ``<text>`` becomes a group of the DejaVu Sans glyph outlines read with
fontTools from the same font file the label boxes are measured with. The rasteriser then only
fills paths: the PNG cannot depend on which fonts a machine has, and filling outlines was cheaper
than any rasteriser's own text layout on our sketches (docs/sketch.md).

Each distinct glyph's outline is written once, in a ``<defs>`` block after the root tag, and
every occurrence is a ``<use>`` of it: the text handed to Skia is about half the length it is
with every glyph's path written out (45,000 characters a gdt120k sketch instead of 85,000), which
took 0.4 ms off Skia's parsing; the pixels are the same (Skia's ``<use>`` draws its path under the
same matrices; a test holds the two forms to the same pixels). The reference is ``xlink:href``:
Skia's SVG module ignores a bare ``href``.

Glyphs are placed by their advance widths, with no kerning or shaping: the label boxes reserve
those same advances (plus a margin), so the drawn text always fits its box. Per-character
``dx``, ``dy`` and ``rotate`` lists (the hand style's lettering) move and turn single glyphs as
SVG says. Written by hand because no library we depend on turns SVG text into paths.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache, lru_cache
from xml.sax.saxutils import escape, unescape

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont

from twinforge.renderers.sketch_text import font_files

_INHERITED = ("font-size", "font-style", "text-anchor", "stroke-width")
_ANCHOR_SHIFT = {"start": 0.0, "middle": -0.5, "end": -1.0}
_NUMBER = re.compile(r"\s*(-?\d+(?:\.\d+)?)(?:px)?\s*")
_LIST_ITEM = re.compile(r"[\s,]+")
_LIST = re.compile(r"-?\d+(?:\.\d+)?(?:px)?(?:[\s,]+-?\d+(?:\.\d+)?(?:px)?)*")
"""A whole list of numbers as :data:`_NUMBER` reads each, separated as :data:`_LIST_ITEM` says."""
_LIST_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_TAG = re.compile(r"<(/?)(svg|g|text)\b([^>]*?)(/?)>")
"""The tags :func:`outline_text` reads: closing slash, name, attributes, self-closing slash."""
_ATTRIBUTE = re.compile(r'([\w:-]+)\s*=\s*"([^"]*)"')
_QUOTE = {'"': "&quot;"}
_XLINK = "xmlns:xlink"
"""The namespace declaration the glyphs' ``xlink:href`` needs (drawsvg writes it on every sketch)."""
_PAINT = ("fill", "fill-opacity")
"""Paint attributes of a ``<text>`` kept on the group of its outlines."""


class _Font:
    """One font file's glyph outlines and advances, in font units."""

    def __init__(self, path: str):
        font = TTFont(path, lazy=True)
        self.glyphs = font.getGlyphSet()
        self.cmap = font.getBestCmap()
        self.advances = font["hmtx"].metrics
        self.units_per_em = font["head"].unitsPerEm


@cache
def _font(italic: bool) -> _Font:
    regular, oblique = font_files()
    return _Font(oblique if italic else regular)


@lru_cache(maxsize=4096)
def glyph_outline(char: str, italic: bool = False) -> tuple[str, float]:
    """Path data of one character drawn at the origin on the baseline, in em (y down), and its advance in em."""
    font = _font(italic)
    em = 1.0 / font.units_per_em
    name = font.cmap.get(ord(char), ".notdef")
    pen = SVGPathPen(font.glyphs, ntos=lambda value: f"{value:.4f}".rstrip("0").rstrip("."))
    font.glyphs[name].draw(TransformPen(pen, (em, 0, 0, -em, 0, 0)))
    return pen.getCommands(), font.advances[name][0] * em


@lru_cache(maxsize=8192)
def text_advance(text: str, italic: bool = False) -> float:
    """Advance width of ``text`` in em: the sum of its glyphs' advances (no kerning). Cached: the
    same names come back sketch after sketch."""
    return sum(glyph_outline(char, italic)[1] for char in text)


def _glyph_id(char: str, italic: bool) -> str:
    """The id of a character's outline in the ``<defs>`` block: style and code point."""
    return f"tf-glyph-{'i' if italic else 'r'}{ord(char):x}"


def _text_glyphs(text: str, italic: bool, moves: list[tuple[float, float, float]], shared: bool) -> str:
    """One element per inked glyph of ``text``, each shifted by the advances before it: a ``<use>``
    of its shared outline when ``shared``, else a ``<path>`` with the outline written out.

    ``moves`` holds per character (dx, dy, rotate) in em and degrees, as SVG's lists say: dx and dy
    add up along the text, a turn is about the glyph's own origin and does not add up.
    """
    pen = rise = 0.0
    paths = []
    for index, char in enumerate(text):
        path, advance = glyph_outline(char, italic)
        dx, dy, turn = moves[index] if moves else (0.0, 0.0, 0.0)
        pen, rise = pen + dx, rise + dy
        if path:
            transform = f"translate({pen:.4f})" if not (rise or turn) else f"translate({pen:.4f} {rise:.4f})"
            if turn:
                transform += f" rotate({turn:g})"
            shape = f'use xlink:href="#{_glyph_id(char, italic)}"' if shared else f'path d="{path}"'
            paths.append(f'<{shape} transform="{transform}" />')
        pen += advance
    return "".join(paths)


def _glyph_defs(glyphs: dict[tuple[str, bool], None]) -> str:
    """The ``<defs>`` block holding the outline of each inked glyph of ``glyphs`` (character, italic)."""
    paths = "".join(f'<path id="{_glyph_id(char, italic)}" d="{outline}" />'
                    for char, italic in glyphs if (outline := glyph_outline(char, italic)[0]))
    return f"<defs>{paths}</defs>"


def outline_text(svg: str, *, shared: bool = True) -> str:
    """``svg`` with every ``<text>`` replaced by a group of its glyphs' outlines, at the same place.

    Reads ``x``, ``y``, ``font-size``, ``text-anchor``, ``font-style`` (``italic``/``oblique``) and
    ``stroke-width`` (rescaled for the outlines, which are drawn in em) from the element or its
    ancestors, and keeps the element's own ``transform``, ``fill`` and ``fill-opacity``. ``ValueError``
    names the text when one of these cannot be read. With ``shared`` (the default) each glyph is a
    ``<use>`` of its outline in a ``<defs>`` block right after the root tag; without, a ``<path>``
    holding the outline (the same pixels, about twice the text for Skia to parse).

    Only the ``<svg>``, ``<g>`` and ``<text>`` tags are read (the first two for the attributes a text
    inherits); everything else is copied as it is. Parsing and writing the whole document with
    ElementTree took longer than Skia's drawing of the labels.
    """
    if "<text" not in svg:
        return svg
    pieces, stack, done, root = [], [{}], 0, None
    glyphs: dict[tuple[str, bool], None] = {}
    for match in _TAG.finditer(svg):
        if match.start() < done:
            continue
        closing, name, attributes, empty = match.groups()
        if name == "text":
            end = svg.index("</text>", match.end()) + len("</text>")
            outline, drawn = _text_outline(svg[match.start():end], stack[-1], shared)
            pieces += [svg[done:match.start()], outline]
            glyphs.update(dict.fromkeys(drawn))
            done = end
        elif closing:
            stack.pop()
        elif not empty:
            if root is None and name == "svg":
                root = match
            own = {key: unescape(value) for key, value in _ATTRIBUTE.findall(attributes) if key in _INHERITED}
            stack.append({**stack[-1], **own})
    if shared and pieces:
        if root is None or root.end() > len(pieces[0]):
            raise ValueError("a <text> outside the root <svg> element: nowhere to put the shared glyph outlines")
        head = svg[:root.end()]
        if _XLINK not in root.group(0):  # keep the outlined document well-formed XML
            at = root.start() + len("<svg")
            head = f'{head[:at]} {_XLINK}="http://www.w3.org/1999/xlink"{head[at:]}'
        pieces[:1] = [head, _glyph_defs(glyphs), pieces[0][root.end():]]
    pieces.append(svg[done:])
    return "".join(pieces)


def _text_outline(source: str, inherited: dict[str, str], shared: bool) -> tuple[str, list[tuple[str, bool]]]:
    """The groups of glyph outlines that stand for one ``<text>`` element, given as its source, and
    the (character, italic) pairs of its text."""
    text = ET.fromstring(source)
    content = "".join(text.itertext())
    attrs = {**inherited, **{key: text.get(key) for key in _INHERITED if text.get(key) is not None}}
    x = _number(text.get("x", "0"), "x", content)
    y = _number(text.get("y", "0"), "y", content)
    size = _number(attrs.get("font-size", ""), "font-size", content)
    anchor = attrs.get("text-anchor", "start")
    if anchor not in _ANCHOR_SHIFT:
        raise ValueError(f"text {content!r}: text-anchor {anchor!r} is not start, middle or end")
    italic = attrs.get("font-style", "normal") in ("italic", "oblique")
    paint = {key: text.get(key) for key in _PAINT if text.get(key) is not None}
    if "stroke-width" in attrs:
        paint["stroke-width"] = f"{_number(attrs['stroke-width'], 'stroke-width', content) / size:.4f}"
    paint_attrs = "".join(f' {key}="{escape(value, _QUOTE)}"' for key, value in paint.items())
    spans = [child for child in text if child.tag == "tspan"]
    chunks = [(span, span.text or "", _number(span.get("x", str(x)), "x", content)) for span in spans]
    outlines = []
    for element, chunk, left in chunks or [(text, content, x)]:
        moves = _moves(element, size, chunk)
        advance = text_advance(chunk, italic) * size + sum(dx for dx, _, _ in moves[:len(chunk)]) * size
        start = left + _ANCHOR_SHIFT[anchor] * advance
        transform = f"translate({start:.2f} {y:.2f}) scale({size:.3f})"
        if text.get("transform"):
            transform = f"{text.get('transform')} {transform}"
        outlines.append(f'<g transform="{escape(transform, _QUOTE)}"{paint_attrs}>'
                        f"{_text_glyphs(chunk, italic, moves, shared)}</g>")
        y += sum(dy for _, dy, _ in moves) * size
    return "".join(outlines), [(char, italic) for char in content]


def _moves(text: ET.Element, size: float, content: str) -> list[tuple[float, float, float]]:
    """Per character (dx, dy in em, rotate in degrees) from the element's lists; empty without them."""
    lists = {}
    for field in ("dx", "dy", "rotate"):
        raw = (text.get(field) or "").strip()
        if _LIST.fullmatch(raw):  # one match for the whole list; item by item only to name a bad one
            lists[field] = [float(item) for item in _LIST_NUMBER.findall(raw)]
        else:
            lists[field] = [_number(item, field, content) for item in _LIST_ITEM.split(raw)] if raw else []
    count = max(len(values) for values in lists.values())
    if not count:
        return []
    turns = lists["rotate"] or [0.0]
    return [(lists["dx"][i] / size if i < len(lists["dx"]) else 0.0,
             lists["dy"][i] / size if i < len(lists["dy"]) else 0.0,
             turns[min(i, len(turns) - 1)]) for i in range(max(count, len(content)))]


def _number(value: str, field: str, content: str) -> float:
    match = _NUMBER.fullmatch(value)
    if match is None:
        raise ValueError(f"text {content!r}: {field} {value!r} is not a single number")
    return float(match.group(1))
