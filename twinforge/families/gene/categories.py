"""The eight categories: roles (necessary or not) per subtype, the templates of each role, attachment rules.

A cell is a ``(category, subtype)``; the subtype fixes which roles an object has. Attachment rules
say where a dependent part goes once the parts before it are placed (``sampler.attach``):
``origin`` (the body), ``top``/``bottom`` (on or under everything placed), ``side+z``/``side-z``
(against the body's wall, the Toolkit's mug handle at +Z and kettle handle at -Z), ``spout``
(+Z wall, lower half), ``rear`` (standing on the seat's rear edge), ``seat`` (standing on the seat),
``under`` (hanging from the underside), ``shelf`` (between the legs), ``front`` (floor, +Z side).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from twinforge.families.gene import templates as t
from twinforge.families.gene.templates import Template
from twinforge.schemas.gene import ParamDomain


@dataclass(frozen=True)
class Role:
    """A role of a category: alternative templates, whether it is essential, and where it attaches."""

    name: str
    templates: tuple[str, ...]
    necessary: bool
    attach: str


@dataclass(frozen=True)
class Category:
    """A category's templates (by name) and its subtypes' roles (the body first)."""

    name: str
    templates: dict[str, Template]
    subtypes: dict[str, tuple[Role, ...]]


def _lib(*templates: Template) -> dict[str, Template]:
    return {template.name: template for template in templates}


def _mug() -> Category:
    body = Role("body", ("Cylindrical_Body", "Prismatic_Body"), True, "origin")
    handle = Role("handle", ("Curved_Handle", "Trifold_Handle"), True, "side+z")
    cover = Role("cover", ("Single_Cylinder",), False, "top")
    coaster = Role("coaster", ("Single_Cylinder",), False, "bottom")
    return Category("Mug", _lib(t.vessel_body("Cylindrical_Body", False, (0.35, 0.3, 0.7), (0.6, 0.6, 1.3)),
                                t.vessel_body("Prismatic_Body", True, (0.35, 0.3, 0.7), (0.6, 0.6, 1.3)),
                                t.curved_handle("central_angle"), t.TRIFOLD_HANDLE, t.disc((0.3, 0.03), (0.9, 0.08))),
                    {"no_cover_or_coaster": (body, handle), "has_cover": (body, handle, cover),
                     "has_coaster": (body, handle, coaster), "has_cover_and_coaster": (body, handle, cover, coaster)})


def _bottle() -> Category:
    roles = (Role("body", ("Multilevel_Body",), True, "origin"),
             Role("lid", ("Cylindrical_Lid", "Single_Cylinder"), True, "top"))
    return Category("Bottle", _lib(t.MULTILEVEL_BODY, t.BOTTLE_LID, t.disc((0.05, 0.03), (0.3, 0.15))),
                    {"wine": roles, "water": roles})


def _bucket() -> Category:
    handle = Role("handle", ("Semi_Ring_Handle",), False, "top")
    return Category("Bucket", _lib(t.vessel_body("Cylindrical_Body", False, (0.5, 0.35, 0.6), (0.8, 0.6, 1.1)),
                                   t.vessel_body("Prismatic_Body", True, (0.5, 0.35, 0.6), (0.8, 0.6, 1.1)),
                                   t.ARCH_HANDLE),
                    {"round": (Role("body", ("Cylindrical_Body",), True, "origin"), handle),
                     "square": (Role("body", ("Prismatic_Body",), True, "origin"), handle)})


def _kettle() -> Category:
    rest = (Role("cover", ("Standard_Cover",), True, "top"),
            Role("handle", ("Curved_Handle", "Round_U_Handle"), True, "side-z"),
            Role("spout", ("Straight_Spout",), True, "spout"))
    return Category("Kettle", _lib(t.SPHERE_BODY, t.SPHERE_CYLINDER_BODY, t.STANDARD_COVER,
                                   t.curved_handle("exist_angle"), t.U_HANDLE, t.STRAIGHT_SPOUT),
                    {"semi_spherical": (Role("body", ("Semi_Spherical_Body",), True, "origin"), *rest),
                     "spherical_cylindrical": (Role("body", ("Spherical_Cylindrical_Body",), True, "origin"), *rest)})


def _chair() -> Category:
    seats = (t.slab("Regular_seat", (0.6, 0.06, 0.6), (1.0, 0.15, 1.0)),
             t.disc((0.3, 0.05), (0.5, 0.12), "Round_seat"))
    regular = (Role("seat", ("Regular_seat", "Round_seat"), True, "origin"),
               Role("leg", ("Regular_leg",), True, "under"),
               Role("back", ("Solid_back", "Ladder_back"), True, "rear"),
               Role("armrest", ("Solid_armrest",), False, "seat"))
    stool = (Role("seat", ("Round_seat",), True, "origin"), Role("leg", ("Barstool_leg",), True, "under"),
             Role("back", ("Solid_back",), False, "rear"))
    return Category("Chair", _lib(*seats, t.legs("Regular_leg", (0.4, 0.8)), t.pole("Barstool_leg", (0.6, 1.0)),
                                  t.SOLID_BACK, t.LADDER_BACK, t.SOLID_ARMREST),
                    {"regular": regular, "stool": stool})


def _table() -> Category:
    tops = (t.slab("Regular_desktop", (0.8, 0.04, 0.6), (1.8, 0.1, 1.2)),
            t.disc((0.4, 0.04), (0.9, 0.1), "Cylindrical_desktop"))
    regular = (Role("desktop", ("Regular_desktop", "Cylindrical_desktop"), True, "origin"),
               Role("leg", ("Regular_leg",), True, "under"),
               Role("sublayer", ("Regular_sublayer",), False, "shelf"))
    bar = (Role("desktop", ("Cylindrical_desktop",), True, "origin"), Role("leg", ("Bar_cylindrical_leg",), True, "under"))
    return Category("Table", _lib(*tops, t.legs("Regular_leg", (0.5, 1.0), extra_legs=True), t.pole("Bar_cylindrical_leg", (0.6, 1.1)),
                                  t.slab("Regular_sublayer", (0.5, 0.02, 0.3), (1.6, 0.05, 1.1))),
                    {"regular": regular, "bar": bar})


def _box() -> Category:
    body = Role("body", ("Cuboid_Body",), True, "origin")
    return Category("Box", _lib(t.CUBOID_BODY, t.slab("Flat_Lid", (0.5, 0.02, 0.4), (1.5, 0.06, 1.1))),
                    {"open": (body,), "lidded": (body, Role("lid", ("Flat_Lid",), False, "top"))})


def _trashcan() -> Category:
    pedal = Role("pedal", ("Pedal",), False, "front")
    return Category("Trashcan", _lib(t.vessel_body("Cylindrical_Body", False, (0.35, 0.3, 0.8), (0.55, 0.5, 1.3)),
                                     t.CUBOID_BODY, t.disc((0.3, 0.03), (0.6, 0.08)),
                                     t.slab("Flat_Lid", (0.5, 0.02, 0.4), (1.5, 0.06, 1.1)),
                                     t.slab("Pedal", (0.15, 0.03, 0.1), (0.3, 0.06, 0.2))),
                    {"round": (Role("body", ("Cylindrical_Body",), True, "origin"),
                               Role("lid", ("Single_Cylinder",), False, "top"), pedal),
                     "square": (Role("body", ("Cuboid_Body",), True, "origin"),
                                Role("lid", ("Flat_Lid",), False, "top"), pedal)})


@cache
def categories() -> dict[str, Category]:
    """Every category by name."""
    return {c.name: c for c in (_mug(), _bottle(), _bucket(), _kettle(), _chair(), _table(), _box(), _trashcan())}


@cache
def param_table() -> dict[str, dict[str, dict[str, ParamDomain]]]:
    """Category -> template -> parameter -> length and domain (the gene schema's ``ParamTable``)."""
    return {name: {tn: template.domains() for tn, template in c.templates.items()} for name, c in categories().items()}


def template_names() -> list[str]:
    """Every distinct template name."""
    return sorted({name for c in categories().values() for name in c.templates})


__all__ = ["Category", "Role", "categories", "param_table", "template_names"]
