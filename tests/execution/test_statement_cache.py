"""The statement cache: a long script compiled from cached top-level chunks builds the same graph,
with the same lines and errors, as the script compiled whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twinforge.execution import ScriptError, build_graph, sandbox
from twinforge.execution.builtins import BuildHooks
from twinforge.execution.fast_parse import top_level_chunks
from twinforge.execution.graph import graph_from_build
from twinforge.execution.limits import Limits
from twinforge.execution.runtime import Runtime, Stmt, execute

DATA = Path(__file__).parent / "data"
SCRIPTS = sorted(DATA.glob("*.fs"))
PADDING = "// padding: longer than CACHED_CODE_CHARS, so build_graph takes the chunk path\n" * 30
LIMITS = Limits(max_steps=5_000)
"""A small step budget, so that an endless loop ends quickly."""


def outcome(program: Stmt) -> Any:
    """Everything a build shows: objects with their lines, connections, printed text; or the error."""
    hooks = BuildHooks(LIMITS, sandbox.run_code_string)
    rt = Runtime(LIMITS, hooks, max_steps=LIMITS.max_steps, max_seconds=LIMITS.max_seconds)
    try:
        execute(program, rt)
        graph = graph_from_build(hooks.objects, hooks.connections, hooks.printed)
    except ScriptError as error:
        return error.outcome, str(error), error.line
    objects = [(o.name, o.cls, o.line, o.name_line, o.property_lines, o.properties, o.labels)
               for o in hooks.objects]
    return objects, graph.objects, graph.connections, graph.printed


def both(code: str) -> tuple[Any, Any]:
    """The outcome through the chunk path and through the whole-script path."""
    chunked = sandbox._compile_chunked(code)
    assert chunked is not None, "the script should compile chunk by chunk"
    return outcome(chunked), outcome(sandbox._compile(code, 1_000_000))


def test_chunks_are_whole_top_level_statements() -> None:
    code = ('// head ; }\nint a = 1; /* ; } */ int b = 2;\nif (a) { b = 3; }\nelse b = 4;;\n;\n'
            'for (int i = 0; i < 2; i++) { b++; }\nprint("x;}//"); elsewhere = 1;\n'
            'switch (a) { case 1: b = 0; break; }\n')
    assert top_level_chunks(code) == [
        (2, "int a = 1;"), (2, "int b = 2;"), (3, "if (a) { b = 3; }\nelse b = 4;;\n;"),
        (6, "for (int i = 0; i < 2; i++) { b++; }"), (7, 'print("x;}//");'), (7, "elsewhere = 1;"),
        (8, "switch (a) { case 1: b = 0; break; }"),
    ]
    assert top_level_chunks("a[i] = [(1), 2]; x = [1; 2];") == [(1, "a[i] = [(1), 2];"), (1, "x = [1; 2];")]
    assert top_level_chunks("int a = 1; int b") is None
    assert top_level_chunks("int a = 1; { int b = 2;") is None
    assert top_level_chunks("  // only a comment\n") == []
    assert top_level_chunks("do { a++; } while (a < 3); do a++; while (a < 5); b = 1;") == [
        (1, "do { a++; } while (a < 3);"), (1, "do a++; while (a < 5);"), (1, "b = 1;")]
    assert top_level_chunks("void f() { }\nf();") == [(1, "void f() { }"), (2, "f();")]


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda path: path.name)
def test_real_scripts_build_the_same_graph_chunk_by_chunk(path: Path) -> None:
    code = path.read_text(encoding="utf-8")
    for prefix in ("", "\n\n\n", PADDING):
        chunked, whole = both(prefix + code)
        assert chunked == whole
    lines = [obj.line for obj in build_graph(code).objects]
    shifted = [obj.line for obj in build_graph(PADDING + code).objects]
    assert shifted == [line + PADDING.count("\n") for line in lines]


@pytest.mark.parametrize("code", [
    'int a = 1;\nint b = 0;\nif (a)\n{\n  b = 1;\n}\nelse\n{\n  b = 2;\n}\nprint(string.fromNum(b));\n',
    "int a = 0; int x = 0;\nif (a) x = 1; else x = 2;\nprint(string.fromNum(x));\n",
    ('int v = 3;\nif (v == 1) print("1");\nelse if (v == 2) print("2");\nelse if (v == 3)\n'
     '  if (v > 0) print("3"); else print("-");\nelse print("n");\n'),
    ";;\nint a = 1;;\n;\nprint(\"x\");;\n;\n",
    'int a = 1; // c ; }\n/* ;\n } */ int /* ; */ b = 2;\nprint("a;}//" /* } */);\n',
    "int k = 2;\nswitch (k) {\n  case 1: print(\"1\"); break;\n  case 2: print(\"2\");\n  default: print(\"d\");\n}\n",
    "int n = 0;\nfor (int i = 0; i < 3; i++)\n  n += i;\nfor (;;) { n++; if (n > 9) break; }\nprint(string.fromNum(n));\n",
    "int a = 1;\n\n\n\nint c = a + \"x\";\nint d = 4;\n",
    "int a = 1;\n\n\nq = 5;\n",
    "int n = 0;\ndo {\n  n++;\n} while (n < 3);\ndo n += 2; while (n < 9);\nprint(\"n=\" + n);\n",
    ('double twice(double v) {\n  return 2 * v;\n}\nvoid show(string s) { print(s); return; }\n'
     'show("t=" + twice(2.5));\nint bad = twice("x");\n'),
    'string s = "multi\\\nline";\nint h = 0x1F & 0x0C | 1;\nh %= 5;\nprint(s + h);\nint e = 1 / 0;\n',
    'Map m;\nm["k"] = 1;\nint i = 0, j = 3;\nfor (i = 0, j = 3; i < j; i++, j--) m["k"] += i;\nprint("" + m["k"]);\n',
    'Object s = Object.create("Source");\nforobjectlayerunder(model()) {\n  a.Seen = 1;\n}\nprint("x" + current);\n',
    'void f() {\n  int x = 1;\n  x = x * "a";\n}\nint y = 2;\nf();\n',
    "int i = 0;\n\nwhile (1) { i++; }\n",
    "int a = 1;\nreturn 5;\nprint(\"never\");\n",
])
def test_hand_made_scripts_match_the_whole_script_path(code: str) -> None:
    chunked, whole = both(code)
    assert chunked == whole
    chunked, whole = both(PADDING + code)
    assert chunked == whole


def test_runtime_errors_name_the_script_line() -> None:
    code = PADDING + "int a = 1;\n\n\nint c = a * \"x\";\n"
    with pytest.raises(ScriptError) as error:
        build_graph(code)
    line = PADDING.count("\n") + 4
    assert error.value.line == line and str(error.value).startswith(f"line {line}: operator '*' needs numbers")


def test_an_object_on_line_40_is_on_line_40() -> None:
    code = "\n" * 39 + 'Object s = Object.create("Source");\ns.name = "Src";\n' + PADDING
    obj = build_graph(code).get("Src")
    assert obj.line == 40


@pytest.mark.parametrize("code", [
    "int a = 1;\nint b = 2;\nint c = = 3;\nint d = 4;\n",
    'int a = 1;\nprint("abc);\nint b = 2;\n',
    "int a = 1;\nint b = 2;\nint c = 3\n",
    "int a = 1;\n{\nint b = 2;\n",
])
def test_broken_scripts_report_what_the_whole_script_path_reports(code: str) -> None:
    with pytest.raises(ScriptError) as chunked:
        build_graph(PADDING + code)
    with pytest.raises(ScriptError) as whole:
        sandbox._compile(PADDING + code, 1_000_000)
    assert (chunked.value.outcome, str(chunked.value), chunked.value.line) == (
        whole.value.outcome, str(whole.value), whole.value.line)
    assert chunked.value.line is None or chunked.value.line > PADDING.count("\n")


def test_a_statement_without_a_line_of_its_own_takes_the_whole_script_path() -> None:
    code = "int a = 1;\n\n\n[][1];\n"
    assert sandbox._compile_chunked(code) is None
    with pytest.raises(ScriptError) as error:
        build_graph(PADDING + code)
    assert error.value.line == PADDING.count("\n") + 1


def test_a_cached_statement_gets_the_lines_of_each_script() -> None:
    sandbox._compile_chunk.cache_clear()
    make = 'Object q = Object.create("Queue");\nq.name = "Q";\nq.setProperty("MaxContent", 5);\n'
    first = build_graph(PADDING + make)
    misses = sandbox._compile_chunk.cache_info().misses
    second = build_graph(PADDING + "\n\nint x = 1;\n" + make)
    info = sandbox._compile_chunk.cache_info()
    assert info.misses == misses + 1 and info.hits >= 3
    base = PADDING.count("\n")
    assert first.get("Q").line == base + 1 and second.get("Q").line == base + 4
    bad = "q.setProperty(\"MaxContent\", \"five\" * 2);\n"
    for extra in ("", "\n\n\n\n"):
        with pytest.raises(ScriptError) as error:
            build_graph(PADDING + make + extra + bad)
        assert error.value.line == base + 4 + len(extra)


_REFERENCE = (DATA / "reference_6_1.fs").read_text(encoding="utf-8")
_STATEMENTS = [text for _, text in top_level_chunks(_REFERENCE) or []]
_FILLER = st.sampled_from(["", "\n", "\n\n", " ", "// note ; }\n", "/* a ; } comment\n */", "\t;", ";\n"])


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(len(_STATEMENTS))), st.lists(_FILLER, min_size=len(_STATEMENTS) + 1,
                                                           max_size=len(_STATEMENTS) + 1), st.booleans())
def test_shuffled_and_padded_scripts_agree_with_the_whole_script_path(order: list[int], fillers: list[str],
                                                                      shuffle: bool) -> None:
    statements = [_STATEMENTS[i] for i in order] if shuffle else _STATEMENTS
    code = fillers[0] + "".join(text + filler for text, filler in zip(statements, fillers[1:], strict=True))
    chunked, whole = both(code)
    assert chunked == whole


def test_statements_that_differ_only_in_literals_and_variables_share_one_compile() -> None:
    first = sandbox._compile_chunk('q.setProperty("MaxContent", 5);')
    second = sandbox._compile_chunk('buffer.setProperty("Capacity", 0x1F);')
    assert first is not None and second is not None
    assert first[0] is second[0]
    assert (first[2], second[2]) == (("q", "MaxContent", 5), ("buffer", "Capacity", 31))
    make = 'Object {var} = Object.create("Queue");\n{var}.name = "{name}";\n{var}.setProperty("MaxContent", {size});\n'
    for var, name, size in (("q", "Q", 5), ("b2", 'Buffer \\"B\\"', 2.5), ("q", "Q", '"five"'), ("Math", "M", 1)):
        chunked, whole = both(make.format(var=var, name=name, size=size))
        assert chunked == whole


def test_names_that_are_not_variables_stay_in_the_template() -> None:
    compiled = sandbox._compile_chunk("double scale(double v) { return v * 2; }")
    assert compiled is not None and compiled[2] == (2,)
    compiled = sandbox._compile_chunk("Storage.Item item = current; x = 1;")
    assert compiled is not None and compiled[2] == (1,)
    compiled = sandbox._compile_chunk("x = Math.pi + true + y;")
    assert compiled is not None and compiled[2] == ("x", "y")


def test_a_function_reads_the_literals_of_the_text_that_defined_it() -> None:
    code = ('double scale(double v) {{\n  return v * {factor};\n}}\nstring label = "{label}";\n'
            'print(label + scale({arg}));\n')
    outcomes = set()
    for factor, label, arg in ((2, "a", 1.5), (3.25, "b", 4), (2, "a", 1.5)):
        chunked, whole = both(code.format(factor=factor, label=label, arg=arg))
        assert chunked == whole
        outcomes.add(str(chunked))
    assert len(outcomes) == 2
