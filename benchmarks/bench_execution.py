"""Time twinforge's executable check per typical sample: parse, build (interpret), simulate.

Medians over sampled specs rendered in both code styles, on one core, with the default run
(a warm-up, then the measurement window: ``twinforge.execution.horizon``).
Usage:
python benchmarks/bench_execution.py [--count 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

from twinforge.execution import build_graph, check_graph
from twinforge.execution.fast_parse import fast_parser
from twinforge.execution.parser import parse
from twinforge.execution.sandbox import _compile_cached, _compile_chunk, _compile_template
from twinforge.families.factory.sampler import sample_specs
from twinforge.renderers.flexscript import render_flexscript


def _best(function, repeat: int) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(repeat):
        _compile_cached.cache_clear()  # property code strings and top-level statements are cached;
        _compile_chunk.cache_clear()  # time every script cold (in a long run about 70 % of statements hit,
        _compile_template.cache_clear()  # and 2 in 3 of the others differ from a cached one only in literals)
        started = time.perf_counter()
        value = function()
        best = min(best, time.perf_counter() - started)
    return best, value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100, help="specs (each rendered in both styles)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per sample; the fastest counts")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()

    started = time.perf_counter()
    fast_parser()
    print(f"parser construction (once per process): {1000 * (time.perf_counter() - started):.0f} ms")
    codes = [render_flexscript(spec, style) for spec in sample_specs(args.count, args.seed)
             for style in ("explicit", "loop")]
    parse_ms, build_ms, simulate_ms, total_ms, items = [], [], [], [], []
    for code in codes:
        t_parse, _ = _best(lambda code=code: parse(code), args.repeat)
        t_build, graph = _best(lambda code=code: build_graph(code), args.repeat)
        t_sim, result = _best(lambda graph=graph: check_graph(graph), args.repeat)
        parse_ms.append(1000 * t_parse)
        build_ms.append(1000 * (t_build - t_parse))
        simulate_ms.append(1000 * t_sim)
        total_ms.append(1000 * (t_build + t_sim))
        kpis = result.kpis
        items.append(kpis["throughput_per_hour"] * (kpis["horizon_s"] - kpis["warmup_s"]) / 3600)
    print(f"{len(codes)} scripts, median {statistics.median(len(c) for c in codes):.0f} characters, "
          f"median {statistics.median(items):.0f} items measured (after the warm-up)")
    for label, values in (("parse", parse_ms), ("build (compile + run)", build_ms),
                          ("simulate", simulate_ms), ("whole check", total_ms)):
        ordered = sorted(values)
        p90 = ordered[int(0.9 * (len(ordered) - 1))]
        print(f"{label:22s} median {statistics.median(values):6.1f} ms   p90 {p90:6.1f} ms   max {max(values):6.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
