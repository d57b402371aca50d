"""Which characters a spec's names may hold, and how a message shows text safely.

A name ends up in an SVG ``<text>`` (XML 1.0), in a FlexScript string literal, in prompts and on
the terminal. So it holds printable text only: no control characters (C0, DEL, C1: NUL, BEL, ESC,
tabs and newlines among them), no surrogates (they cannot be written as UTF-8), no noncharacters
(U+FFFE and U+FFFF are not XML), no line or paragraph separators and no bidirectional controls
(they reorder what a reader sees). Names also keep the older rules: no quotes or backslashes, no
leading or trailing spaces.
"""

from __future__ import annotations

import unicodedata

MAX_NAME_LENGTH = 80
"""Longest object, step or item-class name, in characters."""

QUOTE_CHARACTERS = frozenset('"\\')
"""Characters a name may not hold beyond the unwritable ones (a FlexScript literal would need escapes)."""
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Arabic letter mark, LRM/RLM, the embeddings and overrides, and the isolates."""
_UNWRITABLE_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})


def unwritable(char: str) -> bool:
    """Whether ``char`` may not appear in a name or other spec text (see the module docstring)."""
    code = ord(char)
    return (unicodedata.category(char) in _UNWRITABLE_CATEGORIES or char in BIDI_CONTROLS
            or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE)


def character_problem(text: str) -> str | None:
    """The first unwritable character of ``text`` described (``the control character U+001B at
    position 4``), or None when every character may be written.

    Printable text (``str.isprintable``: no character of the categories C or Z but the space) holds
    none of them, which one C-level call settles for nearly every name (checked on every code point
    in tests/schemas)."""
    if text.isprintable():
        return None
    for position, char in enumerate(text):
        if unwritable(char):
            what = {"Cc": "control character", "Cs": "surrogate", "Zl": "line separator",
                    "Zp": "paragraph separator"}.get(unicodedata.category(char), "character")
            if char in BIDI_CONTROLS:
                what = "bidirectional control"
            return f"the {what} U+{ord(char):04X} at position {position}"
    return None


def checked_text(text: str) -> str:
    """``text`` unchanged; ``ValueError`` naming the first unwritable character."""
    return _printable_only(text, "text")


def checked_reference(name: str) -> str:
    """A name that refers to an object (a connection end): as :func:`checked_text`."""
    return _printable_only(name, "name")


def _printable_only(text: str, noun: str) -> str:
    problem = character_problem(text)
    if problem is not None:
        raise ValueError(f"{noun} {shown(text)} must not contain {problem}; only printable characters are allowed")
    return text


def checked_name(name: str) -> str:
    """``name`` unchanged; ``ValueError`` when it holds an unwritable character, a quote or a
    backslash, or starts or ends with spaces."""
    _printable_only(name, "name")
    if QUOTE_CHARACTERS.intersection(name) or name != name.strip():
        raise ValueError(
            f"name {shown(name)} must not contain quotes or backslashes, nor start or end with spaces"
        )
    return name


def shown(text: str, limit: int = MAX_NAME_LENGTH) -> str:
    """``text`` in single quotes for a message, as other messages quote names, with non-printable
    characters escaped (:func:`printable`) and cut to ``limit`` characters so a huge input cannot
    flood the terminal."""
    if len(text) > limit:
        return f"'{printable(text[:limit])}'... ({len(text)} characters)"
    return f"'{printable(text)}'"


def printable(message: str) -> str:
    """``message`` with every non-printable character written as a Python escape (``\\x1b``), so
    no input can drive the terminal that shows it."""
    if message.isprintable():
        return message
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in message)
