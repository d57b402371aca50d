"""Canonical numbers: one written form per value, shared by JSON, code, prompts and metrics.

A value is rounded to 9 significant digits (enough for every engineered value we draw, and it
removes binary noise such as 0.30000000000000004), and integral floats are written as integers.
"""

from __future__ import annotations

from functools import lru_cache

SIGNIFICANT_DIGITS = 9
_EXACT_INT_LIMIT = 10**SIGNIFICANT_DIGITS
"""Integers below this in size have at most ``SIGNIFICANT_DIGITS`` digits: already canonical."""


def normalise_number(value: float) -> int | float:
    """Return the canonical Python number for ``value`` (int when integral)."""
    if type(value) is int and -_EXACT_INT_LIMIT < value < _EXACT_INT_LIMIT:
        return value
    if isinstance(value, bool):
        raise TypeError("booleans are not numbers here")
    return _normalised_float(float(value))


@lru_cache(maxsize=65536)
def _normalised_float(value: float) -> int | float:
    """``normalise_number`` of a float, cached: positions and parameters recur across specs (equal
    floats give equal results; 0.0 and -0.0 both give 0)."""
    rounded = float(f"{value:.{SIGNIFICANT_DIGITS}g}")
    if rounded.is_integer() and abs(rounded) < 1e15:
        return int(rounded)
    return rounded


def format_number(value: float) -> str:
    """Write ``value`` the way an engineer does: ``10``, ``2.5``, ``0.125`` (never ``10.0``)."""
    canonical = normalise_number(value)
    if isinstance(canonical, int):
        return str(canonical)
    text = repr(canonical)
    if "e" in text or "E" in text:
        text = f"{canonical:.{SIGNIFICANT_DIGITS}f}".rstrip("0").rstrip(".")
    return text
