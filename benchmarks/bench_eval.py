"""Time `twinforge eval` on 5,000 predictions (target: under a minute on one core).

Samples specs with the sampler, renders each reference (explicit or loop style, half each),
writes a one-shard corpus with every row in the test split, and writes predictions of which
about half are mutated (a dropped connection, a changed distribution argument, a name in the
wrong case, a truncated script, or the other code style). It times the text-only scoring
(SVR, PMR, BLEU; no ESR) on all ``--n`` predictions, and the runs with the executor (ESR, and the
executed mode) on ``--esr-n`` of them, extrapolated to ``--n``. Prints JSON.

    .venv/bin/python benchmarks/bench_eval.py [--n 5000] [--esr-n 300] [--seed 7]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from twinforge.execution import check_script
from twinforge.families.factory.sampler import sample_specs
from twinforge.families.factory.stages import Stage
from twinforge.metrics.evaluate import FlexScriptEvaluator
from twinforge.pipeline.atomic import file_sha256
from twinforge.pipeline.corpus import open_corpus
from twinforge.pipeline.evaluate import evaluate_predictions
from twinforge.pipeline.manifest import Manifest
from twinforge.pipeline.recipes import read_recipe_file
from twinforge.renderers.flexscript import render_flexscript
from twinforge.schemas import canonical_json
from twinforge.seeding import sample_seed

RECIPE = Path(__file__).resolve().parent.parent / "recipes" / "quick.toml"


def mutate(code: str, other_style: str, rng: np.random.Generator) -> tuple[str, str]:
    """A predicted script derived from the reference ``code``, and what was done to it."""
    roll = rng.random()
    if roll < 0.12:
        lines = code.splitlines(keepends=True)
        links = [i for i, line in enumerate(lines) if line.startswith("contextdragconnection")]
        if links:
            del lines[int(rng.choice(links))]
            return "".join(lines), "drop_connection"
    if roll < 0.24:
        changed = re.sub(r"return (\w+)\(([\d.]+)", lambda m: f"return {m[1]}({float(m[2]) + 1:g}", code, count=1)
        return changed, "change_argument"
    if roll < 0.32:
        return re.sub(r'\.name = "([^"]+)"', lambda m: f'.name = "{m[1].lower()}"', code, count=1), "name_case"
    if roll < 0.38:
        return code[: int(len(code) * rng.uniform(0.3, 0.9))], "truncated"
    if roll < 0.50:
        return other_style, "other_style"
    return code, "perfect"


def write_corpus(corpus: Path, rows: list[dict], recipe: dict) -> Path:
    """One shard of ``rows``, its manifest, and every row in the test split (through ``Manifest``)."""
    (corpus / "shards").mkdir(parents=True)
    (corpus / "splits").mkdir()
    shard = corpus / "shards" / "part-00000.parquet"
    pq.write_table(pa.Table.from_pylist(rows), shard)
    manifest = Manifest(corpus, {"recipe": recipe, "family": "factory", "plan": {"shard_count": 1},
                                 "complete": True, "shards": {}})
    manifest.shards[shard.name] = {"file": shard.name, "rows": len(rows), "sha256": file_sha256(shard)}
    assignment = corpus / "splits" / "assignment.parquet"
    pq.write_table(pa.table({"sample_id": [r["sample_id"] for r in rows], "split": ["test"] * len(rows)}),
                   assignment)
    manifest.record_derived(["splits/assignment.parquet"], "split", strategy="random")
    return corpus


def build(root: Path, n: int, seed: int, with_outcomes: bool = False) -> tuple[Path, Path, dict[str, int]]:
    """Write the corpus and the predictions file; return their paths and the mutation counts.

    ``with_outcomes`` also runs the executable check on each reference (as generation does, with
    the per-sample seed of the quick recipe written into the manifest), so eval can reuse the
    stored outcome of predictions identical to their reference.
    """
    recipe = read_recipe_file(RECIPE).to_data() | {"seed": seed}
    rng = np.random.default_rng(seed)
    rows, predictions, kinds = [], [], {}
    for index, spec in enumerate(sample_specs(n, seed, {})):
        style = "explicit" if index % 2 == 0 else "loop"
        code = render_flexscript(spec, style)
        other = render_flexscript(spec, "loop" if style == "explicit" else "explicit")
        sample_id = f"bench-{index:06d}"
        outcome = None
        if with_outcomes:
            outcome = check_script(code, seed=sample_seed(seed, index, Stage.SIMULATION)).outcome
        rows.append({"sample_id": sample_id, "index": index, "industry": spec.industry.value,
                     "automation": spec.automation.value, "layout": spec.layout.value,
                     "spec": canonical_json(spec), "code": code, "code_style": style, "exec_outcome": outcome})
        predicted, kind = mutate(code, other, rng)
        kinds[kind] = kinds.get(kind, 0) + 1
        predictions.append({"sample_id": sample_id, "code": predicted})
    corpus = write_corpus(root / "corpus", rows, recipe)
    pred = root / "pred.jsonl"
    pred.write_text("".join(json.dumps(p) + "\n" for p in predictions), encoding="utf-8")
    return corpus, pred, kinds


def timed(pred: Path, corpus: Path, mode: str, esr: bool, workers: int = 1) -> dict:
    """One timed evaluation (CPU time counts this process only, so it is for ``workers = 1``)."""
    start, cpu = time.perf_counter(), time.process_time()
    opened = open_corpus(corpus)
    evaluator = FlexScriptEvaluator(mode, functools.partial(sample_seed, opened.recipe.seed, stage=Stage.SIMULATION),
                                    esr=esr)
    report = evaluate_predictions(pred, opened, split="test", workers=workers, evaluator=evaluator)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    data = report.to_json()
    return {"mode": mode, "esr": esr, "workers": workers, "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu_seconds, 2),
            "ms_per_prediction": round(1000 * seconds / data["counts"]["samples"], 2),
            "cpu_ms_per_prediction": round(1000 * cpu_seconds / data["counts"]["samples"], 2),
            "outcomes_reused": data["counts"]["outcomes_reused"],
            "overall": {k: v for k, v in data["overall"].items() if k != "n"}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="predictions for the text-only timing")
    parser.add_argument("--esr-n", type=int, default=300, help="predictions for the timings with the executor")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=0, help="also time mode both with this many processes")
    args = parser.parse_args()
    result: dict = {"load_average_at_start": os.getloadavg(), "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        corpus, pred, kinds = build(Path(tmp) / "text", args.n, args.seed)
        result["mutations"] = kinds
        result["text_only"] = timed(pred, corpus, "textual", esr=False)
        if args.esr_n:
            corpus, pred, _ = build(Path(tmp) / "exec", args.esr_n, args.seed, with_outcomes=True)
            for mode in ("textual", "both"):
                run = timed(pred, corpus, mode, esr=True)
                run["extrapolated_seconds_for_n"] = round(run["ms_per_prediction"] * args.n / 1000, 1)
                run["extrapolated_cpu_seconds_for_n"] = round(run["cpu_ms_per_prediction"] * args.n / 1000, 1)
                result[f"{mode}_with_executor"] = run
            if args.workers > 1:
                result["both_with_executor_parallel"] = timed(pred, corpus, "both", esr=True, workers=args.workers)
    result["load_average_at_end"] = os.getloadavg()
    print(json.dumps(result, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
