"""Canonical values: numbers by written form, distributions in FlexSim order without the stream."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from twinforge.metrics.values import (
    _scan_arguments,
    expression_value,
    literal_value,
    spec_distribution_value,
    split_arguments,
)
from twinforge.schemas.numbers import format_number

CODE = '"Object current = ownerobject(c);\\nObject item = param(1);\\nreturn {call};"'


def code(call: str) -> str:
    return CODE.format(call=call)


def test_paper_shorthand_equals_the_flexsim_call():
    assert expression_value("exponential(10)") == literal_value(code("exponential(0, 10, getstream(current))"))
    assert expression_value("exponential(10)") != expression_value("exponential(15)")


def test_stream_argument_is_ignored_but_arguments_are_not():
    assert expression_value("normal(5, 1, 3)") == expression_value("normal(5.0, 1, getstream(current))")
    assert expression_value("triangular(1, 9, 4, 0)") != expression_value("triangular(1, 4, 9, 0)")


def test_code_string_returning_a_number_is_that_number():
    assert literal_value(code("5")) == literal_value("5.0") == ("num", 5)


def test_wrapped_call_only_matches_the_same_wrapper():
    plain = expression_value("normal(10, 2)")
    wrapped = expression_value("Math.max(0, normal(10, 2, getstream(current)))")
    assert wrapped != plain
    assert wrapped == expression_value("Math.max(0,normal(10,2))")


def test_spec_distributions_match_the_code_our_templates_write():
    assert spec_distribution_value({"family": "triangular", "min": 20, "mode": 25, "max": 40}) == \
        expression_value("triangular(20, 40, 25, getstream(current))")
    assert spec_distribution_value({"family": "gamma", "shape": 2, "scale": 3.5}) == \
        expression_value("gamma(0, 3.5, 2, getstream(current))")
    assert spec_distribution_value({"family": "constant", "value": 0}) == literal_value("0")


@given(st.floats(min_value=1e-3, max_value=1e6, allow_nan=False))
def test_numbers_compare_by_canonical_written_form(value: float):
    written = format_number(value)
    assert literal_value(written) == literal_value(repr(float(written))) == literal_value(written + "0" * ("." in written))
    assert expression_value(f"uniform(0, {written})") == expression_value(f"uniform(0.0, {float(written)!r}, 1)")


def test_argument_lists_split_at_top_level_commas_only():
    text = 'f(a, "x, (y)", g(1, [2, 3]), ) tail'
    assert split_arguments(text, 1) == (["a", '"x, (y)"', "g(1, [2, 3])", ""], text.index(" tail"))
    assert split_arguments("()", 0) == ([], 2)
    assert split_arguments('("open, 1)', 0) is None


@given(st.text(alphabet='ab1 ,()[]{}"\\\n;.', max_size=24), st.sampled_from("([{"))
def test_flat_list_shortcut_gives_what_the_full_scan_gives(body: str, opener: str):
    text = opener + body
    assert split_arguments(text, 0) == _scan_arguments(text, 0)
