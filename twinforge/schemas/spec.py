"""``FactorySpec``: the canonical description of one factory model, and its validation rules.

Every renderer (FlexScript, sketch, prompt) is a view of this model. Validation rejects what
cannot be a working line, with a message that names the object and the field.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict, deque
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from twinforge.schemas.enums import Automation, Industry, Layout, LineType
from twinforge.schemas.numbers import normalise_number
from twinforge.schemas.objects import (
    FLOW_KINDS,
    MACHINE_KINDS,
    TASK_EXECUTER_KINDS,
    FactoryObject,
    field_value,
)
from twinforge.schemas.text import MAX_NAME_LENGTH, checked_reference, printable, shown

MAX_OBJECTS = 300
"""Most objects in one spec. The sampler's largest specs (20 machines per line, parallel lines)
have under 100; the sketch of a spec this large takes a few seconds (docs/foundation.md)."""
MAX_CONNECTIONS = 1_200
"""Most connections in one spec (four per object; the sampler's specs have under 1.5)."""

ObjectRef = Annotated[str, Field(min_length=1, max_length=MAX_NAME_LENGTH), AfterValidator(checked_reference)]
"""A connection end: the name of an object (so no longer than a name, and printable)."""

REQUIRED_RESOURCES: dict[Automation, frozenset[str]] = {
    Automation.MANUAL: frozenset({"operator"}),
    Automation.OPERATOR: frozenset({"operator"}),
    Automation.ROBOT: frozenset({"robot"}),
    Automation.AGV: frozenset({"agv"}),
    Automation.TASK_EXECUTER: frozenset({"task_executer", "transporter"}),
}
"""Each automation level needs at least one resource of one of these kinds."""


class Connection(BaseModel):
    """``contextdragconnection(from, to, port)``: ``A`` is item flow or team membership, ``S`` a centre link."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: ObjectRef = Field(alias="from")
    to: ObjectRef
    port: Literal["A", "S"]

    def __str__(self) -> str:
        return f"{self.from_} -> {self.to} ({self.port})"


class FactorySpec(BaseModel):
    """One factory model: its five layers, its objects and how they are connected."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    industry: Industry
    automation: Automation
    layout: Layout
    line_type: LineType
    objects: list[FactoryObject] = Field(min_length=2, max_length=MAX_OBJECTS)
    connections: list[Connection] = Field(max_length=MAX_CONNECTIONS)

    def get(self, name: str) -> FactoryObject:
        """The object called ``name`` (KeyError if none)."""
        for obj in self.objects:
            if obj.name == name:
                return obj
        raise KeyError(name)

    def of_kinds(self, kinds: frozenset[str] | set[str]) -> list[FactoryObject]:
        """Objects whose kind is in ``kinds``, in declaration order."""
        return [obj for obj in self.objects if obj.kind in kinds]

    @property
    def flow_objects(self) -> list[FactoryObject]:
        return self.of_kinds(FLOW_KINDS)

    @property
    def machines(self) -> list[FactoryObject]:
        return self.of_kinds(MACHINE_KINDS)

    def flow_connections(self) -> list[Connection]:
        """``A`` connections between flow objects (item flow), in statement order."""
        kinds = {obj.name: obj.kind for obj in self.objects}
        return [c for c in self.connections if c.port == "A" and kinds[c.from_] in FLOW_KINDS]

    @model_validator(mode="after")
    def _check_model(self) -> FactorySpec:
        for problem in _problems(self):
            raise ValueError(problem)
        return self


def _problems(spec: FactorySpec) -> Iterator[str]:
    """Yield the spec's rule violations, most basic first (validation stops at the first)."""
    names: dict[str, int] = {}
    for index, obj in enumerate(spec.objects):
        if obj.name in names:
            yield f"object '{obj.name}': duplicate name (objects[{names[obj.name]}] and objects[{index}])"
        names[obj.name] = index
    kind = {obj.name: obj.kind for obj in spec.objects}

    seen: set[tuple[str, str, str]] = set()
    for index, conn in enumerate(spec.connections):
        for end, name in (("from", conn.from_), ("to", conn.to)):
            if name not in kind:
                yield f"connections[{index}] ({conn}): field '{end}' names unknown object '{name}'"
        if conn.from_ == conn.to:
            yield f"connections[{index}] ({conn}): object '{conn.from_}' is connected to itself"
        key = (conn.from_, conn.to, conn.port)
        if key in seen:
            yield f"connections[{index}] ({conn}): duplicate connection"
        seen.add(key)
        yield from _connection_kind_problems(index, conn, kind[conn.from_], kind[conn.to])

    flow = [c for c in spec.connections if c.port == "A" and kind[c.from_] in FLOW_KINDS]
    yield from _reachability_problems(spec, flow)
    yield from _resource_problems(spec, kind)
    yield from _port_problems(spec, flow)

    present = {obj.kind for obj in spec.objects}
    needed = REQUIRED_RESOURCES[spec.automation]
    if not needed & present:
        wanted = " or ".join(sorted(needed))
        yield f"field 'automation' = '{spec.automation.value}' needs at least one {wanted}; the spec has none"


def _connection_kind_problems(index: int, conn: Connection, src: str, dst: str) -> Iterator[str]:
    where = f"connections[{index}] ({conn})"
    if conn.port == "A":
        if src in FLOW_KINDS or dst in FLOW_KINDS:
            if dst == "source":
                yield f"object '{conn.to}': {where} is a flow into a source"
            elif src == "sink":
                yield f"object '{conn.from_}': {where} is a flow out of a sink"
            elif src not in FLOW_KINDS or dst not in FLOW_KINDS:
                yield f"{where}: an A connection joins two stations or a dispatcher to a task executer"
        elif not (src == "dispatcher" and dst in TASK_EXECUTER_KINDS):
            yield f"{where}: an A connection between resources must go from a dispatcher to a task executer"
    else:
        if (src in FLOW_KINDS) == (dst in FLOW_KINDS):
            yield f"{where}: an S connection links a station with a dispatcher or task executer"
        elif "sink" in (src, dst):
            yield f"{where}: a sink neither sends items nor is operated, so it needs no S connection"


def _reachability_problems(spec: FactorySpec, flow: list) -> Iterator[str]:
    stations = [obj.name for obj in spec.flow_objects]
    if not any(obj.kind == "source" for obj in spec.objects):
        yield "field 'objects': the model has no source"
    if not any(obj.kind == "sink" for obj in spec.objects):
        yield "field 'objects': the model has no sink"
    forward: dict[str, list[str]] = defaultdict(list)
    backward: dict[str, list[str]] = defaultdict(list)
    for conn in flow:
        forward[conn.from_].append(conn.to)
        backward[conn.to].append(conn.from_)
    from_sources = _closure([o.name for o in spec.objects if o.kind == "source"], forward)
    to_sinks = _closure([o.name for o in spec.objects if o.kind == "sink"], backward)
    for name in stations:
        if name not in from_sources:
            yield f"object '{name}': no source reaches it through A connections"
        elif name not in to_sinks:
            yield f"object '{name}': it reaches no sink through A connections"


def _closure(starts: list[str], edges: dict[str, list[str]]) -> set[str]:
    reached, todo = set(starts), deque(starts)
    while todo:
        for nxt in edges[todo.popleft()]:
            if nxt not in reached:
                reached.add(nxt)
                todo.append(nxt)
    return reached


def _resource_problems(spec: FactorySpec, kind: dict[str, str]) -> Iterator[str]:
    centre: dict[str, list[str]] = defaultdict(list)
    team: dict[str, list[str]] = defaultdict(list)
    for conn in spec.connections:
        if conn.port == "S":
            centre[conn.from_].append(conn.to)
            centre[conn.to].append(conn.from_)
        elif kind[conn.from_] == "dispatcher":
            team[conn.from_].append(conn.to)
    users: set[str] = set()
    for obj in spec.flow_objects:
        uses = field_value(obj, "use_transport", False) or field_value(obj, "use_operator", False)
        helpers = centre[obj.name]
        for field in ("use_transport", "use_operator"):
            if field_value(obj, field, False) and not helpers:
                yield f"object '{obj.name}': field '{field}' is set but no S connection names a resource"
        if helpers and not uses:
            yield (f"object '{obj.name}': it is S-connected to '{helpers[0]}' but sets neither "
                   "use_transport nor use_operator")
        if uses:
            users.update(helpers)
    members = {member for group in team.values() for member in group}
    for obj in spec.objects:
        if obj.kind == "dispatcher":
            if not team[obj.name]:
                yield f"object '{obj.name}': the dispatcher has no team (no A connection to a task executer)"
            if obj.name not in users:
                yield f"object '{obj.name}': the dispatcher serves no station"
        elif obj.kind in TASK_EXECUTER_KINDS:
            leaders = [d for d, group in team.items() if obj.name in group]
            if obj.name not in users and not any(leader in users for leader in leaders):
                yield f"object '{obj.name}': the {obj.kind} serves nothing (no station or dispatcher uses it)"
            if obj.name in members and len(leaders) > 1:
                yield f"object '{obj.name}': belongs to more than one dispatcher team"


def _port_problems(spec: FactorySpec, flow: list) -> Iterator[str]:
    inputs: dict[str, int] = defaultdict(int)
    for conn in flow:
        inputs[conn.to] += 1
    for obj in spec.objects:
        if obj.kind == "combiner" and inputs[obj.name] < 2:
            yield (f"object '{obj.name}': a combiner needs a container on input port 1 and components "
                   f"on another port; it has {inputs[obj.name]} input(s)")


def canonical_data(spec: FactorySpec) -> dict[str, Any]:
    """The serialised form with canonical numbers (the contract between commands and users)."""
    return canonical_value(spec.model_dump(mode="json", by_alias=True))


def canonical_json(spec: FactorySpec) -> str:
    """One line of JSON: sorted keys, no spaces, canonical numbers; object and connection order kept."""
    return json.dumps(canonical_data(spec), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def spec_hash(spec: FactorySpec) -> str:
    """SHA-256 of the canonical JSON: equal specs, equal hashes, on any machine."""
    return json_hash(canonical_json(spec))


def json_hash(canonical: str) -> str:
    """SHA-256 of a spec's canonical JSON (``spec_hash`` for a caller that already holds the JSON)."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def canonical_value(value: Any) -> Any:
    """``value`` as plain JSON data with canonical numbers (pydantic models are dumped first).

    Dumped JSON data is dicts, lists, strings and numbers: their exact types are tested first
    (a spec has about a hundred values, and this runs once per sample); other types take the
    general tests (``bool`` is never a number here)."""
    kind = type(value)
    if kind is dict:
        return {key: canonical_value(item) for key, item in value.items()}
    if kind is list:
        return [canonical_value(item) for item in value]
    if kind is str:
        return value
    if kind is float or kind is int:
        return normalise_number(value)
    if isinstance(value, BaseModel):
        return canonical_value(value.model_dump(mode="json", by_alias=True))
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return normalise_number(value)
    if isinstance(value, dict):
        return {key: canonical_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [canonical_value(item) for item in value]
    return value


class SpecError(ValueError):
    """A spec failed validation; ``problems`` name the object and the field."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def describe_validation_error(error: ValidationError, data: Any) -> list[str]:
    """Turn pydantic's error locations into messages naming the object (by name) and the field.

    Every message is made printable (control characters escaped): names and keys come from the
    input, and a message is shown on a terminal.
    """
    messages = []
    for item in error.errors():
        loc = list(item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        if len(loc) >= 2 and loc[0] in ("objects", "connections") and isinstance(loc[1], int):
            collection, index = loc[0], loc[1]
            field = ".".join(str(part) for part in loc[3 if collection == "objects" and len(loc) > 2 else 2:]
                             if not _is_union_tag(part))
            entry = _entry(data, collection, index)
            label = f"{collection}[{index}]"
            if collection == "objects" and isinstance(entry, dict) and isinstance(entry.get("name"), str):
                label = f"object {shown(entry['name'])} ({label})"
            messages.append(f"{label}: field '{field or '(whole)'}': {message}")
        elif loc:
            messages.append(f"field '{'.'.join(str(p) for p in loc)}': {message}")
        else:
            messages.append(message)
    return [printable(message) for message in messages]


def _entry(data: Any, collection: str, index: int) -> Any:
    """``data[collection][index]`` when the input has it (None for any other shape)."""
    items = data.get(collection) if isinstance(data, dict) else None
    return items[index] if isinstance(items, list) and 0 <= index < len(items) else None


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and part in {
        "constant", "exponential", "normal", "triangular", "uniform", "lognormal", "weibull", "gamma", "poisson",
    }


def load_spec(data: Any) -> FactorySpec:
    """Validate serialised data into a ``FactorySpec``; raise ``SpecError`` with named problems."""
    try:
        return FactorySpec.model_validate(data)
    except ValidationError as error:
        raise SpecError(describe_validation_error(error, data)) from None
