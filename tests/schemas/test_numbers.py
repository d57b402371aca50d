"""Canonical numbers: the fast paths (small integers, cached floats) write what the plain rule writes."""

from __future__ import annotations

import numpy as np
import pytest

from twinforge.schemas import FactorySpec, canonical_json, canonical_value, json_hash, spec_hash
from twinforge.schemas.numbers import SIGNIFICANT_DIGITS, normalise_number


def plain_rule(value: float) -> int | float:
    """The rule as the module states it: 9 significant digits, integral values as int."""
    rounded = float(f"{float(value):.{SIGNIFICANT_DIGITS}g}")
    return int(rounded) if rounded.is_integer() and abs(rounded) < 1e15 else rounded


VALUES = [0, 1, -1, 7, 999_999_999, -999_999_999, 1_000_000_000, 1_234_567_891, 10**16, -(10**16) - 1,
          0.0, -0.0, 0.1 + 0.2, 2.5, -2.5, 1e-7, 123456789.4, 1234567894.0, 1e15, 1e16, 3.000000001]


@pytest.mark.parametrize("value", VALUES)
def test_normalise_number_matches_the_plain_rule(value: float) -> None:
    got = normalise_number(value)
    assert got == plain_rule(value) and type(got) is type(plain_rule(value))


def test_normalise_number_matches_the_plain_rule_on_random_values() -> None:
    rng = np.random.default_rng(5)
    values = [*(float(v) for v in rng.lognormal(0, 6, 2000)), *(int(v) for v in rng.integers(-10**12, 10**12, 2000))]
    for value in values + values:  # twice: the second pass reads the float cache
        assert normalise_number(value) == plain_rule(value)
        assert type(normalise_number(value)) is type(plain_rule(value))


def test_normalise_number_refuses_booleans() -> None:
    with pytest.raises(TypeError):
        normalise_number(True)


def test_canonical_value_of_tuples_subclasses_and_models_is_plain_json() -> None:
    class Name(str):
        pass

    assert canonical_value({"a": (1.0, 0.30000000000000004), "b": Name("x"), "c": None, "d": True}) == {
        "a": [1, 0.3], "b": "x", "c": None, "d": True}


def test_json_hash_of_the_canonical_json_is_the_spec_hash(small_spec: FactorySpec) -> None:
    assert json_hash(canonical_json(small_spec)) == spec_hash(small_spec)
