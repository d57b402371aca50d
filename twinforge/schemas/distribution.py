"""Distribution parameters as data: one pydantic model per family, discriminated on ``family``.

Only the parameters and their domains live here; sampling, moments, FlexScript and prose forms
are in ``twinforge.distributions``. All values are times in seconds, so every family is
restricted to a non-negative support where the family allows it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

PositiveFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegativeFloat = Annotated[float, Field(ge=0, allow_inf_nan=False)]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]


class _Distribution(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Constant(_Distribution):
    """Always ``value`` seconds."""

    family: Literal["constant"] = "constant"
    value: NonNegativeFloat


class Exponential(_Distribution):
    """Memoryless; ``mean`` is the scale (1/lambda)."""

    family: Literal["exponential"] = "exponential"
    mean: PositiveFloat


class Normal(_Distribution):
    """Symmetric variation around ``mean`` (simulators clamp draws below zero)."""

    family: Literal["normal"] = "normal"
    mean: PositiveFloat
    std: PositiveFloat


class Triangular(_Distribution):
    """Bounded with a most likely value; ``min <= mode <= max`` and ``min < max``."""

    family: Literal["triangular"] = "triangular"
    min: NonNegativeFloat
    mode: NonNegativeFloat
    max: NonNegativeFloat

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.min < self.max:
            raise ValueError(f"triangular needs min < max (min={self.min}, max={self.max})")
        if not self.min <= self.mode <= self.max:
            raise ValueError(
                f"triangular mode={self.mode} must lie in [min, max] = [{self.min}, {self.max}]"
            )
        return self


class Uniform(_Distribution):
    """Bounded with no mode; ``min < max``."""

    family: Literal["uniform"] = "uniform"
    min: NonNegativeFloat
    max: NonNegativeFloat

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if not self.min < self.max:
            raise ValueError(f"uniform needs min < max (min={self.min}, max={self.max})")
        return self


class Lognormal(_Distribution):
    """Skewed; ``mu`` and ``sigma`` are the mean and standard deviation of the underlying normal."""

    family: Literal["lognormal"] = "lognormal"
    mu: FiniteFloat
    sigma: PositiveFloat


class Weibull(_Distribution):
    """Wear and reliability; ``shape`` k and ``scale`` lambda."""

    family: Literal["weibull"] = "weibull"
    shape: PositiveFloat
    scale: PositiveFloat


class Gamma(_Distribution):
    """Multi-stage work; ``shape`` alpha and ``scale`` theta (mean = shape * scale)."""

    family: Literal["gamma"] = "gamma"
    shape: PositiveFloat
    scale: PositiveFloat


class Poisson(_Distribution):
    """Count-based service; whole seconds with the given ``mean``."""

    family: Literal["poisson"] = "poisson"
    mean: PositiveFloat


ArrivalDistribution = Annotated[
    Constant | Exponential | Normal | Triangular | Uniform,
    Field(discriminator="family"),
]
"""A source's inter-arrival time: the five families of the paper's Table 1."""

ServiceDistribution = Annotated[
    Constant | Exponential | Normal | Triangular | Uniform | Lognormal | Weibull | Gamma | Poisson,
    Field(discriminator="family"),
]
"""A machine's process or setup time: the nine families of the paper's Table 2."""

Distribution = Constant | Exponential | Normal | Triangular | Uniform | Lognormal | Weibull | Gamma | Poisson

DISTRIBUTION_MODELS: dict[str, type[_Distribution]] = {
    model.model_fields["family"].default: model
    for model in (Constant, Exponential, Normal, Triangular, Uniform, Lognormal, Weibull, Gamma, Poisson)
}
"""Family name -> model class."""
