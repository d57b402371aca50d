"""Glyph placement's typical spacing, taken on plain floats, against numpy's median."""

from __future__ import annotations

import numpy as np
import pytest

from twinforge.renderers.sketch_glyph_placement import _typical_spacing


@pytest.mark.parametrize("count", [2, 3, 8, 13, 40])
def test_typical_spacing_is_the_numpy_median_of_nearest_distances(count: int) -> None:
    rng = np.random.default_rng(count)
    for _ in range(50):
        floor = rng.uniform(0, 60, (count, 2)).round(1)
        floor[count // 2] = floor[0]  # two objects on one spot: their distance does not count
        gaps = np.hypot(*(floor[:, None, :] - floor[None, :, :]).transpose(2, 0, 1))
        gaps[gaps < 1e-9] = np.inf
        nearest = gaps.min(axis=1)
        expected = float(np.median(nearest[np.isfinite(nearest)])) if np.isfinite(nearest).any() else 4.0
        assert _typical_spacing(floor).hex() == expected.hex()


def test_typical_spacing_of_one_spot_is_four_metres() -> None:
    assert _typical_spacing(np.zeros((3, 2))) == 4.0
    assert _typical_spacing(np.zeros((1, 2))) == 4.0
