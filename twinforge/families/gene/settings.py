"""``GeneSettings``: the gene family's recipe keys beside the core."""

from __future__ import annotations

from pydantic import Field, field_validator

from twinforge.schemas.recipe import Section, StrictCount, Weight, full_weights

CATEGORY_NAMES = ("Mug", "Bottle", "Bucket", "Kettle", "Chair", "Table", "Box", "Trashcan")


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
        return full_weights(given, CATEGORY_NAMES)


__all__ = ["CATEGORY_NAMES", "GeneSettings"]
