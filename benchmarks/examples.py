"""Write example sketches (SVG and PNG) from sampled specs: every layout x automation level, both styles.

Usage: ``python benchmarks/examples.py --out examples`` (``make examples``). Each cell of layout x
automation gets one sampled spec (industries and line types rotate), drawn in the clean and the
hand style at the corpus's 768x768. Every fifth cell is also written as a vision encoder sees it:
the PNG scaled to 336x336 and 224x224 (bicubic, as CLIP's image processor does). File names say
what is in them, so a reviewer can open them one by one.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
from pathlib import Path

from PIL import Image

from twinforge.families.factory.cells import Cell
from twinforge.families.factory.sampler import sample_spec
from twinforge.families.factory.stages import Stage
from twinforge.renderers.sketch import render_sketch_svg, svg_to_png
from twinforge.schemas import Automation, Industry, Layout, LineType, canonical_json
from twinforge.seeding import sample_rng, sample_seed

SIZE = (768, 768)
ENCODER_SIDES = (336, 224)
"""Shorter sides a vision encoder scales the sketch to (CLIP at 336 and 224 px)."""


def example_cells() -> list[Cell]:
    """One cell per layout x automation level, rotating industry and line type."""
    industries = itertools.cycle(Industry)
    cells = []
    for index, (layout, automation) in enumerate(itertools.product(Layout, Automation)):
        line_type = LineType.CONVEYOR if layout is Layout.CONVEYOR or index % 2 else LineType.WORKSTATION
        cells.append(Cell(next(industries), automation, layout, line_type))
    return cells


def write_examples(out: Path, seed: int) -> list[Path]:
    """Render the examples into ``out``; return the PNG paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    specs_file = out / "specs.jsonl"
    with specs_file.open("w", encoding="utf-8") as specs:
        for index, cell in enumerate(example_cells()):
            spec = sample_spec(sample_rng(seed, index, Stage.SPEC), cell)
            specs.write(canonical_json(spec) + "\n")
            sketch_seed = sample_seed(seed, index, Stage.SKETCH)
            stem = f"{index:02d}-{cell.layout.value}-{cell.automation.value}-{cell.line_type.value}"
            for style in ("clean", "hand"):
                svg = render_sketch_svg(spec, style=style, seed=sketch_seed, size=SIZE)
                name = f"{stem}-{style}-{SIZE[0]}x{SIZE[1]}"
                (out / f"{name}.svg").write_text(svg, encoding="utf-8")
                png = out / f"{name}.png"
                png.write_bytes(svg_to_png(svg, SIZE))
                written.append(png)
                if index % 5 == 0:
                    written += _encoder_views(png, out / f"{stem}-{style}")
    return written


def _encoder_views(png: Path, stem: Path) -> list[Path]:
    """The PNG scaled down as a vision encoder sees it, one file per side in ``ENCODER_SIDES``."""
    image = Image.open(io.BytesIO(png.read_bytes()))
    views = []
    for side in ENCODER_SIDES:
        view = stem.with_name(f"{stem.name}-seen-at-{side}x{side}.png")
        image.resize((side, side), Image.BICUBIC).save(view)
        views.append(view)
    return views


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="examples")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    written = write_examples(Path(args.out), args.seed)
    print(json.dumps({"out": args.out, "pngs": len(written)}))


if __name__ == "__main__":
    main()
