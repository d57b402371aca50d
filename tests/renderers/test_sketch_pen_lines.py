"""The compiled hand pen (``sketch_pen_lines``) against the plain Python pen: the same text, the
same points to the bit, and the same draws taken from the generator."""

from __future__ import annotations

import math

import numpy as np
import pytest

from twinforge.renderers import sketch_glyphs
from twinforge.renderers.sketch_glyphs import BOW, Pen, compiled_pen_lines, fmt, fmt_points_python, pen_writer
from twinforge.renderers.sketch_pencil import lettering

pytestmark = pytest.mark.skipif(compiled_pen_lines is None,
                                reason="sketch_pen_lines is not built (setup.py build_ext)")


def _polyline(rng: np.random.Generator) -> list[tuple[float, float]]:
    """Two to seven points, short and long strokes (long ones are bowed and bent), sometimes a
    repeated point or whole-number corners as the glyph shapes give."""
    count = int(rng.integers(2, 8))
    scale = float(rng.choice([3.0, 40.0, 300.0]))
    points = [(float(x), float(y)) for x, y in rng.uniform(-1, 1, (count, 2)) * scale]
    if rng.random() < 0.2:
        points[1] = points[0]
    if rng.random() < 0.2:
        points[0] = (0, round(points[0][1]))
    return points


def _pens(seed: int) -> tuple[Pen, Pen]:
    return Pen(True, np.random.default_rng(seed)), Pen(True, np.random.default_rng(seed))


def _same_draws_left(compiled: Pen, plain: Pen) -> None:
    """Both pens go on with the same draws of either kind (the generator moved alike)."""
    assert compiled.normals(3000, 1.0) == plain.normals(3000, 1.0)
    assert [compiled.uniform(0, 1) for _ in range(3000)] == [plain.uniform(0, 1) for _ in range(3000)]


@pytest.mark.parametrize("seed", range(40))
def test_compiled_wobble_gives_the_python_points_bit_for_bit(seed: int) -> None:
    rng = np.random.default_rng(seed)
    compiled, plain = _pens(seed)
    for _ in range(30):
        points, closed = _polyline(rng), bool(rng.random() < 0.5)
        mine = compiled_pen_lines.wobble(list(points), closed, compiled, BOW)
        theirs = plain.wobble_python(list(points), closed)
        assert [(x.hex(), y.hex()) for x, y in mine] == [(float(x).hex(), float(y).hex()) for x, y in theirs]
    _same_draws_left(compiled, plain)


@pytest.mark.parametrize("seed", range(20))
def test_compiled_hand_polylines_and_circles_are_the_python_text(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(seed)
    compiled, plain = _pens(seed)
    shapes = [(_polyline(rng), bool(rng.random() < 0.5), float(rng.uniform(0.5, 40.0))) for _ in range(30)]
    mine = [(compiled.polyline(points, closed), compiled.circle(points[0], radius)) for points, closed, radius in shapes]
    monkeypatch.setattr(sketch_glyphs, "compiled_pen_lines", None)
    theirs = [(plain.polyline(points, closed), plain.circle(points[0], radius)) for points, closed, radius in shapes]
    assert mine == theirs
    _same_draws_left(compiled, plain)


def test_a_wobbly_line_needs_two_points() -> None:
    with pytest.raises(IndexError, match="two points"):
        compiled_pen_lines.wobble([(1.0, 2.0)], False, Pen(True, np.random.default_rng(0)), BOW)


@pytest.mark.parametrize("values", [
    np.random.default_rng(1).uniform(-50, 800, 3_000),
    np.arange(-3_000, 3_000) / 20,  # every tenth and every half tenth (0.05: a decimal tie fmt rounds exactly)
    np.array([0.05, -0.05, -0.04, -0.0, 0.0, 1999.95, -1999.96, 2000.0, 12345.678, -1e12, math.inf, -math.inf]),
])
def test_compiled_point_text_is_fmt_points(values: np.ndarray) -> None:
    points = list(zip(values.tolist(), values[::-1].tolist()))
    text = pen_writer().points_text(points)
    assert text == fmt_points_python(points)
    assert text == "L".join(f"{fmt(x)} {fmt(y)}" for x, y in points)
    assert pen_writer().points_text([]) == ""


@pytest.mark.parametrize("seed", range(20))
def test_compiled_lettering_is_the_python_lettering(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(seed)
    compiled, plain = _pens(seed)
    labels = [("x" * int(rng.integers(1, 40)), float(rng.uniform(4.0, 30.0)), float(rng.choice([0.0, 12.3, -7.25])))
              for _ in range(40)]
    mine = [lettering(text, size, compiled, drop) for text, size, drop in labels]
    monkeypatch.setattr(sketch_glyphs, "compiled_pen_lines", None)
    assert mine == [lettering(text, size, plain, drop) for text, size, drop in labels]
    _same_draws_left(compiled, plain)


def test_lettering_of_one_character_keeps_it_in_place() -> None:
    assert lettering("x", 12.0, Pen(True, np.random.default_rng(3)))["dx"] == "0.0"
