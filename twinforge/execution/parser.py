"""Parse the FlexScript subset with a cached LALR(1) lark parser.

The grammar (``grammar.lark``, package data) is twinforge's reading of the language notes in
reference/flexscript.md section 5; it is not FlexSim's grammar. Deep bracket nesting is refused
while lexing, so 10,000 nested blocks are a quick ``parse_error``; other deep nesting (long
chains of unary operators or unbraced ``if``) is caught as ``RecursionError`` by the compiler.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.lexer import Lexer
from lark.parsers.lalr_analysis import Shift

from twinforge.execution.errors import PARSE_ERROR, ScriptError

MAX_NESTING = 100
"""Deepest bracket nesting accepted, checked while lexing (model scripts use fewer than 10)."""


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
            r"(?P<ws>[ \t\r\n\f]+)|(?P<comment>//[^\n]*|/\*[\s\S]*?\*/)"
            r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
            r"|(?P<number>(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+)"
            r'|(?P<string>"(?:\\.|[^"\\\n])*")'
            "|(?P<punct>" + "|".join(re.escape(p) for p in ordered) + ")"
        )

    def lex(self, text: Any) -> Iterator[Token]:  # type: ignore[override]
        text = text if isinstance(text, str) else getattr(text, "text", str(text))
        match = self.regex.match
        keywords, punctuation = self.keywords, self.punctuation
        pos, line, line_start, end, depth = 0, 1, 0, len(text), 0
        while pos < end:
            m = match(text, pos)
            if m is None:
                raise ScriptError(PARSE_ERROR, f"line {line}, column {pos - line_start + 1}: unexpected character "
                                  f"{text[pos]!r}", line)
            kind = m.lastgroup
            value = m.group()
            if kind == "name":
                yield Token(keywords.get(value, "NAME"), value, pos, line, pos - line_start + 1)
            elif kind == "punct":
                if value in "([{":
                    depth += 1
                    if depth > MAX_NESTING:
                        raise ScriptError(PARSE_ERROR, f"brackets nest deeper than {MAX_NESTING} levels", line)
                elif value in ")]}":
                    depth -= 1
                yield Token(punctuation[value], value, pos, line, pos - line_start + 1)
            elif kind == "number":
                yield Token("NUMBER", value, pos, line, pos - line_start + 1)
            elif kind == "string":
                yield Token("STRING", value, pos, line, pos - line_start + 1)
            if kind != "name" and kind != "punct" and "\n" in value:
                line += value.count("\n")
                line_start = pos + value.rindex("\n") + 1
            pos = m.end()


@lru_cache(maxsize=1)
def get_parser() -> Lark:
    """The LALR parser, built once per process (about 0.1 s)."""
    grammar = resources.files("twinforge.execution").joinpath("grammar.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer=FastLexer, maybe_placeholders=True)


def parse(code: str, *, max_chars: int = 1_000_000) -> Tree:
    """Parse ``code`` into a lark tree; raise ``ScriptError('parse_error')`` with line and column."""
    if len(code) > max_chars:
        raise ScriptError(PARSE_ERROR, f"the script has {len(code):,} characters; the limit is {max_chars:,}")
    tree = _parse_fast(code)
    if tree is not None:
        return tree
    try:
        return get_parser().parse(code)
    except UnexpectedInput as error:
        raise ScriptError(PARSE_ERROR, _describe(error, code), getattr(error, "line", None)) from None


Action = tuple[bool, Any, Any, Any]
"""A parse-table entry: ``(True, next state, token callback, None)`` to shift, or
``(False, rule length, rule callback, rule name)`` to reduce."""


@dataclass(frozen=True)
class _Tables:
    """lark's LALR table with each reduce's rule length, callback and name looked up in advance."""

    states: dict[Any, dict[str, Action]]
    start: Any
    end: Any


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """The tables of ``get_parser()``, rearranged once per process for ``_parse_fast``.

    Rule names become plain strings: lark's are ``Token`` objects, whose Python-level ``__eq__``
    made each table look-up slow."""
    inner = get_parser().parser.parser.parser
    table, callbacks = inner.parse_table, inner.callbacks
    states: dict[Any, dict[str, Action]] = {}
    for state, row in table.states.items():
        states[state] = {}
        for symbol, (action, arg) in row.items():
            if action is Shift:
                states[state][symbol] = (True, arg, callbacks.get(symbol), None)
            else:
                states[state][symbol] = (False, len(arg.expansion), callbacks[arg], str(arg.origin.name))
    return _Tables(states, table.start_states["start"], table.end_states["start"])


def _parse_fast(code: str) -> Tree | None:
    """The tree lark's LALR parser builds for ``code``, by the same table and callbacks in a tighter
    loop (lark's loop costs about half of a build); None when the script does not parse, so
    ``parse`` reruns lark's own parser for its exact error."""
    tables = _tables()
    states, state_stack, value_stack = tables.states, [tables.start], []
    try:
        for token in get_parser().parser.lexer.lexer.lex(code):
            if not _feed(states, state_stack, value_stack, token.type, token):
                return None
    except ScriptError:
        return None
    if not _feed(states, state_stack, value_stack, "$END", None, tables.end):
        return None
    return value_stack[-1]


def _feed(states: dict[Any, dict[str, Action]], state_stack: list, value_stack: list, kind: str,
          token: Token | None, end: Any = None) -> bool:
    """Reduce as the table says, then shift ``token`` (or, for ``$END``, stop at ``end``); False on a
    token the table does not accept here."""
    while True:
        entry = states[state_stack[-1]].get(kind)
        if entry is None:
            return False
        shift, arg, callback, name = entry
        if shift:
            if token is None:
                return False
            state_stack.append(arg)
            value_stack.append(token if callback is None else callback(token))
            return True
        if arg:
            children = value_stack[-arg:]
            del state_stack[-arg:]
            del value_stack[-arg:]
        else:
            children = []
        goto = states[state_stack[-1]][name]
        state_stack.append(goto[1])
        value_stack.append(callback(children))
        if token is None and state_stack[-1] == end:
            return True




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
