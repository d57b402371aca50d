"""``GeneSettings``: the gene family's recipe keys beside the core."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from twinforge.schemas.recipe import Section, StrictCount

CATEGORY_NAMES = ("Mug", "Bottle", "Bucket", "Kettle", "Chair", "Table", "Box", "Trashcan")
Weight = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class GeneSettings(Section):
    """Category weights (left out: 1; 0 leaves a category out), image size, poses per gene, removal rate."""

    categories: dict[str, Weight] = Field(default_factory=dict)
    image_size: StrictCount = Field(default=512, ge=64, le=1024)
    poses: StrictCount = Field(default=5, ge=1, le=8)
    removal_rate: float = Field(default=0.3, ge=0, le=1)
    """Chance that each non-essential instance of a gene is removed (GeneVLM's stochastic removal)."""

    @field_validator("categories")
    @classmethod
    def _complete(cls, given: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(given) - set(CATEGORY_NAMES))
        if unknown:
            raise ValueError(f"unknown categor(ies) {', '.join(unknown)}; expected some of {', '.join(CATEGORY_NAMES)}")
        weights = {name: float(given.get(name, 1.0)) for name in CATEGORY_NAMES}
        if not sum(weights.values()) > 0:
            raise ValueError("the weights sum to zero; give at least one category a positive weight")
        return weights


__all__ = ["CATEGORY_NAMES", "GeneSettings"]
