"""Coverage passes on a full corpus and fails, with a gap table, on one missing values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.pipeline.conftest import write_toy_recipe
from twinforge.cli import main
from twinforge.pipeline.corpus import open_corpus
from twinforge.pipeline.coverage import coverage_report
from twinforge.pipeline.generate import generate_corpus


def test_full_corpus_passes(toy_corpus: Path, capsys: pytest.CaptureFixture):
    report = coverage_report(open_corpus(toy_corpus), min_count=2)
    assert report.ok and not report.gaps
    assert len(report.checks) == 3 + 2 + 3 * 2  # colours, shapes, colour x shape pairs
    assert main(["coverage", str(toy_corpus)]) == 0
    assert "coverage ok" in capsys.readouterr().out
    assert json.loads((toy_corpus / "coverage.json").read_text())["ok"] is True


def test_corpus_missing_values_fails_with_a_gap_table(tmp_path: Path, capsys: pytest.CaptureFixture):
    recipe = write_toy_recipe(tmp_path, count=3, shard_size=3)
    generate_corpus(recipe, out=tmp_path / "small", workers=1, progress=False)
    report = coverage_report(open_corpus(tmp_path / "small"), min_count=1)
    assert not report.ok
    assert all(gap.count < gap.required for gap in report.gaps)
    assert len(report.gaps) >= 3  # at most 3 of the 6 colour x shape pairs can be present
    assert main(["coverage", str(tmp_path / "small")]) == 1
    out = capsys.readouterr().out
    assert "gap(s)" in out and "colourxshape=" in out


def test_min_count_raises_the_bar(toy_corpus: Path):
    report = coverage_report(open_corpus(toy_corpus), min_count=1000)
    assert len(report.gaps) == len(report.checks)
    assert "count  required" in report.table()
