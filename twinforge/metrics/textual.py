"""Read a model's statements from FlexScript text, as the GDT paper's metrics do.

Nothing is executed and nothing needs to parse: each statement that can be recognised is read,
the rest is ignored, so a broken prediction still gets credit for what it states. Recognised:

- object creation: ``Object x = Object.create("Processor");`` or
  ``createinstance(library().find("?Source"), model())`` / ``createinstance(node("/?Source", library()), model())``,
  or ``createcopy(...)`` (a library class, or another object's class), then ``x.name = "Name";``
  (or ``setname``/``setnodename(x, "Name")``, or ``x.setProperty("Name", "Name")``);
- the loop style: an ``Array`` of class names or library paths (``["Source", "Queue"]`` as the
  templates write for ``Object.create(classes[i])``, or ``["/?Source", "/?Queue"]``) paired with
  the next ``Array`` of names of the same length; a loop body that stores ``objs[i] = obj`` after
  ``obj.name = names[i]`` lets later ``objs[2]`` refer to the second name;
- ``contextdragconnection(a, b, "A")`` whose two ends resolve to named objects (a variable, an
  ``objs[k]`` element with a literal index, or ``Model.find("Name")``); a ``"Q"`` (``"W"``) key
  removes the first such ``A`` (``S``) connection read so far, as the executor does;
- inside a creation loop, connections whose ends are table look-ups, resolved per iteration
  (``int up = upstream[i]; Object prev = objs[up];`` or ``objs[i - 1]``); a look-up that finds no
  object (index 0) means no connection in that iteration, as the loop's ``if`` guard says;
- ``target.setProperty("Prop", value)``, where a code string's value is its ``return`` expression
  (``"Name"`` names the object and is not a parameter).

Anything computed (arithmetic beyond ``i +/- k``, nested loops over other tables, while loops,
functions) is not followed: that is the textual mode's limit, and why the executed mode exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from twinforge.metrics.statements import Statements, class_of
from twinforge.metrics.values import (
    STRING_LITERAL,
    STRING_PATTERN,
    decode_string,
    literal_value,
    number_value,
    split_arguments,
)
from twinforge.schemas.flexscript_lexicon import COMMENT_PATTERN

_TOKENS = re.compile(f"({STRING_PATTERN})|({COMMENT_PATTERN})", re.DOTALL)
_ARRAY = re.compile(r"\b(\w++)\s*=\s*\[")
_FOR = re.compile(r"\bfor\s*\(")
_LOOP_NAME = re.compile(r"\b(\w++)\s*\.\s*name\s*=\s*(\w++)\s*\[\s*(\w++)\s*\]")
_LOOP_ASSIGN = re.compile(r"\b(\w++)\s*=\s*(\w++)\s*\[([^\]\[;]+)\]\s*;")
_LOOP_INDEX = re.compile(r"^\s*(?:(\d+)|(\w+)\s*(?:([+-])\s*(\d+))?)\s*$")
_CONNECT = re.compile(r"\bcontextdragconnection\s*\(")
_LOOP_STORE = re.compile(r"\b(\w++)\s*\[\s*\w++\s*\]\s*=\s*(\w++)\s*;")
_FIND = re.compile(r'^(?:Model\.find|model\(\)\s*\.\s*find)\s*\(\s*(' + STRING_PATTERN + r')\s*\)$')
_NODE_IN_MODEL = re.compile(r'^node\s*\(\s*(' + STRING_PATTERN + r')\s*,\s*model\(\)\s*\)$')
_INDEX = re.compile(r"^(\w+)\s*\[\s*(\d+)\s*\]$")

_STATEMENT = re.compile(r"[^;{}]+;?")
_HINTS = re.compile(r"=|setname|setnodename|contextdragconnection|setProperty")
_EVENTS = re.compile(
    r"(?P<create>\b(?P<cvar>\w++)\s*=\s*(?P<cfun>Object\s*\.\s*create|createinstance|createcopy)\s*\()"
    r'|(?P<name>\b(?P<nvar>\w++)\s*\.\s*name\s*=\s*(?P<nlit>' + STRING_PATTERN + r')\s*;)'
    r"|(?P<setname>\b(?:setname|setnodename)\s*\()"
    r"|(?P<connect>\bcontextdragconnection\s*\()"
    r"|(?P<prop>(?P<ptarget>\b\w++(?:\s*\[\s*\d+\s*\])?)\s*\.\s*setProperty\s*\()"
    r"|(?P<alias>\b(?P<avar>\w++)\s*=\s*(?P<aexpr>[\w.]+(?:\s*\(\s*\))?(?:\s*\.\s*find\s*\([^;]*\)|\s*\[\s*\d+\s*\])?)\s*;)",
    re.DOTALL,
)


@dataclass
class _Ref:
    """A script variable that holds (or will hold, once named) a model object."""

    cls: str | None
    name: str | None = None


def strip_comments(code: str) -> str:
    """The code with comments blanked out (positions kept; strings untouched)."""
    return _TOKENS.sub(lambda m: m[1] if m[1] else " " * len(m[2]), code)


def _mask_strings(text: str) -> str:
    """The text with string contents blanked (positions kept), so code inside strings is not read."""
    return STRING_LITERAL.sub(lambda m: '"' + " " * (len(m[0]) - 2) + '"', text)


def read_statements(code: str) -> Statements:
    """Objects, connections and parameters that the text of ``code`` states."""
    text = strip_comments(code)
    masked = _mask_strings(text)
    result = Statements()
    literals = _array_literals(text, masked)
    object_arrays = _loop_objects(text, masked, literals, result)
    refs: dict[str, _Ref] = {}
    hints = _HINTS.search
    for statement in _STATEMENT.finditer(masked):
        start, end = statement.span()
        if hints(masked, start, end) is None:
            continue
        event = _statement_event(text[start:end], masked[start:end])
        if event is _UNCLOSED:
            event = _read_event(text, masked, start, end)
        if event is not None:
            _HANDLERS[event.kind](event, refs, object_arrays, result)
    return result


class _Event(NamedTuple):
    """What one statement states, before the script's variables are looked up: its kind (a
    group of ``_EVENTS``), the variable it assigns or targets, an expression or a name, and its
    argument list (``split_arguments``; None where the list is not closed)."""

    kind: str
    var: str | None
    expr: str | None
    args: tuple[str, ...] | None


_UNCLOSED = _Event("unclosed", None, None, None)
"""``_statement_event``'s answer where an argument list runs past the statement's end."""


def _read_event(text: str, masked: str, start: int, end: int) -> _Event | None:
    """The event of the statement at ``start:end`` of ``masked`` (its argument list read from
    ``text``, and past ``end`` where it is not closed there); None where it states nothing."""
    match = _EVENTS.search(masked, start, end)
    if match is None:
        return None
    kind = match.lastgroup
    if kind == "name":
        return _Event(kind, match["nvar"], decode_string(text[match.start("nlit"):match.end("nlit")]), None)
    if kind == "alias":
        return _Event(kind, match["avar"], match["aexpr"], None)
    parsed = split_arguments(text, match.end() - 1)
    args = None if parsed is None else tuple(parsed[0])
    return _Event(kind, match["cvar"] if kind == "create" else match["ptarget"], None, args)


@lru_cache(maxsize=2**16)
def _statement_event(text: str, masked: str) -> _Event | None:
    """``_read_event`` of one whole statement given alone, cached by its text (statements repeat
    across scripts, as ``q1.setProperty("MaxContent", 10);`` does); ``_UNCLOSED`` where its argument
    list is not closed within it, since the script's text after it then decides."""
    event = _read_event(text, masked, 0, len(text))
    if event is not None and event.args is None and event.kind not in ("name", "alias"):
        return _UNCLOSED
    return event


def _array_literals(text: str, masked: str) -> list[tuple[str, list[str]]]:
    """``name = [item, ...]`` declarations with at least one item, in order (items as written)."""
    found: list[tuple[str, list[str]]] = []
    if "[" not in masked:  # the explicit style: no array to find (the regex would scan every word)
        return found
    for match in _ARRAY.finditer(masked):
        parsed = split_arguments(text, match.end() - 1)
        if parsed is not None and parsed[0]:
            found.append((match[1], parsed[0]))
    return found


def _string_arrays(literals: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """The array declarations whose items are all string literals, decoded, in order."""
    return [(name, [decode_string(item) for item in items]) for name, items in literals
            if all(STRING_LITERAL.fullmatch(item) for item in items)]


def _loop_objects(
    text: str, masked: str, literals: list[tuple[str, list[str]]], result: Statements
) -> dict[str, list[str]]:
    """Declare the loop-style objects; return object-array name -> the names stored in it."""
    arrays = _string_arrays(literals)
    values = dict(arrays)
    used: set[int] = set()
    for k_index, (_, kinds) in enumerate(arrays):
        classes = [class_of(item) for item in kinds]
        if not all(classes):
            continue
        for n_index in range(k_index + 1, len(arrays)):
            names = arrays[n_index][1]
            if n_index in used or len(names) != len(kinds) or all(class_of(n) for n in names):
                continue
            used.add(n_index)
            for name, cls in zip(names, classes):
                result.objects[name] = cls
            break
    object_arrays: dict[str, list[str]] = {}
    numbers = _number_arrays(literals)
    for body in _for_bodies(text, masked):
        named = {var: (array, index) for var, array, index in _LOOP_NAME.findall(body) if array in values}
        for store, var in _LOOP_STORE.findall(body):
            if var in named:
                array, index = named[var]
                object_arrays[store] = values[array]
                loop = _Loop(values[array], store, var, index, numbers)
                result.connections.extend(_loop_connections(body, loop))
    return object_arrays


@dataclass(frozen=True)
class _Loop:
    """A creation loop: the names it gives, where it stores the objects, its variables, the number tables."""

    names: list[str]
    store: str
    obj_var: str
    index_var: str
    numbers: dict[str, list[float]]


def _number_arrays(literals: list[tuple[str, list[str]]]) -> dict[str, list[float]]:
    """The array declarations whose items are all number literals."""
    found = {}
    for name, items in literals:
        values = [number_value(item) for item in items]
        if all(values):
            found[name] = [value[1] for value in values]
    return found


def _loop_connections(body: str, loop: _Loop) -> list[tuple[str, str, str]]:
    """Connections a creation loop makes, read by resolving its table look-ups per iteration.

    Only look-ups are followed (``int up = upstream[i]; Object prev = objs[up];``); a connection
    whose ends do not resolve to an object in an iteration (``objs[0]``) is not made there, which
    is what the loop's ``if (up > 0)`` guard says.
    """
    calls = [split_arguments(body, match.end() - 1) for match in _CONNECT.finditer(body)]
    calls = [args for args, _ in filter(None, calls) if len(args) == 3 and STRING_LITERAL.fullmatch(args[2])]
    assignments = _LOOP_ASSIGN.findall(body)
    found = []
    for iteration in range(1, len(loop.names) + 1):
        numbers: dict[str, float] = {loop.index_var: iteration}
        objects: dict[str, str | None] = {loop.obj_var: loop.names[iteration - 1]}
        for var, array, index in assignments:
            position = _position(index, numbers)
            if array in loop.numbers:
                table = loop.numbers[array]
                numbers[var] = table[position - 1] if position and 1 <= position <= len(table) else None
            elif array == loop.store:
                objects[var] = _nth(loop.names, position)
        for source, target, key in calls:
            ends = [_loop_end(arg, loop, numbers, objects) for arg in (source, target)]
            if all(ends):
                found.append((ends[0], ends[1], decode_string(key)))
    return found


def _position(expr: str, numbers: dict[str, float | None]) -> int | None:
    """The integer an index expression (``3``, ``i``, ``i - 1``) has in one iteration."""
    match = _LOOP_INDEX.match(expr)
    if match is None:
        return None
    if match[1]:
        return int(match[1])
    value = numbers.get(match[2])
    if value is None or float(value) != int(value):
        return None
    offset = int(match[4] or 0) * (-1 if match[3] == "-" else 1)
    return int(value) + offset


def _nth(names: list[str], position: int | None) -> str | None:
    return names[position - 1] if position is not None and 1 <= position <= len(names) else None


def _loop_end(arg: str, loop: _Loop, numbers: dict[str, float | None], objects: dict[str, str | None]) -> str | None:
    arg = arg.strip()
    if arg in objects:
        return objects[arg]
    indexed = re.match(r"^(\w+)\s*\[([^\]\[]+)\]$", arg)
    if indexed and indexed[1] == loop.store:
        return _nth(loop.names, _position(indexed[2], numbers))
    return None


def _for_bodies(text: str, masked: str) -> list[str]:
    """The ``{...}`` bodies of ``for`` loops (outermost first; strings respected)."""
    bodies: list[str] = []
    if "for" not in masked:  # no loop to find (the regex would scan every word)
        return bodies
    for match in _FOR.finditer(masked):
        header = split_arguments(text, match.end() - 1)
        if header is None:
            continue
        start = text.find("{", header[1])
        if start < 0 or text[header[1]:start].strip():
            continue
        closed = split_arguments(text, start)
        if closed is not None:
            bodies.append(text[start:closed[1]])
    return bodies


def _resolve(expr: str, refs: dict[str, _Ref], object_arrays: dict[str, list[str]]) -> str | None:
    """The object name an argument expression denotes, if the text says it."""
    expr = expr.strip()
    if expr in refs:
        return refs[expr].name
    indexed = _INDEX.match(expr)
    if indexed and indexed[1] in object_arrays:
        position = int(indexed[2])
        names = object_arrays[indexed[1]]
        return names[position - 1] if 1 <= position <= len(names) else None
    found = _FIND.match(expr) or _NODE_IN_MODEL.match(expr)
    if found:
        return decode_string(found[1]).lstrip("/?") or None
    return None


def _on_create(event, refs, object_arrays, result) -> None:
    if not event.args:
        return
    literal = STRING_LITERAL.search(event.args[0])
    written = decode_string(literal[0]) if literal else None
    copied = refs.get(event.args[0].strip())  # createcopy(obj, model()): the copy has obj's class
    cls = copied.cls if copied is not None and written is None else None
    refs[event.var] = _Ref(cls if written is None else class_of(written) or written)


def _declare(ref: _Ref | None, name: str, result: Statements) -> None:
    if ref is None:
        return
    ref.name = name
    if ref.cls is not None:
        result.objects[name] = ref.cls


def _on_name(event, refs, object_arrays, result) -> None:
    _declare(refs.get(event.var), event.expr, result)


def _on_setname(event, refs, object_arrays, result) -> None:
    args = event.args
    if args is not None and len(args) == 2 and STRING_LITERAL.fullmatch(args[1]):
        _declare(refs.get(args[0].strip()), decode_string(args[1]), result)


def _on_alias(event, refs, object_arrays, result) -> None:
    name = _resolve(event.expr, refs, object_arrays)
    if name is not None:
        refs[event.var] = _Ref(result.objects.get(name), name)
    elif event.var in refs and event.expr not in refs:
        del refs[event.var]


DISCONNECTS = {"Q": "A", "W": "S"}
"""The key that removes a connection -> the key of the connection it removes (FlexSim's key drags)."""


def _on_connect(event, refs, object_arrays, result) -> None:
    args = event.args
    if args is None or len(args) != 3 or not STRING_LITERAL.fullmatch(args[2]):
        return
    source = _resolve(args[0], refs, object_arrays)
    target = _resolve(args[1], refs, object_arrays)
    if source is None or target is None:
        return
    key = decode_string(args[2])
    if key not in DISCONNECTS:
        result.connections.append((source, target, key))
        return
    removed = DISCONNECTS[key]
    for index, (a, b, k) in enumerate(result.connections):  # the first such link, as the executor does
        if k == removed and ((a, b) == (source, target) or (k == "S" and (a, b) == (target, source))):
            del result.connections[index]
            break


def _on_prop(event, refs, object_arrays, result) -> None:
    args = event.args
    if args is None or len(args) != 2 or not STRING_LITERAL.fullmatch(args[0]):
        return
    prop = decode_string(args[0])
    if prop == "Name":  # a name, not a parameter: setProperty("Name", "X") is x.name = "X"
        if STRING_LITERAL.fullmatch(args[1]):
            _declare(refs.get(event.var.strip()), decode_string(args[1]), result)
        return
    target = _resolve(event.var, refs, object_arrays)
    if target is not None:
        result.parameters[(target, prop)] = literal_value(args[1])


_HANDLERS = {
    "create": _on_create,
    "name": _on_name,
    "setname": _on_setname,
    "connect": _on_connect,
    "prop": _on_prop,
    "alias": _on_alias,
}
