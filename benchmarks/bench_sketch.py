"""Sketch benchmark: SVG build and PNG rasterisation time per sketch on one core, rasteriser
determinism, and the label-overlap check over many sampled specs.

Usage: ``python benchmarks/bench_sketch.py [--count 200] [--overlap-count 1000] [--size 768] [--compare]``.
Targets: SVG < 5 ms and PNG < 25 ms (median per sketch at ``--size``, by default the corpus's
768x768). ``--compare`` also times resvg (``resvg-py``) and cairosvg on the same SVGs, each doing
its own text layout, when they are installed (neither is a dependency; ``pip install
resvg-py==0.5.0 cairosvg`` to compare).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import itertools
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from twinforge.errors import UserError
from twinforge.families.factory.sampler import sample_specs
from twinforge.renderers.sketch import parse_size, render_sketch_svg, sketch_layout, svg_to_png
from twinforge.renderers.sketch_raster import PAPER, resize_root
from twinforge.renderers.sketch_text import FONT_FAMILY, font_files

STYLES = ("clean", "hand")
SIZES = ((768, 768), (768, 384), (336, 336))
"""Canvas sizes the overlap check cycles through."""
OPTIONAL = {"resvg": "resvg_py", "cairosvg": "cairosvg"}


def _timed(call: Callable[[], object]) -> float:
    """CPU seconds of this process for one call (robust to other jobs sharing the machine)."""
    start = time.process_time()
    call()
    return time.process_time() - start


def _resvg_png(svg: str, size: tuple[int, int]) -> bytes:
    import resvg_py

    return bytes(resvg_py.svg_to_bytes(svg_string=resize_root(svg, *size), background=PAPER, skip_system_fonts=True,
                                       font_files=list(font_files()), font_family=FONT_FAMILY,
                                       sans_serif_family=FONT_FAMILY))


def _cairosvg_png(svg: str, size: tuple[int, int]) -> bytes:
    import cairosvg

    return cairosvg.svg2png(bytestring=resize_root(svg, *size).encode("utf-8"), background_color=PAPER)


RASTERISERS: dict[str, Callable[[str, tuple[int, int]], bytes]] = {
    "skia": svg_to_png, "resvg": _resvg_png, "cairosvg": _cairosvg_png}


def _available(compare: bool) -> list[str]:
    extra = [name for name, module in OPTIONAL.items() if compare and importlib.util.find_spec(module)]
    return ["skia", *extra]


def _digest(pngs: list[bytes]) -> str:
    return hashlib.sha256(b"".join(pngs)).hexdigest()


def _rasterise_all(svgs: list[str], rasteriser: str) -> list[bytes]:
    return [RASTERISERS[rasteriser](svg, _svg_size(svg)) for svg in svgs]


def _svg_size(svg: str) -> tuple[int, int]:
    """The canvas size written in the SVG's root element."""
    width, height = re.search(r'<svg\b[^>]*?\swidth="(\d+)"[^>]*?\sheight="(\d+)"', svg).groups()
    return int(width), int(height)


def timings(count: int, rasterisers: list[str], size: tuple[int, int]) -> dict:
    """Median CPU ms per sketch for building the SVG and for each rasteriser, per style."""
    specs = list(sample_specs(count, seed=7))
    result: dict = {"sketches": count, "size": f"{size[0]}x{size[1]}"}
    for style in STYLES:
        svg_ms: list[float] = []
        png_ms: dict[str, list[float]] = {name: [] for name in rasterisers}
        for index, spec in enumerate(specs):
            svg_ms.append(_timed(partial(render_sketch_svg, spec, style=style, seed=index, size=size)))
            svg = render_sketch_svg(spec, style=style, seed=index, size=size)
            for name in rasterisers:
                png_ms[name].append(_timed(partial(RASTERISERS[name], svg, size)))
        result[style] = {"svg_ms": round(statistics.median(svg_ms) * 1000, 2),
                         **{f"png_{name}_ms": round(statistics.median(ms) * 1000, 2) for name, ms in png_ms.items()}}
    result["objects_mean"] = round(statistics.mean(len(s.objects) for s in specs), 1)
    return result


def determinism(count: int, rasterisers: list[str], size: tuple[int, int]) -> dict:
    """Whether PNG bytes repeat within a process and in a fresh process, per rasteriser.

    The SVGs are built once and handed to the fresh process in a file, so only rasterisation is compared.
    """
    svgs = [render_sketch_svg(spec, style=STYLES[i % 2], seed=i, size=size)
            for i, spec in enumerate(sample_specs(count, seed=7))]
    out = {}
    with tempfile.TemporaryDirectory() as folder:
        svg_file = Path(folder) / "svgs.json"
        svg_file.write_text(json.dumps(svgs), encoding="utf-8")
        for rasteriser in rasterisers:
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


def _size(text: str) -> tuple[int, int]:
    """``--size`` for argparse: :func:`parse_size`, its error as argparse's."""
    try:
        return parse_size(text)
    except UserError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--overlap-count", type=int, default=1000)
    parser.add_argument("--size", type=_size, default=(768, 768), help="canvas: WIDTHxHEIGHT or one number")
    parser.add_argument("--compare", action="store_true", help="also time resvg and cairosvg when installed")
    parser.add_argument("--digest-only", choices=sorted(RASTERISERS), help=argparse.SUPPRESS)
    parser.add_argument("--svgs", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    if args.digest_only:
        svgs = json.loads(Path(args.svgs).read_text(encoding="utf-8"))
        print(_digest(_rasterise_all(svgs, args.digest_only)))
        return
    rasterisers = _available(args.compare)
    for name, run in (("timings_cpu_ms", lambda: timings(args.count, rasterisers, args.size)),
                      ("determinism", lambda: determinism(min(args.count, 40), rasterisers, args.size)),
                      ("overlaps", lambda: overlaps(args.overlap_count))):
        print(json.dumps({name: run()}), flush=True)


if __name__ == "__main__":
    main()
