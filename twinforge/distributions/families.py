"""What each of the nine families does: sample (numpy), mean, variance, FlexSim call, prose.

The parameters live in the schema models (``twinforge.schemas.distribution``); this module gives
them behaviour. FlexSim argument orders follow ``reference/flexscript.md`` section 4: location
first for exponential, lognormal, weibull and gamma (always 0 here), mode last for triangular,
scale before shape for weibull and gamma. The optional trailing stream argument is never part
of the tuples handled here; callers that read FlexScript strip it (see ``FLEXSIM_PARAMETERS``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import partial

import numpy as np
from pydantic import ValidationError

from twinforge.schemas.distribution import (
    Constant,
    Distribution,
    Exponential,
    Gamma,
    Lognormal,
    Normal,
    Poisson,
    Triangular,
    Uniform,
    Weibull,
)
from twinforge.schemas.numbers import format_number, normalise_number

FLEXSIM_PARAMETERS: dict[str, tuple[str, ...]] = {
    "exponential": ("location", "scale"),
    "normal": ("mean", "stddev"),
    "triangular": ("min", "max", "mode"),
    "uniform": ("min", "max"),
    "lognormal": ("location", "normalmean", "normalstdev"),
    "lognormal2": ("location", "scale", "shape"),
    "weibull": ("location", "scale", "shape"),
    "gamma": ("location", "scale", "shape"),
    "poisson": ("mean",),
}
"""FlexSim distribution command -> its parameter names in FlexSim order, without ``stream``."""


def sample(dist: Distribution, rng: np.random.Generator, size: int | None = None) -> float | np.ndarray:
    """Draw from ``dist`` with ``rng``: one float, or an array of ``size`` floats.

    Nothing is clamped (a normal can go below zero): simulators decide how to clamp.
    Poisson draws are whole numbers (returned as floats so every family has one type).
    """
    if dist.family == "constant":
        return float(dist.value) if size is None else np.full(size, dist.value, dtype=float)
    method, arguments, scale = _numpy_call(dist)
    draw = getattr(rng, method)(*arguments, size)
    if scale is not None:
        draw = scale * draw
    return float(draw) if size is None else np.asarray(draw, dtype=float)


def sampler(dist: Distribution, rng: np.random.Generator) -> Callable[[], float]:
    """``lambda: sample(dist, rng)`` with the family looked up once: the same draws, in the same order.

    For hot loops such as the simulation, where the per-draw dispatch of ``sample`` showed up.
    """
    if dist.family == "constant":
        value = float(dist.value)
        return lambda: value
    method, arguments, scale = _numpy_call(dist)
    draw = partial(getattr(rng, method), *arguments)
    if scale is not None:
        return lambda: float(scale * draw())
    return lambda: float(draw())


def _numpy_call(dist: Distribution) -> tuple[str, tuple[float, ...], float | None]:
    """The ``numpy.random.Generator`` method that draws from ``dist``, its arguments, and a scale
    to multiply the draw by (numpy's Weibull has scale 1), for every family but the constant."""
    match dist:
        case Exponential(mean=m):
            return "exponential", (m,), None
        case Normal(mean=m, std=std):
            return "normal", (m, std), None
        case Triangular(min=a, mode=c, max=b):
            return "triangular", (a, c, b), None
        case Uniform(min=a, max=b):
            return "uniform", (a, b), None
        case Lognormal(mu=mu, sigma=sigma):
            return "lognormal", (mu, sigma), None
        case Weibull(shape=k, scale=lam):
            return "weibull", (k,), lam
        case Gamma(shape=alpha, scale=theta):
            return "gamma", (alpha, theta), None
        case Poisson(mean=m):
            return "poisson", (m,), None
    raise TypeError(f"not a distribution: {dist!r}")


def _overflowing_to_inf(value: Callable[[], float]) -> float:
    """A moment that is infinite where its formula overflows (a hostile lognormal in a spec or a
    predicted program must not crash the check)."""
    try:
        return value()
    except OverflowError:
        return math.inf


def mean(dist: Distribution) -> float:
    """The expected value (for a normal, of the unclamped distribution)."""
    match dist:
        case Constant(value=value):
            return float(value)
        case Exponential(mean=m) | Poisson(mean=m) | Normal(mean=m):
            return float(m)
        case Triangular():
            return (dist.min + dist.mode + dist.max) / 3
        case Uniform():
            return (dist.min + dist.max) / 2
        case Lognormal(mu=mu, sigma=sigma):
            return _overflowing_to_inf(lambda: math.exp(mu + sigma**2 / 2))
        case Weibull(shape=k, scale=lam):
            return lam * math.gamma(1 + 1 / k)
        case Gamma(shape=alpha, scale=theta):
            return alpha * theta
    raise TypeError(f"not a distribution: {dist!r}")


def variance(dist: Distribution) -> float:
    """The variance (for a normal, of the unclamped distribution)."""
    match dist:
        case Constant():
            return 0.0
        case Exponential(mean=m):
            return float(m) ** 2
        case Poisson(mean=m):
            return float(m)
        case Normal(std=std):
            return float(std) ** 2
        case Triangular(min=a, mode=c, max=b):
            return (a * a + b * b + c * c - a * b - a * c - b * c) / 18
        case Uniform(min=a, max=b):
            return (b - a) ** 2 / 12
        case Lognormal(mu=mu, sigma=sigma):
            return _overflowing_to_inf(lambda: math.expm1(sigma**2) * math.exp(2 * mu + sigma**2))
        case Weibull(shape=k, scale=lam):
            return lam**2 * (math.gamma(1 + 2 / k) - math.gamma(1 + 1 / k) ** 2)
        case Gamma(shape=alpha, scale=theta):
            return alpha * theta**2
    raise TypeError(f"not a distribution: {dist!r}")


def flexsim_call(dist: Distribution) -> tuple[str, tuple[float, ...]] | None:
    """FlexSim command and arguments in FlexSim order (no stream); ``None`` for a constant.

    Lognormal is written ``lognormal2(0, exp(mu), sigma)``: FlexSim's help marks ``lognormal``
    deprecated and gives this conversion. The scale is rounded to 9 significant digits when it is
    written (``format_number``); ``from_flexsim_call`` reads it back to ``mu`` exactly
    (``lognormal_mu``). Raises ``ValueError`` when exp(mu) is not a number FlexScript can be given.
    """
    match dist:
        case Constant():
            return None
        case Exponential():
            return "exponential", (0.0, dist.mean)
        case Normal():
            return "normal", (dist.mean, dist.std)
        case Triangular():
            return "triangular", (dist.min, dist.max, dist.mode)
        case Uniform():
            return "uniform", (dist.min, dist.max)
        case Lognormal():
            return "lognormal2", (0.0, lognormal_scale(dist.mu), dist.sigma)
        case Weibull():
            return "weibull", (0.0, dist.scale, dist.shape)
        case Gamma():
            return "gamma", (0.0, dist.scale, dist.shape)
        case Poisson():
            return "poisson", (dist.mean,)
    raise TypeError(f"not a distribution: {dist!r}")


LOGNORMAL_MU_RANGE = (-6.9, 700.0)
"""The ``mu`` a lognormal2 scale is written for: exp(mu) from 0.001 (below, the 9 decimals of
``format_number`` keep too few digits to give ``mu`` back) up to what a double holds."""


def lognormal_scale(mu: float) -> float:
    """``lognormal2``'s scale for the underlying normal's ``mu``: exp(mu), rounded as it is written."""
    low, high = LOGNORMAL_MU_RANGE
    if not low <= mu <= high:
        raise ValueError(f"lognormal: mu = {format_number(mu)} gives a lognormal2 scale exp(mu) outside "
                         f"what FlexScript is written with here (mu must lie in [{low:g}, {high:g}])")
    return float(normalise_number(math.exp(mu)))


def lognormal_mu(scale: float) -> float:
    """The ``mu`` a ``lognormal2`` scale stands for: ln(scale), written with the fewest decimals
    whose exp is written as ``scale`` again, so ``lognormal_mu(lognormal_scale(mu)) == mu`` for
    every mu in ``LOGNORMAL_MU_RANGE`` with up to 5 decimals (7 for mu above -6.4; the sampler
    writes 2). A scale no such mu gives (one written by hand, like HELP's 29.8) reads as ln(scale)
    to 9 significant digits, like every number (exp of it is the scale to within 1e-8)."""
    exact = math.log(scale)
    written = format_number(scale)
    for digits in range(12):
        mu = float(normalise_number(round(exact, digits)))
        if abs(mu) < 710 and format_number(math.exp(mu)) == written:
            return mu
    return float(normalise_number(exact))


def from_flexsim_call(name: str, args: Sequence[float]) -> Distribution:
    """The distribution a FlexSim call describes; the inverse of ``flexsim_call``.

    ``name`` is a command of ``FLEXSIM_PARAMETERS`` (arguments without the stream), or
    ``"constant"`` with one argument, or a plain number written as text with no arguments.
    Raises ``ValueError`` naming the command and the parameter on unknown names, wrong arity,
    a non-zero location (twinforge's families have none) or values outside the family's domain.
    """
    values = tuple(_finite(name, index, arg) for index, arg in enumerate(args))
    if name == "constant" or _is_number(name):
        return _constant(name, values)
    if name not in FLEXSIM_PARAMETERS:
        known = ", ".join(sorted(FLEXSIM_PARAMETERS))
        raise ValueError(f"unknown distribution '{name}': expected a number or one of {known}")
    params = FLEXSIM_PARAMETERS[name]
    if len(values) != len(params):
        raise ValueError(
            f"{name}({', '.join(params)}) takes {len(params)} argument(s) without the stream; got {len(values)}"
        )
    named = dict(zip(params, values))
    if named.get("location", 0.0) != 0.0:
        raise ValueError(f"{name}: location must be 0 (twinforge has no shifted families); got {format_number(named['location'])}")
    builder, renames = _BUILDERS[name]
    for param, value in named.items():
        _check_domain(name, param, value)
    try:
        return builder(**{renames[p]: v for p, v in named.items() if p in renames})
    except ValidationError as error:
        reason = error.errors()[0]["msg"].removeprefix("Value error, ")
        raise ValueError(f"{name}({', '.join(format_number(v) for v in values)}): {reason}") from None


_BUILDERS: dict[str, tuple[Callable[..., Distribution], dict[str, str]]] = {
    "exponential": (Exponential, {"scale": "mean"}),
    "normal": (Normal, {"mean": "mean", "stddev": "std"}),
    "triangular": (Triangular, {"min": "min", "max": "max", "mode": "mode"}),
    "uniform": (Uniform, {"min": "min", "max": "max"}),
    "lognormal": (Lognormal, {"normalmean": "mu", "normalstdev": "sigma"}),
    "lognormal2": (lambda scale, sigma: Lognormal(mu=lognormal_mu(scale), sigma=sigma), {"scale": "scale", "shape": "sigma"}),
    "weibull": (Weibull, {"scale": "scale", "shape": "shape"}),
    "gamma": (Gamma, {"scale": "scale", "shape": "shape"}),
    "poisson": (Poisson, {"mean": "mean"}),
}

_POSITIVE = {
    ("exponential", "scale"), ("normal", "mean"), ("normal", "stddev"), ("lognormal", "normalstdev"),
    ("lognormal2", "scale"), ("lognormal2", "shape"), ("weibull", "scale"), ("weibull", "shape"),
    ("gamma", "scale"), ("gamma", "shape"), ("poisson", "mean"),
}
_NON_NEGATIVE = {("triangular", "min"), ("triangular", "max"), ("triangular", "mode"),
                 ("uniform", "min"), ("uniform", "max")}


def _check_domain(name: str, param: str, value: float) -> None:
    if (name, param) in _POSITIVE and not value > 0:
        raise ValueError(f"{name}: {param} must be > 0; got {format_number(value)}")
    if (name, param) in _NON_NEGATIVE and not value >= 0:
        raise ValueError(f"{name}: {param} must be >= 0 (times are not negative); got {format_number(value)}")


def _constant(name: str, values: tuple[float, ...]) -> Constant:
    if name != "constant":
        if values:
            raise ValueError(f"a plain number ({name}) takes no arguments; got {len(values)}")
        values = (float(name),)
    if len(values) != 1:
        raise ValueError(f"constant(value) takes 1 argument; got {len(values)}")
    if not values[0] >= 0:
        raise ValueError(f"constant: value must be >= 0 (times are not negative); got {format_number(values[0])}")
    return Constant(value=values[0])


def _finite(name: str, index: int, arg: float) -> float:
    try:
        value = float(arg)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: argument {index + 1} ({arg!r}) is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{name}: argument {index + 1} must be finite; got {arg!r}")
    return value


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except (TypeError, ValueError):
        return False


def describe(dist: Distribution, unit: str = "s") -> str:
    """Plain prose: ``exponentially distributed with a mean of 10 s``."""
    def t(value: float) -> str:
        return f"{format_number(value)} {unit}".rstrip()

    match dist:
        case Constant():
            return f"constant at {t(dist.value)}"
        case Exponential():
            return f"exponentially distributed with a mean of {t(dist.mean)}"
        case Normal():
            return f"normally distributed with a mean of {t(dist.mean)} and a standard deviation of {t(dist.std)}"
        case Triangular():
            return (f"triangular between {t(dist.min)} and {t(dist.max)} "
                    f"with a most likely value of {t(dist.mode)}")
        case Uniform():
            return f"uniformly distributed between {t(dist.min)} and {t(dist.max)}"
        case Lognormal():
            return (f"lognormally distributed whose logarithm has a mean of {format_number(dist.mu)} "
                    f"and a standard deviation of {format_number(dist.sigma)}")
        case Weibull():
            return f"Weibull distributed with a shape of {format_number(dist.shape)} and a scale of {t(dist.scale)}"
        case Gamma():
            return f"gamma distributed with a shape of {format_number(dist.shape)} and a scale of {t(dist.scale)}"
        case Poisson():
            return f"Poisson distributed with a mean of {t(dist.mean)}"
    raise TypeError(f"not a distribution: {dist!r}")
