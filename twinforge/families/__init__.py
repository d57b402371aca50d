"""Corpus families and their registry: a recipe's ``family`` is looked up here by name only.

Built-in families are named in ``BUILTIN_FAMILIES`` (a fixed table of this package's modules);
``register_family`` adds one from code (e.g. a test's toy family). A recipe can never make
twinforge import a module of its choosing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from twinforge.errors import UserError
from twinforge.families.base import (
    FROM_PREVIOUS,
    CardText,
    CorpusFamily,
    Evaluator,
    FamilyDeclaration,
    Previous,
    ReviewView,
)

BUILTIN_FAMILIES: dict[str, str] = {"factory": "twinforge.families.factory", "gene": "twinforge.families.gene"}
"""Family name -> the module whose ``FAMILY`` class implements it (imported on first use)."""

_REGISTERED: dict[str, Callable[[], CorpusFamily]] = {}


def register_family(name: str, make: Callable[[], CorpusFamily]) -> None:
    """Make ``name`` a family a recipe may give (``make`` returns a new instance)."""
    _REGISTERED[name] = make


def family_names() -> list[str]:
    """Every family name a recipe may give."""
    return sorted({*BUILTIN_FAMILIES, *_REGISTERED})


def load_family(name: str) -> CorpusFamily:
    """An instance of the family called ``name`` (``UserError`` naming the known ones otherwise)."""
    if name in _REGISTERED:
        family = _REGISTERED[name]()
    elif name in BUILTIN_FAMILIES:
        family = importlib.import_module(BUILTIN_FAMILIES[name]).FAMILY()
    else:
        raise UserError(f"recipe field 'family': {name!r} is not one of {', '.join(family_names())}")
    if not isinstance(family, CorpusFamily):
        raise UserError(f"recipe field 'family': {name!r} does not implement CorpusFamily")
    return family


__all__ = [
    "BUILTIN_FAMILIES",
    "FROM_PREVIOUS",
    "CardText",
    "CorpusFamily",
    "Evaluator",
    "FamilyDeclaration",
    "Previous",
    "ReviewView",
    "family_names",
    "load_family",
    "register_family",
]
