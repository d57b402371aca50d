"""Properties of rendered FlexScript over generated specs, and the strategy that generates them.

A line is a source, 0-4 middle stations of any flow kind the renderer writes (no multiprocessor),
and a sink; optionally a second source feeds a combiner (two inputs, container first) and the
line forks into two parallel branches that merge at the sink. Every station that can route picks
first-available or random routing. Resources follow the automation level, S-linked to a station
that uses them.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twinforge.renderers.flexscript import (
    RESERVED_IDENTIFIERS,
    creation_order,
    loop_links,
    render_flexscript,
    variable_names,
)
from twinforge.schemas import FactorySpec, format_number
from twinforge.schemas.flexsim_vocabulary import ROUTING_KINDS

NAME_ALPHABET = st.sampled_from(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 -_.#()"))
NUMBERS = st.one_of(st.integers(1, 500).map(float), st.decimals("0.1", "99.9", places=2).map(float))
SPEEDS = st.one_of(st.integers(1, 100).map(float), st.decimals("0.1", "99.9", places=2).map(float))
"""Speeds within the schema's bound (``objects.MAX_SPEED``)."""


@st.composite
def distributions(draw: st.DrawFn, service: bool = True) -> dict[str, Any]:
    families = ["constant", "exponential", "normal", "triangular", "uniform"]
    if service:
        families += ["lognormal", "weibull", "gamma", "poisson"]
    family = draw(st.sampled_from(families))
    a, b, c = sorted(draw(st.lists(NUMBERS, min_size=3, max_size=3, unique=True)))
    params = {
        "constant": {"value": a}, "exponential": {"mean": a}, "normal": {"mean": b, "std": a},
        "triangular": {"min": a, "mode": b, "max": c}, "uniform": {"min": a, "max": c},
        "lognormal": {"mu": round(a / 50, 2), "sigma": round(b / 100 + 0.01, 2)},
        "weibull": {"shape": a, "scale": b}, "gamma": {"shape": a, "scale": b}, "poisson": {"mean": a},
    }[family]
    return {"family": family, **params}


@st.composite
def names(draw: st.DrawFn, count: int) -> list[str]:
    text = st.text(NAME_ALPHABET, min_size=1, max_size=12).map(str.strip).filter(bool)
    return draw(st.lists(text, min_size=count, max_size=count, unique=True))


@st.composite
def station(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    if kind == "queue":
        return {"max_content": draw(st.integers(1, 50))}
    if kind == "conveyor":
        return {"length": draw(NUMBERS), "speed": draw(SPEEDS)}
    params = {"process_time": draw(distributions()), "setup_time": draw(distributions())}
    if kind == "processor":
        params["max_content"] = draw(st.integers(1, 3))
    elif kind == "separator":
        params |= {"mode": draw(st.sampled_from(["split", "unpack"])), "split_quantity": draw(st.integers(1, 4))}
    return params


RESOURCES = {"manual": "operator", "operator": "operator", "robot": "robot", "agv": "agv",
             "task_executer": "task_executer"}


@st.composite
def factory_specs(draw: st.DrawFn) -> FactorySpec:
    middle = draw(st.lists(st.sampled_from(["queue", "processor", "separator", "conveyor"]), max_size=4))
    combine = draw(st.booleans())
    fork = draw(st.booleans())
    kinds = ["source"] + (["source", "combiner"] if combine else []) + middle
    kinds += (["processor", "processor"] if fork else []) + ["sink"]
    automation = draw(st.sampled_from(sorted(RESOURCES)))
    team = draw(st.booleans())
    kinds += (["dispatcher"] if team else []) + [RESOURCES[automation]]
    labels = draw(names(len(kinds)))
    objects: list[dict[str, Any]] = []
    for number, (kind, name) in enumerate(zip(kinds, labels)):
        obj = {"kind": kind, "name": name, "position": [2.5 * number, draw(st.sampled_from([0, -3, 4.5])), 0]}
        if kind == "source":
            obj["inter_arrival"] = draw(distributions(service=False))
        elif kind == "combiner":
            obj |= {"mode": draw(st.sampled_from(["pack", "join", "batch"])),
                    "component_quantity": draw(st.integers(1, 4)), **draw(station("processor"))}
            obj.pop("max_content")
        elif kind in ("operator", "robot", "agv", "task_executer"):
            obj |= {"speed": draw(SPEEDS), "capacity": draw(st.integers(1, 3))}
        elif kind not in ("sink", "dispatcher"):
            obj |= draw(station(kind))
        if kind in ROUTING_KINDS:
            obj["routing"] = draw(st.sampled_from(["first_available", "random"]))
        objects.append(obj)
    flow = [o["name"] for o in objects if o["kind"] not in ("dispatcher", *RESOURCES.values())]
    connections = _flow_connections(flow, combine, fork)
    user = objects[0]
    user["use_transport"] = True
    helper = objects[-1]["name"]
    if team:
        connections.append({"from": objects[-2]["name"], "to": helper, "port": "A"})
        helper = objects[-2]["name"]
    connections.append({"from": user["name"], "to": helper, "port": "S"})
    return FactorySpec.model_validate({
        "industry": draw(st.sampled_from(["semiconductor", "battery", "textile"])),
        "automation": automation,
        "layout": "parallel" if fork else draw(st.sampled_from(["linear", "u_shaped", "conveyor"])),
        "line_type": draw(st.sampled_from(["workstation", "conveyor"])),
        "objects": objects,
        "connections": connections,
    })


def _flow_connections(flow: list[str], combine: bool, fork: bool) -> list[dict[str, str]]:
    def a(src: str, dst: str) -> dict[str, str]:
        return {"from": src, "to": dst, "port": "A"}

    if combine:
        first, second, combiner, *rest = flow
        connections = [a(second, combiner), a(first, combiner)]
        chain = [combiner, *rest]
    else:
        connections, chain = [], flow
    if fork:
        *head, left, right, sink = chain
        connections += [a(x, y) for x, y in pairwise(head)]
        connections += [a(head[-1], left), a(head[-1], right), a(left, sink), a(right, sink)]
    else:
        connections += [a(x, y) for x, y in pairwise(chain)]
    return connections


# ---------------------------------------------------------------- properties of the rendered code
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(spec=factory_specs(), style=st.sampled_from(["explicit", "loop"]))
def test_every_object_name_is_written_as_a_string(spec: FactorySpec, style: str):
    code = render_flexscript(spec, style)
    for obj in spec.objects:
        assert f'"{obj.name}"' in code


@SETTINGS
@given(spec=factory_specs())
def test_explicit_has_one_connect_statement_per_connection(spec: FactorySpec):
    code = render_flexscript(spec, "explicit")
    assert code.count("contextdragconnection(") == len(spec.connections)


@SETTINGS
@given(spec=factory_specs())
def test_loop_style_creates_in_a_loop_and_writes_every_connection_once(spec: FactorySpec):
    code = render_flexscript(spec, "loop")
    assert "Object obj = Object.create(classes[i]);" in code and "for (" in code
    statements = code.count("contextdragconnection(")
    chained = len(loop_links(spec))
    assert statements == len(spec.connections) - chained + (1 if chained else 0)


@SETTINGS
@given(spec=factory_specs(), style=st.sampled_from(["explicit", "loop"]))
def test_rendering_is_deterministic_ascii(spec: FactorySpec, style: str):
    first = render_flexscript(spec, style)
    assert first == render_flexscript(spec.model_copy(deep=True), style)
    assert first.isascii() and first.endswith(";\n")


@SETTINGS
@given(spec=factory_specs(), style=st.sampled_from(["explicit", "loop"]))
def test_triangular_is_written_min_max_mode(spec: FactorySpec, style: str):
    code = render_flexscript(spec, style)
    dists = [getattr(obj, field) for obj in spec.objects
             for field in ("inter_arrival", "process_time", "setup_time") if hasattr(obj, field)]
    for dist in dists:
        if dist.family == "triangular":
            call = f"triangular({format_number(dist.min)}, {format_number(dist.max)}, {format_number(dist.mode)}, "
            assert call + "getstream(current))" in code


@SETTINGS
@given(spec=factory_specs())
def test_variables_are_unique_identifiers_clear_of_reserved_names(spec: FactorySpec):
    names = variable_names(spec)
    assert len(set(names.values())) == len(names)
    for var in names.values():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", var) and var not in RESERVED_IDENTIFIERS


@SETTINGS
@given(spec=factory_specs())
def test_loop_links_keep_every_port_order(spec: FactorySpec):
    links = loop_links(spec)
    order = creation_order(spec)
    assert sorted(obj.name for obj in order) == sorted(obj.name for obj in spec.objects)
    index = {obj.name: number for number, obj in enumerate(order)}
    emitted = links + [c for c in spec.connections if c not in links]
    for name in index:
        for end in ("from_", "to"):
            assert _ports(emitted, end, name) == _ports(spec.connections, end, name)
    assert len({c.to for c in links}) == len(links)
    assert all(index[c.from_] < index[c.to] for c in links)
    assert [index[c.to] for c in links] == sorted(index[c.to] for c in links)


@SETTINGS
@given(spec=factory_specs())
def test_a_line_without_forks_or_merges_is_chained_entirely(spec: FactorySpec):
    flow = spec.flow_connections()
    ends = [c.from_ for c in flow], [c.to for c in flow]
    if all(len(names) == len(set(names)) for names in ends):
        assert loop_links(spec) == flow


def _ports(connections: list, end: str, name: str) -> list:
    """The A connections at one end (``from_`` or ``to``) of object ``name``, in order."""
    return [c for c in connections if c.port == "A" and getattr(c, end) == name]
