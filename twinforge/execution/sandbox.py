"""Run FlexScript text in the sandbox: a model-building script, or a property code string.

Compiled programs are cached by their text (code strings repeat across objects and samples);
a long script is compiled statement by statement, and its top-level statements are cached by
their text and compiled once per template, the text with its literals and variable names taken
out (``q1.setProperty("Capacity", 5)`` and ``buffer.setProperty("MaxContent", 8)`` are one).
A code string runs with its own small step and time budget and sees only ``c``, ``current``,
``item``, ``ownerobject``, ``param``, ``getstream`` and the distribution commands, so a code
string that loops forever ends as a ``param_error`` for the property that holds it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from twinforge.execution.builtins import BuildHooks, CodeHooks, Neighbours
from twinforge.execution.compiler import Compiler
from twinforge.execution.errors import PARAM_ERROR, PARSE_ERROR, UNSUPPORTED, ScriptError
from twinforge.execution.expressions import NAME_CONSTANTS, number_value, string_value
from twinforge.execution.fast_parse import fast_enabled, literal_spans, top_level_chunks
from twinforge.execution.limits import Limits
from twinforge.execution.parser import parse
from twinforge.execution.runtime import Runtime, Scope, Stmt, execute
from twinforge.execution.stdlib import DISTRIBUTION_COMMANDS, STATIC_NAMESPACES
from twinforge.execution.values import DistCall, FSItem, FSObject, is_number
from twinforge.schemas.flexscript_lexicon import NEGATIVE_NUMBER_PATTERN

CACHED_CODE_CHARS = 2_000
"""Only texts this short are cached whole: code strings repeat across objects and samples, whole
build scripts never do, and caching them grew each worker by ~150 KB per sample."""

CACHED_CHUNKS = 65_536
"""Top-level statements kept for longer scripts, by their text. On 10,000 benchmark scripts 61% of
statements are found with 8,192 (52% with 2,048, 68% with 16,384, 79% with 32,768); in an eval of
the 5,000 bench predictions 69% with 8,192 and 84% with 65,536. An entry is its template's
statements (shared) and the values of its literals and names, a few hundred bytes; a miss costs
a scan for them (about 15 us) and, where the template is new, a compile (about 100 us)."""

CACHED_TEMPLATES = 16_384
"""Compiled chunk templates kept (``_compile_template``): 1,000 gdt120k samples have 173 (their
60,000 statements, 17,926 distinct texts), so they stay compiled for a whole run; 2.5 KB each."""


def compile_code(code: str, max_chars: int) -> Stmt:
    """Parse and compile ``code``: short texts (property code strings) come from a cache, longer
    ones are put together from cached top-level statements where each parses on its own (unless
    ``fast_parse.ENABLED`` is off)."""
    if len(code) <= CACHED_CODE_CHARS:
        return _compile_cached(code, max_chars)
    program = _compile_chunked(code) if fast_enabled() and len(code) <= max_chars else None
    return _compile(code, max_chars) if program is None else program


@lru_cache(maxsize=1024)
def _compile_cached(code: str, max_chars: int) -> Stmt:
    """``_compile`` of a short text, cached by the text."""
    return _compile(code, max_chars)


def _compile(code: str, max_chars: int) -> Stmt:
    """``code`` parsed and compiled as a whole."""
    tree = parse(code, max_chars=max_chars)
    try:
        return Compiler(STATIC_NAMESPACES).program(tree)
    except RecursionError:
        raise ScriptError(PARSE_ERROR, "the script nests too deeply to compile") from None


Chunk = tuple[tuple[Stmt, ...], bool, tuple[Any, ...]]
"""A compiled chunk: its statements (lines counted from the chunk's first line), whether one
of them has no line of its own (``Compiler.unlined``), and the values of its literals and
variable names, which its statements read from ``Runtime.literals`` (empty where they hold
them themselves)."""

Span = tuple[str, int, int]
"""A literal's or variable name's token type, start and end in a chunk's text."""

Template = tuple[tuple[str, ...], tuple[str, ...]]
"""A chunk's text with its literals (and variable names) taken out: the texts around them, and
the token type of each."""

_PLACEHOLDERS = {"NUMBER": " 0 ", "STRING": ' "" ', "NAME": " _ "}
"""What stands for a literal or name of each type in the text a template is compiled from;
spaced, so that it lexes as one token of that type whatever stands next to it, on the same line."""

_FIXED_NAMES = STATIC_NAMESPACES | frozenset(NAME_CONSTANTS)
"""Names the compiler reads as namespaces or constants, never as a template's variables."""


def _compile_chunked(code: str) -> Stmt | None:
    """The program of ``code`` from its top-level chunks (``fast_parse.top_level_chunks``), each
    compiled once per process; None where a chunk does not compile on its own, or would take its
    line from the chunk before it, so that ``_compile`` reports the script as a whole does."""
    chunks = top_level_chunks(code)
    if chunks is None:
        return None
    parts: list[tuple[int, tuple[Stmt, ...], tuple[Any, ...]]] = []
    for index, (line, text) in enumerate(chunks):
        compiled = _compile_chunk(text)
        if compiled is None or (compiled[1] and index):
            return None
        parts.append((line - 1, compiled[0], compiled[2]))
    return _chunked_program(tuple(parts))


@lru_cache(maxsize=CACHED_CHUNKS)
def _compile_chunk(text: str) -> Chunk | None:
    """``text`` (whole top-level statements) compiled on its own; None where it does not lex,
    parse or compile (the whole script is then compiled instead, for its error message).

    The statements are those of its template (``_compile_template``), shared by every text that
    differs only in its variable names and literals (object names, numbers); where a name the
    lexer takes for a variable's is not one (a parameter, a dotted type), the template keeps the
    names. A literal that spans lines moves the lines of the tokens after it, so a text with one
    is compiled as it is."""
    spans = literal_spans(text, _FIXED_NAMES)
    if spans is None:
        return None
    if any("\n" in text[start:end] for kind, start, end in spans if kind == "STRING"):
        compiled = _compile_statements(text, {})
        return None if compiled is None else (*compiled, ())
    compiled = _compile_template(_template(text, spans))
    if compiled is None and any(kind == "NAME" for kind, _, _ in spans):
        spans = [span for span in spans if span[0] != "NAME"]
        compiled = _compile_template(_template(text, spans))
    if compiled is None:
        return None
    try:
        values = tuple(_value(kind, text[start:end]) for kind, start, end in spans)
    except ValueError:
        return None
    return (*compiled, values)


def _template(text: str, spans: list[Span]) -> Template:
    """``text`` without the tokens at ``spans``: the texts around them, and their types."""
    cuts = [0, *(cut for _, start, end in spans for cut in (start, end)), len(text)]
    around = tuple(text[start:end] for start, end in zip(cuts[0::2], cuts[1::2], strict=True))
    return around, tuple(kind for kind, _, _ in spans)


def _value(kind: str, written: str) -> Any:
    """What a template's statements read for a token of type ``kind`` written so."""
    if kind == "NUMBER":
        return number_value(written)
    return string_value(written) if kind == "STRING" else written


@lru_cache(maxsize=CACHED_TEMPLATES)
def _compile_template(template: Template) -> tuple[tuple[Stmt, ...], bool] | None:
    """The statements of a chunk's template: its text with a placeholder for each literal and
    name, compiled with each read from its slot (``ExpressionCompiler.literal_slots``); None
    where it does not compile so, or a slot is not read as a literal or a variable."""
    around, kinds = template
    parts, slots, pos = [around[0]], {}, len(around[0])
    for slot, (kind, after) in enumerate(zip(kinds, around[1:], strict=True)):
        placeholder = _PLACEHOLDERS[kind]
        slots[pos + 1] = slot
        parts += (placeholder, after)
        pos += len(placeholder) + len(after)
    return _compile_statements("".join(parts), slots)


def _compile_statements(text: str, literal_slots: dict[int, int]) -> tuple[tuple[Stmt, ...], bool] | None:
    """The top-level statements of ``text`` and ``Compiler.unlined``; None where it does not lex,
    parse or compile, or compiles without reading every slot."""
    try:
        compiler = Compiler(STATIC_NAMESPACES, literal_slots)
        statements = compiler.statements(parse(text))
    except Exception:  # noqa: BLE001 - any failure sends the script down the whole-script path
        return None
    return (statements, compiler.unlined) if len(compiler.used_slots) == len(literal_slots) else None


def _chunked_program(parts: tuple[tuple[int, tuple[Stmt, ...], tuple[Any, ...]], ...]) -> Stmt:
    """Run each chunk's statements in one scope, with ``Runtime.line_base`` set to the lines
    before the chunk and ``Runtime.literals`` to its literals' values; like ``Compiler.program``,
    a statement's signal ends the program."""

    def run(scope: Scope) -> Any:
        rt = scope.rt
        for base, statements, literals in parts:
            rt.line_base, rt.literals = base, literals
            for stmt in statements:
                signal = stmt(scope)
                if signal is not None:
                    return signal
        return None

    return run


_NUMBER = NEGATIVE_NUMBER_PATTERN
_MARK = r"(?:/\*\*?[^*/]*\*/\s*)?"
_STANDARD_CODE = re.compile(
    r"\s*Object current = ownerobject\(c\);\s*Object item = param\(1\);\s*" + _MARK + r"return\s+" + _MARK +
    rf"(?:(?P<name>[A-Za-z_]\w*)\(\s*(?P<args>{_NUMBER}(?:\s*,\s*{_NUMBER})*)"
    r"(?P<stream>\s*,\s*getstream\(current\))?\s*\)|(?P<constant>" + _NUMBER + r"))\s*" + _MARK + r";\s*"
)
"""FlexSim's standard picklist form (header, then ``return call(numbers[, getstream(current)]);``),
with or without the ``/**/ ... /**direct*/`` markers FlexSim's own saved models put around the call."""


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
    """The value of a number literal as the compiler reads it (a double if written with ``.`` or
    an exponent)."""
    text = text.strip()
    return float(text) if any(c in text for c in ".eE") else int(text)


def run_script(code: str, limits: Limits) -> BuildHooks:
    """Run a model-building script; the returned hooks hold the objects and connections it made."""
    program = compile_code(code, limits.max_source_chars)
    hooks = BuildHooks(limits, run_code_string)
    rt = Runtime(limits, hooks, max_steps=limits.max_steps, max_seconds=limits.max_seconds)
    execute(program, rt)
    hooks.finish()
    return hooks


def run_code_string(code: str, owner: FSObject, limits: Limits, *, label: str,
                    neighbours: Neighbours | None = None) -> Any:
    """Run a property code string; return the number or ``DistCall`` it returns.

    A bare expression (no header, no ``return``) is accepted too: whether FlexSim accepts one is
    UNCONFIRMED (reference section 2.1), so twinforge is lenient here. ``neighbours`` lets the
    code read ``current.outObjects`` and the other port lists (Send To Port code).
    """
    shortcut = standard_code_value(code)
    if shortcut is not None:
        return shortcut
    try:
        program, bare = _compile_code_string(code, limits)
    except ScriptError as error:
        raise ScriptError(PARAM_ERROR, f"{label}: the code string does not parse: {error.message}") from None
    try:
        rt = Runtime(limits, CodeHooks(limits, owner, neighbours), max_steps=limits.code_max_steps,
                     max_seconds=limits.code_max_seconds)
        value = execute(program, rt, {"c": owner, "current": owner, "item": FSItem()})
    except ScriptError as error:
        where = f" (line {error.line} of the code string)" if error.line is not None and not bare else ""
        outcome = UNSUPPORTED if error.outcome == UNSUPPORTED else PARAM_ERROR
        raise ScriptError(outcome, f"{label}: {error.message}{where}") from None
    if is_number(value) or isinstance(value, DistCall):
        return value
    if value is None:
        raise ScriptError(PARAM_ERROR, f"{label}: the code string returns no value (write 'return <call>;')")
    raise ScriptError(PARAM_ERROR, f"{label}: the code string returns {type(value).__name__}, not a number "
                      "or a distribution")


def _compile_code_string(code: str, limits: Limits) -> tuple[Stmt, bool]:
    """The program of a code string, and whether it is a bare expression (compiled as ``return
    <code>;``, its lines then not the code string's). Where neither compiles, the error of the
    code as written is raised."""
    try:
        return compile_code(code, limits.max_source_chars), False
    except ScriptError as error:
        try:
            return compile_code(f"return {code};", limits.max_source_chars), True
        except ScriptError:
            raise error from None
