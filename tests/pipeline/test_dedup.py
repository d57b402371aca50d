"""Dedup finds the planted exact and near duplicates, flags rather than drops, with stable cluster ids."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from twinforge.pipeline.corpus import open_corpus
from twinforge.pipeline.dedup import UnionFind, dedup_corpus, find_duplicates
from twinforge.pipeline.minhash import signature


def test_planted_duplicates_are_found(toy_corpus: Path):
    summary = dedup_corpus(open_corpus(toy_corpus))
    table = pq.read_table(toy_corpus / "dedup.parquet").to_pylist()
    by_index = {row["index"]: row for row in table}
    assert len(table) == open_corpus(toy_corpus).read(columns=["index"]).num_rows == 77
    exact = {i for i in by_index if i % 7 == 3}
    near = {i for i in by_index if i % 11 == 5 and i % 7 != 3}
    for index, row in by_index.items():
        if index in exact:
            assert row["exact_of"] == f"toy-{index - 1:07d}"
        else:
            assert row["exact_of"] is None
        if index in exact | near:
            assert row["cluster_id"] == by_index[index - 1]["cluster_id"] < index
            assert not row["keep"]
    assert {i for i, row in by_index.items() if row["cluster_size"] > 1} == (
        exact | near | {i - 1 for i in exact | near})
    assert all(row["keep"] == (row["cluster_id"] == row["index"]) for row in table)
    assert f"{len(exact)} exact duplicate(s)" in summary


def test_dedup_is_deterministic(toy_corpus: Path):
    dedup_corpus(open_corpus(toy_corpus))
    first = (toy_corpus / "dedup.parquet").read_bytes()
    dedup_corpus(open_corpus(toy_corpus))
    assert (toy_corpus / "dedup.parquet").read_bytes() == first


def test_threshold_one_keeps_only_exact_and_identical_text():
    texts = ["a b c d e f g h i j k l", "a b c d e f g h i j k m", "x y z w v u t s r q p o"]
    sigs = [signature(t, 64, 3) for t in texts]
    _, roots = find_duplicates(["1", "2", "3"], sigs, threshold=1.0, num_perm=64)
    assert roots == [0, 1, 2]
    _, roots = find_duplicates(["1", "2", "3"], sigs, threshold=0.5, num_perm=64)
    assert roots == [0, 0, 2]


def test_union_find_root_is_smallest():
    groups = UnionFind(6)
    groups.union(5, 3)
    groups.union(3, 4)
    groups.union(4, 1)
    assert [groups.find(i) for i in range(6)] == [0, 1, 2, 1, 1, 1]
