"""``twinforge show``: one sample, readable: its columns as text and its files (e.g. the sketch) on disk."""

from __future__ import annotations

from pathlib import Path

import pyarrow.compute as pc
import pyarrow.dataset as ds

from twinforge.errors import UserError
from twinforge.pipeline.corpus import corpus_family, shard_paths


def find_sample(corpus: str | Path, sample_id: str) -> dict:
    """The row of ``sample_id`` (``UserError`` if the corpus has none)."""
    paths = shard_paths(corpus)
    if not paths:
        raise UserError(f"{corpus}: the corpus has no finished shards")
    rows = ds.dataset([str(p) for p in paths], format="parquet").to_table(
        filter=pc.field("sample_id") == sample_id).to_pylist()
    if not rows:
        raise UserError(f"{corpus}: no sample with id {sample_id!r}")
    return rows[0]


def show_sample(corpus: str | Path, sample_id: str, sketch_out: str | Path | None = None) -> str:
    """The sample's shown columns as text; its file columns are written next to ``sketch_out``."""
    family = corpus_family(corpus)
    row = find_sample(corpus, sample_id)
    lines = [f"# {sample_id}"]
    for column in family.show_columns:
        lines += [f"## {column}", str(row[column]).rstrip(), ""]
    base = Path(sketch_out) if sketch_out else Path(f"{sample_id}{next(iter(family.show_files.values()), '')}")
    for column, suffix in family.show_files.items():
        content = row.get(column)
        if content is None:
            continue
        path = base.with_suffix(suffix)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        lines.append(f"{column} written to {path}")
    return "\n".join(lines)
