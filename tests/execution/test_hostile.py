"""Hostile inputs end in their outcome class within the budget, never hang or crash the process."""

from __future__ import annotations

import time

import pytest

from tests.execution.conftest import code_string
from twinforge.execution import Limits, check_script, validate_file

SMALL = Limits(max_steps=20_000, max_seconds=2.0, max_array_length=10_000, max_allocation=1_000_000,
               code_max_steps=2_000)

HOSTILE = {
    "endless while": ("int i = 0;\nwhile (1) { i++; }", "build_error", "step budget"),
    "endless for": ("for (;;) { }", "build_error", "step budget"),
    "10^9-element array": ("Array a = Array(1000000000);", "build_error", "sandbox limit"),
    "array grown in a loop": ("Array a = [];\nwhile (1) { a.push(1); }", "build_error", "exceed"),
    "arrays of array copies": ("Array a = Array(5000);\nArray b = [];\nwhile (1) { b.push(a.clone()); }",
                               "build_error", "allocated more than"),
    "array length set huge": ("Array a = [];\na.length = 1000000000;", "build_error", "outside"),
    "string doubling": ('string s = "x";\nwhile (1) { s = s + s; }', "build_error", "more than"),
    "10,000 nested blocks": ("{" * 10_000 + "}" * 10_000, "parse_error", "nest"),
    "10,000 nested ifs": ("if (1) " * 10_000 + ";", "parse_error", "nests too deeply"),
    "deep parentheses": ("int x = " + "(" * 5_000 + "1" + ")" * 5_000 + ";", "parse_error", "nest"),
    "unknown class": ('Object o = Object.create("Widget");', "build_error", "unknown class"),
    "undeclared variable": ('Object a = Object.create("Queue");\ncontextdragconnection(a, ghost, "A");',
                            "build_error", "undeclared variable 'ghost'"),
    "negative exponential": ('Object s = Object.create("Source");\ns.setProperty("InterArrivalTime", '
                             + code_string("return exponential(0, -5, getstream(current));") + ");",
                             "param_error", "scale must be > 0"),
    "code string loops forever": ('Object s = Object.create("Source");\ns.setProperty("InterArrivalTime", '
                                  + code_string("while (1) { } return 5;") + ");", "param_error", "step budget"),
    "no sink": (('Object s = Object.create("Source");\nObject q = Object.create("Queue");\n'
                 'contextdragconnection(s, q, "A");'), "no_throughput", "no Sink"),
    "combiner starved of components": (
        ('Object s = Object.create("Source");\nObject spare = Object.create("Queue");\n'
         'Object cb = Object.create("Combiner");\nObject k = Object.create("Sink");\n'
         'contextdragconnection(s, cb, "A");\ncontextdragconnection(spare, cb, "A");\n'
         'contextdragconnection(cb, k, "A");'), "no_throughput", "deadlocked"),
    "endless print": ('while (1) { print("spam spam spam spam spam spam spam spam"); }', "build_error", ""),
    "endless object creation": ('while (1) { Object.create("Queue"); }', "build_error", ""),
    "endless do-while": ("int i = 0;\ndo { i++; } while (1);", "build_error", "step budget"),
    "endless recursion": ("int f(int n) { return f(n + 1); }\nf(1);", "build_error", "nest deeper"),
    "exponential recursion": ("void f(int n) { if (n > 0) { f(n - 1); f(n - 1); } }\nf(60);", "build_error",
                              "step budget"),
    "functions defined forever": ("while (1) { void g() { } g(); }", "build_error", "step budget"),
    "a Map grown forever": ("Map m;\nint i = 0;\nwhile (1) { m[i] = i; i++; }", "build_error", "exceed"),
    "labels made forever": (('Object q = Object.create("Queue");\nint i = 0;\n'
                            'while (1) { q.labels.assert("L" + i, i); i++; }'), "build_error", "budget"),
    "copies made forever": ('Object q = Object.create("Queue");\nwhile (1) { createcopy(q, model()); }',
                            "build_error", ""),
    "a loop over the model that grows it": (('Object q = Object.create("Queue");\n'
                                            'while (1) { forobjectlayerunder(model()) { createcopy(a, model()); } }'),
                                            "build_error", ""),
    "a long continued string": ('string s = "x\\\ny";\nwhile (1) { s = s + s + 1; }', "build_error", ""),
    "10,000 nested do-whiles": ("do " * 10_000 + ";" + " while (0);" * 10_000, "parse_error", "nest"),
    "a script that needs its trigger": ('Object current = ownerobject(c);\nwhile (1) { }', "unsupported", "context"),
    "file access in a loop": ('while (1) { fileopen("/etc/passwd", "r"); }', "unsupported", "refused"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_script_ends_in_its_outcome(case: str) -> None:
    code, expected, fragment = HOSTILE[case]
    started = time.perf_counter()
    result = check_script(code, limits=SMALL, horizon_s=3600)
    assert result.outcome == expected, result.message
    assert fragment in result.message
    assert result.outcome != "ok" and time.perf_counter() - started < 10


def test_default_budget_ends_an_endless_loop() -> None:
    result = check_script("int i = 0;\nwhile (1) { i++; }")
    assert result.outcome == "build_error" and result.line == 2


def test_zero_time_loop_in_the_simulation_hits_the_event_budget() -> None:
    code = ('Object s = Object.create("Source");\nObject k = Object.create("Sink");\n'
            's.setProperty("InterArrivalTime", 0);\ncontextdragconnection(s, k, "A");')
    result = check_script(code, limits=Limits(max_events=50_000))
    assert result.outcome == "runtime_error" and "events" in result.message


@pytest.mark.parametrize(("content", "fragment"), [
    (bytes(range(256)) * 64, "UTF-8"),
    (b"\x00\x01\x02 binary \x7f" * 100, "binary"),
    (b"int x = 1;\n" * 500_000, "larger than"),
    (b"", "the file is empty"),
])
def test_validate_file_never_crashes(tmp_path, content: bytes, fragment: str) -> None:
    path = tmp_path / "input.fs"
    path.write_bytes(content)
    record = validate_file(path)
    assert fragment in record["message"]
    assert record["outcome"] in ("parse_error", "no_throughput")
    assert set(record) == {"file", "outcome", "message", "objects", "connections", "kpis"}


def test_validate_file_reports_a_missing_file(tmp_path) -> None:
    record = validate_file(tmp_path / "missing.fs")
    assert record["outcome"] == "parse_error" and "cannot read" in record["message"]
