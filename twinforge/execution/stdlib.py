"""The language library that build scripts and code strings share: ``Math``, ``string``,
``Array`` and string methods, attributes of arrays, vectors, objects, maps and labels, the
FlexScript class namespaces (``Color.red``, ``Model.time``), ``print`` and ``objectexists``; every
other name goes to ``flexsim_api`` for its verdict.

``CommonHooks`` is the base of both sets of built-ins (``builtins.BuildHooks`` for a build script,
``builtins.CodeHooks`` for a property code string): the interpreter reaches the host only through
these methods. This is twinforge's approximation of FlexSim's API.
"""

from __future__ import annotations

import math
from typing import Any

from twinforge.distributions import FLEXSIM_PARAMETERS
from twinforge.execution import datatypes
from twinforge.execution.errors import (
    BUILD_ERROR,
    PARAM_ERROR,
    ScriptError,
    build_error,
    needs_context,
    param_error,
)
from twinforge.execution.flexsim_api import (
    FLEXSCRIPT_CLASSES,
    LOOKUP_CLASSES,
    MODEL_UNITS,
    OBJECT_MEMBERS,
    REFUSED_CLASSES,
    not_modelled,
    refused,
    static_member,
    unknown_function,
    unknown_name,
)
from twinforge.execution.limits import Limits
from twinforge.execution.operators import equal, number_text
from twinforge.execution.runtime import Namespace, Runtime
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

STATIC_NAMESPACES = frozenset({"Math", "Model"})
"""Names that are namespaces rather than variables (``Math.sqrt``, ``Model.find``)."""
DISTRIBUTION_COMMANDS = frozenset(FLEXSIM_PARAMETERS) | {"duniform", "erlang", "beta", "bernoulli", "cauchy",
                                                        "binomial", "geometric", "logistic", "pearsont5"}
"""FlexSim's distribution commands: valid only inside a property code string."""


def _number(value: Any, what: str) -> float:
    """``value`` if it is a number, else a TypeError naming ``what`` needed it."""
    if not is_number(value):
        raise TypeError(f"{what} needs a number, got {describe(value)}")
    return value


def arity(name: str, args: list[Any], low: int, high: int | None = None) -> None:
    """Refuse a call of ``name`` with fewer than ``low`` or more than ``high`` arguments."""
    high = low if high is None else high
    if not low <= len(args) <= high:
        wanted = str(low) if low == high else f"{low} to {high}"
        raise TypeError(f"{name} takes {wanted} argument(s), got {len(args)}")


def _math(name: str, args: list[Any]) -> Any:
    """``Math.<name>(args)``: C's math functions (a domain error is a ValueError, so a build error)."""
    one = {"sqrt": math.sqrt, "exp": math.exp, "log": math.log, "log10": math.log10, "fabs": abs, "abs": abs,
           "floor": math.floor, "ceil": math.ceil, "sin": math.sin, "cos": math.cos, "tan": math.tan,
           "trunc": math.trunc}
    numbers = [_number(arg, f"Math.{name}") for arg in args]
    try:
        if name in one:
            arity(f"Math.{name}", args, 1)
            return one[name](numbers[0])
        if name == "round":
            arity("Math.round", args, 1, 2)
            digits = int(numbers[1]) if len(numbers) == 2 else 0
            scaled = numbers[0] * 10**digits
            rounded = math.floor(abs(scaled) + 0.5) * (1 if scaled >= 0 else -1)
            return rounded / 10**digits if digits else float(rounded)
        if name == "frac":
            arity("Math.frac", args, 1)
            return math.modf(numbers[0])[0]
        if name in ("pow", "fmod", "min", "max", "atan2"):
            arity(f"Math.{name}", args, 2)
            a, b = numbers
            if name == "pow":
                return float(a) ** b
            if name == "fmod":
                return math.fmod(a, b)
            if name == "atan2":
                return math.atan2(a, b)
            return min(a, b) if name == "min" else max(a, b)
    except (ValueError, OverflowError, ZeroDivisionError) as error:
        raise ValueError(f"Math.{name}: {error}") from None
    raise TypeError(f"unknown function Math.{name}")


def from_num(rt: Runtime, args: list[Any]) -> str:
    """``string.fromNum(x[, decimals])``: integers without a point, else shortest or fixed decimals."""
    arity("string.fromNum", args, 1, 2)
    value = _number(args[0], "string.fromNum")
    if len(args) == 2:
        decimals = int(_number(args[1], "string.fromNum"))
        if not 0 <= decimals <= 20:
            raise ValueError("string.fromNum decimals must be between 0 and 20")
        return f"{value:.{decimals}f}"
    return number_text(value)


UNIT_QUERIES = {code: value for code, value in MODEL_UNITS.values()}
"""``getmodelunit(code)`` -> the check's unit (seconds, metres)."""


class CommonHooks:
    """Attributes, methods and statics shared by build scripts and code strings."""

    code_mode = False

    def __init__(self, limits: Limits) -> None:
        self.limits = limits

    # ---- errors in the right class
    def model_error(self, message: str) -> ScriptError:
        """An error about the model: a ``param_error`` inside a code string, else a ``build_error``."""
        return ScriptError(PARAM_ERROR if self.code_mode else BUILD_ERROR, message)

    # ---- names
    def global_name(self, rt: Runtime, name: str) -> Any:
        """A name no scope declares: a FlexScript class (``Table.query``), a unit constant, or
        ``flexsim_api.unknown_name`` (a trigger's variable, another FlexSim constant, an error)."""
        if name in FLEXSCRIPT_CLASSES:
            return Namespace(name)
        if name in MODEL_UNITS:
            return MODEL_UNITS[name][0]
        raise unknown_name(name)

    # ---- attributes
    def get_attr(self, rt: Runtime, obj: Any, name: str) -> Any:
        """``obj.name`` for arrays, strings, vectors, namespaces, objects, nodes, maps and labels."""
        if isinstance(obj, FSArray) and name == "length":
            return len(obj.items)
        if type(obj) is str and name == "length":
            return len(obj)
        if isinstance(obj, Vec3) and name in ("x", "y", "z"):
            return getattr(obj, name)
        if isinstance(obj, Namespace):
            return self.static_attr(obj.name, name)
        if isinstance(obj, FSObject):
            return self.object_attr(rt, obj, name)
        if isinstance(obj, FSNode):
            return self.node_attr(rt, obj, name)
        if isinstance(obj, (FSMap, Labels, LabelNode)):
            return datatypes.attribute(obj, name)
        if isinstance(obj, MissingNode):
            raise datatypes.missing_use(obj)
        if isinstance(obj, FSItem):
            raise not_modelled(f"'item.{name}' (flow items carry labels and properties only while the model runs)")
        raise TypeError(f"{describe(obj)} has no attribute '{name}'")

    def static_attr(self, space: str, name: str) -> Any:
        """``Math.pi``, ``Color.red``, ``Model.time`` (0: a build script runs before the model does)."""
        if space == "Math" and name in ("pi", "e"):
            return math.pi if name == "pi" else math.e
        if space == "Color" and name in datatypes.COLORS:
            return Vec3(*datatypes.COLORS[name])
        if space == "Model" and name == "time":
            return 0.0
        raise static_member(space, name)

    def object_attr(self, rt: Runtime, obj: FSObject, name: str) -> Any:
        """An object's attribute: name, location, size, rotation, colour, labels, its (empty)
        subnodes, its container (the model), or a label."""
        if name == "name":
            return obj.name
        if name in ("location", "size", "rotation"):
            return getattr(obj, name)
        if name in obj.labels:
            return obj.labels[name]
        if name == "labels":
            return Labels(obj)
        if name == "color":
            return obj.color if obj.color is not None else Vec3(1.0, 1.0, 1.0)
        if name == "subnodes":
            return FSArray()
        if name == "up":
            return FSNode("model")
        if name in OBJECT_MEMBERS:
            raise not_modelled(f"the Object property '{name}'")
        raise self.model_error(f"{describe(obj)} has no attribute or label '{name}'")

    def node_attr(self, rt: Runtime, node: FSNode, name: str) -> Any:
        """``model().name`` and the like; ``model().subnodes`` holds nodes the check does not."""
        if name == "name":
            return node.cls or node.role
        if name in OBJECT_MEMBERS:
            raise not_modelled(f"the treenode property '{name}' of {node.role}() (a new FlexSim model holds "
                               "nodes twinforge does not, such as its Tools folder)")
        raise TypeError(f"{describe(node)} has no attribute '{name}'")

    def set_attr(self, rt: Runtime, obj: Any, name: str, value: Any) -> None:
        """``obj.name = value`` for vectors, an Array's length and objects."""
        if isinstance(obj, Vec3) and name in ("x", "y", "z"):
            setattr(obj, name, _number(value, f"Vec3.{name}"))
            return
        if isinstance(obj, FSArray) and name == "length":
            length = int(_number(value, "Array.length"))
            if not 0 <= length <= self.limits.max_array_length:
                raise build_error(f"Array length {length} is outside 0..{self.limits.max_array_length:,}")
            del obj.items[length:]
            rt.allocate(max(0, length - len(obj.items)))
            obj.items.extend([None] * (length - len(obj.items)))
            return
        if isinstance(obj, FSObject):
            self.set_object_attr(rt, obj, name, value)
            return
        if isinstance(obj, LabelNode) and name == "value":
            self.set_object_attr(rt, obj.owner, obj.name, value)
            return
        if isinstance(obj, MissingNode):
            raise datatypes.missing_use(obj)
        raise TypeError(f"cannot set attribute '{name}' of {describe(obj)}")

    def get_index(self, rt: Runtime, obj: Any, key: Any) -> Any:
        """``obj[key]`` of a Map or a label list (Arrays are indexed by the compiler)."""
        return datatypes.index(obj, key)

    def set_index(self, rt: Runtime, obj: Any, key: Any, value: Any) -> None:
        """``map[key] = value``."""
        if type(obj) is FSMap:
            datatypes.set_entry(rt, obj, key, value)
            return
        if type(obj) is MissingNode:
            raise datatypes.missing_use(obj)
        raise TypeError(f"cannot assign to an element of {describe(obj)}")

    def objects_under(self, rt: Runtime, node: Any, loop: str) -> list[Any]:
        """The objects a ``forobject...`` loop visits: none a code string may walk."""
        raise not_modelled(f"{loop} in a property code string")

    def set_object_attr(self, rt: Runtime, obj: FSObject, name: str, value: Any) -> None:
        """A code string may not change an object (``BuildHooks`` may)."""
        raise param_error(f"a property code string cannot change {describe(obj)}")

    # ---- calls
    def call_method(self, rt: Runtime, obj: Any, name: str, args: list[Any]) -> Any:
        """``obj.name(args)``, dispatched on the kind of ``obj``."""
        if isinstance(obj, Namespace):
            return self.call_static(rt, obj.name, name, args)
        if isinstance(obj, FSArray):
            return self.array_method(rt, obj, name, args)
        if type(obj) is str:
            return self.string_method(rt, obj, name, args)
        if isinstance(obj, FSObject):
            return self.object_method(rt, obj, name, args)
        if isinstance(obj, FSNode):
            return self.node_method(rt, obj, name, args)
        if isinstance(obj, Labels):
            return datatypes.labels_method(rt, obj, name, args)
        if isinstance(obj, MissingNode):
            raise datatypes.missing_use(obj)
        if isinstance(obj, (FSMap, LabelNode, FSItem)):
            raise not_modelled(f"the {type_name(obj)} method '{name}'")
        raise TypeError(f"{describe(obj)} has no method '{name}'")

    def call_static(self, rt: Runtime, space: str, name: str, args: list[Any]) -> Any:
        """``Space.name(args)``: ``Math``, ``string.fromNum`` and ``Color.random`` (visual only: a
        fixed grey); other members of FlexScript classes are not modelled."""
        if space == "Math":
            return _math(name, args)
        if space == "string" and name == "fromNum":
            return from_num(rt, args)
        if space == "Color" and name == "random":
            return Vec3(0.5, 0.5, 0.5)
        if space in FLEXSCRIPT_CLASSES or "." in space:
            raise static_member(space, name)
        raise self.model_error(f"unknown function {space}.{name}")

    def construct(self, rt: Runtime, type_: str, args: list[Any]) -> Any:
        """``Array(n)``, ``Vec3(x, y, z)``, ``Color(r, g, b[, a])`` and ``Map()``; a constructor that
        names part of an existing model (``Table("Parts")``) needs that model."""
        if type_ == "Array":
            arity("Array", args, 0, 1)
            length = int(_number(args[0], "Array")) if args else 0
            if not 0 <= length <= self.limits.max_array_length:
                raise build_error(f"Array({length}) is outside the sandbox limit of "
                                  f"{self.limits.max_array_length:,} elements")
            rt.allocate(length)
            return FSArray([None] * length)
        if type_ == "Vec3":
            arity(type_, args, 3)
            return Vec3(*(_number(arg, type_) for arg in args))
        if type_ == "Color":
            return datatypes.color(args)
        if type_ == "Map":
            arity("Map", args, 0)
            return FSMap()
        space = type_.split(".")[0]
        if space in REFUSED_CLASSES:
            raise refused(f"{type_}()", REFUSED_CLASSES[space])
        if type_ in LOOKUP_CLASSES:
            raise needs_context(f"{type_}(...) names a {type_} of an existing model")
        raise not_modelled(f"the constructor {type_}()")

    def call_function(self, rt: Runtime, name: str, args: list[Any]) -> Any:
        """A global function: ``print`` and ``objectexists`` (distribution calls only in code strings)."""
        if name == "print":
            return self.print_(rt, args)
        if name == "objectexists":
            arity("objectexists", args, 1)
            return int(isinstance(args[0], (FSObject, FSNode, LabelNode)))
        if name == "getmodelunit":
            arity("getmodelunit", args, 1)
            if args[0] not in UNIT_QUERIES:
                raise not_modelled(f"getmodelunit({describe(args[0])})")
            return UNIT_QUERIES[args[0]]
        if name in DISTRIBUTION_COMMANDS:
            raise param_error(f"{name}(...) outside a property code string: distribution calls are valid only "
                              "inside the code string given to setProperty")
        if name in FLEXSCRIPT_CLASSES:
            return self.construct(rt, name, args)
        raise unknown_function(name, code_mode=self.code_mode)

    def print_(self, rt: Runtime, args: list[Any]) -> None:
        """``print(...)``: ignored here (``BuildHooks`` records it)."""

    def array_method(self, rt: Runtime, array: FSArray, name: str, args: list[Any]) -> Any:
        """An Array method; growth is bounded by ``max_array_length`` and the allocation budget."""
        items = array.items
        limit = self.limits.max_array_length
        if name in ("push", "unshift", "append", "concat"):
            extra = args if name in ("push", "unshift") else [self._array_arg(name, args)]
            added = sum(len(a.items) if isinstance(a, FSArray) and name in ("append", "concat") else 1 for a in extra)
            if len(items) + added > limit:
                raise build_error(f"Array.{name} would exceed the sandbox limit of {limit:,} elements")
            rt.allocate(added if name != "concat" else len(items) + added)
            if name == "push":
                items.extend(args)
                return array
            if name == "unshift":
                items[0:0] = args
                return array
            other = extra[0].items
            if name == "append":
                items.extend(other)
                return array
            return FSArray(items + other)
        if name in ("pop", "shift"):
            arity(f"Array.{name}", args, 0)
            if not items:
                raise IndexError(f"Array.{name} on an empty array")
            return items.pop() if name == "pop" else items.pop(0)
        if name == "indexOf":
            arity("Array.indexOf", args, 1)
            return next((i for i, item in enumerate(items, 1) if equal(item, args[0])), -1)
        if name == "join":
            arity("Array.join", args, 0, 1)
            separator = args[0] if args else ","
            if type(separator) is not str:
                raise TypeError("Array.join needs a string separator")
            text = separator.join(join_text(item) for item in items)
            if len(text) > self.limits.max_string_length:
                raise build_error("Array.join result exceeds the string length limit")
            rt.allocate(len(text))
            return text
        if name == "slice":
            arity("Array.slice", args, 0, 2)
            start = int(_number(args[0], "Array.slice")) if args else 1
            stop = int(_number(args[1], "Array.slice")) if len(args) > 1 else len(items) + 1
            sliced = items[max(start - 1, 0):max(stop - 1, 0)]
            rt.allocate(len(sliced))
            return FSArray(sliced)
        if name == "splice":
            arity("Array.splice", args, 2)
            start, count = (int(_number(a, "Array.splice")) for a in args)
            removed = items[start - 1:start - 1 + count]
            del items[start - 1:start - 1 + count]
            return FSArray(removed)
        if name == "fill":
            arity("Array.fill", args, 1)
            items[:] = [args[0]] * len(items)
            return array
        if name == "clone":
            rt.allocate(len(items))
            return FSArray(list(items))
        if name == "reverse":
            items.reverse()
            return array
        if name == "sort":
            if all(is_number(i) for i in items) or all(type(i) is str for i in items):
                items.sort()
                return array
            raise TypeError("Array.sort needs all numbers or all strings")
        raise TypeError(f"Array has no method '{name}'")

    @staticmethod
    def _array_arg(name: str, args: list[Any]) -> FSArray:
        """The single Array argument of ``append``/``concat``."""
        arity(f"Array.{name}", args, 1)
        if not isinstance(args[0], FSArray):
            raise TypeError(f"Array.{name} needs an Array, got {describe(args[0])}")
        return args[0]

    def string_method(self, rt: Runtime, text: str, name: str, args: list[Any]) -> Any:
        """A string method (1-based ``indexOf``, like FlexScript's arrays)."""
        if name in ("toLowerCase", "toUpperCase", "trim"):
            arity(f"string.{name}", args, 0)
            rt.allocate(len(text))
            return text.lower() if name == "toLowerCase" else text.upper() if name == "toUpperCase" else text.strip()
        if name in ("startsWith", "endsWith", "includes", "indexOf"):
            arity(f"string.{name}", args, 1)
            if type(args[0]) is not str:
                raise TypeError(f"string.{name} needs a string")
            if name == "indexOf":
                found = text.find(args[0])
                return found + 1 if found >= 0 else -1
            return int({"startsWith": text.startswith, "endsWith": text.endswith,
                        "includes": text.__contains__}[name](args[0]))
        raise TypeError(f"string has no method '{name}'")

    def object_method(self, rt: Runtime, obj: FSObject, name: str, args: list[Any]) -> Any:
        """An object method that needs no model changes: ``as``, ``getLocation``, ``getProperty``,
        ``applyProperties`` (a no-op: properties apply at once here)."""
        if name == "as":
            return obj
        if name in ("getLocation",):
            return Vec3(*obj.location.as_tuple())
        if name == "getProperty":
            arity("getProperty", args, 1)
            return obj.raw_properties.get(args[0])
        if name == "applyProperties":
            return None
        if name in OBJECT_MEMBERS:
            raise not_modelled(f"the Object method '{name}'")
        raise self.model_error(f"{describe(obj)} has no method '{name}'")

    def node_method(self, rt: Runtime, node: FSNode, name: str, args: list[Any]) -> Any:
        """A node method; none without a model (``BuildHooks`` adds ``find``)."""
        if name in OBJECT_MEMBERS:
            raise not_modelled(f"the treenode method '{name}' of {describe(node)}")
        raise self.model_error(f"{describe(node)} has no method '{name}'")


def join_text(item: Any) -> str:
    """An Array item as ``join`` and ``print`` write it."""
    if type(item) is str:
        return item
    if is_number(item):
        return from_num(None, [item])  # type: ignore[arg-type]
    if isinstance(item, FSObject):
        return item.name
    return "" if item is None or type(item) is MissingNode else type_name(item)
