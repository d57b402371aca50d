"""``twinforge coverage``: is every layer value, every pair of layer values and every family role covered?

The family names what must be covered (``coverage_targets``: column -> values; list columns
count the rows holding a value) and which columns are layers (their value pairs are checked
too). Values the recipe weights at 0 are not expected. Any count below ``min_count`` is a gap;
the command then exits 1 (for CI).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations, product
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from twinforge.errors import UserError
from twinforge.pipeline.corpus import COVERAGE_FILE, Corpus


@dataclass(frozen=True)
class Check:
    """One coverage requirement and what the corpus holds."""

    dimension: str
    value: str
    count: int
    required: int

    @property
    def ok(self) -> bool:
        return self.count >= self.required


@dataclass(frozen=True)
class CoverageReport:
    corpus: str
    rows: int
    min_count: int
    checks: list[Check] = field(default_factory=list)

    @property
    def gaps(self) -> list[Check]:
        return [check for check in self.checks if not check.ok]

    @property
    def ok(self) -> bool:
        return not self.gaps

    def table(self) -> str:
        """A summary line, then the gaps (dimension, value, count, required) if any."""
        dims = sorted({check.dimension for check in self.checks})
        lowest = min(self.checks, key=lambda c: (c.count, c.dimension, c.value)) if self.checks else None
        head = (f"{self.corpus}: {self.rows} samples; {len(self.checks)} checks over {len(dims)} dimensions; "
                f"min count {self.min_count}; ")
        if self.ok:
            rarest = f" (rarest: {lowest.dimension}={lowest.value}, {lowest.count})" if lowest else ""
            return head + f"coverage ok{rarest}"
        width = max(len(f"{c.dimension}={c.value}") for c in self.gaps)
        lines = [head + f"{len(self.gaps)} gap(s):", f"{'dimension=value'.ljust(width)}  count  required"]
        lines += [f"{f'{c.dimension}={c.value}'.ljust(width)}  {c.count:5d}  {c.required:8d}" for c in self.gaps]
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {"corpus": self.corpus, "rows": self.rows, "min_count": self.min_count, "ok": self.ok,
                "gaps": [vars(c) for c in self.gaps], "checks": [vars(c) for c in self.checks]}


def _counts(column: pa.ChunkedArray) -> Counter:
    """How many rows hold each value (a list cell counts each distinct value once), counted by Arrow."""
    if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        lists = column.combine_chunks()
        held = pa.table({"row": pc.list_parent_indices(lists), "value": pc.list_flatten(lists)})
        column = held.group_by(["row", "value"]).aggregate([])["value"]
    counted = pc.value_counts(column)
    return Counter(dict(zip(counted.field("values").to_pylist(), counted.field("counts").to_pylist())))


def _pair_counts(table: pa.Table, a: str, b: str) -> Counter:
    """How many rows hold each (value of ``a``, value of ``b``), counted by Arrow."""
    counted = table.group_by([a, b]).aggregate([([], "count_all")])
    return Counter(dict(zip(zip(counted[a].to_pylist(), counted[b].to_pylist()), counted["count_all"].to_pylist())))


def coverage_checks(table: pa.Table, targets: dict[str, list[str]], layers: tuple[str, ...],
                    min_count: int) -> list[Check]:
    """Every target value and every pair of layer values, with its count."""
    checks = []
    for column, values in targets.items():
        counts = _counts(table[column])
        checks += [Check(column, value, counts.get(value, 0), min_count) for value in values]
    present = [layer for layer in layers if layer in targets]
    for a, b in combinations(present, 2):
        pairs = _pair_counts(table, a, b)
        checks += [Check(f"{a}x{b}", f"{va}/{vb}", pairs.get((va, vb), 0), min_count)
                   for va, vb in product(targets[a], targets[b])]
    return checks


def coverage_report(corpus: Corpus, min_count: int | None = None) -> CoverageReport:
    """Check a corpus's coverage (at the recipe's ``min_count`` unless given) and return the report.

    The report is also written to ``coverage.json`` when the corpus folder is writable.
    """
    min_count = corpus.recipe.coverage.min_count if min_count is None else min_count
    if min_count < 1:
        raise UserError(f"--min-count must be at least 1, got {min_count}")
    targets = corpus.family.coverage_targets(corpus.recipe)
    table = corpus.read(columns=sorted(targets))
    report = CoverageReport(str(corpus.location), table.num_rows, min_count,
                            coverage_checks(table, targets, corpus.family.declaration.layers, min_count))
    if corpus.writable():
        corpus.location.publish_json(COVERAGE_FILE, report.to_json())
        corpus.manifest.record_derived([COVERAGE_FILE], "coverage", min_count=min_count)
    return report
