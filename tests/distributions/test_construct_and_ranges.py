"""Engineer-rounded construction of distributions, and the ranges the sampler draws from."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twinforge.distributions import mean, variance
from twinforge.distributions.construct import nice, nice_int, with_mean
from twinforge.distributions.ranges import AUTOMATION_RANGES, INDUSTRY_RANGES
from twinforge.schemas import SERVICE_FAMILIES, Automation, Industry, format_number


@pytest.mark.parametrize(("value", "written"), [
    (11.73, "12"), (37, "35"), (4.3, "4.5"), (1.7, "1.7"), (127, "130"), (0.83, "0.85"), (0.75, "0.75"),
    (2.5, "2.5"), (9.99, "10"), (0.0123, "0.012"), (0, "0"),
])
def test_nice_writes_numbers_as_engineers_do(value, written):
    assert format_number(nice(value)) == written


def test_nice_can_round_outward_and_counts_are_round():
    assert nice(37, "up") == 40 and nice(37, "down") == 35
    assert [nice_int(v) for v in (3, 7.4, 12, 37, 88)] == [3, 7, 10, 35, 90]
    assert nice_int(2, minimum=5) == 5


@given(family=st.sampled_from(SERVICE_FAMILIES), target=st.floats(5, 5000), cv=st.floats(0.02, 0.5),
       seed=st.integers(0, 2**32 - 1))
@settings(max_examples=300, deadline=None)
def test_with_mean_hits_the_mean_with_round_parameters(family, target, cv, seed):
    dist = with_mean(family, target, cv, np.random.default_rng(seed))
    assert dist.family == family.value
    assert mean(dist) == pytest.approx(target, rel=0.2)
    for key, value in dist.model_dump().items():
        if key not in ("family", "mu"):
            assert len(format_number(value).replace(".", "").strip("0")) <= 3, (key, value)


def test_spread_follows_the_coefficient_of_variation():
    rng = np.random.default_rng(0)
    for family in ("normal", "uniform", "lognormal", "gamma"):
        tight = with_mean(family, 100, 0.05, rng)
        loose = with_mean(family, 100, 0.4, rng)
        assert math.sqrt(variance(tight)) < math.sqrt(variance(loose)), family


def test_every_industry_and_automation_level_has_ordered_ranges():
    assert set(INDUSTRY_RANGES) == set(Industry) and set(AUTOMATION_RANGES) == set(Automation)
    for ranges in INDUSTRY_RANGES.values():
        for span in (ranges.setup, ranges.queue_capacity, ranges.conveyor_speed):
            assert 0 < span[0] <= span[1]
        assert ranges.queue_capacity[0] >= 5
    for ranges in AUTOMATION_RANGES.values():
        assert 0 < ranges.cv[0] < ranges.cv[1] < 1 and ranges.speed[0] > 0


def test_ranges_say_what_industries_and_automation_levels_are_like():
    slow, fast = INDUSTRY_RANGES[Industry.PHOTOMASK], INDUSTRY_RANGES[Industry.FOOD_PROCESSING]
    assert slow.queue_capacity[1] < fast.queue_capacity[0]  # few masks wait; food lines buffer hundreds
    manual, robot = AUTOMATION_RANGES[Automation.MANUAL], AUTOMATION_RANGES[Automation.ROBOT]
    assert manual.cv[0] > robot.cv[1] and manual.process_factor > robot.process_factor
