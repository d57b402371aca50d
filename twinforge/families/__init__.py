"""Corpus families: the per-sample work behind the generic pipeline (see ``base.CorpusFamily``)."""

from __future__ import annotations

import importlib

from twinforge.errors import UserError
from twinforge.families.base import CorpusFamily

BUILTIN_FAMILIES: dict[str, str] = {"factory": "twinforge.families.factory:FactoryFamily"}
"""Family names a recipe may give; any other value is read as ``package.module:Class``."""


def load_family(name: str) -> CorpusFamily:
    """An instance of the family a recipe names (a built-in name or ``package.module:Class``)."""
    target = BUILTIN_FAMILIES.get(name, name)
    module_name, _, attribute = target.partition(":")
    if not attribute:
        raise UserError(f"recipe field 'family': {name!r} is neither one of "
                        f"{', '.join(BUILTIN_FAMILIES)} nor 'package.module:Class'")
    try:
        factory = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as error:
        raise UserError(f"recipe field 'family': cannot load {target!r}: {error}") from None
    family = factory()
    if not isinstance(family, CorpusFamily):
        raise UserError(f"recipe field 'family': {target!r} does not implement CorpusFamily")
    return family


__all__ = ["BUILTIN_FAMILIES", "CorpusFamily", "load_family"]
