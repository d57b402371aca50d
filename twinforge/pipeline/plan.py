"""The plan: which cell each sample index belongs to, and which shard computes it.

Coverage by construction: every cell with a positive weight gets at least ``min_per_cell``
samples (when the count allows it), the rest is shared by weight with the largest-remainder
method, and the order of samples is a seeded permutation so that every shard mixes cells.
The plan is a pure function of the recipe and the family's cells.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from twinforge.errors import UserError

log = logging.getLogger(__name__)

PLAN_STREAM = 0x706C616E
"""Spawn key of the plan's own random stream (distinct from every per-sample stream)."""


@dataclass(frozen=True)
class ShardTask:
    """One unit of work: the samples ``start .. stop-1`` and their cells."""

    shard_id: int
    start: int
    cells: tuple[Hashable, ...]

    @property
    def stop(self) -> int:
        return self.start + len(self.cells)

    def samples(self) -> list[tuple[int, Hashable]]:
        return [(self.start + offset, cell) for offset, cell in enumerate(self.cells)]


@dataclass(frozen=True)
class Plan:
    """Cells, how many samples each gets, and the cell of every sample index."""

    cells: tuple[Hashable, ...]
    counts: tuple[int, ...]
    assignment: tuple[int, ...]
    shard_size: int

    @property
    def count(self) -> int:
        return len(self.assignment)

    def shards(self) -> list[ShardTask]:
        """Contiguous runs of ``shard_size`` sample indices (the last one may be shorter)."""
        return [
            ShardTask(shard_id, start, tuple(self.cells[c] for c in self.assignment[start:start + self.shard_size]))
            for shard_id, start in enumerate(range(0, self.count, self.shard_size))
        ]


def allocate(weights: Sequence[float], count: int, minimum: int, rng: np.random.Generator) -> list[int]:
    """Share ``count`` among cells: ``minimum`` each (or as many as fit), the rest by weight.

    Cells of weight 0 get nothing. Remainders are ranked by size, ties by a seeded permutation,
    so a count smaller than the number of cells still spreads over the cells at random.
    """
    w = np.asarray(weights, dtype=float)
    positive = w > 0
    if not positive.any():
        raise UserError("the recipe's weights leave no cell with a positive weight")
    floor_min = min(minimum, count // int(positive.sum()))
    counts = np.where(positive, floor_min, 0).astype(np.int64)
    rest = count - int(counts.sum())
    quotas = rest * w / w.sum()
    whole = np.floor(quotas).astype(np.int64)
    counts += whole
    leftover = rest - int(whole.sum())
    tie = rng.permutation(len(w))
    order = sorted(np.flatnonzero(positive), key=lambda i: (-(quotas[i] - whole[i]), tie[i]))
    for i in order[:leftover]:
        counts[i] += 1
    return [int(c) for c in counts]


def make_plan(cells: Sequence[tuple[Hashable, float]], count: int, shard_size: int,
              min_per_cell: int, seed: int) -> Plan:
    """The plan for ``count`` samples over weighted ``cells``."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(PLAN_STREAM,)))
    names = tuple(cell for cell, _ in cells)
    counts = allocate([weight for _, weight in cells], count, min_per_cell, rng)
    live = sum(1 for _, weight in cells if weight > 0)
    if count < live * min_per_cell:
        log.warning("%d samples cannot give each of %d cells %d samples; coverage is not guaranteed",
                    count, live, min_per_cell)
    assignment = np.repeat(np.arange(len(names)), counts)
    order = rng.permutation(len(assignment))
    return Plan(names, tuple(counts), tuple(int(c) for c in assignment[order]), shard_size)
