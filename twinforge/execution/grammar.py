"""The FlexScript grammar: ``grammar.lark`` (package data) plus the token patterns of
``schemas.flexscript_lexicon``, and the plain lark parser built from it.

The grammar is twinforge's reading of the language notes in reference/flexscript.md section 5;
it is not FlexSim's grammar. ``lark_parser()`` is lark alone (its own lexer and LALR parser):
the readable reference reading of a script, which the fast reader (``fast_parse``) must match
tree for tree (tests/execution/test_fast_parse.py).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from lark import Lark

from twinforge.schemas.flexscript_lexicon import (
    BLOCK_COMMENT_PATTERN,
    LINE_COMMENT_PATTERN,
    LITERAL_NUMBER_PATTERN,
    NAME_PATTERN,
    STRING_PATTERN,
    WHITESPACE_CLASS,
)

LEXICON_TERMINALS = {
    "NAME": NAME_PATTERN,
    "NUMBER": LITERAL_NUMBER_PATTERN,
    "STRING": STRING_PATTERN,
    "COMMENT": LINE_COMMENT_PATTERN,
    "BLOCK_COMMENT": BLOCK_COMMENT_PATTERN,
    "WHITESPACE": f"{WHITESPACE_CLASS}+",
}
"""The grammar's regex terminals, by name: the lexicon's patterns."""


def _regex_literal(pattern: str) -> str:
    """``pattern`` as a lark regex literal (``/.../``, with its slashes escaped)."""
    return "/" + pattern.replace("/", "\\/") + "/"


@lru_cache(maxsize=1)
def grammar_text() -> str:
    """The grammar lark compiles: the rules of ``grammar.lark`` and the lexicon's terminals."""
    rules = resources.files("twinforge.execution").joinpath("grammar.lark").read_text(encoding="utf-8")
    terminals = "".join(f"{name}: {_regex_literal(pattern)}\n" for name, pattern in LEXICON_TERMINALS.items())
    return f"{rules}\n{terminals}"


@lru_cache(maxsize=1)
def lark_parser() -> Lark:
    """Plain lark's LALR parser with its basic lexer, built once per process (about 0.1 s).

    The basic lexer sees every terminal in every state, as the fast lexer does (lark's default
    contextual lexer would read a misplaced keyword such as ``x = if;`` as a name)."""
    return Lark(grammar_text(), parser="lalr", lexer="basic", maybe_placeholders=True)
