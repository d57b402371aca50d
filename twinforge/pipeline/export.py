"""Export a corpus to the formats training code reads.

- ``gdt-vlsm``: what the public GDT-VLSM training scripts read: ``<split>.xlsx`` with the columns
  ``Prompt`` and ``Response`` (written with pandas + openpyxl) for ``train`` and ``val``, and
  ``<split>.jsonl`` with ``image``, ``prompt``, ``response`` beside ``images/<sample_id>.png`` for
  the rows that have a PNG sketch (rows without one go to the xlsx files only). The test split
  is held out unless asked for with ``--split test``.
- ``jsonl``: ``<split>.jsonl``, one JSON object per sample with the main columns (``spec`` and
  ``kpis`` as JSON objects, no binary columns).
- ``hf``: Hugging Face layout: ``data/<split>-00000-of-00001.parquet`` with the PNG sketch as an
  ``image`` column (the ``datasets`` Image feature's ``{"bytes", "path"}`` struct, declared in
  the Parquet ``huggingface`` metadata) and a ``README.md`` card whose YAML lists the splits.

Shards are read one at a time, so memory holds one shard (plus the two xlsx text columns).
Without a split assignment, ``--split all`` exports every row as split ``all``. Rows that
``twinforge dedup`` flagged ``keep = false`` are left out (the summary says how many).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from twinforge.errors import UserError
from twinforge.pipeline.corpus import (
    DEDUP_FILE,
    SPLIT_ASSIGNMENT,
    SPLIT_NAMES,
    SPLITS_DIR,
    read_split_assignment,
    shard_paths,
)

FORMATS = ("gdt-vlsm", "jsonl", "hf")
MAIN_COLUMNS = (
    "sample_id", "index", "spec_hash", "industry", "automation", "layout", "line_type", "n_objects", "n_machines",
    "n_connections", "code_style", "prompt_mode", "prompt_source", "exec_outcome", "prompt", "code",
    "spec", "kpis",
)
"""Columns the jsonl and hf exports carry (those present in the corpus)."""
JSON_COLUMNS = ("spec", "kpis")
IMAGE_COLUMN = "sketch_png"
VLSM_SPLITS = ("train", "val")
EXCEL_CELL_LIMIT = 32_767


def export_corpus(corpus: str | Path, fmt: str, out: str | Path, split: str = "all") -> str:
    """Write ``corpus`` (or one split of it) to ``out`` in format ``fmt``; return a summary line."""
    if fmt not in FORMATS:
        raise UserError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    if split != "all" and split not in SPLIT_NAMES:
        raise UserError(f"split {split!r} is not one of all, {', '.join(SPLIT_NAMES)}")
    corpus, out = Path(corpus), Path(out)
    splits = _split_lookup(corpus, required=split != "all" or fmt == "gdt-vlsm")
    wanted = _wanted_splits(fmt, split, splits)
    out.mkdir(parents=True, exist_ok=True)
    paths = shard_paths(corpus)
    if not paths:
        raise UserError(f"{corpus}: the corpus has no finished shards")
    target = _Target(out, wanted, pq.read_schema(paths[0]))
    dropped = _duplicates(corpus)
    counts = _EXPORTERS[fmt](_rows(paths, splits, wanted, dropped), target)
    written = ", ".join(f"{name} {count}" for name, count in counts.items()) or "no rows"
    left_out = f"; {len(dropped)} rows flagged keep=false in {DEDUP_FILE} left out" if dropped else ""
    return f"exported {corpus} as {fmt} to {out}: {written}{left_out}"


def _duplicates(corpus: Path) -> frozenset[str]:
    """Sample ids the dedup step flagged ``keep = false`` (none when dedup has not run)."""
    path = corpus / DEDUP_FILE
    if not path.exists():
        return frozenset()
    table = pq.read_table(path, columns=["sample_id", "keep"])
    return frozenset(i for i, keep in zip(table.column("sample_id").to_pylist(), table.column("keep").to_pylist())
                     if keep is False)


def _split_lookup(corpus: Path, required: bool) -> dict[str, str] | None:
    """sample_id -> split, or None when the corpus has no assignment and none is needed."""
    if not required and not (corpus / SPLITS_DIR / SPLIT_ASSIGNMENT).exists():
        return None
    table = read_split_assignment(corpus)
    return dict(zip(table.column("sample_id").to_pylist(), table.column("split").to_pylist()))


def _wanted_splits(fmt: str, split: str, splits: dict[str, str] | None) -> tuple[str, ...]:
    if split != "all":
        return (split,)
    if fmt == "gdt-vlsm":
        return VLSM_SPLITS
    return SPLIT_NAMES if splits is not None else ("all",)


@dataclass(frozen=True)
class _Target:
    """Where an export goes, which splits it holds and the corpus column types."""

    out: Path
    splits: tuple[str, ...]
    schema: pa.Schema


def _rows(paths: list[Path], splits: dict[str, str] | None, wanted: tuple[str, ...],
          dropped: frozenset[str]) -> Iterator[dict[str, Any]]:
    """The kept corpus rows of the wanted splits, shard by shard, each with its ``split``."""
    for path in paths:
        present = pq.read_schema(path).names
        table = pq.read_table(path, columns=[c for c in (*MAIN_COLUMNS, IMAGE_COLUMN) if c in present])
        for row in table.to_pylist():
            name = "all" if splits is None else splits.get(row["sample_id"])
            if name in wanted and row["sample_id"] not in dropped:
                row["split"] = name
                yield row


def _export_vlsm(rows: Iterator[dict[str, Any]], target: _Target) -> dict[str, int]:
    out = target.out
    (out / "images").mkdir(exist_ok=True)
    tables: dict[str, list[tuple[str, str]]] = {name: [] for name in target.splits}
    counts: Counter = Counter()
    with _JsonlFiles(out) as jsonl:
        for row in rows:
            prompt, response = row.get("prompt") or "", row.get("code") or ""
            tables[row["split"]].append((prompt, response))
            png = row.get(IMAGE_COLUMN)
            if png:
                image = f"images/{row['sample_id']}.png"
                (out / image).write_bytes(png)
                jsonl.write(row["split"], {"image": image, "prompt": prompt, "response": response})
                counts[f"{row['split']}.jsonl"] += 1
    for name, pairs in sorted(tables.items()):
        too_long = sum(1 for pair in pairs if max(len(text) for text in pair) > EXCEL_CELL_LIMIT)
        if too_long:
            raise UserError(f"{name}: {too_long} prompt/response cells exceed Excel's {EXCEL_CELL_LIMIT} characters")
        frame = pd.DataFrame(pairs, columns=["Prompt", "Response"])
        frame.to_excel(out / f"{name}.xlsx", index=False, engine="openpyxl")
        counts[f"{name}.xlsx"] = len(pairs)
    return dict(sorted(counts.items()))


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """The main columns of a row, JSON columns decoded."""
    record = {key: row[key] for key in (*MAIN_COLUMNS, "split") if key in row}
    for key in JSON_COLUMNS:
        if isinstance(record.get(key), str):
            record[key] = json.loads(record[key])
    return record


def _export_jsonl(rows: Iterator[dict[str, Any]], target: _Target) -> dict[str, int]:
    counts: Counter = Counter()
    with _JsonlFiles(target.out) as jsonl:
        for row in rows:
            jsonl.write(row["split"], _plain(row))
            counts[f"{row['split']}.jsonl"] += 1
    return dict(sorted(counts.items()))


IMAGE_TYPE = pa.struct([("bytes", pa.binary()), ("path", pa.string())])


def _hf_schema(source: pa.Schema) -> pa.Schema:
    """The export schema: the main columns with their corpus types, ``split``, then ``image``."""
    fields = [source.field(key) for key in MAIN_COLUMNS if key in source.names]
    fields += [pa.field("split", pa.string()), pa.field("image", IMAGE_TYPE)]
    features = {f.name: _hf_feature(f.type) for f in fields}
    features["image"] = {"_type": "Image"}
    metadata = {b"huggingface": json.dumps({"info": {"features": features}}).encode()}
    return pa.schema(fields, metadata=metadata)


def _hf_table(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    records = []
    for row in rows:
        png = row.get(IMAGE_COLUMN)
        record = {key: row.get(key) for key in schema.names if key != "image"}
        record["image"] = {"bytes": png, "path": f"{row['sample_id']}.png"} if png else None
        records.append(record)
    return pa.Table.from_pylist(records, schema=schema)


def _hf_feature(arrow_type: pa.DataType) -> dict[str, str]:
    dtype = "string" if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type) else str(arrow_type)
    return {"dtype": dtype, "_type": "Value"}


def _export_hf(rows: Iterator[dict[str, Any]], target: _Target) -> dict[str, int]:
    data = target.out / "data"
    data.mkdir(exist_ok=True)
    schema = _hf_schema(target.schema)
    writers: dict[str, pq.ParquetWriter] = {}
    counts: Counter = Counter()
    batch: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def flush(name: str) -> None:
        if name not in writers:
            writers[name] = pq.ParquetWriter(data / f"{name}-00000-of-00001.parquet", schema)
        writers[name].write_table(_hf_table(batch.pop(name), schema))

    try:
        for row in rows:
            batch[row["split"]].append(row)
            counts[row["split"]] += 1
            if len(batch[row["split"]]) >= 1024:
                flush(row["split"])
        for name in list(batch):
            flush(name)
    finally:
        for writer in writers.values():
            writer.close()
    (target.out / "README.md").write_text(_hf_card(counts, schema), encoding="utf-8")
    return {f"data/{name}": count for name, count in sorted(counts.items())}


def _hf_card(counts: Counter, schema: pa.Schema) -> str:
    """A dataset card whose YAML header tells ``datasets`` the splits and features."""
    lines = ["---", "configs:", "- config_name: default", "  data_files:"]
    for name in sorted(counts):
        lines += [f"  - split: {name}", f"    path: data/{name}-*.parquet"]
    lines += ["dataset_info:", "  features:"]
    for name in schema.names:
        kind = "image" if name == "image" else _hf_feature(schema.field(name).type)["dtype"]
        lines += [f"  - name: {name}", f"    dtype: {kind}"]
    lines += ["  splits:"]
    for name, count in sorted(counts.items()):
        lines += [f"  - name: {name}", f"    num_examples: {count}"]
    lines += [
        "---", "", "# twinforge corpus export", "",
        "Prompt, layout sketch (`image`, PNG) and FlexScript (`code`) triplets generated by twinforge.",
        "`spec` is the canonical factory specification (JSON); `exec_outcome` and `kpis` come from",
        "twinforge's own executable check (a FlexScript-subset interpreter and SimPy simulation, not FlexSim).",
        "",
    ]
    return "\n".join(lines)


class _JsonlFiles:
    """One open ``<split>.jsonl`` per split, closed together."""

    def __init__(self, out: Path):
        self.out = out
        self.handles: dict[str, Any] = {}

    def __enter__(self) -> Self:
        return self

    def write(self, split: str, record: dict[str, Any]) -> None:
        if split not in self.handles:
            self.handles[split] = (self.out / f"{split}.jsonl").open("w", encoding="utf-8")
        self.handles[split].write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")

    def __exit__(self, *exc: object) -> None:
        for handle in self.handles.values():
            handle.close()


_EXPORTERS: dict[str, Callable[[Iterator[dict[str, Any]], _Target], dict[str, int]]] = {
    "gdt-vlsm": _export_vlsm,
    "jsonl": _export_jsonl,
    "hf": _export_hf,
}
