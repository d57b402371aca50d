"""The executor: maps a shard function over tasks with Dask. The only module that imports Dask.

Three ways to run, differing only here: ``workers=1`` runs the tasks in this process one after
another; ``workers=K`` (or None: one per CPU) uses Dask's local process pool; ``scheduler=ADDR``
submits to a ``dask.distributed`` cluster (its workers must see the same output folder). Each
result is handed to ``on_result`` in this process as soon as its task finishes, so the caller can
record finished shards while the others still run.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

import dask
from dask.callbacks import Callback

T = TypeVar("T")
R = TypeVar("R")
log = logging.getLogger(__name__)


def run_tasks(fn: Callable[[T], R], tasks: Sequence[T], on_result: Callable[[R], None], *,
              workers: int | None = None, scheduler: str | None = None) -> None:
    """Run ``fn`` on every task; ``on_result`` sees each result in this process as it arrives."""
    if not tasks:
        return
    if scheduler:
        _run_distributed(fn, tasks, on_result, scheduler)
        return
    count = min(workers or os.cpu_count() or 1, len(tasks))
    if count <= 1:
        for task in tasks:
            on_result(fn(task))
        return
    _run_processes(fn, tasks, on_result, count)


def _run_processes(fn: Callable[[T], R], tasks: Sequence[T], on_result: Callable[[R], None], count: int) -> None:
    """Dask's local process pool; results reach ``on_result`` through a post-task callback."""
    log.info("running %d shard task(s) on %d local worker process(es)", len(tasks), count)
    keys = set()
    delayed = []
    for position, task in enumerate(tasks):
        item = dask.delayed(fn, pure=False)(task, dask_key_name=f"shard-{position}")
        keys.add(item.key)
        delayed.append(item)

    def posttask(key, result, dsk, state, worker_id) -> None:
        if key in keys:
            on_result(result)

    with Callback(posttask=posttask):
        dask.compute(*delayed, scheduler="processes", num_workers=count, optimize_graph=False, chunksize=1)


def _run_distributed(fn: Callable[[T], R], tasks: Sequence[T], on_result: Callable[[R], None], address: str) -> None:
    """Submit to a running ``dask.distributed`` scheduler and collect results as they complete."""
    from distributed import Client, as_completed

    with Client(address, set_as_default=False) as client:
        log.info("running %d shard task(s) on the cluster at %s", len(tasks), address)
        futures = client.map(fn, list(tasks), pure=False)
        for future in as_completed(futures, loop=client.loop):
            on_result(future.result())
