"""Sketch labels drawn with Skia's own text, on the pixels of the rest of the sketch.

The stored SVG keeps every label as ``<text>`` (a reader, a test or a model can find the names).
Skia's SVG module draws no ``<text>`` without a font manager, so :func:`label_steps` cuts the
sketch into the SVG pieces between its texts, which Skia's SVG module draws, and the labels,
which :func:`draw_label` draws with Skia's text API, each in its place in the drawing order: a
legend path drawn after the labels stays on top of them. On gdt120k sketches the labels of a
clean sketch cost 1.3 ms instead of 2.5 when each glyph was an SVG outline for Skia to parse and
fill; a hand sketch's, whose turned glyphs are stroked as paths, about 3.0 either way (docs/sketch.md).

The font is DejaVu Sans, read from the file the label boxes are measured from
(:func:`sketch_text.font_files`), regular or oblique, through Skia's empty custom font manager:
the PNG never depends on the fonts a machine has, and no fontconfig is asked anything (Skia's
default manager reads the system's fontconfig files and can print warnings about them). Glyphs
are placed by their advance widths, with no kerning or shaping, unhinted and at subpixel
positions: the label boxes reserve those same advances (plus a margin), so the drawn text always
fits its box. Per-character ``dx``, ``dy`` and ``rotate`` lists (the hand style's lettering) move
and turn single glyphs as SVG says, each turn about the glyph's own origin.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate, repeat
from xml.sax.saxutils import unescape

import skia

from twinforge.renderers.sketch_text import font_files

Affine = tuple[float, float, float, float, float, float]
"""An SVG matrix (a, b, c, d, e, f): x' = a x + c y + e, y' = b x + d y + f."""
IDENTITY: Affine = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

_INHERITED = ("font-size", "font-style", "text-anchor", "fill", "fill-opacity", "stroke", "stroke-width",
              "stroke-opacity", "stroke-linejoin")
"""The inherited attributes a label reads from its element and its ancestors."""
_UNSUPPORTED = ("style", "opacity", "font-weight", "letter-spacing", "word-spacing", "filter", "clip-path", "mask",
                "paint-order", "stroke-dasharray", "text-decoration", "writing-mode")
"""Attributes that would change how a label looks but that :func:`label_steps` does not read: refused on a
text or on a group around one (anywhere else Skia's SVG module draws them)."""
_ANCHOR_SHIFT = {"start": 0.0, "middle": -0.5, "end": -1.0}
_JOINS = {"miter": skia.Paint.kMiter_Join, "round": skia.Paint.kRound_Join, "bevel": skia.Paint.kBevel_Join}
_NUMBER = re.compile(r"\s*(-?\d+(?:\.\d+)?)(?:px)?\s*")
_LIST_ITEM = re.compile(r"[\s,]+")
_LIST = re.compile(r"-?\d+(?:\.\d+)?(?:px)?(?:[\s,]+-?\d+(?:\.\d+)?(?:px)?)*")
"""A whole list of numbers as :data:`_NUMBER` reads each, separated as :data:`_LIST_ITEM` says."""
_COLOUR = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
_TAG = re.compile(r"<(/?)(svg|g|text)\b([^>]*?)(/?)>")
"""The tags :func:`label_steps` reads: closing slash, name, attributes, self-closing slash."""
_ATTRIBUTE = re.compile(r'([\w:-]+)\s*=\s*"([^"]*)"')
_DRAWN = re.compile(r"<(?!/|g[\s>/]|svg[\s>/]|defs[\s>/]|\?|!)")
"""The start of an element other than the root, a group or ``<defs>`` (or a closing tag, the prolog, a
comment): something Skia draws."""
_DEFS = re.compile(r"<defs\b.*?</defs>|<defs\b[^>]*/>", re.DOTALL)
_TRANSFORM = re.compile(r"\s*(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)\s*,?")
_VIEW_BOX = re.compile(r"\s*(-?[\d.]+)[\s,]+(-?[\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)\s*")
_EDGES_MEET = ("", "xMidYMid", "xMidYMid meet")
"""The root's preserveAspectRatio values read (the sketch writers' one, and the default it spells out)."""


@dataclass(frozen=True)
class Paint:
    """How a label's glyphs are filled or stroked: RGB colour, opacity and, for a stroke, width and join."""

    colour: tuple[int, int, int]
    opacity: float
    width: float = 0.0
    join: str = "miter"


@dataclass(frozen=True)
class Run:
    """Glyphs of one line of a label: the text, and per character its origin and turn (degrees)."""

    text: str
    origins: tuple[tuple[float, float], ...]
    turns: tuple[float, ...]


@dataclass(frozen=True)
class Label:
    """One ``<text>``: its runs, drawn under ``matrix`` (user units to pixels) at ``size`` px, filled
    then stroked as SVG paints (either may be None)."""

    runs: tuple[Run, ...]
    matrix: Affine
    size: float
    italic: bool
    fill: Paint | None
    stroke: Paint | None


def label_steps(svg: str) -> list[str | Label]:
    """``svg`` as the steps that draw it in order: SVG pieces (each a whole document, without text)
    and labels. Texts nested in groups keep their groups' attributes and transforms; a piece that
    draws nothing (only group tags between two texts) is left out. ``ValueError`` names a label
    that cannot be read or uses what is not drawn here (:data:`_UNSUPPORTED`)."""
    steps: list[str | Label] = []
    stack: list[tuple[str, str, dict[str, str], Affine]] = []  # name, opening tag, inherited, matrix
    head, start, reopen, done, root, fit = "", 0, "", 0, {}, None
    for match in _TAG.finditer(svg):
        if match.start() < done:
            continue
        closing, name, attributes, empty = match.groups()
        if name == "text":
            if closing or empty or not stack:
                raise ValueError(f"a <text> at character {match.start()} is not a text element inside the root <svg>")
            if any(name == "svg" for name, _, _, _ in stack[1:]):
                raise ValueError(f"a <text> at character {match.start()} is inside a nested <svg>: not drawn here")
            end = svg.index("</text>", match.end()) + len("</text>")
            piece = _piece(svg, head, start, match.start(), reopen, stack)
            if piece:
                steps.append(piece)
            fit = _root_matrix(root) if fit is None else fit
            steps.append(_label(svg[match.start():end], stack[-1][2], _multiply(fit, stack[-1][3])))
            start, done = end, end
            reopen = "".join(tag for _, tag, _, _ in stack[1:])
        elif closing:
            stack.pop()
        elif not empty:
            own = _attributes(attributes)
            matrix = stack[-1][3] if stack else IDENTITY  # the root's viewBox fit is applied at a text
            if "transform" in own:
                matrix = _multiply(matrix, _transform(own["transform"]))
            inherited = {**(stack[-1][2] if stack else {}),
                         **{key: value for key, value in own.items() if key in _INHERITED or key in _UNSUPPORTED}}
            stack.append((name, match.group(0), inherited, matrix))
            if len(stack) == 1:
                head, root = svg[:match.end()] + "".join(_DEFS.findall(svg)), own
    if not steps:
        return [svg]
    piece = _piece(svg, head, start, len(svg), reopen, stack)
    return steps + [piece] if piece else steps


def _attributes(tag: str) -> dict[str, str]:
    """The attributes written in a tag, their entities read (``unescape`` only where there are any)."""
    return {key: unescape(value) if "&" in value else value for key, value in _ATTRIBUTE.findall(tag)}


def _piece(svg: str, head: str, start: int, end: int, reopen: str,
           stack: list[tuple[str, str, dict[str, str], Affine]]) -> str:
    """The document drawing ``svg[start:end]`` (cut between texts) under the groups open there, or
    "" when that part draws nothing."""
    part = svg[start:end]
    if _DRAWN.search(part) is None:
        return ""
    before = "" if start == 0 else head + reopen
    after = "" if end == len(svg) else "".join(f"</{name}>" for name, _, _, _ in reversed(stack))
    return before + part + after


def _label(source: str, inherited: dict[str, str], matrix: Affine) -> Label:
    """The label that one ``<text>`` element (its source) draws, under its ancestors' attributes and matrix.
    A text of characters only is read with regular expressions, one with ``<tspan>`` lines by
    ElementTree (three times slower)."""
    opening = source.index(">") + 1
    inner = source[opening:-len("</text>")]
    if "<" in inner:
        element = ET.fromstring(source)
        text, content, spans = element.attrib, "".join(element.itertext()), list(element)
    else:
        text = _attributes(source[:opening])
        content, spans = unescape(inner), []
    if any(span.tag.rpartition("}")[2] != "tspan" or len(span) for span in spans):
        raise ValueError(f"text {content!r}: only <tspan> lines of characters are drawn in a sketch label")
    attrs = {**inherited, **{key: value for key, value in text.items() if key in _INHERITED or key in _UNSUPPORTED}}
    refused = [key for key in _UNSUPPORTED if key in attrs]
    if refused:
        raise ValueError(f"text {content!r}: {refused[0]}={attrs[refused[0]]!r} (on it or a group around it) "
                         "is not drawn on sketch labels")
    x = _number(text.get("x", "0"), "x", content)
    y = _number(text.get("y", "0"), "y", content)
    size = _number(attrs.get("font-size", ""), "font-size", content)
    anchor = attrs.get("text-anchor", "start")
    if anchor not in _ANCHOR_SHIFT:
        raise ValueError(f"text {content!r}: text-anchor {anchor!r} is not start, middle or end")
    italic = attrs.get("font-style", "normal") in ("italic", "oblique")
    if text.get("transform"):
        matrix = _multiply(matrix, _transform(text.get("transform")))
    chunks = [(span.attrib, span.text or "", _number(span.get("x", str(x)), "x", content)) for span in spans]
    runs = []
    for element, chunk, left in chunks or [(text, content, x)]:
        moves = _moves(element, chunk, content)
        advances, width = _advances(chunk, italic, size)
        pen = left + _ANCHOR_SHIFT[anchor] * (width + sum(dx for dx, _, _ in moves[:len(chunk)]))
        if not moves:  # upright and on one baseline: each origin the running sum of the advances before it
            pens = tuple(accumulate(advances[:-1], initial=pen)) if chunk else ()
            runs.append(Run(chunk, tuple(zip(pens, repeat(y))), (0.0,) * len(chunk)))
            continue
        rise, origins, turns = y, [], []
        for (dx, dy, turn), advance in zip(moves, advances):
            pen, rise = pen + dx, rise + dy
            origins.append((pen, rise))
            turns.append(turn)
            pen += advance
        runs.append(Run(chunk, tuple(origins), tuple(turns)))
        y += sum(dy for _, dy, _ in moves)
    fill = _paint(attrs.get("fill", "#000000"), attrs.get("fill-opacity", "1"), "fill", content)
    stroke = _paint(attrs.get("stroke", "none"), attrs.get("stroke-opacity", "1"), "stroke", content)
    if stroke is not None:
        join = attrs.get("stroke-linejoin", "miter")
        if join not in _JOINS:
            raise ValueError(f"text {content!r}: stroke-linejoin {join!r} is not miter, round or bevel")
        width = _number(attrs.get("stroke-width", "1"), "stroke-width", content)
        stroke = Paint(stroke.colour, stroke.opacity, width, join)
    return Label(tuple(runs), matrix, size, italic, fill, stroke)


def _moves(element: dict[str, str], chunk: str, content: str) -> list[tuple[float, float, float]]:
    """Per character (dx, dy in user units, rotate in degrees) from an element's lists; empty without them.
    dx and dy add up along the text; the last rotate value holds for the characters after it."""
    lists = {}
    for field in ("dx", "dy", "rotate"):
        raw = (element.get(field) or "").strip()
        if _LIST.fullmatch(raw):  # one match for the whole list; item by item only to name a bad one
            lists[field] = [float(item) for item in raw.replace(",", " ").replace("px", " ").split()]
        else:
            lists[field] = [_number(item, field, content) for item in _LIST_ITEM.split(raw)] if raw else []
    count = max(len(values) for values in lists.values())
    if not count:
        return []
    length = max(count, len(chunk))
    dx, dy, turns = lists["dx"], lists["dy"], lists["rotate"] or [0.0]
    return list(zip(dx + [0.0] * (length - len(dx)), dy + [0.0] * (length - len(dy)),
                    turns + turns[-1:] * (length - len(turns))))


def _paint(colour: str, opacity: str, field: str, content: str) -> Paint | None:
    """A fill or stroke of ``#rrggbb``/``#rgb`` at ``opacity``; None for ``none``. ``ValueError``
    names the text when either cannot be read."""
    try:
        return _read_paint(colour, opacity, field)
    except ValueError as error:
        raise ValueError(f"text {content!r}: {error}") from None


@lru_cache(maxsize=1024)
def _read_paint(colour: str, opacity: str, field: str) -> Paint | None:
    """:func:`_paint` of the attribute values (cached: a sketch paints its labels in a few ways)."""
    if colour == "none":
        return None
    match = _COLOUR.fullmatch(colour.strip())
    if match is None:
        raise ValueError(f"{field} {colour!r} is not none or a #rrggbb colour")
    digits = match.group(1) if len(match.group(1)) == 6 else "".join(2 * digit for digit in match.group(1))
    level = _NUMBER.fullmatch(opacity)
    if level is None:
        raise ValueError(f"{field}-opacity {opacity!r} is not a single number")
    return Paint((int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)),
                 min(1.0, max(0.0, float(level.group(1)))))


def _root_matrix(root: dict[str, str]) -> Affine:
    """The root's viewBox fitted into its width and height, centred (``xMidYMid meet``)."""
    box = _VIEW_BOX.fullmatch(root.get("viewBox", ""))
    aspect = " ".join(root.get("preserveAspectRatio", "").split())
    if box is None or aspect not in _EDGES_MEET:
        raise ValueError("the root <svg> needs a viewBox and preserveAspectRatio xMidYMid meet to place its labels")
    left, top, view_width, view_height = (float(value) for value in box.groups())
    width = _number(root.get("width", str(view_width)), "width", "<svg>")
    height = _number(root.get("height", str(view_height)), "height", "<svg>")
    scale = min(width / view_width, height / view_height)
    return (scale, 0.0, 0.0, scale, (width - view_width * scale) / 2 - left * scale,
            (height - view_height * scale) / 2 - top * scale)


@lru_cache(maxsize=4096)
def _transform(text: str) -> Affine:
    """The matrix of an SVG ``transform`` list (matrix, translate, scale, rotate, skewX, skewY)."""
    matrix, at = IDENTITY, 0
    while at < len(text.strip()):
        step = _TRANSFORM.match(text, at)
        if step is None:
            raise ValueError(f"transform {text!r} is not an SVG transform list")
        kind, values = step.group(1), [float(v) for v in _LIST_ITEM.split(step.group(2).strip()) if v]
        matrix = _multiply(matrix, _transform_step(kind, values, text))
        at = step.end()
    return matrix


def _transform_step(kind: str, values: list[float], text: str) -> Affine:
    """The matrix of one transform function."""
    counts = {"matrix": (6,), "translate": (1, 2), "scale": (1, 2), "rotate": (1, 3), "skewX": (1,), "skewY": (1,)}
    if len(values) not in counts[kind]:
        raise ValueError(f"transform {text!r}: {kind} takes {' or '.join(map(str, counts[kind]))} numbers")
    if kind == "matrix":
        return tuple(values)  # type: ignore[return-value]
    if kind == "translate":
        return (1.0, 0.0, 0.0, 1.0, values[0], values[1] if len(values) == 2 else 0.0)
    if kind == "scale":
        return (values[0], 0.0, 0.0, values[-1], 0.0, 0.0)
    if kind == "rotate":
        angle = math.radians(values[0])
        cos, sin = math.cos(angle), math.sin(angle)
        turn = (cos, sin, -sin, cos, 0.0, 0.0)
        if len(values) == 3:
            cx, cy = values[1], values[2]
            return _multiply(_multiply((1.0, 0.0, 0.0, 1.0, cx, cy), turn), (1.0, 0.0, 0.0, 1.0, -cx, -cy))
        return turn
    slant = math.tan(math.radians(values[0]))
    return (1.0, 0.0, slant, 1.0, 0.0, 0.0) if kind == "skewX" else (1.0, slant, 0.0, 1.0, 0.0, 0.0)


def _multiply(outer: Affine, inner: Affine) -> Affine:
    """``outer`` after ``inner``: the matrix of drawing under ``inner`` inside ``outer``."""
    a, b, c, d, e, f = outer
    a2, b2, c2, d2, e2, f2 = inner
    return (a * a2 + c * b2, b * a2 + d * b2, a * c2 + c * d2, b * c2 + d * d2,
            a * e2 + c * f2 + e, b * e2 + d * f2 + f)


def _number(value: str, field: str, content: str) -> float:
    match = _NUMBER.fullmatch(value)
    if match is None:
        raise ValueError(f"text {content!r}: {field} {value!r} is not a single number")
    return float(match.group(1))


@cache
def typeface(italic: bool) -> skia.Typeface:
    """DejaVu Sans (Oblique when ``italic``) from its file, through Skia's empty custom font manager."""
    regular, oblique = font_files()
    face = skia.FontMgr.New_Custom_Empty().makeFromFile(oblique if italic else regular)
    if face is None:
        raise RuntimeError(f"Skia could not read the sketch font {oblique if italic else regular}")
    return face


@lru_cache(maxsize=64)
def font(italic: bool, size: float) -> skia.Font:
    """The label font at ``size`` px: unhinted, antialiased, subpixel positioned, unscaled advances
    (cached: a sketch writes its labels at two sizes; callers never change it)."""
    face = skia.Font(typeface(italic), size)
    face.setEdging(skia.Font.Edging.kAntiAlias)
    face.setHinting(skia.FontHinting.kNone)
    face.setSubpixel(True)
    face.setLinearMetrics(True)
    face.setBaselineSnap(False)
    return face


@lru_cache(maxsize=4096)
def _advances(text: str, italic: bool, size: float) -> tuple[tuple[float, ...], float]:
    """Each character's advance at ``size`` px, and their sum (cached: the same names recur sketch after
    sketch)."""
    advances = tuple(advance_em(char, italic) * size for char in text)
    return advances, sum(advances)


@lru_cache(maxsize=4096)
def advance_em(char: str, italic: bool = False) -> float:
    """The advance width of one character in em, from the font's own metrics (no kerning)."""
    face = typeface(italic)
    units = face.getUnitsPerEm()
    return font(italic, units).getWidths(face.unicharsToGlyphs([ord(char)]))[0] / units


def text_advance(text: str, italic: bool = False) -> float:
    """Advance width of ``text`` in em: the sum of its glyphs' advances, as the labels are placed."""
    return sum(advance_em(char, italic) for char in text)


def draw_label(canvas: skia.Canvas, label: Label) -> None:
    """Draw ``label`` on ``canvas`` (whose matrix maps pixels), filled then stroked.

    The fill is Skia's text: each glyph's mask, kept in Skia's glyph cache at a few subpixel
    offsets per size and angle. So is the stroke of upright glyphs under a matrix that only scales
    and moves. A turned glyph's stroked mask would hardly ever be used twice (each angle is a new
    cache entry and stroking its outline is the dear part), so turned labels are stroked as one path
    of their glyphs' outlines, as Skia's SVG module drew them: 1.1 ms a hand-style sketch instead
    of 2.6."""
    a, b, c, d, e, f = label.matrix
    canvas.save()
    canvas.concat(skia.Matrix().setAll(a, c, e, b, d, f, 0.0, 0.0, 1.0))
    blob = _text_blob(label)
    if blob is not None:
        if label.fill is not None:
            canvas.drawTextBlob(blob, 0, 0, _skia_paint(label.fill, skia.Paint.kFill_Style))
        if label.stroke is not None:
            stroke = _skia_paint(label.stroke, skia.Paint.kStroke_Style)
            if b == 0.0 and c == 0.0 and not any(any(run.turns) for run in label.runs):
                canvas.drawTextBlob(blob, 0, 0, stroke)
            else:
                canvas.drawPath(_outline_path(label), stroke)
    canvas.restore()


def _text_blob(label: Label, by_baseline: bool = True) -> skia.TextBlob | None:
    """The label's glyphs, each at its origin and turned about it; None when it has none.

    An upright run on one baseline (every run of a clean sketch) is given as its x positions and that
    baseline (``by_baseline``): the same glyph origins as one point each, built in a quarter of the time
    (no ``skia.Point`` per glyph). ``by_baseline=False`` gives every upright run as points: the test oracle."""
    face = font(label.italic, label.size)
    builder = skia.TextBlobBuilder()
    for run in label.runs:
        if not run.text:
            continue
        glyphs = face.textToGlyphs(run.text)
        if any(run.turns):
            builder.allocRunRSXform(face, glyphs, [skia.RSXform(*_turn(turn), x, y)
                                                   for (x, y), turn in zip(run.origins, run.turns)])
        elif by_baseline and len({y for _, y in run.origins}) == 1:
            builder.allocRunPosH(face, glyphs, [x for x, _ in run.origins], run.origins[0][1])
        else:
            builder.allocRunPos(face, glyphs, [skia.Point(x, y) for x, y in run.origins])
    return builder.make()


def _outline_path(label: Label) -> skia.Path:
    """The outlines of the label's glyphs, each moved to its origin and turned about it (an upright
    glyph only moved: the same points, without a matrix built for it)."""
    path, place = skia.Path(), skia.Matrix()
    face = font(label.italic, label.size)
    for run in label.runs:
        for glyph, (x, y), turn in zip(face.textToGlyphs(run.text), run.origins, run.turns):
            outline = _glyph_path(glyph, label.italic, label.size)
            if turn:
                cos, sin = _turn(turn)
                path.addPath(outline, place.setAll(cos, -sin, x, sin, cos, y, 0.0, 0.0, 1.0))
            else:
                path.addPath(outline, x, y)
    return path


@lru_cache(maxsize=64)
def _turn(degrees: float) -> tuple[float, float]:
    """Cosine and sine of a glyph's turn."""
    return math.cos(math.radians(degrees)), math.sin(math.radians(degrees))


@lru_cache(maxsize=8192)
def _glyph_path(glyph: int, italic: bool, size: float) -> skia.Path:
    """One glyph's outline at ``size`` px, its origin at (0, 0)."""
    return font(italic, size).getPath(glyph) or skia.Path()


@lru_cache(maxsize=256)
def _skia_paint(paint: Paint, style: skia.Paint.Style) -> skia.Paint:
    """Skia's paint of ``paint`` in ``style`` (fill, stroke, or both); cached (a sketch paints its labels
    in a few ways), so callers never change it."""
    red, green, blue = paint.colour
    result = skia.Paint(AntiAlias=True, Color4f=skia.Color4f(red / 255, green / 255, blue / 255, paint.opacity))
    result.setStyle(style)
    if style != skia.Paint.kFill_Style:
        result.setStrokeWidth(paint.width)
        result.setStrokeJoin(_JOINS[paint.join])
    return result
