"""Patterns for the decimal numbers of a closed interval, as JSON writes them, for grammars.

A grammar that accepts exactly the valid genes must accept a parameter value only inside its
domain. Numbers appear in the canonical text as Python writes them: integers without leading
zeros (``-180``, ``0``, ``2048``) and floats rounded to ``FLOAT_DIGITS`` places with 1 to that many
fraction digits (``0.5``, ``1.0``, ``-0.1234``), never ``-0`` nor an exponent. A pattern is a list
of alternatives, each a sequence of character ranges ``(low, high)`` (a single character when
``low == high``), so every grammar format can print it.
"""

from __future__ import annotations

import math
from fractions import Fraction

CharRange = tuple[str, str]
Alternative = tuple[CharRange, ...]


def _padded(low: str, high: str) -> list[Alternative]:
    """Every digit string of ``len(low)`` characters between ``low`` and ``high`` (both that long)."""
    if not low:
        return [()]
    n = len(low) - 1
    if low[0] == high[0]:
        return [((low[0], low[0]), *rest) for rest in _padded(low[1:], high[1:])]
    out: list[Alternative] = []
    first, last = int(low[0]), int(high[0])
    if low[1:] != "0" * n:
        out += [((low[0], low[0]), *rest) for rest in _padded(low[1:], "9" * n)]
        first += 1
    tail: list[Alternative] = []
    if high[1:] != "9" * n:
        tail = [((high[0], high[0]), *rest) for rest in _padded("0" * n, high[1:])]
        last -= 1
    if first <= last:
        out.append(((str(first), str(last)), *(("0", "9"),) * n))
    return out + tail


def _unsigned(low: int, high: int, fraction: int) -> list[Alternative]:
    """The strings of the integers ``low..high`` (>= 0) with a dot before the last ``fraction`` digits."""
    out: list[Alternative] = []
    if low > high:
        return out
    for width in range(fraction + 1, max(fraction + 1, len(str(high))) + 1):
        start = max(low, 0 if width == fraction + 1 else 10 ** (width - 1))
        stop = min(high, 10 ** width - 1)
        if start > stop:
            continue
        for alternative in _padded(str(start).zfill(width), str(stop).zfill(width)):
            if fraction:
                alternative = (*alternative[:-fraction], (".", "."), *alternative[-fraction:])
            out.append(alternative)
    return out


def number_pattern(low: float, high: float, fraction_digits: int) -> list[Alternative]:
    """Alternatives matching exactly the numbers in ``[low, high]`` as written with 1..``fraction_digits``
    fraction digits (0: integers)."""
    lo, hi = Fraction(str(low)), Fraction(str(high))
    if lo > hi:
        raise ValueError(f"empty interval [{low}, {high}]")
    out: list[Alternative] = []
    for fraction in ([0] if fraction_digits == 0 else range(1, fraction_digits + 1)):
        scale = 10 ** fraction
        if hi >= 0:
            out += _unsigned(max(0, math.ceil(lo * scale)), math.floor(hi * scale), fraction)
        if lo < 0:
            negative = _unsigned(max(1, math.ceil(max(Fraction(0), -hi) * scale)), math.floor(-lo * scale), fraction)
            out += [(("-", "-"), *alternative) for alternative in negative]
    return out


__all__ = ["Alternative", "CharRange", "number_pattern"]
