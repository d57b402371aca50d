"""FlexScript's token patterns, written once for every reader of FlexScript text.

The interpreter's grammar and lexer (``twinforge.execution``), the code-string shortcut of the
sandbox and the textual metrics (``twinforge.metrics``) all read names, numbers, string literals
and comments; they take the patterns from here. This module is a leaf (it imports only ``re``),
so both packages may import it. Patterns are regex source text, for callers to compose.
"""

from __future__ import annotations

NAME_PATTERN = r"[A-Za-z_][A-Za-z0-9_]*"
"""An identifier: a keyword, a variable, a type, a function or a namespace."""

NUMBER_PATTERN = r"(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+"
"""An unsigned number literal (a sign is a unary operator). Its alternatives are ordered so that
a prefix match (the lexer's) takes the longest number."""

HEX_NUMBER_PATTERN = r"0[xX][0-9A-Fa-f]+"
"""A hexadecimal integer literal (``0xFF``), as in C."""

LITERAL_NUMBER_PATTERN = rf"{HEX_NUMBER_PATTERN}|{NUMBER_PATTERN}"
"""A number token of the language: hexadecimal first, so that ``0x1F`` is one token."""

SIGNED_NUMBER_PATTERN = rf"[+-]?(?:{NUMBER_PATTERN})"
"""A number as written text that the metrics read: a sign is part of a written value (``-5``)."""

NEGATIVE_NUMBER_PATTERN = rf"-?(?:{NUMBER_PATTERN})"
"""A number in a standard code string (``return normal(-1, 2);``): only ``-`` gives the same
value without running the code; a ``+`` goes through the interpreter."""

STRING_PATTERN = r'"(?:\\(?:\r\n|[\s\S])|[^"\\\n])*"'
"""A string literal as the language has it: C escapes, and no line break inside the quotes except
one right after a backslash (C's line continuation, which the string does not contain)."""

LENIENT_STRING_PATTERN = r'"[^"\\]*(?:\\.[^"\\]*)*"'
"""A string literal as the textual metrics read it: compiled with ``re.DOTALL`` it may span lines,
so a prediction with a broken line still has its strings found. Written unrolled (a regex group
per escape, not per character) for speed."""

LINE_COMMENT_PATTERN = r"//[^\n]*"
BLOCK_COMMENT_PATTERN = r"/\*[\s\S]*?\*/"
COMMENT_PATTERN = f"{LINE_COMMENT_PATTERN}|{BLOCK_COMMENT_PATTERN}"
"""A ``//`` comment to the end of its line, or a ``/* */`` comment (which may span lines)."""

WHITESPACE_CLASS = r"[ \t\r\n\f]"
"""One character of the whitespace between tokens."""
