"""``twinforge verify``: the whole state of a corpus against its manifest, every problem listed.

Readers stop at the first problem; ``verify`` reports them all: incompleteness, missing, foreign
and damaged shards (SHA-256 differs, truncated), shards Parquet cannot read, and the state of
each derived output (current, stale, changed or missing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from twinforge.pipeline.corpus import shard_problems
from twinforge.pipeline.manifest import SHARDS_DIR, Manifest
from twinforge.pipeline.storage import Location


@dataclass
class VerifyReport:
    """What ``verify`` found: problems (each makes the corpus unusable) and the derived outputs' state."""

    corpus: str
    shards: int
    rows: int
    problems: list[str] = field(default_factory=list)
    derived: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def table(self) -> str:
        head = f"{self.corpus}: {self.shards} shards, {self.rows} rows in the manifest; "
        lines = [head + ("ok" if self.ok else f"{len(self.problems)} problem(s):")]
        lines += [f"  {problem}" for problem in self.problems]
        for name, state in sorted(self.derived.items()):
            lines.append(f"  derived {name}: {state}")
        return "\n".join(lines)


def verify_corpus(corpus: str | Path | Location) -> VerifyReport:
    """Check every shard and derived output of ``corpus`` against its manifest."""
    manifest = Manifest.read(corpus)
    location = manifest.corpus
    report = VerifyReport(str(corpus), len(manifest.shards), sum(e["rows"] for e in manifest.shards.values()))
    plan = manifest.data.get("plan", {})
    if not manifest.complete:
        report.problems.append(f"incomplete: {len(manifest.shards)} of {plan.get('shard_count', '?')} shards")
    problems = shard_problems(manifest, verify=True)
    report.problems += [str(problem) for problem in problems]
    damaged = {problem.file for problem in problems}
    for name in manifest.shard_files():
        path = f"{SHARDS_DIR}/{name}"
        if name in damaged or not location.is_file(path):
            continue
        try:
            rows = location.read_metadata(path).num_rows
        except (pa.ArrowInvalid, OSError) as error:
            report.problems.append(f"{SHARDS_DIR}/{name}: unreadable ({error})")
            continue
        if rows != manifest.shards[name]["rows"]:
            report.problems.append(f"{SHARDS_DIR}/{name}: {rows} rows, the manifest says {manifest.shards[name]['rows']}")
    for name in manifest.derived:
        report.derived[name] = manifest.derived_problem(name) or "current"
    return report
