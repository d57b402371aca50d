"""Sketch benchmark: SVG build and PNG rasterisation time per sketch on one core, rasteriser
determinism, and the label-overlap check over many sampled specs.

Usage: ``python benchmarks/bench_sketch.py [--count 200] [--overlap-count 1000] [--compare-cairosvg]``.
Targets: SVG < 5 ms and PNG < 25 ms (median per 768x384 sketch). ``--compare-cairosvg`` also
times cairosvg on the same SVGs (it is not a dependency any more; install it to compare).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from twinforge.pipeline.sampler import sample_specs
from twinforge.renderers.sketch import render_sketch_svg, sketch_layout, svg_to_png
from twinforge.renderers.sketch_raster import PAPER, resize_root

STYLES = ("clean", "hand")
SIZES = ((768, 384), (512, 512), (336, 336))


def _timed(call: Callable[[], object]) -> float:
    """CPU seconds of this process for one call (robust to other jobs sharing the machine)."""
    start = time.process_time()
    call()
    return time.process_time() - start


def _cairosvg_png(svg: str, size: tuple[int, int]) -> bytes:
    import cairosvg

    return cairosvg.svg2png(bytestring=resize_root(svg, *size).encode("utf-8"), background_color=PAPER)


def _digest(pngs: list[bytes]) -> str:
    return hashlib.sha256(b"".join(pngs)).hexdigest()


def _rasterise_all(svgs: list[str], rasteriser: str) -> list[bytes]:
    raster = svg_to_png if rasteriser == "resvg" else _cairosvg_png
    return [raster(svg, (768, 384)) for svg in svgs]


def timings(count: int, compare_cairosvg: bool) -> dict:
    """Median CPU ms per sketch for building the SVG and for each rasteriser, per style."""
    specs = list(sample_specs(count, seed=7))
    result: dict = {"sketches": count}
    for style in STYLES:
        svg_ms, png_ms, cairo_ms = [], [], []
        for index, spec in enumerate(specs):
            svg_ms.append(_timed(partial(render_sketch_svg, spec, style=style, seed=index)))
            svg = render_sketch_svg(spec, style=style, seed=index)
            png_ms.append(_timed(partial(svg_to_png, svg, (768, 384))))
            if compare_cairosvg:
                cairo_ms.append(_timed(partial(_cairosvg_png, svg, (768, 384))))
        result[style] = {
            "svg_ms": round(statistics.median(svg_ms) * 1000, 2),
            "png_resvg_ms": round(statistics.median(png_ms) * 1000, 2),
            **({"png_cairosvg_ms": round(statistics.median(cairo_ms) * 1000, 2)} if compare_cairosvg else {}),
        }
    result["objects_mean"] = round(statistics.mean(len(s.objects) for s in specs), 1)
    return result


def determinism(count: int, compare_cairosvg: bool) -> dict:
    """Whether PNG bytes repeat within a process and in a fresh process, per rasteriser.

    The SVGs are built once and handed to the fresh process in a file, so only rasterisation is compared.
    """
    svgs = [render_sketch_svg(spec, style=STYLES[i % 2], seed=i) for i, spec in enumerate(sample_specs(count, seed=7))]
    out = {}
    with tempfile.TemporaryDirectory() as folder:
        svg_file = Path(folder) / "svgs.json"
        svg_file.write_text(json.dumps(svgs), encoding="utf-8")
        for rasteriser in ("resvg", "cairosvg") if compare_cairosvg else ("resvg",):
            first, second = _digest(_rasterise_all(svgs, rasteriser)), _digest(_rasterise_all(svgs, rasteriser))
            fresh = subprocess.run(
                [sys.executable, __file__, "--digest-only", rasteriser, "--svgs", str(svg_file)],
                check=True, capture_output=True, text=True,
            ).stdout.strip()
            out[rasteriser] = {"same_in_process": first == second, "same_across_processes": first == fresh}
    return out


def overlaps(count: int) -> dict:
    """Label/label, label/glyph and off-canvas violations over ``count`` sampled specs x 2 styles."""
    bad = 0
    for index, (spec, style) in enumerate(itertools.product(sample_specs(count, seed=99), STYLES)):
        layout = sketch_layout(spec, style=style, seed=index, size=SIZES[index % 3])
        boxes = [label.box for label in layout.labels]
        bad += sum(not b.inside(layout.width, layout.height) for b in boxes)
        bad += sum(b.overlaps(g.box) for b in boxes for g in layout.glyphs)
        bad += sum(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
    return {"layouts": 2 * count, "violations": int(bad)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--overlap-count", type=int, default=1000)
    parser.add_argument("--compare-cairosvg", action="store_true")
    parser.add_argument("--digest-only", choices=["resvg", "cairosvg"], help=argparse.SUPPRESS)
    parser.add_argument("--svgs", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    if args.digest_only:
        svgs = json.loads(Path(args.svgs).read_text(encoding="utf-8"))
        print(_digest(_rasterise_all(svgs, args.digest_only)))
        return
    for name, run in (("timings_cpu_ms", lambda: timings(args.count, args.compare_cairosvg)),
                      ("determinism", lambda: determinism(min(args.count, 40), args.compare_cairosvg)),
                      ("overlaps", lambda: overlaps(args.overlap_count))):
        print(json.dumps({name: run()}), flush=True)


if __name__ == "__main__":
    main()
