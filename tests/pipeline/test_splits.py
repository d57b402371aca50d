"""Splits: deterministic ratios, clusters never straddle, OOD holds out exactly the value."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twinforge.cli import main
from twinforge.errors import UserError
from twinforge.pipeline.corpus import open_corpus
from twinforge.pipeline.splits import cut_groups, split_corpus


def assignment(corpus: Path) -> dict[str, str]:
    table = open_corpus(corpus).split_assignment()
    return dict(zip(table["sample_id"].to_pylist(), table["split"].to_pylist()))


def test_random_split_follows_ratios_and_is_deterministic(toy_corpus: Path):
    split_corpus(open_corpus(toy_corpus), "random")
    first = assignment(toy_corpus)
    counts = Counter(first.values())
    assert counts == {"train": 69, "val": 4, "test": 4}  # round(77 * 0.9), round(77 * 0.05), rest
    split_corpus(open_corpus(toy_corpus), "random")
    assert assignment(toy_corpus) == first
    assert (toy_corpus / "splits" / "random.parquet").exists()


def test_grouped_split_never_straddles_a_cluster(toy_corpus: Path):
    summary = split_corpus(open_corpus(toy_corpus), "grouped")  # runs dedup itself when needed
    split = assignment(toy_corpus)
    clusters = pq.read_table(toy_corpus / "dedup.parquet").to_pylist()
    by_cluster: dict[int, set[str]] = {}
    for row in clusters:
        by_cluster.setdefault(row["cluster_id"], set()).add(split[row["sample_id"]])
    assert any(len([r for r in clusters if r["cluster_id"] == c]) > 1 for c in by_cluster)
    assert all(len(splits) == 1 for splits in by_cluster.values())
    assert set(split.values()) == {"train", "val", "test"}
    assert "grouped" in summary


@pytest.mark.parametrize("strategy, column, value", [("ood:colour=red", "colour", "red"),
                                                      ("ood:word=word7", "words", "word7")])
def test_ood_split_holds_out_exactly_the_value(toy_corpus: Path, strategy: str, column: str, value: str):
    split_corpus(open_corpus(toy_corpus), strategy)
    split = assignment(toy_corpus)
    table = open_corpus(toy_corpus).read(columns=[column])
    for sample_id, cell in zip(table["sample_id"].to_pylist(), table[column].to_pylist()):
        held = value in cell if isinstance(cell, list) else cell == value
        assert (split[sample_id] == "test") == held
    assert {"train", "val"} <= set(split.values())


@pytest.mark.parametrize("strategy, message", [
    ("ood:colour=purple", "no sample has colour"), ("ood:size=big", "key one of"), ("stratified", "expected random"),
])
def test_bad_strategy_is_a_user_error(toy_corpus: Path, strategy: str, message: str):
    with pytest.raises(UserError, match=message):
        split_corpus(open_corpus(toy_corpus), strategy)


def test_split_command(toy_corpus: Path, capsys: pytest.CaptureFixture):
    assert main(["split", str(toy_corpus), "--strategy", "random"]) == 0
    assert "train 69" in capsys.readouterr().out


@settings(max_examples=60, deadline=None)
@given(groups=st.lists(st.integers(0, 30), min_size=1, max_size=300), seed=st.integers(0, 2**32))
def test_cut_groups_keeps_groups_whole_and_is_seeded(groups: list[int], seed: int):
    group_of = np.asarray(groups)
    split = cut_groups(group_of, (0.9, 0.05, 0.05), np.random.default_rng(seed))
    assert all(len({s for g, s in zip(groups, split) if g == group}) == 1 for group in set(groups))
    assert split == cut_groups(group_of, (0.9, 0.05, 0.05), np.random.default_rng(seed))
    if len(set(groups)) == len(groups):  # singleton groups: the counts are the rounded targets
        assert split.count("train") == round(0.9 * len(groups))
