"""Textual mode: hand-computed CS, OS, SVR and PMR for the small spec's hand-written reference."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.metrics.corpus_fixture import REFERENCE
from twinforge.metrics.scores import match
from twinforge.metrics.textual import read_statements
from twinforge.schemas.flexsim_vocabulary import KIND_TO_CLASS

REF = read_statements(REFERENCE)


def scores(prediction: str):
    return match(REF, read_statements(prediction))


def test_reference_is_read_completely():
    assert len(REF.objects) == 6
    assert REF.objects["Mask Coater"] == "Processor"
    assert sum(1 for c in REF.connections if c[2] == "A") == 4
    assert len(REF.parameters) == 8


def test_perfect_prediction_scores_one():
    result = scores(REFERENCE)
    assert (result.cs, result.os, result.svr, result.pmr) == (1.0, 1.0, 1.0, 1.0)


def test_one_missing_connection_costs_one_of_n():
    result = scores(REFERENCE.replace('contextdragconnection(q, m, "A");\n', ""))
    assert result.cs == 3 / 4
    assert result.svr == pytest.approx(0.6 * 3 / 4 + 0.4)
    assert (result.os, result.pmr) == (1.0, 1.0)


def test_wrong_case_name_fails_the_object_its_connections_and_parameters():
    result = scores(REFERENCE.replace('m.name = "Mask Coater";', 'm.name = "mask coater";'))
    assert result.os == 5 / 6
    assert result.cs == 2 / 4  # q -> m and m -> snk now name another object
    assert result.pmr == 4 / 8  # the four properties set on the processor
    assert result.svr == pytest.approx(0.6 * 0.5 + 0.4 * 5 / 6)


def test_wrong_class_fails_the_object():
    result = scores(REFERENCE.replace('Object.create("Queue")', 'Object.create("Sink")'))
    assert result.os == 5 / 6
    assert result.cs == 1.0


def test_exponential_10_instead_of_15_drops_exactly_one_parameter():
    result = scores(REFERENCE.replace("exponential(0, 15,", "exponential(0, 10,"))
    assert result.parameters_matched == result.parameters_total - 1 == 7
    assert result.svr == 1.0


def test_unparseable_prediction_keeps_what_can_be_read():
    broken = REFERENCE.split("contextdragconnection")[0] + "contextdragconnection(src, q"
    result = scores(broken)
    assert (result.os, result.cs, result.pmr) == (1.0, 0.0, 1.0)
    assert result.svr == pytest.approx(0.4)


def test_statements_in_comments_and_strings_are_not_read():
    extra = '// contextdragconnection(q, snk, "A");\nstring s = "contextdragconnection(q, snk, \\"A\\");";\n'
    assert read_statements(REFERENCE + extra).connections == REF.connections


def test_loop_style_objects_and_references_are_read():
    code = """
Array kinds = ["/?Source", "/?Queue", "/?Sink"];
Array names = ["Src", "Buffer 1", "Out"];
Array objs = Array(kinds.length);
for (int i = 1; i <= kinds.length; i++) {
    Object obj = createinstance(node(kinds[i], library()), model());
    obj.name = names[i];
    objs[i] = obj;
}
Object buf = objs[2];
buf.setProperty("MaxContent", 7);
contextdragconnection(objs[1], buf, "A");
contextdragconnection(buf, objs[3], "A");
"""
    read = read_statements(code)
    assert read.objects == {"Src": "Source", "Buffer 1": "Queue", "Out": "Sink"}
    assert read.connections == [("Src", "Buffer 1", "A"), ("Buffer 1", "Out", "A")]
    assert read.parameters == {("Buffer 1", "MaxContent"): ("num", 7)}


def test_legacy_creation_forms_are_read():
    code = """
Object a = createinstance(library().find("?Source"), model());
a.name = "A";
Object b = createinstance(node("/?Sink", library()), model());
setname(b, "B");
contextdragconnection(Model.find("A"), b, "A");
"""
    read = read_statements(code)
    assert read.objects == {"A": "Source", "B": "Sink"}
    assert read.connections == [("A", "B", "A")]


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=2**31 - 1))
def test_rendered_scripts_of_sampled_specs_are_read_exactly(seed: int):
    from twinforge.families.factory.sampler import sample_specs
    from twinforge.renderers.flexscript import render_flexscript

    spec = next(iter(sample_specs(1, seed, {})))
    explicit = read_statements(render_flexscript(spec, "explicit"))
    loop = read_statements(render_flexscript(spec, "loop"))
    assert explicit.objects == {obj.name: KIND_TO_CLASS[obj.kind] for obj in spec.objects}
    assert explicit.connections == [(c.from_, c.to, c.port) for c in spec.connections]
    assert sorted(loop.connections) == sorted(explicit.connections)  # the loop's upstream table is resolved
    scores = match(explicit, loop)
    assert (scores.svr, scores.pmr) == (1.0, 1.0)


def test_paper_style_chain_loop_is_read():
    code = """
Array kinds = ["/?Source", "/?Processor", "/?Sink"];
Array names = ["S", "P", "K"];
Array objs = Array(kinds.length);
for (int i = 1; i <= kinds.length; i++) {
    string path = kinds[i];
    Object obj = createinstance(node(path, library()), model());
    obj.name = names[i];
    objs[i] = obj;
    if (i > 1) {
        Object prev = objs[i - 1];
        contextdragconnection(prev, obj, "A");
    }
}
"""
    assert read_statements(code).connections == [("S", "P", "A"), ("P", "K", "A")]
