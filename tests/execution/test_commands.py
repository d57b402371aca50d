"""Every command and name class of ``flexsim_api`` gets its documented status (docs/execution.md,
"Supported subset"): modelled commands run with their effect, run-only ones change nothing, host
access is refused, a trigger's names need a context, other FlexSim names are unsupported, and a
name FlexSim does not have is an error of the script."""

from __future__ import annotations

import pytest

from twinforge.execution import ScriptError, build_graph, simulated_model
from twinforge.execution.commands import COMMANDS
from twinforge.execution.errors import CONTEXT
from twinforge.execution.flexsim_api import CONTEXT_COMMANDS, CONTEXT_NAMES, NO_OP_COMMANDS, refusal
from twinforge.execution.flexsim_names import FLEXSIM_COMMANDS, FLEXSIM_CONSTANTS

LINE = ('Object src = Object.create("Source");\nsrc.name = "Src";\nObject q = Object.create("Queue");\n'
        'q.name = "Q1";\nObject snk = Object.create("Sink");\nsnk.name = "Snk";\n'
        'contextdragconnection(src, q, "A");\ncontextdragconnection(q, snk, "A");\n')

CALLS = {
    "setname": ('setname(q, "Buffer");', lambda g: g.get("Buffer").cls == "Queue"),
    "setnodename": ('setnodename(q, "Buffer");', lambda g: g.get("Buffer").cls == "Queue"),
    "getname": ('print(getname(q));', lambda g: g.printed == ("Q1",)),
    "createcopy": ('Object c2 = createcopy(q, model()); c2.name = "Q2";', lambda g: g.get("Q2").cls == "Queue"),
    "setloc": ("setloc(q, 1, 2, 3);", lambda g: g.get("Q1").position == (1, 2, 3)),
    "setsize": ("setsize(q, 2, 2, 2);", lambda g: True),
    "setrot": ("setrot(q, 0, 0, 90);", lambda g: True),
    "setlabel": ('setlabel(q, "Lot", 4);', lambda g: g.get("Q1").labels == {"Lot": 4}),
    "getlabel": ('q.Lot = 5; print("" + getlabel(q, "Lot"));', lambda g: g.printed == ("5",)),
    "isclasstype": ('print("" + isclasstype(q, "FixedResource") + isclasstype(q, "Processor"));',
                    lambda g: g.printed == ("10",)),
    "inobject": ("print(inobject(q, 1).name);", lambda g: g.printed == ("Src",)),
    "outobject": ("print(outobject(q, 1).name);", lambda g: g.printed == ("Snk",)),
    "centerobject": ("print(\"\" + objectexists(centerobject(q, 1)));", lambda g: g.printed == ("0",)),
    "nrip": ('print("" + nrip(q));', lambda g: g.printed == ("1",)),
    "nrop": ('print("" + nrop(src));', lambda g: g.printed == ("1",)),
    **{name: (f'{name}("text");', lambda g: g.printed == ("text",)) for name in ("pt", "pr", "pd", "pf", "mpt",
                                                                              "mpr", "mpd", "mpf")},
}


def test_every_modelled_command_is_exercised() -> None:
    assert set(COMMANDS) == set(CALLS) | NO_OP_COMMANDS


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_modelled_command_has_its_effect(name: str) -> None:
    call, effect = CALLS[name]
    assert effect(build_graph(LINE + call))


@pytest.mark.parametrize("name", sorted(NO_OP_COMMANDS))
def test_a_run_only_command_changes_nothing(name: str) -> None:
    args = {"runspeed": "10", "stoptime": "3600"}.get(name, "")
    graph = build_graph(f"{LINE}{name}({args});")
    assert simulated_model(graph) == simulated_model(build_graph(LINE)) and graph.printed == ()


def verdict(code: str) -> ScriptError:
    with pytest.raises(ScriptError) as error:
        build_graph(LINE + code)
    return error.value


REFUSED = sorted(name for name in FLEXSIM_COMMANDS if refusal(name) is not None)


def test_host_access_commands_are_the_documented_families() -> None:
    assert {"fileopen", "fpt", "excelopen", "dbopen", "clientcreate", "servercreatemain", "socketinit", "runprogram",
            "modeldir", "webcommand"} <= set(REFUSED)
    assert not {"setname", "contextdragconnection", "print", "exponential", "stoptime"} & set(REFUSED)


@pytest.mark.parametrize("name", REFUSED)
def test_host_access_is_refused(name: str) -> None:
    error = verdict(f"{name}();")
    assert error.outcome == "unsupported" and "refused in twinforge's sandbox" in error.message
    assert name in error.message and error.line == LINE.count("\n") + 1


@pytest.mark.parametrize("code", [*(f"print({name});" for name in CONTEXT_NAMES),
                                  *(f"{name}(1);" for name in CONTEXT_COMMANDS)])
def test_a_trigger_s_names_need_a_context(code: str) -> None:
    error = verdict(code)
    assert error.outcome == "unsupported" and CONTEXT in error.message


OTHER_COMMANDS = ["msg", "destroyobject", "setvarnum", "getvarnum", "sendmessage", "createemptytasksequence",
                  "dispatchtasksequence", "executestring", "colorred", "rank"]


@pytest.mark.parametrize("name", OTHER_COMMANDS)
def test_another_flexsim_command_is_unsupported(name: str) -> None:
    assert name in FLEXSIM_COMMANDS and name not in COMMANDS
    error = verdict(f"{name}(q);")
    assert error.outcome == "unsupported" and f"{name}()" in error.message


@pytest.mark.parametrize("name", ["STATE_IDLE", "DATATYPE_NUMBER", "SCALE_DOWN", "TIME_NAME_ALL"])
def test_another_flexsim_constant_is_unsupported_and_a_made_up_one_undeclared(name: str) -> None:
    error = verdict(f"int v = {name};")
    if name in FLEXSIM_CONSTANTS:
        assert error.outcome == "unsupported" and name in error.message
    else:
        assert error.outcome == "build_error" and "undeclared variable" in error.message


def test_unit_constants_are_modelled() -> None:
    graph = build_graph(LINE + 'print("" + getmodelunit(LENGTH_MULTIPLE) + getmodelunit(TIME_MULTIPLE) + '
                        'getmodelunit(LENGTH_ABBREVIATION));')
    assert graph.printed == ("11m",)


@pytest.mark.parametrize(("code", "outcome"), [
    ("frobnicate(q);", "build_error"),
    ('Object x = Object.create("Procesor");', "build_error"),
    ('Object x = Object.create("Conveyor::CurvedConveyor");', "unsupported"),
    ('treenode t = library().find("?Elevator");', "unsupported"),
    ("Foo f;", "build_error"),
    ("Vec2 v; AStar.Navigator n; Agent.System s;", None),
    ("q.stats.input.value;", "unsupported"),
    ("q.NotALabel;", "build_error"),
    ("q.destroy();", "unsupported"),
    ("q.frobnicate();", "build_error"),
    ('Group g = Group("Machines");', "unsupported"),
    ('DateTime d = DateTime.now;', "unsupported"),
    ('Object m = Model.find("Q1"); m.name = "Found";', None),
    ('treenode n = node("/Nowhere", model()); contextdragconnection(q, n, "A");', "unsupported"),
    ('Object n = model().find("Nowhere"); if (n == NULL) print("null");', None),
])
def test_names_fall_in_their_class(code: str, outcome: str | None) -> None:
    if outcome is None:
        build_graph(LINE + code)
        return
    assert verdict(code).outcome == outcome
