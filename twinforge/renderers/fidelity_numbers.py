"""How the fidelity checker reads numbers: digits with their time units, count words, port numbers."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from twinforge.schemas import normalise_number

NUMBER = re.compile(r"(?<![0-9A-Za-z_.])(-?)([0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)(?![0-9])(st|nd|rd|th)?")
TIME_UNIT = re.compile(r"(?:\s?|-)(seconds?|secs?|s|minutes?|mins?|min|hours?|hrs?|hr|h|milliseconds?|ms)\b",
                       re.IGNORECASE)
"""A time unit right after a number (matched at the number's end: ``TIME_UNIT.match(text, end)``)."""
UNIT_FACTORS = {"s": 1.0, "min": 60.0, "h": 3600.0, "ms": 0.001}
RANGE_DASH = re.compile(r"(?<=[0-9])\s*[-–—]\s*(?=[0-9])")
SHARED_UNIT = re.compile(r"\s*(?:to|and|or)\s*$", re.IGNORECASE)
"""The gap of "20 to 40 s" or "2 and 3 min": the first number takes the second one's unit
(matched on the gap in place: ``SHARED_UNIT.match(text, start, end)``)."""

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
NUMBER_WORD = re.compile(
    r"\b(?:(" + "|".join(_TENS[2:]) + r")(?:[- ](" + "|".join(_ONES[1:10]) + r"))?|(" +
    "|".join(sorted(_ONES, key=len, reverse=True)) + r")|(single))\b", re.IGNORECASE)
_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth"]
PORT_MENTION = re.compile(
    r"\b(?:input\s+)?port\s+(?:number\s+)?([0-9]+|" + "|".join(_ONES[1:7]) + r")\b|"
    r"\b(" + "|".join(_ORDINALS) + r")\s+input(?:\s+port)?\b|\binput\s+([0-9]+)\b", re.IGNORECASE)
"""A port number: "input port 2", "port one", "the first input", "input 1"."""
FOLD_TRAPS = re.compile("[\u0130\u0131\u017f\u212a]")
"""The only characters beyond ASCII that ``re.IGNORECASE`` matches to an ASCII letter (İ ı ſ K); a test
re-derives them from every code point."""
_ASCII_OF_TRAPS = str.maketrans("\u0130\u0131\u017f\u212a", "iisk")


def folded(word: str) -> str:
    """A word a case-insensitive pattern matched, in the lower-case ASCII its alternatives are written in
    (``.lower()`` alone leaves "ſix" as it is, and "ſix" matches "six")."""
    return word.translate(_ASCII_OF_TRAPS).lower()


def may_mention_port(text: str) -> bool:
    """False only if ``PORT_MENTION`` cannot match: each of its matches holds "port" or "input", and
    without a ``FOLD_TRAPS`` character a case-insensitive match is one in the lower-cased text."""
    if FOLD_TRAPS.search(text):
        return True
    lowered = text.lower()
    return "port" in lowered or "input" in lowered


class Quantity(NamedTuple):
    """A number written in digits: as written (with its unit if that is not seconds), its value (times in
    seconds) and whether a time unit followed."""

    raw: str
    value: int | float
    timed: bool


def number_to_words(value: int) -> str:
    """English words for 0..99 (``25`` -> ``twenty-five``): the form the checker reads back."""
    if not 0 <= value < 100:
        raise ValueError(f"{value} has no word form here (0..99 only)")
    if value < 20:
        return _ONES[value]
    tens, ones = divmod(value, 10)
    return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")


@functools.cache
def _unit_key(word: str) -> str:
    """``s``, ``min``, ``h`` or ``ms`` for a unit word as written (cached: a prompt writes a few spellings
    over and over)."""
    word = folded(word)
    if word.startswith("milli") or word == "ms":
        return "ms"
    if word.startswith("h"):
        return "h"
    return "min" if word.startswith("min") else "s"


def read_quantities(text: str) -> list[Quantity]:
    """Numbers written in digits, times normalised to seconds (``2 min`` -> 120, ``20 to 40 s`` both timed)."""
    text = text.replace("−", "-")
    if "-" in text or "–" in text or "—" in text:  # RANGE_DASH needs one (a cheap test: most sentences have none)
        text = RANGE_DASH.sub(" to ", text)
    found: list[tuple[re.Match, float, str | None, str]] = []
    for match in NUMBER.finditer(text):
        sign, digits, ordinal = match.groups()
        if ordinal:
            continue
        value = float(digits.replace(",", ""))
        unit = TIME_UNIT.match(text, match.end())
        key = _unit_key(unit.group(1)) if unit else None
        found.append((match, -value if sign else value, key,
                      match.group() + unit.group() if unit and key != "s" else match.group()))
    result = []
    for index, (match, value, unit, raw) in enumerate(found):
        if unit is None and index + 1 < len(found):
            following = found[index + 1]
            if following[2] and SHARED_UNIT.match(text, match.end(), following[0].start()):
                unit = following[2]
        seconds = value * UNIT_FACTORS[unit] if unit else value
        result.append(Quantity(raw, normalise_number(seconds), unit is not None))
    return result


def read_number_words(text: str) -> set[int]:
    """Whole numbers written as words (``twenty-five``, ``single`` = 1)."""
    values = set()
    for match in NUMBER_WORD.finditer(text):
        tens, ones, plain, single = match.groups()
        if single:
            values.add(1)
        elif plain:
            values.add(_ONES.index(folded(plain)))
        else:
            values.add(_TENS.index(folded(tens)) * 10 + (_ONES.index(folded(ones)) if ones else 0))
    return values


def port_numbers(text: str) -> set[int]:
    """Port numbers mentioned in ``text``."""
    ports = set()
    for match in PORT_MENTION.finditer(text):
        number, ordinal, digits = match.groups()
        if ordinal:
            ports.add(_ORDINALS.index(folded(ordinal)) + 1)
        else:
            word = folded(number or digits)
            ports.add(int(word) if word.isdigit() else _ONES.index(word))
    return ports
