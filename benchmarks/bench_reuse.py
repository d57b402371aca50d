"""``generate --reuse`` after a prompt-template change, against a fresh run of the new version.

Builds a corpus of ``--n`` samples of the recipe (the previous version), then applies the same
simulated prompt-template change as ``tests/pipeline/test_reuse.py`` and times, in this process
with one worker (the patch must reach the stages), a fresh run and a ``--reuse`` run of the new
version, checking that both give the same shard bytes. Prints wall and CPU seconds of both, the
ratios, and the projected reuse run of the whole recipe on 2 workers (from the CPU per sample).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.pipeline.test_reuse import bump_prompt_template, shard_bytes
from twinforge.pipeline.generate import generate_corpus
from twinforge.pipeline.recipes import read_recipe_file


def timed(recipe: Path, n: int, out: Path, workers: int, reuse: Path | None = None) -> tuple[float, float]:
    """Wall seconds of a run, and CPU seconds of this process (all of it with one worker, in-process)."""
    started, cpu = time.perf_counter(), time.process_time()
    generate_corpus(recipe, n=n, out=out, workers=workers, progress=False, reuse=reuse)
    return time.perf_counter() - started, time.process_time() - cpu


def differences(one: Path, other: Path) -> list[str]:
    """``shard: column (rows)`` of every column whose values differ between two corpora."""
    found = []
    for name in shard_bytes(one):
        a, b = pq.read_table(one / "shards" / name), pq.read_table(other / "shards" / name)
        for column in a.column_names:
            if column not in b.column_names or not a[column].equals(b[column]):
                rows = [i for i, (x, y) in enumerate(zip(a[column].to_pylist(), b[column].to_pylist())) if x != y]
                found.append(f"{name}: {column} ({len(rows)} rows, first {rows[:3]})")
    return found or ["same values, other bytes"]


def measure(recipe: Path, n: int) -> dict[str, float]:
    """Wall seconds of the previous-version run (2 workers), the fresh and the reuse run (1 worker),
    and the CPU seconds of the last two (wall time on a shared machine says more about the others)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        previous, _ = timed(recipe, n, folder / "old", workers=2)
        with pytest.MonkeyPatch.context() as patch:
            bump_prompt_template(patch)
            fresh, fresh_cpu = timed(recipe, n, folder / "fresh", workers=1)
            reused, reused_cpu = timed(recipe, n, folder / "reused", workers=1, reuse=folder / "old")
        if shard_bytes(folder / "fresh") != shard_bytes(folder / "reused"):
            raise SystemExit(f"reuse run differs from the fresh run: {differences(folder / 'fresh', folder / 'reused')}")
    return {"previous_2_workers_s": previous, "fresh_1_worker_s": fresh, "reuse_1_worker_s": reused,
            "fresh_cpu_s": fresh_cpu, "reuse_cpu_s": reused_cpu}


def projected_minutes(seconds: dict[str, float], n: int, count: int) -> float:
    """Minutes of a reuse run of ``count`` samples on 2 workers, from this run's CPU per sample
    (2 workers at 1.8x one, as ``make bench`` measures them)."""
    return count * seconds["reuse_cpu_s"] / n / 1.8 / 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipe", type=Path, default=ROOT / "recipes/gdt120k.toml")
    parser.add_argument("--n", type=int, default=600)
    args = parser.parse_args()
    seconds = measure(args.recipe, args.n)
    for name, value in seconds.items():
        print(f"{name}: {value:.1f} s ({1000 * value / args.n:.2f} ms a sample)")
    print(f"reuse speed-up over a fresh run: {seconds['fresh_1_worker_s'] / seconds['reuse_1_worker_s']:.2f}x wall, "
          f"{seconds['fresh_cpu_s'] / seconds['reuse_cpu_s']:.2f}x CPU")
    count = read_recipe_file(args.recipe).count
    print(f"projected reuse run of the whole recipe ({count:,} samples, 2 workers): "
          f"{projected_minutes(seconds, args.n, count):.1f} min")


if __name__ == "__main__":
    main()
