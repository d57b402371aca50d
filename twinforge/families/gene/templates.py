"""The ConceptTemplate library: parameters (lengths, sampling ranges, domains) and geometry of each template.

A simplified dialect of the Digital-Gene Toolkit's templates (reference §3-§4): Y up, normalized
units, degrees, every template ending with ``position`` (3) and ``rotation`` (3). Geometry is built
in the template's local frame (``Template.build``); the instance's ``rotation`` then ``position``
place it. Counts are stored as floats and rounded when built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from twinforge.renderers.gene.mesh import (
    Mesh,
    box,
    concat,
    cup,
    ellipsoid_band,
    frustum,
    lathe,
    rotation_matrix,
    swap_xy,
    torus_arc,
    transform,
)
from twinforge.schemas.gene import ParamDomain

Params = dict[str, np.ndarray]
POSITION_DOMAIN = ParamDomain(3, -3.0, 3.0)
ROTATION_DOMAIN = ParamDomain(3, -180.0, 180.0)


@dataclass(frozen=True)
class Param:
    """A parameter: sampling range per value, validity domain, and whether its values are counts."""

    name: str
    low: tuple[float, ...]
    high: tuple[float, ...]
    domain: tuple[float, float] = (0.0, 3.0)
    integer: bool = False

    @property
    def length(self) -> int:
        return len(self.low)


@dataclass(frozen=True)
class Template:
    """A ConceptTemplate: its own parameters (``position``/``rotation`` follow them) and its geometry."""

    name: str
    params: tuple[Param, ...]
    geometry: Callable[[Params], Mesh]
    attach: str | None = None
    """Attachment rule overriding the role's (e.g. a top-mounted handle)."""

    def domains(self) -> dict[str, ParamDomain]:
        """Parameter -> length and domain, in canonical order."""
        own = {p.name: ParamDomain(p.length, *p.domain) for p in self.params}
        return {**own, "position": POSITION_DOMAIN, "rotation": ROTATION_DOMAIN}

    def local_mesh(self, params: Params) -> Mesh:
        """The template's geometry in its local frame (before ``rotation`` and ``position``)."""
        return self.geometry(params)

    def mesh(self, params: Params) -> Mesh:
        """The instance's mesh: local geometry rotated (XYZ degrees) and moved to ``position``."""
        return transform(self.geometry(params), params["rotation"], params["position"])


def _p(name: str, low: tuple[float, ...], high: tuple[float, ...], domain: tuple[float, float] = (0.0, 3.0),
       integer: bool = False) -> Param:
    return Param(name, tuple(map(float, low)), tuple(map(float, high)), domain, integer)


def count(value: float, low: int, high: int) -> int:
    """A count parameter's value, rounded and clipped."""
    return int(min(high, max(low, round(float(value)))))


def _vessel(square: bool) -> Callable[[Params], Mesh]:
    def build(p: Params) -> Mesh:
        (top, bottom, height), (inner_top, inner_bottom, depth) = p["outer_size"], p["inner_size"]
        segments, phase = (4, np.pi / 4) if square else (24, 0.0)
        return cup(height, (top, bottom), (inner_top, inner_bottom), depth, segments, phase)
    return build


def _multilevel(p: Params) -> Mesh:
    top, height, bottom = p["level_1_size"]
    profile, y = [(0.0, -height / 2), (bottom, -height / 2), (top, height / 2)], height / 2
    for k in range(2, count(p["num_levels"][0], 1, 4) + 1):
        radius, level_height = p[f"level_{k}_size"]
        y += level_height
        profile.append((radius, y))
    return lathe([*profile, (0.0, y)])


def _bottle_lid(p: Params) -> Mesh:
    (top, bottom, height), (inner_top, inner_bottom, depth) = p["outer_size"], p["inner_size"]
    return transform(cup(height, (bottom, top), (inner_bottom, inner_top), depth), (180, 0, 0))


def _disc(p: Params) -> Mesh:
    radius, thickness = p["size"]
    return frustum(thickness, radius, radius)


def _curved_handle(angle_name: str) -> Callable[[Params], Mesh]:
    def build(p: Params) -> Mesh:
        radius, tube = p["radius"]
        angle = float(p[angle_name][0])
        return swap_xy(torus_arc(radius, tube, angle, start=90 - angle / 2))
    return build


def _at(mesh: Mesh, x: float = 0.0, y: float = 0.0, z: float = 0.0) -> Mesh:
    return transform(mesh, position=(x, y, z))


def _trifold_handle(p: Params) -> Mesh:
    """Two bars out along +Z from the wall at y = +-separation/2 (the top one starting at ``mounting_offset``),
    each tilted about X, and a third cuboid joining their outer ends."""
    width, thickness = p["horizontal_thickness"]
    gap, offset = float(p["horizontal_separation"][0]), float(p["mounting_offset"][0])
    ends, bars = [], []
    for length, tilt, y, z in zip(p["horizontal_length"], p["horizontal_rotation"], (gap / 2, -gap / 2),
                                  (offset, 0.0), strict=True):
        angle = np.radians(tilt)
        bars.append(transform(_at(box((width, thickness, length)), z=length / 2), (float(tilt), 0, 0), (0, y, z)))
        ends.append(np.array([y - length * np.sin(angle), z + length * np.cos(angle)]))
    (y0, z0), (y1, z1) = ends
    span = float(np.hypot(y0 - y1, z0 - z1))
    vx, vz = p["vertical_thickness"]
    joint = transform(box((vx, span + thickness, vz)), (float(np.degrees(np.arctan2(z0 - z1, y0 - y1))), 0, 0),
                      (0, (y0 + y1) / 2, (z0 + z1) / 2))
    return concat([*bars, joint])


def _arch_handle(p: Params) -> Mesh:
    radius, tube = p["radius"]
    return transform(torus_arc(radius, tube, 180), (-90, 0, 0))


def _sphere_cylinder_body(p: Params) -> Mesh:
    """An upper ellipsoid band from the equator (y = 0) up to elevation ``exist_angle`` over a frustum hanging
    below it (top radius ``horizontal_axis``, ``bottom_size`` [bottom r, height])."""
    a, b, top = float(p["horizontal_axis"][0]), float(p["vertical_axis"][0]), float(p["exist_angle"][0])
    bottom_radius, height = p["bottom_size"]
    ratio = float(p["x_z_ratio"][0])
    return concat([ellipsoid_band(a, b, 90 - top, 90, ratio), _at(frustum(height, a, bottom_radius, ratio), y=-height / 2)])


def _sphere_body(p: Params) -> Mesh:
    a = float(p["horizontal_axis"][0])
    upper, lower = p["vertical_axis"]
    top, bottom = p["exist_angle"]
    foot_radius, foot_height = p["bottom_size"]
    ratio = float(p["x_z_ratio"][0])
    foot_top = a * np.cos(np.radians(bottom))
    foot = _at(frustum(foot_height, foot_top, foot_radius, ratio),
               y=-lower * np.sin(np.radians(bottom)) - foot_height / 2)
    return concat([ellipsoid_band(a, upper, 90 - top, 90, ratio), ellipsoid_band(a, lower, 90, 90 + bottom, ratio),
                   foot])


def _cover(p: Params) -> Mesh:
    """A lid open underneath (``outer_size``/``inner_size`` as a vessel's, upside down) standing on y = 0,
    with ``num_knobs`` knob frustums (``knob_i_size`` [top r, bottom r, h]) stacked on top; unused knob
    slots stay in the gene."""
    (top, bottom, height), (inner_top, inner_bottom, depth) = p["outer_size"], p["inner_size"]
    parts = [_at(transform(cup(height, (bottom, top), (inner_bottom, inner_top), depth), (180, 0, 0)), y=height / 2)]
    y = float(height)
    for k in range(1, count(p["num_knobs"][0], 1, KNOB_SLOTS) + 1):
        knob_top, knob_bottom, knob_height = p[f"knob_{k}_size"]
        parts.append(_at(frustum(knob_height, knob_top, knob_bottom), y=y + knob_height / 2))
        y += float(knob_height)
    return concat(parts)


def _u_handle(p: Params) -> Mesh:
    radius = float(p["mounting_radius"][0])
    half = float(p["vertical_separation"][0]) / 2
    length = float(p["vertical_length"][0])
    posts = [_at(frustum(length, radius, radius), 0, length / 2, s * half) for s in (-1, 1)]
    return concat([*posts, _at(swap_xy(torus_arc(half, radius, 180, start=-90)), y=length)])


def _spout_segment(radius: np.ndarray, thickness: float, lengths: np.ndarray, offset: float) -> Mesh:
    """A hollow tapered tube along +Y from y = 0: its far rim shifted by ``offset`` towards -Z and sloped so
    the generatrix on the -Z side is ``lengths[0]`` long and the one on the +Z side ``lengths[1]``."""
    start, end = float(radius[0]), float(radius[1])
    front, back = float(lengths[0]), float(lengths[1])
    mean = (front + back) / 2
    tube = lathe([(start, 0.0), (end, mean), (max(end - thickness, 0.0), mean), (max(start - thickness, 0.0), 0.0),
                  (start, 0.0)])
    vertices = tube.vertices.copy()
    far = vertices[:, 1] > mean / 2
    rim = np.where(end > 0, -vertices[far, 2] / max(end, 1e-9), 0.0)
    vertices[far, 1] += (front - back) / 2 * rim
    vertices[far, 2] -= offset
    return Mesh(vertices, tube.faces)


def _spout(p: Params) -> Mesh:
    """``num_of_sub_spouts`` tube segments chained from the origin, each heading +Z and tilted up by its
    ``spout_i_rotation`` (degrees); unused segment slots stay in the gene."""
    parts, start = [], np.zeros(3)
    for k in range(1, count(p["num_of_sub_spouts"][0], 1, SPOUT_SLOTS) + 1):
        lengths, offset = p[f"spout_{k}_length"], float(p[f"spout_{k}_generatrix_offset"][0])
        rotation = (90 - float(p[f"spout_{k}_rotation"][0]), 0, 0)
        segment = _spout_segment(p[f"spout_{k}_radius"], float(p[f"spout_{k}_thinkness"][0]), lengths, offset)
        parts.append(transform(segment, rotation, start))
        start = start + rotation_matrix(rotation) @ np.array([0.0, float(lengths.mean()), -offset])
    return concat(parts)


def _slab(p: Params) -> Mesh:
    return box(p["size"])


def _solid_back(p: Params) -> Mesh:
    width, height, thickness = p["size"]
    return transform(_at(box((width, height, thickness)), y=height / 2), (float(p["back_rotation"][0]), 0, 0))


def _ladder_back(p: Params) -> Mesh:
    post_x, height, post_z = p["main_vertical_piece_size"]
    half = float(p["main_vertical_separation"][0]) / 2
    rung_y, rung_z = p["sub_size"]
    rungs = count(p["number_of_subs"][0], 1, 5)
    parts = [_at(box((post_x, height, post_z)), s * half, height / 2) for s in (-1, 1)]
    parts += [_at(box((2 * half, rung_y, rung_z)), y=height * (0.35 + 0.6 * (k + 1) / rungs)) for k in range(rungs)]
    return transform(concat(parts), (float(p["back_rotation"][0]), 0, 0))


def _legs(p: Params) -> Mesh:
    """Cuboid legs hanging from y = 0: front pair at +Z, rear pair at -Z, each tilted about X and splayed
    about Z, the set turned by ``central_rotation`` about Y (the first ``number_of_legs`` of front-left,
    front-right, rear-left, rear-right)."""
    front_gap, rear_gap, depth = p["legs_separation"]
    legs = []
    for z, gap, size, (tilt, splay) in ((depth / 2, front_gap, p["front_legs_size"], p["front_rotation"]),
                                        (-depth / 2, rear_gap, p["rear_legs_size"], p["rear_rotation"])):
        for side in (-1, 1):
            leg = _at(box(size), y=-float(size[1]) / 2)
            legs.append(transform(leg, (-float(tilt) * np.sign(z), 0, side * float(splay)), (side * gap / 2, 0, z)))
    legs = legs[:count(p["number_of_legs"][0], 1, 4)]
    if "additional_legs_params" in p:
        extra = p["additional_legs_params"]
        for k in range(count(extra[0], 0, EXTRA_LEGS)):
            sx, length, sz, px, py, pz, rx, ry, rz = (float(v) for v in extra[1 + 9 * k:10 + 9 * k])
            legs.append(transform(_at(box((sx, length, sz)), y=-length / 2), (rx, ry, rz), (px, py, pz)))
    return transform(concat(legs), (0, float(p["central_rotation"][0]), 0))


def _pole(p: Params) -> Mesh:
    radius, height = p["vertical_sizes"]
    base_radius, base_height = p["bottom_sizes"]
    base = _at(frustum(base_height, base_radius * 0.8, base_radius), y=-height - base_height / 2)
    mesh = concat([_at(frustum(height, radius, radius), y=-height / 2), base])
    return transform(mesh, (0, float(p["horizontal_rotation"][0]), 0))


def _armrests(p: Params) -> Mesh:
    """Two slabs rising from y = 0 at x = +-separation/2, each tilted about X and leaning outwards about Z by
    ``armrest_rotation`` (degrees)."""
    width, height, depth = p["size"]
    half = float(p["armrest_separation"][0]) / 2
    tilt, lean = (float(v) for v in p["armrest_rotation"])
    return concat([transform(_at(box((width, height, depth)), y=height / 2), (tilt, 0, -s * lean), (s * half, 0, 0))
                   for s in (-1, 1)])


def _open_box(p: Params) -> Mesh:
    x, y, z = p["size"]
    t = float(p["thickness"][0])
    walls = [_at(box((x, t, z)), y=-y / 2 + t / 2)]
    walls += [_at(box((t, y, z)), s * (x - t) / 2) for s in (-1, 1)]
    walls += [_at(box((x, y, t)), z=s * (z - t) / 2) for s in (-1, 1)]
    return concat(walls)


def vessel_body(name: str, square: bool, low: tuple[float, float, float],
                high: tuple[float, float, float]) -> Template:
    """An open-top body: ``outer_size`` [top r, bottom r, height], ``inner_size`` [top r, bottom r, depth]."""
    return Template(name, (_p("outer_size", low, high), _p("inner_size", (0.1, 0.1, 0.1), (1, 1, 1))),
                    _vessel(square))


def disc(low: tuple[float, float], high: tuple[float, float], name: str = "Single_Cylinder") -> Template:
    """A solid disc, ``size`` [radius, thickness] (the release's ``Single_Cylinder``, ``Round_seat``,
    ``Cylindrical_desktop``)."""
    return Template(name, (_p("size", low, high),), _disc)


def slab(name: str, low: tuple[float, float, float], high: tuple[float, float, float]) -> Template:
    """A centred cuboid, ``size`` [x, y, z]."""
    return Template(name, (_p("size", low, high),), _slab)


EXTRA_LEGS = 4


def legs(name: str, length: tuple[float, float], extra_legs: bool = False) -> Template:
    """The release's ``Regular_leg``: ``number_of_legs``, ``legs_separation`` [front x gap, rear x gap, z gap],
    ``front_legs_size``/``rear_legs_size`` [x, length, z], ``front_rotation``/``rear_rotation`` [tilt about X,
    splay about Z] and ``central_rotation`` in degrees, ``symmetry_mode`` (kept for the format; legs are
    always mirrored). A Table's also has ``additional_legs_params`` (37): a count, then for each of up to
    four extra legs [size x, length, size z, position x, y, z, rotation x, y, z]; we draw none (all 0)."""
    size = _p("front_legs_size", (0.04, length[0], 0.04), (0.09, length[1], 0.09))
    extra = (_p("additional_legs_params", (0,) * (1 + 9 * EXTRA_LEGS), (0,) * (1 + 9 * EXTRA_LEGS),
                (-180.0, 180.0)),) if extra_legs else ()
    return Template(name, (
        _p("number_of_legs", (4,), (4,), (1.0, 4.0), integer=True), _p("legs_separation", (0.3, 0.3, 0.3), (1.5, 1.5, 1.5)),
        size, Param("rear_legs_size", size.low, size.high, size.domain),
        _p("front_rotation", (0, 0), (8, 8), (-45.0, 45.0)), _p("rear_rotation", (0, 0), (8, 8), (-45.0, 45.0)),
        _p("central_rotation", (0,), (0,), (-180.0, 180.0)), _p("symmetry_mode", (1,), (1,), (0.0, 1.0), integer=True),
        *extra), _legs)


def pole(name: str, height: tuple[float, float]) -> Template:
    """A central pole hanging from y = 0 on a base disc: ``vertical_sizes``, ``bottom_sizes`` [r, h],
    ``horizontal_rotation`` (degrees about Y)."""
    return Template(name, (_p("vertical_sizes", (0.03, height[0]), (0.07, height[1])),
                           _p("bottom_sizes", (0.2, 0.03), (0.35, 0.08)),
                           _p("horizontal_rotation", (-180,), (180,), (-180.0, 180.0))), _pole)


def curved_handle(angle_name: str) -> Template:
    """A torus-arc handle: ``radius`` [arc R, tube r] and its sweep in degrees (the release names it
    ``central_angle`` on a Mug and ``exist_angle`` on a Kettle)."""
    return Template("Curved_Handle", (_p("radius", (0.2, 0.04), (0.4, 0.08)),
                                      _p(angle_name, (160,), (220,), (30.0, 330.0))), _curved_handle(angle_name))
TRIFOLD_HANDLE = Template("Trifold_Handle", (
    _p("horizontal_thickness", (0.06, 0.04), (0.12, 0.08)), _p("horizontal_length", (0.2, 0.2), (0.35, 0.35)),
    _p("vertical_thickness", (0.06, 0.04), (0.12, 0.08)), _p("horizontal_rotation", (-15, -15), (15, 15), (-90.0, 90.0)),
    _p("horizontal_separation", (0.35,), (0.7,)), _p("mounting_offset", (-0.04,), (0.04,), (-1.0, 1.0))),
    _trifold_handle)
ARCH_HANDLE = Template("Semi_Ring_Handle", (_p("radius", (0.4, 0.02), (0.8, 0.04)),), _arch_handle)
MULTILEVEL_BODY = Template("Multilevel_Body", (
    _p("num_levels", (2,), (4,), (1.0, 4.0), integer=True), _p("level_1_size", (0.22, 0.6, 0.22), (0.4, 1.1, 0.4)),
    *(_p(f"level_{k}_size", (0.05, 0.05), (0.4, 0.4)) for k in (2, 3, 4))), _multilevel)
BOTTLE_LID = Template("Cylindrical_Lid", (_p("outer_size", (0.05, 0.05, 0.05), (0.3, 0.3, 0.3)),
                                          _p("inner_size", (0.04, 0.04, 0.03), (0.3, 0.3, 0.3))), _bottle_lid)
SPHERE_BODY = Template("Semi_Spherical_Body", (
    _p("horizontal_axis", (0.45,), (0.75,)), _p("vertical_axis", (0.4, 0.25), (0.8, 0.5)),
    _p("exist_angle", (40, 30), (75, 70), (0.0, 90.0)), _p("bottom_size", (0.15, 0.02), (0.4, 0.08)),
    _p("x_z_ratio", (0.85,), (1.15,), (0.2, 5.0))), _sphere_body)
SPHERE_CYLINDER_BODY = Template("Spherical_Cylindrical_Body", (
    _p("horizontal_axis", (0.4,), (0.6,)), _p("vertical_axis", (0.2,), (0.45,)),
    _p("exist_angle", (35,), (70,), (0.0, 90.0)), _p("bottom_size", (0.4, 0.4), (0.75, 0.9)),
    _p("x_z_ratio", (0.85,), (1.15,), (0.2, 5.0))), _sphere_cylinder_body)
KNOB_SLOTS = 5
STANDARD_COVER = Template("Standard_Cover", (
    _p("outer_size", (0.2, 0.2, 0.04), (0.5, 0.5, 0.1)), _p("inner_size", (0.1, 0.1, 0.02), (0.5, 0.5, 0.1)),
    _p("num_knobs", (1,), (3,), (1.0, float(KNOB_SLOTS)), integer=True),
    *(_p(f"knob_{k}_size", (0.03, 0.03, 0.02), (0.09, 0.09, 0.08)) for k in range(1, KNOB_SLOTS + 1))), _cover)
U_HANDLE = Template("Round_U_Handle", (_p("mounting_radius", (0.03,), (0.06,)),
                                       _p("vertical_separation", (0.4,), (0.9,)),
                                       _p("vertical_length", (0.1,), (0.35,))), _u_handle, attach="top")
SPOUT_SLOTS = 4
STRAIGHT_SPOUT = Template("Straight_Spout", (
    _p("num_of_sub_spouts", (1,), (1,), (1.0, float(SPOUT_SLOTS)), integer=True),
    *(param for k in range(1, SPOUT_SLOTS + 1) for param in (
        _p(f"spout_{k}_radius", (0.07, 0.03), (0.12, 0.06)), _p(f"spout_{k}_thinkness", (0.01,), (0.02,)),
        _p(f"spout_{k}_length", (0.35, 0.3), (0.7, 0.6)),
        _p(f"spout_{k}_generatrix_offset", (-0.02,), (0.04,), (-1.0, 1.0)),
        _p(f"spout_{k}_rotation", (20,), (60,), (-90.0, 90.0))))), _spout)
SOLID_BACK = Template("Solid_back", (_p("size", (0.6, 0.6, 0.05), (1.0, 1.1, 0.12)),
                                     _p("back_rotation", (-12,), (0,), (-45.0, 45.0))), _solid_back)
LADDER_BACK = Template("Ladder_back", (
    _p("main_vertical_piece_size", (0.04, 0.6, 0.04), (0.08, 1.1, 0.08)), _p("main_vertical_separation", (0.5,), (0.9,)),
    _p("number_of_subs", (1,), (5,), (1.0, 5.0), integer=True), _p("sub_size", (0.04, 0.03), (0.1, 0.06)),
    _p("back_rotation", (-12,), (0,), (-45.0, 45.0))), _ladder_back)
SOLID_ARMREST = Template("Solid_armrest", (_p("size", (0.05, 0.25, 0.5), (0.1, 0.4, 0.8)),
                                           _p("armrest_separation", (0.6,), (1.0,)),
                                           _p("armrest_rotation", (-5, 0), (5, 8), (-45.0, 45.0))), _armrests)
CUBOID_BODY = Template("Cuboid_Body", (_p("size", (0.5, 0.3, 0.4), (1.4, 1.0, 1.0)),
                                       _p("thickness", (0.02,), (0.06,), (0.005, 0.5))), _open_box)

__all__ = [
    "ARCH_HANDLE",
    "BOTTLE_LID",
    "CUBOID_BODY",
    "LADDER_BACK",
    "MULTILEVEL_BODY",
    "SOLID_ARMREST",
    "SOLID_BACK",
    "SPHERE_BODY",
    "SPHERE_CYLINDER_BODY",
    "STANDARD_COVER",
    "STRAIGHT_SPOUT",
    "TRIFOLD_HANDLE",
    "U_HANDLE",
    "Param",
    "Params",
    "Template",
    "count",
    "curved_handle",
    "disc",
    "legs",
    "pole",
    "slab",
    "vessel_body",
]
