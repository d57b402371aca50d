"""The rasteriser: deterministic pixels, grey on white, and PNGs that decode to those pixels."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from twinforge.renderers.gene.mesh import EMPTY, box, cup, transform
from twinforge.renderers.gene.raster import encode_png, in_frame, pixel_sha256, rasterize


def test_empty_mesh_is_white():
    assert (rasterize(EMPTY, 32) == 255).all()


def test_a_box_covers_the_centre_in_grey_and_leaves_the_corners_white():
    image = rasterize(transform(box((1, 1, 1)), (20, 30, 0)), 64)
    assert image[32, 32] < 255 and image[0, 0] == 255 and image.dtype == np.uint8


def test_nearer_surfaces_hide_farther_ones():
    near = transform(box((1, 1, 0.1)), (0, 0, 0), (0, 0, 1))
    far = transform(box((2, 2, 0.1)), (0, 0, 45), (0, 0, -1))
    from twinforge.renderers.gene.mesh import concat
    both, alone = rasterize(concat([far, near]), 64), rasterize(near, 64)
    assert both[32, 32] == alone[32, 32]


def test_pixels_are_a_pure_function_of_the_mesh_and_png_round_trips():
    mesh = transform(cup(1.2, (0.5, 0.45), (0.45, 0.4), 1.0), (30, -40, 10), (0.5, -0.5, 0))
    first, second = rasterize(mesh, 96), rasterize(mesh, 96)
    assert pixel_sha256(first) == pixel_sha256(second)
    decoded = np.asarray(Image.open(io.BytesIO(encode_png(first))))
    assert pixel_sha256(decoded) == pixel_sha256(first)


def test_in_frame_rejects_objects_beyond_the_image():
    assert in_frame(box((1, 1, 1)), 64)
    assert not in_frame(transform(box((1, 1, 1)), position=(4, 0, 0)), 64)
