"""Time `twinforge eval` on 5,000 predictions (target: under a minute on one core).

Samples specs with the sampler, renders each reference (explicit or loop style, half each),
writes a one-shard corpus with every row in the test split, and writes predictions of which
about half are mutated (a dropped connection, a changed distribution argument, a name in the
wrong case, a truncated script, or the other code style). Then it times the evaluation in each
mode and prints the timings and the overall scores as JSON.

    .venv/bin/python benchmarks/bench_eval.py [--n 5000] [--seed 7] [--mode textual executed both]
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from twinforge.metrics.evaluate import evaluate_predictions
from twinforge.pipeline.sampler import sample_specs
from twinforge.renderers.flexscript import render_flexscript
from twinforge.schemas import canonical_json


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


def build(root: Path, n: int, seed: int) -> tuple[Path, Path, dict[str, int]]:
    """Write the corpus and the predictions file; return their paths and the mutation counts."""
    rng = np.random.default_rng(seed)
    rows, predictions, kinds = [], [], {}
    for index, spec in enumerate(sample_specs(n, seed, {})):
        style = "explicit" if index % 2 == 0 else "loop"
        code = render_flexscript(spec, style)
        other = render_flexscript(spec, "loop" if style == "explicit" else "explicit")
        sample_id = f"bench-{index:06d}"
        rows.append({"sample_id": sample_id, "industry": spec.industry.value, "automation": spec.automation.value,
                     "layout": spec.layout.value, "spec": canonical_json(spec), "code": code, "code_style": style})
        predicted, kind = mutate(code, other, rng)
        kinds[kind] = kinds.get(kind, 0) + 1
        predictions.append({"sample_id": sample_id, "code": predicted})
    corpus = root / "corpus"
    (corpus / "shards").mkdir(parents=True)
    (corpus / "splits").mkdir()
    pq.write_table(pa.Table.from_pylist(rows), corpus / "shards" / "part-00000.parquet")
    (corpus / "manifest.json").write_text(json.dumps({"shards": [{"file": "part-00000.parquet", "rows": n}]}))
    pq.write_table(pa.table({"sample_id": [r["sample_id"] for r in rows], "split": ["test"] * n}),
                   corpus / "splits" / "assignment.parquet")
    pred = root / "pred.jsonl"
    pred.write_text("".join(json.dumps(p) + "\n" for p in predictions), encoding="utf-8")
    return corpus, pred, kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--mode", nargs="+", default=["textual", "executed", "both"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        corpus, pred, kinds = build(Path(tmp), args.n, args.seed)
        result = {"n": args.n, "build_seconds": round(time.perf_counter() - start, 2), "mutations": kinds}
        for mode in args.mode:
            start = time.perf_counter()
            report = evaluate_predictions(pred, corpus, split="test", mode=mode)
            seconds = time.perf_counter() - start
            overall = report.to_json()["overall"]
            result[mode] = {"seconds": round(seconds, 2), "under_a_minute": seconds < 60,
                            "overall": {k: v for k, v in overall.items() if k != "n"}}
    print(json.dumps(result, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
