"""White images: a pure-numpy z-buffer rasteriser of Lambert-shaded grey triangles on white.

The camera is fixed: a pinhole at ``(0, 0, CAMERA_Z)`` looking down -Z with Y up and a
``FOV_DEGREES`` field of view. 35 degrees frames the pose grid's centres (+-1.9 units at z = 0),
so an object fills a median 36 % of the width (50 degrees: 27 %) and 61 % of random poses are in
frame at the first draw (the sampler redraws the rest). Every
triangle is sampled at pixel centres inside its bounding box (triangles grouped by box size, so
the work is a handful of vectorised passes); the nearest sample wins each pixel, ties going to
the lower triangle index, so the pixels are a pure function of the mesh.
"""

from __future__ import annotations

import hashlib
import io

import numpy as np
from PIL import Image

from twinforge.renderers.gene.mesh import Mesh

CAMERA_Z = 6.0
FOV_DEGREES = 35.0
NEAR = 0.5
LIGHT = np.array([-0.35, 0.55, 0.76]) / np.linalg.norm([-0.35, 0.55, 0.76])
BACKGROUND = 255
RASTER_VERSION = "2"
_CHUNK = 1 << 16


def project(vertices: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Pixel coordinates ``(n, 2)`` and depth ``(n,)`` (distance along the view axis) of world points."""
    depth = CAMERA_Z - vertices[:, 2]
    focal = size / 2 / np.tan(np.radians(FOV_DEGREES) / 2)
    safe = np.maximum(depth, NEAR)
    px = size / 2 + focal * vertices[:, 0] / safe
    py = size / 2 - focal * vertices[:, 1] / safe
    return np.stack([px, py], axis=1), depth


def in_frame(mesh: Mesh, size: int, margin: float = 0.02) -> bool:
    """Whether every vertex is in front of the camera and inside the image, ``margin`` of its width in."""
    if mesh.empty:
        return False
    pixels, depth = project(mesh.vertices, size)
    lo, hi = margin * size, (1 - margin) * size
    return bool((depth > NEAR).all() and (pixels >= lo).all() and (pixels <= hi).all())


def shades(mesh: Mesh) -> np.ndarray:
    """Grey level (0-255) of each triangle: ambient plus two-sided Lambert under a fixed light."""
    v = mesh.vertices[mesh.faces]
    normal = np.cross(v[:, 1] - v[:, 0], v[:, 2] - v[:, 0])
    length = np.linalg.norm(normal, axis=1)
    cosine = np.abs(normal @ LIGHT) / np.where(length > 0, length, 1.0)
    return np.round(45.0 + 185.0 * cosine).astype(np.uint8)


def rasterize(mesh: Mesh, size: int) -> np.ndarray:
    """The ``(size, size)`` uint8 grey image of the mesh on white."""
    image = np.full(size * size, BACKGROUND, dtype=np.uint8)
    if mesh.empty:
        return image.reshape(size, size)
    pixels, depth = project(mesh.vertices, size)
    tri, tri_depth, tri_shade = pixels[mesh.faces], depth[mesh.faces], shades(mesh)
    area = ((tri[:, 1, 0] - tri[:, 0, 0]) * (tri[:, 2, 1] - tri[:, 0, 1])
            - (tri[:, 2, 0] - tri[:, 0, 0]) * (tri[:, 1, 1] - tri[:, 0, 1]))
    lo = np.floor(tri.min(axis=1) - 0.5).astype(np.int64).clip(0, size - 1)
    hi = np.ceil(tri.max(axis=1) - 0.5).astype(np.int64).clip(0, size - 1)
    keep = (np.abs(area) > 1e-9) & (tri_depth > NEAR).all(axis=1) & (hi >= lo).all(axis=1)
    extent = hi - lo + 1
    keys, depths, order = [], [], []
    indices = np.flatnonzero(keep)
    bucket = np.ceil(np.log2(extent[indices])).astype(np.int64)
    for bx, by in np.unique(bucket, axis=0):
        chosen = indices[(bucket[:, 0] == bx) & (bucket[:, 1] == by)]
        width, height = 1 << int(bx), 1 << int(by)
        per = max(1, _CHUNK // (width * height))
        for start in range(0, len(chosen), per):
            part = chosen[start:start + per]
            k, d = _samples(tri[part], tri_depth[part], area[part], lo[part], (width, height), size)
            keys.append(k)
            depths.append(d)
            order.append(np.broadcast_to(part[:, None], k.shape)[k >= 0])
    if keys:
        pix = np.concatenate([k[k >= 0] for k in keys])
        z = np.concatenate([d[k >= 0] for k, d in zip(keys, depths, strict=True)])
        owner = np.concatenate(order)
        sort = np.lexsort((owner, z, pix))
        first = np.ones(len(sort), dtype=bool)
        first[1:] = pix[sort][1:] != pix[sort][:-1]
        image[pix[sort][first]] = tri_shade[owner[sort][first]]
    return image.reshape(size, size)


def _samples(tri: np.ndarray, depth: np.ndarray, area: np.ndarray, lo: np.ndarray, grid: tuple[int, int],
             size: int) -> tuple[np.ndarray, np.ndarray]:
    """Flat pixel index (-1 outside) and interpolated depth of each triangle's samples on a width x height grid."""
    x = lo[:, 0:1, None] + np.arange(grid[0])[None, None, :]
    y = lo[:, 1:2, None] + np.arange(grid[1])[None, :, None]
    cx, cy = x + 0.5, y + 0.5
    weights = []
    for i in range(3):
        a, b = tri[:, (i + 1) % 3], tri[:, (i + 2) % 3]
        edge = (b[:, 0, None, None] - a[:, 0, None, None]) * (cy - a[:, 1, None, None]) \
            - (b[:, 1, None, None] - a[:, 1, None, None]) * (cx - a[:, 0, None, None])
        weights.append(edge / area[:, None, None])
    w = np.stack(weights)
    inside = (w >= 0).all(axis=0) & (x < size) & (y < size)
    z = (w * depth.T[:, :, None, None]).sum(axis=0)
    key = np.where(inside, y * size + x, -1)
    return key.reshape(len(tri), -1), z.reshape(len(tri), -1)


def encode_png(image: np.ndarray) -> bytes:
    """The grey image as PNG bytes."""
    buffer = io.BytesIO()
    Image.fromarray(image, mode="L").save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


def pixel_sha256(image: np.ndarray) -> str:
    """SHA-256 of the decoded pixels with their shape (PNG bytes depend on the zlib build; pixels do not)."""
    return hashlib.sha256(f"{image.shape}|{image.dtype}|".encode() + np.ascontiguousarray(image).tobytes()).hexdigest()


__all__ = ["CAMERA_Z", "FOV_DEGREES", "RASTER_VERSION", "encode_png", "in_frame", "pixel_sha256", "project",
           "rasterize", "shades"]
