"""The whitelisted built-ins of the sandbox: the only things a script can call or read.

``BuildHooks`` serves a model-building script (object creation, naming, placement,
``setProperty``, ``contextdragconnection``); ``CodeHooks`` serves a property code string
(``ownerobject``, ``param``, ``getstream`` and the distribution commands, which evaluate to a
``DistCall`` rather than a number). Both share the language library: ``Math``, ``string``,
``Array`` and string methods. This is twinforge's approximation of FlexSim's API.
"""

from __future__ import annotations

import math
from typing import Any

from twinforge.distributions import FLEXSIM_PARAMETERS
from twinforge.execution import checks
from twinforge.execution.errors import BUILD_ERROR, PARAM_ERROR, ScriptError, build_error, param_error
from twinforge.execution.interpreter import Namespace, Runtime, array_slot, equal
from twinforge.execution.limits import Limits
from twinforge.execution.values import (
    DistCall,
    FSArray,
    FSItem,
    FSNode,
    FSObject,
    Vec3,
    describe,
    is_number,
    type_name,
)
from twinforge.schemas.flexsim_vocabulary import CLASS_PROPERTIES

STATIC_NAMESPACES = frozenset({"Math", "Model"})
DISTRIBUTION_COMMANDS = frozenset(FLEXSIM_PARAMETERS) | {"duniform", "erlang", "beta", "bernoulli", "cauchy",
                                                        "binomial", "geometric", "logistic", "pearsont5"}
LIBRARY_CLASSES = {cls.split("::")[-1]: cls for cls in CLASS_PROPERTIES}
"""Library node name -> class (``/?StraightConveyor`` is ``Conveyor::StraightConveyor``)."""


def _number(value: Any, what: str) -> float:
    if not is_number(value):
        raise TypeError(f"{what} needs a number, got {describe(value)}")
    return value


def _arity(name: str, args: list[Any], low: int, high: int | None = None) -> None:
    high = low if high is None else high
    if not low <= len(args) <= high:
        wanted = str(low) if low == high else f"{low} to {high}"
        raise TypeError(f"{name} takes {wanted} argument(s), got {len(args)}")


def _math(name: str, args: list[Any]) -> Any:
    one = {"sqrt": math.sqrt, "exp": math.exp, "log": math.log, "log10": math.log10, "fabs": abs, "abs": abs,
           "floor": math.floor, "ceil": math.ceil, "sin": math.sin, "cos": math.cos, "tan": math.tan,
           "trunc": math.trunc}
    numbers = [_number(arg, f"Math.{name}") for arg in args]
    try:
        if name in one:
            _arity(f"Math.{name}", args, 1)
            return one[name](numbers[0])
        if name == "round":
            _arity("Math.round", args, 1, 2)
            digits = int(numbers[1]) if len(numbers) == 2 else 0
            scaled = numbers[0] * 10**digits
            rounded = math.floor(abs(scaled) + 0.5) * (1 if scaled >= 0 else -1)
            return rounded / 10**digits if digits else float(rounded)
        if name == "frac":
            _arity("Math.frac", args, 1)
            return math.modf(numbers[0])[0]
        if name in ("pow", "fmod", "min", "max", "atan2"):
            _arity(f"Math.{name}", args, 2)
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
    _arity("string.fromNum", args, 1, 2)
    value = _number(args[0], "string.fromNum")
    if len(args) == 2:
        decimals = int(_number(args[1], "string.fromNum"))
        if not 0 <= decimals <= 20:
            raise ValueError("string.fromNum decimals must be between 0 and 20")
        return f"{value:.{decimals}f}"
    if type(value) is int or (math.isfinite(value) and value == int(value) and abs(value) < 1e15):
        return str(int(value))
    return repr(float(value))


class CommonHooks:
    """Attributes, methods and statics shared by build scripts and code strings."""

    code_mode = False

    def __init__(self, limits: Limits):
        self.limits = limits

    # ---- errors in the right class
    def model_error(self, message: str) -> ScriptError:
        return ScriptError(PARAM_ERROR if self.code_mode else BUILD_ERROR, message)

    # ---- attributes
    def get_attr(self, rt: Runtime, obj: Any, name: str) -> Any:
        if isinstance(obj, FSArray) and name == "length":
            return len(obj.items)
        if type(obj) is str and name == "length":
            return len(obj)
        if isinstance(obj, Vec3) and name in ("x", "y", "z"):
            return getattr(obj, name)
        if isinstance(obj, Namespace) and obj.name == "Math" and name in ("pi", "e"):
            return math.pi if name == "pi" else math.e
        if isinstance(obj, FSObject):
            return self.object_attr(rt, obj, name)
        if isinstance(obj, FSNode) and name == "name":
            return obj.cls or obj.role
        raise TypeError(f"{describe(obj)} has no attribute '{name}'")

    def object_attr(self, rt: Runtime, obj: FSObject, name: str) -> Any:
        if name == "name":
            return obj.name
        if name in ("location", "size", "rotation"):
            return getattr(obj, name)
        if name in obj.labels:
            return obj.labels[name]
        raise self.model_error(f"{describe(obj)} has no attribute or label '{name}'")

    def set_attr(self, rt: Runtime, obj: Any, name: str, value: Any) -> None:
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
        raise TypeError(f"cannot set attribute '{name}' of {describe(obj)}")

    def set_object_attr(self, rt: Runtime, obj: FSObject, name: str, value: Any) -> None:
        raise param_error(f"a property code string cannot change {describe(obj)}")

    # ---- calls
    def call_method(self, rt: Runtime, obj: Any, name: str, args: list[Any]) -> Any:
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
        raise TypeError(f"{describe(obj)} has no method '{name}'")

    def call_static(self, rt: Runtime, space: str, name: str, args: list[Any]) -> Any:
        if space == "Math":
            return _math(name, args)
        if space == "string" and name == "fromNum":
            return from_num(rt, args)
        raise self.model_error(f"unknown function {space}.{name}")

    def construct(self, rt: Runtime, type_: str, args: list[Any]) -> Any:
        if type_ == "Array":
            _arity("Array", args, 0, 1)
            length = int(_number(args[0], "Array")) if args else 0
            if not 0 <= length <= self.limits.max_array_length:
                raise build_error(f"Array({length}) is outside the sandbox limit of "
                                  f"{self.limits.max_array_length:,} elements")
            rt.allocate(length)
            return FSArray([None] * length)
        if type_ in ("Vec3", "Color"):
            _arity(type_, args, 3)
            return Vec3(*(_number(arg, type_) for arg in args))
        raise TypeError(f"{type_}(...) is not a constructor twinforge knows")

    def call_function(self, rt: Runtime, name: str, args: list[Any]) -> Any:
        if name == "print":
            return self.print_(rt, args)
        if name == "objectexists":
            _arity("objectexists", args, 1)
            return int(isinstance(args[0], (FSObject, FSNode)))
        if name in DISTRIBUTION_COMMANDS:
            raise param_error(f"{name}(...) outside a property code string: distribution calls are valid only "
                              "inside the code string given to setProperty")
        raise self.model_error(f"unknown function '{name}'")

    def print_(self, rt: Runtime, args: list[Any]) -> None:
        return None

    def array_method(self, rt: Runtime, array: FSArray, name: str, args: list[Any]) -> Any:
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
            _arity(f"Array.{name}", args, 0)
            if not items:
                raise IndexError(f"Array.{name} on an empty array")
            return items.pop() if name == "pop" else items.pop(0)
        if name == "indexOf":
            _arity("Array.indexOf", args, 1)
            return next((i for i, item in enumerate(items, 1) if equal(item, args[0])), -1)
        if name == "join":
            _arity("Array.join", args, 0, 1)
            separator = args[0] if args else ","
            if type(separator) is not str:
                raise TypeError("Array.join needs a string separator")
            text = separator.join(_join_text(item) for item in items)
            if len(text) > self.limits.max_string_length:
                raise build_error("Array.join result exceeds the string length limit")
            rt.allocate(len(text))
            return text
        if name == "slice":
            _arity("Array.slice", args, 0, 2)
            start = int(_number(args[0], "Array.slice")) if args else 1
            stop = int(_number(args[1], "Array.slice")) if len(args) > 1 else len(items) + 1
            sliced = items[max(start - 1, 0):max(stop - 1, 0)]
            rt.allocate(len(sliced))
            return FSArray(sliced)
        if name == "splice":
            _arity("Array.splice", args, 2)
            start, count = (int(_number(a, "Array.splice")) for a in args)
            removed = items[start - 1:start - 1 + count]
            del items[start - 1:start - 1 + count]
            return FSArray(removed)
        if name == "fill":
            _arity("Array.fill", args, 1)
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
        _arity(f"Array.{name}", args, 1)
        if not isinstance(args[0], FSArray):
            raise TypeError(f"Array.{name} needs an Array, got {describe(args[0])}")
        return args[0]

    def string_method(self, rt: Runtime, text: str, name: str, args: list[Any]) -> Any:
        if name in ("toLowerCase", "toUpperCase", "trim"):
            _arity(f"string.{name}", args, 0)
            rt.allocate(len(text))
            return text.lower() if name == "toLowerCase" else text.upper() if name == "toUpperCase" else text.strip()
        if name in ("startsWith", "endsWith", "includes", "indexOf"):
            _arity(f"string.{name}", args, 1)
            if type(args[0]) is not str:
                raise TypeError(f"string.{name} needs a string")
            if name == "indexOf":
                found = text.find(args[0])
                return found + 1 if found >= 0 else -1
            return int({"startsWith": text.startswith, "endsWith": text.endswith,
                        "includes": text.__contains__}[name](args[0]))
        raise TypeError(f"string has no method '{name}'")

    def object_method(self, rt: Runtime, obj: FSObject, name: str, args: list[Any]) -> Any:
        if name == "as":
            return obj
        if name in ("getLocation",):
            return Vec3(*obj.location.as_tuple())
        if name == "getProperty":
            _arity("getProperty", args, 1)
            return obj.raw_properties.get(args[0])
        raise self.model_error(f"{describe(obj)} has no method '{name}' in twinforge's executor")

    def node_method(self, rt: Runtime, node: FSNode, name: str, args: list[Any]) -> Any:
        raise self.model_error(f"{describe(node)} has no method '{name}'")


def _join_text(item: Any) -> str:
    if type(item) is str:
        return item
    if is_number(item):
        return from_num(None, [item])  # type: ignore[arg-type]
    if isinstance(item, FSObject):
        return item.name
    return "" if item is None else type_name(item)


class BuildHooks(CommonHooks):
    """Built-ins of a model-building script; they record the model in ``objects``/``connections``."""

    def __init__(self, limits: Limits):
        super().__init__(limits)
        self.objects: list[FSObject] = []
        self.connections: list[tuple[FSObject, FSObject, str, int | None]] = []
        self.printed: list[str] = []
        self.printed_chars = 0
        self.counters: dict[str, int] = {}

    # ---- objects
    def create(self, rt: Runtime, cls: Any) -> FSObject:
        cls = checks.check_class(cls)
        if len(self.objects) >= self.limits.max_objects:
            raise build_error(f"more than {self.limits.max_objects:,} objects")
        leaf = cls.split("::")[-1]
        self.counters[leaf] = self.counters.get(leaf, 0) + 1
        obj = FSObject(cls=cls, name=f"{leaf}{self.counters[leaf]}", line=rt.line)
        self.objects.append(obj)
        return obj

    def find_object(self, name: Any) -> FSObject | None:
        if type(name) is not str:
            raise TypeError(f"an object name must be a string, got {describe(name)}")
        return next((obj for obj in self.objects if obj.name == name), None)

    def resolve(self, path: Any, start: Any) -> Any:
        """``node(path, start)`` / ``start.find(path)``: library classes and model objects."""
        if type(path) is not str:
            raise TypeError(f"a node path must be a string, got {describe(path)}")
        if not isinstance(start, FSNode) or start.role not in ("library", "model"):
            raise build_error(f"node path '{path}' must start from library() or model(), not {describe(start)}")
        name = path.removeprefix("/")
        recursive = name.startswith("?")
        name = name[1:] if recursive else name
        if start.role == "library":
            if not recursive:
                raise build_error(f"library path '{path}' not found: twinforge resolves library classes only "
                                  "with a '?' search, e.g. \"/?Source\"")
            if name not in LIBRARY_CLASSES:
                raise build_error(f"library path '{path}': no class '{name}' in the library (names are "
                                  f"case-sensitive; known: {', '.join(sorted(LIBRARY_CLASSES))})")
            return FSNode("class", LIBRARY_CLASSES[name])
        return self.find_object(name)

    # ---- attributes
    def set_object_attr(self, rt: Runtime, obj: FSObject, name: str, value: Any) -> None:
        if name == "name":
            if type(value) is not str or not value:
                raise TypeError(f"an object name must be a non-empty string, got {describe(value)}")
            obj.name = value
            obj.name_line = rt.line
        elif name in ("location", "size", "rotation"):
            setattr(obj, name, Vec3(*checks.vector(value, f"{describe(obj)}.{name}")))
        elif name in ("inObjects", "outObjects", "centerObjects"):
            raise build_error(f"{name} is read-only; connect with contextdragconnection")
        else:
            if not (value is None or is_number(value) or type(value) is str):
                raise build_error(f"label '{name}' of {describe(obj)} must be a number or a string")
            obj.labels[name] = value

    def object_attr(self, rt: Runtime, obj: FSObject, name: str) -> Any:
        if name in ("inObjects", "outObjects", "centerObjects"):
            return FSArray(self.neighbours(obj, name))
        return super().object_attr(rt, obj, name)

    def neighbours(self, obj: FSObject, which: str) -> list[FSObject]:
        if which == "outObjects":
            return [b for a, b, key, _ in self.connections if key == "A" and a is obj]
        if which == "inObjects":
            return [a for a, b, key, _ in self.connections if key == "A" and b is obj]
        return [b if a is obj else a for a, b, key, _ in self.connections if key == "S" and obj in (a, b)]

    def object_method(self, rt: Runtime, obj: FSObject, name: str, args: list[Any]) -> Any:
        if name in ("setLocation", "setSize", "setRotation"):
            _arity(name, args, 3, 6)
            values = checks.vector(FSArray(list(args[:3])), f"{describe(obj)}.{name}")
            target = {"setLocation": "location", "setSize": "size", "setRotation": "rotation"}[name]
            setattr(obj, target, Vec3(*values))
            return obj
        if name == "setProperty":
            _arity("setProperty", args, 2)
            self.set_property(rt, obj, args[0], args[1])
            return None
        return super().object_method(rt, obj, name, args)

    def set_property(self, rt: Runtime, obj: FSObject, prop: Any, value: Any) -> None:
        converted = checks.convert_property(obj, prop, value, lambda code: self.evaluate_code(code, obj, prop))
        if prop == "Name":
            obj.name = converted
            obj.name_line = rt.line
        elif prop in ("Location", "Size", "Rotation"):
            setattr(obj, prop.lower(), Vec3(*converted))
        obj.properties[prop] = converted
        obj.raw_properties[prop] = value
        obj.property_lines[prop] = rt.line

    def evaluate_code(self, code: str, owner: FSObject, prop: str) -> Any:
        from twinforge.execution.sandbox import run_code_string

        return run_code_string(code, owner, self.limits, label=f"{describe(owner)}: property '{prop}'")

    def node_method(self, rt: Runtime, node: FSNode, name: str, args: list[Any]) -> Any:
        if name == "find":
            _arity("find", args, 1)
            return self.resolve(args[0], node)
        return super().node_method(rt, node, name, args)

    # ---- statics and functions
    def call_static(self, rt: Runtime, space: str, name: str, args: list[Any]) -> Any:
        if space == "Object" and name == "create":
            _arity("Object.create", args, 1, 2)
            return self.create(rt, args[0])
        if space == "Model" and name == "find":
            _arity("Model.find", args, 1)
            found = self.find_object(args[0].lstrip("/?") if type(args[0]) is str else args[0])
            if found is None:
                raise build_error(f"Model.find: no object named {describe(args[0])}")
            return found
        return super().call_static(rt, space, name, args)

    def call_function(self, rt: Runtime, name: str, args: list[Any]) -> Any:
        if name == "library" or name == "model":
            _arity(f"{name}()", args, 0)
            return FSNode(name)
        if name == "node":
            _arity("node", args, 2)
            return self.resolve(args[0], args[1])
        if name == "createinstance":
            _arity("createinstance", args, 2)
            cls_node, where = args
            if not isinstance(cls_node, FSNode) or cls_node.role != "class":
                raise build_error(f"createinstance needs a library class node, got {describe(cls_node)}")
            if not isinstance(where, FSNode) or where.role != "model":
                raise build_error("createinstance must create into model()")
            return self.create(rt, cls_node.cls)
        if name == "contextdragconnection":
            _arity("contextdragconnection", args, 3)
            self.connect(rt, *args)
            return None
        return super().call_function(rt, name, args)

    def connect(self, rt: Runtime, source: Any, target: Any, key: Any) -> None:
        key = checks.check_connection(source, target, key, checks.kind_of)
        if key in ("A", "S"):
            self.connections.append((source, target, key, rt.line))
        elif key in ("Q", "W"):
            wanted = "A" if key == "Q" else "S"
            for index, (a, b, k, _) in enumerate(self.connections):
                if k == wanted and ((a is source and b is target) or (k == "S" and a is target and b is source)):
                    del self.connections[index]
                    break

    def print_(self, rt: Runtime, args: list[Any]) -> None:
        text = " ".join(_join_text(arg) for arg in args)
        self.printed_chars += len(text)
        if self.printed_chars > self.limits.max_print_chars:
            raise build_error(f"print output exceeds {self.limits.max_print_chars:,} characters")
        self.printed.append(text)


class CodeHooks(CommonHooks):
    """Built-ins of a property code string: read the owner, return a distribution call."""

    code_mode = True

    def __init__(self, limits: Limits, owner: FSObject):
        super().__init__(limits)
        self.owner = owner

    def call_function(self, rt: Runtime, name: str, args: list[Any]) -> Any:
        if name in DISTRIBUTION_COMMANDS:
            return DistCall(name, tuple(args))
        if name == "ownerobject":
            _arity("ownerobject", args, 1)
            return self.owner
        if name == "param":
            _arity("param", args, 1)
            return FSItem()
        if name == "getstream":
            _arity("getstream", args, 1)
            return 0
        if name in ("contextdragconnection", "createinstance", "node", "library", "model"):
            raise param_error(f"{name}() is not allowed in a property code string")
        return super().call_function(rt, name, args)

    def object_method(self, rt: Runtime, obj: FSObject, name: str, args: list[Any]) -> Any:
        if name == "setProperty":
            raise param_error("a property code string cannot call setProperty")
        return super().object_method(rt, obj, name, args)


__all__ = ["STATIC_NAMESPACES", "BuildHooks", "CodeHooks", "array_slot"]
