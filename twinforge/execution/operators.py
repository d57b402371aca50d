"""The language's value semantics: declared-type conversions, truth, the binary operators and
array indexing (FlexScript's C-like rules as twinforge reads them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from twinforge.execution.errors import BUILD_ERROR, ScriptError
from twinforge.execution.runtime import Runtime
from twinforge.execution.values import FSArray, FSItem, FSNode, FSObject, Vec3, describe, is_number, type_name

TYPE_DEFAULTS: dict[str, Callable[[], Any]] = {
    "int": lambda: 0, "double": lambda: 0.0, "string": lambda: "", "treenode": lambda: None,
    "Object": lambda: None, "Variant": lambda: None, "var": lambda: None, "Array": FSArray,
    "Vec3": Vec3, "Color": Vec3,
}
"""The value of a variable declared without an initial value, by its type."""


def coerce(type_: str, value: Any, name: str) -> Any:
    """Convert ``value`` for a variable declared ``type_`` (FlexScript's implicit conversions)."""
    if type_ == "var" or type_ == "Variant":
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
        if value is None or isinstance(value, (FSObject, FSItem)):
            return value
        raise TypeError(f"cannot store a {type_name(value)} in Object '{name}'")
    if type_ == "treenode":
        if value is None or isinstance(value, (FSObject, FSNode, FSItem)):
            return value
        raise TypeError(f"cannot store a {type_name(value)} in treenode '{name}'")
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
    if value is None:
        return False
    if type(value) is str:
        return value != ""
    return True


def _numbers(op: str, a: Any, b: Any) -> None:
    """Refuse operands of an arithmetic operator that are not both numbers."""
    if not (is_number(a) and is_number(b)):
        if op == "+" and (type(a) is str or type(b) is str):
            raise TypeError(f"cannot add {type_name(a)} and {type_name(b)}: FlexScript does not mix strings "
                            "and numbers (use string.fromNum)")
        raise TypeError(f"operator '{op}' needs numbers, got {describe(a)} and {describe(b)}")


def op_add(rt: Runtime, a: Any, b: Any) -> Any:
    """``a + b``: numbers, or two strings (counted against the allocation budget)."""
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
    """``a == b``: numbers and strings by value, everything else by identity."""
    if is_number(a) and is_number(b):
        return a == b
    if type(a) is str and type(b) is str:
        return a == b
    return a is b


BINARY: dict[str, Callable[[Runtime, Any, Any], Any]] = {
    "+": op_add, "-": op_sub, "*": op_mul, "/": op_div, "%": op_mod,
    "<": lambda rt, a, b: int(_compare("<", a, b)), ">": lambda rt, a, b: int(_compare(">", a, b)),
    "<=": lambda rt, a, b: int(_compare("<=", a, b)), ">=": lambda rt, a, b: int(_compare(">=", a, b)),
    "==": lambda rt, a, b: int(equal(a, b)), "!=": lambda rt, a, b: int(not equal(a, b)),
}
"""The binary operators other than ``&&`` and ``||``, by their text."""
PRECEDENCE = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, ">": 4, "<=": 4, ">=": 4, "+": 5, "-": 5,
              "*": 6, "/": 6, "%": 6}
"""C precedence of the binary operators (all left-associative)."""


def combine(op: str, left: Callable[[Any], Any], right: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The closure of ``left op right`` (``&&`` and ``||`` short-circuit)."""
    if op == "&&":
        return lambda scope: int(truth(left(scope)) and truth(right(scope)))
    if op == "||":
        return lambda scope: int(truth(left(scope)) or truth(right(scope)))
    function = BINARY[op]
    return lambda scope: function(scope.rt, left(scope), right(scope))


COMPOUND = {"assign_add": op_add, "assign_sub": op_sub, "assign_mul": op_mul, "assign_div": op_div}
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
