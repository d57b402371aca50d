"""Statistics of the spec sampler over many specs (the full-size version of tests/pipeline/test_sampler.py).

Samples ``--n`` specs round-robin over the 520 cells and prints, as JSON: the sampling rate, how
often each layer value, machine kind, arrival family and service family occurs, the distribution
of machines per line (mean must be 3 +- 0.3), the closest distance between two objects, whether
every spec validates and round-trips through JSON, and, with ``--execute K``, the outcomes of
twinforge's executable check (render -> parse -> build -> SimPy) on the first K specs.

    .venv/bin/python benchmarks/sampler_stats.py [--n 10000] [--seed 0] [--execute 500]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import time
from collections import Counter

import numpy as np

from twinforge.families.factory.sampler import sample_specs
from twinforge.schemas import FactorySpec, canonical_json, load_spec


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--execute", type=int, default=0, help="run the executable check on the first K specs")
    args = parser.parse_args()

    start = time.perf_counter()
    specs = list(sample_specs(args.n, args.seed))
    elapsed = time.perf_counter() - start

    layers = {layer: Counter(str(getattr(s, layer)) for s in specs)
              for layer in ("industry", "automation", "layout", "line_type")}
    kinds, arrival, service, setup = Counter(), Counter(), Counter(), Counter()
    per_line, closest, round_trip_failures = [], math.inf, 0
    for spec in specs:
        main_source = spec.objects[0].name
        lines = sum(1 for c in spec.connections if c.from_ == main_source)
        per_line.append(len(spec.machines) / lines)
        for obj in spec.objects:
            kinds[obj.kind] += 1
            if obj.kind == "source":
                arrival[obj.inter_arrival.family] += 1
            elif obj.kind == "multiprocessor":
                service.update(step.process_time.family for step in obj.steps)
            elif hasattr(obj, "process_time"):
                service[obj.process_time.family] += 1
                if obj.setup_time.family != "constant" or obj.setup_time.value:
                    setup[obj.setup_time.family] += 1
        points = [obj.position[:2] for obj in spec.objects]
        closest = min(closest, min(math.dist(a, b) for a, b in itertools.combinations(points, 2)))
        text = canonical_json(spec)
        if (FactorySpec.model_validate_json(spec.model_dump_json(by_alias=True)) != spec
                or canonical_json(load_spec(json.loads(text))) != text):
            round_trip_failures += 1

    report = {
        "specs": args.n, "seed": args.seed, "seconds": round(elapsed, 2),
        "specs_per_second": round(args.n / elapsed, 1),
        "layers": {k: dict(sorted(v.items())) for k, v in layers.items()},
        "machines_per_line": {"mean": round(float(np.mean(per_line)), 3),
                              "histogram": dict(sorted(Counter(per_line).items()))},
        "object_kinds": dict(kinds.most_common()),
        "arrival_families": dict(arrival.most_common()),
        "service_families": dict(service.most_common()),
        "setup_families": dict(setup.most_common()),
        "closest_objects_m": round(closest, 3),
        "round_trip_failures": round_trip_failures,
    }
    if args.execute:
        report["execution"] = _execute(specs[: args.execute])
    print(json.dumps(report, indent=2))


def _execute(specs: list[FactorySpec]) -> dict:
    from twinforge.execution import check_script
    from twinforge.renderers.flexscript import render_flexscript

    outcomes, failures, throughput = Counter(), [], []
    start = time.perf_counter()
    for index, spec in enumerate(specs):
        result = check_script(render_flexscript(spec, "explicit" if index % 2 == 0 else "loop"))
        outcomes[result.outcome] += 1
        if not result.ok and len(failures) < 10:
            failures.append({"index": index, "layout": str(spec.layout), "automation": str(spec.automation),
                             "line_type": str(spec.line_type), "message": result.message[:200]})
        if "throughput_per_hour" in result.kpis:
            throughput.append(result.kpis["throughput_per_hour"])
    return {"outcomes": dict(outcomes), "seconds": round(time.perf_counter() - start, 1), "failures": failures,
            "median_throughput_per_hour": float(np.median(throughput)) if throughput else None}


if __name__ == "__main__":
    main()
