"""Statistical fitting: which family, with which parameters, best describes observed times.

This is the GDT paper's "statistical fitting" step, offered to users as ``twinforge fit``. Each
candidate family is fitted by maximum likelihood with the location fixed at 0 (twinforge's
families are unshifted), scored by AIC = 2k - 2 log L, and checked with the Kolmogorov-Smirnov
statistic. The lowest AIC wins; KS only breaks exact ties and is reported. Poisson is a
candidate only for whole-number data and constant only for data without spread; comparing a
probability mass (Poisson) with densities by AIC is the usual practical shortcut, not exact.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import optimize, stats

from twinforge.distributions.families import flexsim_call
from twinforge.errors import UserError
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
from twinforge.schemas.enums import ARRIVAL_FAMILIES, SERVICE_FAMILIES, Family

MIN_OBSERVATIONS = 5
REPORT_DIGITS = 6
"""Fitted parameters are reported to 6 significant digits."""


@dataclass(frozen=True)
class Candidate:
    """One family's maximum-likelihood fit."""

    family: Family
    distribution: Distribution
    log_likelihood: float
    aic: float
    ks_statistic: float
    ks_pvalue: float


@dataclass(frozen=True)
class FitResult:
    """The best fit and every candidate that could be fitted, best first."""

    family: Family
    distribution: Distribution
    aic: float
    ks_statistic: float
    candidates: tuple[Candidate, ...]
    count: int


def fit(observations: Iterable[float], families: Sequence[Family | str] = SERVICE_FAMILIES) -> FitResult:
    """Fit each of ``families`` to ``observations`` and rank them by AIC (lowest first).

    Raises ``ValueError`` if there are fewer than 5 finite observations or no family fits
    (e.g. negative values, which no time distribution here allows).
    """
    x = np.asarray(list(observations), dtype=float)
    if x.size < MIN_OBSERVATIONS or not np.all(np.isfinite(x)):
        raise ValueError(f"need at least {MIN_OBSERVATIONS} finite observations; got {x.size}")
    wanted = [Family(f) for f in families]
    if np.ptp(x) == 0:
        if Family.CONSTANT not in wanted or x[0] < 0:
            raise ValueError(f"all observations equal {x[0]:g}: only a constant fits, and it is not a candidate")
        best = Candidate(Family.CONSTANT, Constant(value=float(x[0])), math.inf, -math.inf, 0.0, 1.0)
        return FitResult(best.family, best.distribution, best.aic, 0.0, (best,), int(x.size))
    candidates = []
    for family in wanted:
        fitter = _FITTERS.get(family)
        dist = fitter(x) if fitter else None
        if dist is not None:
            candidates.append(_score(family, dist, x))
    if not candidates:
        raise ValueError("no candidate family fits these observations (are some negative?)")
    candidates.sort(key=lambda c: (c.aic, c.ks_statistic))
    best = candidates[0]
    return FitResult(best.family, best.distribution, best.aic, best.ks_statistic, tuple(candidates), int(x.size))


def frozen(dist: Distribution):
    """The scipy.stats frozen distribution equal to ``dist`` (constant has none)."""
    rv, kwargs = scipy_form(dist)
    return rv(**kwargs)


def scipy_form(dist: Distribution) -> tuple[stats.rv_continuous | stats.rv_discrete, dict[str, float]]:
    """``(scipy distribution, keyword parameters)`` equal to ``dist`` (unfrozen: freezing is slow)."""
    match dist:
        case Exponential():
            return stats.expon, {"scale": dist.mean}
        case Normal():
            return stats.norm, {"loc": dist.mean, "scale": dist.std}
        case Triangular():
            width = dist.max - dist.min
            return stats.triang, {"c": (dist.mode - dist.min) / width, "loc": dist.min, "scale": width}
        case Uniform():
            return stats.uniform, {"loc": dist.min, "scale": dist.max - dist.min}
        case Lognormal():
            return stats.lognorm, {"s": dist.sigma, "scale": math.exp(dist.mu)}
        case Weibull():
            return stats.weibull_min, {"c": dist.shape, "scale": dist.scale}
        case Gamma():
            return stats.gamma, {"a": dist.shape, "scale": dist.scale}
        case Poisson():
            return stats.poisson, {"mu": dist.mean}
    raise ValueError(f"{dist.family} has no scipy counterpart")


def _score(family: Family, dist: Distribution, x: np.ndarray) -> Candidate:
    rv, kwargs = scipy_form(dist)
    logpdf = rv.logpmf(x, **kwargs) if family is Family.POISSON else rv.logpdf(x, **kwargs)
    log_likelihood = float(np.sum(logpdf))
    parameters = len(type(dist).model_fields) - 1
    aic = 2 * parameters - 2 * log_likelihood if math.isfinite(log_likelihood) else math.inf
    statistic = _ks_statistic(rv.cdf(np.sort(x), **kwargs))
    pvalue = float(stats.kstwo.sf(statistic, x.size))
    return Candidate(family, dist, log_likelihood, aic, statistic, pvalue)


def _ks_statistic(cdf_sorted: np.ndarray) -> float:
    """Kolmogorov-Smirnov D from the model's CDF at the sorted observations (as ``scipy.stats.kstest``)."""
    n = cdf_sorted.size
    above = np.arange(1, n + 1) / n - cdf_sorted
    below = cdf_sorted - np.arange(n) / n
    return float(max(above.max(), below.max()))


def _exponential(x: np.ndarray) -> Distribution | None:
    return Exponential(mean=float(x.mean())) if x.min() >= 0 else None


def _normal(x: np.ndarray) -> Distribution | None:
    return Normal(mean=float(x.mean()), std=float(x.std())) if x.mean() > 0 else None


def _uniform(x: np.ndarray) -> Distribution | None:
    pad = np.ptp(x) / x.size
    low = max(float(x.min() - pad), 0.0)
    return Uniform(min=low, max=float(x.max() + pad)) if x.min() >= 0 else None


def _triangular(x: np.ndarray) -> Distribution | None:
    """Bounds just outside the sample range; the mode by profile likelihood over sample quantiles."""
    if x.min() < 0:
        return None
    pad = np.ptp(x) / x.size
    low, high = max(float(x.min() - pad), 0.0), float(x.max() + pad)
    modes = np.unique(np.concatenate(([low, high], np.quantile(x, np.linspace(0, 1, 101)))))
    left = x[None, :] < modes[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        density = np.where(left, (x - low) / (modes[:, None] - low), (high - x) / (high - modes[:, None]))
        log_likelihood = np.log(2 * density / (high - low)).sum(axis=1)
    best = modes[int(np.nanargmax(np.where(np.isnan(log_likelihood), -np.inf, log_likelihood)))]
    return Triangular(min=low, mode=float(best), max=high)


def _lognormal(x: np.ndarray) -> Distribution | None:
    if x.min() <= 0:
        return None
    logs = np.log(x)
    return Lognormal(mu=float(logs.mean()), sigma=float(logs.std()))


def _weibull(x: np.ndarray) -> Distribution | None:
    """Maximum likelihood with location 0: the shape solves the profile score equation (Brent)."""
    if x.min() <= 0:
        return None
    logs = np.log(x)
    scaled = logs - logs.max()  # x^k / max(x)^k keeps the sums finite for large k

    def score(k: float) -> float:
        weights = np.exp(k * scaled)
        return float(np.dot(weights, logs) / weights.sum() - 1 / k - logs.mean())

    high = 1.0
    while score(high) < 0 and high < 1e4:
        high *= 2
    shape = optimize.brentq(score, high / 2 if high > 1 else 1e-3, high, xtol=1e-10)
    scale = float(np.mean(x**shape) ** (1 / shape))
    return Weibull(shape=float(shape), scale=scale)


def _gamma(x: np.ndarray) -> Distribution | None:
    if x.min() <= 0:
        return None
    shape, _, scale = stats.gamma.fit(x, floc=0)
    return Gamma(shape=float(shape), scale=float(scale))


def _poisson(x: np.ndarray) -> Distribution | None:
    whole = x.min() >= 0 and np.all(x == np.round(x)) and x.mean() > 0
    return Poisson(mean=float(x.mean())) if whole else None


_FITTERS = {
    Family.EXPONENTIAL: _exponential, Family.NORMAL: _normal, Family.TRIANGULAR: _triangular,
    Family.UNIFORM: _uniform, Family.LOGNORMAL: _lognormal, Family.WEIBULL: _weibull,
    Family.GAMMA: _gamma, Family.POISSON: _poisson,
}


# ------------------------------------------------------------------ the `twinforge fit` command
def fit_file(path: str | Path, column: str | None = None, role: str = "service") -> dict:
    """Fit the observations in one CSV column; the report printed by ``twinforge fit``.

    The first row is a header unless every cell in it is a number. Without ``column`` the first
    column whose values are all numbers is used. Empty cells are skipped and counted.
    """
    if role not in ("arrival", "service"):
        raise UserError(f"--role must be arrival or service; got '{role}'")
    name, values, skipped = _read_column(Path(path), column)
    families = ARRIVAL_FAMILIES if role == "arrival" else SERVICE_FAMILIES
    try:
        result = fit(values, families)
    except ValueError as error:
        raise UserError(f"{path}: column '{name}': {error}") from None
    return {
        "file": str(path), "column": name, "role": role, "count": result.count, "skipped_empty": skipped,
        "family": result.family.value,
        "distribution": _rounded(result.distribution),
        "flexsim": _flexsim_text(result.distribution),
        "aic": _round(result.aic), "ks_statistic": _round(result.ks_statistic),
        "candidates": [
            {"family": c.family.value, "distribution": _rounded(c.distribution), "aic": _round(c.aic),
             "ks_statistic": _round(c.ks_statistic), "ks_pvalue": _round(c.ks_pvalue)}
            for c in result.candidates
        ],
    }


def _read_column(path: Path, column: str | None) -> tuple[str, list[float], int]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = [row for row in csv.reader(handle)]
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a folder, not a CSV file") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise UserError(f"{path}: not a readable CSV file ({error})") from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise UserError(f"{path}: the file has no rows")
    has_header = not all(_is_number(cell) for cell in rows[0] if cell.strip())
    header = [cell.strip() for cell in rows[0]] if has_header else [str(i + 1) for i in range(len(rows[0]))]
    first_line = 2 if has_header else 1
    body = rows[1:] if has_header else rows
    index = _column_index(path, header, body, column)
    values, skipped = [], 0
    for line, row in enumerate(body, start=first_line):
        cell = row[index].strip() if index < len(row) else ""
        if not cell:
            skipped += 1
        elif _is_number(cell):
            if float(cell) < 0:
                raise UserError(f"{path}:{line}: column '{header[index]}': {cell} is negative; "
                                "observations are times and cannot be")
            values.append(float(cell))
        elif _parses(cell):
            raise UserError(f"{path}:{line}: column '{header[index]}': '{cell}' is not a finite number")
        else:
            raise UserError(f"{path}:{line}: column '{header[index]}': '{cell}' is not a number")
    return header[index], values, skipped


def _column_index(path: Path, header: list[str], body: list[list[str]], column: str | None) -> int:
    if column is not None:
        if column in header:
            return header.index(column)
        raise UserError(f"{path}: no column '{column}'; columns are {', '.join(header)}")
    for index in range(len(header)):
        cells = [row[index].strip() for row in body if index < len(row) and row[index].strip()]
        if cells and all(_parses(cell) for cell in cells):
            return index
    raise UserError(f"{path}: no column holds only numbers; name one with --column")


def _is_number(text: str) -> bool:
    return _parses(text) and math.isfinite(float(text))


def _parses(text: str) -> bool:
    """Whether ``float`` reads the text (NaN and infinities included)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def _round(value: float) -> float | None:
    return float(f"{value:.{REPORT_DIGITS}g}") if math.isfinite(value) else None


def _rounded(dist: Distribution) -> dict:
    return {key: (_round(v) if isinstance(v, float) else v) for key, v in dist.model_dump().items()}


def _flexsim_text(dist: Distribution) -> str:
    call = flexsim_call(dist)
    if call is None:
        return f"{_round(dist.value):g}"
    name, args = call
    return f"{name}({', '.join(f'{_round(a):g}' for a in args)}, getstream(current))"
