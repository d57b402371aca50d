"""Checker rules: class names, property names and values, distributions, connections."""

from __future__ import annotations

import pytest

from tests.execution.conftest import code_string
from twinforge.execution import ScriptError, build_graph, check_script

LINE = """Object src = Object.create("Source");
Object m = Object.create("Processor");
Object out = Object.create("Sink");
contextdragconnection(src, m, "A");
contextdragconnection(m, out, "A");
"""


def outcome(code: str) -> ScriptError:
    with pytest.raises(ScriptError) as error:
        build_graph(code)
    return error.value


@pytest.mark.parametrize(("statement", "kind", "fragment"), [
    ('m.setProperty("Speed", 2);', "param_error", "has no property 'Speed'"),
    ('m.setProperty("MaxContent", 0);', "param_error", "whole number >= 1"),
    ('m.setProperty("MaxContent", 2.5);', "param_error", "whole number >= 1"),
    ('m.setProperty("ProcessTime", -4);', "param_error", "must be >= 0"),
    ('m.setProperty("ProcessTime", "x");', "param_error", "ProcessTime"),
    ('m.setProperty("ProcessTime", exponential(0, 5, 1));', "param_error", "only inside"),
    ('m.setProperty("ProcessTime", ' + code_string("return normal(5);") + ");",
     "param_error", "takes 2 argument"),
    ('m.setProperty("ProcessTime", ' + code_string("return triangular(5, 2, 3, getstream(current));") + ");",
     "param_error", "triangular"),
    ('m.setProperty("ProcessTime", ' + code_string("return erlang(0, 2, 3, getstream(current));") + ");",
     "param_error", "unknown distribution 'erlang'"),
    ('m.setProperty("ProcessTime", ' + code_string("return exponential(0, 5) + 1;") + ");",
     "param_error", "needs numbers"),
    ('m.setProperty("ProcessTime", ' + code_string("int x = 1;") + ");", "param_error", "returns no value"),
    ('src.setProperty("ArrivalStyle", "Hourly");', "param_error", "unknown option 'Hourly'"),
    ('src.setProperty("ArrivalStyle", 1);', "param_error", "option name"),
    ('m.setProperty("CombineMode", "Pack");', "param_error", "has no property 'CombineMode'"),
    ('contextdragconnection(out, m, "A");', "build_error", "out of Sink"),
    ('contextdragconnection(m, src, "A");', "build_error", "into Source"),
    ('contextdragconnection(m, m, "A");', "build_error", "itself"),
    ('contextdragconnection(m, out, "X");', "build_error", "key must be one of"),
    ('contextdragconnection(m, 5, "A");', "build_error", "argument 2"),
    ('contextdragconnection(m, ghost, "A");', "build_error", "undeclared variable 'ghost'"),
    ('Object w = Object.create("Widget");', "build_error", "unknown class 'Widget'"),
    ('Object w = createinstance(node("/?source", library()), model());', "build_error", "case-sensitive"),
    ('Object w = createinstance(node("/Source", library()), model());', "build_error", "'?' search"),
    ('m.name = "Source1";', "build_error", "named 'Source1'"),
    ('print(m.Colour);', "build_error", "no attribute or label 'Colour'"),
])
def test_rule_violations_are_classified_and_located(statement: str, kind: str, fragment: str) -> None:
    error = outcome(LINE + statement)
    assert error.outcome == kind
    assert fragment in error.message
    assert error.line == 6


def test_property_values_in_all_accepted_forms() -> None:
    graph = build_graph(LINE + """
        m.setProperty("ProcessTime", [2, "min"]);
        m.setProperty("SetupTime", "Object current = ownerobject(c);\\nObject item = param(1);\\n"
            + "double m2 = 4;\\nreturn gamma(0, m2 / 2, 3, getstream(current));");
        src.setProperty("InterArrivalTime", "uniform(3, 9, 1)");
        Object cv = Object.create("Conveyor::StraightConveyor");
        cv.setProperty("Speed", [30, "m/min"]);
        cv.setProperty("HorizontalLength", 12);
    """)
    params = {obj.name: obj.params for obj in graph.objects}
    assert params["Processor1"]["process_time"].model_dump() == {"family": "constant", "value": 120.0}
    assert params["Processor1"]["setup_time"].model_dump() == {"family": "gamma", "shape": 3.0, "scale": 2.0}
    assert params["Source1"]["inter_arrival"].model_dump() == {"family": "uniform", "min": 3.0, "max": 9.0}
    assert params["StraightConveyor1"] == {"length": 12, "speed": 0.5}


def test_lognormal2_and_weibull_use_flexsim_argument_order() -> None:
    graph = build_graph(LINE + 'm.setProperty("ProcessTime", '
                        + code_string("return weibull(0, 12, 2, getstream(current));") + ");")
    assert graph.get("Processor1").params["process_time"].model_dump() == {
        "family": "weibull", "shape": 2.0, "scale": 12.0}


def test_multiprocessor_steps_and_combiner_components() -> None:
    graph = build_graph("""
        Object mp = Object.create("MultiProcessor");
        mp.setProperty("ProcessNames", ["Wash", "Dry"]);
        mp.setProperty("ProcessTimes", [5, "Object current = ownerobject(c);\\nObject item = param(1);\\nreturn uniform(1, 2, getstream(current));"]);
        Object cb = Object.create("Combiner");
        cb.setProperty("CombineMode", "Join");
        cb.setProperty("ComponentsList", [3]);
        Object sp = Object.create("Separator");
        sp.setProperty("SeparateMode", "Split");
        sp.setProperty("SeparateQty", 4);
    """)
    steps = graph.get("MultiProcessor1").params["steps"]
    assert [(name, dist.family) for name, dist in steps] == [("Wash", "constant"), ("Dry", "uniform")]
    assert graph.get("Combiner1").params["mode"] == "join"
    assert graph.get("Combiner1").params["component_quantity"] == 3
    assert (graph.get("Separator1").params["mode"], graph.get("Separator1").params["split_quantity"]) == ("split", 4)


def test_mismatched_multiprocessor_steps_are_a_param_error() -> None:
    result = check_script('Object mp = Object.create("MultiProcessor");\nmp.setProperty("ProcessNames", ["A", "B"]);'
                          '\nmp.setProperty("ProcessTimes", [5]);')
    assert result.outcome == "param_error" and "one entry per step" in result.message


def test_q_key_removes_a_connection_and_s_links_are_centre_partners() -> None:
    graph = build_graph(LINE + """
        Object d = Object.create("Dispatcher");
        Object op = Object.create("Operator");
        contextdragconnection(d, op, "A");
        contextdragconnection(m, d, "S");
        contextdragconnection(src, m, "Q");
    """)
    assert graph.inputs("Processor1") == []
    assert graph.centre("Processor1") == ["Dispatcher1"] and graph.centre("Dispatcher1") == ["Processor1"]
    assert graph.outputs("Dispatcher1") == ["Operator1"]
