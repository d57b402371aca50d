"""The objects of a factory model: a discriminated union on ``kind``.

Flow objects carry items (source, queue, the four machines, conveyor, sink); resources move items
or operate machines (dispatcher and the task executers). Parameter names follow DESIGN.md.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from twinforge.schemas.distribution import (
    ArrivalDistribution,
    Constant,
    ServiceDistribution,
)
from twinforge.schemas.text import MAX_NAME_LENGTH, checked_name, checked_text

MAX_COORDINATE_M = 1000.0
"""Largest |x|, |y| or |z| of a position, in metres: the floor is at most 2 km square. Without a
bound, one far-off object (1e308 m) made the sketch's grid paper grow with the coordinate."""
MIN_LENGTH_M, MAX_LENGTH_M = 0.01, 1000.0
"""A conveyor's length in metres (the sampler draws 2-13 m)."""
MIN_SPEED, MAX_SPEED = 0.001, 100.0
"""Conveyor and travel speeds in m/s (the sampler draws 0.1-3 m/s). Below 1 mm/s a speed would be
written as 0 in FlexScript (``format_number`` keeps 9 decimals)."""
MAX_CONTENT = 100_000
"""Largest ``max_content`` of a queue or processor (the sampler draws up to 100)."""
MAX_CARRY = 1_000
"""Largest number of items a task executer carries at once (the sampler draws up to 4)."""
MAX_QUANTITY = 10_000
"""Largest combiner ``component_quantity`` and separator ``split_quantity`` (the sampler: up to 60)."""

Coordinate = Annotated[float, Field(ge=-MAX_COORDINATE_M, le=MAX_COORDINATE_M, allow_inf_nan=False)]
Position = tuple[Coordinate, Coordinate, Coordinate]
"""(x, y, z) in metres; x and y are the floor, z is up; each within +-``MAX_COORDINATE_M``."""

Length = Annotated[float, Field(ge=MIN_LENGTH_M, le=MAX_LENGTH_M, allow_inf_nan=False)]
Speed = Annotated[float, Field(ge=MIN_SPEED, le=MAX_SPEED, allow_inf_nan=False)]
Content = Annotated[int, Field(ge=1, le=MAX_CONTENT)]
Carry = Annotated[int, Field(ge=1, le=MAX_CARRY)]
Quantity = Annotated[int, Field(ge=1, le=MAX_QUANTITY)]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME_LENGTH), AfterValidator(checked_name)]
"""An object name: printable, without quotes or backslashes, not padded with spaces."""
StepName = Annotated[str, Field(min_length=1, max_length=MAX_NAME_LENGTH), AfterValidator(checked_text)]
"""A multiprocessor step name: printable (quotes and backslashes are escaped where it is written)."""
ItemClass = Annotated[str, Field(max_length=MAX_NAME_LENGTH), AfterValidator(checked_text)]
Routing = Literal["first_available", "random"]
"""How an object with several outputs picks one for each item: FlexSim's default, the first
output port that can take it; or a port drawn at random (``SendToPort`` with ``duniform``)."""


def field_value(obj: BaseModel, name: str, default: Any) -> Any:
    """``getattr(obj, name, default)`` for a field that only some kinds have (``routing``,
    ``use_operator``, ...): read from the model's values, since a missing name costs a raised and
    caught error inside pydantic's ``__getattr__`` (about 3.4 us, against 0.05)."""
    return obj.__dict__.get(name, default)


class _Object(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name
    position: Position


class Source(_Object):
    """Creates items with the given inter-arrival time."""

    kind: Literal["source"] = "source"
    inter_arrival: ArrivalDistribution
    item_class: ItemClass = "Box"
    use_transport: bool = False
    routing: Routing = "first_available"


class Queue(_Object):
    """Buffers up to ``max_content`` items."""

    kind: Literal["queue"] = "queue"
    max_content: Content
    use_transport: bool = False
    routing: Routing = "first_available"


class _Machine(_Object):
    process_time: ServiceDistribution
    setup_time: ServiceDistribution = Constant(value=0)
    use_transport: bool = False
    use_operator: bool = False
    routing: Routing = "first_available"


class Processor(_Machine):
    """Setup then process, up to ``max_content`` items at once."""

    kind: Literal["processor"] = "processor"
    max_content: Content = 1


class ProcessStep(BaseModel):
    """One named step of a multiprocessor."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: StepName
    process_time: ServiceDistribution


class MultiProcessor(_Object):
    """Runs its named steps in order on each item."""

    kind: Literal["multiprocessor"] = "multiprocessor"
    steps: list[ProcessStep] = Field(min_length=1, max_length=8)
    use_transport: bool = False
    use_operator: bool = False


class Combiner(_Machine):
    """Takes one container from input port 1 and ``component_quantity`` items from each other port."""

    kind: Literal["combiner"] = "combiner"
    mode: Literal["pack", "join", "batch"]
    component_quantity: Quantity


class Separator(_Machine):
    """Splits an item into ``split_quantity`` copies, or unpacks that many from a container."""

    kind: Literal["separator"] = "separator"
    mode: Literal["split", "unpack"]
    split_quantity: Quantity


class Conveyor(_Object):
    """A straight conveyor of ``length`` metres moving at ``speed`` m/s."""

    kind: Literal["conveyor"] = "conveyor"
    length: Length
    speed: Speed


class Sink(_Object):
    """Absorbs finished items."""

    kind: Literal["sink"] = "sink"


class Dispatcher(_Object):
    """Passes transport and operator requests to its team of task executers."""

    kind: Literal["dispatcher"] = "dispatcher"


class _TaskExecuter(_Object):
    speed: Speed
    capacity: Carry = 1


class Operator(_TaskExecuter):
    """A person who carries items or operates machines."""

    kind: Literal["operator"] = "operator"


class TaskExecuter(_TaskExecuter):
    """A generic mobile resource."""

    kind: Literal["task_executer"] = "task_executer"


class Transporter(_TaskExecuter):
    """A forklift; can carry several items."""

    kind: Literal["transporter"] = "transporter"


class Robot(_TaskExecuter):
    """A fixed robot arm that loads, unloads or tends stations within reach."""

    kind: Literal["robot"] = "robot"


class Agv(_TaskExecuter):
    """An automated guided vehicle (a task executer that travels as an AGV)."""

    kind: Literal["agv"] = "agv"


FactoryObject = Annotated[
    Source | Queue | Processor | MultiProcessor | Combiner | Separator | Conveyor | Sink | Dispatcher | Operator | TaskExecuter | Transporter | Robot | Agv,
    Field(discriminator="kind"),
]

FLOW_KINDS = frozenset({"source", "queue", "processor", "multiprocessor", "combiner", "separator", "conveyor", "sink"})
MACHINE_KINDS = frozenset({"processor", "multiprocessor", "combiner", "separator"})
TASK_EXECUTER_KINDS = frozenset({"operator", "task_executer", "transporter", "robot", "agv"})
RESOURCE_KINDS = TASK_EXECUTER_KINDS | {"dispatcher"}
ALL_KINDS = FLOW_KINDS | RESOURCE_KINDS
