"""The FlexScript subset: values, operators, control flow and the errors FlexScript raises."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.execution.conftest import printed
from twinforge.execution import ScriptError, build_graph


def show(expression: str) -> str:
    return printed(f"print({expression});")[0]


@pytest.mark.parametrize(("expression", "expected"), [
    ("7 / 2", "3"), ("-7 / 2", "-3"), ("7 / 2.0", "3.5"), ("7 % 3", "1"), ("-7 % 3", "-1"),
    ("1 + 2 * 3", "7"), ("(1 + 2) * 3", "9"), ("10 - 4 - 3", "3"), ("2 * 3 % 4", "2"),
    ("1 < 2 && 2 < 3", "1"), ("1 > 2 || 0", "0"), ("!0", "1"), ("1 + 1 == 2", "1"), ("3 != 3", "0"),
    ("1 || 0 && 0", "1"), ("1 ? 5 : 6", "5"), ("0 ? 5 : 1 ? 7 : 8", "7"), ("\"ab\" + \"cd\"", "ab"+"cd"),
    ("\"a\" == \"a\"", "1"), ("Math.sqrt(16)", "4"), ("Math.max(2, 9)", "9"), ("Math.fmod(7.5, 2)", "1.5"),
    ("string.fromNum(2.5)", "2.5"), ("string.fromNum(10)", "10"), ("string.fromNum(3.14159, 2)", "3.14"),
    ("\"x\\\"y\\\\z\\n\".length", "6"), ("5.0 / 2", "2.5"), ("1e3", "1000"),
])
def test_expressions_follow_c_rules(expression: str, expected: str) -> None:
    assert show(expression) == expected


@pytest.mark.parametrize(("literal", "value"), [
    (r'"tab\there"', "tab\there"), (r'"q\"uote\\"', 'q"uote\\'), (r'"\q\0"', "q\0"),
    ('"line \\\r\nbreak"', "line break"), ('"line \\\nbreak"', "line break"), ('"cr \\\rgone"', "cr gone"),
    (r'"a\\n"', "a\\n"), (r'"plain"', "plain"),
])
def test_string_escapes_are_c_escapes_and_line_continuations(literal: str, value: str) -> None:
    assert printed(f"print({literal});")[0] == value


@given(st.integers(-10**6, 10**6), st.integers(-1000, 1000).filter(lambda b: b != 0))
def test_int_division_truncates_toward_zero_like_c(a: int, b: int) -> None:
    quotient = abs(a) // abs(b) * (1 if (a >= 0) == (b >= 0) else -1)
    assert show(f"{a} / {b}".replace("--", "- -")) == str(quotient)
    assert show(f"{a} % {b}".replace("--", "- -")) == str(a - quotient * b)


def test_arrays_are_one_based_with_methods() -> None:
    out = printed("""
        Array a = [10, 20, 30];
        a.push(40);
        print(string.fromNum(a[1]), string.fromNum(a[4]), string.fromNum(a.length));
        print(string.fromNum(a.indexOf(30)), string.fromNum(a.indexOf(99)));
        Array b = a.slice(2, 4);
        print(b.join("-"), a.concat([50]).join(","), string.fromNum(a.pop()));
        Array c = a;
        c[1] = 11;
        print(string.fromNum(a[1]), a.clone().reverse().join(","));
        Array d = Array(3);
        d.fill(7);
        d.append([8]);
        print(d.join(","));
    """)
    assert out == ["10 40 4", "3 -1", "20-30 10,20,30,40,50 40", "11 30,20,11", "7,7,7,8"]


def test_array_index_zero_is_an_error() -> None:
    with pytest.raises(ScriptError) as error:
        build_graph("Array a = [1];\nint x = a[0];")
    assert error.value.outcome == "build_error" and error.value.line == 2
    assert "start at 1" in error.value.message


def test_control_flow_switch_while_break_continue() -> None:
    out = printed("""
        int total = 0;
        for (int i = 1; i <= 10; i++) {
            if (i % 2 == 0) { continue; }
            if (i > 7) break;
            total += i;
        }
        int n = 0;
        while (n < 100) { n += 7; }
        for (int k = 1; k <= 3; k++) {
            switch (k) {
                case 1: print("one"); break;
                case 2: print("two");
                default: { print("fell"); break; }
            }
        }
        print(string.fromNum(total), string.fromNum(n));
    """)
    assert out == ["one", "two", "fell", "fell", "16 105"]


def test_typed_declarations_convert_numbers() -> None:
    assert printed("int i = 7.9; double d = 3; print(string.fromNum(i), string.fromNum(d / 2));") == ["7 1.5"]


def test_a_number_added_to_a_string_is_written_into_it() -> None:
    """Scripts that ran in FlexSim write ``"text" + number``; the digits of a double are ours."""
    assert printed('int n = 3;\nprint("Machine_" + n, 2.5 + "x", "t=" + Model.time);') == ["Machine_3 2.5x t=0"]


def test_other_arithmetic_on_a_string_is_an_error() -> None:
    with pytest.raises(ScriptError) as error:
        build_graph('int n = 3;\nint s = "Machine_" - n;')
    assert error.value.outcome == "build_error" and error.value.line == 2
    assert "needs numbers" in error.value.message


def test_redeclaration_in_one_block_is_an_error_but_loops_redeclare_freely() -> None:
    assert printed("for (int i = 1; i <= 2; i++) { int x = i; print(string.fromNum(x)); }") == ["1", "2"]
    with pytest.raises(ScriptError, match="declared twice"):
        build_graph("int x = 1; int x = 2;")


def test_comments_are_ignored() -> None:
    assert printed('// line\n/* block\n comment */ print("ok"); // tail') == ["ok"]


@pytest.mark.parametrize(("code", "line", "column"), [
    ("int x = 1;\nint y = ;", 2, 9),
    ("int x = 1;\nprint(x) x;", 2, 10),
    ("int x = 1 $ 2;", 1, 11),
])
def test_syntax_errors_give_line_and_column(code: str, line: int, column: int) -> None:
    with pytest.raises(ScriptError) as error:
        build_graph(code)
    assert error.value.outcome == "parse_error"
    assert error.value.line == line
    assert f"line {line}, column {column}" in error.value.message


def test_return_without_a_value_ends_the_script() -> None:
    assert printed('print("a");\nreturn;\nprint("b");') == ["a"]


def test_undeclared_variable_names_the_line_and_variable() -> None:
    with pytest.raises(ScriptError) as error:
        build_graph("int a = 1;\nint b = a + ghost;")
    assert (error.value.outcome, error.value.line) == ("build_error", 2)
    assert "'ghost'" in error.value.message


def test_labels_and_chained_setters() -> None:
    graph = build_graph("""
        Object te = Object.create("TaskExecuter");
        te.name = "AGV_1";
        te.AGV = 1;
        te.setLocation(1, 2, 0).setRotation(0, 0, 90);
        print(string.fromNum(te.location.x + te.AGV));
    """)
    (obj,) = graph.objects
    assert (obj.kind, obj.position, obj.labels) == ("agv", (1, 2, 0), {"AGV": 1})
    assert graph.printed == ("2",)
