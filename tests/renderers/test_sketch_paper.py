"""Paper and grid painted by numpy: exactly the pixels Skia draws for them, and Skia still draws
whatever numpy cannot take (another size, a grid line that is not a full-length hairline)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twinforge.families.factory.sampler import sample_specs
from twinforge.renderers.sketch import render_sketch_svg
from twinforge.renderers.sketch_paper import blank, paper_pixels
from twinforge.renderers.sketch_raster import PAPER, rasterise, resize_root


def _skia_only(svg: str, width: int, height: int) -> np.ndarray:
    """The reference: Skia draws the whole sketch, paper and grid included, on paper colour."""
    return rasterise(svg, blank(width, height, PAPER))


def _with_paper(svg: str, width: int, height: int) -> tuple[np.ndarray, str]:
    pixels, rest = paper_pixels(svg, width, height, PAPER, rasterise)
    return rasterise(rest, pixels), rest


@pytest.mark.parametrize("size", [(768, 768), (768, 384), (336, 336)])
def test_sampled_sketches_get_the_pixels_skia_draws(size: tuple[int, int]) -> None:
    for index, spec in enumerate(sample_specs(6, seed=18)):
        svg = render_sketch_svg(spec, style=("clean", "hand")[index % 2], seed=index, size=size)
        pixels, rest = _with_paper(svg, *size)
        assert "crispEdges" not in rest and "<rect" not in rest  # numpy painted paper and grid
        assert np.array_equal(pixels, _skia_only(svg, *size)), (index, size)


def test_another_size_is_left_to_skia(small_spec) -> None:
    """Letterboxed (a sketch drawn at another size): grid lines fall between pixels, Skia draws them."""
    svg = resize_root(render_sketch_svg(small_spec, size=(768, 384)), 512, 512)
    pixels, rest = paper_pixels(svg, 512, 512, PAPER, rasterise)
    assert rest == svg and np.array_equal(pixels, blank(512, 512, PAPER))


def _grid_svg(width: int, height: int, paths: list[tuple[str, str, float]]) -> str:
    body = "".join(f'<path d="{d}" stroke="{colour}" stroke-width="{stroke}" fill="none" '
                   'shape-rendering="crispEdges" />\n' for d, colour, stroke in paths)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">\n<rect x="0" y="0" width="{width}" height="{height}" '
            f'fill="{PAPER}" />\n{body}<path d="M3 3L40 30" stroke="#263238" stroke-width="2" />\n</svg>')


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_any_grid_of_hairlines_matches_skia(data: st.DataObject) -> None:
    width, height = data.draw(st.integers(8, 60)), data.draw(st.integers(8, 60))
    columns = data.draw(st.lists(st.integers(0, width - 1), unique=True, max_size=12))
    rows = data.draw(st.lists(st.integers(0, height - 1), unique=True, max_size=12))
    split_columns, split_rows = data.draw(st.integers(0, len(columns))), data.draw(st.integers(0, len(rows)))
    colour = st.from_regex(r"#[0-9a-f]{6}", fullmatch=True)
    stroke = st.sampled_from([0.1, 0.3, 0.5, 0.6, 0.75, 0.9, 0.95])
    paths = []
    for cols, rws in ((columns[:split_columns], rows[:split_rows]), (columns[split_columns:], rows[split_rows:])):
        d = "".join(f"M{c}.5 0V{height}" for c in cols) + "".join(f"M0 {r}.5H{width}" for r in rws)
        if d:
            paths.append((d, data.draw(colour), data.draw(stroke)))
    svg = _grid_svg(width, height, paths)
    pixels, rest = _with_paper(svg, width, height)
    assert "crispEdges" not in rest
    assert np.array_equal(pixels, _skia_only(svg, width, height))


@pytest.mark.parametrize("d", ["M2.5 0V20", "M2 0V40", "M0 2.5H30M4.5 0V40L9 9", "M2.5 0V40M2.5 0V40"])
def test_lines_that_are_not_full_length_hairlines_on_pixel_centres_are_left_to_skia(d: str) -> None:
    svg = _grid_svg(40, 40, [(d, "#dbe6ef", 0.6)])
    pixels, rest = _with_paper(svg, 40, 40)
    assert "crispEdges" in rest
    assert np.array_equal(pixels, _skia_only(svg, 40, 40))
