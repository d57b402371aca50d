"""Label text turned into glyph outlines before rasterising: placed where the text was, nothing lost."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image

from twinforge.renderers.sketch import render_sketch_svg, sketch_layout
from twinforge.renderers.sketch_outlines import outline_text, text_advance
from twinforge.renderers.sketch_raster import svg_to_png
from twinforge.schemas import FactorySpec

HEAD = '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100" viewBox="0 0 400 100">'


def _ink_columns(svg: str) -> np.ndarray:
    pixels = np.asarray(Image.open(io.BytesIO(svg_to_png(svg, (400, 100)))).convert("L"))
    return np.flatnonzero((pixels < 160).any(axis=0))


@pytest.mark.parametrize("style", ["clean", "hand"])
def test_every_label_becomes_its_glyphs_and_no_text_is_left(small_spec: FactorySpec, style: str) -> None:
    svg = render_sketch_svg(small_spec, style=style, seed=5)
    outlined = outline_text(svg)
    inked = sum(len(name) - name.count(" ") for name in (obj.name for obj in small_spec.objects))
    assert "<text" not in outlined
    assert outlined.count("<path") == svg.count("<path") + inked


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


def test_outlined_labels_fill_their_layout_boxes(small_spec: FactorySpec) -> None:
    """The ink of each outlined label lies inside the box the layout reserved for it."""
    layout = sketch_layout(small_spec, style="clean", seed=2)
    svg = render_sketch_svg(small_spec, style="clean", seed=2)
    for label in layout.labels:
        alone = re.sub(r"<text[^>]*>(?!" + re.escape(label.name.replace("&", "&amp;")) + r"<)[^<]*</text>", "", svg)
        alone = re.sub(r"<(path|rect)\b[^>]*/>", "", alone)
        pixels = np.asarray(Image.open(io.BytesIO(svg_to_png(alone))).convert("L"))
        rows, cols = np.nonzero(pixels < 160)
        box = label.box
        assert len(cols) > 0, label.name
        assert box.x0 - 1 <= cols.min() and cols.max() <= box.x1 + 1, label.name
        assert box.y0 - 1 <= rows.min() and rows.max() <= box.y1 + 1, label.name
