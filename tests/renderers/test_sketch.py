"""Sketch SVG: every name drawn, every connection drawn in the style of its kind with a head on each
A connection, no overlapping labels, marks or legend, same bytes per seed."""

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
from twinforge.renderers.sketch_geometry import Box
from twinforge.renderers.sketch_layout import SketchLayout
from twinforge.renderers.sketch_marks import _port_box
from twinforge.schemas import FactorySpec
from twinforge.schemas.objects import FLOW_KINDS

SVG = "{http://www.w3.org/2000/svg}"
STYLES = ("clean", "hand")
SIZES = ((768, 768), (768, 384), (512, 512), (336, 336))
LINE_CLASSES = ("flow", "transport", "operator", "team")


def label_texts(svg: str) -> list[str]:
    """The text of each label (the ``<text>`` elements of the labels group)."""
    groups = [g for g in ET.fromstring(svg.encode()).iter(f"{SVG}g") if g.get("class") == "labels"]
    return ["".join(node.itertext()) for g in groups for node in g.iter(f"{SVG}text")]


def _paths(svg: str) -> list[ET.Element]:
    return list(ET.fromstring(svg.encode()).iter(f"{SVG}path"))


def line_kinds(spec: FactorySpec) -> list[str]:
    """The line kinds the sketch must draw, one per line, worked out from the spec alone."""
    objects = {obj.name: obj for obj in spec.objects}
    kinds = []
    for conn in spec.connections:
        if conn.port == "A":
            kinds.append("flow" if objects[conn.from_].kind in FLOW_KINDS else "team")
            continue
        station = objects[conn.from_] if objects[conn.from_].kind in FLOW_KINDS else objects[conn.to]
        kinds += [kind for kind, flag in (("transport", "use_transport"), ("operator", "use_operator"))
                  if getattr(station, flag, False)]
    return kinds


def _assert_clear(layout: SketchLayout) -> None:
    """No label outside the canvas, over another label, a glyph, a mark or the legend; no port
    number over a glyph or another mark; no legend over a glyph."""
    notes = [mark.box for mark in layout.marks] + ([layout.legend.box] if layout.legend else [])
    for port in (mark for mark in layout.marks if mark.kind == "port"):
        for glyph in layout.glyphs:
            assert not port.box.overlaps(glyph.box), (port.owner, port.text, glyph.name)
        for other in layout.marks:
            assert other is port or not port.box.overlaps(other.box), (port.owner, port.text, other.text)
    for note in notes:
        assert note.inside(layout.width, layout.height), note
    for label in layout.labels:
        assert label.box.inside(layout.width, layout.height), label
        for glyph in layout.glyphs:
            assert not label.box.overlaps(glyph.box), (label.name, glyph.name)
        for note in notes:
            assert not label.box.overlaps(note), (label.name, note)
    for a, b in itertools.combinations(layout.labels, 2):
        assert not a.box.overlaps(b.box), (a.name, b.name)
    if layout.legend is not None:
        assert not any(layout.legend.box.overlaps(glyph.box) for glyph in layout.glyphs)


@pytest.mark.parametrize("style", STYLES)
def test_every_object_name_is_an_svg_text(small_spec: FactorySpec, style: str) -> None:
    rng = np.random.default_rng(11)
    for spec in [small_spec, *(random_spec(rng) for _ in range(10))]:
        texts = label_texts(render_sketch_svg(spec, style=style, seed=3))
        assert sorted(texts) == sorted(obj.name for obj in spec.objects)


@pytest.mark.parametrize("style", STYLES)
def test_every_connection_is_drawn_as_a_line_of_its_kind_and_a_connections_have_heads(style: str) -> None:
    """Each A connection is a flow or team line with one arrowhead; each S connection a transport or
    operator line (two side by side for a station that needs both), without a head."""
    for spec in sample_specs(40, seed=5):
        svg = render_sketch_svg(spec, style=style, seed=1)
        drawn = [p.get("class") for p in _paths(svg) if p.get("class") in LINE_CLASSES]
        assert drawn == [kind for kind in line_kinds(spec)], spec.connections
        assert sum(p.get("class") == "arrowhead" for p in _paths(svg)) == sum(c.port == "A" for c in spec.connections)
        assert "<marker" not in svg


def test_every_a_connection_has_an_edge_between_its_glyphs() -> None:
    """The drawn flow and team lines start at the border of the sending glyph and end near the
    receiving one, for every A connection of the spec."""
    for spec in sample_specs(60, seed=8):
        layout = sketch_layout(spec, seed=1)
        glyphs = {g.name: g for g in layout.glyphs}
        edges = {(e.source, e.target): e for e in layout.edges if e.port == "A"}
        for conn in (c for c in spec.connections if c.port == "A"):
            edge = edges[(conn.from_, conn.to)]
            for end, name in ((edge.start, conn.from_), (edge.end, conn.to)):
                glyph = glyphs[name]
                reach = np.hypot(glyph.half_w, glyph.half_h) + 6.0
                assert np.hypot(end[0] - glyph.cx, end[1] - glyph.cy) < reach, (conn, end)


def _line_style(path: ET.Element) -> tuple[str | None, ...]:
    """What tells a line apart: stroke or fill colour, dash pattern, and whether it is an outline."""
    return (path.get("stroke") or path.get("fill"), path.get("stroke-dasharray"), path.get("fill"))


@pytest.mark.parametrize("style", STYLES)
def test_the_four_line_kinds_have_four_distinct_styles(style: str) -> None:
    """Flow, transport, operator and team lines differ in colour and dash pattern (in both styles),
    and team arrowheads are open where flow arrowheads are filled."""
    specs = [s for s in sample_specs(120, seed=4) if {"flow", "team", "transport", "operator"} <= set(line_kinds(s))]
    assert specs
    for spec in specs[:5]:
        paths = _paths(render_sketch_svg(spec, style=style, seed=3))
        styles = {kind: {_line_style(p) for p in paths if p.get("class") == kind} for kind in LINE_CLASSES}
        assert all(len(found) == 1 for found in styles.values()) or style == "hand", styles
        colours = {kind: {s[0] for s in found} for kind, found in styles.items()}
        dashes = {kind: {s[1] for s in found} for kind, found in styles.items()}
        assert all(len(found) == 1 for found in colours.values()) and all(len(d) == 1 for d in dashes.values())
        assert len({next(iter(found)) for found in colours.values()}) == 4
        assert len({next(iter(found)) for found in dashes.values()}) == 4
        heads = [(line.get("class"), head.get("fill")) for line, head in itertools.pairwise(paths)
                 if head.get("class") == "arrowhead"]
        assert {fill for kind, fill in heads if kind == "team"} == {None}
        assert None not in {fill for kind, fill in heads if kind == "flow"}


@pytest.mark.parametrize("style", STYLES)
def test_each_arrowhead_sits_on_the_end_of_its_edge(style: str) -> None:
    for index, spec in enumerate(sample_specs(20, seed=6)):
        layout = sketch_layout(spec, style=style, seed=2)
        paths = _paths(render_sketch_svg(spec, style=style, seed=2))
        heads = [(line, head) for line, head in itertools.pairwise(paths) if head.get("class") == "arrowhead"]
        edges = [edge for edge in layout.edges if edge.port == "A"]
        assert len(heads) == len(edges)
        for (line, head), edge in zip(heads, edges):
            points = [float(v) for v in re.findall(r"-?\d+\.\d+", head.get("d"))]
            tip = points[:2] if head.get("fill") else points[2:4]
            assert line.get("class") in ("flow", "team")
            assert np.hypot(edge.end[0] - tip[0], edge.end[1] - tip[1]) < 1.5, (index, edge, head.get("d"))


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


def test_combiner_inputs_carry_their_port_numbers() -> None:
    """A pack combiner's feeder arrow is numbered 1 (the container), a join combiner's 2 (the part),
    and the line's own arrow the other number; each number is written in the SVG."""
    def mode(spec: FactorySpec) -> set[str]:
        return {o.mode for o in spec.objects if o.kind == "combiner"}

    specs = list(sample_specs(400, seed=21))
    modes = set()
    for spec in [s for s in specs if "join" in mode(s)][:4] + [s for s in specs if "pack" in mode(s)][:6]:
        layout = sketch_layout(spec, seed=1)
        svg = render_sketch_svg(spec, seed=1)
        ports = {(m.feeder, m.owner): m.text for m in layout.marks if m.kind == "port"}
        kinds = {obj.name: obj.kind for obj in spec.objects}
        for combiner in (o for o in spec.objects if o.kind == "combiner"):
            inputs = [c.from_ for c in spec.flow_connections() if c.to == combiner.name]
            assert [ports[(feeder, combiner.name)] for feeder in inputs] == [str(k + 1) for k in range(len(inputs))]
            feeders = [f for f in inputs if kinds[f] == "source"]
            wanted = {"pack": "1", "join": "2"}[combiner.mode]
            assert [ports[(f, combiner.name)] for f in feeders] == [wanted], (combiner.mode, inputs)
            modes.add(combiner.mode)
        marks = [g for g in ET.fromstring(svg.encode()).iter(f"{SVG}g") if g.get("class") == "marks"]
        assert sorted("".join(t.itertext()) for g in marks for t in g.iter(f"{SVG}text") if t.text.isdigit()) \
            == sorted(ports.values())
    assert modes == {"pack", "join"}


def test_a_port_number_takes_the_first_clear_spot_else_the_least_covered_one() -> None:
    """Spots are tried in order: the first clear one wins; when none is clear, the one covering the
    least area of glyphs and other numbers (before sketch 6, the first spot however covered)."""
    obstacles = [Box(0.0, 0.0, 40.0, 40.0), Box(60.0, 0.0, 100.0, 40.0)]
    covered = [(20.0, 20.0), (48.0, 20.0), (70.0, 20.0)]
    least = _port_box(iter(covered), 10.0, obstacles, (200, 200))
    assert (least.x0, least.y0, least.x1, least.y1) == (38.0, 10.0, 58.0, 30.0)
    first_clear = _port_box(iter([*covered, (20.0, 60.0), (150.0, 150.0)]), 10.0, obstacles, (200, 200))
    assert (first_clear.x0, first_clear.y0) == (10.0, 50.0)


def test_random_routing_is_marked_on_the_fan_out() -> None:
    """Every object that routes at random to several outputs gets the word "random" and an arc
    that crosses each of its outgoing arrows."""
    specs = [s for s in sample_specs(80, seed=12) if s.layout.value == "parallel"]
    assert specs
    for spec in specs:
        layout = sketch_layout(spec, style="hand", seed=2)
        routers = {o.name for o in spec.flow_objects if getattr(o, "routing", "") == "random"}
        assert routers
        marks = {m.owner: m for m in layout.marks if m.kind == "routing"}
        assert set(marks) == routers and all(m.text == "random" for m in marks.values())
        assert "random</text>" in render_sketch_svg(spec, style="hand", seed=2)
        for name, mark in marks.items():
            cx, cy, radius, first, last = mark.arc
            for edge in (e for e in layout.edges if e.source == name):
                angle = next(np.degrees(np.arctan2(y - cy, x - cx)) for x, y in edge.samples
                             if np.hypot(x - cx, y - cy) >= radius)
                assert any(first <= a <= last for a in (angle, angle + 360.0, angle - 360.0)), (name, edge)


def test_port_numbers_and_random_stay_on_the_canvas() -> None:
    """Parallel lines (a random-routing source, often a combiner) at every canvas size: before sketch 5,
    a source at the canvas's edge whose fan-out was crowded wrote "random" past the edge (3 of these
    100 specs)."""
    for index, spec in enumerate(sample_specs(100, seed=7, filters={"layout": "parallel"})):
        for size in SIZES:
            layout = sketch_layout(spec, style=STYLES[index % 2], seed=index, size=size)
            for mark in layout.marks:
                assert mark.box.inside(layout.width, layout.height), (index, size, mark)


def test_labels_stay_legible_when_the_sketch_is_scaled_to_336(small_spec: FactorySpec) -> None:
    """On a 768x768 canvas every text (labels, port numbers, "random", legend) of a model of up to 25
    objects is at least 9 px high once the sketch is scaled to 336x336 (its font size, the height
    of a line of capitals and descenders), in both styles."""
    specs = [s for s in sample_specs(300, seed=31) if len(s.objects) <= 25] + [small_spec]
    smallest = np.inf
    for index, spec in enumerate(specs):
        svg = render_sketch_svg(spec, style=STYLES[index % 2], seed=index, size=(768, 768))
        sizes = [float(t.get("font-size")) for t in ET.fromstring(svg.encode()).iter(f"{SVG}text")]
        assert len(sizes) >= len(spec.objects)
        smallest = min(smallest, min(sizes) * 336 / 768)
    assert smallest >= 9.0, smallest


def test_canvas_size_is_the_svg_size(small_spec: FactorySpec) -> None:
    root = ET.fromstring(render_sketch_svg(small_spec, size=(512, 512)).encode())
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("512", "512", "0 0 512 512")


def test_unknown_style_is_refused(small_spec: FactorySpec) -> None:
    with pytest.raises(ValueError, match="style"):
        render_sketch_svg(small_spec, style="crayon")  # type: ignore[arg-type]


def test_sampled_specs_have_no_overlapping_labels() -> None:
    """Over 300 sampled specs (every layout and automation level), both styles and three sizes. Their
    192 port numbers are all clear of glyphs and other marks (before sketch 6, 89 of them sat on a
    glyph's box, in 40 of these sketches)."""
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
