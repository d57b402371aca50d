"""Procedural genes (GeneVLM §4): substitute within roles, sample parameters, re-attach, remove, pose.

Per sample, each random choice comes from its own stream of ``(recipe seed, index, stage)``:
which templates fill the roles and which non-essential instances are removed (``Stage.STRUCTURE``),
the continuous and count parameters and the dependent sizes (``Stage.PARAMS``), and each of the
poses (``Stage.POSE``, attempt ``k * POSE_ATTEMPTS + a`` for the ``a``-th redraw of pose ``k``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from twinforge.families.gene.categories import Category, Role, categories
from twinforge.families.gene.templates import Params, Template
from twinforge.renderers.gene.mesh import Mesh, concat, transform
from twinforge.renderers.gene.raster import in_frame
from twinforge.schemas.gene import ConceptInstance, Gene, GenePose
from twinforge.seeding import sample_rng

POSE_ATTEMPTS = 64
DIGITS = 4


class Stage(IntEnum):
    """Random streams of a gene sample; append new stages at the end so old corpora keep their bytes."""

    STRUCTURE = 0
    PARAMS = 1
    POSE = 2
    EVAL = 3


@dataclass(frozen=True)
class GeneCell:
    """A plan cell: a category and one of its subtypes."""

    category: str
    subtype: str


@dataclass
class Part:
    """One ConceptInstance while it is sampled: its role, template and parameter values."""

    role: Role
    template: Template
    params: Params


def sample_parts(seed: int, index: int, cell: GeneCell, removal_rate: float) -> list[Part]:
    """The gene's instances, sized and attached (the body first), before any pose."""
    category = categories()[cell.category]
    structure = sample_rng(seed, index, Stage.STRUCTURE)
    roles = []
    for role in category.subtypes[cell.subtype]:
        name = role.templates[int(structure.integers(len(role.templates)))]
        removed = structure.random() < removal_rate
        if role.necessary or not removed:
            roles.append((role, category.templates[name]))
    rng = sample_rng(seed, index, Stage.PARAMS)
    parts = [Part(role, template, _draw(template, rng)) for role, template in roles]
    FITS[category.name](cell.subtype, {p.role.name: p.params for p in parts}, rng)
    for part in parts:
        for name, values in part.params.items():
            part.params[name] = np.round(values, DIGITS)
    attach(parts)
    return parts


def _draw(template: Template, rng: np.random.Generator) -> Params:
    params = {}
    for p in template.params:
        values = rng.uniform(p.low, p.high)
        params[p.name] = np.round(values) if p.integer else values
    params["position"], params["rotation"] = np.zeros(3), np.zeros(3)
    return params


def _u(rng: np.random.Generator, low: float, high: float) -> float:
    return float(rng.uniform(low, high))


def _hollow(body: Params, rng: np.random.Generator) -> None:
    """Inner radii and depth inside the outer ones (inner < outer, depth < height)."""
    if "inner_size" in body:
        top, bottom, height = body["outer_size"]
        body["inner_size"] = np.array([top * _u(rng, 0.8, 0.95), bottom * _u(rng, 0.8, 0.95),
                                       height * _u(rng, 0.85, 0.95)])


def _height(body: Params) -> float:
    if "outer_size" in body:
        return float(body["outer_size"][2])
    if "size" in body and len(body["size"]) == 3:
        return float(body["size"][1])
    return float(body["vertical_axis"].sum() + body["bottom_size"][1])


def _handle(handle: Params | None, height: float, rng: np.random.Generator) -> None:
    if handle is None:
        return
    if "radius" in handle:
        handle["radius"][0] = height * _u(rng, 0.2, 0.4)
    elif "horizontal_separation" in handle:
        handle["horizontal_separation"][0] = height * _u(rng, 0.4, 0.7)


def _fit_mug(subtype: str, parts: dict[str, Params], rng: np.random.Generator) -> None:
    body = parts["body"]
    _hollow(body, rng)
    _handle(parts.get("handle"), _height(body), rng)
    if "cover" in parts:
        parts["cover"]["size"][0] = body["outer_size"][0] * _u(rng, 1.0, 1.05)
    if "coaster" in parts:
        parts["coaster"]["size"][0] = body["outer_size"][1] * _u(rng, 1.3, 1.8)


def _fit_bottle(subtype: str, parts: dict[str, Params], rng: np.random.Generator) -> None:
    body = parts["body"]
    levels = int(rng.integers(3, 5)) if subtype == "wine" else int(rng.integers(2, 4))
    body["num_levels"] = np.array([float(levels)])
    top = float(body["level_1_size"][0])
    body["level_1_size"][2] = top * _u(rng, 0.95, 1.05)
    neck = (0.25, 0.45) if subtype == "wine" else (0.4, 0.9)
    factors = {2: neck, 3: (0.6, 1.0), 4: (0.9, 1.1)}
    radius = top
    for k in (2, 3, 4):
        if k <= levels:
            radius *= _u(rng, *factors[k])
            body[f"level_{k}_size"][0] = radius
        else:
            body[f"level_{k}_size"] = np.array([radius, 0.0])
    lid = parts["lid"]
    if "outer_size" in lid:
        height = _u(rng, 0.08, 0.2)
        outer = radius * _u(rng, 1.1, 1.2)
        lid["outer_size"] = np.array([outer, outer, height])
        lid["inner_size"] = np.array([radius, radius, height * 0.8])
    else:
        lid["size"][0] = radius * _u(rng, 1.05, 1.15)


def _fit_bucket(subtype: str, parts: dict[str, Params], rng: np.random.Generator) -> None:
    _hollow(parts["body"], rng)
    if "handle" in parts:
        parts["handle"]["radius"][0] = parts["body"]["outer_size"][0]


def _fit_cover(cover: Params, radius: float, rng: np.random.Generator) -> None:
    """A cover over an opening of ``radius``: cavity inside its wall, knobs narrowing upwards, unused knob
    slots as zero-height copies of the last knob."""
    top = radius * _u(rng, 0.75, 0.95)
    height = float(cover["outer_size"][2])
    cover["outer_size"] = np.array([top, radius, height])
    cover["inner_size"] = np.array([top * _u(rng, 0.8, 0.9), radius * _u(rng, 0.85, 0.95), height * _u(rng, 0.5, 0.8)])
    knobs = int(cover["num_knobs"][0])
    for k in range(2, len([n for n in cover if n.startswith("knob_")]) + 1):
        previous = cover[f"knob_{k - 1}_size"]
        if k <= knobs:
            cover[f"knob_{k}_size"][1] = previous[0]
        else:
            cover[f"knob_{k}_size"] = np.array([previous[0], previous[0], 0.0])


def _fit_spout(spout: Params) -> None:
    """Segments after the used ones as zero-length continuations of the last (the release keeps the slots)."""
    used = int(spout["num_of_sub_spouts"][0])
    k = used + 1
    while f"spout_{k}_radius" in spout:
        end = spout[f"spout_{used}_radius"][1]
        spout[f"spout_{k}_radius"] = np.array([end, end])
        spout[f"spout_{k}_thinkness"] = spout[f"spout_{used}_thinkness"].copy()
        spout[f"spout_{k}_length"] = np.zeros(2)
        spout[f"spout_{k}_generatrix_offset"] = np.zeros(1)
        spout[f"spout_{k}_rotation"] = spout[f"spout_{used}_rotation"].copy()
        k += 1


def _fit_kettle(subtype: str, parts: dict[str, Params], rng: np.random.Generator) -> None:
    body = parts["body"]
    opening = float(body["horizontal_axis"][0] * np.cos(np.radians(body["exist_angle"][0])))
    _fit_cover(parts["cover"], opening * _u(rng, 1.0, 1.05), rng)
    _fit_spout(parts["spout"])
    handle = parts["handle"]
    if "vertical_separation" in handle:
        handle["vertical_separation"][0] = opening * _u(rng, 1.2, 1.8)
    _handle(handle, _height(body), rng)


def _fit_seating(subtype: str, parts: dict[str, Params], rng: np.random.Generator) -> None:
    top = parts.get("seat", parts.get("desktop"))
    size = top["size"]
    width, depth = (size[0], size[2]) if len(size) == 3 else (size[0] * 1.41, size[0] * 1.41)
    legs = parts["leg"]
    if "legs_separation" in legs:
        spread = width * _u(rng, 0.75, 0.9)
        legs["legs_separation"] = np.array([spread, spread, depth * _u(rng, 0.75, 0.9)])
        legs["rear_legs_size"] = legs["front_legs_size"].copy()
    if "back" in parts:
        back = parts["back"]
        if "size" in back:
            back["size"][0] = width * _u(rng, 0.8, 1.0)
        else:
            back["main_vertical_separation"][0] = width * _u(rng, 0.7, 0.9)
    if "armrest" in parts:
        parts["armrest"]["armrest_separation"][0] = width * _u(rng, 0.9, 1.0)
        parts["armrest"]["size"][2] = depth * _u(rng, 0.6, 0.9)
    if "sublayer" in parts:
        sep_x, _, sep_z = legs["legs_separation"]
        parts["sublayer"]["size"][[0, 2]] = [sep_x + legs["front_legs_size"][0], sep_z + legs["front_legs_size"][2]]


def _fit_box(subtype: str, parts: dict[str, Params], rng: np.random.Generator) -> None:
    body = parts["body"]
    _hollow(body, rng)
    lid = parts.get("lid")
    if lid is None:
        return
    if "thickness" in body:
        lid["size"][[0, 2]] = body["size"][[0, 2]] * _u(rng, 1.0, 1.04)
    else:
        lid["size"][0] = body["outer_size"][0] * _u(rng, 1.0, 1.06)


FITS: dict[str, Callable[[str, dict[str, Params], np.random.Generator], None]] = {
    "Mug": _fit_mug, "Bottle": _fit_bottle, "Bucket": _fit_bucket, "Kettle": _fit_kettle,
    "Chair": _fit_seating, "Table": _fit_seating, "Box": _fit_box, "Trashcan": _fit_box,
}
"""Dependent sizes per category: cavities inside walls, lids on openings, legs under seats."""


def attach(parts: list[Part]) -> None:
    """Place every part after the body by its attachment rule (positions from the placed parts' bounds)."""
    body = parts[0].template.mesh(parts[0].params).bounds()
    placed = [body]
    by_role: dict[str, np.ndarray] = {parts[0].role.name: body}
    for part in parts[1:]:
        rule = part.template.attach or part.role.attach
        part.params["rotation"] = np.array([0.0, 180.0 if rule == "side-z" else 0.0, 0.0])
        local = transform(part.template.local_mesh(part.params), part.params["rotation"]).bounds()
        everything = np.stack([np.min([b[0] for b in placed], axis=0), np.max([b[1] for b in placed], axis=0)])
        part.params["position"] = np.round(_position(rule, local, body, everything, by_role), DIGITS)
        bounds = part.template.mesh(part.params).bounds()
        placed.append(bounds)
        by_role[part.role.name] = bounds


def _position(rule: str, local: np.ndarray, body: np.ndarray, everything: np.ndarray,
              by_role: dict[str, np.ndarray]) -> np.ndarray:
    (_, ly0, lz0), (_, ly1, lz1) = local
    (_, by0, bz0), (_, by1, bz1) = body
    mid_y = (by0 + by1) / 2 - (ly0 + ly1) / 2
    if rule == "top":
        return np.array([0.0, everything[1, 1] - ly0, 0.0])
    if rule == "bottom":
        return np.array([0.0, everything[0, 1] - ly1, 0.0])
    if rule == "side+z":
        return np.array([0.0, mid_y, bz1 - lz0 - 0.01])
    if rule == "side-z":
        return np.array([0.0, mid_y, bz0 - lz1 + 0.01])
    if rule == "spout":
        return np.array([0.0, by0 + 0.4 * (by1 - by0), 0.8 * bz1])
    if rule == "rear":
        return np.array([0.0, by1 - ly0, bz0 - lz0])
    if rule == "seat":
        return np.array([0.0, by1 - ly0, 0.0])
    if rule == "under":
        return np.array([0.0, by0 - ly1, 0.0])
    if rule == "shelf":
        legs = by_role["leg"]
        return np.array([0.0, legs[0, 1] + 0.25 * (legs[1, 1] - legs[0, 1]), 0.0])
    if rule == "front":
        return np.array([0.0, everything[0, 1] - ly0, bz1 - lz0])
    raise ValueError(f"unknown attachment rule {rule!r}")


def object_mesh(parts: list[tuple[Template, Params]]) -> Mesh:
    """The union of the instances' meshes in the object frame."""
    return concat([template.mesh(params) for template, params in parts])


def posed(mesh: Mesh, pose: GenePose) -> Mesh:
    """The object mesh under the gene's global pose (XYZ Euler degrees about the origin, then moved)."""
    return transform(mesh, pose.global_rotation, pose.global_position)


def sample_poses(seed: int, index: int, mesh: Mesh, count: int, size: int) -> list[GenePose]:
    """``count`` poses on the release's grid, each redrawn until the object is wholly in frame."""
    poses = []
    for k in range(count):
        pose = GenePose(global_position=[0, 0, 0], global_rotation=[0, 0, 0])
        for attempt in range(POSE_ATTEMPTS):
            rng = sample_rng(seed, index, Stage.POSE, k * POSE_ATTEMPTS + attempt)
            candidate = GenePose(global_position=[int(v) for v in rng.integers(-1, 2, 3)],
                                 global_rotation=[5 * int(v) for v in rng.integers(-36, 37, 3)])
            if in_frame(posed(mesh, candidate), size):
                pose = candidate
                break
        poses.append(pose)
    return poses


def to_gene(category: Category | str, parts: list[Part], pose: GenePose) -> Gene:
    """The gene of sampled parts under ``pose``."""
    name = category if isinstance(category, str) else category.name
    return Gene(category=name, pose=pose, conceptualization=[
        ConceptInstance(template=p.template.name, parameters={k: [float(v) for v in p.params[k]]
                                                              for k in p.template.domains()}) for p in parts])


__all__ = ["FITS", "GeneCell", "Part", "Stage", "attach", "object_mesh", "posed", "sample_parts", "sample_poses",
           "to_gene"]
