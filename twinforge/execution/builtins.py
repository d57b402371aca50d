"""The whitelisted built-ins of the sandbox: the only things a script can call or read.

``BuildHooks`` serves a model-building script (object creation, naming, placement,
``setProperty``, ``contextdragconnection``, and FlexSim's other commands of ``commands``; a name
``Model.find`` does not find is a null ``MissingNode``); ``CodeHooks`` serves a property code string
(``ownerobject``, ``param``, ``getstream`` and the distribution commands, which evaluate to a
``DistCall`` rather than a number). Both share the language library (``stdlib.CommonHooks``).
An ``A`` connection between a conveyor and anything else puts a transfer between them, as FlexSim
does: the script sees it on both objects' ports (``outObjects``/``inObjects``), while the model
keeps the plain connection (transfers pass items on at once). Send To Port code runs after the
script, once every port exists (``BuildHooks.finish``).
A build script runs its property code strings through the ``CodeRunner`` it is given (the
sandbox's), so this module needs nothing of the sandbox. This is twinforge's approximation of
FlexSim's API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from twinforge.execution.checks import (
    check_class,
    check_connection,
    convert_property,
    is_transfer,
    kind_of,
    routing_rule,
    vector,
)
from twinforge.execution.commands import COMMANDS, display_switch
from twinforge.execution.datatypes import missing_use, set_label
from twinforge.execution.errors import ScriptError, build_error, param_error
from twinforge.execution.flexsim_api import not_modelled, unknown_class
from twinforge.execution.flexsim_names import FLEXSIM_COMMANDS
from twinforge.execution.limits import Limits
from twinforge.execution.runtime import Runtime
from twinforge.execution.stdlib import DISTRIBUTION_COMMANDS, STATIC_NAMESPACES, CommonHooks, arity, join_text
from twinforge.execution.values import (
    DistCall,
    FSArray,
    FSItem,
    FSNode,
    FSObject,
    MissingNode,
    Vec3,
    describe,
)
from twinforge.schemas.flexsim_vocabulary import (
    CLASS_PROPERTIES,
    ROUTING_KINDS,
    SEND_TO_PORT,
    TRANSFER_CLASSES,
)

LIBRARY_CLASSES = {cls.split("::")[-1]: cls for cls in CLASS_PROPERTIES}
"""Library node name -> class (``/?StraightConveyor`` is ``Conveyor::StraightConveyor``)."""

SENDING_KINDS = ROUTING_KINDS
"""Kinds whose Send To Port code the executor runs and honours; on any other fixed resource (a
sink; a MultiProcessor of an old script, which routes first available) it is stored, not run."""
PORT_LISTS = ("inObjects", "outObjects", "centerObjects")

Neighbours = Callable[[FSObject, str], list[FSObject]]
"""``neighbours(obj, "outObjects")``: the objects on ``obj``'s ports of that list, in rank order."""


class CodeRunner(Protocol):
    """Runs a property code string for ``owner`` and returns its number or ``DistCall``
    (``sandbox.run_code_string``); with ``neighbours`` the code may read the port lists."""

    def __call__(self, code: str, owner: FSObject, limits: Limits, *, label: str,
                 neighbours: Neighbours | None = None) -> Any: ...


class BuildHooks(CommonHooks):
    """Built-ins of a model-building script; they record the model in ``objects``/``connections``."""

    def __init__(self, limits: Limits, run_code: CodeRunner) -> None:
        super().__init__(limits)
        self.run_code = run_code
        self.objects: list[FSObject] = []
        self.connections: list[tuple[FSObject, FSObject, str, int | None]] = []
        self.printed: list[str] = []
        self.printed_chars = 0
        self.counters: dict[str, int] = {}
        self.transfers: dict[tuple[int, int], FSObject] = {}
        self.transfer_ends: dict[int, tuple[FSObject, FSObject]] = {}

    # ---- objects
    def create(self, rt: Runtime, cls: Any) -> FSObject:
        """A new object of class ``cls`` (a name, or a library class node), named like FlexSim does
        (``Processor1``, ``Processor2`` ...)."""
        if isinstance(cls, FSNode) and cls.role == "class":
            cls = cls.cls
        cls = check_class(cls)
        if len(self.objects) >= self.limits.max_objects:
            raise build_error(f"more than {self.limits.max_objects:,} objects")
        leaf = cls.split("::")[-1]
        self.counters[leaf] = self.counters.get(leaf, 0) + 1
        obj = FSObject(cls=cls, name=f"{leaf}{self.counters[leaf]}", line=rt.line)
        self.objects.append(obj)
        return obj

    def find_object(self, name: Any, rt: Runtime, how: str) -> FSObject | MissingNode:
        """The object named ``name``; else the null that stands for an object of a model the
        script did not build (``how`` is the call that looked, for the message)."""
        if type(name) is not str:
            raise TypeError(f"an object name must be a string, got {describe(name)}")
        found = next((obj for obj in self.objects if obj.name == name), None)
        return found if found is not None else MissingNode(f'{how}("{name}")', rt.line)

    def resolve(self, rt: Runtime, path: Any, start: Any, how: str) -> Any:
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
                raise unknown_class(name, sorted(LIBRARY_CLASSES))
            return FSNode("class", LIBRARY_CLASSES[name])
        return self.find_object(name, rt, how)

    # ---- attributes
    def set_object_attr(self, rt: Runtime, obj: FSObject, name: str, value: Any) -> None:
        """``obj.name``, ``obj.location`` ... or a label (numbers and strings only)."""
        if is_transfer(obj):
            raise build_error(f"{describe(obj)} is a transfer FlexSim made for a conveyor connection; "
                              "twinforge models transfers as ports only and cannot change them")
        if name == "name":
            if type(value) is not str or not value:
                raise TypeError(f"an object name must be a non-empty string, got {describe(value)}")
            obj.name = value
            obj.name_line = rt.line
        elif name in ("location", "size", "rotation"):
            setattr(obj, name, Vec3(*vector(value, f"{describe(obj)}.{name}")))
        elif name == "color":
            if not isinstance(value, Vec3):
                raise TypeError(f"an object's color is a Color, got {describe(value)}")
            obj.color = value
        elif name in (*PORT_LISTS, "labels", "subnodes", "up"):
            raise build_error(f"{name} is read-only")
        else:
            set_label(rt, obj, name, value)

    def object_attr(self, rt: Runtime, obj: FSObject, name: str) -> Any:
        """An object's attribute, or its ``inObjects``/``outObjects``/``centerObjects`` as an Array."""
        if name in PORT_LISTS:
            return FSArray(self.neighbours(obj, name))
        return super().object_attr(rt, obj, name)

    def objects_under(self, rt: Runtime, node: Any, loop: str) -> list[Any]:
        """What ``forobjectlayerunder``/``forobjecttreeunder(node)`` visit: under ``model()`` one
        layer down, the script's objects and the conveyor transfers in creation order; under an
        object of the script, nothing (a new object holds no objects). The whole tree under
        ``model()`` (FlexSim's new model holds more, such as its Tools folder's flow item bin)
        and the selection are not modelled."""
        if type(node) is MissingNode:
            raise missing_use(node)
        if not isinstance(node, (FSObject, FSNode)):
            raise TypeError(f"{loop} needs a node, got {describe(node)}")
        if loop != "forobjectselected":
            if isinstance(node, FSObject):
                return []
            if node.role == "model" and loop == "forobjectlayerunder":
                return [*self.objects, *self.transfers.values()]
        raise not_modelled(f"{loop}({describe(node)})")

    def neighbours(self, obj: FSObject, which: str) -> list[FSObject]:
        """The objects on ``obj``'s output, input or centre ports, in port order (a conveyor
        connection's transfer in place of the object beyond it)."""
        ends = self.transfer_ends.get(id(obj))
        if ends is not None:
            return [ends[0]] if which == "inObjects" else [ends[1]] if which == "outObjects" else []
        transfers = self.transfers
        if which == "outObjects":
            return [transfers.get((id(a), id(b)), b) for a, b, key, _ in self.connections if key == "A" and a is obj]
        if which == "inObjects":
            return [transfers.get((id(a), id(b)), a) for a, b, key, _ in self.connections if key == "A" and b is obj]
        return [b if a is obj else a for a, b, key, _ in self.connections if key == "S" and obj in (a, b)]

    def add_transfer(self, source: FSObject, target: FSObject) -> None:
        """The transfer FlexSim puts on an A connection to, from or between conveyors (one per
        pair of objects; named like FlexSim's objects, ``EntryTransfer1``: UNCONFIRMED)."""
        conveyors = (kind_of(source) == "conveyor", kind_of(target) == "conveyor")
        if not any(conveyors) or (id(source), id(target)) in self.transfers:
            return
        role = "transfer" if all(conveyors) else "entry" if conveyors[1] else "exit"
        cls = TRANSFER_CLASSES[role]
        leaf = cls.split("::")[-1]
        self.counters[leaf] = self.counters.get(leaf, 0) + 1
        transfer = FSObject(cls=cls, name=f"{leaf}{self.counters[leaf]}", line=None)
        self.transfers[(id(source), id(target))] = transfer
        self.transfer_ends[id(transfer)] = (source, target)

    def finish(self) -> None:
        """Run each sending object's Send To Port code now that every port exists; keep the rule
        (``checks.routing_rule``) in place of the code. FlexSim runs the code as each item leaves;
        the rules twinforge accepts give the same port choice every time (or a uniform draw)."""
        for obj in self.objects:
            if SEND_TO_PORT not in obj.properties or kind_of(obj) not in SENDING_KINDS:
                continue
            value = obj.properties[SEND_TO_PORT]
            label = f"{describe(obj)}: property '{SEND_TO_PORT}'"
            try:
                if type(value) is str:
                    value = self.run_code(value, obj, self.limits, label=label, neighbours=self.neighbours)
                obj.properties[SEND_TO_PORT] = routing_rule(value, len(self.neighbours(obj, "outObjects")), label)
            except ScriptError as error:
                line = error.line if error.line is not None else obj.property_lines.get(SEND_TO_PORT)
                raise ScriptError(error.outcome, error.message, line) from None

    def object_method(self, rt: Runtime, obj: FSObject, name: str, args: list[Any]) -> Any:
        """``setLocation``/``setSize``/``setRotation`` and ``setProperty``, then the shared methods."""
        if is_transfer(obj) and name in ("setLocation", "setSize", "setRotation", "setProperty"):
            raise param_error(f"{describe(obj)} is a transfer FlexSim made for a conveyor connection; twinforge "
                              f"models transfers as ports only (no {name})")
        if name in ("setLocation", "setSize", "setRotation"):
            arity(name, args, 3, 6)
            values = vector(FSArray(list(args[:3])), f"{describe(obj)}.{name}")
            target = {"setLocation": "location", "setSize": "size", "setRotation": "rotation"}[name]
            setattr(obj, target, Vec3(*values))
            return obj
        if name == "setProperty":
            arity("setProperty", args, 2)
            self.set_property(rt, obj, args[0], args[1])
            return None
        return super().object_method(rt, obj, name, args)

    def set_property_part(self, rt: Runtime, obj: FSObject, prop: str, value: Any) -> bool:
        """``setProperty("Location.X", v)`` and the other coordinates of Location, Size and
        Rotation (General Property List); ``Triggers.*`` code is not modelled. False for any other
        property."""
        if prop.startswith("Triggers."):
            raise not_modelled(f"the trigger property '{prop}' (trigger code runs while the model runs)")
        whole, dot, axis = prop.partition(".")
        if not dot or whole not in ("Location", "Size", "Rotation") or axis not in ("X", "Y", "Z"):
            return False
        coordinates = getattr(obj, whole.lower())
        setattr(coordinates, axis.lower(), vector(FSArray([value, 0, 0]), f"{describe(obj)}: {prop}")[0])
        return True

    def set_property(self, rt: Runtime, obj: FSObject, prop: Any, value: Any) -> None:
        """``obj.setProperty(prop, value)``: checked and converted (``checks.convert_property``)."""
        if type(prop) is str and self.set_property_part(rt, obj, prop, value):
            return
        converted = convert_property(obj, prop, value, lambda code: self.evaluate_code(code, obj, prop))
        if prop == "Name":
            obj.name = converted
            obj.name_line = rt.line
        elif prop in ("Location", "Size", "Rotation"):
            setattr(obj, prop.lower(), Vec3(*converted))
        obj.properties[prop] = converted
        obj.raw_properties[prop] = value
        obj.property_lines[prop] = rt.line

    def evaluate_code(self, code: str, owner: FSObject, prop: str) -> Any:
        """The value of a property's code string, run by ``run_code`` in a sandbox of its own."""
        return self.run_code(code, owner, self.limits, label=f"{describe(owner)}: property '{prop}'")

    def node_method(self, rt: Runtime, node: FSNode, name: str, args: list[Any]) -> Any:
        """``node.find(path)``."""
        if name == "find":
            arity("find", args, 1)
            return self.resolve(rt, args[0], node, f"{node.role}().find")
        return super().node_method(rt, node, name, args)

    # ---- statics and functions
    def call_static(self, rt: Runtime, space: str, name: str, args: list[Any]) -> Any:
        """``Object.create(cls)`` and ``Model.find(name)``, then the shared statics."""
        if space == "Object" and name == "create":
            arity("Object.create", args, 1, 2)
            return self.create(rt, args[0])
        if space == "Model" and name == "find":
            arity("Model.find", args, 1)
            return self.find_object(args[0].lstrip("/?") if type(args[0]) is str else args[0], rt, "Model.find")
        return super().call_static(rt, space, name, args)

    def call_function(self, rt: Runtime, name: str, args: list[Any]) -> Any:
        """``library()``, ``model()``, ``node``, ``createinstance`` and ``contextdragconnection``."""
        if name == "library" or name == "model":
            arity(f"{name}()", args, 0)
            return FSNode(name)
        if name == "node":
            arity("node", args, 2)
            return self.resolve(rt, args[0], args[1], "node")
        if name == "createinstance":
            arity("createinstance", args, 2)
            cls_node, where = args
            if not isinstance(cls_node, FSNode) or cls_node.role != "class":
                raise build_error(f"createinstance needs a library class node, got {describe(cls_node)}")
            if not isinstance(where, FSNode) or where.role != "model":
                raise build_error("createinstance must create into model()")
            return self.create(rt, cls_node.cls)
        if name == "contextdragconnection":
            arity("contextdragconnection", args, 3)
            self.connect(rt, *args)
            return None
        command = COMMANDS.get(name)
        if command is not None:
            return command(self, rt, args)
        if name.startswith("switch_") and name in FLEXSIM_COMMANDS:
            return display_switch(name, args)
        return super().call_function(rt, name, args)

    def connect(self, rt: Runtime, source: Any, target: Any, key: Any) -> None:
        """Record an A or S connection, or remove one (Q and W keys), as FlexSim's key drag does."""
        for end in (source, target):
            if type(end) is MissingNode:
                raise missing_use(end)
        key = check_connection(source, target, key, kind_of)
        if key in ("A", "S"):
            self.connections.append((source, target, key, rt.line))
            if key == "A":
                self.add_transfer(source, target)
        elif key in ("Q", "W"):
            wanted = "A" if key == "Q" else "S"
            for index, (a, b, k, _) in enumerate(self.connections):
                if k == wanted and ((a is source and b is target) or (k == "S" and a is target and b is source)):
                    del self.connections[index]
                    break
            if key == "Q" and not any(k == "A" and a is source and b is target for a, b, k, _ in self.connections):
                transfer = self.transfers.pop((id(source), id(target)), None)
                if transfer is not None:
                    del self.transfer_ends[id(transfer)]

    def print_(self, rt: Runtime, args: list[Any]) -> None:
        """Record printed text, bounded by ``max_print_chars``."""
        text = " ".join(join_text(arg) for arg in args)
        self.printed_chars += len(text)
        if self.printed_chars > self.limits.max_print_chars:
            raise build_error(f"print output exceeds {self.limits.max_print_chars:,} characters")
        self.printed.append(text)


class CodeHooks(CommonHooks):
    """Built-ins of a property code string: read the owner, return a distribution call."""

    code_mode = True

    def __init__(self, limits: Limits, owner: FSObject, neighbours: Neighbours | None = None) -> None:
        super().__init__(limits)
        self.owner = owner
        self.neighbours = neighbours

    def object_attr(self, rt: Runtime, obj: FSObject, name: str) -> Any:
        """An object's attribute; its port lists only where the code runs on the built model
        (Send To Port), not where it runs as the property is set (times)."""
        if name in PORT_LISTS:
            if self.neighbours is None:
                raise param_error(f"{name} cannot be read here: twinforge runs this code string when the "
                                  "property is set, before the model's ports are final (it can in SendToPort)")
            return FSArray(self.neighbours(obj, name))
        return super().object_attr(rt, obj, name)

    def call_function(self, rt: Runtime, name: str, args: list[Any]) -> Any:
        """``library()``, ``model()``, ``node``, ``createinstance`` and ``contextdragconnection``."""
        if name in DISTRIBUTION_COMMANDS:
            return DistCall(name, tuple(args))
        if name == "ownerobject":
            arity("ownerobject", args, 1)
            return self.owner
        if name == "param":
            arity("param", args, 1)
            return FSItem()
        if name == "getstream":
            arity("getstream", args, 1)
            return 0
        if name in ("contextdragconnection", "createinstance", "node", "library", "model"):
            raise param_error(f"{name}() is not allowed in a property code string")
        return super().call_function(rt, name, args)

    def object_method(self, rt: Runtime, obj: FSObject, name: str, args: list[Any]) -> Any:
        """``setLocation``/``setSize``/``setRotation`` and ``setProperty``, then the shared methods."""
        if name == "setProperty":
            raise param_error("a property code string cannot call setProperty")
        return super().object_method(rt, obj, name, args)


__all__ = ["DISTRIBUTION_COMMANDS", "STATIC_NAMESPACES", "BuildHooks", "CodeHooks", "CodeRunner"]
