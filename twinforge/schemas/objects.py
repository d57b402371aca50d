"""The objects of a factory model: a discriminated union on ``kind``.

Flow objects carry items (source, queue, the four machines, conveyor, sink); resources move items
or operate machines (dispatcher and the task executers). Parameter names follow DESIGN.md.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from twinforge.schemas.distribution import (
    ArrivalDistribution,
    Constant,
    FiniteFloat,
    PositiveFloat,
    ServiceDistribution,
)

Position = tuple[FiniteFloat, FiniteFloat, FiniteFloat]
"""(x, y, z) in metres; x and y are the floor, z is up."""

PositiveInt = Annotated[int, Field(ge=1)]
FORBIDDEN_NAME_CHARACTERS = set('"\\\n\r\t')


class _Object(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=80)
    position: Position

    @field_validator("name")
    @classmethod
    def _plain_name(cls, name: str) -> str:
        bad = FORBIDDEN_NAME_CHARACTERS.intersection(name)
        if bad or name != name.strip():
            raise ValueError(
                f"name {name!r} must not contain quotes, backslashes, tabs or newlines, "
                "nor start or end with spaces"
            )
        return name


class Source(_Object):
    """Creates items with the given inter-arrival time."""

    kind: Literal["source"] = "source"
    inter_arrival: ArrivalDistribution
    item_class: str = "Box"
    use_transport: bool = False


class Queue(_Object):
    """Buffers up to ``max_content`` items."""

    kind: Literal["queue"] = "queue"
    max_content: PositiveInt
    use_transport: bool = False


class _Machine(_Object):
    process_time: ServiceDistribution
    setup_time: ServiceDistribution = Constant(value=0)
    use_transport: bool = False
    use_operator: bool = False


class Processor(_Machine):
    """Setup then process, up to ``max_content`` items at once."""

    kind: Literal["processor"] = "processor"
    max_content: PositiveInt = 1


class ProcessStep(BaseModel):
    """One named step of a multiprocessor."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=80)
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
    component_quantity: PositiveInt


class Separator(_Machine):
    """Splits an item into ``split_quantity`` copies, or unpacks that many from a container."""

    kind: Literal["separator"] = "separator"
    mode: Literal["split", "unpack"]
    split_quantity: PositiveInt


class Conveyor(_Object):
    """A straight conveyor of ``length`` metres moving at ``speed`` m/s."""

    kind: Literal["conveyor"] = "conveyor"
    length: PositiveFloat
    speed: PositiveFloat


class Sink(_Object):
    """Absorbs finished items."""

    kind: Literal["sink"] = "sink"


class Dispatcher(_Object):
    """Passes transport and operator requests to its team of task executers."""

    kind: Literal["dispatcher"] = "dispatcher"


class _TaskExecuter(_Object):
    speed: PositiveFloat
    capacity: PositiveInt = 1


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
