"""The sketch's SVG document and elements, written as text, against the text drawsvg writes for them."""

from __future__ import annotations

import drawsvg as draw
import pytest

from tests.conftest import SMALL_SPEC
from twinforge.renderers.sketch import GRID_MAJOR, GRID_MINOR, _grid_paths, sketch_layout
from twinforge.renderers.sketch_raster import PAPER
from twinforge.renderers.sketch_svg import document, tag
from twinforge.schemas import FactorySpec

SIZES = [(768, 768), (768, 384), (336, 336), (1, 1), (2048, 300)]


def _drawing(width: int, height: int, elements: list) -> str:
    canvas = draw.Drawing(width, height, id_prefix="sketch", preserveAspectRatio="xMidYMid meet")
    for element in elements:
        canvas.append(element)
    return canvas.as_svg()


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("elements", [[], ["<g />"], ['<g class="labels">\n<text x="1.0">a &amp; b</text>\n</g>', "<g />"]])
def test_a_document_is_the_text_of_a_drawsvg_drawing(width: int, height: int, elements: list[str]) -> None:
    assert document(width, height, elements) == _drawing(width, height, [draw.Raw(element) for element in elements])


@pytest.mark.parametrize(("width", "height"), [size for size in SIZES if min(size) >= 64])
def test_paper_and_grid_are_the_text_of_drawsvg_elements(width: int, height: int) -> None:
    layout = sketch_layout(FactorySpec.model_validate(SMALL_SPEC), size=(width, height))
    minor, major = _grid_paths(layout)
    paper = tag("rect", {"x": 0, "y": 0, "width": width, "height": height, "fill": PAPER})
    crisp = {"fill": "none", "shape_rendering": "crispEdges"}
    expected = _drawing(width, height, [
        draw.Rectangle(0, 0, width, height, fill=PAPER),
        draw.Path(_d(minor), stroke=GRID_MINOR, stroke_width=0.6, **crisp),
        draw.Path(_d(major), stroke=GRID_MAJOR, stroke_width=0.9, **crisp),
    ])
    assert document(width, height, [paper, minor, major]) == expected
    assert _d(minor).startswith("M") and _d(major).startswith("M")


def _d(path: str) -> str:
    """The path data of a ``<path d="..." ...>`` element."""
    return path.split('d="', 1)[1].split('"', 1)[0]
