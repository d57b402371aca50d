"""``twinforge dedup``: exact and near duplicates across all shards, flagged (never dropped).

Exact duplicates share the family's exact key (for factories, the canonical spec hash). Near
duplicates are found with MinHash LSH over the signatures stored in the shards and confirmed by
the estimated Jaccard similarity. The bands are datasketch's (``MinHashLSH`` picks them); their
buckets are found by sorting each band's rows with numpy, which gives the pairs datasketch's index
gives row by row (``near_pairs_reference``, the tests' oracle) in a fraction of the time. Duplicates are joined with union-find; a
cluster's id is the smallest sample index in it, and that sample is the one flagged ``keep``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from datasketch import MinHashLSH

from twinforge.errors import UserError
from twinforge.pipeline.corpus import DEDUP_FILE, Corpus
from twinforge.pipeline.minhash import from_signature

log = logging.getLogger(__name__)

LSH_SLACK = 0.1
"""LSH proposes candidates from a similarity this much below the threshold (so that pairs just
above it are rarely missed; datasketch also needs two bands or more); the estimated Jaccard
similarity then decides against the real threshold."""
DEDUP_SCHEMA = pa.schema([
    ("sample_id", pa.string()), ("index", pa.int64()), ("exact_of", pa.string()),
    ("cluster_id", pa.int64()), ("cluster_size", pa.int64()), ("keep", pa.bool_()),
])


class UnionFind:
    """Disjoint sets over 0..n-1 whose root is always the smallest member."""

    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def lsh_index(threshold: float, num_perm: int) -> MinHashLSH:
    """An empty datasketch LSH index for ``threshold`` (minus the slack)."""
    return MinHashLSH(threshold=max(0.05, min(threshold, 0.9) - LSH_SLACK), num_perm=num_perm)


def lsh_buckets(signatures: np.ndarray, bands: int, rows: int) -> Iterator[np.ndarray]:
    """The rows (ascending) of every LSH bucket holding two rows or more, band by band.

    These are the buckets of a ``MinHashLSH`` holding every row (a bucket is a band's exact
    values), found by sorting each band's rows instead of inserting them one by one. A band is
    sorted as one opaque byte string a row (equal bytes, equal values): twice as fast as
    ``np.lexsort`` over its columns.
    """
    for band in range(bands):
        values = np.ascontiguousarray(signatures[:, band * rows:(band + 1) * rows])
        keys = values.view(f"V{rows * signatures.itemsize}").ravel()
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        starts_run = np.ones(len(order), dtype=bool)
        starts_run[1:] = ordered[1:] != ordered[:-1]
        run_starts = np.flatnonzero(starts_run)
        run_sizes = np.diff(np.append(run_starts, len(order)))
        for start, size in zip(run_starts[run_sizes > 1], run_sizes[run_sizes > 1]):
            yield order[start:start + size]  # ascending already: the stable sort keeps equal keys in row order


def near_pairs(signatures: np.ndarray, threshold: float) -> np.ndarray:
    """Every pair (i, j), i < j, sharing an LSH bucket whose estimated Jaccard similarity reaches
    ``threshold``, sorted.

    The estimate is datasketch's ``MinHash.jaccard``: the share of equal hash values. A bucket's
    rows are compared one row against the later ones, so memory stays at one bucket's signatures
    however many candidates a low threshold proposes.
    """
    num_perm = signatures.shape[1]
    lsh = lsh_index(threshold, num_perm)
    found = [np.empty((0, 2), dtype=np.int64)]
    for members in lsh_buckets(signatures, lsh.b, lsh.r):
        for position, row in enumerate(members[:-1]):
            later = members[position + 1:]
            equal = np.count_nonzero(signatures[later] == signatures[row], axis=1)
            close = later[equal / float(num_perm) >= threshold]
            if len(close):
                found.append(np.stack([np.full(len(close), row), close], axis=1))
    return np.unique(np.concatenate(found), axis=0)


def near_pairs_reference(signatures: np.ndarray, threshold: float) -> np.ndarray:
    """``near_pairs`` the plain way, through datasketch's ``MinHashLSH`` row by row (its test oracle)."""
    lsh = lsh_index(threshold, signatures.shape[1])
    pairs = []
    for row, values in enumerate(signatures):
        minhash = from_signature(values)
        pairs += [(other, row) for other in sorted(lsh.query(minhash))
                  if minhash.jaccard(from_signature(signatures[other])) >= threshold]
        lsh.insert(row, minhash)
    return np.asarray(sorted(pairs), dtype=np.int64).reshape(-1, 2)


def find_duplicates(exact_keys: list[str], signatures: np.ndarray | list[list[int]],
                    threshold: float) -> tuple[list[int | None], list[int]]:
    """For rows in index order: the row each one exactly repeats (or None), and each row's cluster root."""
    groups = UnionFind(len(exact_keys))
    first: dict[str, int] = {}
    exact_of: list[int | None] = []
    for row, key in enumerate(exact_keys):
        exact_of.append(first.get(key))
        first.setdefault(key, row)
        if exact_of[-1] is not None:
            groups.union(exact_of[-1], row)
    for a, b in near_pairs(np.asarray(signatures, dtype=np.uint64), threshold).tolist():
        groups.union(a, b)
    return exact_of, [groups.find(row) for row in range(len(exact_keys))]


def signature_matrix(column: pa.ChunkedArray) -> np.ndarray:
    """The ``list<uint64>`` signatures as one (rows, num_perm) array (a few bytes per value, not Python ints)."""
    flat = column.combine_chunks()
    sizes = set(pc.list_value_length(flat).to_pylist())
    if len(sizes) != 1:
        raise UserError(f"the corpus mixes MinHash signatures of lengths {sorted(sizes)}; regenerate it")
    return flat.flatten().to_numpy().reshape(len(flat), sizes.pop())


def dedup_corpus(corpus: Corpus, threshold: float | None = None,
                 progress: Callable[[int], None] | None = None) -> str:
    """Write ``dedup.parquet`` for a corpus and return a summary line (``progress(n)`` is told the rows once clustered)."""
    threshold = corpus.recipe.dedup.threshold if threshold is None else threshold
    if not 0 < threshold <= 1:
        raise UserError(f"--threshold must lie in (0, 1], got {threshold}")
    exact_key = corpus.family.declaration.exact_key
    read = corpus.read(columns=["index", exact_key, "minhash"])
    order = pc.sort_indices(read["index"])
    table = read.select(["sample_id", "index", exact_key]).take(order)
    signatures = signature_matrix(read["minhash"])[order.to_numpy()]
    ids = table["sample_id"].to_pylist()
    indices = table["index"].to_pylist()
    exact_of, roots = find_duplicates(table[exact_key].to_pylist(), signatures, threshold)
    if progress:
        progress(len(ids))
    sizes = np.bincount(np.asarray(roots), minlength=len(roots))
    result = pa.table({
        "sample_id": ids, "index": indices,
        "exact_of": [None if e is None else ids[e] for e in exact_of],
        "cluster_id": [indices[r] for r in roots],
        "cluster_size": [int(sizes[r]) for r in roots],
        "keep": [r == row for row, r in enumerate(roots)],
    }, schema=DEDUP_SCHEMA)
    corpus.location.publish_table(DEDUP_FILE, result)
    corpus.manifest.record_derived([DEDUP_FILE], "dedup", threshold=threshold)
    exact = sum(e is not None for e in exact_of)
    clusters = sum(1 for row, r in enumerate(roots) if r == row and sizes[r] > 1)
    in_clusters = int(sum(sizes[r] for row, r in enumerate(roots) if r == row and sizes[r] > 1))
    keep = sum(result["keep"].to_pylist())
    return (f"{corpus.location}: {len(ids)} samples; {exact} exact duplicate(s); {clusters} duplicate cluster(s) "
            f"holding {in_clusters} samples (Jaccard >= {threshold:g}); {keep} flagged keep, "
            f"{len(ids) - keep} flagged drop -> {corpus.location.show(DEDUP_FILE)}")
