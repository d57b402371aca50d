"""``FactorySettings``: the factory family's part of a recipe (the keys beside the core).

``[layers.*]`` weights of the five-layer design, ``[families.*]`` distribution-family weights per
role, ``[machines]`` per line, the ``[code_style]`` and ``[prompt_mode]`` mixes, ``[sketch]`` and
``[llm]``. Weights left out of a table default to 1 (every value of a layer is wanted unless the
recipe says otherwise); a weight of 0 leaves the value out of the corpus (and out of the coverage
check).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from twinforge.schemas.enums import ARRIVAL_FAMILIES, SERVICE_FAMILIES, Automation, Industry, Layout, LineType
from twinforge.schemas.llm import LLMSettings
from twinforge.schemas.recipe import Section, StrictCount, Weight, full_weights

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


class LayerWeights(Section):
    """Relative weights of the values of each layer (the plan multiplies them per cell)."""

    industry: dict[str, Weight] = Field(default_factory=dict)
    automation: dict[str, Weight] = Field(default_factory=dict)
    layout: dict[str, Weight] = Field(default_factory=dict)
    line_type: dict[str, Weight] = Field(default_factory=dict)

    @field_validator("industry", "automation", "layout", "line_type")
    @classmethod
    def _complete(cls, given: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        return full_weights(given, _LAYER_VALUES[info.field_name])


class FamilyWeights(Section):
    """Relative weights of the distribution families, per role (arrival: 5 families, service: 9)."""

    arrival: dict[str, Weight] = Field(default_factory=dict)
    service: dict[str, Weight] = Field(default_factory=dict)

    @field_validator("arrival", "service")
    @classmethod
    def _complete(cls, given: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        return full_weights(given, _FAMILY_VALUES[info.field_name])


class MachineRange(Section):
    """Machines per production line (the paper: three on average)."""

    min: StrictCount = Field(default=1, ge=1, le=20)
    max: StrictCount = Field(default=5, ge=1, le=20)

    @model_validator(mode="after")
    def _ordered(self) -> MachineRange:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) must not exceed max ({self.max})")
        return self


def _positive_total(weights: dict[str, float]) -> dict[str, float]:
    if not sum(weights.values()) > 0:
        raise ValueError("the weights sum to zero; give at least one a positive weight")
    return weights


class CodeStyleMix(Section):
    """How often each FlexScript style is rendered."""

    explicit: Weight = 0.5
    loop: Weight = 0.5

    @model_validator(mode="after")
    def _total(self) -> CodeStyleMix:
        _positive_total(self.model_dump())
        return self


class PromptModeMix(Section):
    """How often a prompt is written in each mode; ``sketch`` only applies to samples with a sketch."""

    text: Weight = 0.5
    sketch: Weight = 0.5

    @model_validator(mode="after")
    def _total(self) -> PromptModeMix:
        _positive_total(self.model_dump())
        return self


class SketchSettings(Section):
    """Every sample gets an SVG; ``fraction`` of them also get a PNG and may get a sketch-mode prompt."""

    fraction: float = Field(default=1.0, ge=0, le=1)
    styles: dict[Literal["clean", "hand"], Weight] = Field(default_factory=lambda: {"clean": 0.5, "hand": 0.5})
    png_size: tuple[int, int] = (768, 768)

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


class BudgetSettings(Section):
    """Token limits of a sample (GDT-VLSM: 4,096 for prompt + code, 2,048 for the code alone)."""

    max_tokens: StrictCount = Field(default=4096, ge=256, le=1_000_000)
    max_response_tokens: StrictCount = Field(default=2048, ge=128, le=1_000_000)
    max_attempts: StrictCount = Field(default=16, ge=1, le=100)
    """Redraws of a spec too large for the budget (each with fewer machines) before giving up."""


class SketchModeSettings(Section):
    """Which samples may leave their routing to the sketch."""

    max_objects: StrictCount = Field(default=25, ge=2, le=1000)
    """Larger models get a text prompt that states every connection."""


class FactorySettings(Section):
    """Everything a factory recipe sets beside the core: the mix of layers, families, styles and modes."""

    layers: LayerWeights = Field(default_factory=LayerWeights)
    families: FamilyWeights = Field(default_factory=FamilyWeights)
    machines: MachineRange = Field(default_factory=MachineRange)
    code_style: CodeStyleMix = Field(default_factory=CodeStyleMix)
    prompt_mode: PromptModeMix = Field(default_factory=PromptModeMix)
    sketch: SketchSettings = Field(default_factory=SketchSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    budget: BudgetSettings = Field(default_factory=BudgetSettings)
    sketch_mode: SketchModeSettings = Field(default_factory=SketchModeSettings)
