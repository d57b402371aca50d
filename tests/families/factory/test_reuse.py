"""Reusing a previous row's spec (``generate --reuse``) gives what drawing it afresh gives.

``FactoryFamily._fitted`` with ``known`` replays the token-budget loop with the spec (and code) a previous row
holds in place of the attempt that drew it, skipping the earlier attempts it knows failed on their
code alone; it must return exactly what ``_fitted`` returns, also when a new prompt template moves
the attempt that fits (longer prompts: a later one; shorter: an earlier one). A tight token budget makes the prompt decide many attempts here.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tests.families.factory.test_family import CELLS, factory_recipe
from twinforge.families.factory import family as factory_family
from twinforge.families.factory.family import FactoryFamily, Fitted
from twinforge.families.factory.reusable import Known, fidelity_rules
from twinforge.schemas import FactorySpec, canonical_json

PADDING = " Keep every station where the layout puts it and name each object exactly as stated."


def padded(extra: int, original: Any = factory_family.make_prompt) -> Any:
    """A prompt renderer whose text is ``extra`` characters longer (a changed prompt template)."""

    def render(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        return dataclasses.replace(result, text=result.text + (PADDING * 20)[:extra])

    return render


def outcome(fitted: Fitted) -> tuple[str, str, str, str, int, tuple[int, ...]]:
    return (canonical_json(fitted.spec), fitted.code, fitted.prompt.text, fitted.mode, fitted.attempts,
            fitted.code_rejected)


@pytest.mark.parametrize(("old_extra", "new_extra"), [(0, 0), (0, 400), (400, 0)])
def test_fitting_with_the_previous_spec_is_what_fitted_draws(monkeypatch, old_extra, new_extra):
    recipe = factory_recipe(name="t", seed=5, count=60, budget={"max_tokens": 1800})
    family = FactoryFamily()
    samples = [(index, CELLS[index % len(CELLS)]) for index in range(60)]
    monkeypatch.setattr(factory_family, "make_prompt", padded(old_extra))
    old = [family._fitted(recipe, index, cell, family.make_choices(recipe, index)) for index, cell in samples]
    monkeypatch.setattr(factory_family, "make_prompt", padded(new_extra))
    moved = 0
    for (index, cell), before in zip(samples, old):
        choices = family.make_choices(recipe, index)
        expected = outcome(family._fitted(recipe, index, cell, choices))
        spec = FactorySpec.model_validate_json(canonical_json(before.spec))
        rejected = frozenset(attempt - 1 for attempt in before.code_rejected)
        for known in (Known(before.attempts - 1, spec, before.code, rejected),
                      Known(before.attempts - 1, spec, before.code), Known(before.attempts - 1, spec, None)):
            assert outcome(family._fitted(recipe, index, cell, choices, known)) == expected
        moved += expected[-2] != before.attempts
    assert sum(fitted.attempts > 1 for fitted in old) >= 10
    assert sum(len(fitted.code_rejected) for fitted in old) >= 10
    assert (moved >= 10) == (old_extra != new_extra)


def test_a_known_prompt_spares_the_check_only_at_its_own_attempt_and_mode(small_spec):
    known = Known(2, small_spec, None, prompt=("text", "Build the line."))
    assert known.faithful(2, "text") == "Build the line."
    assert known.faithful(1, "text") is None
    assert known.faithful(2, "sketch") is None
    assert Known(2, small_spec, None).faithful(2, "text") is None


def test_fidelity_rules_are_read_from_the_provenance_or_known_for_releases_that_did_not_record_them():
    assert fidelity_rules({"twinforge": "0.7.0", "fidelity": "7"}) == "7"
    assert fidelity_rules({"twinforge": "0.7.0"}) == "1"
    assert fidelity_rules({"twinforge": "0.6.0"}) is None
    assert fidelity_rules({}) is None
