"""The prompt-wide choices of the template drafter, and how it writes numbers, units and distributions.

One writer keeps one habit per prompt: a seconds word (``s``, ``sec``, ``secs``, ``seconds``),
whether long times go to minutes or hours (a whole distribution in one unit, only where the value
stays exact to a tenth), thousands separators, metres and speeds, counts in words. Every time value
is written with its unit; lognormal parameters say they are of the log of the time in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from twinforge.renderers.fidelity_numbers import number_to_words
from twinforge.renderers.phrasebook import Phrasebook
from twinforge.schemas import format_number, normalise_number
from twinforge.schemas.distribution import Distribution

PARAMETER_WORDS = {"mean": "mean", "mu": "mean", "std": "std", "sigma": "std", "min": "min", "max": "max",
                   "mode": "mode", "shape": "shape", "scale": "scale"}
"""Distribution parameter -> its synonym list ``word_<name>.j2`` (``w_<name>`` bare, ``a_<name>`` with article);
a constant's value has none."""
ARRANGEMENTS = ("params_first", "flow_first", "walk", "walk")
"""Text mode: parameters then flow, flow then parameters, or one walk along the route with both."""


def pick(rng: np.random.Generator, options: list[Any] | tuple[Any, ...]) -> Any:
    """One of ``options``, uniformly."""
    return options[int(rng.integers(len(options)))]


@dataclass(frozen=True)
class Style:
    """The per-prompt choices that are not per-sentence."""

    seconds: str
    scale: str
    minutes: str
    hours: str
    thousands: bool
    length_unit: str
    speed_unit: str
    count_words: bool
    group: bool
    oxford: bool
    layout: str
    arrangement: str
    object_order: str
    opener: bool
    context: bool
    code_position: str
    merge_at_end: bool
    chunk: int
    resources_first: bool


def choose_style(rng: np.random.Generator) -> Style:
    """Draw the prompt-wide choices."""
    return Style(
        seconds=pick(rng, ("s", "s", "sec", "secs", "seconds", "seconds")),
        scale=pick(rng, ("seconds", "minutes", "minutes", "hours", "hours")),
        minutes=pick(rng, ("min", "min", "minutes", "mins")),
        hours=pick(rng, ("h", "h", "hours", "hr")),
        thousands=bool(rng.random() < 0.3),
        length_unit=pick(rng, ("m", "m", "metres", "meters")),
        speed_unit=pick(rng, ("m/s", "m/s", "metres per second", "meters per second", "m per second")),
        count_words=bool(rng.random() < 0.4),
        group=bool(rng.random() < 0.8),
        oxford=bool(rng.random() < 0.5),
        layout=pick(rng, ("prose", "prose", "prose", "lines", "bullets", "sections")),
        arrangement=pick(rng, ARRANGEMENTS),
        object_order=pick(rng, ("flow", "flow", "flow", "kind", "spec")),
        opener=bool(rng.random() < 0.85),
        context=bool(rng.random() < 0.45),
        code_position=pick(rng, ("head", "head", "tail", "tail", "middle")),
        merge_at_end=bool(rng.random() < 0.5),
        chunk=int(rng.integers(1, 5)),
        resources_first=bool(rng.random() < 0.2),
    )


class Units:
    """Number and unit formatting for one prompt."""

    def __init__(self, style: Style):
        self.style = style

    def number(self, value: float) -> str:
        """``2100`` or ``2,100`` (the style's thousands habit; the checker reads both)."""
        text = format_number(value)
        if self.style.thousands and isinstance(normalise_number(value), int) and abs(value) >= 1000:
            return f"{int(value):,}"
        return text

    def scale_for(self, values: list[float]) -> tuple[float, str]:
        """The largest unit (factor, word) in which every value reads exactly to a tenth and is >= 1.5."""
        options = [(1.0, self.style.seconds)]
        if self.style.scale in ("minutes", "hours"):
            options.append((60.0, self.style.minutes))
        if self.style.scale == "hours":
            options.append((3600.0, self.style.hours))
        for factor, word in reversed(options):
            if all(v / factor >= 1.5 and _tenths(v / factor) for v in values):
                return factor, word
        return options[0]

    def time(self, value: float, scale: tuple[float, str] | None = None) -> str:
        """``30 s``, ``1 second``, ``35 min``, ``2.5 hours``."""
        factor, word = scale or self.scale_for([value])
        amount = normalise_number(value / factor)
        if word == "seconds" and amount == 1:
            word = "second"
        elif word in ("minutes", "hours") and amount == 1:
            word = word[:-1]
        return f"{self.number(amount)} {word}"

    def length(self, value: float) -> str:
        unit = self.style.length_unit
        return f"{format_number(value)} {unit[:-1] + 'e' if value == 1 and unit == 'metres' else unit}"

    def speed(self, value: float) -> str:
        unit = self.style.speed_unit
        if value == 1 and unit.startswith(("metres", "meters")):
            unit = unit.replace("metres", "metre").replace("meters", "meter")
        return f"{format_number(value)} {unit}"

    def count(self, value: int, noun: str, rng: np.random.Generator, plural: str | None = None) -> str:
        """``20 items`` or ``twenty items``; words only where the checker reads them back (< 100)."""
        words = self.style.count_words and value < 21 and rng.random() < 0.7
        number = number_to_words(value) if words else format_number(value)
        if value == 1 and words and rng.random() < 0.4:
            number = "a single"
        return f"{number} {noun if value == 1 else (plural or noun + 's')}"


def _tenths(value: float) -> bool:
    return abs(value * 10 - round(value * 10)) < 1e-9


def describe_distribution(dist: Distribution, book: Phrasebook, units: Units, rng: np.random.Generator) -> str:
    """One phrasing of a distribution with its parameters and units (``templates/prompts/dist_*.j2``).

    All time parameters of one distribution share a unit; Poisson stays in seconds (it draws whole
    seconds); lognormal parameters and shapes have no unit.
    """
    data = dict(dist.__dict__)  # its fields, as model_dump gives them (flat floats), at a fifth of the cost
    family = data.pop("family")
    times = [p for p in data if family != "lognormal" and p != "shape"]
    scale = units.scale_for([data[p] for p in times]) if family != "poisson" else (1.0, units.style.seconds)
    values = {param: units.time(value, scale) if param in times else format_number(value)
              for param, value in data.items()}
    for param in data:
        if word := PARAMETER_WORDS.get(param):
            values[f"w_{word}"], values[f"a_{word}"] = book.pair(f"word_{word}", rng)
    return book.say_values(f"dist_{family}", rng, values)
