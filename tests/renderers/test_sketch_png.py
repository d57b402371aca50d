"""Sketch PNGs: decode at the requested size, show the labels, letterbox squares, repeat byte for byte;
the size parser and the ``twinforge sketch`` command."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.conftest import SMALL_SPEC
from twinforge.cli import main
from twinforge.errors import UserError
from twinforge.families.factory.sampler import sample_specs
from twinforge.renderers.sketch import parse_size, render_sketch_svg, sketch_layout, svg_to_png
from twinforge.renderers.sketch_text import FONT_FAMILY, text_height, text_width
from twinforge.schemas import FactorySpec


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float)


@pytest.mark.parametrize("size", [(768, 384), (512, 512), (336, 336), (1024, 256)])
def test_png_decodes_at_the_requested_size(small_spec: FactorySpec, size: tuple[int, int]) -> None:
    png = svg_to_png(render_sketch_svg(small_spec, size=size), size)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == size


@pytest.mark.parametrize("style", ["clean", "hand"])
def test_every_label_is_visible_ink_in_the_png(small_spec: FactorySpec, style: str) -> None:
    layout = sketch_layout(small_spec, style=style, seed=4)
    pixels = _pixels(svg_to_png(render_sketch_svg(small_spec, style=style, seed=4)))
    for label in layout.labels:
        box = label.box
        patch = pixels[int(box.y0):int(np.ceil(box.y1)), int(box.x0):int(np.ceil(box.x1))]
        assert (patch < 110).sum() > 4 * len(label.name), label.name


def test_square_sizes_letterbox_a_wide_sketch_on_paper(small_spec: FactorySpec) -> None:
    pixels = _pixels(svg_to_png(render_sketch_svg(small_spec, size=(768, 384)), (512, 512)))
    band = (512 - 256) // 2
    assert np.ptp(pixels[: band - 1]) == 0 and np.ptp(pixels[band + 257:]) == 0
    assert pixels[band:band + 256].min() < 100


@pytest.mark.parametrize("text", ["WWWW MMMM", "Mask Coater", "iiii lll", "Étuve <3> & Q", "Line_A.Cell 12"])
@pytest.mark.parametrize("italic", [False, True])
def test_label_boxes_hold_the_drawn_text(text: str, italic: bool) -> None:
    """The layout's width and height estimates are upper bounds of the ink the rasteriser draws."""
    size, x0, baseline = 40.0, 20.0, 80.0
    style = ' font-style="italic"' if italic else ""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="900" height="120" viewBox="0 0 900 120">'
           f'<text x="{x0}" y="{baseline}" font-size="{size}" font-family="{FONT_FAMILY}"{style}>{escaped}</text></svg>')
    ink = np.argwhere(_pixels(svg_to_png(svg, (900, 120))) < 200)
    assert len(ink) > 0
    assert ink[:, 1].max() - x0 <= text_width(text, size, italic=italic)
    assert ink[:, 0].max() - ink[:, 0].min() <= text_height(size)


def _digests(style: str, seed: int) -> str:
    """SVG and PNG digests of the small spec and of sampled specs with a pack and a join combiner,
    random routing and all four line kinds, at 768x768."""
    specs = [FactorySpec.model_validate(SMALL_SPEC)] + [
        spec for index, spec in enumerate(sample_specs(164, seed=21)) if index in (4, 84, 163)]
    digests = []
    for spec in specs:
        svg = render_sketch_svg(spec, style=style, seed=seed)
        digests.append(hashlib.sha256(svg.encode()).hexdigest() + hashlib.sha256(svg_to_png(svg)).hexdigest())
    return ",".join(digests)


def test_bytes_repeat_across_runs_and_processes() -> None:
    """Same spec, style, seed and size: the same SVG and PNG bytes, here and in a fresh process
    with another hash seed (the hand style's pencil and lettering included)."""
    here = [_digests("hand", 8), _digests("clean", 0)]
    assert here == [_digests("hand", 8), _digests("clean", 0)]
    code = ("from tests.renderers.test_sketch_png import _digests; "
            "print(_digests('hand', 8)); print(_digests('clean', 0))")
    fresh = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                           cwd=Path(__file__).resolve().parents[2],
                           env={"PYTHONHASHSEED": "123", "PATH": ""}).stdout.split()
    assert fresh == here


@pytest.mark.parametrize(("text", "size"), [("768x384", (768, 384)), ("512", (512, 512)), (" 336 X 336 ", (336, 336))])
def test_parse_size_reads_wxh_or_a_square(text: str, size: tuple[int, int]) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "x", "768x", "x384", "-5", "0", "12.5", "768x384x2", "10", "99999"])
def test_parse_size_refuses_bad_input(text: str) -> None:
    with pytest.raises(UserError, match="size"):
        parse_size(text)


def test_cli_writes_svg_and_png_for_one_spec(tmp_path, small_spec_data: dict) -> None:
    spec_file = tmp_path / "line.json"
    spec_file.write_text(json.dumps(small_spec_data), encoding="utf-8")
    svg, png = tmp_path / "out" / "line.svg", tmp_path / "line.png"
    code = main(["sketch", str(spec_file), "--out", str(svg), "--png", str(png), "--size", "512",
                 "--style", "hand", "--seed", "3"])
    assert code == 0
    assert svg.read_text(encoding="utf-8") == render_sketch_svg(
        FactorySpec.model_validate(small_spec_data), style="hand", seed=3, size=(512, 512))
    assert Image.open(png).size == (512, 512)


def test_cli_writes_one_pair_per_line_of_a_jsonl(tmp_path, small_spec_data: dict) -> None:
    second = json.loads(json.dumps(small_spec_data))
    second["objects"][2]["name"] = "Second Coater"
    for conn in second["connections"]:
        for end in ("from", "to"):
            if conn[end] == "Mask Coater":
                conn[end] = "Second Coater"
    specs = tmp_path / "many.jsonl"
    specs.write_text("\n".join(json.dumps(d) for d in (small_spec_data, second)) + "\n", encoding="utf-8")
    assert main(["sketch", str(specs), "--out-dir", str(tmp_path / "sk")]) == 0
    svgs = sorted((tmp_path / "sk").glob("*.svg"))
    assert [p.name for p in svgs] == ["many-00000.svg", "many-00001.svg"]
    assert "Second Coater" in svgs[1].read_text(encoding="utf-8")
    assert all(Image.open(p.with_suffix(".png")).size == (768, 768) for p in svgs)


def test_cli_reports_a_bad_size(tmp_path, small_spec_data: dict, capsys) -> None:
    spec_file = tmp_path / "line.json"
    spec_file.write_text(json.dumps(small_spec_data), encoding="utf-8")
    assert main(["sketch", str(spec_file), "--out", str(tmp_path / "a.svg"), "--size", "big"]) == 2
    assert "size 'big'" in capsys.readouterr().err
