"""Build one shard (records -> Arrow table) and write it atomically with pinned Parquet options.

A shard is written to a hidden temporary name in ``shards/`` and published as
``part-NNNNN.parquet`` in one step (``Location.publish_table``: a rename locally, a single-object
copy on an object store; its pinned writer options give the same records the same bytes on any
worker), so nothing half-written is ever read. A shard task that runs twice (a lost worker's task
rescheduled) publishes the same bytes twice; one that dies half-way leaves only a temporary name.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from twinforge.families import CorpusFamily, Previous
from twinforge.pipeline.atomic import TEMP_PREFIX
from twinforge.pipeline.hf import with_features
from twinforge.pipeline.manifest import SHARDS_DIR, WORKSPACE_DIR, shard_name
from twinforge.pipeline.minhash import signature
from twinforge.pipeline.plan import ShardTask
from twinforge.pipeline.reuse import ReuseSource, minhash_settings
from twinforge.pipeline.storage import Location
from twinforge.schemas.recipe import Recipe

MINHASH_FIELD = pa.field("minhash", pa.list_(pa.uint64()))


@dataclass(frozen=True)
class ShardResult:
    """What the runner records in the manifest for a finished shard (plus worker stats)."""

    shard_id: int
    file: str
    rows: int
    sha256: str
    seconds: float
    worker_pid: int
    worker_max_rss_mb: float


def shard_schema(family: CorpusFamily) -> pa.Schema:
    """The family's record schema plus the ``minhash`` signature column, with ``datasets`` features."""
    return with_features(family.declaration.record_schema.append(MINHASH_FIELD))


def build_shard(family: CorpusFamily, recipe: Recipe, task: ShardTask, workspace: Path,
                progress: Callable[[int], None] = lambda count: None,
                previous: Previous | None = None) -> pa.Table:
    """The Arrow table of one shard: one record per sample, in index order, with its MinHash.

    With ``previous`` records, the family may skip unchanged stages, and a signature is copied
    when its text and MinHash settings are those of the previous record.
    """
    records = family.make_records(recipe, task.samples(), workspace, progress, previous)
    declaration = family.declaration
    settings = (recipe.dedup.num_perm, recipe.dedup.shingle_size)
    same_settings = previous is not None and minhash_settings(previous.recipe) == settings
    for (index, _), record in zip(task.samples(), records):
        text = declaration.dedup_text(record)
        old = previous.records.get(index) if previous is not None and same_settings else None
        if old is not None and declaration.dedup_text(old) == text:
            record["minhash"] = old["minhash"]
        else:
            record["minhash"] = signature(text, *settings)
    return pa.Table.from_pylist(records, schema=shard_schema(family))


def run_shard(family: CorpusFamily, recipe: Recipe, corpus: Location, reuse: ReuseSource | None, task: ShardTask,
              report: Callable[[tuple[int, int]], None] | None = None) -> ShardResult:
    """Build and write one shard: the task every executor maps over the plan.

    ``report((shard_id, count))`` is called as records are made (per-sample progress); ``reuse``
    is a previous corpus whose unchanged stages may be copied (``generate --reuse``).
    """
    started = time.perf_counter()
    progress = (lambda count: report((task.shard_id, count))) if report else (lambda count: None)
    previous = reuse.previous_for(task) if reuse is not None else None
    table = build_shard(family, recipe, task, corpus.scratch(WORKSPACE_DIR), progress, previous)
    name = shard_name(task.shard_id)
    digest = corpus.publish_table(f"{SHARDS_DIR}/{name}", table)
    return ShardResult(
        shard_id=task.shard_id, file=name, rows=table.num_rows, sha256=digest,
        seconds=round(time.perf_counter() - started, 3), worker_pid=os.getpid(),
        worker_max_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    )


def remove_stale_temps(corpus: Location) -> int:
    """Delete temporary shard files left by a killed run or a lost worker; returns how many."""
    stale = corpus.names(SHARDS_DIR, f"{TEMP_PREFIX}*")
    for name in stale:
        corpus.remove(f"{SHARDS_DIR}/{name}")
    return len(stale)
