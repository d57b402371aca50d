"""Label text turned into glyph outlines before rasterising: placed where the text was, nothing lost."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from twinforge.renderers.sketch import render_sketch_svg, sketch_layout
from twinforge.renderers.sketch_outlines import outline_text, text_advance
from twinforge.renderers.sketch_paper import blank
from twinforge.renderers.sketch_raster import PAPER, rasterise, svg_to_png
from twinforge.schemas import FactorySpec

HEAD = '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100" viewBox="0 0 400 100">'


def _ink_columns(svg: str) -> np.ndarray:
    pixels = np.asarray(Image.open(io.BytesIO(svg_to_png(svg, (400, 100)))).convert("L"))
    return np.flatnonzero((pixels < 160).any(axis=0))


@pytest.mark.parametrize("style", ["clean", "hand"])
def test_every_label_becomes_its_glyphs_and_no_text_is_left(small_spec: FactorySpec, style: str) -> None:
    svg = render_sketch_svg(small_spec, style=style, seed=5)
    outlined = outline_text(svg)
    texts = ["".join(t.itertext()) for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert {obj.name for obj in small_spec.objects} <= set(texts)
    inked = sum(len(text) - text.count(" ") for text in texts)
    assert "<text" not in outlined
    assert outlined.count("<use") == inked
    glyphs = set(re.findall(r'<path id="([^"]*)"', outlined))
    assert set(re.findall(r'<use xlink:href="#([^"]*)"', outlined)) == glyphs
    assert outlined.count("<path") == svg.count("<path") + len(glyphs)
    assert outline_text(svg, shared=False).count("<path") == svg.count("<path") + inked


@pytest.mark.parametrize("style", ["clean", "hand"])
@pytest.mark.parametrize("shared", [True, False])
def test_everything_but_the_text_is_copied_as_it_was(small_spec: FactorySpec, style: str, shared: bool) -> None:
    svg = render_sketch_svg(small_spec, style=style, seed=5)
    glyph = r'<use xlink:href="#[^"]*"' if shared else r'<path d="[^"]*"'
    outline_group = rf'<g transform="[^"]*"[^>\n]*>(?:{glyph} transform="[^"]*" />)*</g>'
    outside = re.split(r"<text\b.*?</text>", svg, flags=re.DOTALL)
    outlined = re.sub(r"<defs>(?:<path [^>]*/>)*</defs>", "", outline_text(svg, shared=shared), count=1)
    assert re.split(f"(?:{outline_group})+", outlined) == outside


@pytest.mark.parametrize("style", ["clean", "hand"])
def test_shared_glyph_outlines_give_the_pixels_of_outlines_written_in_place(small_spec: FactorySpec,
                                                                            style: str) -> None:
    """Each glyph drawn as a ``<use>`` of one outline in ``<defs>`` (what the PNG is made from) gives
    Skia's pixels of every glyph written out as its own ``<path>``, to the byte."""
    svg = render_sketch_svg(small_spec, style=style, seed=5)
    shared, in_place = (rasterise(outline_text(svg, shared=flag), blank(768, 768, PAPER)) for flag in (True, False))
    assert (shared != blank(768, 768, PAPER)).any()
    np.testing.assert_array_equal(shared, in_place)


def test_shared_outlines_are_well_formed_xml_with_every_glyph_defined_once() -> None:
    svg = HEAD + '<text x="20" y="60" font-size="30">Mama</text><text x="20" y="90" font-size="9">am</text></svg>'
    outlined = ET.fromstring(outline_text(svg))
    xlink, svg_ns = "{http://www.w3.org/1999/xlink}href", "{http://www.w3.org/2000/svg}"
    defined = [path.get("id") for path in outlined.find(f"{svg_ns}defs")]
    used = [use.get(xlink) for use in outlined.iter(f"{svg_ns}use")]
    assert len(defined) == len(set(defined)) == 3
    assert len(used) == 6 and {href.lstrip("#") for href in used} == set(defined)


def test_text_outside_the_root_element_is_refused() -> None:
    with pytest.raises(ValueError, match="root <svg>"):
        outline_text('<text x="10" y="70" font-size="9">Mixer</text>' + HEAD + "</svg>")


def test_a_group_s_attributes_reach_only_the_texts_inside_it() -> None:
    """Nested groups: the inner text is italic and 30 px, the next one 30 px upright (the inner group
    has closed), the last one outside both groups sets its own size."""
    svg = HEAD + ('<g font-size="30"><g font-style="italic"><text x="10" y="60">I</text></g>'
                  '<text x="10" y="90">I</text></g><text x="10" y="90" font-size="12">I</text></svg>')
    outlined = outline_text(svg, shared=False)
    assert [g.split("scale")[1] for g in re.findall(r'<g transform="([^"]*)"', outlined)] == [
        "(30.000)", "(30.000)", "(12.000)"]
    italic, upright = (re.search(r'<path d="([^"]*)"', outline_text(
        HEAD + f'<text x="0" y="0" font-size="9"{extra}>I</text></svg>', shared=False)).group(1)
        for extra in (' font-style="italic"', ""))
    assert italic != upright
    assert re.findall(r'<path d="([^"]*)"', outlined) == [italic, upright, upright]


def test_rotated_labels_keep_their_rotation(small_spec: FactorySpec) -> None:
    svg = render_sketch_svg(small_spec, style="hand", seed=5)
    turns = re.findall(r'<text[^>]*transform="(rotate\([^)]*\))"', svg)
    outlined = outline_text(svg)
    assert turns and all(f'transform="{turn} translate(' in outlined for turn in turns)


@pytest.mark.parametrize(("anchor", "shift"), [("start", 0.5), ("middle", 0.0), ("end", -0.5)])
def test_text_anchor_places_the_ink(anchor: str, shift: float) -> None:
    """The ink's centre is ``x`` plus half the advance (start), ``x`` (middle) or minus half (end)."""
    advance = text_advance("HHHH") * 40
    ink = _ink_columns(HEAD + f'<text x="200" y="70" font-size="40" text-anchor="{anchor}">HHHH</text></svg>')
    centre = (ink.min() + ink.max()) / 2
    assert abs(centre - (200 + shift * advance)) < 3, (anchor, centre)


def test_inherited_font_size_and_italic_come_from_the_group() -> None:
    upright = HEAD + '<g font-size="30"><text x="10" y="60">Illl</text></g></svg>'
    leaning = HEAD + '<g font-size="30" font-style="italic"><text x="10" y="60">Illl</text></g></svg>'
    assert outline_text(upright) != outline_text(leaning)
    assert 'scale(30.000)' in outline_text(upright)


def test_characters_beyond_ascii_are_drawn() -> None:
    ink = _ink_columns(HEAD + '<text x="10" y="70" font-size="40">Étuve</text></svg>')
    assert ink.max() - ink.min() > 80


def test_a_text_without_a_font_size_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'Mixer'.*font-size"):
        outline_text(HEAD + '<text x="10" y="70">Mixer</text></svg>')


def test_per_character_moves_and_turns_are_drawn() -> None:
    """``dx``, ``dy`` and ``rotate`` lists (hand lettering) move and turn single glyphs: a ``dy`` on
    the second character lowers the rest, and the first ``dx`` shifts the whole word."""
    plain = HEAD + '<text x="20" y="60" font-size="30">HHHH</text></svg>'
    lowered = HEAD + '<text x="20" y="60" font-size="30" dy="0 15">HHHH</text></svg>'
    shifted = HEAD + '<text x="20" y="60" font-size="30" dx="30">HHHH</text></svg>'
    turned = HEAD + '<text x="20" y="60" font-size="30" rotate="0 10 -10 5">HHHH</text></svg>'
    assert _ink_columns(shifted).min() - _ink_columns(plain).min() == pytest.approx(30, abs=1)
    rows = [np.flatnonzero((_gray(svg) < 160).any(axis=1)) for svg in (plain, lowered)]
    assert rows[1].max() - rows[0].max() == pytest.approx(15, abs=1)
    assert outline_text(turned) != outline_text(plain) and "rotate(10)" in outline_text(turned)


def test_tspans_are_lines_at_their_own_x() -> None:
    """A name on two lines (two ``tspan`` at the same x, the second ``dy`` lower) keeps its text and
    draws each line centred on x."""
    svg = (HEAD + '<text x="200" y="40" font-size="20" text-anchor="middle"><tspan x="200">HH</tspan> '
           '<tspan x="200" dy="30">HHHH</tspan></text></svg>')
    pixels = _gray(svg) < 160
    widths = []
    for half in (pixels[:45], pixels[45:]):
        columns = np.flatnonzero(half.any(axis=0))
        assert abs((columns.min() + columns.max()) / 2 - 200) < 2
        widths.append(columns.max() - columns.min())
    assert widths[1] > 1.8 * widths[0]
    assert "".join(ET.fromstring(svg).itertext()) == "HH HHHH"


def _gray(svg: str) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(svg_to_png(svg, (400, 100)))).convert("L"))


@pytest.mark.parametrize("style", ["clean", "hand"])
def test_outlined_labels_fill_their_layout_boxes(small_spec: FactorySpec, style: str) -> None:
    """The ink of each outlined label lies inside the box the layout reserved for it (hand lettering
    and the letters' thin outline included)."""
    layout = sketch_layout(small_spec, style=style, seed=2)
    svg = render_sketch_svg(small_spec, style=style, seed=2)
    for label in layout.labels:
        alone = re.sub(r"<text[^>]*>(?!" + re.escape(label.name.replace("&", "&amp;")) + r"<)[^<]*</text>", "", svg)
        alone = re.sub(r"<(path|rect)\b[^>]*/>", "", alone)
        pixels = np.asarray(Image.open(io.BytesIO(svg_to_png(alone))).convert("L"))
        rows, cols = np.nonzero(pixels < 160)
        box = label.box
        assert len(cols) > 0, label.name
        assert box.x0 - 1 <= cols.min() and cols.max() <= box.x1 + 1, label.name
        assert box.y0 - 1 <= rows.min() and rows.max() <= box.y1 + 1, label.name


def test_move_lists_take_commas_and_px_and_name_a_bad_item() -> None:
    plain = outline_text(HEAD + '<text x="20" y="60" font-size="30" dx="3 -4.5" rotate="0 10">HH</text></svg>')
    spelled = outline_text(HEAD + '<text x="20" y="60" font-size="30" dx=" 3px, -4.5px " rotate="0,10">HH</text></svg>')
    assert spelled == plain and "rotate(10)" in plain
    with pytest.raises(ValueError, match="'HH'.*dx '4x'"):
        outline_text(HEAD + '<text x="20" y="60" font-size="30" dx="3 4x">HH</text></svg>')
