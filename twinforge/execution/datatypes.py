"""FlexScript data beyond numbers, strings and Arrays: ``Map``, an object's ``labels``, the
``Color`` constants, and the null that ``Model.find`` returns for a name the script did not create.

Plain functions the built-ins (``stdlib.CommonHooks``) dispatch to by the value's class.
"""

from __future__ import annotations

from typing import Any

from twinforge.execution.errors import ScriptError, build_error, needs_context
from twinforge.execution.flexsim_api import not_modelled
from twinforge.execution.runtime import Runtime
from twinforge.execution.values import (
    FSArray,
    FSMap,
    FSObject,
    LabelNode,
    Labels,
    MissingNode,
    Vec3,
    describe,
    is_number,
)

COLORS: dict[str, tuple[float, float, float]] = {
    "aqua": (0.0, 1.0, 1.0), "black": (0.0, 0.0, 0.0), "blue": (0.0, 0.0, 1.0), "brown": (0.6, 0.4, 0.2),
    "gray": (0.5, 0.5, 0.5), "green": (0.0, 0.5, 0.0), "lightBlue": (0.68, 0.85, 0.9), "lime": (0.0, 1.0, 0.0),
    "orange": (1.0, 0.65, 0.0), "pink": (1.0, 0.75, 0.8), "purple": (0.5, 0.0, 0.5), "red": (1.0, 0.0, 0.0),
    "silver": (0.75, 0.75, 0.75), "teal": (0.0, 0.5, 0.5), "white": (1.0, 1.0, 1.0), "yellow": (1.0, 1.0, 0.0),
}
"""``Color.red`` and the other named colours. Colours are visual only (no part of the model graph),
so these approximate values change no verdict."""


ENTRY_COST = 8
"""What a new Map entry or label counts against the allocation budget (in array elements): a dict
entry takes about eight times the memory of an Array element."""


def missing_use(node: MissingNode) -> ScriptError:
    """The script uses an object that ``Model.find`` (or ``node``) did not find: it was written for
    an existing model."""
    where = f" (line {node.line})" if node.line is not None else ""
    return needs_context(f"{node.what}{where} finds no object the script created, and the script uses "
                         "what it returns")


def label_value(obj: FSObject, name: str) -> Any:
    """The value of label ``name`` of ``obj``; an error of the script if the label does not exist."""
    if name not in obj.labels:
        raise build_error(f"{describe(obj)} has no label '{name}'")
    return obj.labels[name]


def set_label(rt: Runtime, obj: FSObject, name: str, value: Any) -> None:
    """Set label ``name`` of ``obj`` (labels hold numbers and strings here; a new label counts
    against the allocation budget)."""
    if not (value is None or is_number(value) or type(value) is str):
        raise build_error(f"label '{name}' of {describe(obj)} must be a number or a string, got {describe(value)}")
    if name not in obj.labels:
        rt.allocate(ENTRY_COST + len(name))
    obj.labels[name] = value


def map_key(key: Any) -> Any:
    """A Map key: a number or a string."""
    if not (is_number(key) or type(key) is str):
        raise TypeError(f"a Map key must be a number or a string, got {describe(key)}")
    return key


def attribute(value: Any, name: str) -> Any:
    """``value.name`` of a Map, a label list or a label."""
    if type(value) is FSMap:
        if name == "length":
            return len(value.entries)
        if name in ("keys", "values"):
            return FSArray(list(value.entries if name == "keys" else value.entries.values()))
        raise TypeError(f"Map has no property '{name}'")
    if type(value) is Labels:
        if name == "length":
            return len(value.owner.labels)
        raise not_modelled(f"the labels property '{name}'")
    if type(value) is LabelNode:
        if name == "value":
            return label_value(value.owner, value.name)
        if name == "name":
            return value.name
        raise not_modelled(f"the label property '{name}'")
    raise TypeError(f"{describe(value)} has no attribute '{name}'")


def index(value: Any, key: Any) -> Any:
    """``value[key]``: a Map entry (null if absent), or a label by name (null if absent) or by rank."""
    if type(value) is FSMap:
        return value.entries.get(map_key(key))
    if type(value) is Labels:
        labels = value.owner.labels
        if type(key) is str:
            return LabelNode(value.owner, key) if key in labels else None
        if is_number(key) and 1 <= int(key) <= len(labels):
            return LabelNode(value.owner, list(labels)[int(key) - 1])
        raise IndexError(f"label index {key} out of bounds ({describe(value.owner)} has {len(labels)} labels)")
    if type(value) is MissingNode:
        raise missing_use(value)
    raise TypeError(f"cannot index a {describe(value)}")


def set_entry(rt: Runtime, table: FSMap, key: Any, value: Any) -> None:
    """``map[key] = value`` (a new key counts against the allocation budget)."""
    key = map_key(key)
    if key not in table.entries:
        if len(table.entries) >= rt.limits.max_array_length:
            raise build_error(f"a Map would exceed the sandbox limit of {rt.limits.max_array_length:,} entries")
        rt.allocate(ENTRY_COST + (len(key) if type(key) is str else 0))
    table.entries[key] = value


def labels_method(rt: Runtime, labels: Labels, name: str, args: list[Any]) -> Any:
    """``obj.labels.assert(name[, value])``: the label, made with ``value`` (default 0) if absent."""
    if name != "assert":
        raise not_modelled(f"the labels method '{name}'")
    if not 1 <= len(args) <= 2 or type(args[0]) is not str:
        raise TypeError("labels.assert takes a label name and an optional value")
    if args[0] not in labels.owner.labels:
        set_label(rt, labels.owner, args[0], args[1] if len(args) == 2 else 0)
    return LabelNode(labels.owner, args[0])


def color(args: list[Any]) -> Vec3:
    """``Color(r, g, b[, a])``: the alpha is visual only and dropped."""
    if len(args) not in (3, 4) or not all(is_number(arg) for arg in args):
        raise TypeError(f"Color takes 3 or 4 numbers, got {len(args)} argument(s)")
    return Vec3(*args[:3])
