"""Build a distribution of a given family, mean and spread, with parameters an engineer would write.

Engineers write ``10``, ``12``, ``2.5``, ``0.75``, not ``11.73``: every parameter is rounded to two
significant digits, and from a leading 2.5 up to a multiple of 5 in the second digit. The mean
of the result is therefore close to, not exactly, the requested mean: within 10 % for a cv up to
0.45 (the sampler's largest). One rounding moves a number by at most 1/11 of it; the bounds of a
triangular or a uniform are snapped to a step of at most half their spread, and the parameter left
free (a triangular's mode, or its maximum when the mode is at the minimum; a uniform's maximum)
is chosen to keep the mean, which then moves by at most a sixth (triangular) or a quarter
(uniform) of that step.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np

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
from twinforge.schemas.enums import Family
from twinforge.schemas.numbers import normalise_number

Direction = Literal["nearest", "up", "down"]

_WEIBULL_SHAPES = (1.2, 1.5, 2, 2.5, 3, 3.5, 4, 5, 6, 8, 10)
NORMAL_MAX_CV = 0.3
"""A normal's std stays below 0.3 x mean so that draws below zero (which simulators clamp) stay rare."""


def nice(value: float, direction: Direction = "nearest") -> float:
    """``value`` rounded as an engineer writes it (2 significant digits, halves from 25 up)."""
    if value <= 0:
        return 0.0 if value == 0 else -nice(-value, _flip(direction))
    exponent = math.floor(math.log10(value)) - 1
    unit = 10.0**exponent
    mantissa = value / unit
    step = 5 if mantissa >= 25 else 1
    rounder = {"nearest": round, "up": math.ceil, "down": math.floor}[direction]
    steps = rounder(mantissa / step - (1e-9 if direction == "up" else -1e-9 if direction == "down" else 0))
    return float(normalise_number(max(steps, 1) * step * unit))


def _flip(direction: Direction) -> Direction:
    return {"nearest": "nearest", "up": "down", "down": "up"}[direction]


def nice_int(value: float, minimum: int = 1) -> int:
    """A whole count rounded as an engineer writes it (5, 10, 15, 20, 25, 30, 40, 50 ...)."""
    rounded = int(nice(max(value, minimum)))
    if rounded >= 10:
        rounded = int(5 * round(rounded / 5))
    return max(rounded, minimum)


def with_mean(family: Family | str, mean: float, cv: float, rng: np.random.Generator) -> Distribution:
    """A ``family`` distribution whose mean is about ``mean`` seconds.

    ``cv`` (std / mean) sets the spread of the families that have a free one (normal, triangular,
    uniform, lognormal, weibull, gamma); exponential (cv 1), poisson and constant ignore it.
    ``rng`` only picks the skew of a triangular.
    """
    family = Family(family)
    m = nice(mean)
    cv = min(max(cv, 0.02), 0.55)
    if family is Family.CONSTANT:
        return Constant(value=m)
    if family is Family.EXPONENTIAL:
        return Exponential(mean=m)
    if family is Family.POISSON:
        return Poisson(mean=max(1, round(m)))
    if family is Family.NORMAL:
        return Normal(mean=m, std=max(nice(m * min(cv, NORMAL_MAX_CV)), _resolution(m)))
    if family is Family.UNIFORM:
        return _uniform(mean, cv)
    if family is Family.TRIANGULAR:
        return _triangular(mean, cv, rng)
    if family is Family.LOGNORMAL:
        sigma = max(nice(math.sqrt(math.log1p(cv * cv))), 0.02)
        return Lognormal(mu=round(math.log(mean) - sigma * sigma / 2, 2), sigma=sigma)
    if family is Family.WEIBULL:
        shape = min(_WEIBULL_SHAPES, key=lambda k: abs(_weibull_cv(k) - cv))
        return Weibull(shape=shape, scale=nice(mean / math.gamma(1 + 1 / shape)))
    if family is Family.GAMMA:
        shape = nice(min(max(1 / (cv * cv), 1), 50))
        return Gamma(shape=shape, scale=nice(mean / shape))
    raise ValueError(f"unknown family {family!r}")


def _resolution(value: float) -> float:
    """The smallest step ``nice`` keeps at the size of ``value`` (one unit of its second digit)."""
    return 10.0 ** (math.floor(math.log10(value)) - 1) if value > 0 else 0.1


def _bound_step(half_width: float) -> float:
    """Resolution for the bounds of a spread of ``half_width``: 1, 2 or 5 times a power of ten."""
    step = 10.0 ** math.floor(math.log10(half_width))
    return step / 2 if half_width / step < 3 else step


def _snap(value: float, step: float) -> float:
    return float(normalise_number(round(value / step) * step))


def _uniform(mean: float, cv: float) -> Uniform:
    """Bounds on a step of the half-width; the maximum is the one that centres the range on ``mean``."""
    half = mean * min(cv * math.sqrt(3), 0.9)
    step = _bound_step(half)
    low = _snap(mean - half, step)
    high = _snap(2 * mean - low, step)
    return Uniform(min=low, max=high)


def _triangular(mean: float, cv: float, rng: np.random.Generator) -> Triangular:
    """Bounds around ``mean`` with a drawn skew; the mode is what keeps the mean ``(min + mode + max) / 3``.

    The most skewed draw (0.6) asks for a mode below the minimum: the mode is then the minimum and
    the maximum ``3 * mean - 2 * min`` takes what keeps the mean (before sampler 2, the clamped mode
    raised the mean by up to a fifth: 152 s at cv 0.34 gave 183 s).
    """
    width = mean * min(cv * math.sqrt(6), 0.9)
    skew = float(rng.choice((0.6, 0.8, 1.0)))
    step = _bound_step(width)
    low = _snap(mean - width * skew, step)
    high = _snap(mean + width * (2 - skew), step)
    mode = _snap(3 * mean - low - high, step)
    if mode < low:
        mode = low
        high = _snap(3 * mean - low - mode, step)
    return Triangular(min=low, mode=mode, max=high)


def _weibull_cv(shape: float) -> float:
    g1, g2 = math.gamma(1 + 1 / shape), math.gamma(1 + 2 / shape)
    return math.sqrt(g2 / (g1 * g1) - 1)
