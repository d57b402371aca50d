"""Full-size check of the FlexScript renderer: sampled specs in both styles through the executor.

Usage: ``.venv/bin/python benchmarks/bench_flexscript.py [COUNT] [SEED]`` (default 1000 specs, seed 1).
Prints render time per script, executor outcomes, graph differences against the spec, and how many
flow connections the loop style makes inside its creation loop. Exits non-zero on any failure.
"""

from __future__ import annotations

import sys
import time
from collections import Counter

from twinforge.execution import check_script, graph_differences
from twinforge.families.factory.sampler import sample_specs
from twinforge.renderers.flexscript import loop_links, render_flexscript


def main(count: int, seed: int) -> int:
    specs = list(sample_specs(count, seed))
    failures = 0
    for style in ("explicit", "loop"):
        start = time.perf_counter()
        codes = [render_flexscript(spec, style) for spec in specs]
        render_ms = (time.perf_counter() - start) / len(specs) * 1e3
        outcomes: Counter[str] = Counter()
        differing = 0
        start = time.perf_counter()
        for spec, code in zip(specs, codes):
            result = check_script(code)
            outcomes[result.outcome] += 1
            problems = graph_differences(result.graph, spec) if result.graph is not None else ["no graph"]
            if problems:
                differing += 1
                print(f"{style}: {problems[:3]}", file=sys.stderr)
        check_s = time.perf_counter() - start
        mean_chars = sum(map(len, codes)) / len(codes)
        print(f"{style}: {len(specs)} specs, render {render_ms:.2f} ms/script, {mean_chars:.0f} chars/script, "
              f"check {check_s:.1f} s, outcomes {dict(outcomes)}, graph differences {differing}")
        failures += differing + sum(n for outcome, n in outcomes.items() if outcome != "ok")
    flow = sum(len(spec.flow_connections()) for spec in specs)
    chained = sum(len(loop_links(spec)) for spec in specs)
    print(f"loop style: {chained}/{flow} flow connections ({chained / flow:.1%}) made inside the creation loop")
    return 1 if failures else 0


if __name__ == "__main__":
    args = [int(arg) for arg in sys.argv[1:3]]
    sys.exit(main(*(args + [1000, 1][len(args):])))
