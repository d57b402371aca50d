"""PNG rasterisation of sketches, and the ``--size`` parser.

We rasterise with Skia (``skia-python``): measured on our sketches it was about three times as fast
as resvg and cairosvg (docs/sketch.md) and repeats its bytes run to run and across processes. Its
SVG module draws neither ``<text>`` without a font manager nor ``<marker>``, so sketches carry
their arrowheads as paths, and the labels are drawn with Skia's text API from the font file
itself, between the SVG pieces around them (:mod:`sketch_labels`): the PNG never depends on the
fonts of the machine. A size whose aspect differs from the SVG's (e.g. 512x512 for CLIP-style
encoders) is letterboxed on paper colour, never stretched.

Skia draws into pixels in its native order, blue, green, red, alpha (:data:`PIXEL_ORDER`). The
paper and its grid are painted into them with numpy first (:mod:`sketch_paper`: the same pixels as
Skia's, in a tenth of the time); Skia draws the rest on top. The pixels are written
as an 8-bit palette PNG (colour type 3; the sketch is opaque) by :func:`encode_palette_png`: a fixed
palette of the colours a sketch draws with and the antialiasing ramps between them and the paper
and grid (:data:`PALETTE`), each pixel mapped to its nearest entry by a lookup table on the top five
bits of red, green and blue (:func:`palette_lut`), every row unfiltered, deflated by libdeflate (the
``deflate`` package, pinned) at level 1. A third of the RGB rows' bytes to pack and deflate: 2.1 ms
instead of 4.0 a 768x768 sketch, files 58 % smaller, PSNR about 51 dB against the exact RGB pixels
(docs/sketch.md). The mapping runs in a small compiled routine (``sketch_palette.pyx``, built by
setup.py) where it is built, else in numpy (5.5 ms, the same bytes; its test oracle).

Pillow at zlib level 1 took 10 ms a sketch, mostly choosing a filter per row; the standard
library's zlib took 4 ms, libdeflate half of that for smaller files (docs/sketch.md). ISA-L took 1
ms but is not deterministic: one sketch in about 4,000 came out one byte shorter in another process
(intel/isa-l#140). libdeflate's compressor is a pure function of the input, the level and its
version: it keeps no state between calls, runs no threads, and has produced the same output on
every CPU since its version 0.8 (its release notes).

Skia chooses SIMD code by CPU at run time, so two machines with different instruction sets may
differ in the last bit of antialiasing. On one machine the bytes repeat exactly.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable
from functools import lru_cache

import deflate
import numpy as np
import skia

from twinforge.errors import UserError
from twinforge.renderers.sketch_labels import Label, draw_label, label_steps
from twinforge.renderers.sketch_paper import paper_pixels, rgb

try:
    from twinforge.renderers import sketch_palette
except ImportError:  # not built (no C compiler at install): numpy maps the pixels, to the same bytes
    sketch_palette = None

PAPER = "#fbfaf4"
"""Paper colour: the sketch background and the letterbox bands."""
PNG_COMPRESS_LEVEL = 1
"""libdeflate level (docs/sketch.md): on gdt120k sketches' RGB rows (sketch 6) level 1 took 2.5 ms for 113 KiB,
level 2 3.4 ms for 110 KiB; the standard library's zlib at level 2 4.4 ms for 115 KiB."""
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
INKS = ("#263238", "#34373a", "#14202b", "#23272b", "#56656f", "#8d9ba6", "#c2570c", "#2e7d32", "#1f5fae")
"""Every colour a sketch draws with besides paper and grid (``sketch.INK``, ``TEXT_INK``, ``LEADER_INK``,
the link styles of ``sketch_links``, ``sketch_lines.LEGEND_FRAME``); a test holds the SVGs to this list."""
GRID_PIXELS = ("#e8eef1", "#c6d6e4")
"""The minor and major grid lines as Skia paints them on paper (``sketch_paper``'s hairlines)."""
GRID_CROSSING = "#e1e9ef"
"""Where a minor column crosses a minor row."""
LINE_INKS = ("#263238", "#c2570c", "#2e7d32", "#1f5fae")
"""The link colours, whose lines cross the grid."""
INK_STEPS, GRID_STEPS = 15, 7
"""Steps of the ramps from paper to each ink, and from paper to a grid colour and from it to a line ink."""
LUT_BITS = 5
"""Bits of each channel that address the palette lookup table (32,768 entries)."""
MIN_SIDE, MAX_SIDE = 32, 4096
PIXEL_ORDER = skia.kBGRA_8888_ColorType
"""Blue, green, red, alpha: Skia's native order on x86 and ARM (``kN32``), which it draws into without
converting each blit (0.5 ms a 768x768 sketch less than RGBA). Paper, palette mapping and tests read it."""
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


def svg_to_png(svg: str, size: tuple[int, int] = (768, 768)) -> bytes:
    """PNG bytes of ``svg`` at exactly ``size`` px; a different aspect ratio is letterboxed, not distorted."""
    width, height = size
    check_size((width, height))
    pixels, svg = paper_pixels(resize_root(svg, width, height), width, height, PAPER, rasterise)
    return encode_palette_png(rasterise(svg, pixels))


def _ramp(start: str, end: str, steps: int) -> list[tuple[int, int, int]]:
    """``steps`` colours from just after ``start`` to ``end``, evenly spaced, rounded to whole levels."""
    first, last = np.array(rgb(start)), np.array(rgb(end))
    return [tuple(int(v) for v in np.rint(first + (last - first) * k / steps)) for k in range(1, steps + 1)]


def palette_colours() -> list[tuple[int, int, int]]:
    """The sketch palette: paper, the ramps from paper to each ink (its antialiased edges and the fills
    of 0.3 and 0.7 opacity lie on them), the ramps from paper to each grid colour (a grid drawn at
    another scale is antialiased) and from each grid colour to each line ink, and the grid crossing."""
    colours = [rgb(PAPER)]
    for ink in INKS:
        colours += _ramp(PAPER, ink, INK_STEPS)
    for grid in GRID_PIXELS:
        colours += _ramp(PAPER, grid, GRID_STEPS)
        for ink in LINE_INKS:
            colours += _ramp(grid, ink, GRID_STEPS)
    colours.append(rgb(GRID_CROSSING))
    return list(dict.fromkeys(colours))


PALETTE = np.array(palette_colours(), dtype=np.uint8)
"""The PLTE entries (at most 256, RGB), index 0 the paper."""


KEY_COLOURS = (PAPER, *GRID_PIXELS, GRID_CROSSING, *INKS)
"""The colours that fill most of a sketch's pixels: each comes back exactly, ramps approximate the rest."""


def lut_cell(colours: np.ndarray) -> np.ndarray:
    """The lookup table's cell of each BGR(A) colour (last axis, Skia's pixel order): its top bits of
    red, green and blue."""
    cells = np.zeros(colours.shape[:-1], dtype=np.intp)
    for channel in (2, 1, 0):
        cells <<= LUT_BITS
        cells |= colours[..., channel] >> (8 - LUT_BITS)
    return cells


@lru_cache(maxsize=1)
def palette_lut() -> np.ndarray:
    """``lut[lut_cell(colour)]``: the index of the palette colour nearest (squared RGB distance, the
    lower index on a tie) to the centre of that cell of colours, except that the cell of a key colour
    (paper, grid, ink) gives that colour: the plain nearest one could be a ramp's step beside it."""
    centres = np.arange(1 << LUT_BITS) * (1 << (8 - LUT_BITS)) + (1 << (7 - LUT_BITS))
    cells = np.stack(np.meshgrid(centres, centres, centres, indexing="ij"), axis=-1).reshape(-1, 3).astype(np.float64)
    palette = PALETTE.astype(np.float64)
    distances = (palette**2).sum(axis=1) - 2 * cells @ palette.T  # exact: whole numbers far below 2**53
    lut = distances.argmin(axis=1).astype(np.uint8)
    keys = np.array([rgb(colour) for colour in KEY_COLOURS], dtype=np.uint8)
    lut[lut_cell(keys[:, ::-1])] = [palette_index(key) for key in keys]
    lut.flags.writeable = False
    return lut


def palette_index(colour: np.ndarray) -> int:
    """The index of ``colour`` (RGB) in :data:`PALETTE`."""
    return int(np.flatnonzero((PALETTE == colour).all(axis=1))[0])


def encode_palette_png(pixels: np.ndarray) -> bytes:
    """An 8-bit palette PNG of ``pixels`` (height x width x 3 or 4, uint8, BGR(A)), each pixel the nearest
    :data:`PALETTE` colour: IHDR, PLTE, one IDAT of unfiltered rows, IEND."""
    height, width = pixels.shape[:2]
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)
    idat = bytes(deflate.zlib_compress(palette_rows(pixels), PNG_COMPRESS_LEVEL))
    return b"".join((PNG_SIGNATURE, _chunk(b"IHDR", header), _chunk(b"PLTE", PALETTE.tobytes()),
                     _chunk(b"IDAT", idat), _chunk(b"IEND", b"")))


def palette_rows(pixels: np.ndarray) -> bytearray | np.ndarray:
    """Per row of ``pixels`` a filter byte 0, then each pixel's palette index.

    Skia's C-contiguous BGRA goes to the compiled :mod:`sketch_palette` where it is built (0.8 ms a
    768x768 sketch); anything else, or no build, to :func:`palette_rows_numpy`, which writes the same bytes.
    """
    if compiled_palette_rows is not None and pixels.shape[2] == 4 and pixels.flags.c_contiguous:
        return compiled_palette_rows(pixels, palette_lut())
    return palette_rows_numpy(pixels)


def palette_rows_numpy(pixels: np.ndarray) -> np.ndarray:
    """:func:`palette_rows` by numpy: any strides, 3 or 4 channels; the compiled routine's test oracle."""
    height, width = pixels.shape[:2]
    rows = np.zeros((height, 1 + width), dtype=np.uint8)
    rows[:, 1:] = np.take(palette_lut(), lut_cell(pixels))
    return rows


compiled_palette_rows: Callable[[np.ndarray, np.ndarray], bytearray] | None = (
    None if sketch_palette is None else sketch_palette.palette_rows)
"""The compiled mapping where it is built (``twinforge.renderers`` refuses to import a stale build)."""


def _chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data and the CRC-32 of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))


def rasterise(svg: str, pixels: np.ndarray) -> np.ndarray:
    """``pixels`` (opaque BGRA, height x width x 4, C-contiguous) with ``svg`` drawn on them by Skia:
    the SVG pieces between its texts by Skia's SVG module, the labels by its text API, in the
    document's order (:func:`sketch_labels.label_steps`)."""
    height, width = pixels.shape[:2]
    surface = skia.Surface(pixels, colorType=PIXEL_ORDER, alphaType=skia.kPremul_AlphaType)
    canvas = surface.getCanvas()
    for step in label_steps(svg):
        if isinstance(step, Label):
            draw_label(canvas, step)
        else:
            _draw_svg(step, canvas, width, height)
    return pixels


def _draw_svg(svg: str, canvas: skia.Canvas, width: int, height: int) -> None:
    """Skia's SVG module draws ``svg`` (no text) on ``canvas`` at ``width`` x ``height`` px."""
    data = skia.Data.MakeWithCopy(svg.encode("utf-8"))
    stream = skia.MemoryStream(data)  # holds no reference to data: both stay named until parsed
    dom = skia.SVGDOM.MakeFromStream(stream)
    if dom is None:
        raise ValueError("Skia could not read the sketch SVG")
    dom.setContainerSize(skia.Size(width, height))
    dom.render(canvas)


def resize_root(svg: str, width: int, height: int) -> str:
    """Set the root element's width and height; its viewBox (and preserveAspectRatio meet) letterbox the rest."""
    match = _ROOT.search(svg)
    if match is None or "viewBox" not in match.group(0):
        raise ValueError("not a sketch SVG: the root <svg> element with a viewBox is missing")
    tag = match.group(0)
    tag = re.sub(r'\swidth="[^"]*"', f' width="{width}"', tag, count=1)
    tag = re.sub(r'\sheight="[^"]*"', f' height="{height}"', tag, count=1)
    return svg[: match.start()] + tag + svg[match.end():]
