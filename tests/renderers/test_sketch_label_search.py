"""The label search's batched steps against plain references: the line-sample lookup and the line prices."""

from __future__ import annotations

import numpy as np
import pytest

from twinforge.renderers.sketch_label_search import (
    _SPOT_PATTERN,
    LINE_PAD,
    RINGS,
    _candidates,
    _canvas,
    _line_prices,
)


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


@pytest.mark.parametrize("seed", range(6))
def test_line_prices_are_twice_the_weight_of_the_samples_under_each_grown_spot_box_at_most_12(seed: int) -> None:
    rng = np.random.default_rng(seed)
    width, height, count = 768, 768, int(rng.integers(1, 9))
    points = np.column_stack([rng.uniform(0, width, 600), rng.uniform(0, height, 600), rng.choice([1.0, 0.25], 600)])
    corners = rng.uniform(40, 680, (count, 2))
    glyphs = np.concatenate([corners, corners + rng.uniform(20, 50, (count, 2))], axis=1)
    canvas = _canvas(glyphs.tolist(), points, [], width, height, [], (12.0,))
    dims = rng.uniform(30, 160, (count, 2))
    rings = RINGS[seed % 2]
    spots = _candidates(glyphs, dims[:, 0], dims[:, 1], rings, width, height)
    regions = np.concatenate([spots.boxes[:, :, :2].min(axis=1), spots.boxes[:, :, 2:].max(axis=1)], axis=1)
    found, bounds = canvas.near_each(regions)

    prices = _line_prices(spots, points[found], bounds, _SPOT_PATTERN[len(rings)])

    for label, boxes in enumerate(spots.boxes.tolist()):
        for spot, (x0, y0, x1, y1) in enumerate(boxes):
            under = sum(w for x, y, w in points.tolist()
                        if x0 - LINE_PAD < x < x1 + LINE_PAD and y0 - LINE_PAD < y < y1 + LINE_PAD)
            assert prices[label, spot] == 2.0 * min(under, 6.0)
    assert prices.max() > 0
