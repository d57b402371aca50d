"""Build one shard (records -> Arrow table) and write it atomically with pinned Parquet options.

A shard is written to a hidden temporary name in ``shards/``, fsynced, hashed and renamed to
``part-NNNNN.parquet``; readers glob ``part-*.parquet`` only, so nothing half-written is ever
read. The writer options are pinned (codec, level, row group size, no timestamps) so the same
records give the same bytes on any worker.
"""

from __future__ import annotations

import hashlib
import os
import resource
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from twinforge.families.base import CorpusFamily
from twinforge.pipeline.corpus import shard_name
from twinforge.pipeline.minhash import signature
from twinforge.pipeline.plan import ShardTask
from twinforge.schemas.recipe import Recipe

MINHASH_FIELD = pa.field("minhash", pa.list_(pa.uint64()))
TEMP_PREFIX = ".tmp-"
PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
    "data_page_size": 1 << 20,
    "write_page_index": False,
    "store_schema": True,
}
ROW_GROUP_SIZE = 256


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
    """The family's record schema plus the ``minhash`` signature column."""
    return family.arrow_schema().append(MINHASH_FIELD)


def build_shard(family: CorpusFamily, recipe: Recipe, task: ShardTask) -> pa.Table:
    """The Arrow table of one shard: one record per sample, in index order, with its MinHash."""
    records = family.make_records(recipe, task.samples())
    for record in records:
        record["minhash"] = signature(family.dedup_text(record), recipe.dedup.num_perm, recipe.dedup.shingle_size)
    return pa.Table.from_pylist(records, schema=shard_schema(family))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_atomically(table: pa.Table, path: Path) -> str:
    """Write ``table`` to ``path`` via a fsynced temporary file and a rename; returns the SHA-256."""
    temp = path.with_name(f"{TEMP_PREFIX}{path.name}.{os.getpid()}")
    pq.write_table(table, temp, row_group_size=ROW_GROUP_SIZE, **PARQUET_OPTIONS)
    with temp.open("rb") as handle:
        os.fsync(handle.fileno())
    digest = file_sha256(temp)
    os.replace(temp, path)
    fsync_dir(path.parent)
    return digest


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def run_shard(family: CorpusFamily, recipe: Recipe, shards_dir: str, task: ShardTask) -> ShardResult:
    """Build and write one shard: the task every executor maps over the plan."""
    started = time.perf_counter()
    table = build_shard(family, recipe, task)
    path = Path(shards_dir) / shard_name(task.shard_id)
    digest = write_atomically(table, path)
    return ShardResult(
        shard_id=task.shard_id, file=path.name, rows=table.num_rows, sha256=digest,
        seconds=round(time.perf_counter() - started, 3), worker_pid=os.getpid(),
        worker_max_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    )


def remove_stale_temps(shards_dir: Path) -> int:
    """Delete temporary files left by a killed run; returns how many."""
    stale = list(shards_dir.glob(f"{TEMP_PREFIX}*"))
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)
