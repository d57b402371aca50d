"""Read a model's statements from FlexScript text, as the GDT paper's metrics do.

Nothing is executed and nothing needs to parse: each statement that can be recognised is read,
the rest is ignored, so a broken prediction still gets credit for what it states. Recognised:

- object creation: ``Object x = Object.create("Processor");`` or
  ``createinstance(library().find("?Source"), model())`` / ``createinstance(node("/?Source", library()), model())``,
  then ``x.name = "Name";`` (or ``setname(x, "Name")``);
- the loop style: an ``Array`` of class paths (``["/?Source", "/?Queue"]``) paired with the next
  ``Array`` of names of the same length; a loop body that stores ``objs[i] = obj`` after
  ``obj.name = names[i]`` lets later ``objs[2]`` refer to the second name;
- ``contextdragconnection(a, b, "A")`` whose two ends resolve to named objects (a variable, an
  ``objs[k]`` element with a literal index, or ``Model.find("Name")``);
- ``target.setProperty("Prop", value)``, where a code string's value is its ``return`` expression.

Connections made inside a loop (``contextdragconnection(objs[i-1], obj, "A")``) cannot be read
from the text; that is the textual mode's known limit, and why the executed mode exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from twinforge.metrics.statements import Statements, class_of
from twinforge.metrics.values import decode_string, literal_value, split_arguments

_TOKENS = re.compile(r'("(?:[^"\\]|\\.)*")|(//[^\n]*|/\*.*?\*/)', re.DOTALL)
_ARRAY = re.compile(r"\b(\w+)\s*=\s*\[")
_FOR = re.compile(r"\bfor\s*\(")
_LOOP_NAME = re.compile(r"\b(\w+)\s*\.\s*name\s*=\s*(\w+)\s*\[\s*\w+\s*\]")
_LOOP_STORE = re.compile(r"\b(\w+)\s*\[\s*\w+\s*\]\s*=\s*(\w+)\s*;")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_FIND = re.compile(r'^(?:Model\.find|model\(\)\s*\.\s*find)\s*\(\s*("(?:[^"\\]|\\.)*")\s*\)$')
_NODE_IN_MODEL = re.compile(r'^node\s*\(\s*("(?:[^"\\]|\\.)*")\s*,\s*model\(\)\s*\)$')
_INDEX = re.compile(r"^(\w+)\s*\[\s*(\d+)\s*\]$")

_EVENTS = re.compile(
    r"(?P<create>\b(?P<cvar>\w+)\s*=\s*(?P<cfun>Object\s*\.\s*create|createinstance)\s*\()"
    r'|(?P<name>\b(?P<nvar>\w+)\s*\.\s*name\s*=\s*(?P<nlit>"(?:[^"\\]|\\.)*")\s*;)'
    r"|(?P<setname>\bsetname\s*\()"
    r"|(?P<connect>\bcontextdragconnection\s*\()"
    r"|(?P<prop>(?P<ptarget>\b\w+(?:\s*\[\s*\d+\s*\])?)\s*\.\s*setProperty\s*\()"
    r"|(?P<alias>\b(?P<avar>\w+)\s*=\s*(?P<aexpr>[\w.]+(?:\s*\(\s*\))?(?:\s*\.\s*find\s*\([^;]*\)|\s*\[\s*\d+\s*\])?)\s*;)",
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
    return _STRING.sub(lambda m: '"' + " " * (len(m[0]) - 2) + '"', text)


def read_statements(code: str) -> Statements:
    """Objects, connections and parameters that the text of ``code`` states."""
    text = strip_comments(code)
    masked = _mask_strings(text)
    result = Statements()
    arrays = _string_arrays(text, masked)
    object_arrays = _loop_objects(text, masked, arrays, result)
    refs: dict[str, _Ref] = {}
    for match in _EVENTS.finditer(masked):
        _HANDLERS[match.lastgroup](match, text, refs, object_arrays, result)
    return result


def _string_arrays(text: str, masked: str) -> list[tuple[str, list[str]]]:
    """``name = ["a", "b"]`` declarations whose items are all string literals, in order."""
    found = []
    for match in _ARRAY.finditer(masked):
        parsed = split_arguments(text, match.end() - 1)
        if parsed is None or not parsed[0]:
            continue
        items = parsed[0]
        if all(_STRING.fullmatch(item) for item in items):
            found.append((match[1], [decode_string(item) for item in items]))
    return found


def _loop_objects(
    text: str, masked: str, arrays: list[tuple[str, list[str]]], result: Statements
) -> dict[str, list[str]]:
    """Declare the loop-style objects; return object-array name -> the names stored in it."""
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
    for body in _for_bodies(text, masked):
        named = {var: array for var, array in _LOOP_NAME.findall(body) if array in values}
        for store, var in _LOOP_STORE.findall(body):
            if var in named:
                object_arrays[store] = values[named[var]]
    return object_arrays


def _for_bodies(text: str, masked: str) -> list[str]:
    """The ``{...}`` bodies of ``for`` loops (outermost first; strings respected)."""
    bodies = []
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


def _on_create(match, text, refs, object_arrays, result) -> None:
    parsed = split_arguments(text, match.end() - 1)
    if parsed is None or not parsed[0]:
        return
    literal = _STRING.search(parsed[0][0])
    written = decode_string(literal[0]) if literal else None
    refs[match["cvar"]] = _Ref(None if written is None else class_of(written) or written)


def _declare(ref: _Ref | None, name: str, result: Statements) -> None:
    if ref is None:
        return
    ref.name = name
    if ref.cls is not None:
        result.objects[name] = ref.cls


def _on_name(match, text, refs, object_arrays, result) -> None:
    literal = text[match.start("nlit"):match.end("nlit")]
    _declare(refs.get(match["nvar"]), decode_string(literal), result)


def _on_setname(match, text, refs, object_arrays, result) -> None:
    parsed = split_arguments(text, match.end() - 1)
    if parsed and len(parsed[0]) == 2 and _STRING.fullmatch(parsed[0][1]):
        _declare(refs.get(parsed[0][0].strip()), decode_string(parsed[0][1]), result)


def _on_alias(match, text, refs, object_arrays, result) -> None:
    name = _resolve(match["aexpr"], refs, object_arrays)
    if name is not None:
        refs[match["avar"]] = _Ref(result.objects.get(name), name)
    elif match["avar"] in refs and match["aexpr"] not in refs:
        del refs[match["avar"]]


def _on_connect(match, text, refs, object_arrays, result) -> None:
    parsed = split_arguments(text, match.end() - 1)
    if parsed is None or len(parsed[0]) != 3 or not _STRING.fullmatch(parsed[0][2]):
        return
    source = _resolve(parsed[0][0], refs, object_arrays)
    target = _resolve(parsed[0][1], refs, object_arrays)
    if source is not None and target is not None:
        result.connections.append((source, target, decode_string(parsed[0][2])))


def _on_prop(match, text, refs, object_arrays, result) -> None:
    target = _resolve(match["ptarget"], refs, object_arrays)
    parsed = split_arguments(text, match.end() - 1)
    if target is None or parsed is None or len(parsed[0]) != 2 or not _STRING.fullmatch(parsed[0][0]):
        return
    result.parameters[(target, decode_string(parsed[0][0]))] = literal_value(parsed[0][1])


_HANDLERS = {
    "create": _on_create,
    "name": _on_name,
    "setname": _on_setname,
    "connect": _on_connect,
    "prop": _on_prop,
    "alias": _on_alias,
}
