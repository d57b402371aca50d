"""The factory sampler's shared parts: recipe options, the machine and station records, and small
seeded draws (a pick, a weighted pick, a log-uniform value) used by ``sampler`` and ``assembly``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from twinforge.families.factory.routes import RouteStage
from twinforge.families.factory.vocabulary import (
    QUEUE_NAMES,
    RESOURCE_NAMES,
    SINK_NAMES,
)
from twinforge.schemas import (
    ARRIVAL_FAMILIES,
    SERVICE_FAMILIES,
    Automation,
)

BUFFER_BETWEEN_MACHINES = 0.4
SETUP_PROBABILITY = 0.4
MAX_TEAM = 6
UTILISATION = (0.6, 0.9)
"""Target utilisation of the bottleneck machine: it runs busy but stable (the arrival rate follows)."""
RESOURCE_UTILISATION = (0.75, 0.95)
"""Target utilisation of a team of operators or task executers, and of a robot."""
OPERATED_SHARE = {Automation.MANUAL: 0.85, Automation.OPERATOR: 0.7}
"""Share of machines that need an operator, per automation level (at least one does)."""
CONVEYOR_CLEARANCE = 3.0
"""A conveyor starts this far past the object that feeds it (further where conveyors fan out of one
source and would start within 2 m of each other) and ends this far before the object it feeds."""
HANDLING_TIME = 1.0
"""Seconds a transport leg costs on top of travel, in the load check (FlexSim's load/unload default is 0)."""
TRANSPORT_AUTOMATIONS = frozenset({Automation.MANUAL, Automation.ROBOT, Automation.AGV, Automation.TASK_EXECUTER})
OPERATING_AUTOMATIONS = frozenset({Automation.MANUAL, Automation.OPERATOR})
ALWAYS_NUMBERED = frozenset({*QUEUE_NAMES, *SINK_NAMES, *RESOURCE_NAMES.values(), "Conveyor", "Source"})


@dataclass(frozen=True)
class SamplerOptions:
    """What a recipe may change: family weights per role and the machines-per-line range.

    Machines per line = ``machines_min + Binomial(machines_max - machines_min, 1/2)``; the default
    1..5 gives probabilities 1/16, 4/16, 6/16, 4/16, 1/16 and a mean of 3 (the paper's average).
    """

    arrival_weights: tuple[float, ...] = (1.0,) * len(ARRIVAL_FAMILIES)
    """In ``ARRIVAL_FAMILIES`` order."""
    service_weights: tuple[float, ...] = (1.0,) * len(SERVICE_FAMILIES)
    """In ``SERVICE_FAMILIES`` order (process times, multiprocessor steps and setup times)."""
    machines_min: int = 1
    machines_max: int = 5
    max_lines: int = 3
    """Parallel lines at most (2 or 3 are drawn); a redraw for the token budget may lower it to 2."""

    def __post_init__(self) -> None:
        for label, weights, size in (("arrival", self.arrival_weights, len(ARRIVAL_FAMILIES)),
                                     ("service", self.service_weights, len(SERVICE_FAMILIES))):
            if len(weights) != size or min(weights) < 0 or not sum(weights) > 0:
                raise ValueError(f"{label}_weights: need {size} non-negative weights with a positive sum")
        if not 1 <= self.machines_min <= self.machines_max:
            raise ValueError(f"machines: need 1 <= min <= max; got {self.machines_min}..{self.machines_max}")


def options_from_settings(settings: Any) -> SamplerOptions:
    """The sampler options a recipe's factory settings ask for (their ``families`` and ``machines``)."""
    return SamplerOptions(
        arrival_weights=tuple(settings.families.arrival[f.value] for f in ARRIVAL_FAMILIES),
        service_weights=tuple(settings.families.service[f.value] for f in SERVICE_FAMILIES),
        machines_min=settings.machines.min, machines_max=settings.machines.max,
    )


DEFAULT_OPTIONS = SamplerOptions()


@dataclass
class Machine:
    kind: str
    base: str
    params: dict
    stage: RouteStage
    service: float = 0.0
    work: float = 1.0
    """Cycles per line-input item."""
    out: float = 1.0
    """Items leaving per line-input item."""


@dataclass
class Station:
    kind: str  # "queue" or a machine kind
    base: str
    params: dict = field(default_factory=dict)
    machine: Machine | None = None
    rate_out: float = 1.0


def draw_length(rng: np.random.Generator, span: tuple[float, float]) -> float:
    return float(rng.integers(int(span[0]), int(span[1]) + 1))


def log_uniform(rng: np.random.Generator, span: tuple[float, float]) -> float:
    return float(math.exp(rng.uniform(math.log(span[0]), math.log(span[1]))))


def pick(rng: np.random.Generator, options: tuple | list):
    return options[int(rng.integers(len(options)))]


def weighted(rng: np.random.Generator, options: tuple, weights: tuple[float, ...]):
    point, cumulative = rng.random() * sum(weights), 0.0
    for option, weight in zip(options, weights):
        cumulative += weight
        if point < cumulative:
            return option
    return next(o for o, w in zip(reversed(options), reversed(weights)) if w > 0)

