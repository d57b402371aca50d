"""The pencil's batched outlines and the batched number writer against their plain references."""

from __future__ import annotations

import numpy as np
import pytest

from twinforge.renderers.sketch_glyphs import Pen, fmt, fmt_many
from twinforge.renderers.sketch_pencil import PencilBatch, fill_marks, pencil_outline


def _strokes(rng: np.random.Generator) -> list[tuple[str, float]]:
    """Path data as a hand pen writes it: one to three subpaths of one to eight points, some with
    repeated points, a point doubling back, or a single point repeated (nothing to draw)."""
    strokes = []
    for _ in range(int(rng.integers(1, 12))):
        parts = []
        for _ in range(int(rng.integers(1, 4))):
            points = rng.uniform(-60, 60, (int(rng.integers(1, 9)), 2)).round(1)
            roll = rng.random()
            if roll < 0.15 and len(points) > 2:
                points[1] = points[0]
            elif roll < 0.3 and len(points) > 2:
                points[2] = points[0]
            elif roll < 0.4:
                points[:] = points[0]
            parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points))
        strokes.append(("".join(parts), float(rng.uniform(0.5, 3.0))))
    return strokes


@pytest.mark.parametrize("seed", range(40))
def test_a_pencil_batch_writes_what_pencil_outline_writes_with_the_same_draws(seed: int) -> None:
    strokes = _strokes(np.random.default_rng(seed))
    plain_pen, batch_pen = Pen(True, np.random.default_rng(seed)), Pen(True, np.random.default_rng(seed))
    batch = PencilBatch()
    tickets = [batch.add(d, width, batch_pen) for d, width in strokes]

    assert batch.outlines() == [pencil_outline(d, width, plain_pen) for d, width in strokes]
    assert tickets == list(range(len(strokes)))
    assert batch_pen.uniform(0.0, 1.0) == plain_pen.uniform(0.0, 1.0)
    assert batch_pen.normal(1.0) == plain_pen.normal(1.0)


@pytest.mark.parametrize("seed", range(5))
def test_marks_in_svg_text_are_filled_with_the_outlines_pencil_outline_writes(seed: int) -> None:
    strokes = _strokes(np.random.default_rng(seed))
    plain_pen, batch_pen = Pen(True, np.random.default_rng(seed)), Pen(True, np.random.default_rng(seed))
    batch = PencilBatch()
    marked = "".join(f'<path d="{batch.mark(d, width, batch_pen)}" />' for d, width in strokes)

    assert fill_marks(marked, batch.outlines()) == "".join(
        f'<path d="{pencil_outline(d, width, plain_pen)}" />' for d, width in strokes)


def test_an_empty_pencil_batch_has_no_outlines() -> None:
    assert PencilBatch().outlines() == []


@pytest.mark.parametrize("values", [
    np.random.default_rng(0).uniform(-50, 800, 20_000),
    np.arange(-4_000, 4_000) / 20,  # every tenth and every half tenth (0.05: a decimal tie fmt rounds exactly)
    np.arange(-4_000, 4_000) / 100,
    np.array([0.05, -0.05, 0.35, 0.25, -0.04, -0.0, 0.0, 1999.95, 1999.94, -1999.96, 2000.0, 12345.678, -1e12,
              np.nan, np.inf, -np.inf]),
    np.array([3.14159]),
    np.array([]),
])
def test_fmt_many_writes_what_fmt_writes(values: np.ndarray) -> None:
    assert fmt_many(values) == [fmt(value) for value in values.tolist()]
