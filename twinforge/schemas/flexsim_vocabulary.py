"""How a spec maps onto FlexSim: class names, library paths and property names.

Pure data shared by the FlexScript renderer (which writes it) and the executor (which reads it
back), so the two can never disagree. Sources: ../shared/reference/flexscript.md sections 1.2,
2.2 and 3.2, and flexscript-verdicts.md (newer). Entries marked UNCONFIRMED there are our
convention, not FlexSim fact: the ComponentsList value format and the AGV label. The
MultiProcessor step properties are REFUTED (FlexSim has none): the executor still reads them in
old scripts, the renderer never writes them.
"""

from __future__ import annotations

KIND_TO_CLASS: dict[str, str] = {
    "source": "Source",
    "queue": "Queue",
    "processor": "Processor",
    "multiprocessor": "MultiProcessor",
    "combiner": "Combiner",
    "separator": "Separator",
    "conveyor": "Conveyor::StraightConveyor",
    "sink": "Sink",
    "dispatcher": "Dispatcher",
    "operator": "Operator",
    "task_executer": "TaskExecuter",
    "transporter": "Transporter",
    "robot": "Robot",
    "agv": "TaskExecuter",
}
"""``Object.create`` class name per kind. FlexSim has no AGV class: an AGV is a TaskExecuter."""

KIND_TO_LIBRARY_PATH: dict[str, str] = {
    "source": "/?Source",
    "queue": "/?Queue",
    "processor": "/?Processor",
    "multiprocessor": "/?MultiProcessor",
    "combiner": "/?Combiner",
    "separator": "/?Separator",
    "conveyor": "/?StraightConveyor",
    "sink": "/?Sink",
    "dispatcher": "/?Dispatcher",
    "operator": "/?Operator",
    "task_executer": "/?TaskExecuter",
    "transporter": "/?Transporter",
    "robot": "/?Robot",
    "agv": "/?TaskExecuter",
}
"""``createinstance(node(path, library()), model())`` path per kind: the GDT paper's form, deprecated
in FlexSim ("Use Object.create() instead"); the executor and the textual metrics still read it."""

TRANSFER_CLASSES: dict[str, str] = {
    "entry": "Conveyor::EntryTransfer",
    "exit": "Conveyor::ExitTransfer",
    "transfer": "Conveyor::Transfer",
}
"""The transfer FlexSim puts between a conveyor and what an ``A`` connection joins it to: a fixed
resource feeding a conveyor (entry), a conveyor feeding a fixed resource (exit), two conveyors
(transfer). FlexSim creates them itself (they are not in the library); the class names are
UNCONFIRMED."""

AGV_LABEL = "AGV"
"""An AGV is a TaskExecuter that carries the label ``AGV`` = 1 (``obj.AGV = 1;``): our convention."""

PARAMETER_TO_PROPERTY: dict[str, str] = {
    "inter_arrival": "InterArrivalTime",
    "item_class": "FlowItemClass",
    "max_content": "MaxContent",
    "process_time": "ProcessTime",
    "setup_time": "SetupTime",
    "mode": "CombineMode",
    "component_quantity": "ComponentsList",
    "split_quantity": "SeparateQty",
    "length": "HorizontalLength",
    "speed": "Speed",
    "use_transport": "UseTransport",
    "use_operator": "UseProcessOperators",
}
"""Spec parameter -> FlexSim property for flow objects (the separator's ``mode`` is ``SeparateMode``)."""

SEPARATOR_MODE_PROPERTY = "SeparateMode"
TASK_EXECUTER_PROPERTIES: dict[str, str] = {"speed": "MaxSpeed", "capacity": "Capacity"}
MULTIPROCESSOR_STEP_PROPERTIES = ("ProcessNames", "ProcessTimes")
"""MultiProcessor steps as two Arrays: twinforge's old form, REFUTED (FlexSim has no such properties).
Read in old scripts only."""

ARRIVAL_STYLE = ("ArrivalStyle", "Inter-Arrival Time")
"""Read in old scripts; never written (writing it is RISKY, and inter-arrival is FlexSim's default)."""
DEFAULT_ITEM_CLASS = "Box"
"""The flow item class FlexSim's Source stores by default; ``FlowItemClass`` is written only for others."""
DEFAULT_MAX_CONTENT = 1
"""A Processor's default ``MaxContent`` in FlexSim; written only when larger."""

SEND_TO_PORT = "SendToPort"
"""The fixed resources' Send To Port code property (routing out of an object with several outputs)."""
ROUTING_KINDS = frozenset({"source", "queue", "processor", "combiner", "separator"})
"""Flow kinds with a spec ``routing`` ("first_available", FlexSim's default, or "random")."""
OPERATOR_COUNT_PROPERTY = "NumProcessOperators"

MODE_OPTIONS: dict[str, str] = {
    "pack": "Pack",
    "join": "Join",
    "batch": "Batch",
    "split": "Split",
    "unpack": "Unpack",
}
"""Spec mode -> FlexSim option name (spelling LIKELY)."""

DISTRIBUTION_CODE_HEADER = "Object current = ownerobject(c);\nObject item = param(1);\n"
"""FlexSim's standard picklist header; a property code string is this plus ``return <call>;``."""

FIXED_RESOURCE_PROPERTIES = frozenset(
    {"MaxContent", "Pull", "PullRequirement", "PullStrategy", "SendToPort", "UseTransport",
     "TransportRef", "TransportPriority", "TransportPreempt"}
)
PROCESSOR_PROPERTIES = frozenset(
    {"ProcessTime", "SetupTime", "AnimateItems", "UseProcessOperators", "NumProcessOperators",
     "UseSetupOperators", "NumSetupOperators", "UseSameNumOperators", "OperatorRef",
     "OperatorPriority", "OperatorPreempt"}
)
TASK_EXECUTER_PROPERTY_NAMES = frozenset(
    {"MaxSpeed", "Acceleration", "Deceleration", "Capacity", "LoadTime", "UnloadTime", "Navigator",
     "OffsetTravel", "BreakTo", "PassTo", "QueueStrategy", "AvailableOnStart", "RotateTraveling",
     "DoAnimations", "LiftSpeed", "ExtensionSpeed"}
)
GENERAL_PROPERTIES = frozenset({"Name", "Location", "Size", "Rotation", "Color"})

CLASS_PROPERTIES: dict[str, frozenset[str]] = {
    "Source": FIXED_RESOURCE_PROPERTIES | {"ArrivalStyle", "InterArrivalTime", "TimeZeroArrival",
                                           "FlowItemClass", "ArrivalSchedule", "ArrivalSequence", "RepeatTable"},
    "Queue": FIXED_RESOURCE_PROPERTIES | {"BatchSize", "DoBatching", "FlushContent", "ItemPlacement",
                                          "LIFO", "MaxBatchTime", "StackBaseZ"},
    "Processor": FIXED_RESOURCE_PROPERTIES | PROCESSOR_PROPERTIES,
    "Combiner": FIXED_RESOURCE_PROPERTIES | PROCESSOR_PROPERTIES | {"CombineMode", "ComponentsList"},
    "Separator": FIXED_RESOURCE_PROPERTIES | PROCESSOR_PROPERTIES | {"SeparateMode", "SeparateQty"},
    "MultiProcessor": FIXED_RESOURCE_PROPERTIES | {"UseProcessOperators", "NumProcessOperators",
                                                   *MULTIPROCESSOR_STEP_PROPERTIES},
    "Sink": FIXED_RESOURCE_PROPERTIES,
    "Conveyor::StraightConveyor": frozenset(
        {"Speed", "Acceleration", "Deceleration", "Width", "IsAccumulating", "StartLocation",
         "EndLocation", "HorizontalLength", "UseVirtualLength", "VirtualLength", "Rise"}),
    "Dispatcher": frozenset({"PassTo", "QueueStrategy"}),
    "Operator": TASK_EXECUTER_PROPERTY_NAMES,
    "TaskExecuter": TASK_EXECUTER_PROPERTY_NAMES,
    "Transporter": TASK_EXECUTER_PROPERTY_NAMES,
    "Robot": TASK_EXECUTER_PROPERTY_NAMES | {"MotionMode", "MoveTime", "JointSpeeds", "YRotationSpeed",
                                             "ZRotationSpeed"},
}
"""Property names each class accepts in ``setProperty`` (reference section 2.2), plus the general ones."""

OPTION_VALUES: dict[str, frozenset[str]] = {
    "ArrivalStyle": frozenset({"Inter-Arrival Time", "Arrival Schedule", "Arrival Sequence"}),
    "CombineMode": frozenset({"Pack", "Join", "Batch"}),
    "SeparateMode": frozenset({"Split", "Unpack"}),
}
"""Known option names for Options-typed properties."""
