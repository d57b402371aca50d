"""``twinforge split``: train/val/test assignments, deterministic for a corpus.

- ``random``: a seeded permutation cut at the recipe's ratios (the paper's 90/5/5).
- ``grouped``: whole dedup clusters are assigned, so near duplicates never straddle splits.
- ``ood:<key>=<value>``: every sample with that value (a layer value, or e.g. ``family=weibull``
  for any sample using the family) is the test split; the rest is cut grouped into train and val.
"""

from __future__ import annotations

import logging
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from twinforge.errors import UserError
from twinforge.pipeline.corpus import DEDUP_FILE, SPLIT_ASSIGNMENT, SPLIT_NAMES, SPLITS_DIR, Corpus

log = logging.getLogger(__name__)
SPLIT_STREAM = 0x73706C74
"""Spawn key of the split's random stream."""
ASSIGNMENT_SCHEMA = pa.schema([("sample_id", pa.string()), ("split", pa.string())])


def _targets(total: int, ratios: tuple[float, float, float]) -> tuple[int, int]:
    """Cumulative boundaries (end of train, end of val) for ``total`` items."""
    n_train = round(total * ratios[0])
    n_val = round(total * ratios[1])
    return n_train, min(total, n_train + n_val)


def cut_groups(group_of: np.ndarray, ratios: tuple[float, float, float], rng: np.random.Generator) -> list[str]:
    """Assign whole groups in a seeded order: a group goes where its first member falls on the cumulative line."""
    groups, sizes = np.unique(group_of, return_counts=True)
    order = rng.permutation(len(groups))
    train_end, val_end = _targets(len(group_of), ratios)
    split_of_group: dict[int, str] = {}
    position = 0
    for g in order:
        split_of_group[int(groups[g])] = "train" if position < train_end else "val" if position < val_end else "test"
        position += int(sizes[g])
    return [split_of_group[int(g)] for g in group_of]


def _clusters(corpus: Corpus, ids: list[str]) -> np.ndarray:
    """Each sample's dedup cluster id (running dedup first if its output is missing or stale).

    The dedup stage is imported only then: datasketch pulls in scipy.integrate, about a second
    of start-up that a split of a deduplicated corpus does not need.
    """
    if not corpus.has_derived(DEDUP_FILE):
        from twinforge.pipeline.dedup import dedup_corpus

        log.info("%s", dedup_corpus(corpus))
    table = corpus.location.read_table(corpus.derived(DEDUP_FILE, "dedup"), columns=["sample_id", "cluster_id"])
    cluster = dict(zip(table["sample_id"].to_pylist(), table["cluster_id"].to_pylist()))
    return np.asarray([cluster[i] for i in ids], dtype=np.int64)


def _holds(column: pa.ChunkedArray, value: str) -> np.ndarray:
    """Rows whose value is ``value`` (string column) or contains it (list column)."""
    if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        return np.asarray([value in (row or ()) for row in column.to_pylist()], dtype=bool)
    return pc.equal(column, value).to_numpy(zero_copy_only=False)


def strategy_file(strategy: str) -> str:
    """File name under ``splits/`` for a strategy (``ood:layout=u_shaped`` -> ``ood-layout-u_shaped``)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", strategy) + ".parquet"


def assign_splits(corpus: Corpus, strategy: str) -> pa.Table:
    """``sample_id, split`` for every sample (sorted by sample index)."""
    recipe, split_keys = corpus.recipe, corpus.family.declaration.split_keys
    ratios = (recipe.splits.train, recipe.splits.val, recipe.splits.test)
    rng = np.random.default_rng(np.random.SeedSequence(recipe.seed, spawn_key=(SPLIT_STREAM,)))
    if strategy == "random":
        table = corpus.read(columns=["index"]).sort_by("index")
        ids = table["sample_id"].to_pylist()
        split = cut_groups(np.arange(len(ids)), ratios, rng)
    elif strategy == "grouped":
        table = corpus.read(columns=["index"]).sort_by("index")
        ids = table["sample_id"].to_pylist()
        split = cut_groups(_clusters(corpus, ids), ratios, rng)
    elif strategy.startswith("ood:"):
        key, sep, value = strategy[4:].partition("=")
        if not sep or not value or key not in split_keys:
            raise UserError(f"--strategy {strategy!r}: expected ood:<key>=<value> with key one of "
                            f"{', '.join(split_keys)}")
        column = split_keys[key]
        table = corpus.read(columns=["index", column]).sort_by("index")
        ids = table["sample_id"].to_pylist()
        held = _holds(table[column], value)
        if not held.any():
            raise UserError(f"--strategy {strategy!r}: no sample has {key} = {value!r}")
        if held.all():
            raise UserError(f"--strategy {strategy!r}: every sample has {key} = {value!r}; nothing left to train on")
        rest = np.flatnonzero(~held)
        share = ratios[0] + ratios[1]
        inner_ratios = (ratios[0] / share, ratios[1] / share, 0.0) if share > 0 else (1.0, 0.0, 0.0)
        inner = cut_groups(_clusters(corpus, ids)[rest], inner_ratios, rng)
        split = ["test"] * len(ids)
        for row, name in zip(rest, inner):
            split[int(row)] = name
    else:
        raise UserError(f"--strategy {strategy!r}: expected random, grouped or ood:<key>=<value>")
    return pa.table({"sample_id": ids, "split": split}, schema=ASSIGNMENT_SCHEMA)


def split_corpus(corpus: Corpus, strategy: str = "grouped") -> str:
    """Write ``splits/<strategy>.parquet`` and ``splits/assignment.parquet``; returns a summary."""
    assignment = assign_splits(corpus, strategy)
    corpus.location.makedirs(SPLITS_DIR)
    kept = f"{SPLITS_DIR}/{strategy_file(strategy)}"
    corpus.location.publish_table(kept, assignment)
    corpus.location.publish_table(SPLIT_ASSIGNMENT, assignment)
    corpus.manifest.record_derived([kept, SPLIT_ASSIGNMENT], "split", strategy=strategy)
    names = assignment["split"].to_pylist()
    counts = ", ".join(f"{name} {names.count(name)}" for name in SPLIT_NAMES)
    return f"{corpus.location}: split {strategy!r}: {counts} -> {corpus.location.show(kept)}"
