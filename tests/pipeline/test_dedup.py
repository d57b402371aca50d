"""Dedup finds the planted exact and near duplicates, flags rather than drops, with stable cluster ids."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from twinforge.pipeline.corpus import open_corpus
from twinforge.pipeline.dedup import (
    UnionFind,
    dedup_corpus,
    find_duplicates,
    lsh_buckets,
    lsh_index,
    near_pairs,
    near_pairs_reference,
)
from twinforge.pipeline.minhash import from_signature, signature


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
    _, roots = find_duplicates(["1", "2", "3"], sigs, threshold=1.0)
    assert roots == [0, 1, 2]
    _, roots = find_duplicates(["1", "2", "3"], sigs, threshold=0.5)
    assert roots == [0, 0, 2]


def test_union_find_root_is_smallest():
    groups = UnionFind(6)
    groups.union(5, 3)
    groups.union(3, 4)
    groups.union(4, 1)
    assert [groups.find(i) for i in range(6)] == [0, 1, 2, 1, 1, 1]


def _planted_signatures() -> np.ndarray:
    """300 random signatures, every other one sharing a random 45-100 % of its values with an earlier one."""
    rng = np.random.default_rng(7)
    signatures = rng.integers(0, 1 << 32, size=(300, 128), dtype=np.uint64)
    for row in range(1, 300, 2):
        kept = rng.random(128) < (1.0 if row % 10 == 1 else rng.uniform(0.45, 1.0))
        signatures[row, kept] = signatures[rng.integers(0, row), kept]
    return signatures


@pytest.mark.parametrize("threshold", [0.5, 0.9])
def test_buckets_hold_datasketchs_candidates(threshold: float):
    """Sorting each band finds the buckets whose pairs datasketch's LSH index returns when queried row by row."""
    signatures = _planted_signatures()
    lsh = lsh_index(threshold, 128)
    expected = set()
    for row, values in enumerate(signatures):
        minhash = from_signature(values)
        expected |= {(other, row) for other in lsh.query(minhash)}
        lsh.insert(row, minhash)
    assert len(expected) > 100
    found = {pair for members in lsh_buckets(signatures, lsh.b, lsh.r) for pair in combinations(members.tolist(), 2)}
    assert found == expected


@pytest.mark.parametrize("threshold", [0.5, 0.8, 0.9, 1.0])
def test_banded_pairs_are_datasketchs_pairs(threshold: float):
    """The pairs found by banding and Jaccard are the plain path's (datasketch row by row)."""
    signatures = _planted_signatures()
    expected = near_pairs_reference(signatures, threshold)
    assert len(expected) >= 30
    assert near_pairs(signatures, threshold).tolist() == expected.tolist()


def test_no_pairs_among_distinct_signatures():
    signatures = np.arange(50 * 64, dtype=np.uint64).reshape(50, 64)
    assert near_pairs(signatures, 0.9).shape == (0, 2)
