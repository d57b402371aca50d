"""Parse the FlexScript subset into lark trees: the one entry point, ``parse``.

By default a script is read by the fast reader (``fast_parse``, the LALR table of lark driven
by a tighter loop); with ``fast=False`` (or ``fast_parse.ENABLED`` off) by plain lark
(``grammar.lark_parser``). Both give the same trees. Deep bracket nesting is refused by the fast
lexer, so 10,000 nested blocks are a quick ``parse_error``; other deep nesting (long chains of
unary operators or unbraced ``if``) is caught as ``RecursionError`` by the compiler.
"""

from __future__ import annotations

from lark import Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from twinforge.execution.errors import PARSE_ERROR, ScriptError
from twinforge.execution.fast_parse import fast_enabled, parse_fast
from twinforge.execution.grammar import lark_parser


def parse(code: str, *, max_chars: int = 1_000_000, fast: bool | None = None) -> Tree:
    """Parse ``code`` into a lark tree; raise ``ScriptError('parse_error')`` with line and column.

    ``fast`` chooses the reader (None: the switch, ``fast_parse.ENABLED``)."""
    if len(code) > max_chars:
        raise ScriptError(PARSE_ERROR, f"the script has {len(code):,} characters; the limit is {max_chars:,}")
    try:
        if fast_enabled() if fast is None else fast:
            return parse_fast(code)
        return lark_parser().parse(code)
    except UnexpectedInput as error:
        raise ScriptError(PARSE_ERROR, _describe(error, code), getattr(error, "line", None)) from None


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
    """The parse error's message: where it is and what was found (and expected)."""
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
    """A terminal's name as a message shows it: punctuation quoted, keywords in lower case."""
    return _PUNCTUATION.get(name, name.lower())
