"""Summarise a finished ``generate`` run from its manifest: throughput, per-shard time, and worker RSS.

Usage: ``python benchmarks/manifest_report.py outputs/gdt120k``. Shards are taken in plan order;
"RSS after N samples" is the highest peak RSS any worker had reported by the shard that holds
sample N (peaks only grow, so a flat column means memory did not creep as the run went on).
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path


def report(corpus: Path) -> dict:
    """Figures for the corpus's manifest (see the module docstring)."""
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    shards = [manifest["shards"][name] for name in sorted(manifest["shards"])]
    rows = sum(entry["rows"] for entry in shards)
    seconds = [entry["seconds"] for entry in shards]
    checkpoints = [point for point in (10_000, 30_000, 60_000, 90_000) if point < rows] + [rows]
    rss_at, seen, peak = {}, 0, 0.0
    for entry in shards:
        seen += entry["rows"]
        peak = max(peak, entry.get("worker_max_rss_mb", 0.0))
        for point in checkpoints:
            if point <= seen and point not in rss_at:
                rss_at[point] = peak
    return {
        "samples": rows, "shards": len(shards), "complete": manifest.get("complete"),
        "shard_seconds_median": round(statistics.median(seconds), 2),
        "shard_seconds_sum": round(sum(seconds), 1),
        "worker_seconds_per_sample_ms": round(1000 * sum(seconds) / rows, 2),
        "workers": len({entry.get("worker_pid") for entry in shards}),
        "peak_rss_mb_after_samples": {str(point): value for point, value in rss_at.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    print(json.dumps(report(parser.parse_args().corpus), indent=2))


if __name__ == "__main__":
    main()
