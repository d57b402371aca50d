"""The sketch of any valid spec stays bounded: the largest allowed spec draws quickly, in a small
SVG, with a grid of at most a few thousand lines, on any canvas size.

Before the schema bounded positions, one object at 1e308 m made the grid grow with the
coordinate (24 GB); before the label search was reworked, 300 objects took over a minute.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET

import pytest

from tests.renderers.largest_specs import largest_spec
from tests.renderers.test_sketch import label_texts
from twinforge.renderers.sketch import render_sketch_svg, svg_to_png
from twinforge.renderers.sketch_glyph_placement import MIN_GRID_STEP_PX
from twinforge.schemas.spec import MAX_CONNECTIONS, MAX_OBJECTS

SECONDS = 30.0
"""Generous: about 4 s on one core of a shared machine (docs/foundation.md)."""
MAX_SVG_BYTES = 3_000_000
"""The hand style draws each of the 1,000 flow lines as a pencil outline (about 2.2 MB in all)."""


def _grid_lines(svg: str) -> int:
    """Number of grid lines: the M commands of the two crispEdges paths."""
    root = ET.fromstring(svg.encode())
    paths = [p for p in root.iter("{http://www.w3.org/2000/svg}path") if p.get("shape-rendering") == "crispEdges"]
    return sum(p.get("d").count("M") for p in paths)


@pytest.mark.parametrize(("arrangement", "style"), [("cluster", "hand"), ("line", "clean")])
def test_the_largest_allowed_spec_sketches_in_bounded_time_and_size(arrangement, style):
    spec = largest_spec(arrangement)
    assert (len(spec.objects), len(spec.connections)) == (MAX_OBJECTS, MAX_CONNECTIONS)
    started = time.process_time()
    svg = render_sketch_svg(spec, style=style, seed=3)
    png = svg_to_png(svg, (768, 384))
    assert time.process_time() - started < SECONDS
    assert len(svg.encode()) < MAX_SVG_BYTES and len(png) < MAX_SVG_BYTES
    assert _grid_lines(svg) <= 2 * (768 + 384) / 14 + 2
    assert sorted(label_texts(svg)) == sorted(obj.name for obj in spec.objects)


@pytest.mark.parametrize("size", [(1024, 56), (56, 1024), (33, 32)])
def test_a_wide_floor_on_a_canvas_hardly_larger_than_its_margins_gets_a_bounded_grid(size):
    """56 px leaves 1 px of room between the margins: 2 km of floor at 0.0005 px/m, whose 200 m grid
    was 0.1 px apart (10,000 lines). At 33x32 glyphs pile up in a corner, on the same spot."""
    spec = largest_spec("spread")
    svg = render_sketch_svg(spec, size=size)
    ET.fromstring(svg.encode())
    assert _grid_lines(svg) <= (size[0] + size[1]) / MIN_GRID_STEP_PX + 2


def test_a_canvas_smaller_than_the_margins_keeps_a_positive_scale():
    """At 32x32 the margins leave no room; a negative room once gave a negative scale that threw
    objects 2 km apart far off the canvas, and the label search took a minute over the line samples."""
    from tests.schemas.test_spec_fuzz import BASES
    from twinforge.renderers.sketch import sketch_layout
    from twinforge.schemas import load_spec

    data = dict(BASES[0])
    corners = [[1000.0, 0.0, 1000.0], [-1000.0, 0.0, 1000.0], [0.0, 1000.0, -1000.0]]
    data["objects"] = [{**obj, "position": corners[i % 3]} for i, obj in enumerate(data["objects"])]
    layout = sketch_layout(load_spec(data), size=(32, 32))
    assert min(layout.scale) > 0
    started = time.process_time()
    render_sketch_svg(load_spec(data), size=(32, 32))
    assert time.process_time() - started < SECONDS
