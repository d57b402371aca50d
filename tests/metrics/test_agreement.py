"""The textual and executed modes agree on what counts as a name, a connection and a parameter
(docs/metrics.md, "What each mode recognises")."""

from __future__ import annotations

import pytest

from twinforge.execution import build_graph
from twinforge.metrics.executed import statements_from_graph
from twinforge.metrics.textual import read_statements

HEADER = "Object current = ownerobject(c);\\nObject item = param(1);\\n"

FORMS = {
    "Object.create and .name": 'Object a = Object.create("Source");\na.name = "A";\n',
    "createinstance and setname": 'Object a = createinstance(library().find("?Source"), model());\nsetname(a, "A");\n',
    "node path and setnodename": 'Object a = createinstance(node("/?Source", library()), model());\nsetnodename(a, "A");\n',
    "createcopy of a class and setProperty Name": (
        'Object a = createcopy(library().find("?Source"), model());\na.setProperty("Name", "A");\n'),
}
LINE = ('Object b = Object.create("Queue");\nb.name = "B";\n'
        'Object k = Object.create("Sink");\nk.name = "K";\n'
        'Object d = Object.create("Dispatcher");\nd.name = "D";\n'
        'b.setProperty("MaxContent", 7);\n'
        f'a.setProperty("InterArrivalTime", "{HEADER}return exponential(0, 5, getstream(current));");\n')
CONNECTIONS = {
    "plain": 'contextdragconnection(a, b, "A");\ncontextdragconnection(b, k, "A");\n',
    "Model.find ends": 'contextdragconnection(Model.find("A"), b, "A");\ncontextdragconnection(b, Model.find("K"), "A");\n',
    "a Q disconnect": ('contextdragconnection(a, b, "A");\ncontextdragconnection(a, k, "A");\n'
                       'contextdragconnection(a, k, "Q");\ncontextdragconnection(b, k, "A");\n'),
    "an S link and a W disconnect": ('contextdragconnection(a, b, "A");\ncontextdragconnection(b, k, "A");\n'
                                     'contextdragconnection(b, d, "S");\ncontextdragconnection(d, b, "W");\n'
                                     'contextdragconnection(b, d, "S");\n'),
}


@pytest.mark.parametrize("naming", sorted(FORMS))
@pytest.mark.parametrize("links", sorted(CONNECTIONS))
def test_both_modes_read_the_same_names_and_connections(naming: str, links: str) -> None:
    code = FORMS[naming] + LINE + CONNECTIONS[links]
    textual = read_statements(code)
    executed = statements_from_graph(build_graph(code))
    assert textual.objects == executed.objects == {"A": "Source", "B": "Queue", "K": "Sink", "D": "Dispatcher"}
    assert textual.connections == executed.connections


def test_a_copy_of_an_object_is_read_with_its_class_by_both_modes() -> None:
    code = ('Object a = Object.create("Processor");\na.name = "A";\n'
            'Object b = createcopy(a, model());\nb.name = "B";\n')
    assert read_statements(code).objects == statements_from_graph(build_graph(code)).objects == {
        "A": "Processor", "B": "Processor"}


def test_parameters_are_set_on_the_same_objects_and_a_name_is_never_one() -> None:
    code = FORMS["createcopy of a class and setProperty Name"] + LINE + CONNECTIONS["plain"]
    textual = read_statements(code)
    executed = statements_from_graph(build_graph(code))
    assert set(textual.parameters) == {("B", "MaxContent"), ("A", "InterArrivalTime")}
    assert textual.parameters[("B", "MaxContent")] == executed.parameters[("B", "max_content")]
    assert textual.parameters[("A", "InterArrivalTime")] == executed.parameters[("A", "inter_arrival")]
    assert not any(prop == "Name" for _, prop in textual.parameters)
    assert not any(param == "name" for _, param in executed.parameters)
