"""``Recipe``: what a corpus is made of, as a frozen, typed model read from TOML.

A recipe has two parts. The core (name, family, seed, count, shard size, plan, dedup, splits,
coverage, card) is the engine's and is validated here. Every other key belongs to the family: the
family names a pydantic model (``settings_model``) that validates those keys, and the result is
``Recipe.settings``. The TOML stays flat (``[layers.industry]`` beside ``[dedup]``), so recipes
and manifests written before the split read as they did.

A recipe fails on construction, before any work, with the field and the reason: unknown fields,
negative counts, weights that sum to zero, split ratios that do not sum to one.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny, ValidationError, model_validator

StrictCount = Annotated[int, Field(strict=True)]
"""An integer written as one (``count = "20"`` is refused, not read as 20)."""
Weight = Annotated[float, Field(ge=0, allow_inf_nan=False)]
"""A relative weight: 0 leaves a value out."""


def full_weights(given: dict[str, float], values: Sequence[str]) -> dict[str, float]:
    """Every value with its weight (missing ones weigh 1, in ``values``' order); the total must be positive."""
    unknown = sorted(set(given) - set(values))
    if unknown:
        raise ValueError(f"unknown value(s) {', '.join(unknown)}; expected some of {', '.join(values)}")
    weights = {value: float(given.get(value, 1.0)) for value in values}
    if not sum(weights.values()) > 0:
        raise ValueError("the weights sum to zero; give at least one value a positive weight")
    return weights


class Section(BaseModel):
    """A recipe table: unknown keys are errors, values are frozen once read."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class NoSettings(Section):
    """The settings of a family that takes none beyond the core recipe."""


class DedupSettings(Section):
    """MinHash LSH near-duplicate detection over the family's dedup text."""

    threshold: float = Field(default=0.9, gt=0, le=1)
    num_perm: StrictCount = Field(default=128, ge=16, le=1024)
    shingle_size: StrictCount = Field(default=5, ge=1, le=32)


class SplitRatios(Section):
    """Train / validation / test fractions (the paper: 90/5/5); they must sum to 1."""

    train: float = Field(default=0.9, ge=0, le=1)
    val: float = Field(default=0.05, ge=0, le=1)
    test: float = Field(default=0.05, ge=0, le=1)

    @model_validator(mode="after")
    def _sum(self) -> SplitRatios:
        total = self.train + self.val + self.test
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            raise ValueError(f"train + val + test must be 1, got {total:g}")
        return self


class PlanSettings(Section):
    """How samples are spread over the cells: at least ``min_per_cell`` each, the rest by weight."""

    min_per_cell: StrictCount = Field(default=1, ge=0)


class CoverageSettings(Section):
    """``twinforge coverage`` wants every value, pair and family role at least ``min_count`` times."""

    min_count: StrictCount = Field(default=1, ge=1)


class CardSettings(Section):
    """What the dataset card says about who publishes the corpus, and under which terms."""

    license: str = Field(default="unspecified", min_length=1, max_length=200)
    contact: str = Field(default="unspecified", min_length=1, max_length=200)


class Recipe(Section):
    """One corpus: its size, its seed, its family and that family's settings, and post-processing."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    family: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")
    seed: StrictCount = Field(ge=0, lt=2**63)
    count: StrictCount = Field(ge=1, le=10_000_000)
    shard_size: StrictCount = Field(default=500, ge=1, le=100_000)
    dedup: DedupSettings = Field(default_factory=DedupSettings)
    splits: SplitRatios = Field(default_factory=SplitRatios)
    plan: PlanSettings = Field(default_factory=PlanSettings)
    coverage: CoverageSettings = Field(default_factory=CoverageSettings)
    card: CardSettings = Field(default_factory=CardSettings)
    settings: SerializeAsAny[BaseModel] = Field(default_factory=NoSettings)
    """The family's own keys, validated by its ``settings_model``."""

    def with_count(self, count: int | None) -> Recipe:
        """The same recipe with another sample count (``twinforge generate --n``), validated again."""
        if count is None:
            return self
        return Recipe.model_validate({**self.model_dump(exclude={"settings"}), "count": count,
                                      "settings": self.settings})

    def to_data(self) -> dict[str, Any]:
        """The recipe as flat JSON-ready data, as in the TOML file: core keys beside the family's."""
        core = self.model_dump(mode="json", exclude={"settings"})
        return {**core, **self.settings.model_dump(mode="json")}


CORE_KEYS = frozenset(Recipe.model_fields) - {"settings"}


class RecipeError(ValueError):
    """A recipe failed validation; the message names the file and the field."""


def _problems(error: ValidationError, label: str) -> list[str]:
    problems = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "(whole recipe)"
        problems.append(f"{label}: field '{field}': {item['msg'].removeprefix('Value error, ')}")
    return problems


def recipe_from_data(data: dict[str, Any], label: str, settings_model: type[BaseModel] | None) -> Recipe:
    """Validate recipe data: core keys here, the rest by the family's ``settings_model``.

    Problems of both parts are reported together as ``label: field 'a.b': reason``.
    """
    core = {key: value for key, value in data.items() if key in CORE_KEYS}
    rest = {key: value for key, value in data.items() if key not in CORE_KEYS}
    problems: list[str] = []
    settings: BaseModel | None = None
    model = settings_model or NoSettings
    try:
        settings = model.model_validate(rest)
    except ValidationError as error:
        problems += _problems(error, label)
    try:
        recipe = Recipe.model_validate({**core, "settings": settings or NoSettings()})
    except ValidationError as error:
        problems = _problems(error, label) + problems
    if problems:
        raise RecipeError("; ".join(problems))
    return recipe


def read_recipe_data(path: str | Path) -> dict[str, Any]:
    """The raw data of a TOML recipe (``RecipeError`` naming the file if it cannot be read)."""
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RecipeError(f"{path}: no such recipe file") from None
    except IsADirectoryError:
        raise RecipeError(f"{path}: is a folder, not a recipe file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise RecipeError(f"{path}: not valid TOML: {error}") from None
