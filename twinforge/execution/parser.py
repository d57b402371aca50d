"""Parse the FlexScript subset with a cached LALR(1) lark parser.

The grammar (``grammar.lark``, package data) is twinforge's reading of the language notes in
reference/flexscript.md section 5; it is not FlexSim's grammar. Deep bracket nesting is refused
while lexing, so 10,000 nested blocks are a quick ``parse_error``; other deep nesting (long
chains of unary operators or unbraced ``if``) is caught as ``RecursionError`` by the compiler.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import chain
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.lexer import Lexer
from lark.parse_tree_builder import ExpandSingleChild
from lark.parsers.lalr_analysis import Shift

from twinforge.execution.errors import PARSE_ERROR, ScriptError

_new_token = Token._future_new
"""lark's ``Token`` constructor without the wrapper that checks for deprecated keywords (lark is
pinned; the lexer makes hundreds of thousands of tokens per evaluation)."""

MAX_NESTING = 100
"""Deepest bracket nesting accepted, checked while lexing (model scripts use fewer than 10)."""


_STRING = r'"(?:\\.|[^"\\\n])*"'
_COMMENT = r"//[^\n]*|/\*[\s\S]*?\*/"
"""The language's string literal and comment, as the lexer and ``top_level_chunks`` read them."""


class FastLexer(Lexer):
    """One compiled regex for the whole token set; same tokens as the grammar's terminals.

    lark's own contextual lexer spends about 8 us per token; this one about 2 us. The token
    types are read from the grammar, so the grammar stays the single definition of the language.
    """

    def __init__(self, lexer_conf: Any):
        punctuation: dict[str, str] = {}
        self.keywords: dict[str, str] = {}
        for terminal in lexer_conf.terminals:
            if terminal.pattern.type == "str":
                value = terminal.pattern.value
                (self.keywords if value.isidentifier() else punctuation)[value] = terminal.name
        self.punctuation = punctuation
        ordered = sorted(punctuation, key=len, reverse=True)
        self.regex = re.compile(
            rf"[ \t\r\n\f]*(?:(?P<comment>{_COMMENT})"
            r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
            r"|(?P<number>(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+)"
            rf"|(?P<string>{_STRING})"
            "|(?P<punct>" + "|".join(re.escape(p) for p in ordered) + "))"
        )

    def lex(self, text: Any) -> Iterator[Token]:  # type: ignore[override]
        """Tokens of ``text``; whitespace is matched with the token after it (half the regex calls)."""
        text = text if isinstance(text, str) else getattr(text, "text", str(text))
        match = self.regex.match
        token = _new_token
        keywords, punctuation = self.keywords, self.punctuation
        pos, line, line_start, end, depth = 0, 1, 0, len(text), 0
        while pos < end:
            m = match(text, pos)
            start = _WHITESPACE.match(text, pos).end() if m is None else m.start(m.lastgroup)
            newlines = text.count("\n", pos, start)
            if newlines:
                line += newlines
                line_start = text.rindex("\n", pos, start) + 1
            if m is None:
                if start == end:
                    return
                raise ScriptError(PARSE_ERROR, f"line {line}, column {start - line_start + 1}: unexpected character "
                                  f"{text[start]!r}", line)
            pos = start
            kind = m.lastgroup
            value = m.group(kind)
            if kind == "name":
                yield token(keywords.get(value, "NAME"), value, pos, line, pos - line_start + 1)
            elif kind == "punct":
                if value in "([{":
                    depth += 1
                    if depth > MAX_NESTING:
                        raise ScriptError(PARSE_ERROR, f"brackets nest deeper than {MAX_NESTING} levels", line)
                elif value in ")]}":
                    depth -= 1
                yield token(punctuation[value], value, pos, line, pos - line_start + 1)
            elif kind == "number":
                yield token("NUMBER", value, pos, line, pos - line_start + 1)
            elif kind == "string":
                yield token("STRING", value, pos, line, pos - line_start + 1)
            elif "\n" in value:
                line += value.count("\n")
                line_start = pos + value.rindex("\n") + 1
            pos = m.end()

    def pairs(self, text: str, kept: frozenset[str]) -> list[tuple[str, Any]] | None:
        """``(type, value)`` of every token, for ``_parse_fast``; None where ``lex`` would raise.

        Only the types in ``kept`` (those a tree holds) get a ``Token`` with its position; the
        others (brackets, ``;``, ``=`` ...) keep their bare text, which no tree callback reads.
        One regex scanner pass, lines counted only up to kept tokens: about a third less than ``lex``.
        """
        keywords, punctuation, token = self.keywords, self.punctuation, _new_token
        pairs: list[tuple[str, Any]] = []
        append = pairs.append
        depth = counted = line_start = 0
        line = 1
        m = None
        for m in iter(self.regex.scanner(text).match, None):
            kind = m.lastgroup
            if kind == "comment":
                continue
            value = m[kind]
            if kind == "punct":
                type_ = punctuation[value]
                if value in "([{":
                    depth += 1
                    if depth > MAX_NESTING:
                        return None
                elif value in ")]}":
                    depth -= 1
            elif kind == "name":
                type_ = keywords.get(value, "NAME")
            else:
                type_ = "NUMBER" if kind == "number" else "STRING"
            if type_ not in kept:
                append((type_, value))
                continue
            start = m.start(kind)
            newlines = text.count("\n", counted, start)
            if newlines:
                line += newlines
                line_start = text.rindex("\n", counted, start) + 1
            counted = start
            append((type_, token(type_, value, start, line, start - line_start + 1)))
        if _WHITESPACE.fullmatch(text, m.end() if m else 0) is None:
            return None
        return pairs


_WHITESPACE = re.compile(r"[ \t\r\n\f]*")

_STRUCTURE = re.compile(rf"{_STRING}|{_COMMENT}|([(\[{{])|([)\]])|(;)|(\}})")
"""The lexer's string and comment patterns, then the brackets: group 1 opens, 2 closes, 3 is ``;``
and 4 is ``}``. No other token holds ``"``, ``;`` or a bracket, and a ``/`` outside a comment is an
operator (the lexer tries comments first), so where the text lexes, this regex finds exactly
the lexer's strings, comments and brackets."""


_SKIPPED = rf"(?:[ \t\r\n\f]++|{_COMMENT})*+"
"""Whitespace and comments: what the lexer skips between two tokens."""

_GAP = re.compile(_SKIPPED)


def _simple_statement() -> re.Pattern[str]:
    """Text up to a ``;`` with no brace, no comment, and ``()`` and ``[]`` paired and nested at
    most 4 deep (group 1), then whitespace and comments: most statements of a model-building
    script (a call, a declaration, an assignment) in one match. Its repeats are possessive, so
    on a statement it does not cover it fails without backtracking."""
    atom = rf'[^"/;{{}}()\[\]]++|/(?![/*])|{_STRING}'
    group = rf"\((?:{atom})*+\)|\[(?:{atom})*+\]"
    for _ in range(3):
        group = rf"\((?:{atom}|{group})*+\)|\[(?:{atom}|{group})*+\]"
    return re.compile(rf"((?:{atom}|{group})*+;){_SKIPPED}")


_SIMPLE_STATEMENT = _simple_statement()

_NAME_CHAR = re.compile(r"[A-Za-z0-9_]")


def top_level_chunks(code: str) -> list[tuple[int, str]] | None:
    """``code`` cut into runs of whole top-level statements: ``(line of the first token, text)``.

    A chunk ends after a ``;`` at bracket depth 0 or a ``}`` that brings the depth back to 0,
    unless the next token is ``else`` (the ``if`` goes on) or ``;`` (an empty statement stays
    with the statement before it). The text runs from the chunk's first token to its last, so
    whitespace and comments between chunks are dropped. None where text is left after the last
    cut (a statement without its ``;``, a bracket left open) or a bracket closes that was not
    opened: no run of whole statements can end there.

    The cuts fall between the lexer's tokens wherever the text lexes (``_STRUCTURE``), so a
    caller must take a chunk that does not lex or parse as a sign to parse the whole script
    instead. Where every chunk parses, the chunks' statements are the whole script's: ``start:
    _stmt*`` is closed under concatenation, and the grammar's one conflict (a dangling ``else``,
    resolved as shift) never spans a cut, since no chunk ends just before an ``else``.
    """
    gap, simple = _GAP.match, _SIMPLE_STATEMENT.match
    end = len(code)
    start = pos = gap(code).end()
    line = 1 + code.count("\n", 0, start)
    chunks: list[tuple[int, str]] = []
    while pos < end:
        m = simple(code, pos)
        if m is not None:
            cut, following = m.end(1), m.end()
        else:
            cut = _statement_end(code, pos)
            if cut is None:
                return None
            following = gap(code, cut).end()
        if following < end and (code[following] == ";" or (
                code.startswith("else", following) and _NAME_CHAR.match(code, following + 4) is None)):
            pos = following
            continue
        chunks.append((line, code[start:cut]))
        line += code.count("\n", start, following)
        start = pos = following
    return chunks


def _statement_end(code: str, pos: int) -> int | None:
    """End of the first ``;`` at bracket depth 0 or ``}`` back at depth 0 from ``pos`` (at depth
    0); None where there is none, or a bracket closes that ``pos`` did not see open."""
    depth = 0
    for m in _STRUCTURE.finditer(code, pos):
        kind = m.lastindex
        if kind is None:
            continue
        if kind == 1:
            depth += 1
        elif kind == 3:
            if not depth:
                return m.end()
        else:
            depth -= 1
            if depth < 0:
                return None
            if not depth and kind == 4:
                return m.end()
    return None


@lru_cache(maxsize=1)
def get_parser() -> Lark:
    """The LALR parser, built once per process (about 0.1 s)."""
    grammar = resources.files("twinforge.execution").joinpath("grammar.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer=FastLexer, maybe_placeholders=True)


def parse(code: str, *, max_chars: int = 1_000_000) -> Tree:
    """Parse ``code`` into a lark tree; raise ``ScriptError('parse_error')`` with line and column."""
    if len(code) > max_chars:
        raise ScriptError(PARSE_ERROR, f"the script has {len(code):,} characters; the limit is {max_chars:,}")
    try:
        tree = _parse_fast(code)
        return get_parser().parse(code) if tree is None else tree
    except UnexpectedInput as error:
        raise ScriptError(PARSE_ERROR, _describe(error, code), getattr(error, "line", None)) from None


Action = tuple[bool, Any, Any, Any]
"""A parse-table entry: ``(True, next state, None, None)`` to shift, or ``(False, rule length,
rule callback, rule name)`` to reduce; a reduce's callback is None for a ``?rule`` alternative of
one kept symbol, whose value is that symbol's value (a "unit" reduce)."""


@dataclass(frozen=True)
class _Tables:
    """lark's LALR table with each reduce's rule length, callback and name looked up in advance,
    and the terminal types that trees keep (the others are filtered out by every rule).

    ``units`` fills up as scripts are parsed: ``(state below, state, token type)`` -> the state
    that a run of unit reduces ends in. Such a run depends only on those three (each reduce
    replaces the top state by a goto from the same state below), and one look-up replaces about
    four table steps."""

    actions: dict[Any, dict[str, Action]]
    gotos: dict[Any, dict[str, Any]]
    start: Any
    end: Any
    kept: frozenset[str]
    units: dict[tuple[Any, Any, str], Any] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """The tables of ``get_parser()``, rearranged once per process for ``_parse_fast``.

    Rule names become plain strings: lark's are ``Token`` objects, whose Python-level ``__eq__``
    made each table look-up slow. The grammar has no terminal callbacks, so a shift only pushes."""
    parser = get_parser()
    inner = parser.parser.parser.parser
    table, callbacks = inner.parse_table, inner.callbacks
    kept = frozenset(symbol.name for rule in parser.rules for symbol in rule.expansion
                     if symbol.is_term and not symbol.filter_out)
    actions: dict[Any, dict[str, Action]] = {}
    gotos: dict[Any, dict[str, Any]] = {}
    for state, row in table.states.items():
        actions[state], gotos[state] = {}, {}
        for symbol, (action, arg) in row.items():
            if action is Shift:
                actions[state][symbol] = (True, arg, None, None)
                gotos[state][str(symbol)] = arg
            else:
                callback = None if _passes_through(arg, callbacks[arg]) else callbacks[arg]
                actions[state][symbol] = (False, len(arg.expansion), callback, str(arg.origin.name))
    return _Tables(actions, gotos, table.start_states["start"], table.end_states["start"], kept)


def _passes_through(rule: Any, callback: Any) -> bool:
    """Whether reducing ``rule`` returns its only child: a one-symbol ``?rule`` alternative whose
    callback lark built as a bare ``ExpandSingleChild`` (no child filter, no positions)."""
    return len(rule.expansion) == 1 and type(callback) is ExpandSingleChild


class _Retry(Exception):
    """The token pairs cannot say where a syntax error is: parse again with full tokens."""


def _parse_fast(code: str) -> Tree | None:
    """The tree lark's LALR parser builds for ``code``, by the same table and callbacks in a tighter
    loop (lark's loop cost about half of a build).

    Raises what lark's parser raises at the same token (``UnexpectedToken``, or the lexer's
    ``ScriptError``); returns None only where lark would fail an internal assertion, so ``parse``
    reruns lark itself. The fast token pairs are tried first; a script they cannot lex, or one
    with a syntax error, is parsed again from ``lex``'s tokens, which carry every position."""
    lexer = get_parser().parser.lexer.lexer
    pairs = lexer.pairs(code, _tables().kept)
    if pairs is not None:
        try:
            return _drive(pairs, exact=False)
        except _Retry:
            pass
    return _drive(((token.type, token) for token in lexer.lex(code)), exact=True)


def _drive(pairs: Iterable[tuple[str, Any]], *, exact: bool) -> Tree | None:
    """Run the LALR table over ``(type, value)`` pairs. A syntax error raises lark's error when
    ``exact`` (every value is a ``Token``), else ``_Retry``."""
    tables = _tables()
    actions, gotos, units, end = tables.actions, tables.gotos, tables.units, tables.end
    state = tables.start
    state_stack, value_stack = [state], []
    last = None
    for kind, token in chain(pairs, (("$END", None),)):
        while True:
            entry = actions[state].get(kind)
            if entry is None:
                if not exact:
                    raise _Retry
                raise _unexpected(token or _end_token(last), state)
            shift, arg, callback, name = entry
            if shift:
                if token is None:
                    return None
                state = arg
                state_stack.append(state)
                value_stack.append(token)
                last = token
                break
            if callback is None:
                key = (state_stack[-2], state, kind)
                state = units.get(key)
                if state is None:
                    state = units[key] = _after_units(tables, *key)
                state_stack[-1] = state
            else:
                children = value_stack[-arg:] if arg else []
                if arg:
                    del state_stack[-arg:]
                    del value_stack[-arg:]
                state = gotos[state_stack[-1]][name]
                state_stack.append(state)
                value_stack.append(callback(children))
            if token is None and state == end:
                return value_stack[-1]
    return None


def _after_units(tables: _Tables, below: Any, state: Any, kind: str) -> Any:
    """The state after every unit reduce that ``kind`` sets off in ``state`` (above ``below``)."""
    while True:
        entry = tables.actions[state].get(kind)
        if entry is None or entry[0] or entry[2] is not None:
            return state
        state = tables.gotos[below][entry[3]]


def _end_token(last: Token | None) -> Token:
    """The ``$END`` token lark feeds after the last token (positioned at it)."""
    return Token.new_borrow_pos("$END", "", last) if last else Token("$END", "", 0, 1, 1)


def _unexpected(token: Token, state: Any) -> UnexpectedToken:
    """The error lark's parser raises for ``token`` in ``state``."""
    row = get_parser().parser.parser.parser.parse_table.states[state]
    return UnexpectedToken(token, {symbol for symbol in row if symbol.isupper()}, state=None,
                           interactive_parser=None)


def first_line(tree: Tree | Token | None) -> int | None:
    """Line of the leftmost token under ``tree`` (positions are not propagated, for speed)."""
    node = tree
    while isinstance(node, Tree):
        for child in node.children:
            if child is not None:
                node = child
                break
        else:
            return None
    return node.line if isinstance(node, Token) else None


def _describe(error: UnexpectedInput, code: str) -> str:
    where = f"line {error.line}, column {error.column}" if getattr(error, "line", -1) not in (None, -1) else ""
    if isinstance(error, UnexpectedCharacters):
        char = code[error.pos_in_stream] if 0 <= error.pos_in_stream < len(code) else "?"
        return f"{where}: unexpected character {char!r}"
    if isinstance(error, UnexpectedEOF):
        return "unexpected end of the script (a missing ';', ')' or '}'?)"
    if isinstance(error, UnexpectedToken):
        if error.token.type == "$END":
            return "unexpected end of the script (a missing ';', ')' or '}'?)"
        expected = sorted(_pretty(name) for name in error.expected)[:8]
        return f"{where}: unexpected {error.token.value!r}; expected one of {', '.join(expected)}"
    return f"{where}: syntax error"


_PUNCTUATION = {
    "SEMICOLON": "';'", "RPAR": "')'", "LPAR": "'('", "RBRACE": "'}'", "LBRACE": "'{'", "COMMA": "','",
    "RSQB": "']'", "LSQB": "'['", "EQUAL": "'='", "COLON": "':'", "DOT": "'.'",
}


def _pretty(name: str) -> str:
    return _PUNCTUATION.get(name, name.lower())
