"""Run-time values of the FlexScript subset: arrays, vectors, objects, library nodes.

Numbers are Python ``int`` (FlexScript int) and ``float`` (double), strings are ``str`` and
null is ``None``. Everything a script can reach is one of these classes or a built-in
function value; none of them exposes anything of the host.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class FSArray:
    """A 1-based FlexScript Array; assignment shares it (reference semantics)."""

    __slots__ = ("items",)

    def __init__(self, items: list[Any] | None = None) -> None:
        self.items = items if items is not None else []

    def __repr__(self) -> str:
        return f"FSArray({self.items!r})"


class Vec3:
    """A mutable 3-vector (``Vec3(x, y, z)``, ``obj.location``)."""

    __slots__ = ("x", "y", "z")

    def __init__(self, x: float = 0.0, y: float = 0.0, z: float = 0.0) -> None:
        self.x, self.y, self.z = x, y, z

    def as_tuple(self) -> tuple[float, float, float]:
        return (self.x, self.y, self.z)

    def __repr__(self) -> str:
        return f"Vec3({self.x}, {self.y}, {self.z})"


@dataclass(eq=False)
class FSObject:
    """An object the script created in the model (a treenode with object data)."""

    cls: str
    name: str
    line: int | None
    location: Vec3 = field(default_factory=Vec3)
    size: Vec3 = field(default_factory=lambda: Vec3(1.0, 1.0, 1.0))
    rotation: Vec3 = field(default_factory=Vec3)
    properties: dict[str, Any] = field(default_factory=dict)
    raw_properties: dict[str, Any] = field(default_factory=dict)
    property_lines: dict[str, int | None] = field(default_factory=dict)
    labels: dict[str, Any] = field(default_factory=dict)
    name_line: int | None = None
    color: Any = None
    """Visual only (``obj.color = Color.red``): not part of the model graph."""


@dataclass(frozen=True)
class FSNode:
    """A node that is not a model object: ``library()``, ``model()`` or a library class node."""

    role: str
    cls: str | None = None


@dataclass(frozen=True)
class DistCall:
    """The value of a distribution command inside a property code string: a call, not a number."""

    name: str
    args: tuple[Any, ...]


class MissingNode:
    """What ``Model.find`` (or ``node``, ``model().find``) returns for a name the script did not
    create: null to ``objectexists``, ``!``, ``== NULL`` and ``if``; any other use of it needs the
    model the script was written for (``unsupported``, see ``errors.needs_context``)."""

    __slots__ = ("line", "what")

    def __init__(self, what: str, line: int | None) -> None:
        self.what = what
        self.line = line


class FSMap:
    """A FlexScript ``Map``: Variant keys (numbers or strings) to Variant values."""

    __slots__ = ("entries",)

    def __init__(self) -> None:
        self.entries: dict[Any, Any] = {}


@dataclass(eq=False)
class Labels:
    """``obj.labels``: the label list of an object (``assert``, ``length``, ``[name]``, ``[n]``)."""

    owner: FSObject


@dataclass(eq=False)
class LabelNode:
    """One label of an object (``obj.labels["Type"]``): its ``name`` and ``value``."""

    owner: FSObject
    name: str


class FSItem:
    """The flow item a code string receives as ``param(1)``; it has no properties here."""

    __slots__ = ()


TYPE_NAMES = {
    bool: "number", int: "int", float: "double", str: "string", FSArray: "Array", Vec3: "Vec3",
    FSObject: "Object", FSNode: "treenode", DistCall: "distribution", FSItem: "item", type(None): "null",
    MissingNode: "null", FSMap: "Map", Labels: "treenode", LabelNode: "treenode",
}


def type_name(value: Any) -> str:
    """FlexScript-style name of a value's type, for messages."""
    return TYPE_NAMES.get(type(value), "function")


def is_number(value: Any) -> bool:
    return type(value) is int or type(value) is float


def is_null(value: Any) -> bool:
    """Whether ``value`` is null: ``NULL``/``nullvar``, or an object ``Model.find`` did not find."""
    return value is None or type(value) is MissingNode


def describe(value: Any) -> str:
    """Short text for a value in an error message."""
    if isinstance(value, FSObject):
        return f"{value.cls} '{value.name}'"
    if isinstance(value, FSNode):
        return f"library class {value.cls}" if value.role == "class" else f"{value.role}()"
    if isinstance(value, str):
        return repr(value[:40])
    if is_number(value):
        return repr(value)
    return type_name(value)
