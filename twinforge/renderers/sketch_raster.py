"""PNG rasterisation of sketches, and the ``--size`` parser.

We rasterise with resvg (``resvg-py``): measured on our sketches it was the faster of the two
maintained rasterisers we tried and gave identical bytes run to run and across processes (see
docs/sketch.md). It is given exactly one font, DejaVu Sans from matplotlib's data, and no system
fonts, so text renders the same on every machine. A size whose aspect differs from the SVG's
(e.g. 512x512 for CLIP-style encoders) is letterboxed on paper colour, never stretched.
"""

from __future__ import annotations

import re

import resvg_py

from twinforge.errors import UserError
from twinforge.renderers.sketch_text import FONT_FAMILY, font_files

PAPER = "#fbfaf4"
"""Paper colour: the sketch background and the letterbox bands."""
MIN_SIDE, MAX_SIDE = 32, 4096
_SIZE = re.compile(r"\s*(\d+)\s*(?:[xX]\s*(\d+))?\s*")
_ROOT = re.compile(r"<svg\b[^>]*>")


def parse_size(text: str) -> tuple[int, int]:
    """``"768x384"`` -> (768, 384); ``"512"`` -> (512, 512). ``UserError`` on anything else."""
    match = _SIZE.fullmatch(text or "")
    if match is None:
        raise UserError(f"size {text!r}: expected WIDTHxHEIGHT (e.g. 768x384) or one number for a square (e.g. 512)")
    width = int(match.group(1))
    height = int(match.group(2) or match.group(1))
    check_size((width, height))
    return width, height


def check_size(size: tuple[int, int]) -> None:
    """``UserError`` unless both sides are whole numbers of px within the supported range."""
    if len(size) != 2 or not all(isinstance(v, int) and MIN_SIDE <= v <= MAX_SIDE for v in size):
        raise UserError(f"size {size!r}: each side must be a whole number of px from {MIN_SIDE} to {MAX_SIDE}")


def svg_to_png(svg: str, size: tuple[int, int] = (768, 384)) -> bytes:
    """PNG bytes of ``svg`` at exactly ``size`` px; a different aspect ratio is letterboxed, not distorted."""
    width, height = size
    check_size((width, height))
    sized = resize_root(svg, width, height)
    return bytes(resvg_py.svg_to_bytes(
        svg_string=sized,
        background=PAPER,
        skip_system_fonts=True,
        font_files=list(font_files()),
        font_family=FONT_FAMILY,
        sans_serif_family=FONT_FAMILY,
    ))


def resize_root(svg: str, width: int, height: int) -> str:
    """Set the root element's width and height; its viewBox (and preserveAspectRatio meet) letterbox the rest."""
    match = _ROOT.search(svg)
    if match is None or "viewBox" not in match.group(0):
        raise ValueError("not a sketch SVG: the root <svg> element with a viewBox is missing")
    tag = match.group(0)
    tag = re.sub(r'\swidth="[^"]*"', f' width="{width}"', tag, count=1)
    tag = re.sub(r'\sheight="[^"]*"', f' height="{height}"', tag, count=1)
    return svg[: match.start()] + tag + svg[match.end():]
