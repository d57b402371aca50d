"""Real-style FlexScript (tests/execution/real/, each imitating a page of FlexSim's help, cited at
its top): each gets the verdict expected.json states. None of these valid scripts is a
``parse_error``, and only those that build a model that runs are ``ok``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.execution.test_fast_parse import fast, plain
from twinforge.execution import check_script, validate_file

REAL = Path(__file__).parent / "real"
EXPECTED: dict[str, dict] = json.loads((REAL / "expected.json").read_text(encoding="utf-8"))


def test_every_snippet_has_an_expected_verdict() -> None:
    assert sorted(path.name for path in REAL.glob("*.fs")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 15
    assert {"ok", "unsupported"} <= {entry["outcome"] for entry in EXPECTED.values()}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_snippet_gets_its_verdict(name: str) -> None:
    expected = EXPECTED[name]
    code = (REAL / name).read_text(encoding="utf-8")
    assert code.startswith("// Imitates ") and "docs.flexsim.com" in code.split("\n\n")[0]
    assert fast(code) is not None and fast(code) == plain(code)  # valid FlexScript parses, in both readers
    result = check_script(code)
    assert result.outcome == expected["outcome"], result.message
    if "line" in expected:
        assert result.line == expected["line"], result.message
        assert expected["message"] in result.message and result.message.startswith(f"line {result.line}: ")
    if result.graph is not None:
        assert len(result.graph.objects) == expected["objects"]
        assert len(result.graph.connections) == expected["connections"]
        assert list(result.graph.printed) == expected.get("printed", [])
    if result.outcome == "ok":
        assert result.kpis["throughput_per_hour"] > 0


def test_validate_says_why_it_does_not_judge_a_snippet(capsys) -> None:
    from twinforge.cli import main

    path = REAL / "13_write_report.fs"
    assert main(["validate", str(path)]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["outcome"] == "unsupported"
    assert "not judged" in captured.err and "not an error of the script" in captured.err and "line 9" in captured.err
    assert validate_file(path)["outcome"] == "unsupported"
