"""The plan: every weighted cell covered, counts exact, shards contiguous, all a pure function of the seed."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twinforge.errors import UserError
from twinforge.pipeline.plan import make_plan


@settings(max_examples=80, deadline=None)
@given(
    weights=st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0, 7.0]), min_size=1, max_size=40),
    count=st.integers(1, 3000), minimum=st.integers(0, 5), shard_size=st.integers(1, 400),
    seed=st.integers(0, 2**32),
)
def test_plan_covers_every_weighted_cell(weights, count, minimum, shard_size, seed):
    cells = [(f"cell{i}", w) for i, w in enumerate(weights)]
    live = sum(w > 0 for w in weights)
    if not live:
        with pytest.raises(UserError):
            make_plan(cells, count, shard_size, minimum, seed)
        return
    plan = make_plan(cells, count, shard_size, minimum, seed)
    assert sum(plan.counts) == count == plan.count
    assert Counter(plan.assignment) == {i: c for i, c in enumerate(plan.counts) if c}
    for (cell, weight), got in zip(cells, plan.counts):
        if weight == 0:
            assert got == 0
        elif count >= live * minimum:
            assert got >= minimum
    if count < live and len({w for w in weights if w > 0}) == 1:
        assert max(plan.counts) == 1  # equal weights, too few samples: spread one per cell
    shards = plan.shards()
    assert [s.shard_id for s in shards] == list(range(len(shards)))
    assert [i for s in shards for i, _ in s.samples()] == list(range(count))
    assert all(len(s.cells) == shard_size for s in shards[:-1])
    assert plan == make_plan(cells, count, shard_size, minimum, seed)


def test_counts_follow_weights():
    plan = make_plan([("a", 1.0), ("b", 3.0)], 400, 50, 0, seed=1)
    assert plan.counts == (100, 300)


def test_seed_changes_order_not_counts():
    cells = [(f"c{i}", 1.0) for i in range(6)]
    one, two = make_plan(cells, 60, 10, 2, seed=1), make_plan(cells, 60, 10, 2, seed=2)
    assert one.counts == two.counts
    assert one.assignment != two.assignment
    first_shard_cells = set(one.shards()[0].cells)
    assert len(first_shard_cells) > 1  # shards mix cells
