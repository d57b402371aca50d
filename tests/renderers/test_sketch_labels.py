"""Sketch labels drawn with Skia's text: in their boxes, in the font and style the SVG asks for, and
in the drawing order of the document."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import skia
from PIL import Image

from twinforge.renderers.sketch import render_sketch_svg, sketch_layout
from twinforge.renderers.sketch_labels import (
    Label,
    _skia_paint,
    _text_blob,
    label_steps,
    text_advance,
    typeface,
)
from twinforge.renderers.sketch_raster import svg_to_png
from twinforge.renderers.sketch_text import font_files
from twinforge.schemas import FactorySpec

HEAD = '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100" viewBox="0 0 400 100">'


def _gray(svg: str, size: tuple[int, int] = (400, 100)) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(svg_to_png(svg, size))).convert("L"))


def _ink_columns(svg: str) -> np.ndarray:
    return np.flatnonzero((_gray(svg) < 160).any(axis=0))


def _labels(svg: str) -> list[Label]:
    return [step for step in label_steps(svg) if isinstance(step, Label)]


@pytest.mark.parametrize("style", ["clean", "hand"])
def test_each_label_s_ink_lies_inside_its_layout_box(small_spec: FactorySpec, style: str) -> None:
    """The ink of each label lies inside the box the layout reserved for it (hand lettering and the
    letters' thin outline included)."""
    layout = sketch_layout(small_spec, style=style, seed=2)
    svg = render_sketch_svg(small_spec, style=style, seed=2)
    for label in layout.labels:
        alone = re.sub(r"<text[^>]*>(?!" + re.escape(label.name.replace("&", "&amp;")) + r"<)[^<]*</text>", "", svg)
        alone = re.sub(r"<(path|rect)\b[^>]*/>", "", alone)
        rows, cols = np.nonzero(_gray(alone, (768, 768)) < 160)
        box = label.box
        assert len(cols) > 0, label.name
        assert box.x0 - 1 <= cols.min() and cols.max() <= box.x1 + 1, label.name
        assert box.y0 - 1 <= rows.min() and rows.max() <= box.y1 + 1, label.name


@pytest.mark.parametrize("style", ["clean", "hand"])
def test_every_text_of_a_sketch_becomes_one_label_between_pieces_without_text(small_spec: FactorySpec,
                                                                              style: str) -> None:
    svg = render_sketch_svg(small_spec, style=style, seed=5)
    steps = label_steps(svg)
    pieces = [step for step in steps if isinstance(step, str)]
    texts = re.findall(r"<text\b[^>]*>(.*?)</text>", svg)
    assert ["".join(run.text for run in label.runs) for label in _labels(svg)] == texts
    assert all("<text" not in piece and piece.rstrip().endswith("</svg>") for piece in pieces)
    assert sum(piece.count("<path") for piece in pieces) == svg.count("<path")


def test_italic_labels_use_the_oblique_font() -> None:
    regular, oblique = font_files()
    assert typeface(True).getPostScriptName() == "DejaVuSans-Oblique" and "Oblique" in oblique
    assert typeface(False).getPostScriptName() == "DejaVuSans" and regular.endswith("DejaVuSans.ttf")
    upright = HEAD + '<text x="20" y="70" font-size="40">IIII</text></svg>'
    leaning = HEAD + '<text x="20" y="70" font-size="40" font-style="italic">IIII</text></svg>'
    assert [label.italic for label in _labels(leaning)] == [True]
    top, bottom = (np.flatnonzero(rows < 160) for rows in (_gray(leaning)[46], _gray(leaning)[68]))
    assert top.min() >= bottom.min() + 3  # each stem leans right going up (about 11 degrees)
    upright_rows = _gray(upright)
    assert np.flatnonzero(upright_rows[46] < 160).min() == np.flatnonzero(upright_rows[68] < 160).min()


def test_a_group_s_attributes_reach_only_the_texts_inside_it() -> None:
    """Nested groups: the inner text is italic and 30 px, the next one 30 px upright (the inner group
    has closed), the last one outside both groups sets its own size."""
    svg = HEAD + ('<g font-size="30"><g font-style="italic"><text x="10" y="60">I</text></g>'
                  '<text x="10" y="90">I</text></g><text x="10" y="90" font-size="12">I</text></svg>')
    assert [(label.size, label.italic) for label in _labels(svg)] == [(30, True), (30, False), (12, False)]


@pytest.mark.parametrize(("anchor", "shift"), [("start", 0.5), ("middle", 0.0), ("end", -0.5)])
def test_text_anchor_places_the_ink(anchor: str, shift: float) -> None:
    """The ink's centre is ``x`` plus half the advance (start), ``x`` (middle) or minus half (end)."""
    advance = text_advance("HHHH") * 40
    ink = _ink_columns(HEAD + f'<text x="200" y="70" font-size="40" text-anchor="{anchor}">HHHH</text></svg>')
    assert abs((ink.min() + ink.max()) / 2 - (200 + shift * advance)) < 3, anchor


def test_glyphs_advance_by_the_font_s_own_widths_without_kerning() -> None:
    """"AV" (a kerned pair in DejaVu Sans) is as wide as its two advances: the label boxes count on it."""
    label = _labels(HEAD + '<text x="10" y="70" font-size="40">AVA</text></svg>')[0]
    starts = [x for x, _ in label.runs[0].origins]
    assert np.diff(starts).tolist() == pytest.approx([text_advance("A") * 40, text_advance("V") * 40])
    assert text_advance("AV") == pytest.approx(0.684 + 0.684, abs=1e-3)  # sketch_text's advances


def test_group_and_text_transforms_move_the_ink() -> None:
    plain = HEAD + '<text x="20" y="70" font-size="30">HH</text></svg>'
    moved = HEAD + '<g transform="translate(100 0)"><text x="20" y="70" font-size="30">HH</text></g></svg>'
    scaled = HEAD + '<text x="20" y="70" font-size="30" transform="translate(200 0) scale(2 1)">HH</text></svg>'
    assert _ink_columns(moved).min() - _ink_columns(plain).min() == pytest.approx(100, abs=1)
    assert np.ptp(_ink_columns(scaled)) == pytest.approx(2 * np.ptp(_ink_columns(plain)), abs=2)


def test_per_character_moves_and_turns_are_drawn() -> None:
    """``dx``, ``dy`` and ``rotate`` lists (hand lettering) move and turn single glyphs: a ``dy`` on
    the second character lowers the rest, the first ``dx`` shifts the whole word, and a turned ``I``
    leans as the turn says (clockwise for a positive angle, about its origin on the baseline)."""
    plain = HEAD + '<text x="20" y="60" font-size="30">HHHH</text></svg>'
    lowered = HEAD + '<text x="20" y="60" font-size="30" dy="0 15">HHHH</text></svg>'
    shifted = HEAD + '<text x="20" y="60" font-size="30" dx="30">HHHH</text></svg>'
    assert _ink_columns(shifted).min() - _ink_columns(plain).min() == pytest.approx(30, abs=1)
    rows = [np.flatnonzero((_gray(svg) < 160).any(axis=1)) for svg in (plain, lowered)]
    assert rows[1].max() - rows[0].max() == pytest.approx(15, abs=1)
    turned = _gray(HEAD + '<text x="100" y="90" font-size="60" rotate="20">I</text></svg>') < 160
    top, bottom = np.flatnonzero(turned[60]), np.flatnonzero(turned[85])
    assert top.mean() > bottom.mean() + 8  # a clockwise turn swings the top of the stem right
    assert _labels(HEAD + '<text x="20" y="60" font-size="30" rotate="0 10">HHH</text></svg>')[0].runs[0].turns == (
        0, 10, 10)  # the last angle holds for the characters after it


def test_tspans_are_lines_at_their_own_x() -> None:
    """A name on two lines (two ``tspan`` at the same x, the second ``dy`` lower) draws each line
    centred on x."""
    svg = (HEAD + '<text x="200" y="40" font-size="20" text-anchor="middle"><tspan x="200">HH</tspan> '
           '<tspan x="200" dy="30">HHHH</tspan></text></svg>')
    pixels = _gray(svg) < 160
    widths = []
    for half in (pixels[:45], pixels[45:]):
        columns = np.flatnonzero(half.any(axis=0))
        assert abs((columns.min() + columns.max()) / 2 - 200) < 2
        widths.append(columns.max() - columns.min())
    assert widths[1] > 1.8 * widths[0]


def test_what_follows_a_label_in_the_document_is_drawn_over_it() -> None:
    """A rectangle after a text hides it; one before it is drawn under it (z-order of the SVG)."""
    text = '<text x="20" y="70" font-size="40" fill="#263238">HHHH</text>'
    box = '<rect x="0" y="0" width="400" height="100" fill="#1f5fae" />'
    assert np.ptp(_gray(HEAD + text + box + "</svg>")) == 0
    assert np.ptp(_gray(HEAD + box + text + "</svg>")) > 20


def test_fill_opacity_and_stroke_paint_the_label() -> None:
    solid, faint = (_gray(HEAD + f'<text x="20" y="70" font-size="40" fill="#263238" fill-opacity="{opacity}">'
                          'HHHH</text></svg>') for opacity in ("1", "0.3"))
    assert solid.min() < 60 and 120 < faint.min() < 220
    stroked = _gray(HEAD + '<text x="20" y="70" font-size="40" fill="#263238" stroke="#263238" stroke-width="3">'
                    'HHHH</text></svg>')
    assert (stroked < 160).sum() > 1.3 * (solid < 160).sum()


def test_characters_beyond_ascii_are_drawn() -> None:
    ink = _ink_columns(HEAD + '<text x="10" y="70" font-size="40">Étuve</text></svg>')
    assert ink.max() - ink.min() > 80


@pytest.mark.parametrize(("text", "message"), [
    ('<text x="10" y="70">Mixer</text>', "'Mixer'.*font-size"),
    ('<text x="10" y="70" font-size="9" opacity="0.5">Mixer</text>', "opacity"),
    ('<g style="fill:red"><text x="10" y="70" font-size="9">Mixer</text></g>', "style"),
    ('<text x="10" y="70" font-size="9" fill="red">Mixer</text>', "'Mixer'.*fill 'red'"),
    ('<text x="20" y="60" font-size="30" dx="3 4x">HH</text>', "'HH'.*dx '4x'"),
    ('<text x="20" y="60" font-size="30" transform="perspective(2)">HH</text>', "transform"),
])
def test_a_label_that_cannot_be_drawn_as_asked_is_refused_by_name(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        label_steps(HEAD + text + "</svg>")


def test_a_group_s_style_is_refused_only_around_a_text() -> None:
    faint_path = '<g opacity="0.5"><path d="M10 10H300" stroke="#263238" stroke-width="4" /></g>'
    assert len(label_steps(HEAD + faint_path + '<text x="10" y="70" font-size="9">Mixer</text></svg>')) == 2
    with pytest.raises(ValueError, match="'Mixer'.*opacity.*group"):
        label_steps(HEAD + '<g opacity="0.5"><text x="10" y="70" font-size="9">Mixer</text></g></svg>')


def test_a_text_outside_the_root_element_is_refused() -> None:
    with pytest.raises(ValueError, match="root <svg>"):
        label_steps(HEAD + "</svg>" + '<text x="20" y="70" font-size="40">IIII</text>')


def test_move_lists_take_commas_and_px() -> None:
    plain = _labels(HEAD + '<text x="20" y="60" font-size="30" dx="3 -4.5" rotate="0 10">HH</text></svg>')
    spelled = _labels(HEAD + '<text x="20" y="60" font-size="30" dx=" 3px, -4.5px " rotate="0,10">HH</text></svg>')
    assert spelled == plain and plain[0].runs[0].turns == (0, 10)


@pytest.mark.parametrize("anchor", ["start", "middle", "end"])
def test_a_label_without_moves_is_placed_as_one_with_zero_moves(anchor: str) -> None:
    """A text with no ``dx``/``dy``/``rotate`` takes the short way to its glyph origins; the same text
    with every move spelled out as zero (the per-character loop) gives the very same label."""
    text = f'<text x="20.3" y="60.7" font-size="22.59" text-anchor="{anchor}"'
    plain = _labels(HEAD + text + ">Sewing Machine 1</text></svg>")
    zeros = " ".join(["0"] * len("Sewing Machine 1"))
    moved = _labels(HEAD + text + f' dx="{zeros}" dy="{zeros}" rotate="{zeros}">Sewing Machine 1</text></svg>')
    assert plain == moved and len(set(plain[0].runs[0].origins)) == len("Sewing Machine 1")


def test_upright_runs_given_by_baseline_draw_the_pixels_of_runs_given_as_points(small_spec: FactorySpec) -> None:
    """The blob of x positions on one baseline (clean labels, tspan lines) draws exactly what the blob of
    one point per glyph draws, fill and stroke."""
    lines = HEAD + ('<text x="40" y="30" font-size="20" stroke="#263238" stroke-width="0.8"><tspan x="40">two</tspan>'
                    '<tspan x="40" dy="20">lines</tspan></text></svg>')
    labels = _labels(render_sketch_svg(small_spec, style="clean", seed=4)) + _labels(lines)
    assert len(labels) > 3 and len(labels[-1].runs) == 2
    for label in labels:
        drawn = []
        for by_baseline in (True, False):
            pixels = np.full((200, 800, 4), 255, dtype=np.uint8)
            surface = skia.Surface(pixels, colorType=skia.kBGRA_8888_ColorType)
            canvas = surface.getCanvas()
            canvas.translate(20 - label.runs[0].origins[0][0], 60 - label.runs[0].origins[0][1])
            blob = _text_blob(label, by_baseline)
            for paint in (label.fill, label.stroke):
                style = skia.Paint.kFill_Style if paint is label.fill else skia.Paint.kStroke_Style
                canvas.drawTextBlob(blob, 0, 0, _skia_paint(paint, style))
            drawn.append(pixels)
        assert (drawn[0] < 200).any() and np.array_equal(drawn[0], drawn[1])


def test_the_font_is_read_without_asking_fontconfig() -> None:
    """Loading both font files in a fresh process prints nothing (Skia's default font manager reads the
    system's fontconfig files, and may warn about them on stderr)."""
    code = ("import skia; from twinforge.renderers.sketch_labels import typeface; "
            "assert typeface(False) and typeface(True)")
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.stderr == "" and skia.FontMgr  # the custom empty font manager is Skia's public API


def test_a_sketch_s_png_does_not_depend_on_what_the_process_drew_before(small_spec: FactorySpec) -> None:
    """Skia keeps glyph masks and we keep glyph outlines from sketch to sketch: a hand sketch drawn
    first thing in a fresh process has the bytes it has here after other sketches at other sizes."""
    for style, size in (("clean", (512, 384)), ("hand", (336, 336)), ("hand", (768, 384))):
        svg_to_png(render_sketch_svg(small_spec, style=style, seed=3, size=size), size)
    here = hashlib.sha256(svg_to_png(render_sketch_svg(small_spec, style="hand", seed=8))).hexdigest()
    code = ("import hashlib; from tests.conftest import SMALL_SPEC; "
            "from twinforge.schemas import FactorySpec; "
            "from twinforge.renderers.sketch import render_sketch_svg, svg_to_png; "
            "svg = render_sketch_svg(FactorySpec.model_validate(SMALL_SPEC), style='hand', seed=8); "
            "print(hashlib.sha256(svg_to_png(svg)).hexdigest())")
    fresh = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                           cwd=Path(__file__).resolve().parents[2]).stdout.strip()
    assert fresh == here


def test_a_document_without_text_is_one_piece_whatever_its_root() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10"><path d="M1 1H30" /></svg>'
    assert label_steps(svg) == [svg]


def test_letterboxed_labels_sit_where_the_viewbox_fit_puts_them() -> None:
    """A 400x100 sketch drawn at 400x400: the fit scales by 1 and moves everything 150 px down."""
    svg = HEAD + '<text x="20" y="70" font-size="30">HH</text></svg>'
    wide = np.flatnonzero((_gray(svg) < 160).any(axis=1))
    square = np.flatnonzero((_gray(svg, (400, 400)) < 160).any(axis=1))
    assert square.min() - wide.min() == 150 and square.max() - wide.max() == 150
