"""``schemas.flexscript_lexicon``: the shared token patterns accept exactly what the copies they
replaced accepted (the copies are written out below), wherever they are used."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from twinforge.execution import sandbox
from twinforge.metrics import textual, values
from twinforge.schemas.flexscript_lexicon import NUMBER_PATTERN, STRING_PATTERN

OLD_GRAMMAR_NUMBER = re.compile(r"(\d+\.\d*|\.\d+)([eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+")
OLD_GRAMMAR_STRING = re.compile(r'"(\\.|[^"\\\n])*"')
OLD_METRICS_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
OLD_CODE_NUMBER = r"-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?"
OLD_STANDARD_CODE = re.compile(
    r"\s*Object current = ownerobject\(c\);\s*Object item = param\(1\);\s*return\s+"
    rf"(?:(?P<name>[A-Za-z_]\w*)\(\s*(?P<args>{OLD_CODE_NUMBER}(?:\s*,\s*{OLD_CODE_NUMBER})*)"
    r"(?P<stream>\s*,\s*getstream\(current\))?\s*\)|(?P<constant>" + OLD_CODE_NUMBER + r"))\s*;\s*"
)
OLD_TOKENS = re.compile('(' + values.STRING_PATTERN + r')|(//[^\n]*|/\*.*?\*/)', re.DOTALL)

NUMBERS = st.text(alphabet="0123456789.eE+- ", max_size=12)
TEXTS = st.text(alphabet='ab1.e+-"\\/*\n ;', max_size=40)
HEADER = "Object current = ownerobject(c);\nObject item = param(1);\nreturn "


def spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """Where ``pattern`` matches, from every start position (how a lexer tries it)."""
    found = []
    for start in range(len(text) + 1):
        match = pattern.match(text, start)
        found.append(match.span() if match else (-1, -1))
    return found


@settings(max_examples=300, deadline=None)
@given(NUMBERS)
def test_numbers_are_the_same_language(text: str) -> None:
    assert bool(values.NUMBER.fullmatch(text)) == bool(OLD_METRICS_NUMBER.fullmatch(text))
    assert bool(re.fullmatch(OLD_CODE_NUMBER, text)) == bool(re.fullmatch(sandbox._NUMBER, text))
    assert spans(re.compile(NUMBER_PATTERN), text) == spans(OLD_GRAMMAR_NUMBER, text)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_strings_and_comments_are_found_alike(text: str) -> None:
    """The string pattern is the old one plus C's line continuation (a backslash before a line break)."""
    continued = re.compile(r'"(\\(\r\n|[\s\S])|[^"\\\n])*"')
    assert spans(re.compile(STRING_PATTERN), text) == spans(continued, text)
    if "\\\n" not in text:
        assert spans(re.compile(STRING_PATTERN), text) == spans(OLD_GRAMMAR_STRING, text)
    new = [(m.span(), m.lastindex) for m in textual._TOKENS.finditer(text)]
    assert new == [(m.span(), m.lastindex) for m in OLD_TOKENS.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(NUMBERS, min_size=1, max_size=3), st.booleans(), st.booleans())
def test_standard_code_strings_are_read_alike(numbers: list[str], call: bool, stream: bool) -> None:
    body = f"normal({', '.join(numbers)}{', getstream(current)' if stream else ''})" if call else numbers[0]
    code = f"{HEADER}{body};"
    old, new = OLD_STANDARD_CODE.fullmatch(code), sandbox._STANDARD_CODE.fullmatch(code)
    assert (old and old.groupdict()) == (new and new.groupdict())

