"""Render a ``FactorySpec`` as a FlexScript model-building script, in two styles.

``explicit``: one block per object (``Object.create``, name, location, its parameters), then the
connections in spec order. ``loop``: arrays of class names, names and positions and a ``for``
loop that creates the objects with ``Object.create(classes[i])`` and A-connects each to its
upstream station (the GDT paper's loop form), then the parameters and the remaining connections.
The loop creates the stations in flow order (``creation_order``), so the arrays read like the line.

All code text lives in the Jinja templates ``twinforge/templates/flexscript/*.j2``; this module
only prepares plain data (FlexSim names from ``schemas.flexsim_vocabulary``, numbers written by
``format_number``, strings escaped for FlexScript literals). Both styles build the same model,
with every object's port order equal to the order of its connections in the spec. The script
states nothing the spec does not (no header comment with metadata), and only what FlexSim's
verdicts accept: no ``ArrivalStyle``, ``FlowItemClass`` only for a class other than Box, a
Processor's ``MaxContent`` only above FlexSim's default 1, ``lognormal2`` for lognormals, and no
MultiProcessor (FlexSim's has no settable steps: ``UnsupportedSpec``). Conventions that FlexSim
does not confirm (code strings for distributions, the ComponentsList Array, the AGV label) are
listed in docs/flexscript.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from jinja2 import Environment, FunctionLoader, StrictUndefined

from twinforge.distributions import flexsim_call
from twinforge.errors import UserError
from twinforge.schemas import Connection, FactorySpec, format_number
from twinforge.schemas import flexsim_vocabulary as vocab
from twinforge.schemas.distribution import Distribution
from twinforge.schemas.objects import TASK_EXECUTER_KINDS, FactoryObject

FLEXSCRIPT_TEMPLATE_VERSION = "flexscript-2"
"""Bump whenever a change to a template or to the data given to it can change the code it writes (it is
stored with each sample, and ``--reuse`` keeps a sample's code while it matches). A rewrite that writes
the same code for every spec keeps it: one that merged macro calls was checked on 1,000 specs x 2 draws
x both styles."""

Style = Literal["explicit", "loop"]
TEMPLATES: dict[str, str] = {"explicit": "explicit.fs.j2", "loop": "loop.fs.j2"}

RESERVED_IDENTIFIERS = frozenset(
    {
        # names FlexSim code headers use
        "c", "current", "item", "i", "j",
        # names the loop template declares
        "classes", "names", "xs", "ys", "zs", "upstream", "objs", "obj", "up", "prev",
        # FlexScript keywords, types and commands our scripts call
        "int", "double", "float", "string", "treenode", "object", "variant", "array", "var", "vec3",
        "color", "table", "list", "model", "if", "else", "for", "while", "do", "switch", "case",
        "default", "break", "continue", "return", "true", "false", "null", "nullvar", "await",
        "library", "node", "print", "math", "this", "inc", "param", "ownerobject", "getstream",
        "createinstance", "contextdragconnection", "setname", "constant", "exponential", "normal",
        "triangular", "uniform", "lognormal", "lognormal2", "weibull", "gamma", "poisson", "erlang",
        "beta", "duniform", "bernoulli",
    }
)
"""Identifiers never used for object variables (compared in lower case)."""

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_ESCAPE_TABLE = str.maketrans(_ESCAPES)
_NOT_IDENTIFIER = re.compile(r"[^a-z0-9]+")

_number_text = lru_cache(maxsize=8192, typed=True)(format_number)
"""``format_number``, cached: positions and parameters repeat across specs. Its text depends only
on the value, and ``typed`` keeps ``True`` from being read as a cached ``1``."""



class UnsupportedSpec(UserError, ValueError):
    """A spec the renderer cannot write as FlexScript FlexSim accepts (the CLI reports it as bad input)."""


def render_flexscript(spec: FactorySpec, style: Style = "explicit") -> str:
    """The FlexScript program that builds ``spec`` in FlexSim (ASCII for ASCII names, ``\\n`` lines)."""
    _check_style(style)
    check_renderable(spec)
    return _render(template_context(spec, style), style)


def render_flexscript_within(spec: FactorySpec, style: Style, length_fits: Callable[[int], bool]) -> str | None:
    """``render_flexscript``, or None without rendering when ``length_fits`` refuses a lower bound on
    the code's length (``code_length_floor``): the token-budget loop drops a third of its draws on
    gdt120k for code too long, and the bound settles most of them for a fifth of a render.

    ``length_fits`` must be monotone (a length it refuses, it refuses for any longer code), so a
    draw refused here is one whose code it would refuse too.
    """
    _check_style(style)
    check_renderable(spec)
    context = template_context(spec, style)
    return _render(context, style) if length_fits(code_length_floor(context, style)) else None


def _check_style(style: str) -> None:
    if style not in TEMPLATES:
        raise ValueError(f"unknown FlexScript style {style!r}; choose one of {', '.join(TEMPLATES)}")


def _render(context: dict[str, Any], style: Style) -> str:
    return _environment().get_template(TEMPLATES[style]).render(**context)


def code_length_floor(context: dict[str, Any], style: Style) -> int:
    """A lower bound on the length of the code ``style``'s template writes from ``context``.

    Exact for the statements written per object and per connection (the explicit style's object
    blocks, the loop style's arrays and references, both styles' parameter, connection and
    component statements), plus the text the template writes for a model with no objects.
    ``tests/renderers/test_flexscript.py`` checks the bound against rendered code.
    """
    header = len(context["code_header"])
    agv = len(f".{context['agv_label']} = 1;\n")
    objects = context["objects"]
    total = _fixed_length(style, context["chained"], context["code_header"], context["agv_label"])
    total += sum(len(obj["cls"]) + len(obj["name"]) + len(obj["x"]) + len(obj["y"]) + len(obj["z"]) for obj in objects)
    if style == "explicit":
        per_object = len('Object  = Object.create("");\n.name = "";\n.setLocation(, , );\n')
        total += sum(3 * len(obj["var"]) + per_object for obj in objects) + max(len(objects) - 1, 0)
    else:
        total += max(14 * len(objects) - 10, 0)
        if context["chained"]:
            total += sum(len(up) + 2 for up in context["upstream"]) - 2
        total += sum(len(f'Object {obj["var"]} = objs[{obj["index"]}];\n') for obj in objects if obj["referenced"])
    for obj in context["parametrised"]:
        var = len(obj["var"])
        for prop in obj["properties"]:
            total += var + len('.setProperty("') + len(prop["name"]) + len('", ') + _value_length(
                prop["value"], header) + len(");\n")
        if obj["agv"]:
            total += var + agv
    for conn in context["connections"]:
        total += len(f'contextdragconnection({conn["from_var"]}, {conn["to_var"]}, "{conn["port"]}");\n')
    for prop in context["late"]:
        total += len(prop["var"]) + len('.setProperty("') + len(prop["name"]) + len('", ') + _value_length(
            prop["value"], header) + len(");\n")
    return total


def data_code_length_floor(objects: list[dict[str, Any]], connections: list[dict[str, str]], style: Style) -> int:
    """A lower bound on the length of ``style``'s code for the spec that validating ``objects`` and
    ``connections`` (as the spec's data holds them: dicts, a connection's ends by object name) gives.

    The token-budget loop asks it before it validates a draw: a draw whose code is too long is then
    dropped for a fifth of what validating it and preparing its template data cost. It is
    ``code_length_floor`` of the objects' data with fewer texts: a field left to its default writes
    no property here, each coordinate and index counts one character, names and classes count
    unescaped, each variable is the identifier of its object's name without the suffix that makes
    it unique, and the loop style's connections count none (its loop may write them). That bound
    only grows with more properties, longer texts and more statements.
    ``tests/renderers/test_flexscript.py`` checks it on drawn specs.
    """
    listed = []
    for obj in objects:
        kind, name = obj["kind"], obj["name"]
        properties = field_properties(kind, obj)
        listed.append({"var": _identifier(name, kind), "name": name, "cls": vocab.KIND_TO_CLASS[kind],
                       "index": 1, "x": "0", "y": "0", "z": "0",
                       "properties": properties, "agv": kind == "agv",
                       "referenced": bool(properties) or kind == "agv"})
    var = {obj["name"]: entry["var"] for obj, entry in zip(objects, listed)}
    written = connections if style == "explicit" else []
    context = {"code_header": escape_string(vocab.DISTRIBUTION_CODE_HEADER), "agv_label": vocab.AGV_LABEL,
               "objects": listed, "parametrised": [o for o in listed if o["properties"] or o["agv"]],
               "connections": [{"from_var": var[c["from"]], "to_var": var[c["to"]], "port": c["port"]}
                               for c in written],
               "chained": False, "upstream": [], "late": []}
    return code_length_floor(context, style)


@lru_cache(maxsize=8)
def _fixed_length(style: Style, chained: bool, code_header: str, agv_label: str) -> int:
    """The length of ``style``'s code for a model without objects: the text every script has."""
    empty = {"code_header": code_header, "agv_label": agv_label, "objects": [], "parametrised": [],
             "connections": [], "chained": chained, "upstream": [], "late": []}
    return len(_render(empty, style))


def _value_length(value: dict[str, Any], header: int) -> int:
    """The length of the text ``macros.j2``'s ``value`` writes for a property value."""
    kind = value["kind"]
    if kind == "number":
        return len(value["text"])
    if kind == "string":
        return len(value["text"]) + 2
    if kind == "code":
        return header + len(f'""return {value["call"]}({", ".join(value["args"])}, getstream(current));')
    if kind == "random_port":
        return header + len('""return duniform(1, current.outObjects.length, getstream(current));')
    items = value["items"]
    return 2 + 2 * max(len(items) - 1, 0) + sum(_value_length(item, header) for item in items)


def check_renderable(spec: FactorySpec) -> None:
    """Raise ``UnsupportedSpec`` for what FlexSim cannot be told in a build script.

    FlexSim's MultiProcessor has no settable step properties (verdicts: REFUTED), so a spec with
    one cannot be written; its steps are chained processors."""
    for obj in spec.objects:
        if obj.kind == "multiprocessor":
            raise UnsupportedSpec(
                f"object '{obj.name}' is a multiprocessor: FlexSim's MultiProcessor has no settable step "
                "properties, so a script cannot give it its steps; write the steps as processors, one "
                "after the other")


def escape_string(text: str) -> str:
    """``text`` escaped for the inside of a FlexScript string literal (``\\"``, ``\\\\``, ``\\n``)."""
    return text.translate(_ESCAPE_TABLE)


def variable_names(spec: FactorySpec) -> dict[str, str]:
    """Object name -> a unique, safe FlexScript identifier derived from it (``Mask Coater`` -> ``mask_coater``)."""
    used: set[str] = set()
    result: dict[str, str] = {}
    for obj in spec.objects:
        base = _identifier(obj.name, obj.kind)
        candidate, suffix = base, 1
        while candidate in used or candidate in RESERVED_IDENTIFIERS:
            suffix += 1
            candidate = f"{base}_{suffix}"
        used.add(candidate)
        result[obj.name] = candidate
    return result


@lru_cache(maxsize=4096)
def _identifier(name: str, kind: str) -> str:
    """The identifier stem of an object name (cached: the same names recur in every spec)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    base = _NOT_IDENTIFIER.sub("_", ascii_name.lower()).strip("_") or kind
    return f"{kind}_{base}" if base[0].isdigit() else base


def creation_order(spec: FactorySpec) -> list[FactoryObject]:
    """The loop style's creation order: stations in flow order, then the resources in spec order.

    A depth-first topological order of the A flow graph (successors in spec order), so each line
    is created station after station and the loop can chain it; a cycle's leftovers keep spec order.
    """
    flow = spec.flow_connections()
    successors: dict[str, list[str]] = {obj.name: [] for obj in spec.objects}
    waiting = {obj.name: 0 for obj in spec.objects}
    for conn in flow:
        successors[conn.from_].append(conn.to)
        waiting[conn.to] += 1
    stations = spec.flow_objects
    ready = [obj.name for obj in reversed(stations) if waiting[obj.name] == 0]
    placed: list[str] = []
    while ready:
        name = ready.pop()
        placed.append(name)
        for nxt in reversed(successors[name]):
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                ready.append(nxt)
    by_name = {obj.name: obj for obj in spec.objects}
    done = set(placed)
    return [by_name[name] for name in placed] + [obj for obj in spec.objects if obj.name not in done]


def loop_links(spec: FactorySpec) -> list[Connection]:
    """The A connections the loop style makes inside its creation loop (one per target at most).

    A flow connection qualifies when its source is created before its target (``creation_order``).
    The loop runs them in creation order and the rest follow in spec order; a candidate is kept
    only if every object's outgoing and incoming A connections still come in spec order (FlexSim's
    port ranks, e.g. the combiner's container on input port 1).
    """
    return _loop_links(spec, creation_order(spec))


def _loop_links(spec: FactorySpec, ordered: list[FactoryObject]) -> list[Connection]:
    """``loop_links`` for the creation order ``ordered`` (``template_context`` has it already).

    A candidate is checked against its own two port lists only: the chosen links keep every list in
    order, and taking a statement out of the spec-ordered rest cannot disorder one. Its list stays in
    order when the candidate is the list's first connection not yet chosen and its target is created
    after those of the list's chosen ones (which the loop runs first, in creation order).
    """
    index = {obj.name: number for number, obj in enumerate(ordered)}
    ports = _port_keys(spec.connections)
    members: dict[tuple[str, str], list[int]] = {}
    for number, keys in enumerate(ports):
        for key in keys:
            members.setdefault(key, []).append(number)
    taken: dict[tuple[str, str], int] = {}
    last_rank: dict[tuple[str, str], int] = {}
    flow = {id(c) for c in spec.flow_connections()}
    chosen: list[int] = []
    targets: set[str] = set()
    for number, conn in enumerate(spec.connections):
        rank = index[conn.to]
        if id(conn) not in flow or index[conn.from_] >= rank or conn.to in targets:
            continue
        keys = ports[number]
        if all(members[key][taken.get(key, 0)] == number and last_rank.get(key, -1) < rank for key in keys):
            for key in keys:
                taken[key] = taken.get(key, 0) + 1
                last_rank[key] = rank
            chosen.append(number)
            targets.add(conn.to)
    chosen.sort(key=lambda number: index[spec.connections[number].to])
    return [spec.connections[k] for k in chosen]


def _port_keys(connections: list[Connection]) -> list[tuple[tuple[str, str], ...]]:
    """Per connection, the (object, direction) port lists an A connection takes a rank in (none for S)."""
    return [((c.from_, "out"), (c.to, "in")) if c.port == "A" else () for c in connections]


def template_context(spec: FactorySpec, style: Style) -> dict[str, Any]:
    """Plain data the templates need: objects, connections, late properties."""
    names = variable_names(spec)
    ordered = creation_order(spec) if style == "loop" else spec.objects
    links = _loop_links(spec, ordered) if style == "loop" else []
    index = {obj.name: number for number, obj in enumerate(ordered, start=1)}
    linked = {id(c) for c in links}
    remaining = [c for c in spec.connections if id(c) not in linked]
    late = _late_properties(spec, names)
    referenced = {c.from_ for c in remaining} | {c.to for c in remaining} | {p["object"] for p in late}
    objects = []
    for obj in ordered:
        properties = object_properties(obj)
        is_agv = obj.kind == "agv"
        objects.append({
            "var": names[obj.name],
            "name": escape_string(obj.name),
            "cls": escape_string(vocab.KIND_TO_CLASS[obj.kind]),
            "index": index[obj.name],
            "x": _number_text(obj.position[0]),
            "y": _number_text(obj.position[1]),
            "z": _number_text(obj.position[2]),
            "properties": properties,
            "agv": is_agv,
            "referenced": bool(properties) or is_agv or obj.name in referenced,
        })
    upstream = {c.to: index[c.from_] for c in links}
    return {
        "code_header": escape_string(vocab.DISTRIBUTION_CODE_HEADER),
        "agv_label": vocab.AGV_LABEL,
        "objects": objects,
        "parametrised": [o for o in objects if o["properties"] or o["agv"]],
        "connections": [_connection(c, names) for c in remaining],
        "chained": bool(links),
        "upstream": [str(upstream.get(obj.name, 0)) for obj in ordered],
        "late": late,
    }


def _connection(conn: Connection, names: dict[str, str]) -> dict[str, str]:
    return {"from_var": names[conn.from_], "to_var": names[conn.to], "port": conn.port}


def object_properties(obj: FactoryObject) -> list[dict[str, Any]]:
    """``setProperty`` calls for one object, in a fixed order (ComponentsList excepted: it comes late).

    FlexSim's defaults are left unwritten where the verdicts say writing them is risky or
    pointless: the Source's arrival style and class Box, a Processor's MaxContent 1, routing
    "first available"."""
    return field_properties(obj.kind, obj.__dict__)


def field_properties(kind: str, fields: Mapping[str, Any]) -> list[dict[str, Any]]:
    """``object_properties`` of an object of ``kind`` with the field values ``fields``.

    A field missing from ``fields`` writes no property, so some of an object's fields (a drawn spec's
    data before validation, where defaults are left out) give some of its properties, in the same order."""
    props: list[tuple[str, Any]] = []
    param = vocab.PARAMETER_TO_PROPERTY
    if kind == "source":
        if "inter_arrival" in fields:
            props.append((param["inter_arrival"], fields["inter_arrival"]))
        if fields.get("item_class", vocab.DEFAULT_ITEM_CLASS) != vocab.DEFAULT_ITEM_CLASS:
            props.append((param["item_class"], fields["item_class"]))
    elif kind == "queue":
        if "max_content" in fields:
            props.append((param["max_content"], fields["max_content"]))
    elif kind == "conveyor":
        props += [(param[name], fields[name]) for name in ("length", "speed") if name in fields]
    elif kind in TASK_EXECUTER_KINDS:
        props += [(vocab.TASK_EXECUTER_PROPERTIES[name], fields[name]) for name in ("speed", "capacity")
                  if name in fields]
    elif kind in ("processor", "combiner", "separator"):
        if kind == "processor":
            if fields.get("max_content", vocab.DEFAULT_MAX_CONTENT) > vocab.DEFAULT_MAX_CONTENT:
                props.append((param["max_content"], fields["max_content"]))
        elif kind == "combiner":
            if "mode" in fields:
                props.append((param["mode"], vocab.MODE_OPTIONS[fields["mode"]]))
        else:
            if "mode" in fields:
                props.append((vocab.SEPARATOR_MODE_PROPERTY, vocab.MODE_OPTIONS[fields["mode"]]))
            if "split_quantity" in fields:
                props.append((param["split_quantity"], fields["split_quantity"]))
        props += [(param[name], fields[name]) for name in ("process_time", "setup_time") if name in fields]
    if kind in vocab.ROUTING_KINDS and fields.get("routing") == "random":
        props.append((vocab.SEND_TO_PORT, RandomPort()))
    if fields.get("use_transport", False):
        props.append((param["use_transport"], True))
    if fields.get("use_operator", False):
        props += [(param["use_operator"], True), (vocab.OPERATOR_COUNT_PROPERTY, 1)]
    return [{"name": name, "value": property_value(value)} for name, value in props]


def _late_properties(spec: FactorySpec, names: dict[str, str]) -> list[dict[str, Any]]:
    """Each combiner's ComponentsList: an Array with one quantity per component input port.

    Port 1 holds the container; every other input port needs ``component_quantity`` items.
    """
    late = []
    for obj in spec.of_kinds({"combiner"}):
        inputs = sum(1 for c in spec.flow_connections() if c.to == obj.name)
        quantities = [obj.component_quantity] * (inputs - 1)
        late.append({"object": obj.name, "var": names[obj.name],
                     "name": vocab.PARAMETER_TO_PROPERTY["component_quantity"],
                     "value": property_value(quantities)})
    return late


def property_value(value: Any) -> dict[str, Any]:
    """A Python value as template data: number, string, distribution code or Array."""
    if isinstance(value, bool):
        return {"kind": "number", "text": "1" if value else "0"}
    if isinstance(value, (int, float)):
        return {"kind": "number", "text": _number_text(value)}
    if isinstance(value, str):
        return {"kind": "string", "text": escape_string(value)}
    if isinstance(value, list):
        return {"kind": "array", "items": [property_value(item) for item in value]}
    if isinstance(value, RandomPort):
        return {"kind": "random_port"}
    return _distribution_value(value)


class RandomPort:
    """The Send To Port value of random routing: code returning a port drawn uniformly from
    1..``current.outObjects.length`` with the object's stream (written by the template)."""


def _distribution_value(dist: Distribution) -> dict[str, Any]:
    """A constant is its number; any other family is a code string returning the FlexSim call
    with the object's stream."""
    try:
        call = flexsim_call(dist)
    except ValueError as error:
        raise UnsupportedSpec(str(error)) from None
    if call is None:
        return {"kind": "number", "text": _number_text(dist.value)}
    name, args = call
    return {"kind": "code", "call": name, "args": [_number_text(arg) for arg in args]}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """The Jinja environment for the FlexScript templates (built on first use, then shared)."""
    return Environment(
        loader=FunctionLoader(_load_template),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


def _load_template(name: str) -> str:
    return resources.files("twinforge").joinpath("templates", "flexscript", name).read_text(encoding="utf-8")
