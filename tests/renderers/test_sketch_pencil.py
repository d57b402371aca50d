"""The pencil's batched outlines and the batched number writer against their plain references."""

from __future__ import annotations

import numpy as np
import pytest

from twinforge.renderers import sketch_pencil
from twinforge.renderers.sketch_glyphs import Pen, fmt, fmt_many
from twinforge.renderers.sketch_pencil import (
    MAX_POINTS,
    STEP,
    TAPER,
    PencilBatch,
    compiled_drawn_lines,
    compiled_outline_points,
    compiled_outline_texts,
    drawn_lines_python,
    fill_marks,
    outline_points_numpy,
    outline_texts,
    outline_texts_python,
    pencil_outline,
    subpaths,
)


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


@pytest.mark.parametrize("seed", range(10))
def test_the_numpy_outline_points_write_what_pencil_outline_writes(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the compiled routine is not built, numpy works out the outlines, to the same text."""
    monkeypatch.setattr(sketch_pencil, "compiled_outline_points", None)
    strokes = _strokes(np.random.default_rng(seed))
    plain_pen, batch_pen = Pen(True, np.random.default_rng(seed)), Pen(True, np.random.default_rng(seed))
    batch = PencilBatch()
    for d, width in strokes:
        batch.add(d, width, batch_pen)

    assert batch.outlines() == [pencil_outline(d, width, plain_pen) for d, width in strokes]


def _lines(rng: np.random.Generator) -> list[sketch_pencil.Line]:
    """Centre lines with draws as a :class:`PencilBatch` keeps them (each has a segment to draw),
    from short strokes to long ones that are resampled more coarsely; the first is a long ruled line."""
    lines: list[sketch_pencil.Line] = [(0, [(0.0, 0.0), (300.0, 12.5)], 1.1, 0.1, 0.5)]
    for ticket, (d, _) in enumerate(_strokes(rng)):
        for points in subpaths(d):
            if len(set(points)) > 1:
                stretch = float(rng.choice([1.0, 10.0]))
                lines.append((ticket, [(x * stretch, y * stretch) for x, y in points], float(rng.uniform(0.3, 2.0)),
                              float(2 * np.pi / rng.uniform(35.0, 90.0)), float(rng.uniform(0.0, 2 * np.pi))))
    return lines


needs_compiled_points = pytest.mark.skipif(compiled_outline_points is None,
                                           reason="sketch_pencil_points is not built (setup.py build_ext)")


@needs_compiled_points
@pytest.mark.parametrize("seed", range(60))
def test_compiled_outline_points_are_the_numpy_points_bit_for_bit(seed: int) -> None:
    lines = _lines(np.random.default_rng(seed))
    compiled = compiled_outline_points(lines, STEP, MAX_POINTS, TAPER)
    plain = outline_points_numpy(lines)
    for mine, theirs in zip(compiled, plain, strict=True):
        assert mine.dtype == theirs.dtype
        assert mine.tobytes() == theirs.tobytes()


@needs_compiled_points
@pytest.mark.parametrize("values", [
    np.random.default_rng(1).uniform(-50, 800, 3_000),
    np.arange(-3_000, 3_000) / 20,  # every tenth and every half tenth (0.05: a decimal tie fmt rounds exactly)
    np.array([0.05, -0.05, 0.35, 0.25, -0.04, -0.0, 0.0, 1999.95, 1999.94, -1999.96, 2000.0, 12345.678, -1e12,
              np.nan, np.inf, -np.inf, 1e300, -5e-324]),
])
def test_compiled_outline_texts_are_the_python_texts(values: np.ndarray) -> None:
    rng = np.random.default_rng(len(values))
    xs, ys = values, rng.permutation(values)
    cuts = np.sort(rng.choice(np.arange(1, len(values)), min(len(values) - 1, 40), replace=False))
    around = np.diff(np.concatenate([[0], cuts, [len(values)]])).astype(np.int64)

    texts = outline_texts(xs, ys, around)

    assert texts == outline_texts_python(xs, ys, around)
    assert texts[0] == "M" + "L".join(f"{fmt(x)} {fmt(y)}" for x, y in zip(xs[:around[0]], ys[:around[0]])) + "Z"


@needs_compiled_points
@pytest.mark.parametrize("seed", range(20))
def test_compiled_drawn_lines_are_the_python_points_bit_for_bit(seed: int) -> None:
    for d, _ in _strokes(np.random.default_rng(seed)):
        lines = compiled_drawn_lines(d)
        assert lines is not None
        assert [[(x.hex(), y.hex()) for x, y in points] for points in lines] == [
            [(x.hex(), y.hex()) for x, y in points] for points in drawn_lines_python(d)]


@needs_compiled_points
@pytest.mark.parametrize("d", ["", "L1 2", "x M1 2L3 4 5M6 7", "M-0.0 .5L1. 2 M3 3L3 3", "M 1 2 L 3 4"])
def test_compiled_drawn_lines_read_any_plain_path_data(d: str) -> None:
    assert compiled_drawn_lines(d) == drawn_lines_python(d)


@needs_compiled_points
@pytest.mark.parametrize("d", ["M1e3 2L3 4", "M1 2\tL3 4", "M1-2 3L4 5", "M0x1 2L3 4", "M1_0 2L3 4", "M- 1L2 3",
                               "M1 2C3 4 5 6", "M1 2L3 4é"])
def test_compiled_drawn_lines_leave_other_path_data_to_python(d: str) -> None:
    assert compiled_drawn_lines(d) is None


@needs_compiled_points
def test_compiled_outline_texts_refuse_more_points_than_given() -> None:
    with pytest.raises(ValueError, match="more points"):
        compiled_outline_texts(np.zeros(3), np.zeros(3), np.array([2, 2]), sketch_pencil.tenths_texts(), fmt,
                               sketch_pencil.TENTHS_LIMIT, sketch_pencil.NEAR_HALF)


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
