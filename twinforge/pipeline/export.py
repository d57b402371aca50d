"""Export a corpus to the formats training code reads.

The family's declaration says which columns are the prompt, the response and the image.

- ``gdt-vlsm``: what the public GDT-VLSM training scripts read: ``<split>.xlsx`` with the columns
  ``Prompt`` and ``Response`` (written with pandas + openpyxl) for ``train`` and ``val``, holding
  only the prompts that are complete without the image (text-only training has no sketch), and
  ``<split>.jsonl`` with ``image``, ``prompt``, ``response`` beside ``images/<sample_id>.png`` for
  the rows that have an image, letterboxed to a square so a centre crop loses nothing. The test
  split is held out unless asked for with ``--split test``.
- ``jsonl``: ``<split>.jsonl``, one JSON object per sample with the export columns (JSON columns
  decoded, no binary columns). A family with a row expansion (``FamilyDeclaration.expansion``)
  gets one object per pair instead, its image written to ``images/<pair_id>.png``; ``hf`` then
  has one row per pair too.
- ``hf``: Hugging Face layout: ``data/<split>-00000-of-00001.parquet`` (splits ``train``,
  ``validation``, ``test``) with the image as an ``image`` column (the ``datasets`` Image
  feature's ``{"bytes", "path"}`` struct, declared in the Parquet ``huggingface`` metadata) and a
  ``README.md`` card whose YAML lists the splits with their sizes.

Shards are read one at a time, so memory holds one shard (plus the two xlsx text columns).
Without a split assignment, ``--split all`` exports every row as split ``all``. Rows that
``twinforge dedup`` flagged ``keep = false``, and rows a reviewer flagged (``twinforge apply-edits``), are
left out (the summary says how many); a reviewer's accepted prompt replaces the generated one. The export
is built in a hidden folder and renamed into place whole; a non-empty ``--out`` is refused
unless ``overwrite``.
"""

from __future__ import annotations

import io
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from PIL import Image

from twinforge.errors import UserError
from twinforge.families import FamilyDeclaration
from twinforge.pipeline.atomic import publishing_folder
from twinforge.pipeline.corpus import DEDUP_FILE, SPLIT_NAMES, Corpus
from twinforge.pipeline.hf import with_features, yaml_type
from twinforge.pipeline.overlay import flagged_ids
from twinforge.pipeline.safe_names import check_row_id
from twinforge.schemas.image import IMAGE_TYPE, image_bytes, image_value

FORMATS = ("gdt-vlsm", "jsonl", "hf")
VLSM_SPLITS = ("train", "val")
EXCEL_CELL_LIMIT = 32_767


def export_corpus(corpus: Corpus, fmt: str, out: str | Path, split: str = "all", overwrite: bool = False) -> str:
    """Write ``corpus`` (or one split of it) to ``out`` in format ``fmt``; return a summary line."""
    if fmt not in FORMATS:
        raise UserError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    if split != "all" and split not in SPLIT_NAMES:
        raise UserError(f"split {split!r} is not one of all, {', '.join(SPLIT_NAMES)}")
    out = Path(out)
    if "://" in str(out):
        raise UserError(f"--out {out}: export writes a local folder; copy it to object storage afterwards")
    if corpus.location.local is not None and (out.resolve() == corpus.location.local.resolve()
                                              or corpus.location.local.resolve() in out.resolve().parents):
        raise UserError(f"--out {out}: is inside the corpus; export to a folder of its own")
    needs_splits = split != "all" or fmt == "gdt-vlsm"
    splits = _split_lookup(corpus) if needs_splits or corpus.split_strategy() is not None else None
    wanted = _wanted_splits(fmt, split, splits)
    flagged = flagged_ids(corpus.review_overlay())
    dropped = _duplicates(corpus) | flagged
    declaration = corpus.family.declaration
    try:
        with publishing_folder(out, overwrite=overwrite) as building:
            target = _Target(building, wanted, corpus.shard_schema(corpus.shard_names[0]), declaration,
                             corpus.split_strategy())
            counts = _EXPORTERS[fmt](_rows(corpus, splits, wanted, dropped), target)
    except FileExistsError as error:
        raise UserError(str(error)) from None
    written = ", ".join(f"{name} {count}" for name, count in counts.items()) or "no rows"
    left_out = f"; {len(dropped - flagged)} rows flagged keep=false in {DEDUP_FILE} left out" if dropped - flagged else ""
    left_out += f"; {len(flagged)} rows flagged by reviewers left out" if flagged else ""
    return f"exported {corpus.location} as {fmt} to {out}: {written}{left_out}"


def letterboxed(png: bytes) -> bytes:
    """A square PNG: a wider or taller image is centred on white, never cropped or scaled.

    CLIP-style processors resize the short side and crop the centre square; a square image loses
    nothing to that crop. A square PNG is returned as it is (the same bytes).
    """
    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
        if width == height:
            return png
        side = max(width, height)
        canvas = Image.new(image.mode if image.mode in ("L", "RGB") else "RGB", (side, side), "white")
        canvas.paste(image.convert(canvas.mode), ((side - width) // 2, (side - height) // 2))
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _duplicates(corpus: Corpus) -> frozenset[str]:
    """Sample ids the dedup step flagged ``keep = false`` (none when dedup has not run)."""
    if not corpus.has_derived(DEDUP_FILE):
        return frozenset()
    table = corpus.location.read_table(DEDUP_FILE, columns=["sample_id", "keep"])
    return frozenset(i for i, keep in zip(table.column("sample_id").to_pylist(), table.column("keep").to_pylist())
                     if keep is False)


def _split_lookup(corpus: Corpus) -> dict[str, str]:
    """sample_id -> split of the corpus's current assignment (``UserError`` if there is none)."""
    table = corpus.split_assignment()
    return dict(zip(table.column("sample_id").to_pylist(), table.column("split").to_pylist()))


def _wanted_splits(fmt: str, split: str, splits: dict[str, str] | None) -> tuple[str, ...]:
    if split != "all":
        return (split,)
    if fmt == "gdt-vlsm":
        return VLSM_SPLITS
    return SPLIT_NAMES if splits is not None else ("all",)


@dataclass(frozen=True)
class _Target:
    """Where an export goes, which splits it holds, the corpus column types and what they mean."""

    out: Path
    splits: tuple[str, ...]
    schema: pa.Schema
    declaration: FamilyDeclaration
    strategy: str | None


def _rows(corpus: Corpus, splits: dict[str, str] | None, wanted: tuple[str, ...],
          dropped: frozenset[str]) -> Iterator[dict[str, Any]]:
    """The kept corpus rows of the wanted splits, shard by shard, each with its ``split``."""
    declaration = corpus.family.declaration
    columns = [*declaration.export_columns, *([declaration.image_column] if declaration.image_column else []),
               *([declaration.needs_image[0]] if declaration.needs_image else []),
               *(declaration.expansion.columns if declaration.expansion else [])]
    for shard in corpus.shard_names:
        present = set(corpus.shard_schema(shard).names)
        table = corpus.reviewed(corpus.read_shard(
            shard, columns=[c for c in dict.fromkeys(["sample_id", *columns]) if c in present]))
        for row in table.to_pylist():
            check_row_id(row["sample_id"], f"{corpus.location}/{shard}")
            name = "all" if splits is None else splits.get(row["sample_id"])
            if name in wanted and row["sample_id"] not in dropped:
                row["split"] = name
                yield row


def _pairs(rows: Iterator[dict[str, Any]], declaration: FamilyDeclaration) -> Iterator[dict[str, Any]]:
    """The training pairs of the rows: the family's expansion of each row, or the rows themselves."""
    for row in rows:
        if declaration.expansion is None:
            yield row
        else:
            yield from ({**row, **pair} for pair in declaration.expansion.expand(row))


def _export_vlsm(rows: Iterator[dict[str, Any]], target: _Target) -> dict[str, int]:
    """Image rows to ``<split>.jsonl`` + ``images/`` (square), prompts complete without an image to xlsx."""
    out, declaration = target.out, target.declaration
    (out / "images").mkdir(exist_ok=True)
    tables: dict[str, list[tuple[str, str]]] = {name: [] for name in target.splits}
    counts: Counter = Counter()
    with _JsonlFiles(out) as jsonl:
        for row in rows:
            prompt = row.get(declaration.prompt_column) or ""
            response = row.get(declaration.response_column) or ""
            if not declaration.prompt_needs_image(row):
                tables[row["split"]].append((prompt, response))
            png = image_bytes(row.get(declaration.image_column)) if declaration.image_column else None
            if png:
                image = f"images/{row['sample_id']}.png"
                (out / image).write_bytes(letterboxed(png))
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


def _plain(row: dict[str, Any], declaration: FamilyDeclaration) -> dict[str, Any]:
    """The export columns of a row, JSON columns decoded."""
    record = {key: row[key] for key in (*declaration.export_columns, "split") if key in row}
    for key in declaration.json_columns:
        if isinstance(record.get(key), str):
            record[key] = json.loads(record[key])
    return record


def _export_jsonl(rows: Iterator[dict[str, Any]], target: _Target) -> dict[str, int]:
    counts: Counter = Counter()
    with _JsonlFiles(target.out) as jsonl:
        for row in _pairs(rows, target.declaration):
            record = _plain(row, target.declaration)
            if row.get("pair_image"):
                (target.out / "images").mkdir(exist_ok=True)
                record["image"] = f"images/{check_row_id(row['pair_id'], 'pair_id')}.png"
                (target.out / record["image"]).write_bytes(row["pair_image"])
            jsonl.write(row["split"], record)
            counts[f"{row['split']}.jsonl"] += 1
    return dict(sorted(counts.items()))


HF_SPLITS = {"train": "train", "val": "validation", "test": "test", "all": "all"}
"""twinforge split -> the split name ``datasets`` uses."""


def _hf_schema(source: pa.Schema, declaration: FamilyDeclaration) -> pa.Schema:
    """The export schema: the export columns with their corpus types, ``split``, then ``image``."""
    added = declaration.expansion.fields if declaration.expansion else pa.schema([])
    fields = [added.field(key) if key in added.names else source.field(key)
              for key in declaration.export_columns if key in added.names or key in source.names]
    fields += [pa.field("split", pa.string()), pa.field("image", IMAGE_TYPE)]
    return with_features(pa.schema(fields))


def _hf_table(rows: list[dict[str, Any]], schema: pa.Schema, image_column: str | None) -> pa.Table:
    records = []
    for row in rows:
        png = row.get("pair_image") or (image_bytes(row.get(image_column)) if image_column else None)
        record = {key: row.get(key) for key in schema.names if key != "image"}
        record["split"] = HF_SPLITS[row["split"]]
        record["image"] = image_value(png, f"{row.get('pair_id', row['sample_id'])}.png")
        records.append(record)
    return pa.Table.from_pylist(records, schema=schema)


def _export_hf(rows: Iterator[dict[str, Any]], target: _Target) -> dict[str, int]:
    data = target.out / "data"
    data.mkdir(exist_ok=True)
    schema = _hf_schema(target.schema, target.declaration)
    writers: dict[str, pq.ParquetWriter] = {}
    counts: Counter = Counter()
    batch: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def flush(name: str) -> None:
        if name not in writers:
            writers[name] = pq.ParquetWriter(data / f"{HF_SPLITS[name]}-00000-of-00001.parquet", schema)
        writers[name].write_table(_hf_table(batch.pop(name), schema, target.declaration.image_column))

    try:
        for row in _pairs(rows, target.declaration):
            batch[row["split"]].append(row)
            counts[row["split"]] += 1
            if len(batch[row["split"]]) >= 1024:
                flush(row["split"])
        for name in list(batch):
            flush(name)
    finally:
        for writer in writers.values():
            writer.close()
    sizes = {name: (data / f"{HF_SPLITS[name]}-00000-of-00001.parquet").stat().st_size for name in counts}
    (target.out / "README.md").write_text(_hf_card(counts, sizes, schema, target), encoding="utf-8")
    return {f"data/{HF_SPLITS[name]}": count for name, count in sorted(counts.items())}


def _hf_card(counts: Counter, sizes: dict[str, int], schema: pa.Schema, target: _Target) -> str:
    """A dataset card whose YAML header tells ``datasets`` the splits and features."""
    lines = ["---", "configs:", "- config_name: default", "  data_files:"]
    for name in sorted(counts):
        lines += [f"  - split: {HF_SPLITS[name]}", f"    path: data/{HF_SPLITS[name]}-*.parquet"]
    lines += ["dataset_info:", "  features:"]
    for field in schema:
        lines += [f"  - name: {field.name}", f"    {yaml_type(field.type)}"]
    lines += ["  splits:"]
    for name, count in sorted(counts.items()):
        lines += [f"  - name: {HF_SPLITS[name]}", f"    num_bytes: {sizes[name]}", f"    num_examples: {count}"]
    strategy = f"Splits: strategy `{target.strategy}`." if target.strategy else "Splits: none (every row is `all`)."
    lines += ["---", "", f"# twinforge corpus export ({target.declaration.name})", "",
              target.declaration.card.summary, "", strategy, ""]
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
