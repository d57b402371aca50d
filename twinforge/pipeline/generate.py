"""``twinforge generate``: recipe -> plan -> what is left -> run the shard tasks -> summary.

Resume is the default: a shard listed in ``manifest.json`` whose file still has the recorded
SHA-256 is skipped; anything else in the plan is (re)computed. A corpus made from another recipe
(or other template versions) is never mixed with new shards: that is an error unless
``resume=False``, which starts the corpus afresh. When shards are written, the derived outputs
the manifest lists (dedup, splits, coverage, card) are removed, since they would be stale;
nothing else in the folder is touched, and a non-empty folder that is not a corpus is refused.
"""

from __future__ import annotations

import functools
import logging
import platform
import sys
import threading
import time
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from tqdm import tqdm

from twinforge.errors import UserError
from twinforge.families import load_family
from twinforge.pipeline.manifest import SHARDS_DIR, Identity, Manifest, shard_name
from twinforge.pipeline.minhash import MINHASH_VERSION
from twinforge.pipeline.plan import Plan, ShardTask, make_plan
from twinforge.pipeline.recipes import read_recipe_file
from twinforge.pipeline.reuse import reuse_source
from twinforge.pipeline.runner import run_tasks
from twinforge.pipeline.shards import ShardResult, remove_stale_temps, run_shard
from twinforge.pipeline.storage import Location

log = logging.getLogger(__name__)
ENGINE_PACKAGES = ("twinforge", "numpy", "pyarrow", "pydantic", "datasketch", "dask", "distributed")
"""Packages whose versions shape every corpus's bytes; a family declares its own beside them."""


def package_versions(family_packages: tuple[str, ...]) -> dict[str, str]:
    """Versions of Python and of the packages that shape a corpus's bytes."""
    versions = {"python": platform.python_version()}
    for name in dict.fromkeys((*ENGINE_PACKAGES, *family_packages)):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def generate_corpus(recipe_path: str | Path, *, n: int | None = None, out: str | Path | None = None,
                    workers: int | None = None, scheduler: str | None = None, resume: bool = True,
                    progress: bool = True, reuse: str | Path | None = None,
                    storage_options: Mapping[str, Any] | None = None) -> str:
    """Generate (or finish) the corpus of a recipe; returns a one-paragraph summary.

    ``out`` is a local folder or an fsspec URL (``storage.Location``; ``storage_options`` for it and
    for ``reuse``, a previous corpus whose unchanged stages are copied instead of recomputed).
    """
    recipe = read_recipe_file(recipe_path)
    if n is not None:
        if n < 1:
            raise UserError(f"--n must be at least 1, got {n}")
        recipe = recipe.with_count(n)
    if workers is not None and workers < 1:
        raise UserError(f"--workers must be at least 1, got {workers}")
    family = load_family(recipe.family)
    family.preflight(recipe)
    corpus = Location.of(out if out else Path("outputs") / recipe.name, storage_options)
    plan = make_plan(family.cells(recipe), recipe.count, recipe.shard_size, recipe.plan.min_per_cell, recipe.seed)
    tasks = plan.shards()

    source = None if reuse is None else reuse_source(Location.of(reuse, storage_options), corpus, family.declaration.name,
                                                     package_versions(family.declaration.packages))
    identity = Identity(recipe.to_data(), family.declaration.name,
                        {**family.provenance(recipe), "minhash": MINHASH_VERSION})
    manifest = Manifest.for_run(corpus, identity, resume)
    todo = _prepare(manifest, identity, plan, tasks, str(recipe_path), family.declaration.packages)

    done_rows = plan.count - sum(len(task.cells) for task in todo)
    bar = tqdm(total=plan.count, initial=done_rows, unit="sample", file=sys.stderr, disable=not progress,
               desc=f"generate {recipe.name}", dynamic_ncols=True)
    peaks: dict[int, float] = {}
    ticked: dict[int, int] = {}
    running = {task.shard_id for task in todo}
    lock = threading.Lock()

    def tick(payload: tuple[int, int]) -> None:
        """Per-sample progress from a worker (late ticks of a finished shard are ignored)."""
        shard_id, count = payload
        with lock:
            if shard_id in running:
                ticked[shard_id] = ticked.get(shard_id, 0) + count
                bar.update(count)

    def record(result: ShardResult) -> None:
        manifest.record_shard({"file": result.file, "rows": result.rows, "sha256": result.sha256,
                               "seconds": result.seconds, "worker_pid": result.worker_pid,
                               "worker_max_rss_mb": result.worker_max_rss_mb})
        peaks[result.worker_pid] = max(peaks.get(result.worker_pid, 0.0), result.worker_max_rss_mb)
        with lock:
            running.discard(result.shard_id)
            bar.update(result.rows - ticked.pop(result.shard_id, 0))

    worker_fn = functools.partial(run_shard, family, recipe, corpus, source)
    started = time.perf_counter()
    try:
        run_tasks(worker_fn, todo, record, workers=workers, scheduler=scheduler, on_progress=tick if progress else None)
    finally:
        bar.close()
    remove_stale_temps(corpus)
    elapsed = time.perf_counter() - started
    computed = sum(len(task.cells) for task in todo)
    rate = f" in {elapsed:.1f} s, {computed / elapsed:.1f} samples/s" if todo else ""
    reused = f"; unchanged stages copied from {source.location}" if source is not None else ""
    peak = f"; peak RSS per worker {max(peaks.values()):.0f} MB" if peaks else ""
    return (f"{corpus}: {plan.count} samples in {len(tasks)} shards "
            f"({len(todo)} computed{rate}, {len(tasks) - len(todo)} already done){peak}{reused}")


def _prepare(manifest: Manifest, identity: Identity, plan: Plan, tasks: list[ShardTask], recipe_file: str,
             packages: tuple[str, ...]) -> list[ShardTask]:
    """Bring the manifest up to this run and return the shard tasks still to compute.

    Shards the manifest lists beyond the plan are removed (twinforge wrote them); a shard file the
    manifest does not list and the plan does not name is someone else's, and is refused.
    """
    manifest.corpus.makedirs(SHARDS_DIR)
    if removed := remove_stale_temps(manifest.corpus):
        log.info("removed %d stale temporary file(s) from an interrupted run", removed)
    planned = {shard_name(task.shard_id) for task in tasks}
    foreign = [name for name in manifest.corpus.names(SHARDS_DIR, "part-*.parquet")
               if name not in planned and name not in manifest.shards]
    if foreign:
        raise UserError(f"{manifest.corpus.show(SHARDS_DIR)}: holds {', '.join(foreign)}, which this corpus did "
                        "not write; move it away or choose another --out")
    manifest.remove_shards([name for name in manifest.shard_files() if name not in planned])
    manifest.data.update({
        "recipe": identity.recipe, "recipe_file": recipe_file, "family": identity.family,
        "provenance": identity.provenance, "versions": package_versions(packages),
        "plan": {"count": plan.count, "shard_size": plan.shard_size, "shard_count": len(tasks),
                 "cells": sum(1 for c in plan.counts if c > 0),
                 "min_per_cell": identity.recipe["plan"]["min_per_cell"]},
    })
    todo = [task for task in tasks if not manifest.finished(shard_name(task.shard_id))]
    manifest.forget_shards(shard_name(task.shard_id) for task in todo)
    manifest.data["complete"] = not todo
    if todo:
        manifest.invalidate_derived()
    manifest.save()
    return todo
