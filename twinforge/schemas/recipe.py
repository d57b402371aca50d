"""``Recipe``: what a corpus is made of, as a frozen, typed model read from TOML.

A recipe fails on construction, before any work, with the field and the reason: unknown fields,
negative counts, weights that sum to zero, split ratios that do not sum to one. Weights left out
of a table default to 1 (every value of a layer is wanted unless the recipe says otherwise); a
weight of 0 leaves the value out of the corpus (and out of the coverage check).
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from twinforge.schemas.enums import ARRIVAL_FAMILIES, SERVICE_FAMILIES, Automation, Industry, Layout, LineType
from twinforge.schemas.llm import LLMSettings

Weight = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


_LAYER_VALUES: dict[str, list[str]] = {
    "industry": [v.value for v in Industry],
    "automation": [v.value for v in Automation],
    "layout": [v.value for v in Layout],
    "line_type": [v.value for v in LineType],
}
_FAMILY_VALUES: dict[str, list[str]] = {
    "arrival": [f.value for f in ARRIVAL_FAMILIES],
    "service": [f.value for f in SERVICE_FAMILIES],
}


def _full_weights(given: dict[str, float], values: list[str]) -> dict[str, float]:
    """Every value with its weight (missing ones weigh 1, in canonical order); the total must be positive."""
    unknown = sorted(set(given) - set(values))
    if unknown:
        raise ValueError(f"unknown value(s) {', '.join(unknown)}; expected some of {', '.join(values)}")
    weights = {value: float(given.get(value, 1.0)) for value in values}
    if not sum(weights.values()) > 0:
        raise ValueError("the weights sum to zero; give at least one value a positive weight")
    return weights


class LayerWeights(_Section):
    """Relative weights of the values of each layer (the plan multiplies them per cell)."""

    industry: dict[str, Weight] = Field(default_factory=dict)
    automation: dict[str, Weight] = Field(default_factory=dict)
    layout: dict[str, Weight] = Field(default_factory=dict)
    line_type: dict[str, Weight] = Field(default_factory=dict)

    @field_validator("industry", "automation", "layout", "line_type")
    @classmethod
    def _complete(cls, given: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        return _full_weights(given, _LAYER_VALUES[info.field_name])


class FamilyWeights(_Section):
    """Relative weights of the distribution families, per role (arrival: 5 families, service: 9)."""

    arrival: dict[str, Weight] = Field(default_factory=dict)
    service: dict[str, Weight] = Field(default_factory=dict)

    @field_validator("arrival", "service")
    @classmethod
    def _complete(cls, given: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        return _full_weights(given, _FAMILY_VALUES[info.field_name])


class MachineRange(_Section):
    """Machines per production line (the paper: three on average)."""

    min: int = Field(default=1, ge=1, le=20)
    max: int = Field(default=5, ge=1, le=20)

    @model_validator(mode="after")
    def _ordered(self) -> MachineRange:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) must not exceed max ({self.max})")
        return self


def _positive_total(weights: dict[str, float]) -> dict[str, float]:
    if not sum(weights.values()) > 0:
        raise ValueError("the weights sum to zero; give at least one a positive weight")
    return weights


class CodeStyleMix(_Section):
    """How often each FlexScript style is rendered."""

    explicit: Weight = 0.5
    loop: Weight = 0.5

    @model_validator(mode="after")
    def _total(self) -> CodeStyleMix:
        _positive_total(self.model_dump())
        return self


class PromptModeMix(_Section):
    """How often a prompt is written in each mode; ``sketch`` only applies to samples with a sketch."""

    text: Weight = 0.5
    sketch: Weight = 0.5

    @model_validator(mode="after")
    def _total(self) -> PromptModeMix:
        _positive_total(self.model_dump())
        return self


class SketchSettings(_Section):
    """Every sample gets an SVG; ``fraction`` of them also get a PNG and may get a sketch-mode prompt."""

    fraction: float = Field(default=1.0, ge=0, le=1)
    styles: dict[Literal["clean", "hand"], Weight] = Field(default_factory=lambda: {"clean": 0.5, "hand": 0.5})
    png_size: tuple[int, int] = (768, 384)

    @field_validator("styles")
    @classmethod
    def _styles(cls, styles: dict[str, float]) -> dict[str, float]:
        return _positive_total(styles)

    @field_validator("png_size")
    @classmethod
    def _size(cls, size: tuple[int, int]) -> tuple[int, int]:
        if not all(16 <= side <= 4096 for side in size):
            raise ValueError(f"each side must lie in [16, 4096] pixels, got {size[0]}x{size[1]}")
        return size


class DedupSettings(_Section):
    """MinHash LSH near-duplicate detection over prompt and code shingles."""

    threshold: float = Field(default=0.9, gt=0, le=1)
    num_perm: int = Field(default=128, ge=16, le=1024)
    shingle_size: int = Field(default=5, ge=1, le=32)


class SplitRatios(_Section):
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


class PlanSettings(_Section):
    """How samples are spread over the cells: at least ``min_per_cell`` each, the rest by weight."""

    min_per_cell: int = Field(default=1, ge=0)


class CoverageSettings(_Section):
    """``twinforge coverage`` wants every value, pair and family role at least ``min_count`` times."""

    min_count: int = Field(default=1, ge=1)


class Recipe(_Section):
    """One corpus: its size, its seed, the mix of everything, and the post-processing settings."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    family: str = Field(default="factory", min_length=1)
    seed: int = Field(ge=0, lt=2**63)
    count: int = Field(ge=1, le=10_000_000)
    shard_size: int = Field(default=500, ge=1, le=100_000)
    layers: LayerWeights = Field(default_factory=LayerWeights)
    families: FamilyWeights = Field(default_factory=FamilyWeights)
    machines: MachineRange = Field(default_factory=MachineRange)
    code_style: CodeStyleMix = Field(default_factory=CodeStyleMix)
    prompt_mode: PromptModeMix = Field(default_factory=PromptModeMix)
    sketch: SketchSettings = Field(default_factory=SketchSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    dedup: DedupSettings = Field(default_factory=DedupSettings)
    splits: SplitRatios = Field(default_factory=SplitRatios)
    plan: PlanSettings = Field(default_factory=PlanSettings)
    coverage: CoverageSettings = Field(default_factory=CoverageSettings)

    def with_count(self, count: int | None) -> Recipe:
        """The same recipe with another sample count (``twinforge generate --n``), validated again."""
        if count is None:
            return self
        return Recipe.model_validate({**self.model_dump(mode="json"), "count": count})


class RecipeError(ValueError):
    """A recipe failed validation; the message names the file and the field."""


def recipe_from_data(data: dict[str, Any], label: str) -> Recipe:
    """Validate recipe data; problems are reported as ``label: field 'a.b': reason``."""
    try:
        return Recipe.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            field = ".".join(str(part) for part in item["loc"]) or "(whole recipe)"
            problems.append(f"{label}: field '{field}': {item['msg'].removeprefix('Value error, ')}")
        raise RecipeError("; ".join(problems)) from None


def load_recipe(path: str | Path) -> Recipe:
    """Read and validate a TOML recipe (``RecipeError`` naming the file and the field)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RecipeError(f"{path}: no such recipe file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise RecipeError(f"{path}: not valid TOML: {error}") from None
    return recipe_from_data(data, str(path))
