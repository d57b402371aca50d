"""Executed mode: scores on the graph twinforge's interpreter builds, and ESR from its outcome."""

from __future__ import annotations

from tests.metrics.corpus_fixture import REFERENCE, spec_data
from twinforge.metrics.executed import execute, reference_statements
from twinforge.metrics.scores import match
from twinforge.metrics.textual import read_statements
from twinforge.schemas import load_spec

REF = reference_statements(spec_data())


def executed(code: str):
    run = execute(code)
    return run, match(REF, run.statements)


def test_hand_written_reference_builds_the_spec():
    run, result = executed(REFERENCE)
    assert run.outcome == "ok"
    assert (result.cs, result.os, result.svr, result.pmr) == (1.0, 1.0, 1.0, 1.0)


def test_loop_style_prediction_of_explicit_reference_scores_one():
    from twinforge.renderers.flexscript import render_flexscript

    loop = render_flexscript(load_spec(spec_data()), "loop")
    run, result = executed(loop)
    assert run.outcome == "ok"
    assert (result.cs, result.os, result.svr, result.pmr) == (1.0, 1.0, 1.0, 1.0)
    textual = match(read_statements(REFERENCE), read_statements(loop))
    assert (textual.svr, textual.pmr) == (1.0, 1.0)  # the textual mode resolves the loop's tables too


def test_exponential_10_instead_of_15_drops_exactly_one_parameter():
    _, result = executed(REFERENCE.replace("exponential(0, 15,", "exponential(0, 10,"))
    assert result.parameters_matched == result.parameters_total - 1
    assert result.svr == 1.0


def test_wrong_case_name():
    _, result = executed(REFERENCE.replace('m.name = "Mask Coater";', 'm.name = "mask coater";'))
    assert (result.os, result.cs) == (5 / 6, 2 / 4)
    # 15 parameters (routing on the source, queue and processor); the processor's six are lost
    assert (result.parameters_total, result.parameters_matched) == (15, 9)


def test_unparseable_prediction_is_not_executable_and_builds_nothing():
    run, result = executed(REFERENCE.split("contextdragconnection")[0] + "contextdragconnection(src, q")
    assert run.outcome == "parse_error"
    assert (result.svr, result.pmr) == (0.0, 0.0)


def test_missing_connection_scores_three_quarters_and_is_not_executable():
    run, result = executed(REFERENCE.replace('contextdragconnection(q, m, "A");\n', ""))
    assert result.cs == 3 / 4 and result.pmr == 1.0
    assert run.outcome == "no_throughput"  # the processor is cut off from the source
