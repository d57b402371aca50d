"""The sketch PNG encoder: it gives back each pixel's nearest palette colour, stays close to the exact pixels on the
golden sketches, and its compiled mapping writes the numpy mapping's bytes.

``golden/sketch_pixels.sha256`` holds SHA-256 digests of the decoded RGB pixels of the golden SVGs'
PNGs, computed with SKETCH_VERSION 8 (labels drawn with Skia's text). A new raster path must keep them, or say in
docs/corpus-versions.md by how much the pixels moved and regenerate them with
``python -m tests.renderers.test_sketch_encode``.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image

from twinforge.renderers.sketch import GRID_MAJOR, GRID_MINOR
from twinforge.renderers.sketch_paper import paper_pixels, rgb
from twinforge.renderers.sketch_raster import (
    GRID_CROSSING,
    GRID_PIXELS,
    INKS,
    KEY_COLOURS,
    PALETTE,
    PAPER,
    compiled_palette_rows,
    encode_palette_png,
    lut_cell,
    palette_lut,
    palette_rows_numpy,
    rasterise,
    resize_root,
    svg_to_png,
)

GOLDEN = Path(__file__).parent / "golden"
SIZES = ((768, 768), (336, 336))


def _decoded(png: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG" and image.mode in ("RGB", "P")
    return np.asarray(image.convert("RGB"))


@settings(max_examples=60, deadline=None)
@given(arrays(np.uint8, st.tuples(st.integers(1, 40), st.integers(1, 40), st.sampled_from([3, 4]))))
def test_palette_png_decodes_to_the_nearest_palette_colours(pixels: np.ndarray) -> None:
    """Each pixel (BGR(A), Skia's order) comes back as the palette colour nearest the centre of its cell
    of the lookup table (the top five bits of each channel), or as the key colour (paper, grid, ink) in
    that cell."""
    decoded = _decoded(encode_palette_png(pixels)).astype(int)
    cell_centres = (pixels[:, :, 2::-1].astype(int) >> 3 << 3) + 4
    nearest = ((cell_centres[:, :, None, :] - PALETTE.astype(int)) ** 2).sum(axis=-1).min(axis=-1)
    keys = np.array([rgb(colour) for colour in KEY_COLOURS])
    key_in_cell = (lut_cell(decoded[:, :, ::-1].astype(np.uint8)) == lut_cell(pixels)) & (
        (decoded[:, :, None, :] == keys).all(axis=-1).any(axis=-1))
    assert (key_in_cell | (((cell_centres - decoded) ** 2).sum(axis=-1) == nearest)).all()


def test_paper_grid_and_inks_come_back_exactly() -> None:
    """The colours that fill most of a sketch's pixels: ramps only approximate the antialiased edges."""
    pixels = np.array([[rgb(colour) for colour in (PAPER, *GRID_PIXELS, GRID_CROSSING, *INKS)]], dtype=np.uint8)
    assert np.array_equal(_decoded(encode_palette_png(pixels[:, :, ::-1])), pixels)


def test_every_colour_a_sketch_names_is_in_the_palette() -> None:
    """A new ink in the sketch renderers must join ``sketch_raster.INKS`` (with its ramps)."""
    named = {colour for svg in GOLDEN.glob("sketch_*.svg")
             for colour in re.findall(r'(?:fill|stroke)="(#[0-9a-f]{6})"', svg.read_text(encoding="utf-8"))}
    palette = {f"#{r:02x}{g:02x}{b:02x}" for r, g, b in PALETTE}
    assert named - {GRID_MINOR, GRID_MAJOR} <= palette and len(PALETTE) <= 256  # hairlines drawn as GRID_PIXELS


@pytest.mark.parametrize("svg_path", sorted(GOLDEN.glob("sketch_*.svg")), ids=lambda path: path.stem)
def test_palette_png_keeps_the_golden_sketches_close_to_their_exact_pixels(svg_path: Path) -> None:
    """At the corpus's 768x768 and scaled to 224 as an encoder sees it: under 0.5 % of pixels off by
    more than 8 levels at full size, and 45 dB PSNR or better at both."""
    svg = resize_root(svg_path.read_text(encoding="utf-8"), 768, 768)
    pixels, rest = paper_pixels(svg, 768, 768, PAPER, rasterise)
    drawn = rasterise(rest, pixels)
    exact = Image.fromarray(np.ascontiguousarray(drawn[:, :, 2::-1]))
    palette = Image.fromarray(_decoded(encode_palette_png(drawn)))
    assert np.mean(np.abs(np.asarray(exact, dtype=int) - np.asarray(palette, dtype=int)).max(axis=-1) > 8) < 0.005
    for side in (768, 224):
        a, b = (np.asarray(image.resize((side, side), Image.BICUBIC), dtype=float) for image in (exact, palette))
        assert 10 * np.log10(255**2 / np.mean((a - b) ** 2)) >= 45


needs_compiled_rows = pytest.mark.skipif(compiled_palette_rows is None,
                                         reason="sketch_palette is not built (setup.py build_ext)")


@needs_compiled_rows
@settings(max_examples=80, deadline=None)
@given(arrays(np.uint8, st.tuples(st.integers(1, 30), st.integers(1, 70), st.just(4))))
def test_compiled_palette_rows_are_the_numpy_rows(pixels: np.ndarray) -> None:
    assert bytes(compiled_palette_rows(pixels, palette_lut())) == palette_rows_numpy(pixels).tobytes()


@needs_compiled_rows
@settings(max_examples=60, deadline=None)
@given(st.integers(1, 20), st.integers(1, 40), st.lists(st.integers(0, 19), max_size=6), st.integers(0, 2**32 - 1))
def test_compiled_palette_rows_are_the_numpy_rows_on_repeated_rows(height: int, width: int, marked: list[int],
                                                                  seed: int) -> None:
    """Paper-like pixels: rows repeat the one above except a few marked with ink, as on a sketch."""
    pixels = np.broadcast_to(np.array([*rgb(PAPER)[::-1], 255], dtype=np.uint8), (height, width, 4)).copy()
    rng = np.random.default_rng(seed)
    for row in (row for row in marked if row < height):
        pixels[row, rng.integers(0, width)] = rng.integers(0, 256, size=4)
    assert bytes(compiled_palette_rows(pixels, palette_lut())) == palette_rows_numpy(pixels).tobytes()


@needs_compiled_rows
def test_compiled_palette_rows_refuse_pixels_without_alpha_or_another_table() -> None:
    with pytest.raises(ValueError, match="BGRA"):
        compiled_palette_rows(np.zeros((4, 4, 3), dtype=np.uint8), palette_lut())
    with pytest.raises(ValueError, match="lookup table"):
        compiled_palette_rows(np.zeros((4, 4, 4), dtype=np.uint8), palette_lut()[:100])


def _pixel_digests() -> dict[str, str]:
    digests = {}
    for svg in sorted(GOLDEN.glob("sketch_*.svg")):
        for width, height in SIZES:
            pixels = _decoded(svg_to_png(svg.read_text(encoding="utf-8"), (width, height)))
            digests[f"{svg.stem}@{width}x{height}"] = hashlib.sha256(pixels.tobytes()).hexdigest()
    return digests


def test_golden_sketches_decode_to_the_recorded_pixels() -> None:
    assert _pixel_digests() == _read_digests(GOLDEN / "sketch_pixels.sha256")


def _read_digests(path: Path) -> dict[str, str]:
    """``digest  name`` lines (the layout of ``sha256sum``), as a name -> digest mapping."""
    return {name: digest for digest, name in (line.split() for line in path.read_text(encoding="utf-8").splitlines())}


if __name__ == "__main__":
    (GOLDEN / "sketch_pixels.sha256").write_text(
        "".join(f"{digest}  {name}\n" for name, digest in sorted(_pixel_digests().items())), encoding="utf-8")
