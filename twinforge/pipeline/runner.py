"""The executor: maps a task function over tasks with Dask. The only module that imports Dask.

Three ways to run, differing only here: ``workers=1`` runs the tasks in this process one after
another; ``workers=K`` (or None: one per CPU) uses Dask's local process pool; ``scheduler=ADDR``
submits to a ``dask.distributed`` cluster (its workers must reach the same output: a shared folder
or an object-store URL; Dask runs the task of a worker that dies again elsewhere, which the shard
writer makes harmless). Each result is handed to ``on_result`` in this process as soon as its task
finishes, so the caller can record finished tasks while the others still run.

With ``on_progress``, the task function is called as ``fn(task, report)``: ``report(payload)``
may be called from inside the task (in any process) and each payload reaches ``on_progress`` in
this process soon after. On a distributed cluster the payloads are dropped (results still arrive).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

import dask
from dask.callbacks import Callback

from twinforge.errors import UserError

T = TypeVar("T")
R = TypeVar("R")
log = logging.getLogger(__name__)
CONNECT_TIMEOUT_S = 10
"""How long to wait for a ``--scheduler`` to answer before saying it cannot be reached."""
_DONE = None
PR_SET_PDEATHSIG = 1
"""prctl option: the signal a process gets when its parent dies (Linux)."""


def ignore(payload: Any) -> None:
    """A ``report`` that drops its payload (distributed runs)."""


def run_tasks(fn: Callable[..., R], tasks: Sequence[T], on_result: Callable[[R], None], *,
              workers: int | None = None, scheduler: str | None = None,
              on_progress: Callable[[Any], None] | None = None) -> None:
    """Run ``fn`` on every task; ``on_result`` sees each result in this process as it arrives."""
    if not tasks:
        return
    if scheduler:
        call = fn if on_progress is None else _WithReport(fn, ignore)
        _run_distributed(call, tasks, on_result, scheduler)
        return
    count = min(workers or os.cpu_count() or 1, len(tasks))
    if count <= 1:
        call = fn if on_progress is None else _WithReport(fn, on_progress)
        for task in tasks:
            on_result(call(task))
        return
    if on_progress is None:
        _run_processes(fn, tasks, on_result, count)
        return
    with _forwarded(on_progress) as report:
        _run_processes(_WithReport(fn, report), tasks, on_result, count)


class _WithReport:
    """``fn(task, report)`` as a one-argument callable (picklable when ``fn`` and ``report`` are)."""

    def __init__(self, fn: Callable[..., Any], report: Callable[[Any], None]):
        self.fn, self.report = fn, report

    def __call__(self, task: Any) -> Any:
        return self.fn(task, self.report)


@contextmanager
def _forwarded(on_progress: Callable[[Any], None]) -> Iterator[Callable[[Any], None]]:
    """A picklable ``report`` whose payloads a thread of this process hands to ``on_progress``."""
    with multiprocessing.Manager() as manager:
        queue = manager.Queue()

        def drain() -> None:
            while (payload := queue.get()) is not _DONE:
                on_progress(payload)

        thread = threading.Thread(target=drain, name="twinforge-progress", daemon=True)
        thread.start()
        try:
            yield queue.put
        finally:
            queue.put(_DONE)
            thread.join()


def _run_processes(fn: Callable[[T], R], tasks: Sequence[T], on_result: Callable[[R], None], count: int) -> None:
    """Dask's local process pool; results reach ``on_result`` through a post-task callback."""
    log.info("running %d task(s) on %d local worker process(es)", len(tasks), count)
    keys = set()
    delayed = []
    for position, task in enumerate(tasks):
        item = dask.delayed(fn, pure=False)(task, dask_key_name=f"task-{position}")
        keys.add(item.key)
        delayed.append(item)

    def posttask(key, result, dsk, state, worker_id) -> None:
        if key in keys:
            on_result(result)

    context = multiprocessing.get_context("spawn")
    with (ProcessPoolExecutor(count, mp_context=context, initializer=die_with_parent,
                              initargs=(os.getpid(),)) as pool,
          Callback(posttask=posttask)):
        dask.compute(*delayed, scheduler="processes", pool=pool, optimize_graph=False, chunksize=1)


def die_with_parent(parent: int) -> None:
    """Make a worker process end when ``parent`` (the ``generate`` process) dies by any signal.

    Linux delivers SIGKILL to the worker when its parent thread exits (``PR_SET_PDEATHSIG``);
    elsewhere, or if the parent is already gone, a watchdog thread checks once a second.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="twinforge-parent-watch", daemon=True).start()


def _run_distributed(fn: Callable[[T], R], tasks: Sequence[T], on_result: Callable[[R], None], address: str) -> None:
    """Submit to a running ``dask.distributed`` scheduler and collect results as they complete."""
    from distributed import Client, KilledWorker, as_completed

    try:
        client = Client(address, set_as_default=False, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, ValueError) as error:
        raise UserError(f"--scheduler {address}: cannot reach a dask scheduler there ({error})") from None
    with client:
        log.info("running %d task(s) on the cluster at %s", len(tasks), address)
        futures = client.map(fn, list(tasks), pure=False)
        for future in as_completed(futures, loop=client.loop):
            try:
                result = future.result()
            except KilledWorker as error:
                raise UserError(f"--scheduler {address}: Dask gave up on a task whose workers kept dying ({error}); "
                                "finished shards are recorded: run the same command to resume") from None
            on_result(result)
