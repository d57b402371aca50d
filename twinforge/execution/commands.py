"""FlexSim's global commands that a build script may call beyond the model API of ``builtins``:
the legacy object commands (``setname``, ``setloc``, ``createcopy``, ``inobject`` ...), output
commands, and the run-only commands that are no-ops here (``flexsim_api.NO_OP_COMMANDS``).

``COMMANDS`` maps a command's name to its function ``(hooks, rt, args) -> value``; ``BuildHooks``
looks a call up there before the language library and ``flexsim_api.unknown_function``.
Their effect on the model is the one their FlexSim help page states; where a detail is ours
(the name of a copy), the function's docstring says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from twinforge.execution.checks import is_transfer, vector
from twinforge.execution.datatypes import label_value, missing_use, set_label
from twinforge.execution.errors import build_error
from twinforge.execution.flexsim_api import NO_OP_COMMANDS, not_modelled
from twinforge.execution.runtime import Runtime
from twinforge.execution.stdlib import arity
from twinforge.execution.values import FSArray, FSNode, FSObject, MissingNode, Vec3, describe, is_number


class BuildHooks(Protocol):
    """What the commands use of ``builtins.BuildHooks`` (which imports this module)."""

    def create(self, rt: Runtime, cls: Any) -> FSObject: ...

    def neighbours(self, obj: FSObject, which: str) -> list[FSObject]: ...

    def set_object_attr(self, rt: Runtime, obj: FSObject, name: str, value: Any) -> None: ...

    def print_(self, rt: Runtime, args: list[Any]) -> None: ...


Command = Callable[[BuildHooks, Runtime, list[Any]], Any]

SUPERCLASSES: dict[str, tuple[str, ...]] = {
    "Combiner": ("Processor", "FixedResource"), "Separator": ("Processor", "FixedResource"),
    "Processor": ("FixedResource",), "Source": ("FixedResource",), "Queue": ("FixedResource",),
    "Sink": ("FixedResource",), "MultiProcessor": ("FixedResource",), "Operator": ("TaskExecuter", "Dispatcher"),
    "Transporter": ("TaskExecuter", "Dispatcher"), "Robot": ("TaskExecuter", "Dispatcher"),
    "TaskExecuter": ("Dispatcher",),
}
"""The FlexSim classes each object class derives from, for ``isclasstype`` (FlexSim's object
hierarchy as its help pages describe it: a Combiner is a Processor, an Operator a TaskExecuter)."""


def model_object(value: Any, command: str, position: int = 1) -> FSObject:
    """Argument ``position`` of ``command``, which must be an object the script created."""
    if type(value) is MissingNode:
        raise missing_use(value)
    if not isinstance(value, FSObject):
        raise TypeError(f"{command} needs an object as argument {position}, got {describe(value)}")
    if is_transfer(value):
        raise build_error(f"{command}: {describe(value)} is a transfer FlexSim made for a conveyor connection; "
                          "twinforge models transfers as ports only")
    return value


def _setname(hooks: BuildHooks, rt: Runtime, args: list[Any]) -> FSObject:
    """``setname(obj, name)``, ``setnodename(obj, name)``: as ``obj.name = name``."""
    arity("setname", args, 2)
    obj = model_object(args[0], "setname")
    hooks.set_object_attr(rt, obj, "name", args[1])
    return obj


def _getname(hooks: BuildHooks, rt: Runtime, args: list[Any]) -> str:
    """``getname(obj)``."""
    arity("getname", args, 1)
    return model_object(args[0], "getname").name


def _placer(target: str) -> Command:
    """``setloc``/``setsize``/``setrot(obj, x, y, z)``: as ``obj.setLocation(x, y, z)`` ..."""

    def place(hooks: BuildHooks, rt: Runtime, args: list[Any]) -> None:
        arity(f"set{target}", args, 4)
        obj = model_object(args[0], f"set{target}")
        setattr(obj, target, Vec3(*vector(FSArray(list(args[1:])), f"{describe(obj)}.{target}")))

    return place


def _createcopy(hooks: BuildHooks, rt: Runtime, args: list[Any]) -> FSObject:
    """``createcopy(original, model()[, samename, ...])``: a library class node gives a new instance
    (as ``createinstance``); an object of the script gives a copy of its class, parameters, labels,
    place, size and rotation, but not its connections. The copy is named like a new instance
    (``Processor3``), or keeps the original's name with ``samename`` = 1 (FlexSim's own naming of
    a copy is UNCONFIRMED)."""
    arity("createcopy", args, 2, 6)
    original, where = args[0], args[1]
    if not isinstance(where, FSNode) or where.role != "model":
        raise not_modelled(f"createcopy into {describe(where)} (twinforge builds only into model())")
    if isinstance(original, FSNode) and original.role == "class" and original.cls is not None:
        return hooks.create(rt, original.cls)
    source = model_object(original, "createcopy")
    copy = hooks.create(rt, source.cls)
    if len(args) > 2 and is_number(args[2]) and args[2]:
        copy.name = source.name
        copy.name_line = rt.line
    for field in ("properties", "raw_properties", "property_lines", "labels"):
        getattr(copy, field).update(getattr(source, field))
    copy.location, copy.size, copy.rotation = (Vec3(*v.as_tuple()) for v in (source.location, source.size,
                                                                               source.rotation))
    return copy


def _setlabel(hooks: BuildHooks, rt: Runtime, args: list[Any]) -> None:
    """``setlabel(obj, name, value)``."""
    arity("setlabel", args, 3)
    if type(args[1]) is not str:
        raise TypeError("setlabel needs a label name string")
    set_label(rt, model_object(args[0], "setlabel"), args[1], args[2])


def _getlabel(hooks: BuildHooks, rt: Runtime, args: list[Any]) -> Any:
    """``getlabel(obj, name)``."""
    arity("getlabel", args, 2)
    if type(args[1]) is not str:
        raise TypeError("getlabel needs a label name string")
    return label_value(model_object(args[0], "getlabel"), args[1])


def _port_object(which: str) -> Command:
    """``inobject``/``outobject``/``centerobject(obj, rank)``: the object on that port, null if
    the object has no such port."""

    def port(hooks: BuildHooks, rt: Runtime, args: list[Any]) -> Any:
        arity(which, args, 2)
        neighbours = hooks.neighbours(model_object(args[0], which), PORT_COMMANDS[which])
        rank = args[1]
        if not is_number(rank):
            raise TypeError(f"{which} needs a port number, got {describe(rank)}")
        return neighbours[int(rank) - 1] if 1 <= rank <= len(neighbours) else None

    return port


PORT_COMMANDS = {"inobject": "inObjects", "outobject": "outObjects", "centerobject": "centerObjects",
                 "nrip": "inObjects", "nrop": "outObjects"}


def _port_count(which: str) -> Command:
    """``nrip``/``nrop(obj)``: the number of input or output ports."""

    def count(hooks: BuildHooks, rt: Runtime, args: list[Any]) -> int:
        arity(which, args, 1)
        return len(hooks.neighbours(model_object(args[0], which), PORT_COMMANDS[which]))

    return count


def _isclasstype(hooks: BuildHooks, rt: Runtime, args: list[Any]) -> int:
    """``isclasstype(obj, "Processor")``: 1 for the object's class and the classes it derives from."""
    arity("isclasstype", args, 2)
    obj = model_object(args[0], "isclasstype")
    if type(args[1]) is not str:
        raise TypeError("isclasstype needs a class name string")
    leaf = obj.cls.split("::")[-1]
    wanted = args[1].split("::")[-1].lstrip("?/")
    return int(wanted == leaf or wanted in SUPERCLASSES.get(leaf, ()))


def _output(hooks: BuildHooks, rt: Runtime, args: list[Any]) -> None:
    """``pt``/``pr``/``pd``/``pf`` and the ``mp*`` forms: text to FlexSim's output console,
    recorded like ``print``."""
    hooks.print_(rt, args)


def _no_op(hooks: BuildHooks, rt: Runtime, args: list[Any]) -> int:
    """A run-only command (run speed, stop time, reset, go, stop): nothing to build."""
    return 0


def display_switch(name: str, args: list[Any]) -> int:
    """``switch_<flag>(obj, on)``: display flags change nothing in the model; ``switch_destroyonreset``
    on (the object would vanish at the next reset) is not modelled."""
    if name == "switch_destroyonreset" and len(args) > 1 and args[1] not in (0, -1):
        raise not_modelled("switch_destroyonreset(obj, 1) (an object destroyed on reset)")
    if args and type(args[0]) is MissingNode:
        raise missing_use(args[0])
    return 0


COMMANDS: dict[str, Command] = {
    "setname": _setname, "setnodename": _setname, "getname": _getname, "createcopy": _createcopy,
    "setloc": _placer("location"), "setsize": _placer("size"), "setrot": _placer("rotation"),
    "setlabel": _setlabel, "getlabel": _getlabel, "isclasstype": _isclasstype,
    **{name: _port_object(name) for name in ("inobject", "outobject", "centerobject")},
    **{name: _port_count(name) for name in ("nrip", "nrop")},
    **{name: _output for name in ("pt", "pr", "pd", "pf", "mpt", "mpr", "mpd", "mpf")},
    **{name: _no_op for name in NO_OP_COMMANDS},
}
"""The commands a build script may call, by name (``switch_*`` is ``display_switch``)."""
