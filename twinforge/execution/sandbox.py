"""Run FlexScript text in the sandbox: a model-building script, or a property code string.

Compiled programs are cached by their text (code strings repeat across objects and samples).
A code string runs with its own small step and time budget and sees only ``c``, ``current``,
``item``, ``ownerobject``, ``param``, ``getstream`` and the distribution commands, so a code
string that loops forever ends as a ``param_error`` for the property that holds it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from twinforge.execution.builtins import DISTRIBUTION_COMMANDS, STATIC_NAMESPACES, BuildHooks, CodeHooks
from twinforge.execution.errors import PARAM_ERROR, PARSE_ERROR, ScriptError
from twinforge.execution.interpreter import Compiler, Runtime, Stmt, execute
from twinforge.execution.limits import Limits
from twinforge.execution.parser import parse
from twinforge.execution.values import DistCall, FSItem, FSObject, is_number

CACHED_CODE_CHARS = 2_000
"""Only texts this short are cached: code strings repeat across objects and samples, whole
build scripts never do, and caching them grew each worker by ~150 KB per sample."""


def compile_code(code: str, max_chars: int) -> Stmt:
    """Parse and compile ``code``; short texts (property code strings) come from a cache."""
    if len(code) <= CACHED_CODE_CHARS:
        return _compile_cached(code, max_chars)
    return _compile(code, max_chars)


@lru_cache(maxsize=1024)
def _compile_cached(code: str, max_chars: int) -> Stmt:
    return _compile(code, max_chars)


def _compile(code: str, max_chars: int) -> Stmt:
    tree = parse(code, max_chars=max_chars)
    try:
        return Compiler(STATIC_NAMESPACES).program(tree)
    except RecursionError:
        raise ScriptError(PARSE_ERROR, "the script nests too deeply to compile") from None


_NUMBER = r"-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?"
_STANDARD_CODE = re.compile(
    r"\s*Object current = ownerobject\(c\);\s*Object item = param\(1\);\s*return\s+"
    rf"(?:(?P<name>[A-Za-z_]\w*)\(\s*(?P<args>{_NUMBER}(?:\s*,\s*{_NUMBER})*)"
    r"(?P<stream>\s*,\s*getstream\(current\))?\s*\)|(?P<constant>" + _NUMBER + r"))\s*;\s*"
)
"""FlexSim's standard picklist form (header, then ``return call(numbers[, getstream(current)]);``)."""


def standard_code_value(code: str) -> Any:
    """The value of a code string in the standard form, without running it; ``None`` otherwise.

    A shortcut with the same result as the interpreter (most generated code strings have this form).
    """
    match = _STANDARD_CODE.fullmatch(code)
    if match is None:
        return None
    if match["constant"] is not None:
        return _literal(match["constant"])
    if match["name"] not in DISTRIBUTION_COMMANDS:
        return None
    args = tuple(_literal(arg) for arg in match["args"].split(","))
    return DistCall(match["name"], args + ((0,) if match["stream"] else ()))


def _literal(text: str) -> int | float:
    text = text.strip()
    return float(text) if any(c in text for c in ".eE") else int(text)


def run_script(code: str, limits: Limits) -> BuildHooks:
    """Run a model-building script; the returned hooks hold the objects and connections it made."""
    program = compile_code(code, limits.max_source_chars)
    hooks = BuildHooks(limits)
    rt = Runtime(limits, hooks, max_steps=limits.max_steps, max_seconds=limits.max_seconds)
    execute(program, rt)
    return hooks


def run_code_string(code: str, owner: FSObject, limits: Limits, *, label: str) -> Any:
    """Run a property code string; return the number or ``DistCall`` it returns.

    A bare expression (no header, no ``return``) is accepted too: whether FlexSim accepts one is
    UNCONFIRMED (reference section 2.1), so twinforge is lenient here.
    """
    shortcut = standard_code_value(code)
    if shortcut is not None:
        return shortcut
    try:
        try:
            program = compile_code(code, limits.max_source_chars)
            bare = False
        except ScriptError:
            program = compile_code(f"return {code};", limits.max_source_chars)
            bare = True
        rt = Runtime(limits, CodeHooks(limits, owner), max_steps=limits.code_max_steps,
                     max_seconds=limits.code_max_seconds)
        value = execute(program, rt, {"c": owner, "current": owner, "item": FSItem()})
    except ScriptError as error:
        where = f" (line {error.line} of the code string)" if error.line is not None and not bare else ""
        raise ScriptError(PARAM_ERROR, f"{label}: {error.message}{where}") from None
    if is_number(value) or isinstance(value, DistCall):
        return value
    if value is None:
        raise ScriptError(PARAM_ERROR, f"{label}: the code string returns no value (write 'return <call>;')")
    raise ScriptError(PARAM_ERROR, f"{label}: the code string returns {type(value).__name__}, not a number "
                      "or a distribution")
