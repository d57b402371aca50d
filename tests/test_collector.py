"""collector.fewer_collections: the collector's first threshold is raised only inside the block (a
higher one the caller set is kept), objects alive at its start are frozen only when asked and none
are frozen already, and everything is restored afterwards, also when the block raises."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from twinforge.collector import fewer_collections


@pytest.fixture
def collector_state() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)
    gc.unfreeze()


@pytest.mark.parametrize("first", [700, 50_000])
def test_threshold_is_raised_in_the_block_and_restored_after_an_error(collector_state, first: int) -> None:
    gc.set_threshold(first, 10, 10)
    with pytest.raises(RuntimeError), fewer_collections(5_000):
        assert gc.get_threshold() == (max(first, 5_000), 10, 10)
        raise RuntimeError("the block failed")
    assert gc.get_threshold() == (first, 10, 10)


def test_freeze_holds_the_objects_alive_at_the_start_and_releases_them(collector_state) -> None:
    assert gc.get_freeze_count() == 0
    with fewer_collections(5_000, freeze=True):
        frozen = gc.get_freeze_count()
        assert frozen > 0
        young = [[] for _ in range(1_000)]  # a second freeze would take these too
        with fewer_collections(5_000, freeze=True):
            # an inner block neither freezes more nor thaws; another thread (pytest-xdist's) may free a few
            assert 0 < gc.get_freeze_count() <= frozen
        assert 0 < gc.get_freeze_count() <= frozen
        del young
    assert gc.get_freeze_count() == 0


def test_without_freeze_nothing_is_frozen(collector_state) -> None:
    with fewer_collections(5_000):
        assert gc.get_freeze_count() == 0
