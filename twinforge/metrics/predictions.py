"""Read a predictions file: JSONL or Parquet rows with ``sample_id`` and the predicted text.

The text's field is the family's response column (``code`` for FlexScript); a JSON object or
array there (e.g. a gene written as an object) is read as its ``json.dumps`` text. Nothing is dropped
silently: duplicate ids are kept once (the first) and listed; a malformed JSONL line, a row
without ``sample_id`` or the text field, or a non-string text fails with the line (or row) number
as a ``UserError``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from twinforge.errors import UserError


@dataclass(frozen=True)
class EvalRun:
    """What one ``twinforge eval`` run knows besides the scores: where, and which ids did not match."""

    corpus: str
    split: str
    missing: tuple[str, ...]
    """Ids of the split with no prediction (scored as empty)."""
    duplicates: tuple[str, ...]
    """Ids predicted more than once (the first is scored)."""
    unknown: tuple[str, ...]
    """Predicted ids that are not in the split (not scored)."""


@dataclass
class Predictions:
    """Predicted text by sample id (first occurrence), and the ids seen more than once."""

    texts: dict[str, str] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)
    rows: int = 0

    def add(self, sample_id: str, text: str) -> None:
        self.rows += 1
        if sample_id in self.texts:
            self.duplicates.append(sample_id)
        else:
            self.texts[sample_id] = text


def read_predictions(path: str | Path, text_field: str = "code") -> Predictions:
    """Load predictions from ``.jsonl``/``.json`` (one object per line) or ``.parquet``."""
    path = Path(path)
    if path.is_dir():
        raise UserError(f"{path}: is a folder, not a predictions file")
    if not path.is_file():
        raise UserError(f"{path}: no such predictions file")
    if path.suffix == ".parquet":
        return _read_parquet(path, text_field)
    return _read_jsonl(path, text_field)


def _checked(path: Path, where: str, record: object, text_field: str) -> tuple[str, str]:
    if not isinstance(record, dict):
        raise UserError(f"{path}: {where}: expected a JSON object with sample_id and {text_field}")
    missing = [key for key in ("sample_id", text_field) if key not in record]
    if missing:
        raise UserError(f"{path}: {where}: missing field(s) {', '.join(missing)}")
    sample_id, text = record["sample_id"], record[text_field]
    if isinstance(text, dict | list):  # structured output (e.g. a gene as a JSON object) is scored as its JSON text
        text = json.dumps(text)
    if not isinstance(sample_id, str) or not sample_id:
        raise UserError(f"{path}: {where}: sample_id must be a non-empty string, got {sample_id!r}")
    if not isinstance(text, str):
        raise UserError(f"{path}: {where}: {text_field} must be a string, got {type(text).__name__}")
    return sample_id, text


def _read_jsonl(path: Path, text_field: str) -> Predictions:
    predictions = Predictions()
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise UserError(f"{path}: line {number}: not UTF-8 text; expected JSON lines") from None
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise UserError(f"{path}: line {number}: not valid JSON ({error.msg} at column {error.colno})") from None
            predictions.add(*_checked(path, f"line {number}", record, text_field))
    return predictions


def _read_parquet(path: Path, text_field: str) -> Predictions:
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise UserError(f"{path}: not a readable Parquet file ({error})") from None
    missing = [key for key in ("sample_id", text_field) if key not in table.column_names]
    if missing:
        raise UserError(f"{path}: missing column(s) {', '.join(missing)}")
    predictions = Predictions()
    ids, texts = table.column("sample_id").to_pylist(), table.column(text_field).to_pylist()
    for row, (sample_id, text) in enumerate(zip(ids, texts), start=1):
        predictions.add(*_checked(path, f"row {row}", {"sample_id": sample_id, text_field: text}, text_field))
    return predictions
