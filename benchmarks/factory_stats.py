"""Do the factories behave like factories? Loads, idle branches, unused resources, route order.

    .venv/bin/python benchmarks/factory_stats.py CORPUS

Reads a factory corpus's shards (``spec`` and ``kpis``) and prints, as JSON: the bottleneck
utilisation p5 / median / p95 and the share of samples below 0.3, the share of parallel branches
that never work, the share of resources that are never used, route-order violations, outcomes,
and one example line per industry (its stations in flow order, its bottleneck and how busy it is).
Targets (issue "Factories that behave like factories"): median in 0.6-0.9, < 5 % below 0.3,
no idle branch, < 5 % unused resources, 0 violations.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from twinforge.families.factory.routes import line_stations, route_position
from twinforge.schemas import load_spec

RESOURCES = {"operator", "task_executer", "transporter", "agv", "robot"}


def measure(corpus: Path) -> dict:
    rows = []
    for path in sorted((corpus / "shards").glob("part-*.parquet")):
        rows += pq.read_table(path, columns=["spec", "kpis", "exec_outcome", "industry"]).to_pylist()
    bottleneck, branches, idle_branches, resources, unused, violations = [], 0, 0, 0, 0, 0
    examples: dict[str, dict] = {}
    for row in rows:
        spec, kpis = load_spec(json.loads(row["spec"])), json.loads(row["kpis"])
        busy = kpis.get("utilisation", {})
        bottleneck.append(kpis.get("bottleneck_utilisation") or 0.0)
        lines = line_stations(spec)
        for line in lines:
            positions = [route_position(spec.industry, name) for name in line]
            violations += positions != sorted(positions)
            if len(lines) > 1:
                branches += 1
                idle_branches += all(busy.get(name, 0.0) == 0.0 for name in line)
        used = kpis.get("resource_utilisation", {})
        for obj in spec.objects:
            if obj.kind in RESOURCES:
                resources += 1
                unused += used.get(obj.name, 0.0) == 0.0
        if row["industry"] not in examples and len(lines) == 1:
            examples[row["industry"]] = {"route": lines[0], "bottleneck": kpis.get("bottleneck"),
                                         "utilisation": kpis.get("bottleneck_utilisation")}
    values = np.asarray(bottleneck)
    return {
        "samples": len(rows), "outcomes": dict(Counter(row["exec_outcome"] for row in rows)),
        "bottleneck_utilisation_p5_median_p95": [round(float(v), 3) for v in np.percentile(values, [5, 50, 95])],
        "share_below_0_3": round(float((values < 0.3).mean()), 4),
        "parallel_branches": branches, "share_idle_branches": round(idle_branches / max(branches, 1), 4),
        "resources": resources, "share_never_used": round(unused / max(resources, 1), 4),
        "route_order_violations": violations,
        "examples": dict(sorted(examples.items())),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus")
    print(json.dumps(measure(Path(parser.parse_args().corpus)), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
