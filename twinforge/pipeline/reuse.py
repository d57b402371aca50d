"""``generate --reuse DIR``: hand each shard task the previous corpus's rows of its samples.

The engine only finds the rows (by sample index: a shard holds its plan's indices in order, so
row ``r`` of old shard ``k`` is sample ``k * shard_size + r``), copies the values a family marks
``FROM_PREVIOUS`` as Arrow data (``shards.assemble``), and reuses MinHash signatures whose text,
settings and scheme (``minhash_settings``) are unchanged. Which of a sample's stages can be skipped is the family's call
(``CorpusFamily.make_records``' ``previous``): it compares the inputs and versions of each stage
with what the old row holds, so a reused value is always the one a fresh run computes.

The previous corpus is opened like any other (complete, exactly the manifest's shard files), and
each shard's SHA-256 is checked on the bytes a task reads (in the workers, each file read once,
instead of hashing the whole corpus before the run starts). When Python or a third-party package
that shapes the bytes has another version, nothing is reused (twinforge's own changes are tracked
by the families' stage versions).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from twinforge.errors import CorruptCorpus, UserError
from twinforge.families import Previous
from twinforge.pipeline.corpus import open_corpus
from twinforge.pipeline.manifest import SHARDS_DIR
from twinforge.pipeline.plan import ShardTask
from twinforge.pipeline.storage import Location

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReuseSource:
    """A verified previous corpus, as shard tasks read it (picklable: it travels to workers)."""

    location: Location
    shard_size: int
    shard_files: tuple[str, ...]
    digests: tuple[str, ...]
    """The manifest's SHA-256 of each shard file, checked as a task reads the file."""
    provenance: Mapping[str, str]
    settings: Mapping[str, Any]
    """The previous recipe's data (the family compares the settings each stage depends on)."""

    def previous_for(self, task: ShardTask) -> Previous:
        """The previous rows of the task's sample indices (those the old corpus has), as Arrow."""
        first, last = task.start // self.shard_size, (task.stop - 1) // self.shard_size
        parts, rows = [], {}
        for number in range(first, min(last, len(self.shard_files) - 1) + 1):
            table = self._read(number)
            offset = number * self.shard_size
            begin, end = max(task.start - offset, 0), min(task.stop - offset, table.num_rows)
            if begin >= end:
                continue
            base = len(rows)
            rows.update((offset + row, base + row - begin) for row in range(begin, end))
            parts.append(table.slice(begin, end - begin))
        table = pa.concat_tables(parts) if parts else pa.table({})
        return Previous(provenance=self.provenance, recipe=self.settings, table=table, rows=rows)

    def _read(self, number: int) -> pa.Table:
        """Old shard ``number``, read once: its bytes must have the manifest's SHA-256."""
        relative = f"{SHARDS_DIR}/{self.shard_files[number]}"
        data = self.location.read_buffer(relative)
        if hashlib.sha256(data).hexdigest() != self.digests[number]:
            raise CorruptCorpus(f"--reuse {self.location.show(relative)}: SHA-256 differs from the manifest "
                                "(damaged or replaced); regenerate without --reuse or repair the previous corpus")
        return pq.ParquetFile(pa.BufferReader(data)).read()  # read_table imports pyarrow.dataset (~0.2 s a process)


def reuse_source(where: Location, out: Location, family_name: str,
                 versions: Mapping[str, str]) -> ReuseSource | None:
    """Open ``where`` for reuse by a run of a ``family_name`` recipe into ``out`` (None: nothing can be reused)."""
    if _same_place(where, out):
        raise UserError(f"--reuse {where}: is the output corpus itself; regenerate into another --out")
    previous = open_corpus(where, verify=False)  # each shard's SHA-256 is checked as a task reads it
    if previous.recipe.family != family_name:
        raise UserError(f"--reuse {where}: is a {previous.recipe.family!r} corpus, the recipe is {family_name!r}")
    old_versions = previous.manifest.data.get("versions", {})
    changed = sorted(name for name, version in versions.items()
                     if name != "twinforge" and old_versions.get(name) != version)
    if changed:
        log.warning("--reuse %s: not reused, since these versions differ: %s", where, ", ".join(changed))
        return None
    plan = previous.manifest.data["plan"]
    files = tuple(previous.manifest.shard_files())
    return ReuseSource(previous.location, plan["shard_size"], files,
                       tuple(previous.manifest.shards[name]["sha256"] for name in files),
                       dict(previous.manifest.data["provenance"]), dict(previous.manifest.data["recipe"]))


def _same_place(one: Location, other: Location) -> bool:
    """Whether two locations are the same corpus (local folders compared resolved)."""
    if one.local is not None and other.local is not None:
        return one.local.resolve() == other.local.resolve()
    return str(one).rstrip("/") == str(other).rstrip("/")


def minhash_settings(recipe_data: Mapping[str, Any], provenance: Mapping[str, str]) -> tuple[Any, Any, Any]:
    """What a MinHash signature depends on beside its text: the recipe's ``num_perm`` and
    ``shingle_size``, and the scheme's ``MINHASH_VERSION`` (``minhash`` in the provenance; None
    for a corpus that did not record it, whose signatures are SHA-1 ones)."""
    dedup = recipe_data.get("dedup", {})
    return dedup.get("num_perm"), dedup.get("shingle_size"), provenance.get("minhash")
