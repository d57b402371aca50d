"""Sketch text as glyph outlines, so that rasterising a sketch needs no font machinery.

The stored SVG keeps every label as ``<text>`` (a reader, a test or a model can find the names).
Before rasterising, each ``<text>`` becomes a ``<path>`` of the DejaVu Sans outlines read with
fontTools from the same font file the label boxes are measured with. The rasteriser then only
fills paths: the PNG cannot depend on which fonts a machine has, and filling outlines was cheaper
than any rasteriser's own text layout on our sketches (docs/sketch.md).

Glyphs are placed by their advance widths, with no kerning or shaping: the label boxes reserve
those same advances (plus a margin), so the drawn text always fits its box. Written by hand
because no library we depend on turns SVG text into paths.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache, lru_cache

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont

from twinforge.renderers.sketch_text import font_files

SVG_NS = "http://www.w3.org/2000/svg"
_TAG_TEXT = f"{{{SVG_NS}}}text"
_INHERITED = ("font-size", "font-style", "text-anchor")
_ANCHOR_SHIFT = {"start": 0.0, "middle": -0.5, "end": -1.0}
_NUMBER = re.compile(r"\s*(-?\d+(?:\.\d+)?)(?:px)?\s*")

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")


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


def text_advance(text: str, italic: bool = False) -> float:
    """Advance width of ``text`` in em: the sum of its glyphs' advances (no kerning)."""
    return sum(glyph_outline(char, italic)[1] for char in text)


def _text_glyphs(text: str, italic: bool, parent: ET.Element) -> None:
    """One ``<path>`` per inked glyph of ``text`` under ``parent``, each shifted by the advances before it."""
    pen = 0.0
    for char in text:
        path, advance = glyph_outline(char, italic)
        if path:
            ET.SubElement(parent, f"{{{SVG_NS}}}path", {"d": path, "transform": f"translate({pen:.4f})"})
        pen += advance


def outline_text(svg: str) -> str:
    """``svg`` with every ``<text>`` replaced by a group of its glyphs' paths, at the same place.

    Reads ``x``, ``y``, ``font-size``, ``text-anchor`` and ``font-style`` (``italic``/``oblique``)
    from the element or its ancestors, and keeps the element's own ``transform``. ``ValueError``
    names the text when one of these cannot be read.
    """
    if "<text" not in svg:
        return svg
    root = ET.fromstring(svg)
    _replace_texts(root, {})
    return ET.tostring(root, encoding="unicode")


def _replace_texts(element: ET.Element, inherited: dict[str, str]) -> None:
    own = {key: element.get(key) for key in _INHERITED if element.get(key) is not None}
    context = {**inherited, **own}
    for index, child in enumerate(list(element)):
        if child.tag == _TAG_TEXT:
            element.remove(child)
            element.insert(index, _text_path(child, context))
        else:
            _replace_texts(child, context)


def _text_path(text: ET.Element, inherited: dict[str, str]) -> ET.Element:
    content = "".join(text.itertext())
    attrs = {**inherited, **{key: text.get(key) for key in _INHERITED if text.get(key) is not None}}
    x = _number(text.get("x", "0"), "x", content)
    y = _number(text.get("y", "0"), "y", content)
    size = _number(attrs.get("font-size", ""), "font-size", content)
    anchor = attrs.get("text-anchor", "start")
    if anchor not in _ANCHOR_SHIFT:
        raise ValueError(f"text {content!r}: text-anchor {anchor!r} is not start, middle or end")
    italic = attrs.get("font-style", "normal") in ("italic", "oblique")
    start = x + _ANCHOR_SHIFT[anchor] * text_advance(content, italic) * size
    transform = f"translate({start:.2f} {y:.2f}) scale({size:.3f})"
    if text.get("transform"):
        transform = f"{text.get('transform')} {transform}"
    outline = ET.Element(f"{{{SVG_NS}}}g", {"transform": transform})
    _text_glyphs(content, italic, outline)
    outline.tail = text.tail
    return outline


def _number(value: str, field: str, content: str) -> float:
    match = _NUMBER.fullmatch(value)
    if match is None:
        raise ValueError(f"text {content!r}: {field} {value!r} is not a single number")
    return float(match.group(1))
