"""Checker rules for property values and connections (reference/flexscript.md sections 2-5).

Every FlexSim name comes from ``schemas.flexsim_vocabulary``. A property value that is wrong is
a ``param_error``; a structural problem (unknown class, a connection that FlexSim would refuse
or that our model cannot hold) is a ``build_error``. Value conversions (units, options, code
strings) are twinforge's reading of FlexSim's property types, not FlexSim itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from twinforge.distributions import FLEXSIM_PARAMETERS, from_flexsim_call
from twinforge.execution.errors import ScriptError, build_error, param_error
from twinforge.execution.flexsim_api import unknown_class
from twinforge.execution.values import DistCall, FSArray, FSObject, Vec3, describe, is_number
from twinforge.schemas.flexsim_vocabulary import (
    AGV_LABEL,
    CLASS_PROPERTIES,
    GENERAL_PROPERTIES,
    KIND_TO_CLASS,
    MULTIPROCESSOR_STEP_PROPERTIES,
    OPTION_VALUES,
    SEND_TO_PORT,
    TRANSFER_CLASSES,
)
from twinforge.schemas.objects import FLOW_KINDS, TASK_EXECUTER_KINDS

CONNECTION_KEYS = ("A", "S", "Q", "W", "D", "E")
DISTRIBUTION_PROPERTIES = frozenset({"InterArrivalTime", "ProcessTime", "SetupTime"})
STEP_NAMES, STEP_TIMES = MULTIPROCESSOR_STEP_PROPERTIES
COUNT_PROPERTIES = frozenset({"MaxContent", "SeparateQty", "Capacity", "NumProcessOperators",
                              "NumSetupOperators", "BatchSize"})
BOOLEAN_PROPERTIES = frozenset({"Pull", "UseTransport", "UseProcessOperators", "UseSetupOperators",
                                "UseSameNumOperators", "AnimateItems", "TimeZeroArrival", "RepeatTable",
                                "DoBatching", "FlushContent", "LIFO", "IsAccumulating", "AvailableOnStart",
                                "RotateTraveling", "DoAnimations", "UseVirtualLength"})
LENGTH_PROPERTIES = frozenset({"HorizontalLength", "VirtualLength", "Width"})
SPEED_PROPERTIES = frozenset({"Speed", "MaxSpeed"})

UNITS: dict[str, dict[str, float]] = {
    "time": {"s": 1, "sec": 1, "second": 1, "seconds": 1, "min": 60, "minute": 60, "minutes": 60,
             "h": 3600, "hr": 3600, "hour": 3600, "hours": 3600, "day": 86400, "days": 86400},
    "length": {"m": 1, "mm": 0.001, "cm": 0.01, "km": 1000, "ft": 0.3048, "in": 0.0254},
    "speed": {"m/s": 1, "m/min": 1 / 60, "m/h": 1 / 3600, "m/hr": 1 / 3600, "km/h": 1 / 3.6,
              "ft/s": 0.3048, "ft/min": 0.3048 / 60, "mm/s": 0.001},
}
"""Unit strings accepted in ``[value, "unit"]`` property values (our choice of common ones)."""

CLASS_TO_KIND: dict[str, str] = {}
for _kind, _cls in KIND_TO_CLASS.items():
    CLASS_TO_KIND.setdefault(_cls, _kind)

TRANSFER_CLASS_NAMES = frozenset(TRANSFER_CLASSES.values())

Routing = str | int | tuple[int, int]
"""A Send To Port rule: ``"first_available"`` (FlexSim's default, code returning 0), ``"random"``
(``duniform(1, current.outObjects.length)``), a fixed port number, or ``(low, high)``: a port drawn
uniformly from ``low..high`` (a ``duniform`` over other bounds)."""


def is_transfer(obj: FSObject) -> bool:
    """Whether ``obj`` is a conveyor transfer FlexSim made (not created by the script)."""
    return obj.cls in TRANSFER_CLASS_NAMES


def kind_of(obj: FSObject) -> str:
    """The spec kind of an object (a TaskExecuter with the AGV label is an ``agv``)."""
    kind = CLASS_TO_KIND[obj.cls]
    if kind == "task_executer" and obj.labels.get(AGV_LABEL) == 1:
        return "agv"
    return kind


def check_class(cls: Any) -> str:
    """A known class name (``Object.create`` argument); else a build error listing the known ones."""
    if type(cls) is not str:
        raise build_error(f"Object.create needs a class name string, got {describe(cls)}")
    if cls not in CLASS_PROPERTIES:
        raise unknown_class(cls, sorted(CLASS_PROPERTIES))
    return cls


EvaluateCode = Callable[[str], Any]


def convert_property(obj: FSObject, prop: Any, value: Any, evaluate_code: EvaluateCode) -> Any:
    """Check ``obj.setProperty(prop, value)`` and return the value in canonical form.

    Distribution-valued properties become ``Distribution`` models; a code string is run by
    ``evaluate_code`` (a small sandbox) to find the distribution call it returns.
    """
    where = f"{obj.cls} '{obj.name}'"
    if type(prop) is not str:
        raise param_error(f"setProperty on {where}: the property name must be a string, got {describe(prop)}")
    if prop not in CLASS_PROPERTIES[obj.cls] and prop not in GENERAL_PROPERTIES:
        raise param_error(f"{where} has no property '{prop}'")
    label = f"{where}: property '{prop}'"
    try:
        return _convert(obj, prop, value, label, evaluate_code)
    except ScriptError:
        raise
    except (ValueError, TypeError) as error:
        raise param_error(f"{label}: {error}") from None


def _convert(obj: FSObject, prop: str, value: Any, label: str, evaluate_code: EvaluateCode) -> Any:
    if prop == SEND_TO_PORT:
        if not (is_number(value) or type(value) is str):
            raise param_error(f"{label}: expected a port number or a code string returning one, got {describe(value)}")
        return value  # run once the script has built every port (``BuildHooks.finish``)
    if prop in DISTRIBUTION_PROPERTIES:
        return to_distribution(value, label, evaluate_code)
    if prop == STEP_TIMES:
        items = _array(value, label)
        return tuple(to_distribution(item, f"{label}[{i}]", evaluate_code) for i, item in enumerate(items, 1))
    if prop == STEP_NAMES:
        items = _array(value, label)
        if not items or not all(type(item) is str and item for item in items):
            raise param_error(f"{label}: expected an Array of non-empty step names")
        return tuple(items)
    if prop in OPTION_VALUES:
        if type(value) is not str:
            raise param_error(f"{label}: give the option name as a string ({', '.join(sorted(OPTION_VALUES[prop]))});"
                              " twinforge does not know FlexSim's option numbers")
        if value not in OPTION_VALUES[prop]:
            raise param_error(f"{label}: unknown option '{value}' "
                              f"(known: {', '.join(sorted(OPTION_VALUES[prop]))})")
        return value
    if prop == "ComponentsList":
        items = _array(value, label) if isinstance(value, FSArray) else [value]
        if not items:
            raise param_error(f"{label}: expected a quantity or an Array of quantities")
        return tuple(_count(item, label) for item in items)
    if prop in COUNT_PROPERTIES:
        return _count(value, label)
    if prop in BOOLEAN_PROPERTIES:
        if not is_number(value):
            raise param_error(f"{label}: expected 0 or 1, got {describe(value)}")
        return bool(value)
    if prop in LENGTH_PROPERTIES:
        return _positive(_unit_number(value, "length", label), label)
    if prop in SPEED_PROPERTIES:
        return _positive(_unit_number(value, "speed", label), label)
    if prop == "FlowItemClass" or prop == "Name":
        if type(value) is not str or not value:
            raise param_error(f"{label}: expected a non-empty string, got {describe(value)}")
        return value
    if prop in ("Location", "Size", "Rotation", "StartLocation", "EndLocation"):
        return vector(value, label)
    return value


def to_distribution(value: Any, label: str, evaluate_code: EvaluateCode) -> Any:
    """A number, ``[value, "unit"]`` or a code string -> a ``Distribution`` model."""
    if type(value) is str:
        value = evaluate_code(value)
    elif isinstance(value, DistCall):
        raise param_error(f"{label}: distribution calls are valid only inside a property code string")
    if isinstance(value, FSArray):
        value = _unit_number(value, "time", label)
    if is_number(value):
        try:
            return from_flexsim_call("constant", (value,))
        except ValueError as error:
            raise param_error(f"{label}: {error}") from None
    if isinstance(value, DistCall):
        return distribution_from_call(value, label)
    raise param_error(f"{label}: expected a number, [value, \"unit\"] or a code string returning a "
                      f"distribution, got {describe(value)}")


def distribution_from_call(call: DistCall, label: str) -> Any:
    """Convert a FlexSim distribution call (optional trailing stream) to a ``Distribution``."""
    args = list(call.args)
    for index, arg in enumerate(args, 1):
        if not is_number(arg):
            raise param_error(f"{label}: {call.name} argument {index} is {describe(arg)}, not a number")
    arity = len(FLEXSIM_PARAMETERS.get(call.name, ()))
    if call.name in FLEXSIM_PARAMETERS and len(args) == arity + 1:
        stream = args.pop()
        if stream != int(stream) or stream < 0:
            raise param_error(f"{label}: {call.name} stream argument must be an integer >= 0, got {stream}")
    try:
        return from_flexsim_call(call.name, tuple(args))
    except ValueError as error:
        raise param_error(f"{label}: {error}") from None


def routing_rule(value: Any, outputs: int, label: str) -> Routing:
    """The Send To Port rule a port number or ``duniform`` call stands for, on an object with
    ``outputs`` output ports (a ``param_error`` for anything else, or for a port it does not have)."""
    if isinstance(value, DistCall):
        args = list(value.args)
        if value.name != "duniform" or len(args) not in (2, 3) or not all(is_number(a) and a == int(a) for a in args):
            raise param_error(f"{label}: twinforge runs Send To Port code that returns a port number (0: first "
                              f"available) or duniform(low, high) over the output ports; got {value.name}(...)")
        low, high = int(args[0]), int(args[1])
        if (low, high) == (1, outputs) or (outputs == 0 and (low, high) == (1, 0)):
            return "random"
        if not 1 <= low <= high <= outputs:
            raise param_error(f"{label}: duniform({low}, {high}) draws ports outside 1..{outputs} "
                              f"(the object has {outputs} output port(s))")
        return (low, high)
    if not is_number(value) or value != int(value) or value < 0:
        raise param_error(f"{label}: a Send To Port value must be a whole port number >= 0, got {describe(value)}")
    port = int(value)
    if port == 0:
        return "first_available"
    if port > outputs:
        raise param_error(f"{label}: returns port {port}, but the object has {outputs} output port(s)")
    return port


def vector(value: Any, label: str) -> tuple[float, float, float]:
    if isinstance(value, Vec3):
        values = [value.x, value.y, value.z]
    elif isinstance(value, FSArray) and len(value.items) == 3:
        values = value.items
    else:
        raise param_error(f"{label}: expected Array(3) or Vec3, got {describe(value)}")
    return tuple(finite(v, label) for v in values)  # type: ignore[return-value]


def finite(value: Any, label: str) -> float:
    if not is_number(value) or not math.isfinite(value):
        raise param_error(f"{label}: expected a finite number, got {describe(value)}")
    return value


def _array(value: Any, label: str) -> list[Any]:
    if not isinstance(value, FSArray):
        raise param_error(f"{label}: expected an Array, got {describe(value)}")
    return value.items


def _count(value: Any, label: str) -> int:
    if not is_number(value) or value != int(value) or value < 1:
        raise param_error(f"{label}: expected a whole number >= 1, got {describe(value)}")
    return int(value)


def _positive(value: float, label: str) -> float:
    if not value > 0:
        raise param_error(f"{label}: must be > 0, got {value}")
    return value


def _unit_number(value: Any, quantity: str, label: str) -> float:
    if isinstance(value, FSArray):
        if len(value.items) != 2 or not is_number(value.items[0]) or type(value.items[1]) is not str:
            raise param_error(f"{label}: a unit value is [number, \"unit\"], got {len(value.items)} elements")
        number, unit = value.items
        factor = UNITS[quantity].get(unit)
        if factor is None:
            raise param_error(f"{label}: unknown {quantity} unit '{unit}' "
                              f"(known: {', '.join(UNITS[quantity])})")
        return finite(number, label) * factor
    return finite(value, label)


def check_connection(source: Any, target: Any, key: Any, kinds: Callable[[FSObject], str]) -> str:
    """Rules of ``contextdragconnection(a, b, key)``; returns the key letter."""
    for position, value in ((1, source), (2, target)):
        if not isinstance(value, FSObject):
            raise build_error(f"contextdragconnection argument {position} is {describe(value)}, "
                              "not an object created by the script")
        if is_transfer(value):
            raise build_error(f"contextdragconnection argument {position} is {describe(value)}, a transfer FlexSim "
                              "made for a conveyor connection; connect the conveyor and the station instead")
    if is_number(key) and int(key) == key and 0 <= key < 0x110000:
        key = chr(int(key))
    if type(key) is not str or key not in CONNECTION_KEYS:
        raise build_error(f"contextdragconnection key must be one of {', '.join(CONNECTION_KEYS)}, "
                          f"got {describe(key)}")
    if source is target:
        raise build_error(f"contextdragconnection connects {describe(source)} to itself")
    if key == "A":
        src, dst = kinds(source), kinds(target)
        if dst == "source":
            raise build_error(f"A connection into Source '{target.name}' (a source has no input ports)")
        if src == "sink":
            raise build_error(f"A connection out of Sink '{source.name}' (a sink sends nothing on)")
        flow_src, flow_dst = src in FLOW_KINDS, dst in FLOW_KINDS
        if flow_src != flow_dst:
            raise build_error(f"A connection from {describe(source)} to {describe(target)}: an A connection joins "
                              "two stations, or a dispatcher or task executer to a task executer")
        if not flow_src and dst not in TASK_EXECUTER_KINDS:
            raise build_error(f"A connection from {describe(source)} to {describe(target)}: team members must be "
                              "task executers")
    return key
