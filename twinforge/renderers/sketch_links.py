"""What each connection of a sketch means, and how each kind of line is drawn.

Four kinds of line, told apart by colour, dash pattern and head, so that they stay distinct after
a vision encoder shrinks the sketch to 336 or 224 px:

- ``flow``: an ``A`` connection between stations (item flow): solid graphite, filled arrowhead.
- ``team``: an ``A`` connection from a dispatcher to a team member: blue dots, open arrowhead.
- ``transport``: an ``S`` link of a station that asks for transport (``use_transport``): orange
  dashes, no head.
- ``operator``: an ``S`` link of a station that needs an operator (``use_operator``): green
  dash-dot, no head.

A station that sets both flags gets both lines, side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from twinforge.schemas import FactorySpec
from twinforge.schemas.objects import FLOW_KINDS

LinkKind = Literal["flow", "team", "transport", "operator"]
LINK_KINDS: tuple[LinkKind, ...] = ("flow", "transport", "operator", "team")
"""In legend order."""


@dataclass(frozen=True)
class LinkStyle:
    """How one kind of line is stroked: colour, width (as a share of the flow width), dash pattern
    (as multiples of the flow width, empty for solid) and head (``filled``, ``open`` or none)."""

    ink: str
    width: float
    dashes: tuple[float, ...]
    head: Literal["filled", "open", ""]
    word: str


LINK_STYLES: dict[LinkKind, LinkStyle] = {
    "flow": LinkStyle("#263238", 1.0, (), "filled", "flow"),
    "transport": LinkStyle("#c2570c", 0.85, (5.0, 2.6), "", "transport"),
    "operator": LinkStyle("#2e7d32", 0.85, (6.0, 2.2, 0.9, 2.2), "", "operator"),
    "team": LinkStyle("#1f5fae", 0.9, (0.1, 2.4), "open", "team"),
}
"""The four line styles; ``word`` is what the legend calls the line."""


def link_kinds(spec: FactorySpec) -> list[tuple[LinkKind, ...]]:
    """For each connection of ``spec``, in order, the line kinds drawn for it (two for a station
    that both needs an operator and asks for transport over the same link)."""
    objects = {obj.name: obj for obj in spec.objects}
    kinds: list[tuple[LinkKind, ...]] = []
    for conn in spec.connections:
        if conn.port == "A":
            kinds.append(("flow",) if objects[conn.from_].kind in FLOW_KINDS else ("team",))
            continue
        station = objects[conn.from_] if objects[conn.from_].kind in FLOW_KINDS else objects[conn.to]
        roles: tuple[LinkKind, ...] = tuple(
            kind for kind, flag in (("transport", "use_transport"), ("operator", "use_operator"))
            if getattr(station, flag, False))
        kinds.append(roles or ("transport",))
    return kinds


def flow_width(glyph_size: float) -> float:
    """Stroke width in px of a flow line next to glyphs of ``glyph_size``; the other kinds scale from it."""
    return max(glyph_size / 17.0, 0.6)


def head_scale(glyph_size: float) -> float:
    """Arrowhead scale next to glyphs of ``glyph_size`` (1.0: a head 9 px long)."""
    return max(glyph_size / 26.0, 0.4)


def dash_array(style: LinkStyle, width: float) -> str:
    """The ``stroke-dasharray`` of ``style`` for a flow width of ``width`` px ("" when solid)."""
    return " ".join(f"{dash * width:.1f}" for dash in style.dashes)
