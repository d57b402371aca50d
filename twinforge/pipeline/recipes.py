"""Reading a recipe: TOML (or a manifest's copy) -> the family from the registry -> ``Recipe``.

The core keys are validated by ``schemas.recipe``; the family named by ``family`` validates the
rest with its ``settings_model``. Every problem names the file and the field, before any work.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from twinforge.errors import UserError
from twinforge.families import family_names, load_family
from twinforge.schemas.recipe import Recipe, RecipeError, read_recipe_data, recipe_from_data


def recipe_from_mapping(data: dict[str, Any], label: str) -> Recipe:
    """A validated recipe from its flat data (``UserError`` naming ``label`` and the field)."""
    if not isinstance(data.get("family"), str):
        raise UserError(f"{label}: field 'family': required; one of {', '.join(family_names())}")
    try:
        family = load_family(data["family"])
    except UserError as error:
        raise UserError(f"{label}: {error}") from None
    try:
        return recipe_from_data(data, label, family.settings_model)
    except RecipeError as error:
        raise UserError(str(error)) from None


def read_recipe_file(path: str | Path) -> Recipe:
    """A validated recipe from a TOML file, or ``UserError`` naming the file and the field."""
    try:
        data = read_recipe_data(path)
    except RecipeError as error:
        raise UserError(str(error)) from None
    return recipe_from_mapping(data, str(path))
