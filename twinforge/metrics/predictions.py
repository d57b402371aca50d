"""Read a predictions file: JSONL or Parquet rows with ``sample_id`` and ``code``.

Nothing is dropped silently: duplicate ids are kept once (the first) and listed; a malformed
JSONL line, a row without ``sample_id`` or ``code``, or a non-string ``code`` fails with the line
(or row) number as a ``UserError``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from twinforge.errors import UserError

REQUIRED = ("sample_id", "code")


@dataclass
class Predictions:
    """Predicted code by sample id (first occurrence), and the ids seen more than once."""

    codes: dict[str, str] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)
    rows: int = 0

    def add(self, sample_id: str, code: str) -> None:
        self.rows += 1
        if sample_id in self.codes:
            self.duplicates.append(sample_id)
        else:
            self.codes[sample_id] = code


def read_predictions(path: str | Path) -> Predictions:
    """Load predictions from ``.jsonl``/``.json`` (one object per line) or ``.parquet``."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: no such predictions file")
    if path.suffix == ".parquet":
        return _read_parquet(path)
    return _read_jsonl(path)


def _checked(path: Path, where: str, record: object) -> tuple[str, str]:
    if not isinstance(record, dict):
        raise UserError(f"{path}: {where}: expected a JSON object with sample_id and code")
    missing = [key for key in REQUIRED if key not in record]
    if missing:
        raise UserError(f"{path}: {where}: missing field(s) {', '.join(missing)}")
    sample_id, code = record["sample_id"], record["code"]
    if not isinstance(sample_id, str) or not sample_id:
        raise UserError(f"{path}: {where}: sample_id must be a non-empty string, got {sample_id!r}")
    if not isinstance(code, str):
        raise UserError(f"{path}: {where}: code must be a string, got {type(code).__name__}")
    return sample_id, code


def _read_jsonl(path: Path) -> Predictions:
    predictions = Predictions()
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise UserError(f"{path}: line {number}: not valid JSON ({error.msg} at column {error.colno})") from None
            predictions.add(*_checked(path, f"line {number}", record))
    return predictions


def _read_parquet(path: Path) -> Predictions:
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise UserError(f"{path}: not a readable Parquet file ({error})") from None
    missing = [key for key in REQUIRED if key not in table.column_names]
    if missing:
        raise UserError(f"{path}: missing column(s) {', '.join(missing)}")
    predictions = Predictions()
    ids, codes = table.column("sample_id").to_pylist(), table.column("code").to_pylist()
    for row, (sample_id, code) in enumerate(zip(ids, codes), start=1):
        predictions.add(*_checked(path, f"row {row}", {"sample_id": sample_id, "code": code}))
    return predictions
