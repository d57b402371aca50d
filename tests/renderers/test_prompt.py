"""The offline prompt drafter: faithful over many specs, varied, deterministic, and usable from the CLI."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.renderers.prompt_specs import hand_specs
from twinforge.cli import main
from twinforge.renderers.phrasebook import load_phrasebook
from twinforge.renderers.prompt import (
    PROMPT_TEMPLATE_VERSION,
    check_fidelity,
    draft_prompt,
    draft_prompt_for_seed,
    make_prompt,
)
from twinforge.schemas import FactorySpec, canonical_data

SAMPLED = 500


@pytest.fixture(scope="module")
def sampled_specs() -> list[FactorySpec]:
    sampler = pytest.importorskip("twinforge.families.factory.sampler")
    return list(sampler.sample_specs(SAMPLED, 20261121))


def test_template_prompts_of_sampled_specs_have_no_fidelity_problem(sampled_specs):
    failures = []
    for index, spec in enumerate(sampled_specs):
        mode = ("text", "sketch")[index % 2]
        text = draft_prompt(spec, mode, np.random.default_rng(index))
        problems = check_fidelity(text, spec, mode)
        if problems:
            failures.append((index, mode, problems[:3], text))
    assert not failures, failures[:2]


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), mode=st.sampled_from(["text", "sketch"]), which=st.integers(0, 2))
def test_hand_written_specs_are_faithful_for_any_seed(seed, mode, which):
    from tests.conftest import SMALL_SPEC

    spec = [*hand_specs(), FactorySpec.model_validate(SMALL_SPEC)][which]
    text = draft_prompt(spec, mode, np.random.default_rng(seed))
    assert check_fidelity(text, spec, mode) == []


def test_every_name_with_spaces_and_digits_appears_verbatim():
    for spec in hand_specs():
        text = draft_prompt(spec, "text", np.random.default_rng(3))
        for obj in spec.objects:
            assert re.search(rf"(?<![0-9A-Za-z]){re.escape(obj.name)}(?![0-9A-Za-z])", text), obj.name


def test_same_seed_same_prompt_and_different_seeds_vary(small_spec):
    assert draft_prompt_for_seed(small_spec, "text", 7) == draft_prompt_for_seed(small_spec, "text", 7)
    texts = {draft_prompt_for_seed(small_spec, "text", seed) for seed in range(60)}
    assert len(texts) == 60
    openings = {text.split(".")[0] for text in texts}
    assert len(openings) > 10


def test_text_mode_states_connections_and_sketch_mode_defers_to_the_sketch(small_spec):
    for seed in range(20):
        text = draft_prompt(small_spec, "text", np.random.default_rng(seed))
        sketch = draft_prompt(small_spec, "sketch", np.random.default_rng(seed))
        assert "sketch" not in text.lower()
        assert "sketch" in sketch.lower()
        assert check_fidelity(sketch, small_spec, "text"), "a sketch prompt must not pass as a text prompt"


def test_units_synonyms_and_grouping_vary_across_seeds():
    parallel = hand_specs()[0]
    texts = [draft_prompt(parallel, "text", np.random.default_rng(seed)) for seed in range(120)]
    joined = "\n".join(texts)
    for unit in (" s ", " s,", " sec", " seconds", "m/s", "metres per second", "meters per second"):
        assert unit in joined, unit
    for phrase in ("inter-arrival", "interarrival", "arrival interval", "between arrivals"):
        assert phrase in joined, phrase
    grouped = [t for t in texts if re.search(r"Mask Coater1,? and Mask Coater2 (are|each|:)", t)
               or "Machines Mask Coater1 and Mask Coater2" in t or "processors Mask Coater1" in t
               or "at Mask Coater1 and Mask Coater2" in t]
    assert len(grouped) > 40, "identical parallel stations should often be described once"
    assert any(t.startswith("- ") or "\n- " in t for t in texts), "some prompts are bullet lists"
    assert sum("plant" in t or "fab" in t or "factory" in t for t in texts) > 20, "industry context appears"


def test_every_phrasebook_topic_has_several_phrasings():
    book = load_phrasebook()
    singles = [topic for topic in book.topics() if book.count(topic) < 3]
    assert singles == []
    assert sum(book.count(topic) for topic in book.topics()) > 250


def test_make_prompt_without_llm_records_template_provenance(small_spec):
    result = make_prompt(small_spec, "sketch", np.random.default_rng(1))
    assert result.source == f"template:{PROMPT_TEMPLATE_VERSION}"
    assert result.attempts == 0 and result.problems == ()
    assert check_fidelity(result.text, small_spec, "sketch") == []


def test_unknown_mode_is_refused(small_spec):
    with pytest.raises(ValueError, match="mode"):
        draft_prompt(small_spec, "video", np.random.default_rng(0))


def test_cli_prompt_prints_a_checked_prompt(tmp_path, small_spec, capsys):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(canonical_data(small_spec)), encoding="utf-8")
    assert main(["prompt", str(path), "--mode", "text", "--seed", "4", "--check"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == draft_prompt_for_seed(small_spec, "text", 4)
