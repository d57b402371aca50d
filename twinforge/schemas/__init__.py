"""Pydantic models: the factory spec and its parts. This package imports nothing else of twinforge."""

from twinforge.schemas.distribution import (
    ArrivalDistribution,
    Constant,
    Distribution,
    DISTRIBUTION_MODELS,
    Exponential,
    Gamma,
    Lognormal,
    Normal,
    Poisson,
    ServiceDistribution,
    Triangular,
    Uniform,
    Weibull,
)
from twinforge.schemas.enums import ARRIVAL_FAMILIES, SERVICE_FAMILIES, Automation, Family, Industry, Layout, LineType
from twinforge.schemas.numbers import format_number, normalise_number
from twinforge.schemas.objects import (
    ALL_KINDS,
    FLOW_KINDS,
    MACHINE_KINDS,
    RESOURCE_KINDS,
    TASK_EXECUTER_KINDS,
    Agv,
    Combiner,
    Conveyor,
    Dispatcher,
    FactoryObject,
    MultiProcessor,
    Operator,
    ProcessStep,
    Processor,
    Queue,
    Robot,
    Separator,
    Sink,
    Source,
    TaskExecuter,
    Transporter,
)
from twinforge.schemas.spec import (
    REQUIRED_RESOURCES,
    Connection,
    FactorySpec,
    SpecError,
    canonical_data,
    canonical_json,
    describe_validation_error,
    load_spec,
    spec_hash,
)

__all__ = [name for name in dir() if not name.startswith("_")]
