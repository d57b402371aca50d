"""The dataset card: a README with the corpus's numbers and real PNG figures."""

from __future__ import annotations

from pathlib import Path

from twinforge.pipeline.card import contact_sheet_ids, json_ranges, write_card
from twinforge.pipeline.corpus import open_corpus
from twinforge.pipeline.dedup import dedup_corpus
from twinforge.pipeline.splits import split_corpus


def test_card_has_figures_and_numbers(toy_corpus: Path):
    dedup_corpus(open_corpus(toy_corpus))
    split_corpus(open_corpus(toy_corpus), "random")
    readme = Path(write_card(open_corpus(toy_corpus)))
    text = readme.read_text()
    assert "77 samples" in text and "train 69" in text and "exact duplicate" in text
    assert "Toy records are random words." in text
    for figure in ("layers.png", "colour.png"):
        assert f"]({figure})" in text
        assert (readme.parent / figure).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| length |" in text
    assert "n_words.png" not in text and "every sample has the same value, so no figure" in text
    assert "## Columns" in text and "| `colour` | string |" in text
    assert "## Example" in text and "Prompt:" in text and "Response:" in text
    assert "licence: unspecified" in text and "## Intended use" in text and "## Known biases" in text


def test_json_ranges():
    ranges = json_ranges(['{"a": 1, "b": {"x": 2, "y": 4}}', '{"a": 3, "s": "text", "b": {"z": 1}}', None])
    assert ranges == {"a": (1.0, 2.0, 3.0, 2), "b (each)": (1.0, 2.0, 4.0, 3), "b (row max)": (1.0, 2.5, 4.0, 2)}


def test_contact_sheet_takes_samples_in_turn_from_each_group():
    ids = [f"s{i}" for i in range(9)]
    groups = ["b", "a", "b", "b", "c", "a", "b", "b", "b"]
    assert contact_sheet_ids(ids, groups, size=5) == ["s1", "s0", "s4", "s5", "s2"]
    assert contact_sheet_ids(ids, groups, size=40) == ["s1", "s0", "s4", "s5", "s2", "s3", "s6", "s7", "s8"]
    assert contact_sheet_ids([], [], size=40) == []


def test_json_ranges_leave_out_booleans_and_text():
    ranges = json_ranges(['{"ok": true, "n": 2.5, "by": {"x": false, "y": 1}}', '{"ok": false, "n": 1}'])
    assert ranges == {"by (each)": (1.0, 1.0, 1.0, 1), "by (row max)": (1.0, 1.0, 1.0, 1), "n": (1.0, 1.75, 2.5, 2)}
