"""``twinforge apply-edits``: reviewers' prompt edits and flags, checked, into the review overlay.

An edits file is JSON lines as the review site downloads them: ``sample_id``, ``prompt`` (the new
text, or null when only flagging), ``flags`` (some of ``review.FLAGS``), ``comment``, ``reviewer``
and ``time``. Each new prompt goes through the family's ``prompt_problems`` (for factories, the
fidelity check against the sample's spec and the token budget): a prompt that drops a name or
changes a number is refused with the reason. An accepted prompt becomes the sample's next prompt
version with ``prompt_source = "human:<reviewer>"`` in ``review/overlay.parquet``; the shards keep
their bytes. Flags and comments are kept there too (export leaves flagged samples out). A line
that is not a well-formed edit is reported with its line number and skipped. Applying the same
file twice changes nothing: the overlay is a function of its previous state and the file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from twinforge.errors import UserError
from twinforge.pipeline.corpus import Corpus
from twinforge.pipeline.overlay import OVERLAY_FILE, OVERLAY_SCHEMA
from twinforge.pipeline.review import FLAGS
from twinforge.pipeline.safe_names import is_safe_name

FIELDS = ("sample_id", "prompt", "flags", "comment", "reviewer", "time")
REVIEWER = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}")
"""A reviewer's name: it goes into ``prompt_source`` as ``human:<reviewer>``."""


class MalformedEdit(Exception):
    """A line of an edits file that is not a well-formed edit (the message says why)."""


@dataclass(frozen=True)
class Edit:
    """One well-formed line of an edits file."""

    line: int
    sample_id: str
    prompt: str | None
    flags: tuple[str, ...]
    comment: str
    reviewer: str
    time: str


def parse_edit(line: int, text: str) -> Edit:
    """The edit on ``line`` (``MalformedEdit`` saying what is wrong with it)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise MalformedEdit(f"not JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(data, dict):
        raise MalformedEdit("not a JSON object")
    missing = [key for key in FIELDS if key not in data]
    unknown = sorted(set(data) - set(FIELDS))
    if missing or unknown:
        raise MalformedEdit("; ".join([*(f"field '{key}' is missing" for key in missing),
                                    *(f"field '{key}' is not an edit field" for key in unknown)]))
    if not is_safe_name(data["sample_id"]):
        raise MalformedEdit(f"field 'sample_id': {data['sample_id']!r} is not a sample id")
    if data["prompt"] is not None and not (isinstance(data["prompt"], str) and data["prompt"].strip()):
        raise MalformedEdit("field 'prompt': must be the new text or null")
    flags = data["flags"]
    if not isinstance(flags, list) or any(flag not in FLAGS for flag in flags):
        raise MalformedEdit(f"field 'flags': must be a list of {', '.join(FLAGS)}, got {flags!r}")
    for key in ("comment", "time"):
        if not isinstance(data[key], str):
            raise MalformedEdit(f"field '{key}': must be text")
    if not (isinstance(data["reviewer"], str) and REVIEWER.fullmatch(data["reviewer"])):
        raise MalformedEdit(f"field 'reviewer': {data['reviewer']!r} is not a name (letters, digits, space . _ @ -)")
    return Edit(line, data["sample_id"], data["prompt"], tuple(sorted(set(flags))), data["comment"].strip(),
                data["reviewer"], data["time"])


def read_edits(path: Path) -> tuple[list[Edit], list[tuple[int, str]]]:
    """The well-formed edits of a file and ``(line, problem)`` for every other non-blank line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: no such edits file") from None
    except UnicodeDecodeError as error:
        raise UserError(f"{path}: not UTF-8 text ({error.reason})") from None
    edits, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            edits.append(parse_edit(number, line))
        except MalformedEdit as error:
            problems.append((number, str(error)))
    return edits, problems


@dataclass
class EditsReport:
    """What ``apply-edits`` did with each line of the file."""

    source: Path
    accepted: list[Edit] = field(default_factory=list)
    unchanged: list[Edit] = field(default_factory=list)
    refused: list[tuple[Edit, list[str]]] = field(default_factory=list)
    malformed: list[tuple[int, str]] = field(default_factory=list)
    flagged: int = 0
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.refused and not self.malformed

    def table(self) -> str:
        found = [(line, f"malformed: {problem}") for line, problem in self.malformed]
        found += [(edit.line, f"refused prompt of {edit.sample_id}: {'; '.join(problems)}")
                  for edit, problems in self.refused]
        found += [(edit.line, f"accepted prompt of {edit.sample_id} (human:{edit.reviewer})") for edit in self.accepted]
        lines = [f"{self.source}:{line}: {what}" for line, what in sorted(found)]
        outcome = f"written to {OVERLAY_FILE}" if self.written else "overlay unchanged"
        lines.append(f"{len(self.accepted)} prompt(s) accepted, {len(self.unchanged)} already applied, "
                     f"{len(self.refused)} refused, {len(self.malformed)} malformed line(s); "
                     f"{self.flagged} sample(s) flagged; {outcome}")
        return "\n".join(lines)


def _originals(corpus: Corpus, ids: set[str]) -> dict[str, dict[str, Any]]:
    """The generated rows of ``ids`` (overlay not applied: edits are checked against the sample)."""
    wanted = pa.array(sorted(ids), pa.string())
    found: dict[str, dict[str, Any]] = {}
    for table in corpus.shards():
        for row in table.filter(pc.is_in(table["sample_id"], value_set=wanted)).to_pylist():
            found[row["sample_id"]] = row
    return found


def apply_edits(corpus: Corpus, path: str | Path) -> EditsReport:
    """Check every edit of ``path`` and write the accepted ones into the corpus's review overlay."""
    path = Path(path)
    edits, malformed = read_edits(path)
    report = EditsReport(path, malformed=malformed)
    rows = _originals(corpus, {edit.sample_id for edit in edits})
    before = corpus.review_overlay()
    entries = {row["sample_id"]: row for row in before.to_pylist()} if before is not None else {}
    prompt_column = corpus.family.declaration.prompt_column
    for edit in edits:
        row = rows.get(edit.sample_id)
        if row is None:
            report.malformed.append((edit.line, f"no sample {edit.sample_id!r} in {corpus.location}"))
            continue
        entry = entries.get(edit.sample_id) or {"sample_id": edit.sample_id, "prompt": None, "prompt_source": None,
                                                "prompt_version": 0}
        current = entry["prompt"] if entry["prompt"] is not None else row[prompt_column]
        if edit.prompt is not None and edit.prompt != current:
            problems = corpus.family.prompt_problems(corpus.recipe, row, edit.prompt)
            if problems:
                report.refused.append((edit, problems))
            else:
                entry.update(prompt=edit.prompt, prompt_source=f"human:{edit.reviewer}",
                             prompt_version=entry["prompt_version"] + 1)
                report.accepted.append(edit)
        elif edit.prompt is not None:
            report.unchanged.append(edit)
        entry.update(flags=list(edit.flags), comment=edit.comment, reviewer=edit.reviewer, time=edit.time)
        entries[edit.sample_id] = entry
    kept = [entries[key] for key in sorted(entries) if entries[key]["prompt"] is not None
            or entries[key]["flags"] or entries[key]["comment"]]
    after = pa.Table.from_pylist(kept, schema=OVERLAY_SCHEMA)
    report.flagged = sum(1 for entry in kept if entry["flags"])
    if before is None and not kept or before is not None and before.equals(after):
        return report
    corpus.location.makedirs(OVERLAY_FILE.rpartition("/")[0])
    corpus.location.publish_table(OVERLAY_FILE, after)
    corpus.manifest.record_derived([OVERLAY_FILE], "apply-edits")
    report.written = True
    return report
