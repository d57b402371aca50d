"""The label search's line-sample lookup: the batched one finds exactly what the plain one finds."""

from __future__ import annotations

import numpy as np
import pytest

from twinforge.renderers.sketch_label_search import _canvas


@pytest.mark.parametrize("count", [0, 1, 40, 3000])
def test_near_each_finds_the_samples_near_finds_for_every_region(count: int) -> None:
    rng = np.random.default_rng(count)
    width, height = 768, 512
    points = np.column_stack([rng.uniform(-20, width + 20, count), rng.uniform(-20, height + 20, count),
                              rng.uniform(0.2, 1.0, count)])
    canvas = _canvas([(10.0, 10.0, 30.0, 30.0)], points, [], width, height, [], (12.0,))
    corners = rng.uniform(-60, 820, (200, 2))
    sides = rng.exponential(60, (200, 2))
    regions = np.concatenate([corners, corners + sides], axis=1)
    regions[:3] = [[0, 0, width, height], [-50, -50, -40, -40], [100, 100, 100, 100]]

    found, bounds = canvas.near_each(regions)

    assert len(bounds) == len(regions)
    for region, (start, stop) in zip(regions.tolist(), bounds):
        assert found[start:stop].tolist() == canvas.near(region).tolist()
    assert len(found) > 0 or count == 0
