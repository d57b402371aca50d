"""SVG text for sketches: elements written as drawsvg writes them, and text in either style.

The many small elements of a sketch are written as text directly (building one drawsvg object
per stroke cost more than the rest of the drawing) and handed to drawsvg as raw blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from twinforge.renderers.sketch_glyphs import Pen, fmt
from twinforge.renderers.sketch_pencil import lettering


def tag(name: str, attrs: dict[str, object], content: str | None = None) -> str:
    """One SVG element as drawsvg writes it: attributes in order, self-closing when empty."""
    args = "".join(f' {key}="{value}"' for key, value in attrs.items())
    return f"<{name}{args} />" if content is None else f"<{name}{args}>{content}</{name}>"


def group(attrs: dict[str, object], children: Sequence[str]) -> str:
    """A ``<g>`` around ``children``, one per line (drawsvg's layout)."""
    if not children:
        return tag("g", attrs)
    return tag("g", attrs, "\n" + "".join(child + "\n" for child in children))


def text(lines: tuple[str, ...], x: float, baseline: float, font_size: float, pen: Pen,
         attrs: dict[str, object] | None = None, advance: float = 0.0) -> str:
    """A ``<text>`` of ``lines`` (XML-escaped), the first on ``baseline`` and each next one
    ``advance`` px lower, centred or started at ``x`` as the group's anchor says; lettered by hand
    (per character turns and shifts, a random pressure) when the pen is a hand pen.

    Several lines are ``<tspan>`` elements at ``x`` separated by a space, so the element's text is
    the whole name, as one line would give it.
    """
    own: dict[str, object] = {"x": fmt(x), "y": fmt(baseline), "font-size": round(font_size, 2)}
    if pen.hand:
        own["fill-opacity"] = f"{pen.uniform(0.88, 1.0):.2f}"
    if len(lines) == 1:
        if pen.hand:
            own.update(lettering(lines[0], font_size, pen))
        return tag("text", {**own, **(attrs or {})}, escape(lines[0]))
    spans, carried = [], 0.0
    for number, line in enumerate(lines):
        span: dict[str, object] = {"x": fmt(x)}
        drop = round(number * advance - carried, 1)
        if pen.hand:
            span.update(lettering(line, font_size, pen, drop))
            carried += sum(float(step) for step in str(span["dy"]).split())
        elif drop:
            span["dy"] = fmt(drop)
            carried += drop
        spans.append(tag("tspan", span, escape(line)))
    return tag("text", {**own, **(attrs or {})}, " ".join(spans))
