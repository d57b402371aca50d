"""Sketch SVG: every name drawn, one arrowhead per A connection, no overlapping labels, same bytes per seed."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.renderers.test_sketch_specs import random_spec
from twinforge.families.factory.sampler import sample_specs
from twinforge.renderers.sketch import render_sketch_svg, sketch_layout
from twinforge.renderers.sketch_layout import SketchLayout
from twinforge.schemas import FactorySpec

SVG = "{http://www.w3.org/2000/svg}"
STYLES = ("clean", "hand")
SIZES = ((768, 384), (512, 512), (336, 336))


def _texts(svg: str) -> list[str]:
    return ["".join(node.itertext()) for node in ET.fromstring(svg.encode()).iter(f"{SVG}text")]


def _paths(svg: str) -> list[ET.Element]:
    return list(ET.fromstring(svg.encode()).iter(f"{SVG}path"))


def _assert_clear(layout: SketchLayout) -> None:
    """No label outside the canvas, over another label or over any glyph."""
    for label in layout.labels:
        assert label.box.inside(layout.width, layout.height), label
        for glyph in layout.glyphs:
            assert not label.box.overlaps(glyph.box), (label.name, glyph.name)
    for a, b in itertools.combinations(layout.labels, 2):
        assert not a.box.overlaps(b.box), (a.name, b.name)


@pytest.mark.parametrize("style", STYLES)
def test_every_object_name_is_an_svg_text(small_spec: FactorySpec, style: str) -> None:
    rng = np.random.default_rng(11)
    for spec in [small_spec, *(random_spec(rng) for _ in range(10))]:
        texts = _texts(render_sketch_svg(spec, style=style, seed=3))
        assert sorted(texts) == sorted(obj.name for obj in spec.objects)


@pytest.mark.parametrize("style", STYLES)
def test_one_arrowhead_per_a_connection_and_one_dashed_line_per_s(style: str) -> None:
    for spec in sample_specs(40, seed=5):
        svg = render_sketch_svg(spec, style=style, seed=1)
        paths = _paths(svg)
        arrows = [p for p in paths if p.get("class") == "arrowhead"]
        dashed = [p for p in paths if "stroke-dasharray" in p.attrib and p.get("class") != "leader"]
        assert len(arrows) == sum(c.port == "A" for c in spec.connections)
        assert len(dashed) == sum(c.port == "S" for c in spec.connections)
        assert "<marker" not in svg


@pytest.mark.parametrize("style", STYLES)
def test_each_arrowhead_sits_on_the_end_of_its_edge(style: str) -> None:
    for spec in sample_specs(20, seed=6):
        paths = _paths(render_sketch_svg(spec, style=style, seed=2))
        for edge, head in itertools.pairwise(paths):
            if head.get("class") != "arrowhead":
                continue
            end = [float(v) for v in re.findall(r"-?\d+\.\d+", edge.get("d"))[-2:]]
            tip = [float(v) for v in re.findall(r"-?\d+\.\d+", head.get("d"))[:2]]
            assert edge.get("class") in ("flow", "team")
            assert np.hypot(end[0] - tip[0], end[1] - tip[1]) < 1.0, (edge.get("d"), head.get("d"))


def test_arrows_end_outside_their_target_glyph() -> None:
    for spec in sample_specs(40, seed=9):
        layout = sketch_layout(spec)
        glyphs = {g.name: g for g in layout.glyphs}
        for edge in layout.edges:
            target = glyphs[edge.target]
            distance = np.hypot(edge.end[0] - target.cx, edge.end[1] - target.cy)
            assert distance > min(target.half_w, target.half_h), edge


@pytest.mark.parametrize("style", STYLES)
def test_same_spec_style_and_seed_give_the_same_bytes(small_spec: FactorySpec, style: str) -> None:
    first = render_sketch_svg(small_spec, style=style, seed=42)
    assert first == render_sketch_svg(small_spec, style=style, seed=42)
    assert re.findall(r'id="([^"]+)"', first) == []


def test_hand_style_depends_on_the_seed_and_clean_does_not(small_spec: FactorySpec) -> None:
    assert render_sketch_svg(small_spec, style="hand", seed=1) != render_sketch_svg(small_spec, style="hand", seed=2)
    assert render_sketch_svg(small_spec, style="clean", seed=1) == render_sketch_svg(small_spec, style="clean", seed=2)


def test_canvas_size_is_the_svg_size(small_spec: FactorySpec) -> None:
    root = ET.fromstring(render_sketch_svg(small_spec, size=(512, 512)).encode())
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("512", "512", "0 0 512 512")


def test_unknown_style_is_refused(small_spec: FactorySpec) -> None:
    with pytest.raises(ValueError, match="style"):
        render_sketch_svg(small_spec, style="crayon")  # type: ignore[arg-type]


def test_sampled_specs_have_no_overlapping_labels() -> None:
    """Over 300 sampled specs (every layout and automation level), both styles and three sizes."""
    for index, spec in enumerate(sample_specs(300, seed=2024)):
        _assert_clear(sketch_layout(spec, style=STYLES[index % 2], seed=index, size=SIZES[index % 3]))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), squeeze=st.booleans(), style=st.sampled_from(STYLES),
       size=st.sampled_from(SIZES))
def test_awkward_specs_have_no_overlapping_labels(seed: int, squeeze: bool, style: str,
                                                  size: tuple[int, int]) -> None:
    """Long and non-ASCII names, objects closer together than a glyph is wide, up to 40 objects."""
    spec = random_spec(np.random.default_rng(seed), squeeze=squeeze)
    _assert_clear(sketch_layout(spec, style=style, seed=seed, size=size))
