"""The fast reader of FlexScript: the same lark trees as plain lark, several times faster.

Everything optimised about reading a script is here, behind one switch (``ENABLED``):

- ``FastLexer``: one compiled regex for the whole token set (lark's contextual lexer costs about
  8 us per token, this one about 2 us); it refuses brackets nested deeper than ``MAX_NESTING``;
- ``parse_fast``: lark's own LALR table and tree callbacks, driven by a tighter loop over cheap
  ``(type, value)`` token pairs, falling back to full tokens (and to lark) for exact errors;
- ``top_level_chunks``: a script cut into runs of whole top-level statements, which the sandbox
  compiles and caches one by one, and ``literal_spans``, their literals and variable names, which
  the sandbox's cache looks past.

The plain reading is ``grammar.lark_parser()``; tests/execution/test_fast_parse.py demands
identical trees from both on every golden script and some hundreds of generated ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedToken
from lark.lexer import Lexer
from lark.parse_tree_builder import ExpandSingleChild
from lark.parsers.lalr_analysis import Shift

from twinforge.execution.errors import PARSE_ERROR, ScriptError
from twinforge.execution.grammar import grammar_text
from twinforge.schemas.flexscript_lexicon import (
    COMMENT_PATTERN,
    LITERAL_NUMBER_PATTERN,
    NAME_PATTERN,
    STRING_PATTERN,
    WHITESPACE_CLASS,
)

ENABLED = True
"""The switch: False makes ``parser.parse`` read with plain lark and the sandbox compile long
scripts whole instead of from cached top-level statements (same trees, slower; for debugging)."""


def fast_enabled() -> bool:
    """Whether the switch is on, read at each call (so a test may flip ``ENABLED``)."""
    return ENABLED

MAX_NESTING = 100
"""Deepest bracket nesting accepted, checked while lexing (model scripts use fewer than 10)."""

_new_token = Token._future_new
"""lark's ``Token`` constructor without the wrapper that checks for deprecated keywords (lark is
pinned; the lexer makes hundreds of thousands of tokens per evaluation)."""


class FastLexer(Lexer):
    """One compiled regex for the whole token set; same tokens as the grammar's terminals.

    The token types of keywords and punctuation are read from the grammar, the patterns of the
    others are the lexicon's, so the grammar stays the single definition of the language.
    """

    def __init__(self, lexer_conf: Any) -> None:
        punctuation: dict[str, str] = {}
        self.keywords: dict[str, str] = {}
        for terminal in lexer_conf.terminals:
            if terminal.pattern.type == "str":
                value = terminal.pattern.value
                (self.keywords if value.isidentifier() else punctuation)[value] = terminal.name
        self.punctuation = punctuation
        ordered = sorted(punctuation, key=len, reverse=True)
        self.regex = re.compile(
            rf"{WHITESPACE_CLASS}*(?:(?P<comment>{COMMENT_PATTERN})|(?P<name>{NAME_PATTERN})"
            rf"|(?P<number>{LITERAL_NUMBER_PATTERN})|(?P<string>{STRING_PATTERN})"
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
                if "\n" in value:  # a line continuation inside the string
                    line += value.count("\n")
                    line_start = pos + value.rindex("\n") + 1
            elif "\n" in value:
                line += value.count("\n")
                line_start = pos + value.rindex("\n") + 1
            pos = m.end()

    def pairs(self, text: str, kept: frozenset[str]) -> list[tuple[str, Any]] | None:
        """``(type, value)`` of every token, for ``parse_fast``; None where ``lex`` would raise.

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

    def literals(self, text: str, fixed: frozenset[str]) -> list[tuple[str, int, int]] | None:
        """``(type, start, end)`` of every number and string literal and of every name that can
        only be a variable's: not a keyword, not in ``fixed``, not after ``.`` (a member) and not
        before ``(`` (a function) or another name (a type). By the scanner of ``pairs`` (so the
        same tokens) but making no token objects; None where ``text`` is left with something the
        scanner cannot read."""
        keywords = self.keywords
        found: list[tuple[str, int, int]] = []
        previous = ""
        name: tuple[str, int, int] | None = None
        m = None
        for m in iter(self.regex.scanner(text).match, None):
            kind = m.lastgroup
            if kind == "comment":
                continue
            value = m[kind]
            if name is not None:
                if kind != "name" and value != "(":
                    found.append(name)
                name = None
            if kind == "number":
                found.append(("NUMBER", m.start(kind), m.end()))
            elif kind == "string":
                found.append(("STRING", m.start(kind), m.end()))
            elif kind == "name" and previous != "." and value not in keywords and value not in fixed:
                name = ("NAME", m.start(kind), m.end())
            previous = value
        if name is not None:
            found.append(name)
        if _WHITESPACE.fullmatch(text, m.end() if m else 0) is None:
            return None
        return found


_WHITESPACE = re.compile(f"{WHITESPACE_CLASS}*")

_STRUCTURE = re.compile(rf"{STRING_PATTERN}|{COMMENT_PATTERN}|([(\[{{])|([)\]])|(;)|(\}})")
"""The lexer's string and comment patterns, then the brackets: group 1 opens, 2 closes, 3 is ``;``
and 4 is ``}``. No other token holds ``"``, ``;`` or a bracket, and a ``/`` outside a comment is an
operator (the lexer tries comments first), so where the text lexes, this regex finds exactly
the lexer's strings, comments and brackets."""


_SKIPPED = rf"(?:{WHITESPACE_CLASS}++|{COMMENT_PATTERN})*+"
"""Whitespace and comments: what the lexer skips between two tokens."""

_GAP = re.compile(_SKIPPED)


def _simple_statement() -> re.Pattern[str]:
    """Text up to a ``;`` with no brace, no comment, and ``()`` and ``[]`` paired and nested at
    most 4 deep (group 1), then whitespace and comments: most statements of a model-building
    script (a call, a declaration, an assignment) in one match. Its repeats are possessive, so
    on a statement it does not cover it fails without backtracking."""
    atom = rf'[^"/;{{}}()\[\]]++|/(?![/*])|{STRING_PATTERN}'
    group = rf"\((?:{atom})*+\)|\[(?:{atom})*+\]"
    for _ in range(3):
        group = rf"\((?:{atom}|{group})*+\)|\[(?:{atom}|{group})*+\]"
    return re.compile(rf"((?:{atom}|{group})*+;){_SKIPPED}")


_SIMPLE_STATEMENT = _simple_statement()

_NAME_CHAR = re.compile(r"[A-Za-z0-9_]")


def top_level_chunks(code: str) -> list[tuple[int, str]] | None:
    """``code`` cut into runs of whole top-level statements: ``(line of the first token, text)``.

    A chunk ends after a ``;`` at bracket depth 0 or a ``}`` that brings the depth back to 0,
    unless the next token is ``else`` (the ``if`` goes on), ``while`` after a chunk that starts
    with ``do`` (the loop's condition) or ``;`` (an empty statement stays with the statement
    before it). The text runs from the chunk's first token to its last, so
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
        if following < end and (code[following] == ";" or _word_at(code, following, "else") or (
                _word_at(code, following, "while") and _word_at(code, start, "do"))):
            pos = following
            continue
        chunks.append((line, code[start:cut]))
        line += code.count("\n", start, following)
        start = pos = following
    return chunks


def _word_at(code: str, pos: int, word: str) -> bool:
    """Whether the keyword ``word`` (not a longer name) starts at ``pos``."""
    return code.startswith(word, pos) and _NAME_CHAR.match(code, pos + len(word)) is None


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
def fast_parser() -> Lark:
    """lark's LALR parser with ``FastLexer``, built once per process (about 0.1 s): its table and
    tree callbacks are what ``parse_fast`` drives."""
    return Lark(grammar_text(), parser="lalr", lexer=FastLexer, maybe_placeholders=True)


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
    """The tables of ``fast_parser()``, rearranged once per process for ``parse_fast``.

    Rule names become plain strings: lark's are ``Token`` objects, whose Python-level ``__eq__``
    made each table look-up slow. The grammar has no terminal callbacks, so a shift only pushes."""
    parser = fast_parser()
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


def parse_fast(code: str) -> Tree:
    """The tree lark's LALR parser builds for ``code``, by the same table and callbacks in a tighter
    loop (lark's loop cost about half of a build).

    Raises what lark's parser raises at the same token (``UnexpectedToken``, or the lexer's
    ``ScriptError``). The fast token pairs are tried first; a script they cannot lex, or one with a
    syntax error, is parsed again from ``lex``'s tokens, which carry every position. Where the
    loop would fail one of lark's internal assertions, lark itself parses the script."""
    lexer = fast_parser().parser.lexer.lexer
    pairs = lexer.pairs(code, _tables().kept)
    exact = pairs is None
    if not exact:
        try:
            tree = _drive(pairs, exact=False)
        except _Retry:
            exact = True
    if exact:
        tree = _drive(((token.type, token) for token in lexer.lex(code)), exact=True)
    return fast_parser().parse(code) if tree is None else tree


def literal_spans(text: str, fixed: frozenset[str] = frozenset()) -> list[tuple[str, int, int]] | None:
    """``(type, start, end)`` of the number and string literals of ``text`` and of the names that
    can only be variables' (``FastLexer.literals``), in order, for the sandbox's literal-blind
    statement cache; None where the fast lexer cannot read ``text``."""
    return fast_parser().parser.lexer.lexer.literals(text, fixed)


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
    row = fast_parser().parser.parser.parser.parse_table.states[state]
    return UnexpectedToken(token, {symbol for symbol in row if symbol.isupper()}, state=None,
                           interactive_parser=None)
