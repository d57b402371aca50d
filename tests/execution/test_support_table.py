"""docs/execution.md's "Supported subset" table against the code: every row's example gets the
row's status when it runs after a small line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from twinforge.execution import ScriptError, build_graph, simulated_model
from twinforge.execution.errors import CONTEXT

DOC = Path(__file__).parent.parent.parent / "docs" / "execution.md"
PRELUDE = """Object src = Object.create("Source");
src.name = "Src";
Object q = Object.create("Queue");
q.name = "Q1";
Object p = Object.create("Processor");
p.name = "P1";
Object snk = Object.create("Sink");
snk.name = "Snk";
contextdragconnection(src, q, "A");
contextdragconnection(q, p, "A");
contextdragconnection(p, snk, "A");
"""
STATUSES = ("modelled", "no-op", "unsupported", "unsupported: context", "unsupported: refused", "build_error")


def table() -> list[tuple[str, str, str]]:
    """The rows of the table: construct, status, example (``⏎`` and ``\\|`` decoded)."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("### Supported subset"):]
    lines = section.split("| construct | status | example |", 1)[1].split("\n\n", 1)[0].splitlines()[2:]
    rows = []
    for line in lines:
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        assert len(cells) == 3, line
        example = cells[2].strip("`").replace("\\|", "|").replace("⏎", "\n")
        rows.append((cells[0].replace("\\|", "|"), cells[1], example))
    return rows


ROWS = table()


def test_the_table_is_read_and_uses_the_documented_statuses() -> None:
    assert len(ROWS) >= 50
    assert {status for _, status, _ in ROWS} <= set(STATUSES)


@pytest.mark.parametrize(("construct", "status", "example"), ROWS, ids=[row[0][:60] for row in ROWS])
def test_each_row_has_its_status(construct: str, status: str, example: str) -> None:
    code = PRELUDE + example + "\n"
    if status in ("modelled", "no-op"):
        graph = build_graph(code)
        if status == "no-op":
            line = build_graph(PRELUDE)
            assert simulated_model(graph) == simulated_model(line) and graph.printed == line.printed
        return
    with pytest.raises(ScriptError) as error:
        build_graph(code)
    assert error.value.outcome == status.split(":")[0], error.value.message
    assert error.value.line is not None and error.value.line > PRELUDE.count("\n")
    if status == "unsupported: context":
        assert CONTEXT in error.value.message
    if status == "unsupported: refused":
        assert "refused" in error.value.message


@pytest.mark.parametrize("needle", [
    "`Table`", "`List`", "`DateTime`", "`Token`", "`Group`", "Storage.Item", "Conveyor.Item", "Conveyor.DecisionPoint",
    "Http.Request", "`return;`", "`do ... while`", "hexadecimal", "bitwise", "`%=`", "forobjecttreeunder",
    "function definitions", "line continuation", "`setname`", "`setnodename`", "`stoptime`", "`runspeed`",
    "`resetmodel`", "`createcopy`", "`fileopen`", "`switch_*`", "labels", "subnodes", "LENGTH_MULTIPLE", "`Color.red`",
    "`Triggers.*`", "Model.find", "library class node", '`"Q"`', '`[v, "h"]`', "`Model.time`", "`current`",
    "`item`", "`param(n)`", "a number added to a string", "several names in one declaration",
])
def test_the_table_lists_every_construct_of_the_issue(needle: str) -> None:
    assert any(needle in construct or needle.strip("`") in example for construct, _, example in ROWS), needle
