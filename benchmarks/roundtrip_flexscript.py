"""Round trip at scale: sampled spec -> FlexScript (both styles) -> twinforge's executor.

Counts, per code style, the check outcomes and how many built graphs differ from their spec.
Usage: python benchmarks/roundtrip_flexscript.py [--count 2000] [--seed 1] [--show 5]
"""

from __future__ import annotations

import argparse
import collections
import time

from twinforge.execution import check_script, graph_differences
from twinforge.families.factory.sampler import sample_specs
from twinforge.renderers.flexscript import render_flexscript

STYLES = ("explicit", "loop")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="specs per style")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=5, help="failures to print")
    args = parser.parse_args()

    outcomes: dict[str, collections.Counter] = {style: collections.Counter() for style in STYLES}
    mismatched = collections.Counter()
    shown = 0
    started = time.perf_counter()
    for index, spec in enumerate(sample_specs(args.count, args.seed)):
        for style in STYLES:
            result = check_script(render_flexscript(spec, style), seed=index)
            outcomes[style][result.outcome] += 1
            differences = graph_differences(result.graph, spec) if result.graph is not None else []
            if differences:
                mismatched[style] += 1
            if (result.outcome != "ok" or differences) and shown < args.show:
                shown += 1
                print(f"spec {index} ({style}): {result.outcome}: {result.message} {differences[:3]}")
    elapsed = time.perf_counter() - started
    total = 0
    for style in STYLES:
        total += sum(outcomes[style].values())
        counts = ", ".join(f"{name} {n}" for name, n in sorted(outcomes[style].items()))
        print(f"{style:8s}: {counts}; graph differs from spec: {mismatched[style]}")
    print(f"{total} checks in {elapsed:.1f} s ({1000 * elapsed / max(total, 1):.1f} ms per check incl. rendering)")
    failed = sum(n for style in STYLES for name, n in outcomes[style].items() if name != "ok")
    return 1 if failed or sum(mismatched.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
