"""The five layers of a GDT-120K factory model and the distribution families, as string enums."""

from __future__ import annotations

from enum import StrEnum


class LineType(StrEnum):
    """Production-line process: stations joined directly, or by conveyors."""

    WORKSTATION = "workstation"
    CONVEYOR = "conveyor"


class Automation(StrEnum):
    """Level of automation: which resources move items or operate machines."""

    MANUAL = "manual"
    OPERATOR = "operator"
    ROBOT = "robot"
    AGV = "agv"
    TASK_EXECUTER = "task_executer"


class Industry(StrEnum):
    """The 13 industries (the first four are named in the GDT paper)."""

    SEMICONDUCTOR = "semiconductor"
    ELECTRONICS = "electronics"
    PHOTOMASK = "photomask"
    FOOD_PROCESSING = "food_processing"
    AUTOMOTIVE = "automotive"
    PHARMACEUTICAL = "pharmaceutical"
    METAL_FABRICATION = "metal_fabrication"
    PLASTICS = "plastics"
    TEXTILE = "textile"
    PRINTING_PACKAGING = "printing_packaging"
    AEROSPACE = "aerospace"
    LOGISTICS = "logistics"
    BATTERY = "battery"


class Layout(StrEnum):
    """Layout configuration of the stations on the floor."""

    LINEAR = "linear"
    U_SHAPED = "u_shaped"
    PARALLEL = "parallel"
    CONVEYOR = "conveyor"


class Family(StrEnum):
    """The nine distribution families (GDT paper, Tables 1 and 2)."""

    CONSTANT = "constant"
    EXPONENTIAL = "exponential"
    NORMAL = "normal"
    TRIANGULAR = "triangular"
    UNIFORM = "uniform"
    LOGNORMAL = "lognormal"
    WEIBULL = "weibull"
    GAMMA = "gamma"
    POISSON = "poisson"


ARRIVAL_FAMILIES: tuple[Family, ...] = (
    Family.CONSTANT,
    Family.EXPONENTIAL,
    Family.NORMAL,
    Family.TRIANGULAR,
    Family.UNIFORM,
)
"""Families a source's inter-arrival time may take (paper Table 1)."""

SERVICE_FAMILIES: tuple[Family, ...] = tuple(Family)
"""Families a machine's process or setup time may take (paper Table 2)."""
