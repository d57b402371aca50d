"""Triangle meshes of the Digital-Gene geometry primitives, in numpy (Y up, angles in degrees).

Every primitive is built centred on its local origin with its main axis along Y, as the
Digital-Gene Toolkit builds them; ``transform`` rotates about X, then Y, then Z (fixed axes) and
then translates (``v_world = Rz Ry Rx v + position``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

SEGMENTS = 24
"""Facets around a surface of revolution (the rendered images are at most 512 px wide)."""


@dataclass(frozen=True)
class Mesh:
    """Vertices ``(n, 3)`` float64 and triangles ``(m, 3)`` int64 indices into them."""

    vertices: np.ndarray
    faces: np.ndarray

    @property
    def empty(self) -> bool:
        return len(self.faces) == 0

    def bounds(self) -> np.ndarray:
        """``[[xmin, ymin, zmin], [xmax, ymax, zmax]]``."""
        return np.stack([self.vertices.min(axis=0), self.vertices.max(axis=0)])


EMPTY = Mesh(np.zeros((0, 3)), np.zeros((0, 3), dtype=np.int64))


def concat(meshes: Sequence[Mesh]) -> Mesh:
    """One mesh holding every triangle of ``meshes``."""
    meshes = [m for m in meshes if not m.empty]
    if not meshes:
        return EMPTY
    offsets = np.cumsum([0] + [len(m.vertices) for m in meshes[:-1]])
    return Mesh(np.concatenate([m.vertices for m in meshes]),
                np.concatenate([m.faces + o for m, o in zip(meshes, offsets, strict=True)]))


def rotation_matrix(degrees: Sequence[float]) -> np.ndarray:
    """``Rz @ Ry @ Rx`` of XYZ Euler angles in degrees."""
    x, y, z = np.radians(np.asarray(degrees, dtype=float))
    rx = np.array([[1, 0, 0], [0, np.cos(x), -np.sin(x)], [0, np.sin(x), np.cos(x)]])
    ry = np.array([[np.cos(y), 0, np.sin(y)], [0, 1, 0], [-np.sin(y), 0, np.cos(y)]])
    rz = np.array([[np.cos(z), -np.sin(z), 0], [np.sin(z), np.cos(z), 0], [0, 0, 1]])
    return rz @ ry @ rx


def transform(mesh: Mesh, rotation: Sequence[float] = (0, 0, 0), position: Sequence[float] = (0, 0, 0)) -> Mesh:
    """The mesh rotated (XYZ Euler degrees) about its origin, then moved by ``position``."""
    return Mesh(mesh.vertices @ rotation_matrix(rotation).T + np.asarray(position, dtype=float), mesh.faces)


def lathe(profile: Sequence[tuple[float, float]], segments: int = SEGMENTS, z_ratio: float = 1.0,
          phase: float = 0.0) -> Mesh:
    """The surface swept by a ``(radius, y)`` polyline around the Y axis (Z radius scaled by ``z_ratio``)."""
    prof = np.asarray(profile, dtype=float)
    angles = phase + np.linspace(0, 2 * np.pi, segments, endpoint=False)
    r, y = prof[:, 0:1], prof[:, 1:2]
    vertices = np.stack([r * np.cos(angles), np.broadcast_to(y, (len(prof), segments)),
                         r * z_ratio * np.sin(angles)], axis=-1).reshape(-1, 3)
    i = np.arange(len(prof) - 1)[:, None] * segments
    j = np.arange(segments)[None, :]
    a, b = i + j, i + (j + 1) % segments
    c, d = a + segments, b + segments
    faces = np.concatenate([np.stack([a, b, d], -1).reshape(-1, 3), np.stack([a, d, c], -1).reshape(-1, 3)])
    return Mesh(vertices, faces.astype(np.int64))


def frustum(height: float, top_radius: float, bottom_radius: float, z_ratio: float = 1.0,
            segments: int = SEGMENTS) -> Mesh:
    """A solid truncated cone along Y over ``[-h/2, h/2]``."""
    h = height / 2
    return lathe([(0, -h), (bottom_radius, -h), (top_radius, h), (0, h)], segments, z_ratio)


def cup(height: float, outer: tuple[float, float], inner: tuple[float, float], depth: float,
        segments: int = SEGMENTS, phase: float = 0.0, z_ratio: float = 1.0) -> Mesh:
    """An open-top vessel over ``[-h/2, h/2]``: radii ``(top, bottom)`` outside and of the cavity inside."""
    h = height / 2
    return lathe([(0, -h), (outer[1], -h), (outer[0], h), (inner[0], h), (inner[1], h - depth),
                  (0, h - depth)], segments, z_ratio, phase)


def box(size: Sequence[float]) -> Mesh:
    """An axis-aligned box of size ``(x, y, z)`` centred on the origin."""
    corners = np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)], dtype=float)
    faces = np.array([[0, 1, 3], [0, 3, 2], [4, 6, 7], [4, 7, 5], [0, 4, 5], [0, 5, 1],
                      [2, 3, 7], [2, 7, 6], [0, 2, 6], [0, 6, 4], [1, 5, 7], [1, 7, 3]], dtype=np.int64)
    return Mesh(corners * np.asarray(size, dtype=float) / 2, faces)


def torus_arc(central_radius: float, tube_radius: float, angle: float, start: float = 0.0,
              segments: int = SEGMENTS, tube_segments: int = 8) -> Mesh:
    """A tube of radius ``tube_radius`` along an arc of ``angle`` degrees in the XZ plane, from +X towards +Z
    (starting ``start`` degrees past +X)."""
    t = np.radians(start + np.linspace(0, angle, segments + 1))
    s = np.linspace(0, 2 * np.pi, tube_segments, endpoint=False)
    radial = central_radius + tube_radius * np.cos(s)[None, :] + 0 * t[:, None]
    vertices = np.stack([radial * np.cos(t)[:, None], np.broadcast_to(tube_radius * np.sin(s), radial.shape),
                         radial * np.sin(t)[:, None]], axis=-1).reshape(-1, 3)
    i = np.arange(segments)[:, None] * tube_segments
    j = np.arange(tube_segments)[None, :]
    a, b = i + j, i + (j + 1) % tube_segments
    c, d = a + tube_segments, b + tube_segments
    faces = np.concatenate([np.stack([a, b, d], -1).reshape(-1, 3), np.stack([a, d, c], -1).reshape(-1, 3)])
    return Mesh(vertices, faces.astype(np.int64))


def swap_xy(mesh: Mesh) -> Mesh:
    """The mesh with X and Y exchanged (an arc in the XZ plane becomes one in the YZ plane)."""
    return Mesh(mesh.vertices[:, [1, 0, 2]], mesh.faces)


def ellipsoid_band(radius_xz: float, radius_y: float, top_angle: float, bottom_angle: float,
                   z_ratio: float = 1.0, rows: int = 10) -> Mesh:
    """The part of an ellipsoid between polar angles ``top_angle`` and ``bottom_angle`` (degrees from +Y),
    closed by flat caps."""
    polar = np.radians(np.linspace(top_angle, bottom_angle, rows + 1))
    ring = [(radius_xz * np.sin(p), radius_y * np.cos(p)) for p in polar]
    return lathe([(0.0, ring[0][1]), *ring, (0.0, ring[-1][1])], z_ratio=z_ratio)


__all__ = ["EMPTY", "SEGMENTS", "Mesh", "box", "concat", "cup", "ellipsoid_band", "frustum", "lathe",
           "rotation_matrix", "swap_xy", "torus_arc", "transform"]
