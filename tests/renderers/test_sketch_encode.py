"""The sketch PNG encoder: any pixels come back exactly as Pillow decodes them, and the golden
sketches decode to the pixels the previous encoder (Pillow, zlib level 1) wrote.

``golden/sketch_pixels.sha256`` holds SHA-256 digests of the decoded RGB pixels of the golden SVGs,
computed with SKETCH_VERSION 2 (Pillow). A new raster path must keep them, or say in
docs/corpus-versions.md by how much the pixels moved and regenerate them with
``python -m tests.renderers.test_sketch_encode``.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image

from twinforge.renderers.sketch_raster import encode_png, svg_to_png

GOLDEN = Path(__file__).parent / "golden"
SIZES = ((768, 768), (336, 336))


def _decoded(png: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG" and image.mode == "RGB"
    return np.asarray(image)


@settings(max_examples=60, deadline=None)
@given(arrays(np.uint8, st.tuples(st.integers(1, 40), st.integers(1, 40), st.sampled_from([3, 4]))))
def test_png_decodes_to_exactly_the_pixels_it_was_given(pixels: np.ndarray) -> None:
    assert np.array_equal(_decoded(encode_png(pixels)), pixels[:, :, :3])


def test_png_of_a_strided_view_holds_the_view() -> None:
    """Skia's RGBA buffer reaches the encoder as a view; its alpha channel is dropped, not encoded."""
    rgba = np.random.default_rng(3).integers(0, 256, size=(30, 50, 4), dtype=np.uint8)
    view = rgba[::2, 1::3]
    assert np.array_equal(_decoded(encode_png(view)), view[:, :, :3])


def _pixel_digests() -> dict[str, str]:
    digests = {}
    for svg in sorted(GOLDEN.glob("sketch_*.svg")):
        for width, height in SIZES:
            pixels = _decoded(svg_to_png(svg.read_text(encoding="utf-8"), (width, height)))
            digests[f"{svg.stem}@{width}x{height}"] = hashlib.sha256(pixels.tobytes()).hexdigest()
    return digests


def test_golden_sketches_decode_to_the_pixels_of_the_previous_encoder() -> None:
    assert _pixel_digests() == _read_digests(GOLDEN / "sketch_pixels.sha256")


def _read_digests(path: Path) -> dict[str, str]:
    """``digest  name`` lines (the layout of ``sha256sum``), as a name -> digest mapping."""
    return {name: digest for digest, name in (line.split() for line in path.read_text(encoding="utf-8").splitlines())}


if __name__ == "__main__":
    (GOLDEN / "sketch_pixels.sha256").write_text(
        "".join(f"{digest}  {name}\n" for name, digest in sorted(_pixel_digests().items())), encoding="utf-8")
