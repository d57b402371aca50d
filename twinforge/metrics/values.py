"""Canonical parameter values, so PMR compares meaning rather than spelling.

A value becomes a small hashable tuple:

- ``("num", n)``: a number in its canonical written form (``normalise_number``: ``30.0`` == ``30``);
  a code string that only returns a number is that number (a constant distribution);
- ``("str", s)``: an option name or other text;
- ``("dist", call, args)``: a distribution call in FlexSim argument order, without the stream
  argument (``getstream(current)`` or a literal stream past the family's arity). The paper's
  shorthand with the location left out (``exponential(10)``) gets location 0, so it equals
  ``exponential(0, 10, getstream(current))``. ``lognormal2(l, scale, s)`` is read as
  ``lognormal(l, ln(scale), s)`` (``distributions.lognormal_mu``), so both spellings of one
  lognormal match, and match the spec's ``mu``. A call wrapped in other code
  (``Math.max(0, normal(...))``) keeps the wrapper as a fourth item, so it only matches the same
  wrapper; comments in a code string (FlexSim's ``/**/ ... /**direct*/`` markers) are not code;
- ``("array", items)``: an Array literal, item by item;
- ``("expr", text)``: anything else, compared as text without spaces.

Numbers are compared exactly after normalisation, never with a tolerance.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from twinforge.distributions.families import lognormal_mu
from twinforge.schemas.flexscript_lexicon import (
    COMMENT_PATTERN,
    HEX_NUMBER_PATTERN,
    LENIENT_STRING_PATTERN,
    SIGNED_NUMBER_PATTERN,
)
from twinforge.schemas.numbers import normalise_number

Value = tuple

DISTRIBUTION_ARITY: dict[str, int] = {
    "exponential": 2,
    "normal": 2,
    "uniform": 2,
    "duniform": 2,
    "triangular": 3,
    "lognormal": 3,
    "lognormal2": 3,
    "weibull": 3,
    "gamma": 3,
    "erlang": 3,
    "beta": 4,
    "poisson": 1,
    "bernoulli": 3,
}
"""FlexSim distribution commands and their argument counts before the optional stream."""

LOCATION_FIRST = frozenset({"exponential", "lognormal", "lognormal2", "weibull", "gamma", "erlang"})
"""Commands whose first argument is a location, which shorthand forms leave out."""

NUMBER = re.compile(SIGNED_NUMBER_PATTERN)
"""A written number, sign included (``schemas.flexscript_lexicon``)."""
HEX_NUMBER = re.compile(rf"[+-]?(?:{HEX_NUMBER_PATTERN})")
"""A written hexadecimal integer (``0x1F``), as the executor reads it."""
_CALL = re.compile(r"(?<![\w.])(" + "|".join(sorted(DISTRIBUTION_ARITY, key=len, reverse=True)) + r")\s*\(")
_RETURN = re.compile(r"\breturn\b(.*?);", re.DOTALL)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\n": "", "\r": "", "\r\n": ""}
"""C escapes; a backslash before a line break continues the string (both vanish)."""
_CODE_TOKENS = re.compile(f"({LENIENT_STRING_PATTERN})|(?:{COMMENT_PATTERN})", re.DOTALL)
"""A string literal (kept) or a comment (dropped) inside a code string."""
_BOOLEANS = {"true": 1, "false": 0}


@lru_cache(maxsize=2**14)
def decode_string(literal: str) -> str:
    """The text of a FlexScript string literal (with its quotes), C escapes resolved.

    Cached: names, keys and property names repeat across statements and samples."""
    return re.sub(r"\\(\r\n|.)", lambda m: _ESCAPES.get(m[1], m[1]), literal[1:-1], flags=re.DOTALL)


def number_value(text: str) -> Value | None:
    """``("num", n)`` when ``text`` is exactly a number (or ``true``/``false``), else None."""
    text = text.strip()
    if text in _BOOLEANS:
        return ("num", _BOOLEANS[text])
    if NUMBER.fullmatch(text):
        return ("num", normalise_number(float(text)))
    if HEX_NUMBER.fullmatch(text):
        return ("num", int(text, 16))
    return None


STRING_PATTERN = LENIENT_STRING_PATTERN
"""A FlexScript string literal with C escapes; with ``re.DOTALL`` a literal may span lines
(``schemas.flexscript_lexicon``)."""
STRING_LITERAL = re.compile(STRING_PATTERN, re.DOTALL)

_ARG_TOKENS = re.compile(STRING_PATTERN + r'?|[()\[\]{},]|[^"()\[\]{},]+', re.DOTALL)


_FLAT_LIST = re.compile(r'[(\[{]([^"()\[\]{}]*(?:' + STRING_PATTERN + r'[^"()\[\]{}]*)*)[)\]}]', re.DOTALL)
"""An argument list with no bracket inside it (outside strings), whose strings are all closed."""
_STRING_OR_COMMA = re.compile(STRING_PATTERN + '|,', re.DOTALL)


def split_arguments(text: str, start: int) -> tuple[list[str], int] | None:
    """Split the argument list that opens at ``text[start]`` (``(``, ``[`` or ``{``); return (args, index after it).

    Strings, brackets and nested calls are respected; None when the list or a string is not closed.
    Most lists hold no brackets (``("MaxContent", 15)``): one regex match splits those, with the
    result of the general scan (``_scan_arguments``), which the tests check on random texts.
    """
    flat = _FLAT_LIST.match(text, start)
    if flat is None:
        return _scan_arguments(text, start)
    content = flat[1]
    if '"' in content:
        cuts = [m.start() for m in _STRING_OR_COMMA.finditer(content) if m[0] == ","]
        parts = [content[a + 1:b] for a, b in zip([-1, *cuts], [*cuts, len(content)])]
    else:
        parts = content.split(",")
    if len(parts) == 1 and not parts[0].strip():
        return [], flat.end()
    return [part.strip() for part in parts], flat.end()


def _scan_arguments(text: str, start: int) -> tuple[list[str], int] | None:
    """``split_arguments`` by a scan of strings, brackets and commas (any nesting)."""
    depth, args, current = 0, [], []
    for token in _ARG_TOKENS.finditer(text, start):
        piece = token[0]
        if piece[0] == '"':
            if len(piece) < 2 or piece[-1] != '"' or _escaped_end(piece):
                return None
            current.append(piece)
        elif piece in "([{":
            depth += 1
            if depth > 1:
                current.append(piece)
        elif piece in ")]}":
            depth -= 1
            if depth == 0:
                tail = "".join(current).strip()
                if tail or args:
                    args.append(tail)
                return args, token.end()
            current.append(piece)
        elif piece == "," and depth == 1:
            args.append("".join(current).strip())
            current = []
        else:
            current.append(piece)
    return None


def _escaped_end(literal: str) -> bool:
    """True when a literal's last quote is escaped (so the string is not closed)."""
    backslashes = len(literal) - 1 - len(literal[:-1].rstrip("\\"))
    return backslashes % 2 == 1


def _string_end(text: str, start: int) -> int | None:
    """Index just after the string literal opening at ``start``."""
    match = STRING_LITERAL.match(text, start)
    return match.end() if match else None




def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def distribution_value(name: str, raw_args: list[str], wrapper: str = "@") -> Value:
    """A distribution call in canonical form (FlexSim order, no stream, location filled in)."""
    arity = DISTRIBUTION_ARITY[name]
    args = [_argument(arg) for arg in raw_args]
    if len(args) > arity:
        args = args[:arity]
    elif len(args) == arity - 1 and name in LOCATION_FIRST:
        args = [0, *args]
    if name == "lognormal2" and len(args) == 3 and isinstance(args[1], (int, float)) and args[1] > 0:
        name, args[1] = "lognormal", normalise_number(lognormal_mu(args[1]))
    value: tuple = ("dist", name, tuple(args))
    return value if wrapper == "@" else (*value, wrapper)


def _argument(text: str) -> Any:
    number = number_value(text)
    if number is not None:
        return number[1]
    return expression_value(text)


def expression_value(text: str) -> Value:
    """Canonical value of a FlexScript expression (the body of ``return ...;`` or an argument)."""
    text = text.strip()
    number = number_value(text)
    if number is not None:
        return number
    call = _CALL.search(text)
    if call:
        parsed = split_arguments(text, call.end() - 1)
        if parsed is not None:
            args, end = parsed
            wrapper = _compact(text[: call.start()] + "@" + text[end:])
            return distribution_value(call[1], args, wrapper)
    return ("expr", _compact(text))


@lru_cache(maxsize=2**14)
def code_string_value(code: str) -> Value:
    """Value of a string property: the ``return`` expression of code text, else the text itself.

    Cached: both modes read the same code strings for many objects and samples."""
    if "/" in code:
        code = _CODE_TOKENS.sub(lambda m: m[1] or " ", code)
    returned = _RETURN.findall(code)
    if returned:
        return expression_value(returned[-1])
    if _CALL.search(code) or number_value(code) is not None:
        return expression_value(code)
    return ("str", code)


@lru_cache(maxsize=2**14)
def literal_value(text: str) -> Value:
    """Value of a ``setProperty`` argument as written in the script.

    Cached (values are immutable tuples): the same code strings recur across objects and samples."""
    text = text.strip()
    if len(text) >= 2 and text[0] == '"' and _string_end(text, 0) == len(text):
        return code_string_value(decode_string(text))
    if text.startswith("["):
        parsed = split_arguments(text, 0)
        if parsed is not None and parsed[1] == len(text):
            return ("array", tuple(literal_value(item) for item in parsed[0]))
    return expression_value(text)


def python_value(value: Any) -> Value:
    """Value of a Python object held by a ModelGraph (numbers, strings, lists, distribution dicts)."""
    if isinstance(value, bool):
        return ("num", int(value))
    if isinstance(value, (int, float)):
        return ("num", normalise_number(value))
    if isinstance(value, str):
        return code_string_value(value)
    if isinstance(value, (list, tuple)):
        return ("array", tuple(python_value(item) for item in value))
    if isinstance(value, dict) and "family" in value:
        return spec_distribution_value(value)
    if hasattr(value, "model_dump"):
        return python_value(value.model_dump())
    if isinstance(getattr(value, "items", None), list):
        return python_value(value.items)
    name, args = getattr(value, "name", None), getattr(value, "args", None)
    if name in DISTRIBUTION_ARITY and isinstance(args, (list, tuple)):
        return distribution_value(name, [_python_argument(arg) for arg in args])
    return ("expr", _compact(str(value)))


def _python_argument(arg: Any) -> str:
    """An interpreter value as argument text (numbers written canonically, others as text)."""
    if isinstance(arg, (int, float)) and not isinstance(arg, bool):
        return repr(normalise_number(arg))
    return str(arg)


def spec_distribution_value(dist: dict[str, Any]) -> Value:
    """A spec distribution (``{"family": ..., ...}``) in the FlexSim form our templates write.

    lognormal is ``lognormal(0, mu, sigma)`` here: the template's ``lognormal2(0, exp(mu), sigma)``
    is read into that form (``distribution_value``), so the two match.
    """
    family = dist["family"]
    n = {key: normalise_number(val) for key, val in dist.items() if key != "family"}
    forms: dict[str, Value] = {
        "constant": ("num", n.get("value")),
        "exponential": ("dist", "exponential", (0, n.get("mean"))),
        "normal": ("dist", "normal", (n.get("mean"), n.get("std"))),
        "triangular": ("dist", "triangular", (n.get("min"), n.get("max"), n.get("mode"))),
        "uniform": ("dist", "uniform", (n.get("min"), n.get("max"))),
        "lognormal": ("dist", "lognormal", (0, n.get("mu"), n.get("sigma"))),
        "weibull": ("dist", "weibull", (0, n.get("scale"), n.get("shape"))),
        "gamma": ("dist", "gamma", (0, n.get("scale"), n.get("shape"))),
        "poisson": ("dist", "poisson", (n.get("mean"),)),
    }
    return forms.get(family, ("expr", str(sorted(dist.items()))))


def describe(value: Value) -> str:
    """Human-readable form of a canonical value (for reports)."""
    kind = value[0]
    if kind == "num":
        return str(value[1])
    if kind == "str":
        return repr(value[1])
    if kind == "dist":
        call = f"{value[1]}({', '.join(str(a) for a in value[2])})"
        return value[3].replace("@", call) if len(value) > 3 else call
    if kind == "array":
        return "[" + ", ".join(describe(item) for item in value[1]) + "]"
    return str(value[1])
