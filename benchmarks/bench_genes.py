"""The gene family's cost: ms per gene for each stage, genes/s end to end with 1 and 2 workers, the
projected hours of a 100,000-gene corpus on 2 cores, and a contact sheet of white images.

Stages are timed one gene at a time on the recipe's plan: sampling the parts, drawing the in-frame
poses, the executable check, tokenising, and per image: rasterising, PNG encoding and the pixel
hash. End to end runs ``generate_corpus`` on ``--e2e-samples`` genes into a temporary folder with 1
worker (in-process) and with 2 Dask process workers, in the same run, and checks that both give the
same shard bytes. The contact sheet holds ``--sheet-per-category`` first-pose images of each
category from the recipe's seed.

    python benchmarks/bench_genes.py --recipe recipes/genes_large.toml --out benchmarks/results-genes.md
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from run import end_to_end, write_results  # shared with benchmarks/run.py

from twinforge.families.gene.categories import categories, param_table
from twinforge.families.gene.check import check_gene_text
from twinforge.families.gene.family import GeneFamily
from twinforge.families.gene.sampler import GeneCell, object_mesh, posed, sample_parts, sample_poses, to_gene
from twinforge.families.gene.settings import GeneSettings
from twinforge.families.gene.tokens import encode_gene, reference_tables
from twinforge.pipeline.plan import make_plan
from twinforge.pipeline.recipes import read_recipe_file
from twinforge.renderers.gene.raster import encode_png, pixel_sha256, rasterize
from twinforge.schemas.gene import canonical_gene_json

PER_GENE = ("sample parts", "draw in-frame poses", "check (parse, validate, build)", "tokenise")
PER_IMAGE = ("render", "PNG encode", "pixel SHA-256")


def stage_times(recipe_path: Path, genes: int) -> dict[str, list[float]]:
    """Seconds per gene (or per image) for each stage over ``genes`` genes of the recipe's plan."""
    recipe = read_recipe_file(recipe_path).with_count(genes)
    settings = recipe.settings
    assert isinstance(settings, GeneSettings)
    plan = make_plan(GeneFamily().cells(recipe), genes, genes, 0, recipe.seed)
    reference_tables()  # built once per process (about a second); not a per-gene cost
    times: dict[str, list[float]] = {stage: [] for stage in (*PER_GENE, *PER_IMAGE)}
    clock = time.perf_counter
    for index, cell in plan.shards()[0].samples():
        t0 = clock(); parts = sample_parts(recipe.seed, index, cell, settings.removal_rate)
        mesh = object_mesh([(p.template, p.params) for p in parts])
        t1 = clock(); poses = sample_poses(recipe.seed, index, mesh, settings.poses, settings.image_size)
        gene = to_gene(cell.category, parts, poses[0])
        t2 = clock(); result = check_gene_text(canonical_gene_json(gene, param_table()))
        t3 = clock(); encode_gene(gene, "release")
        t4 = clock()
        for stage, seconds in zip(PER_GENE, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            times[stage].append(seconds)
        for pose in poses:
            t0 = clock(); pixels = rasterize(posed(result.mesh, pose), settings.image_size)
            t1 = clock(); encode_png(pixels)
            t2 = clock(); pixel_sha256(pixels)
            t3 = clock()
            for stage, seconds in zip(PER_IMAGE, (t1 - t0, t2 - t1, t3 - t2), strict=True):
                times[stage].append(seconds)
    return times


def contact_sheet(seed: int, per_category: int, size: int, path: Path) -> None:
    """``per_category`` first-pose white images of every category (one row each), as one PNG."""
    rows = []
    for number, (name, category) in enumerate(categories().items()):
        tiles = []
        for index in range(number * per_category, (number + 1) * per_category):  # distinct pose streams
            subtype = list(category.subtypes)[index % len(category.subtypes)]
            parts = sample_parts(seed, index, GeneCell(name, subtype), 0.3)
            mesh = object_mesh([(p.template, p.params) for p in parts])
            pose = sample_poses(seed, index, mesh, 1, size)[0]
            tile = rasterize(posed(mesh, pose), size)
            tile[0, :] = tile[:, 0] = 0  # a thin frame so the tiles' edges show
            tiles.append(tile)
        rows.append(np.concatenate(tiles, axis=1))
    Image.fromarray(np.concatenate(rows, axis=0)).save(path)


def _row(stage: str, values: list[float]) -> str:
    p90 = sorted(values)[int(0.9 * (len(values) - 1))]
    return (f"| {stage} | {1000 * statistics.median(values):.2f} | {1000 * statistics.fmean(values):.2f} "
            f"| {1000 * p90:.2f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipe", default=str(ROOT / "recipes" / "genes_large.toml"))
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results-genes.md"))
    parser.add_argument("--stage-genes", type=int, default=72)
    parser.add_argument("--e2e-samples", type=int, default=144)
    parser.add_argument("--shard-size", type=int, default=18)
    parser.add_argument("--sheet", default="/tmp/genes-contact-sheet.png", help="contact sheet PNG ('' for none)")
    parser.add_argument("--sheet-per-category", type=int, default=5)
    parser.add_argument("--target", type=int, default=100_000, help="genes of the projected corpus")
    args = parser.parse_args()
    recipe_path = Path(args.recipe)
    recipe = read_recipe_file(recipe_path)
    assert isinstance(recipe.settings, GeneSettings)
    poses, size = recipe.settings.poses, recipe.settings.image_size

    load_before = os.getloadavg()[0]
    times = stage_times(recipe_path, args.stage_genes)
    with tempfile.TemporaryDirectory() as tmp:
        one, digests_one = end_to_end(recipe_path, args.e2e_samples, args.shard_size, 1, Path(tmp))
        two, digests_two = end_to_end(recipe_path, args.e2e_samples, args.shard_size, 2, Path(tmp))
    load_after = os.getloadavg()[0]
    if args.sheet:
        contact_sheet(recipe.seed, args.sheet_per_category, min(size, 256), Path(args.sheet))
    per_gene = (sum(statistics.fmean(times[s]) for s in PER_GENE)
                + poses * sum(statistics.fmean(times[s]) for s in PER_IMAGE))
    lines = [
        "# Gene family benchmark", "",
        (f"Machine: {platform.machine()}, {os.cpu_count()} CPU(s), Python {platform.python_version()}. Recipe "
         f"`{recipe_path.name}` ({poses} poses, {size}x{size} images). 1-minute load average {load_before:.1f} at "
         f"the start, {load_after:.1f} at the end (above {os.cpu_count()}, other processes shared the CPUs)."), "",
        f"## Per stage ({args.stage_genes} genes, one core)", "",
        "| stage | median ms | mean ms | p90 ms |", "|---|---:|---:|---:|",
        *(_row(f"{s} (per gene)", times[s]) for s in PER_GENE),
        *(_row(f"{s} (per image)", times[s]) for s in PER_IMAGE), "",
        f"Sum of mean stage costs per gene ({poses} images): {1000 * per_gene:.1f} ms.", "",
        f"## End to end: `generate` of {args.e2e_samples} genes in shards of {args.shard_size}", "",
        "| workers | genes/s | images/s |", "|---|---:|---:|",
        f"| 1 (in-process) | {one:.2f} | {poses * one:.1f} |", f"| 2 (Dask processes) | {two:.2f} | {poses * two:.1f} |",
        "",
        (f"Speed-up with 2 workers: {two / one:.2f}x. Shards byte-identical between the two runs: "
         f"{'yes' if digests_one == digests_two else 'NO'}."), "",
        (f"Projected time for {args.target:,} genes on 2 cores at the 2-worker rate: "
         f"{args.target / two / 3600:.1f} hours."), "",
    ]
    return write_results(args.out, lines, same=digests_one == digests_two)


if __name__ == "__main__":
    sys.exit(main())
