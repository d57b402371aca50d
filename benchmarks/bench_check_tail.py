"""Where the execution check's mean goes: CPU per program, split into build and simulation, and
grouped by the kind of model, on the programs of a recipe's plan (the samples ``make bench`` times).

The full run pays the check's mean, not its median, so this finds which models make the tail:
per group, its share of the programs and of the check's CPU, its mean build and simulation ms,
its simulation events, and the events per item that reached a sink (a separator's copies and a
combiner's components are items of their own). Groups: models with a combiner, with a separator
(and no combiner), the rest; and the term of ``horizon.run_length`` that sets the window.
Usage:
python benchmarks/bench_check_tail.py [--recipe recipes/gdt120k.toml] [--samples 600]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from twinforge.collector import fewer_collections
from twinforge.distributions import mean as dist_mean
from twinforge.execution import ScriptError, build_graph
from twinforge.execution import horizon as run_lengths
from twinforge.execution.check import YOUNG_OBJECTS
from twinforge.execution.errors import SimulationError
from twinforge.execution.graph import ModelGraph
from twinforge.execution.simulation import simulate
from twinforge.families.factory import FactoryFamily
from twinforge.families.factory.stages import Stage
from twinforge.pipeline.plan import make_plan
from twinforge.pipeline.recipes import read_recipe_file
from twinforge.renderers.flexscript import render_flexscript
from twinforge.seeding import sample_seed


@dataclass
class Measured:
    """One program's check: CPU ms building and simulating, events, items out, and its groups."""

    build_ms: float
    simulate_ms: float
    events: int
    items_out: int
    kind: str
    window: str

    @property
    def total_ms(self) -> float:
        return self.build_ms + self.simulate_ms


def programs(recipe_path: Path, samples: int) -> list[tuple[str, int]]:
    """``(FlexScript, simulation seed)`` of the first ``samples`` samples of the recipe's plan."""
    recipe = read_recipe_file(recipe_path).with_count(samples)
    family = FactoryFamily()
    plan = make_plan(family.cells(recipe), samples, samples, recipe.plan.min_per_cell, recipe.seed)
    found = []
    for shard in plan.shards():
        for index, cell in shard.samples():
            spec = family.make_spec(recipe, index, cell)
            code = render_flexscript(spec, family.make_choices(recipe, index)["code_style"])
            found.append((code, sample_seed(recipe.seed, index, Stage.SIMULATION)))
    return found


def model_kind(graph: ModelGraph) -> str:
    """``combiner`` or ``separator`` when the model has one (a combiner first), else ``plain``."""
    kinds = {obj.kind for obj in graph.objects}
    return next((kind for kind in ("combiner", "separator") if kind in kinds), "plain")


def window_term(graph: ModelGraph) -> str:
    """Which term of ``run_length``'s window is the largest: slow or fast source, flow or floor."""
    gaps = [dist_mean(obj.params["inter_arrival"]) for obj in graph.objects
            if obj.kind == "source" and "inter_arrival" in obj.params]
    slow, fast = (max(gaps), min(gaps)) if gaps else (0.0, 0.0)
    terms = {"slow source": run_lengths.SLOW_WINDOW_ARRIVALS * slow, "fast source": run_lengths.WINDOW_ARRIVALS * fast,
             "flow": run_lengths.WINDOW_FLOWS * run_lengths.flow_time(graph), "floor": run_lengths.MIN_WINDOW_S}
    return max(terms, key=terms.__getitem__)


def measure(code: str, seed: int) -> Measured:
    """Time one program's check as ``check_script`` runs it (build, then the default run)."""
    with fewer_collections(YOUNG_OBJECTS):
        started = time.process_time()
        try:
            graph = build_graph(code)
        except ScriptError:
            return Measured((time.process_time() - started) * 1000, 0.0, 0, 0, "build error", "none")
        built = time.process_time()
        kinds = {obj.kind for obj in graph.objects}
        events = items_out = 0
        if "source" in kinds and "sink" in kinds:
            run = run_lengths.run_length(graph)
            try:
                report = simulate(graph, horizon_s=run.horizon_s, seed=seed, warmup_s=run.warmup_s)
                events, items_out = report.events, report.items_out
            except SimulationError:
                pass
        done = time.process_time()
    return Measured((built - started) * 1000, (done - built) * 1000, events, items_out, model_kind(graph),
                    window_term(graph))


def table(rows: list[Measured], group: str) -> list[str]:
    """Markdown rows of ``rows`` grouped by the attribute ``group``."""
    total = sum(row.total_ms for row in rows)
    header = (f"| {group} | programs | share of CPU | mean build ms | mean simulate ms | mean events | "
              "events per item out |")
    lines = [header, "|---|---:|---:|---:|---:|---:|---:|"]
    names = sorted({getattr(row, group) for row in rows})
    for name in names:
        part = [row for row in rows if getattr(row, group) == name]
        per_item = sum(r.events for r in part) / max(1, sum(r.items_out for r in part))
        lines.append(f"| {name} | {len(part)} | {sum(r.total_ms for r in part) / total:.0%} | "
                     f"{statistics.fmean(r.build_ms for r in part):.2f} | "
                     f"{statistics.fmean(r.simulate_ms for r in part):.2f} | "
                     f"{statistics.fmean(r.events for r in part):,.0f} | {per_item:.1f} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipe", type=Path, default=ROOT / "recipes" / "gdt120k.toml")
    parser.add_argument("--samples", type=int, default=600)
    args = parser.parse_args()
    found = programs(args.recipe, args.samples)
    for code, seed in found[:20]:  # warm the statement caches and the imports, as a long run has them
        measure(code, seed)
    rows = [measure(code, seed) for code, seed in found]
    totals = sorted(row.total_ms for row in rows)
    tail = sorted(rows, key=lambda row: row.total_ms, reverse=True)[: len(rows) // 10]
    print(f"{len(rows)} programs: check CPU ms mean {statistics.fmean(totals):.2f}, median "
          f"{statistics.median(totals):.2f}, p90 {totals[int(0.9 * len(totals))]:.2f}; build mean "
          f"{statistics.fmean(r.build_ms for r in rows):.2f}, simulate mean "
          f"{statistics.fmean(r.simulate_ms for r in rows):.2f}; the slowest tenth holds "
          f"{sum(r.total_ms for r in tail) / sum(totals):.0%} of the CPU\n")
    print("\n".join(table(rows, "kind")), "\n")
    print("\n".join(table(rows, "window")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
