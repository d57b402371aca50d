"""PNG rasterisation of sketches, and the ``--size`` parser.

We rasterise with Skia (``skia-python``): measured on our sketches it was about three times as fast
as resvg and cairosvg (docs/sketch.md) and repeats its bytes run to run and across processes. Its
SVG module draws neither ``<text>`` without a font manager nor ``<marker>``, so sketches carry
their arrowheads as paths, and labels are turned into glyph outlines first
(:mod:`sketch_outlines`): the PNG never depends on the fonts of the machine. A size whose aspect
differs from the SVG's (e.g. 512x512 for CLIP-style encoders) is letterboxed on paper colour,
never stretched.

The paper and its grid are painted into the pixels with numpy first (:mod:`sketch_paper`: the
same pixels as Skia's, in a tenth of the time); Skia draws the rest on top. The pixels are written
as an 8-bit RGB PNG (the sketch is opaque) by :func:`encode_png`: every row unfiltered, deflated by
libdeflate (the ``deflate`` package, pinned) at level 1. Pillow at zlib level 1 took 10 ms a sketch,
mostly choosing a filter per row; the standard library's zlib took 4 ms, libdeflate half of that
for smaller files (docs/sketch.md). ISA-L took 1 ms but is not deterministic: one sketch in about
4,000 came out one byte shorter in another process (intel/isa-l#140). libdeflate's compressor is a
pure function of the input, the level and its version: it keeps no state between calls, runs no
threads, and has produced the same output on every CPU since its version 0.8 (its release notes).

Skia chooses SIMD code by CPU at run time, so two machines with different instruction sets may
differ in the last bit of antialiasing. On one machine the bytes repeat exactly.
"""

from __future__ import annotations

import re
import struct
import zlib

import deflate
import numpy as np
import skia

from twinforge.errors import UserError
from twinforge.renderers.sketch_outlines import outline_text
from twinforge.renderers.sketch_paper import paper_pixels

PAPER = "#fbfaf4"
"""Paper colour: the sketch background and the letterbox bands."""
PNG_COMPRESS_LEVEL = 1
"""libdeflate level (docs/sketch.md): on gdt120k sketches level 1 took 2.5 ms for 113 KiB, level 2 3.4 ms for
110 KiB; the standard library's zlib at level 2 4.4 ms for 115 KiB."""
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
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


def svg_to_png(svg: str, size: tuple[int, int] = (768, 768)) -> bytes:
    """PNG bytes of ``svg`` at exactly ``size`` px; a different aspect ratio is letterboxed, not distorted."""
    width, height = size
    check_size((width, height))
    pixels, svg = paper_pixels(resize_root(svg, width, height), width, height, PAPER, rasterise)
    return encode_png(rasterise(outline_text(svg), pixels))


def encode_png(pixels: np.ndarray) -> bytes:
    """An 8-bit RGB PNG of the first three channels of ``pixels`` (height x width x 3 or 4, uint8).

    The file is the three chunks a PNG needs (IHDR, one IDAT, IEND). Each row is stored with filter
    type 0 (none): on sketch paper no filter made the deflated data smaller, and choosing one per
    row was most of Pillow's time.
    """
    height, width = pixels.shape[:2]
    rows = np.empty((height, 1 + 3 * width), dtype=np.uint8)
    rows[:, 0] = 0
    rgb = rows[:, 1:].reshape(height, width, 3)
    for channel in range(3):  # one channel at a time: four times as fast as copying pixels[:, :, :3] at once
        rgb[:, :, channel] = pixels[:, :, channel]
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"".join((PNG_SIGNATURE, _chunk(b"IHDR", header),
                     _chunk(b"IDAT", bytes(deflate.zlib_compress(rows, PNG_COMPRESS_LEVEL))), _chunk(b"IEND", b"")))


def _chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data and the CRC-32 of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))


def rasterise(svg: str, pixels: np.ndarray) -> np.ndarray:
    """``pixels`` (opaque RGBA, height x width x 4, C-contiguous) with ``svg`` drawn on them by Skia."""
    data = skia.Data.MakeWithCopy(svg.encode("utf-8"))
    stream = skia.MemoryStream(data)
    dom = skia.SVGDOM.MakeFromStream(stream)
    if dom is None:
        raise ValueError("Skia could not read the sketch SVG")
    height, width = pixels.shape[:2]
    surface = skia.Surface(pixels, colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kPremul_AlphaType)
    dom.setContainerSize(skia.Size(width, height))
    dom.render(surface.getCanvas())
    return pixels


def resize_root(svg: str, width: int, height: int) -> str:
    """Set the root element's width and height; its viewBox (and preserveAspectRatio meet) letterbox the rest."""
    match = _ROOT.search(svg)
    if match is None or "viewBox" not in match.group(0):
        raise ValueError("not a sketch SVG: the root <svg> element with a viewBox is missing")
    tag = match.group(0)
    tag = re.sub(r'\swidth="[^"]*"', f' width="{width}"', tag, count=1)
    tag = re.sub(r'\sheight="[^"]*"', f' height="{height}"', tag, count=1)
    return svg[: match.start()] + tag + svg[match.end():]
