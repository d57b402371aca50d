"""``twinforge generate``: recipe -> plan -> shard tasks -> ``shards/part-NNNNN.parquet`` + manifest.

Resume is the default: a shard listed in ``manifest.json`` whose file still has the recorded
SHA-256 is skipped; anything else in the plan is (re)computed. A corpus made from another recipe
(or other template versions) is never mixed with new shards: that is an error unless
``resume=False``, which starts the corpus afresh. Outputs derived from the shards (dedup, splits,
coverage, card) are removed whenever shards are written, since they would be stale.
"""

from __future__ import annotations

import functools
import json
import logging
import platform
import shutil
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from tqdm import tqdm

from twinforge.errors import UserError
from twinforge.families import load_family
from twinforge.pipeline.corpus import (
    CARD_DIR,
    COVERAGE_FILE,
    DEDUP_FILE,
    MANIFEST,
    SHARDS_DIR,
    SPLITS_DIR,
    read_recipe_file,
    shard_name,
    write_json_atomically,
)
from twinforge.pipeline.plan import make_plan
from twinforge.pipeline.runner import run_tasks
from twinforge.pipeline.shards import ShardResult, file_sha256, remove_stale_temps, run_shard

log = logging.getLogger(__name__)
MANIFEST_FORMAT = 1
VERSIONED_PACKAGES = ("twinforge", "numpy", "pyarrow", "pydantic", "jinja2", "datasketch", "dask",
                      "distributed", "drawsvg", "skia-python", "simpy", "lark")


def package_versions() -> dict[str, str]:
    """Versions of Python and of the packages that shape a corpus's bytes."""
    versions = {"python": platform.python_version()}
    for name in VERSIONED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _identity(recipe_data: dict[str, Any], provenance: dict[str, str]) -> str:
    return json.dumps({"recipe": recipe_data, "provenance": provenance}, sort_keys=True)


def _finished(shards_dir: Path, entry: dict[str, Any] | None) -> bool:
    if not entry:
        return False
    path = shards_dir / entry["file"]
    return path.exists() and file_sha256(path) == entry["sha256"]


def generate_corpus(recipe_path: str | Path, *, n: int | None = None, out: str | Path | None = None,
                    workers: int | None = None, scheduler: str | None = None, resume: bool = True,
                    progress: bool = True) -> str:
    """Generate (or finish) the corpus of a recipe; returns a one-paragraph summary."""
    recipe = read_recipe_file(recipe_path)
    if n is not None:
        if n < 1:
            raise UserError(f"--n must be at least 1, got {n}")
        recipe = recipe.with_count(n)
    if workers is not None and workers < 1:
        raise UserError(f"--workers must be at least 1, got {workers}")
    family = load_family(recipe.family)
    family.preflight(recipe)
    corpus = Path(out) if out else Path("outputs") / recipe.name
    plan = make_plan(family.cells(recipe), recipe.count, recipe.shard_size, recipe.plan.min_per_cell, recipe.seed)
    tasks = plan.shards()

    recipe_data = json.loads(recipe.model_dump_json())
    provenance = family.provenance(recipe)
    manifest = _open_manifest(corpus, recipe_data, provenance, resume)
    shards_dir = corpus / SHARDS_DIR
    shards_dir.mkdir(parents=True, exist_ok=True)
    if removed := remove_stale_temps(shards_dir):
        log.info("removed %d stale temporary file(s) from an interrupted run", removed)
    planned = {shard_name(task.shard_id) for task in tasks}
    for stray in shards_dir.glob("part-*.parquet"):
        if stray.name not in planned:
            stray.unlink()
    manifest.update({
        "format": MANIFEST_FORMAT, "recipe": recipe_data, "recipe_file": str(recipe_path),
        "family": family.name, "provenance": provenance, "versions": package_versions(),
        "plan": {"count": plan.count, "shard_size": plan.shard_size, "shard_count": len(tasks),
                 "cells": sum(1 for c in plan.counts if c > 0), "min_per_cell": recipe.plan.min_per_cell},
    })
    shards = manifest.setdefault("shards", {})
    todo = [task for task in tasks if not _finished(shards_dir, shards.get(shard_name(task.shard_id)))]
    for task in todo:
        shards.pop(shard_name(task.shard_id), None)
    manifest["complete"] = not todo
    if todo:
        _remove_derived(corpus)
    write_json_atomically(corpus / MANIFEST, manifest)

    done_rows = plan.count - sum(len(task.cells) for task in todo)
    bar = tqdm(total=plan.count, initial=done_rows, unit="sample", file=sys.stderr, disable=not progress,
               desc=f"generate {recipe.name}", dynamic_ncols=True)
    peaks: dict[int, float] = {}

    def record(result: ShardResult) -> None:
        shards[result.file] = {"file": result.file, "rows": result.rows, "sha256": result.sha256,
                               "seconds": result.seconds, "worker_pid": result.worker_pid,
                               "worker_max_rss_mb": result.worker_max_rss_mb}
        peaks[result.worker_pid] = max(peaks.get(result.worker_pid, 0.0), result.worker_max_rss_mb)
        manifest["complete"] = len(shards) == len(tasks)
        write_json_atomically(corpus / MANIFEST, manifest)
        bar.update(result.rows)

    worker_fn = functools.partial(run_shard, family, recipe, str(shards_dir))
    started = time.perf_counter()
    try:
        run_tasks(worker_fn, todo, record, workers=workers, scheduler=scheduler)
    finally:
        bar.close()
    elapsed = time.perf_counter() - started
    computed = sum(len(task.cells) for task in todo)
    rate = f" in {elapsed:.1f} s, {computed / elapsed:.1f} samples/s" if todo else ""
    peak = f"; peak RSS per worker {max(peaks.values()):.0f} MB" if peaks else ""
    return (f"{corpus}: {plan.count} samples in {len(tasks)} shards "
            f"({len(todo)} computed{rate}, {len(tasks) - len(todo)} already done){peak}")


def _open_manifest(corpus: Path, recipe_data: dict[str, Any], provenance: dict[str, str],
                   resume: bool) -> dict[str, Any]:
    """The existing manifest to resume, or a fresh one (checking that recipes match)."""
    path = corpus / MANIFEST
    if not path.exists():
        if (corpus / SHARDS_DIR).is_dir() and any((corpus / SHARDS_DIR).iterdir()):
            if resume:
                raise UserError(f"{corpus}: has shards but no {MANIFEST}; use --no-resume to start afresh")
            shutil.rmtree(corpus / SHARDS_DIR)
        return {}
    old = json.loads(path.read_text(encoding="utf-8"))
    if _identity(old.get("recipe", {}), old.get("provenance", {})) == _identity(recipe_data, provenance):
        if resume:
            return old
    elif resume:
        changed = sorted(key for key in set(recipe_data) | set(old.get("recipe", {}))
                         if recipe_data.get(key) != old.get("recipe", {}).get(key))
        what = f"recipe field(s) {', '.join(changed)}" if changed else "template versions"
        raise UserError(f"{corpus}: was generated with a different recipe ({what} changed); "
                        "use --no-resume to regenerate it, or --out for a new folder")
    shutil.rmtree(corpus / SHARDS_DIR, ignore_errors=True)
    _remove_derived(corpus)
    return {}


def _remove_derived(corpus: Path) -> None:
    for name in (DEDUP_FILE, COVERAGE_FILE):
        (corpus / name).unlink(missing_ok=True)
    for name in (SPLITS_DIR, CARD_DIR):
        shutil.rmtree(corpus / name, ignore_errors=True)
