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
from typing import Any, cast

import pyarrow as pa

from twinforge.collector import fewer_collections
from twinforge.families import FROM_PREVIOUS, CorpusFamily, Previous
from twinforge.pipeline.atomic import TEMP_PREFIX
from twinforge.pipeline.hf import with_features
from twinforge.pipeline.manifest import SHARDS_DIR, WORKSPACE_DIR, shard_name
from twinforge.pipeline.minhash import MINHASH_VERSION, joined_signature, part_signature, signature
from twinforge.pipeline.plan import ShardTask
from twinforge.pipeline.reuse import ReuseSource, minhash_settings
from twinforge.pipeline.storage import Location
from twinforge.schemas.recipe import Recipe

MINHASH_FIELD = pa.field("minhash", pa.list_(pa.uint64()))
MINHASH_PART_FIELD = pa.field("minhash_part", pa.list_(pa.uint32()))
"""The MinHash values of the shingles inside the family's ``dedup_part`` column, if it names one."""


SHARD_YOUNG_OBJECTS = 5_000
"""The cycle collector's first threshold while a shard is built (``collector.fewer_collections``): a
``--reuse`` run of 2,400 gdt120k samples took about 0.2 ms of CPU a sample less than at Python's 700.
Freezing the objects alive at the shard's start as well gained nothing more, and would keep the
previous shard's uncollected cycles alive."""

PROGRESS_EVERY_S = 0.25
"""Least time between two progress reports of a shard: a report from a worker process crosses two
process boundaries (about 70 us of CPU), which sent once a sample was 2 % of a ``--reuse`` run."""


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
    """The family's record schema plus the ``minhash`` signature column (and ``minhash_part`` when
    the family declares a ``dedup_part``), with ``datasets`` features."""
    schema = family.declaration.record_schema.append(MINHASH_FIELD)
    if family.declaration.dedup_part is not None:
        schema = schema.append(MINHASH_PART_FIELD)
    return with_features(schema)


def build_shard(family: CorpusFamily, recipe: Recipe, task: ShardTask, workspace: Path,
                progress: Callable[[int], None] = lambda count: None,
                previous: Previous | None = None) -> pa.Table:
    """The Arrow table of one shard: one record per sample, in index order, with its MinHash.

    With ``previous`` rows, the family may mark values ``FROM_PREVIOUS`` (copied here as Arrow
    data), and a signature is copied when its text, MinHash settings and scheme are those of the previous row.
    """
    records = family.make_records(recipe, task.samples(), workspace, progress, previous)
    indices = [index for index, _ in task.samples()]
    declaration = family.declaration
    settings = (recipe.dedup.num_perm, recipe.dedup.shingle_size)
    reusable = previous is not None and minhash_settings(previous.recipe, previous.provenance) == (*settings, MINHASH_VERSION)
    same = previous if reusable else None
    part_column = declaration.dedup_part
    parts_stored = same is not None and "minhash_part" in same.table.column_names
    for index, record in zip(indices, records):
        texts = {column: _value(record, column, index, previous) for column in declaration.dedup_columns}
        text = declaration.dedup_text(texts)
        old = ({column: same.value(index, column) for column in declaration.dedup_columns}
               if same is not None and index in same else None)
        part = None
        if part_column is not None:
            kept = parts_stored and old is not None and texts[part_column] == old[part_column]
            part = FROM_PREVIOUS if kept else part_signature(texts[part_column], *settings)
            record["minhash_part"] = part
        if old is not None and text == declaration.dedup_text(old):
            record["minhash"] = FROM_PREVIOUS
        elif part is not None:
            inner = cast(Previous, same).value(index, "minhash_part") if part is FROM_PREVIOUS else part
            record["minhash"] = joined_signature(list(texts.values()), declaration.dedup_columns.index(part_column),
                                                 inner, *settings)
        else:
            record["minhash"] = signature(text, *settings)
    return assemble(records, indices, shard_schema(family), previous)


def _value(record: dict[str, Any], column: str, index: int, previous: Previous | None) -> Any:
    """A record's value of ``column``, looked up in ``previous`` where the family kept it."""
    value = record[column]
    return previous.value(index, column) if value is FROM_PREVIOUS and previous is not None else value


def assemble(records: list[dict[str, Any]], indices: list[int], schema: pa.Schema,
             previous: Previous | None) -> pa.Table:
    """The table of ``records`` (sample ``indices[i]`` in row ``i``), built column by column.

    A column's fresh values become one Arrow array; values marked ``FROM_PREVIOUS`` are taken from
    the previous rows (``take``), so a copied sketch never becomes Python bytes. Both give the same
    values, hence the same Parquet bytes, as building the whole table from Python records.
    """
    arrays = []
    for field in schema:
        values = [record[field.name] for record in records]
        copied = sum(value is FROM_PREVIOUS for value in values)
        if not copied:
            arrays.append(pa.array(values, type=field.type))
            continue
        if previous is None:
            raise ValueError(f"column {field.name!r}: a value is FROM_PREVIOUS but there is no previous corpus")
        if copied == len(values):
            arrays.append(_rows_of(previous.table.column(field.name), [previous.rows[index] for index in indices]))
            continue
        old = previous.table.column(field.name).combine_chunks()
        fresh = [value for value in values if value is not FROM_PREVIOUS]
        position, order = len(old), []
        for index, value in zip(indices, values):
            if value is FROM_PREVIOUS:
                order.append(previous.rows[index])
            else:
                order.append(position)
                position += 1
        arrays.append(pa.concat_arrays([old, pa.array(fresh, type=field.type)]).take(order))
    return pa.table(arrays, schema=schema)


def _rows_of(column: pa.ChunkedArray, rows: list[int]) -> pa.ChunkedArray | pa.Array:
    """``column``'s values at ``rows``: a zero-copy slice when they are consecutive (old and new
    shards of one size), else a ``take``."""
    first = rows[0]
    if rows == list(range(first, first + len(rows))):
        return column.slice(first, len(rows))
    return column.take(rows)


def run_shard(family: CorpusFamily, recipe: Recipe, corpus: Location, reuse: ReuseSource | None, task: ShardTask,
              report: Callable[[tuple[int, int]], None] | None = None) -> ShardResult:
    """Build and write one shard: the task every executor maps over the plan.

    ``report((shard_id, count))`` is called as records are made (per-sample progress); ``reuse``
    is a previous corpus whose unchanged stages may be copied (``generate --reuse``).
    """
    started = time.perf_counter()
    progress = throttled(lambda count: report((task.shard_id, count))) if report else (lambda count: None)
    previous = reuse.previous_for(task) if reuse is not None else None
    with fewer_collections(SHARD_YOUNG_OBJECTS):
        table = build_shard(family, recipe, task, corpus.scratch(WORKSPACE_DIR), progress, previous)
    name = shard_name(task.shard_id)
    digest = corpus.publish_table(f"{SHARDS_DIR}/{name}", table)
    return ShardResult(
        shard_id=task.shard_id, file=name, rows=table.num_rows, sha256=digest,
        seconds=round(time.perf_counter() - started, 3), worker_pid=os.getpid(),
        worker_max_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    )


def throttled(send: Callable[[int], None], every_s: float = PROGRESS_EVERY_S) -> Callable[[int], None]:
    """A progress callback that adds up counts and passes the sum to ``send`` at most once every
    ``every_s`` seconds; what is left at the end is not sent (the shard's result carries its rows)."""
    pending, last = 0, time.monotonic()

    def progress(count: int) -> None:
        nonlocal pending, last
        pending += count
        now = time.monotonic()
        if now - last >= every_s:
            send(pending)
            pending, last = 0, now

    return progress


def remove_stale_temps(corpus: Location) -> int:
    """Delete temporary shard files left by a killed run or a lost worker; returns how many."""
    stale = corpus.names(SHARDS_DIR, f"{TEMP_PREFIX}*")
    for name in stale:
        corpus.remove(f"{SHARDS_DIR}/{name}")
    return len(stale)
