"""``ModelGraph``: what a script built, in spec terms (objects, parameters, connections).

The interpreter records FlexSim classes and property values; this module turns them into the
spec's kinds and parameters (``schemas.flexsim_vocabulary`` gives every name), so a built graph
and a ``FactorySpec`` can be compared and simulated alike. Parameters a script leaves unset get
FlexSim's defaults as twinforge assumes them (``DEFAULTS``; LIKELY values, not read from FlexSim).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from twinforge.distributions import from_flexsim_call
from twinforge.execution.checks import STEP_NAMES, STEP_TIMES, kind_of
from twinforge.execution.errors import build_error, param_error
from twinforge.execution.values import FSObject
from twinforge.schemas import FactorySpec, canonical_value
from twinforge.schemas.flexsim_vocabulary import (
    AGV_LABEL,
    KIND_TO_CLASS,
    MODE_OPTIONS,
    PARAMETER_TO_PROPERTY,
    SEND_TO_PORT,
    SEPARATOR_MODE_PROPERTY,
    TASK_EXECUTER_PROPERTIES,
)
from twinforge.schemas.objects import TASK_EXECUTER_KINDS

OPTION_TO_MODE = {option: mode for mode, option in MODE_OPTIONS.items()}


@dataclass(frozen=True)
class GraphObject:
    """One object: spec ``kind`` and ``params`` (distributions as schema models), FlexSim ``cls``."""

    name: str
    cls: str
    kind: str
    position: tuple[float, float, float]
    params: dict[str, Any]
    labels: dict[str, Any] = field(default_factory=dict)
    line: int | None = None


@dataclass(frozen=True)
class GraphConnection:
    """``contextdragconnection(from_, to, port)`` in statement order."""

    from_: str
    to: str
    port: str
    line: int | None = None


@dataclass(frozen=True)
class ModelGraph:
    """Objects in creation order and connections in statement order (port ranks follow it)."""

    objects: tuple[GraphObject, ...]
    connections: tuple[GraphConnection, ...]
    printed: tuple[str, ...] = ()

    def get(self, name: str) -> GraphObject:
        for obj in self.objects:
            if obj.name == name:
                return obj
        raise KeyError(name)

    def outputs(self, name: str) -> list[str]:
        """Objects on output ports 1, 2, ... of ``name`` (A connections; team members of a dispatcher)."""
        return [c.to for c in self.connections if c.port == "A" and c.from_ == name]

    def inputs(self, name: str) -> list[str]:
        """Objects on input ports 1, 2, ... of ``name``."""
        return [c.from_ for c in self.connections if c.port == "A" and c.to == name]

    def centre(self, name: str) -> list[str]:
        """Centre-port partners of ``name`` in connection order (``centerObjects``)."""
        return [c.to if c.from_ == name else c.from_ for c in self.connections
                if c.port == "S" and name in (c.from_, c.to)]


DEFAULTS: dict[str, dict[str, Any]] = {
    "source": {"inter_arrival": ("exponential", (0, 10)), "item_class": "Box", "use_transport": False,
               "routing": "first_available"},
    "queue": {"max_content": 1000, "use_transport": False, "routing": "first_available"},
    "processor": {"process_time": ("constant", (10,)), "setup_time": ("constant", (0,)), "max_content": 1,
                  "use_transport": False, "use_operator": False, "routing": "first_available"},
    "multiprocessor": {"use_transport": False, "use_operator": False},
    "combiner": {"process_time": ("constant", (10,)), "setup_time": ("constant", (0,)), "use_transport": False,
                 "use_operator": False, "mode": "pack", "component_quantity": 1, "routing": "first_available"},
    "separator": {"process_time": ("constant", (10,)), "setup_time": ("constant", (0,)), "use_transport": False,
                  "use_operator": False, "mode": "unpack", "split_quantity": 2, "routing": "first_available"},
    "conveyor": {"length": 10.0, "speed": 1.0},
    "sink": {},
    "dispatcher": {},
    **{kind: {"speed": 2.0, "capacity": 1} for kind in TASK_EXECUTER_KINDS},
}
"""FlexSim defaults for parameters a script does not set (assumed; LIKELY values)."""


def _default(value: Any) -> Any:
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
        return from_flexsim_call(*value)
    return value


def object_params(obj: FSObject, kind: str) -> dict[str, Any]:
    """Spec parameters of a built object, from its FlexSim properties (defaults where unset)."""
    props = obj.properties
    params = {name: _default(value) for name, value in DEFAULTS[kind].items()}
    if kind in TASK_EXECUTER_KINDS:
        for param, prop in TASK_EXECUTER_PROPERTIES.items():
            if prop in props:
                params[param] = props[prop]
        return params
    for param in list(params):
        if param == "routing":
            prop = SEND_TO_PORT
        elif kind == "separator" and param == "mode":
            prop = SEPARATOR_MODE_PROPERTY
        else:
            prop = PARAMETER_TO_PROPERTY[param]
        if prop not in props:
            continue
        value = props[prop]
        if param == "mode":
            value = OPTION_TO_MODE.get(value, value)
        elif param == "component_quantity":
            value = value[0] if len(set(value)) == 1 else list(value)
        params[param] = value
    if kind == "multiprocessor":
        params["steps"] = _steps(obj)
    return params


def _steps(obj: FSObject) -> list[tuple[str, Any]]:
    names = obj.properties.get(STEP_NAMES)
    times = obj.properties.get(STEP_TIMES)
    if names is None and times is None:
        return [("Process 1", from_flexsim_call("constant", (10,)))]
    if names is None or times is None or len(names) != len(times):
        raise param_error(f"MultiProcessor '{obj.name}': {STEP_NAMES} and {STEP_TIMES} must both be set, "
                          f"with one entry per step (got {len(names or ())} names and {len(times or ())} times)",
                          obj.property_lines.get(STEP_TIMES) or obj.property_lines.get(STEP_NAMES))
    return list(zip(names, times))


def graph_from_build(objects: list[FSObject], connections: list[tuple[FSObject, FSObject, str, int | None]],
                     printed: list[str] | None = None) -> ModelGraph:
    """The graph of what a script built (names must be unique: a build error otherwise)."""
    seen: dict[str, FSObject] = {}
    for obj in objects:
        if obj.name in seen:
            first = seen[obj.name]
            line = max(obj.name_line or obj.line or 0, first.name_line or first.line or 0) or None
            raise build_error(f"two objects are named '{obj.name}' ({first.cls} created on line {first.line}, "
                              f"{obj.cls} on line {obj.line}); names must be unique", line)
        seen[obj.name] = obj
    nodes = []
    for obj in objects:
        kind = kind_of(obj)
        nodes.append(GraphObject(obj.name, obj.cls, kind, obj.location.as_tuple(), object_params(obj, kind),
                                 dict(obj.labels), obj.line))
    edges = tuple(GraphConnection(a.name, b.name, key, line) for a, b, key, line in connections)
    return ModelGraph(tuple(nodes), edges, tuple(printed or ()))


def graph_from_spec(spec: FactorySpec) -> ModelGraph:
    """The graph a correct script for ``spec`` must build."""
    nodes = []
    for obj in spec.objects:
        params = {key: getattr(obj, key) for key in type(obj).model_fields if key not in ("kind", "name", "position")}
        if obj.kind == "multiprocessor":
            params["steps"] = [(step.name, step.process_time) for step in obj.steps]
        labels = {AGV_LABEL: 1} if obj.kind == "agv" else {}
        nodes.append(GraphObject(obj.name, KIND_TO_CLASS[obj.kind], obj.kind, tuple(obj.position), params, labels))
    edges = tuple(GraphConnection(c.from_, c.to, c.port) for c in spec.connections)
    return ModelGraph(tuple(nodes), edges)


def simulated_model(graph: ModelGraph, *, names: bool = True) -> tuple[tuple[Any, ...], ...]:
    """All that the simulation and the check's horizon read of ``graph``, compared exactly.

    Per object in creation order: name, kind, position, parameters, and its partners on output,
    input and centre ports in port order. Not read: FlexSim classes, labels, source lines, printed
    text, and the order of connections between different objects. Graphs with equal models
    simulate identically under the same seed, so one's check outcome and KPIs hold for the other.

    ``names=False`` puts each object's creation rank in place of its name. The simulation uses
    names only to tell objects apart and to label KPIs and messages, so graphs whose models are
    equal this way get the same check outcome (their KPIs differ only in their keys).
    """
    rank: dict[str, int] = {}
    for index, obj in enumerate(graph.objects):
        rank.setdefault(obj.name, index)

    def label(name: str) -> str | int:
        return name if names else rank.get(name, name)

    return tuple((label(obj.name), obj.kind, obj.position, obj.params,
                  tuple(map(label, graph.outputs(obj.name))), tuple(map(label, graph.inputs(obj.name))),
                  tuple(map(label, graph.centre(obj.name)))) for obj in graph.objects)


def object_data(obj: GraphObject) -> dict[str, Any]:
    """One object in the spec's serialised form."""
    data: dict[str, Any] = {"kind": obj.kind, "name": obj.name, "position": canonical_value(list(obj.position))}
    for key, value in obj.params.items():
        if key == "steps":
            data[key] = [{"name": name, "process_time": canonical_value(dist)} for name, dist in value]
        else:
            data[key] = canonical_value(value)
    return data


def graph_to_spec_data(graph: ModelGraph) -> dict[str, Any]:
    """Objects and connections in the spec's serialised form (no layer fields), for metrics."""
    return {
        "objects": [object_data(obj) for obj in graph.objects],
        "connections": [{"from": c.from_, "to": c.to, "port": c.port} for c in graph.connections],
    }


def graph_differences(graph: ModelGraph, spec: FactorySpec) -> list[str]:
    """What differs between a built graph and a spec; empty when they describe the same model.

    Compared: the set of names; per object kind, position and every parameter (numbers after
    ``normalise_number``; the spec as ``graph_from_spec`` reads it, so parameters the spec leaves
    to FlexSim's default count); per object the order of outgoing and of incoming A connections
    and of centre (S) partners, since port ranks follow statement order.
    """
    reference = graph_from_spec(spec)
    expected = {obj.name: object_data(obj) for obj in reference.objects}
    actual = {obj.name: object_data(obj) for obj in graph.objects}
    problems = [f"object '{name}' is missing" for name in expected if name not in actual]
    problems += [f"object '{name}' is not in the spec" for name in actual if name not in expected]
    for name, want in expected.items():
        have = actual.get(name)
        if have is None:
            continue
        for key in sorted(set(want) | set(have)):
            if want.get(key) != have.get(key):
                problems.append(f"object '{name}': {key} is {have.get(key)!r}, the spec says {want.get(key)!r}")
    for name in expected:
        if name not in actual:
            continue
        for label, method in (("outgoing A", ModelGraph.outputs), ("incoming A", ModelGraph.inputs),
                              ("S partners", ModelGraph.centre)):
            have_links, want_links = method(graph, name), method(reference, name)
            if have_links != want_links:
                problems.append(f"object '{name}': {label} {have_links}, the spec says {want_links}")
    return problems
