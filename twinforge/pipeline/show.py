"""``twinforge show``: one sample, readable: its columns as text and its files (e.g. a sketch) on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.compute as pc

from twinforge.errors import UserError
from twinforge.pipeline.atomic import write_bytes_atomically
from twinforge.pipeline.corpus import Corpus
from twinforge.pipeline.safe_names import check_sample_id
from twinforge.schemas.image import image_bytes


def find_sample(corpus: Corpus, sample_id: str) -> dict[str, Any]:
    """The row of ``sample_id``, a reviewer's applied prompt in place (``UserError`` if the corpus has none)."""
    check_sample_id(sample_id)
    for name in corpus.shard_names:
        table = corpus.read_shard(name)
        rows = corpus.reviewed(table.filter(pc.equal(table["sample_id"], sample_id))).to_pylist()
        if rows:
            return rows[0]
    raise UserError(f"{corpus.location}: no sample with id {sample_id!r}")


def show_sample(corpus: Corpus, sample_id: str, files_out: str | Path | None = None) -> str:
    """The sample's shown columns as text; its file columns are written beside ``files_out``.

    Each file column goes to ``files_out`` with that column's suffix (for a family that declares
    ``.svg`` and ``.png`` files, ``x`` or ``x.svg`` gives ``x.svg`` and ``x.png``); a list column
    (e.g. five images) gives ``x-1.png`` ... ``x-5.png``; a folder gets ``<sample_id><suffix>``
    inside it; the default is ``<sample_id><suffix>`` in the working folder.
    """
    declaration = corpus.family.declaration
    row = find_sample(corpus, sample_id)
    lines = [f"# {sample_id}"]
    for column in declaration.show_columns:
        lines += [f"## {column}", str(row[column]).rstrip(), ""]
    base = Path(files_out) if files_out else Path(sample_id)
    if base.exists() and not base.is_file() and not base.is_dir():
        raise UserError(f"{base}: is a device or special file; give a file name")
    if base.is_dir():
        base = base / sample_id
    for column, suffix in declaration.show_files.items():
        content = row.get(column)
        if content is None:
            continue
        parts = content if isinstance(content, list) else [content]
        for number, part in enumerate(parts, start=1):
            stem = base.with_suffix("") if len(parts) == 1 else Path(f"{base.with_suffix('')}-{number}")
            path = stem.with_suffix(suffix)
            path.parent.mkdir(parents=True, exist_ok=True)
            data = image_bytes(part)
            write_bytes_atomically(path, data if isinstance(data, bytes) else data.encode("utf-8"))
            lines.append(f"{column} written to {path}")
    return "\n".join(lines)
