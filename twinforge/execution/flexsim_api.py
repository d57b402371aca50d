"""What the check says about the parts of FlexSim's API it does not implement.

Every name a script reaches is one of (docs/execution.md, "Supported subset"):

- **modelled**: a built-in of ``stdlib``, ``builtins`` or ``commands``, with its effect on the model;
- **no-op**: a run-only command that changes nothing a build script leaves (``NO_OP_COMMANDS``);
- **unsupported**: a command, class, property or constant FlexSim has and twinforge does not
  implement (``flexsim_names``, ``FLEXSCRIPT_CLASSES``, ``OBJECT_MEMBERS``), host access the
  sandbox refuses (files, sockets, databases, Excel, HTTP: ``refused``), or a script that needs
  a model or trigger context (``errors.needs_context``): the check cannot judge the script;
- anything else is an error of the script (FlexSim has no such name).

The lists are FlexSim's names, not its semantics: being in a list only decides ``unsupported``
against ``build_error``.
"""

from __future__ import annotations

from twinforge.execution.errors import ScriptError, build_error, needs_context, param_error, unsupported
from twinforge.execution.flexsim_names import FLEXSIM_COMMANDS, FLEXSIM_CONSTANTS

FLEXSCRIPT_CLASSES = frozenset({
    "Agent", "AGV", "Animation", "Array", "AStar", "Color", "Conveyor", "Database", "DateTime", "Dispatcher",
    "Event", "FixedResource", "Group", "Http", "JSON", "List", "Map", "Math", "Model", "Navigator", "Object",
    "Person", "RegEx", "Storage", "Table", "TaskExecuter", "TaskSequence", "Token", "TrackedVariable", "Variant",
    "Vec2", "Vec3", "Vec4", "string", "treenode",
})
"""Classes of FlexSim's FlexScript Class Reference (the top-level ones; docs.flexsim.com, "FlexScript
Class Reference"). ``Conveyor.Item``-style nested classes are any capitalised member of
``CLASS_NAMESPACES``."""

LIBRARY_CLASSES = frozenset({
    "BasicFR", "BasicTE", "ASRSvehicle", "Crane", "Elevator", "Rack", "FloorStorage", "GravityFlowRack",
    "NetworkNode", "TrafficControl", "VisualTool", "Text", "Billboard", "Reservoir", "FluidTank", "FluidPipe",
    "FluidMixer", "FluidProcessor", "FluidGenerator", "FluidTerminator", "ItemToFluid", "FluidToItem",
    "FluidConveyor", "FluidSplitter", "FluidBlender", "Conveyor::CurvedConveyor", "Conveyor::JoinConveyor",
    "Conveyor::DecisionPoint", "Conveyor::PhotoEye", "Conveyor::Station", "Conveyor::MotorObject",
    "Conveyor::MergeController", "Conveyor::Transfer", "AGV::ControlPoint", "AGV::StraightPath", "AGV::CurvedPath",
    "AGV::JoinPath", "AStar::Barrier", "AStar::Divider", "AStar::PreferredPath", "People::Location",
    "Box", "Pallet", "Tote", "Cylinder", "Sphere", "Person", "Plane",
})
"""FlexSim library classes (3D objects and flow items) beyond ``CLASS_PROPERTIES``, from FlexSim's
library and help pages: ``Object.create`` of one is ``unsupported``, not an unknown class."""

CLASS_NAMESPACES = frozenset({"Agent", "AGV", "Animation", "AStar", "Conveyor", "Database", "Http", "List",
                              "Storage", "Table", "TaskSequence"})
"""Classes whose nested classes scripts declare: ``Storage.Item``, ``Conveyor.DecisionPoint``,
``Http.Request``, ``AStar.Navigator`` ..."""

LOOKUP_CLASSES = frozenset({"Table", "Group", "List", "TrackedVariable"})
"""Classes whose constructors look a part of the model up by name (``Table("Parts")``,
``Group("Machines")``): a script using them needs that model."""

PRIMITIVE_TYPES = frozenset({"int", "double", "string", "treenode", "Object", "Variant", "Array", "var", "Vec3",
                             "Color"})
"""The type keywords of the grammar."""

CONTEXT_NAMES: dict[str, str] = {
    "current": "'current' is the object whose trigger or property code runs",
    "item": "'item' is the flow item a trigger receives",
    "c": "'c' is the node of the code that runs (a trigger's or a property's)",
    "token": "'token' is the Process Flow token that runs the code",
    "activity": "'activity' is the Process Flow activity that runs the code",
    "processFlow": "'processFlow' is the Process Flow that runs the code",
}
"""Names a trigger, property code or Process Flow defines and a build script does not."""

CONTEXT_COMMANDS: dict[str, str] = {
    "param": "param(n) is an argument FlexSim passes to trigger and property code",
    "ownerobject": "ownerobject(c) is the object that owns the running trigger or property code",
}
"""Commands that read the context of a trigger or property code."""

NO_OP_COMMANDS = frozenset({"runspeed", "stoptime", "resetmodel", "reset", "go", "stop", "repaintall"})
"""Run-only commands: they set how the model runs (speed, stop time) or start, stop and reset it;
the check runs the built model itself, so in a build script they change nothing."""

_REFUSED_PREFIXES = {"file": "file", "fp": "file", "excel": "Excel", "db": "database", "client": "network",
                     "server": "network", "socket": "network"}
_REFUSED_COMMANDS = {
    "pfile": "file", "pfile_cstr": "file", "deleteFile": "file", "savetree": "file", "loadimage": "file",
    "loadsound": "file", "loadthreedobject": "file", "loaduserlibrary": "file", "importtable": "file",
    "exporttable": "file", "importdataset": "file", "exportdataset": "file", "exportfullhistory": "file",
    "runprogram": "program", "callwebscriptmethod": "web", "webcommand": "web",
    **{name: "file system" for name in ("modeldir", "cdir", "pdir", "documentsdir", "programdatadir", "userdatadir",
                                        "currentfile")},
}
REFUSED_CLASSES = {"Http": "HTTP", "Database": "database"}
"""FlexScript classes whose every use the sandbox refuses (host access)."""

OBJECT_MEMBERS = frozenset({
    # treenode
    "as", "attrs", "copy", "dataType", "destroy", "evaluate", "find", "first", "getPath", "isMember", "labels",
    "labelProperties", "last", "name", "next", "prev", "rank", "subnodes", "up", "value",
    # Object
    "applyProperties", "centerObjects", "color", "getLocation", "getProperty", "getVariable", "inObjects",
    "input", "location", "message", "outObjects", "output", "resetVariables", "resizeRotation", "rotation",
    "setLocation", "setProperty", "setRotation", "setSize", "setState", "setVariable", "size", "stats",
    # FixedResource, TaskExecuter, Dispatcher, Conveyor
    "holdItem", "releaseItem", "resume", "stop", "itemData", "state", "content", "tasksequence",
})
"""Properties and methods of FlexScript's ``treenode`` and ``Object`` classes and of the object
classes scripts build with (from the class reference). An attribute read outside this list is a
label read, and a label that does not exist is an error of the script."""

MODEL_UNITS: dict[str, tuple[int, object]] = {
    "TIME_NAME": (1, "seconds"), "TIME_PLURAL_NAME": (2, "seconds"), "TIME_ABBREVIATION": (3, "s"),
    "TIME_MULTIPLE": (4, 1), "LENGTH_NAME": (11, "meters"), "LENGTH_PLURAL_NAME": (12, "meters"),
    "LENGTH_ABBREVIATION": (13, "m"), "LENGTH_MULTIPLE": (14, 1),
}
"""The unit constants (values from FlexSim's SDK, ``AllObjects.h``) and what ``getmodelunit``
returns for them: the check's model runs in seconds and metres, as its property values do."""


def is_flexscript_type(name: str) -> bool:
    """Whether ``name`` is a type a declaration may use: a type keyword, a FlexScript class or a
    nested class of one (``Storage.Item``)."""
    if name in PRIMITIVE_TYPES or name in FLEXSCRIPT_CLASSES:
        return True
    head, dot, tail = name.partition(".")
    return bool(dot) and head in CLASS_NAMESPACES and tail[:1].isupper()


def unknown_type(name: str) -> ScriptError:
    """A declaration of a type FlexScript does not have."""
    return build_error(f"unknown type '{name}' (not a FlexScript class)")


def unknown_class(name: str, known: list[str]) -> ScriptError:
    """``Object.create`` (or a library search) of a class the check does not build."""
    leaves = {cls.split("::")[-1] for cls in LIBRARY_CLASSES}
    if name in LIBRARY_CLASSES or name in leaves:
        return not_modelled(f"the library class '{name}'")
    return build_error(f"unknown class '{name}' (names are case-sensitive; twinforge knows {', '.join(known)})")


def refusal(name: str) -> str | None:
    """The kind of host access a command needs (``"file"``, ``"network"`` ...), None if none."""
    if name in _REFUSED_COMMANDS:
        return _REFUSED_COMMANDS[name]
    if name in FLEXSIM_COMMANDS:
        for prefix, kind in _REFUSED_PREFIXES.items():
            if name.startswith(prefix):
                return kind
    return None


def refused(what: str, kind: str) -> ScriptError:
    """``unsupported``: host access the sandbox refuses."""
    return unsupported(f"{what}: {kind} access is refused in twinforge's sandbox (the check never touches the "
                       "host), so it cannot judge this script")


def not_modelled(what: str) -> ScriptError:
    """``unsupported``: something FlexSim has that the check does not implement."""
    return unsupported(f"{what} is FlexSim's but not modelled by twinforge's check, so it cannot judge "
                       "this script")


def unknown_function(name: str, *, code_mode: bool) -> ScriptError:
    """A call of a global function the built-ins do not serve: refused host access, a FlexSim
    command the check does not implement, a context command, or no such function."""
    kind = refusal(name)
    if kind is not None:
        return refused(f"{name}()", kind)
    if name in CONTEXT_COMMANDS and not code_mode:
        return needs_context(CONTEXT_COMMANDS[name])
    if name in FLEXSIM_COMMANDS:
        return not_modelled(f"the command {name}()")
    if name in FLEXSCRIPT_CLASSES:
        return not_modelled(f"the constructor {name}()")
    return (param_error if code_mode else build_error)(f"unknown function '{name}'")


def unknown_name(name: str) -> ScriptError:
    """A name no scope declares: a trigger's variable, a FlexSim constant, or an undeclared variable."""
    if name in CONTEXT_NAMES:
        return needs_context(CONTEXT_NAMES[name])
    if name in FLEXSIM_CONSTANTS:
        return not_modelled(f"the constant {name}")
    return build_error(f"undeclared variable '{name}'")


def static_member(space: str, name: str) -> ScriptError:
    """A static property or method of a FlexScript class that the built-ins do not serve."""
    if space in REFUSED_CLASSES:
        return refused(f"{space}.{name}", REFUSED_CLASSES[space])
    return not_modelled(f"{space}.{name}")
