"""Text for sketches: the one font we draw with, and conservative label boxes measured from it.

Labels are laid out before anything is rasterised, so their size must be known from the string
alone. We use the advance widths of DejaVu Sans (read once from the font that ships with
matplotlib, a pinned dependency) and round every box up, so that the drawn text always fits
inside the box the layout reserved for it.
"""

from __future__ import annotations

import importlib.util
from functools import cache, lru_cache
from pathlib import Path

FONT_FAMILY = "DejaVu Sans"
"""The family named in the SVG; the rasteriser is given exactly this font file."""

_ASCII_ADVANCES = (
    0.318, 0.401, 0.46, 0.838, 0.636, 0.95, 0.78, 0.275, 0.39, 0.39, 0.5, 0.838, 0.318, 0.361, 0.318,
    0.337, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.337, 0.337, 0.838,
    0.838, 0.838, 0.531, 1.0, 0.684, 0.686, 0.698, 0.77, 0.632, 0.575, 0.775, 0.752, 0.295, 0.295,
    0.656, 0.557, 0.863, 0.748, 0.787, 0.603, 0.787, 0.695, 0.635, 0.611, 0.732, 0.684, 0.989, 0.685,
    0.611, 0.685, 0.39, 0.337, 0.39, 0.838, 0.5, 0.5, 0.613, 0.635, 0.55, 0.635, 0.615, 0.352, 0.635,
    0.634, 0.278, 0.278, 0.579, 0.278, 0.974, 0.634, 0.612, 0.635, 0.635, 0.411, 0.521, 0.392, 0.634,
    0.592, 0.818, 0.592, 0.592, 0.525, 0.636, 0.337, 0.636, 0.838,
)
"""DejaVu Sans advance widths in em for the printable ASCII characters 32..126 (same in Oblique)."""

WIDTH_MARGIN = 1.06
"""Widths are rounded up by 6 % (hinting and kerning never widen a string by more)."""
UNKNOWN_ADVANCE = 1.05
"""Any character outside printable ASCII is assumed as wide as the widest glyph, plus a little."""
ITALIC_OVERHANG = 0.22
"""An oblique string's last glyph leans past its advance by at most this many em."""
LINE_HEIGHT = 1.24
"""Box height in em: ascender 0.93 + descender 0.24 of DejaVu Sans, rounded up."""
HAND_TILT = 5.0
HAND_RISE = 0.07
HAND_SHIFT = 0.04
"""Hand lettering (oblique text only): each glyph turns by up to ``HAND_TILT`` degrees, leaves the
baseline by up to ``HAND_RISE`` em and moves along it by up to ``HAND_SHIFT`` em (the first and
last glyph keep their places)."""
HAND_SLACK = 0.16
"""Extra box width in em for hand lettering: a first or last glyph turned by ``HAND_TILT``."""
BASELINE_SHIFT = 0.33
"""Baseline below the box centre, in em, so the ink sits in the middle of the box."""


def text_width(text: str, font_size: float, *, italic: bool = False) -> float:
    """Conservative drawn width of ``text`` in px at ``font_size``."""
    return _width_ems(text, italic) * font_size


@lru_cache(maxsize=8192)
def _width_ems(text: str, italic: bool) -> float:
    """Conservative drawn width of ``text`` in em (cached: every label is measured at several sizes)."""
    return sum(_advance(char) for char in text) * WIDTH_MARGIN + (ITALIC_OVERHANG + HAND_SLACK if italic else 0.0)


def wrap(text: str) -> tuple[str, str] | None:
    """``text`` on two lines, broken at the space that makes the longer line shortest; None when it
    has no space or the longer line would keep more than 70 % of its width."""
    spaces = [i for i, char in enumerate(text) if char == " "]
    if not spaces:
        return None
    whole = _width_ems(text, False)
    cut = min(spaces, key=lambda i: max(_width_ems(text[:i], False), _width_ems(text[i + 1:], False)))
    first, second = text[:cut], text[cut + 1:]
    if max(_width_ems(first, False), _width_ems(second, False)) > 0.7 * whole or not first or not second:
        return None
    return first, second


def text_height(font_size: float, *, italic: bool = False) -> float:
    """Box height of one line of text in px (hand lettered when ``italic``)."""
    return (LINE_HEIGHT + (2 * HAND_RISE if italic else 0.0)) * font_size


def _advance(char: str) -> float:
    code = ord(char)
    if 32 <= code <= 126:
        return _ASCII_ADVANCES[code - 32]
    return UNKNOWN_ADVANCE


@cache
def font_files() -> tuple[str, ...]:
    """Paths of the DejaVu Sans regular and oblique files shipped with matplotlib (found without importing it)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib (a dependency) is missing: it provides the sketch font DejaVu Sans")
    folder = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
    files = tuple(str(folder / name) for name in ("DejaVuSans.ttf", "DejaVuSans-Oblique.ttf"))
    missing = [path for path in files if not Path(path).is_file()]
    if missing:
        raise RuntimeError(f"sketch font file not found: {missing[0]}")
    return files
