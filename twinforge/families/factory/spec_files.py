"""Reading specs from ``.json`` (one spec) or ``.jsonl`` (one spec a line) files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from twinforge.errors import UserError
from twinforge.schemas import FactorySpec, SpecError, load_spec


def _entries(path: str | Path) -> Iterator[tuple[str, str]]:
    """Yield ``(label, JSON text)`` per spec; the label is ``file`` or ``file:line`` for JSONL."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a folder, not a spec file") from None
    except UnicodeDecodeError as error:
        raise UserError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    if path.suffix == ".jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield f"{path}:{number}", line
    else:
        yield str(path), text


def read_spec_data(path: str | Path) -> Iterator[tuple[str, Any]]:
    """Yield ``(label, data)`` per spec (``UserError`` naming the file or line of bad JSON)."""
    for label, text in _entries(path):
        yield label, _parse_json(text, label)


def _parse_json(text: str, label: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UserError(f"{label}: invalid JSON at line {error.lineno} column {error.colno}: {error.msg}") from None


def load_spec_file(path: str | Path) -> list[tuple[str, FactorySpec]]:
    """All specs in ``path`` as ``(label, spec)``; the first invalid one raises, naming file and object."""
    specs = []
    for label, data in read_spec_data(path):
        try:
            specs.append((label, load_spec(data)))
        except SpecError as error:
            raise UserError(f"{label}: {error.problems[0]}") from None
    return specs


def spec_problems(path: str | Path) -> list[tuple[str, list[str]]]:
    """``(label, problems)`` for every spec in ``path`` (an empty list means valid)."""
    results = []
    for label, text in _entries(path):
        try:
            load_spec(_parse_json(text, label))
            results.append((label, []))
        except UserError as error:
            results.append((label, [str(error).removeprefix(f"{label}: ")]))
        except SpecError as error:
            results.append((label, error.problems))
    return results


def load_specs(paths: list[str]) -> list[tuple[str, FactorySpec]]:
    """Every spec of every file, in order."""
    return [item for path in paths for item in load_spec_file(path)]


def spec_from_json(text: str) -> FactorySpec:
    """Parse one serialised spec (as stored in a corpus row)."""
    return FactorySpec.model_validate_json(text)
