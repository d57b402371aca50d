"""The language's value semantics: declared-type conversions, truth, the binary operators and
array indexing (FlexScript's C-like rules as twinforge reads them)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from twinforge.execution.errors import BUILD_ERROR, ScriptError
from twinforge.execution.runtime import Runtime
from twinforge.execution.values import (
    FSArray,
    FSItem,
    FSMap,
    FSNode,
    FSObject,
    LabelNode,
    Labels,
    MissingNode,
    Vec3,
    describe,
    is_number,
    type_name,
)

TYPE_DEFAULTS: dict[str, Callable[[], Any]] = {
    "int": lambda: 0, "double": lambda: 0.0, "string": lambda: "", "treenode": lambda: None,
    "Object": lambda: None, "Variant": lambda: None, "var": lambda: None, "Array": FSArray,
    "Vec3": Vec3, "Color": Vec3, "Map": FSMap,
}
"""The value of a variable declared without an initial value, by its type (the FlexScript classes
twinforge does not model, such as ``Table`` or ``Storage.Item``, start as null)."""

_NODES = (FSObject, FSNode, FSItem, MissingNode, Labels, LabelNode)
"""Values a ``treenode`` variable may hold (``MissingNode`` is null until it is used)."""


def coerce(type_: str, value: Any, name: str) -> Any:
    """Convert ``value`` for a variable declared ``type_`` (FlexScript's implicit conversions).

    A FlexScript class twinforge does not model (``Table``, ``Storage.Item`` ...) takes any value:
    the check cannot know what FlexSim would convert."""
    if type_ == "var" or type_ == "Variant" or type_ not in TYPE_DEFAULTS:
        return value
    if type_ == "int" or type_ == "double":
        if not is_number(value):
            raise TypeError(f"cannot store a {type_name(value)} in {type_} '{name}'")
        return int(value) if type_ == "int" else float(value)
    if type_ == "string":
        if type(value) is not str:
            raise TypeError(f"cannot store a {type_name(value)} in string '{name}' (use string.fromNum)")
        return value
    if type_ == "Object":
        if value is None or isinstance(value, (FSObject, FSItem, MissingNode)):
            return value
        raise TypeError(f"cannot store a {type_name(value)} in Object '{name}'")
    if type_ == "treenode":
        if value is None or isinstance(value, _NODES):
            return value
        raise TypeError(f"cannot store a {type_name(value)} in treenode '{name}'")
    if type_ == "Map":
        if value is None or isinstance(value, FSMap):
            return value
        raise TypeError(f"cannot store a {type_name(value)} in Map '{name}'")
    if type_ == "Array":
        if isinstance(value, FSArray):
            return value
        raise TypeError(f"cannot store a {type_name(value)} in Array '{name}'")
    if isinstance(value, Vec3):
        return Vec3(value.x, value.y, value.z)
    raise TypeError(f"cannot store a {type_name(value)} in {type_} '{name}'")


def truth(value: Any) -> bool:
    """Whether a condition holds: non-zero numbers, non-empty strings and any object."""
    if type(value) is int or type(value) is float:
        return value != 0
    if value is None or type(value) is MissingNode:
        return False
    if type(value) is str:
        return value != ""
    return True


def _numbers(op: str, a: Any, b: Any) -> None:
    """Refuse operands of an arithmetic operator that are not both numbers."""
    if not (is_number(a) and is_number(b)):
        if op == "+" and (type(a) is str or type(b) is str):
            raise TypeError(f"cannot add {type_name(a)} and {type_name(b)}")
        raise TypeError(f"operator '{op}' needs numbers, got {describe(a)} and {describe(b)}")


def number_text(value: float) -> str:
    """A number as text, like ``string.fromNum(value)``: integers without a point, doubles in
    their shortest form."""
    if type(value) is int or (math.isfinite(value) and value == int(value) and abs(value) < 1e15):
        return str(int(value))
    return repr(float(value))


def op_add(rt: Runtime, a: Any, b: Any) -> Any:
    """``a + b``: numbers, or strings (counted against the allocation budget); a number added to
    a string is written as ``string.fromNum`` writes it (scripts that ran in FlexSim do this; the
    exact digits FlexSim writes for a double are UNCONFIRMED)."""
    if type(a) is str and is_number(b):
        b = number_text(b)
    elif type(b) is str and is_number(a):
        a = number_text(a)
    if type(a) is str and type(b) is str:
        if len(a) + len(b) > rt.limits.max_string_length:
            raise ScriptError(BUILD_ERROR, f"string longer than {rt.limits.max_string_length:,} characters",
                              rt.line)
        rt.allocate(len(a) + len(b))
        return a + b
    _numbers("+", a, b)
    return a + b


def op_sub(rt: Runtime, a: Any, b: Any) -> Any:
    """``a - b`` of numbers."""
    _numbers("-", a, b)
    return a - b


def op_mul(rt: Runtime, a: Any, b: Any) -> Any:
    """``a * b`` of numbers."""
    _numbers("*", a, b)
    return a * b


def op_div(rt: Runtime, a: Any, b: Any) -> Any:
    """``a / b``: C division, truncating toward zero for two ints."""
    _numbers("/", a, b)
    if b == 0:
        raise ZeroDivisionError("division by zero")
    if type(a) is int and type(b) is int:
        quotient = abs(a) // abs(b)
        return quotient if (a >= 0) == (b >= 0) else -quotient
    return a / b


def op_mod(rt: Runtime, a: Any, b: Any) -> Any:
    """``a % b`` of the operands' integer parts, with the sign of ``a`` (C)."""
    _numbers("%", a, b)
    a, b = int(a), int(b)
    if b == 0:
        raise ZeroDivisionError("modulo by zero")
    remainder = abs(a) % abs(b)
    return remainder if a >= 0 else -remainder


def _compare(op: str, a: Any, b: Any) -> bool:
    """``a op b`` for an ordering operator: two numbers or two strings."""
    if (is_number(a) and is_number(b)) or (type(a) is str and type(b) is str):
        if op == "<":
            return a < b
        if op == ">":
            return a > b
        if op == "<=":
            return a <= b
        return a >= b
    raise TypeError(f"operator '{op}' cannot compare {describe(a)} and {describe(b)}")


def equal(a: Any, b: Any) -> bool:
    """``a == b``: numbers and strings by value, labels by their object and name, everything else
    by identity (an object ``Model.find`` did not find equals null)."""
    if is_number(a) and is_number(b):
        return a == b
    if type(a) is str and type(b) is str:
        return a == b
    if type(a) is MissingNode or type(b) is MissingNode:
        return (a is None or type(a) is MissingNode) and (b is None or type(b) is MissingNode)
    if type(a) is LabelNode and type(b) is LabelNode:
        return a.owner is b.owner and a.name == b.name
    return a is b


def _bits(op: str, a: Any, b: Any) -> tuple[int, int]:
    """The integer parts of the operands of a bitwise operator."""
    _numbers(op, a, b)
    return int(a), int(b)


def op_and(rt: Runtime, a: Any, b: Any) -> int:
    """``a & b`` of the operands' integer parts."""
    x, y = _bits("&", a, b)
    return x & y


def op_or(rt: Runtime, a: Any, b: Any) -> int:
    """``a | b`` of the operands' integer parts."""
    x, y = _bits("|", a, b)
    return x | y


BINARY: dict[str, Callable[[Runtime, Any, Any], Any]] = {
    "+": op_add, "-": op_sub, "*": op_mul, "/": op_div, "%": op_mod, "&": op_and, "|": op_or,
    "^": lambda rt, a, b: int.__xor__(*_bits("^", a, b)),
    "<": lambda rt, a, b: int(_compare("<", a, b)), ">": lambda rt, a, b: int(_compare(">", a, b)),
    "<=": lambda rt, a, b: int(_compare("<=", a, b)), ">=": lambda rt, a, b: int(_compare(">=", a, b)),
    "==": lambda rt, a, b: int(equal(a, b)), "!=": lambda rt, a, b: int(not equal(a, b)),
}
"""The binary operators other than ``&&`` and ``||``, by their text."""
PRECEDENCE = {"||": 1, "&&": 2, "|": 3, "^": 4, "&": 5, "==": 6, "!=": 6, "<": 7, ">": 7, "<=": 7, ">=": 7,
              "+": 8, "-": 8, "*": 9, "/": 9, "%": 9}
"""C precedence of the binary operators (all left-associative)."""


def combine(op: str, left: Callable[[Any], Any], right: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The closure of ``left op right`` (``&&`` and ``||`` short-circuit)."""
    if op == "&&":
        return lambda scope: int(truth(left(scope)) and truth(right(scope)))
    if op == "||":
        return lambda scope: int(truth(left(scope)) or truth(right(scope)))
    function = BINARY[op]
    return lambda scope: function(scope.rt, left(scope), right(scope))


COMPOUND = {"assign_add": op_add, "assign_sub": op_sub, "assign_mul": op_mul, "assign_div": op_div,
            "assign_mod": op_mod, "assign_and": op_and, "assign_or": op_or}
"""Compound assignment rule -> its operator."""


def array_slot(array: Any, index: Any) -> int:
    """0-based slot of a 1-based FlexScript index, with FlexScript's bounds check."""
    if not isinstance(array, FSArray):
        raise TypeError(f"cannot index a {type_name(array)}")
    if not is_number(index):
        raise TypeError(f"array index must be a number, got {describe(index)}")
    slot = int(index) - 1
    if not 0 <= slot < len(array.items):
        raise IndexError(f"array index {index} out of bounds (the array has {len(array.items)} elements; "
                         "FlexScript arrays start at 1)")
    return slot
