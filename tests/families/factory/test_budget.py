"""The token budget: every cell fits after its redraws; estimates never fall short of StarCoder2's count."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from twinforge.families.factory.budget import code_fits, code_length_fits, estimated_tokens, fits
from twinforge.families.factory.cells import all_cells
from twinforge.families.factory.family import FactoryFamily
from twinforge.families.factory.sampler import sample_spec
from twinforge.families.factory.settings import BudgetSettings, FactorySettings
from twinforge.renderers.flexscript import render_flexscript
from twinforge.renderers.prompt import draft_prompt
from twinforge.schemas.recipe import recipe_from_data

TOKENIZER = Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "tokenizers" / "starcoder2"


@pytest.mark.parametrize("style", ["explicit", "loop"])
def test_every_cell_fits_the_default_budget_within_its_redraws(style: str):
    """The largest cells (parallel conveyor lines, explicit code) need redraws; none runs out of them."""
    recipe = recipe_from_data({"name": "b", "family": "factory", "seed": 3, "count": 520,
                               "code_style": {"explicit": float(style == "explicit"), "loop": float(style == "loop")}},
                              "test", FactorySettings)
    family, budget = FactoryFamily(), BudgetSettings()
    redrawn = 0
    for index, cell in enumerate(all_cells()):
        fitted = family._fitted(recipe, index, cell, family.make_choices(recipe, index))
        assert fits(fitted.prompt.text, fitted.code, budget)
        redrawn += fitted.attempts > 1
    assert redrawn < 520 * 0.25


def test_code_length_fits_is_code_fits_by_length_and_monotone():
    """The loop refuses a draw on a lower bound of its code's length: that needs the same verdict as
    ``code_fits`` for a code of that length, and no longer code fitting where a shorter one does not."""
    budget = BudgetSettings(max_response_tokens=200)
    verdicts = [code_length_fits(length, budget) for length in range(1000)]
    assert verdicts == [code_fits("x" * length, budget) for length in range(1000)]
    assert verdicts == sorted(verdicts, reverse=True) and True in verdicts and False in verdicts


def test_the_character_estimate_never_falls_short_of_starcoder2():
    tokenizers = pytest.importorskip("tokenizers")
    if not TOKENIZER.is_dir():
        pytest.skip(f"no tokenizer files at {TOKENIZER}")
    tokenizer = tokenizers.Tokenizer(tokenizers.models.BPE.from_file(str(TOKENIZER / "vocab.json"),
                                                                     str(TOKENIZER / "merges.txt")))
    tokenizer.pre_tokenizer = tokenizers.pre_tokenizers.Sequence([
        tokenizers.pre_tokenizers.Digits(individual_digits=True),
        tokenizers.pre_tokenizers.ByteLevel(add_prefix_space=False)])
    cells = all_cells()
    for number in range(0, 520, 13):
        spec = sample_spec(np.random.default_rng(number), cells[number])
        for style in ("explicit", "loop"):
            for text in (render_flexscript(spec, style), draft_prompt(spec, "text", np.random.default_rng(number),
                                                                       code_style=style)):
                assert estimated_tokens(text) >= len(tokenizer.encode(text).ids)


def test_a_draw_too_long_in_code_gets_no_prompt_and_no_sample_changes(monkeypatch: pytest.MonkeyPatch):
    """Dropping an over-budget draw before its prompt is drafted gives the samples that drafting
    every prompt (and rejecting by ``fits``) gives, with fewer drafts."""
    import twinforge.families.factory.family as family_module

    recipe = recipe_from_data({"name": "b", "family": "factory", "seed": 5, "count": 520}, "test", FactorySettings)
    family, cells = FactoryFamily(), all_cells()
    picks = [(index, cells[index]) for index in range(0, 520, 7)]
    drafts = []
    real_make_prompt = family_module.make_prompt
    monkeypatch.setattr(family_module, "make_prompt", lambda *a, **k: drafts.append(1) or real_make_prompt(*a, **k))

    def fitted_all() -> list[tuple[str, str, str, int]]:
        out = []
        for index, cell in picks:
            fitted = family._fitted(recipe, index, cell, family.make_choices(recipe, index))
            out.append((fitted.spec.model_dump_json(), fitted.code, fitted.prompt.text, fitted.attempts))
        return out

    early = fitted_all()
    early_drafts = len(drafts)
    monkeypatch.setattr(family_module, "code_fits", lambda code, budget: True)
    drafts.clear()
    assert fitted_all() == early
    assert sum(attempts > 1 for *_, attempts in early) > 0
    assert early_drafts == len(picks) < len(drafts)
