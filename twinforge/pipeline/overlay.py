"""The review overlay: reviewers' accepted prompts and flags, kept beside the shards, never in them.

``CORPUS/review/overlay.parquet`` holds one row per reviewed sample (``OVERLAY_SCHEMA``), sorted
by ``sample_id``. ``twinforge apply-edits`` writes it (atomically, listed in the manifest as a
derived output); export, eval and review read a shard through ``with_edits``, so an accepted prompt
replaces the generated one everywhere while the shard files keep their bytes and hashes.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

OVERLAY_FILE = "review/overlay.parquet"
OVERLAY_SCHEMA = pa.schema([
    ("sample_id", pa.string()),
    ("prompt", pa.string()),
    ("prompt_source", pa.string()),
    ("prompt_version", pa.int32()),
    ("flags", pa.list_(pa.string())),
    ("comment", pa.string()),
    ("reviewer", pa.string()),
    ("time", pa.string()),
])
"""``prompt`` is null when only flags were given; ``prompt_version`` counts accepted edits (0: none)."""


def with_edits(table: pa.Table, overlay: pa.Table | None, prompt_column: str,
               source_column: str | None) -> pa.Table:
    """``table`` with each edited sample's prompt (and prompt source) taken from ``overlay``."""
    if overlay is None or prompt_column not in table.column_names:
        return table
    edited = overlay.filter(pc.is_valid(overlay["prompt"]))
    position = pc.index_in(table["sample_id"], value_set=edited["sample_id"])
    found = pc.is_valid(position)
    for column, value in ((prompt_column, "prompt"), (source_column, "prompt_source")):
        if column is None or column not in table.column_names:
            continue
        replaced = pc.if_else(found, pc.take(edited[value], position), table[column])
        table = table.set_column(table.schema.get_field_index(column), column, replaced)
    return table


def flagged_ids(overlay: pa.Table | None) -> frozenset[str]:
    """Sample ids a reviewer flagged (export leaves them out)."""
    if overlay is None:
        return frozenset()
    rows = overlay.filter(pc.greater(pc.list_value_length(overlay["flags"]), 0))
    return frozenset(rows["sample_id"].to_pylist())
