"""``make bench``: per-stage time per sample, end-to-end throughput with 1 and 2 workers, the
projected full run, a ``--reuse`` regeneration and ``eval`` timing, all in one run.

Stages are timed one sample at a time on the same samples (medians and means); end-to-end runs
``generate_corpus`` on the recipe with ``--e2e-samples`` samples into a temporary folder, once
with 1 worker (in-process) and once with 2 Dask process workers, and checks that both give the
same shard bytes. Orchestration overhead is the 1-worker end-to-end time per sample minus the
sum of the stages' mean costs (the PNG weighted by the recipe's sketch fraction), as a share of
the end-to-end time: means, not medians, because the run pays for the slow samples too.
The reuse figure is ``bench_reuse.measure`` (a prompt-template change, then a fresh and a
``--reuse`` run of the new version, one worker each, checked byte-identical); the eval figure is
``bench_eval``'s corpus and predictions scored in ``--mode both`` on one core (``--eval-n`` of
them, every prediction through the executor). Results go to a Markdown file.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bench_eval
import bench_reuse

from twinforge.execution import check_script
from twinforge.families.factory import FactoryFamily
from twinforge.families.factory.stages import Stage
from twinforge.pipeline.atomic import ROW_GROUP_SIZE, parquet_options
from twinforge.pipeline.generate import generate_corpus
from twinforge.pipeline.minhash import signature
from twinforge.pipeline.plan import make_plan
from twinforge.pipeline.recipes import read_recipe_file
from twinforge.pipeline.shards import shard_schema
from twinforge.renderers.flexscript import render_flexscript
from twinforge.renderers.prompt import make_prompt
from twinforge.renderers.sketch import render_sketch_svg, svg_to_png
from twinforge.seeding import sample_rng, sample_seed

STAGES = ("spec, code and prompt (token-budget loop)", "FlexScript render", "execution check", "sketch SVG",
          "sketch PNG", "prompt", "MinHash", "Parquet write (per sample)")
PARTS_OF_THE_LOOP = ("FlexScript render", "prompt")
"""Re-timed on the final spec to show what they cost; the loop's row already paid for them (at
least once per sample), so they are left out of the sums."""


def stage_times(recipe_path: Path, samples: int) -> tuple[dict[str, list[float]], int]:
    """Seconds per stage for ``samples`` samples of the recipe's plan (PNG for every sample)."""
    recipe = read_recipe_file(recipe_path).with_count(samples)
    family = FactoryFamily()
    plan = make_plan(family.cells(recipe), samples, samples, recipe.plan.min_per_cell, recipe.seed)
    times: dict[str, list[float]] = {stage: [] for stage in STAGES}
    records = []
    for index, cell in plan.shards()[0].samples():
        clock = time.perf_counter
        t0 = clock(); spec = family.make_spec(recipe, index, cell)
        choices = family.make_choices(recipe, index)
        t1 = clock(); code = render_flexscript(spec, choices["code_style"])
        t2 = clock(); check_script(code, seed=sample_seed(recipe.seed, index, Stage.SIMULATION))
        size = tuple(recipe.settings.sketch.png_size)
        t3 = clock()
        svg = render_sketch_svg(spec, style=choices["sketch_style"], seed=sample_seed(recipe.seed, index, Stage.SKETCH),
                                size=size)
        t4 = clock(); svg_to_png(svg, size)
        t5 = clock(); prompt = make_prompt(spec, choices["prompt_mode"], sample_rng(recipe.seed, index, Stage.PROMPT))
        t6 = clock(); signature(f"{prompt.text}\n{code}", recipe.dedup.num_perm, recipe.dedup.shingle_size)
        t7 = clock()
        for stage, seconds in zip(STAGES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5, t7 - t6)):
            times[stage].append(seconds)
        record = family.make_record(recipe, index, cell)
        record["minhash"] = [0] * recipe.dedup.num_perm
        records.append(record)
    table = pa.Table.from_pylist(records, schema=shard_schema(family))
    t0 = time.perf_counter()
    pq.write_table(table, io.BytesIO(), row_group_size=ROW_GROUP_SIZE, **parquet_options(table.schema))
    times[STAGES[-1]].append((time.perf_counter() - t0) / len(records))
    return times, len(records)


def end_to_end(recipe_path: Path, samples: int, shard_size: int, workers: int, folder: Path) -> tuple[float, dict]:
    """Samples per second of a whole ``generate`` run, and the shard digests."""
    text = recipe_path.read_text(encoding="utf-8")
    recipe_copy = folder / f"bench-{workers}.toml"
    recipe_copy.write_text(text.replace("shard_size = ", f"shard_size = {shard_size}  # was ", 1), encoding="utf-8")
    out = folder / f"w{workers}"
    started = time.perf_counter()
    generate_corpus(recipe_copy, n=samples, out=out, workers=workers, progress=False)
    elapsed = time.perf_counter() - started
    digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((out / "shards").glob("part-*"))}
    return samples / elapsed, digests


def write_results(out: str, lines: list[str], same: bool) -> int:
    """Write and print the Markdown lines; the exit status says whether the worker counts agreed."""
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0 if same else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="benchmarks/results.md")
    parser.add_argument("--recipe", default=str(ROOT / "recipes" / "quick.toml"))
    parser.add_argument("--stage-samples", type=int, default=120)
    parser.add_argument("--e2e-samples", type=int, default=600)
    parser.add_argument("--shard-size", type=int, default=50)
    parser.add_argument("--reuse-samples", type=int, default=600, help="0: skip the reuse timing")
    parser.add_argument("--eval-n", type=int, default=5000, help="predictions scored in mode both; 0: skip")
    args = parser.parse_args()
    recipe_path = Path(args.recipe)

    load_before = os.getloadavg()[0]
    times, measured = stage_times(recipe_path, args.stage_samples)
    png_fraction = read_recipe_file(recipe_path).settings.sketch.fraction
    with tempfile.TemporaryDirectory() as tmp:
        one, digests_one = end_to_end(recipe_path, args.e2e_samples, args.shard_size, 1, Path(tmp))
        two, digests_two = end_to_end(recipe_path, args.e2e_samples, args.shard_size, 2, Path(tmp))
        mismatch = [] if digests_one == digests_two else bench_reuse.differences(Path(tmp) / "w1", Path(tmp) / "w2")
        reuse = bench_reuse.measure(recipe_path, args.reuse_samples) if args.reuse_samples else None
        evaluation = None
        if args.eval_n:
            corpus, pred, _ = bench_eval.build(Path(tmp) / "eval", args.eval_n, seed=7, with_outcomes=True)
            evaluation = bench_eval.timed(pred, corpus, "both", esr=True)
    load_after = os.getloadavg()[0]
    full_count = read_recipe_file(recipe_path).count
    counted = {stage: v for stage, v in times.items() if stage not in PARTS_OF_THE_LOOP}
    total = sum(statistics.median(v) for v in counted.values())
    mean_cost = sum(statistics.fmean(v) * (png_fraction if stage == "sketch PNG" else 1.0)
                    for stage, v in counted.items())
    overhead = 1.0 - mean_cost * one
    lines = [
        "# twinforge pipeline benchmark", "",
        (f"Machine: {platform.machine()}, {os.cpu_count()} CPU(s), Python {platform.python_version()}. "
         f"Recipe `{recipe_path.name}`. 1-minute load average {load_before:.1f} at the start, "
         f"{load_after:.1f} at the end (above {os.cpu_count()}, other processes shared the CPUs)."), "",
        f"## Per-stage time per sample (median over {measured} samples, one core)", "",
        "| stage | median ms | mean ms | p90 ms | share of the sum of medians |", "|---|---:|---:|---:|---:|",
    ]
    for stage, values in times.items():
        med = statistics.median(values)
        p90 = sorted(values)[int(0.9 * (len(values) - 1))]
        share = "inside the loop" if stage in PARTS_OF_THE_LOOP else f"{100 * med / total:.0f}%"
        label = f"of which {stage}" if stage in PARTS_OF_THE_LOOP else stage
        lines.append(f"| {label} | {1000 * med:.2f} | {1000 * statistics.fmean(values):.2f} | {1000 * p90:.2f} "
                     f"| {share} |")
    lines += [
        f"| **sum of medians** | **{1000 * total:.1f}** | | | |", "",
        (f"The PNG row is the cost for a sample that has one (the recipe's `sketch.fraction`, "
         f"{png_fraction:g}, of them). The FlexScript and prompt rows are re-timed on the final spec: the "
         f"token-budget loop draws the code and the prompt of every attempt, so its row holds them. Mean cost "
         f"per sample with that weighting: {1000 * mean_cost:.1f} ms."), "",
        f"## End to end: `generate` of {args.e2e_samples} samples in shards of {args.shard_size}", "",
        "| workers | samples/s |", "|---|---:|",
        f"| 1 (in-process) | {one:.1f} |", f"| 2 (Dask processes) | {two:.1f} |", "",
        (f"Speed-up with 2 workers: {two / one:.2f}x. Shards byte-identical between the two runs: "
         f"{'yes' if digests_one == digests_two else 'NO: ' + '; '.join(mismatch)}."), "",
        (f"Orchestration overhead with 1 worker (end-to-end time per sample minus the mean stage "
         f"costs, over the end-to-end time): {100 * overhead:.0f}%. Worker start-up (spawning "
         f"processes, importing the package) is part of the 2-worker figure, so short runs understate "
         f"the speed-up."), "",
        (f"Projected full run of `{recipe_path.name}` ({full_count:,} samples) at the 2-worker rate: "
         f"{full_count / two / 60:.1f} min."), "",
    ]
    if reuse is not None:
        per = {name: 1000 * seconds / args.reuse_samples for name, seconds in reuse.items()}
        lines += [
            f"## Regeneration after a prompt-template change ({args.reuse_samples} samples, 1 worker)", "",
            "| run | seconds | ms a sample (wall) | ms of CPU a sample |", "|---|---:|---:|---:|",
            (f"| fresh run of the new version | {reuse['fresh_1_worker_s']:.1f} | {per['fresh_1_worker_s']:.2f} "
             f"| {per['fresh_cpu_s']:.2f} |"),
            (f"| `--reuse` of the previous corpus | {reuse['reuse_1_worker_s']:.1f} | {per['reuse_1_worker_s']:.2f} "
             f"| {per['reuse_cpu_s']:.2f} |"),
            "",
            (f"Reuse speed-up {reuse['fresh_1_worker_s'] / reuse['reuse_1_worker_s']:.2f}x (wall), "
             f"{reuse['fresh_cpu_s'] / reuse['reuse_cpu_s']:.2f}x (CPU), shards byte-identical to the fresh run "
             f"(checked). Projected for the full recipe on 2 workers (1.8x one, from the CPU per sample): "
             f"{bench_reuse.projected_minutes(reuse, args.reuse_samples, full_count):.1f} min."), "",
        ]
    if evaluation is not None:
        lines += [
            f"## `eval --mode both` of {args.eval_n:,} predictions (one core)", "",
            (f"{evaluation['seconds']:.1f} s wall, {evaluation['cpu_seconds']:.1f} s CPU "
             f"({evaluation['cpu_ms_per_prediction']:.1f} ms CPU a prediction); "
             f"{evaluation['outcomes_reused']} stored outcomes reused. Overall scores:"), "",
            "```", json.dumps(evaluation["overall"], sort_keys=True), "```", "",
        ]
    return write_results(args.out, lines, same=digests_one == digests_two)


if __name__ == "__main__":
    sys.exit(main())
