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
    _steps,
    _steps_numpy,
    compiled_price_steps,
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


needs_compiled_steps = pytest.mark.skipif(compiled_price_steps is None,
                                          reason="sketch_label_prices is not built (setup.py build_ext)")


@needs_compiled_steps
@pytest.mark.parametrize("seed", range(48))
def test_compiled_steps_are_the_numpy_steps(seed: int) -> None:
    """Crowded and sparse canvases, glyphs at the border, samples past the canvas, arrow tips and
    marks: the compiled routine gives the numpy path's spots, regions and rankings, bit for bit."""
    rng = np.random.default_rng(seed)
    width, height = int(rng.choice([336, 768, 1200])), int(rng.choice([336, 768]))
    count, samples = int(rng.integers(1, 30)), int(rng.choice([0, 50, 2000]))
    corners = np.column_stack([rng.uniform(-10, width, count), rng.uniform(-10, height, count)]).round(1)
    glyphs = np.concatenate([corners, corners + rng.uniform(8, 60, (count, 2)).round(1)], axis=1)
    points = np.column_stack([rng.uniform(-30, width + 30, samples), rng.uniform(-30, height + 30, samples),
                              rng.choice([1.0, 0.25], samples)])
    tips = rng.uniform(0, min(width, height), (int(rng.integers(0, 12)), 2)).round(1).tolist()
    marks = [(x, y, x + 14.0, y + 18.0) for x, y in rng.uniform(0, 300, (int(rng.integers(0, 5)), 2)).tolist()]
    canvas = _canvas(glyphs.tolist(), points, tips, width, height, marks, (20.0, 17.6))
    labels = sorted(rng.choice(count, int(rng.integers(1, count + 1)), replace=False).tolist())
    dims = rng.uniform(10, 0.25 * width, (len(labels), 2)).round(2)
    rings = RINGS[seed % 2]

    compiled, plain = _steps(canvas, labels, 20.0, dims, rings), _steps_numpy(canvas, labels, 20.0, dims, rings)

    assert len(compiled) == len(plain) == len(labels)
    for mine, theirs in zip(compiled, plain):
        assert (mine.size, mine.rings, mine.region, mine.ranked) == (theirs.size, theirs.rings, theirs.region,
                                                                     theirs.ranked)
        assert mine.centres.tobytes() == theirs.centres.tobytes() and mine.boxes.tobytes() == theirs.boxes.tobytes()
    assert any(step.ranked for step in plain)

