"""The gene family through the engine: identical shards with 1 or 2 workers, and every reading command."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from PIL import Image

from twinforge.families import load_family
from twinforge.families.gene.family import GeneFamily
from twinforge.families.gene.sampler import GeneCell
from twinforge.families.gene.settings import GeneSettings
from twinforge.families.gene.tokens import encode_gene
from twinforge.renderers.gene.raster import pixel_sha256
from twinforge.schemas.gene import canonical_gene_json, parse_gene
from twinforge.schemas.recipe import recipe_from_data

RECIPE = """
name = "g"
family = "gene"
seed = 5
count = 18
shard_size = 6
image_size = 64
poses = 5
[plan]
min_per_cell = 1
"""


def write_recipe(folder: Path) -> Path:
    path = folder / "g.toml"
    path.write_text(RECIPE, encoding="utf-8")
    return path


def shard_digests(corpus: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((corpus / "shards").iterdir())}


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from twinforge.pipeline.generate import generate_corpus

    folder = tmp_path_factory.mktemp("gene")
    recipe = write_recipe(folder)
    generate_corpus(recipe, out=folder / "one", workers=1, progress=False)
    generate_corpus(recipe, out=folder / "two", workers=2, progress=False)
    return folder / "one", folder / "two"


def test_one_and_two_workers_give_identical_shards(corpora: tuple[Path, Path]):
    one, two = corpora
    assert shard_digests(one) == shard_digests(two)
    assert len(shard_digests(one)) == 3


def test_rows_hold_a_checked_gene_five_posed_images_and_their_pixel_hashes(corpora: tuple[Path, Path]):
    rows = pa.concat_tables([pq.read_table(p) for p in sorted((corpora[0] / "shards").iterdir())]).to_pylist()
    assert len(rows) == 18 and {r["category"] for r in rows} == {"Mug", "Bottle", "Bucket", "Kettle", "Chair",
                                                                  "Table", "Box", "Trashcan"}
    for row in rows:
        assert row["exec_outcome"] == "ok", row["exec_message"]
        gene = parse_gene(row["gene"])
        assert canonical_gene_json(gene) == row["gene"] and row["gene_tokens"] == encode_gene(gene, "release")
        poses = json.loads(row["poses"])
        assert len(poses) == len(row["images"]) == len(row["image_sha256"]) == 5
        assert poses[0] == gene.pose.model_dump()
        for k, (image, digest) in enumerate(zip(row["images"], row["image_sha256"], strict=True)):
            pixels = np.asarray(Image.open(io.BytesIO(image["bytes"])))
            assert pixels.shape == (64, 64) and pixel_sha256(pixels) == digest
            assert (pixels < 255).any() and image["path"] == f"{row['sample_id']}-{k}.png"
        assert sorted({i.template for i in gene.conceptualization}) == row["templates"]


def test_dedup_split_coverage_card_and_show_run_unchanged(corpora: tuple[Path, Path], tmp_path: Path):
    from twinforge.pipeline.card import write_card
    from twinforge.pipeline.corpus import open_corpus
    from twinforge.pipeline.coverage import coverage_report
    from twinforge.pipeline.dedup import dedup_corpus
    from twinforge.pipeline.show import show_sample
    from twinforge.pipeline.splits import split_corpus

    corpus = corpora[1]
    dedup_corpus(open_corpus(corpus))
    split_corpus(open_corpus(corpus))
    report = coverage_report(open_corpus(corpus), min_count=1)
    assert {c.dimension for c in report.checks} == {"category", "templates"}
    assert all(c.count >= 1 for c in report.checks if c.dimension == "category")
    card = Path(write_card(open_corpus(corpus)))
    text = card.read_text(encoding="utf-8")
    assert "Image-gene pairs" in text
    assert "](contact_sheet.png)" in text and "](templates.png)" in text
    assert (card.parent / "contact_sheet.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    categories = set(open_corpus(corpus).read(columns=["category"])["category"].to_pylist())
    for category in categories:  # a figure of parameter histograms per category
        assert f"](values-{category}.png)" in text and (card.parent / f"values-{category}.png").is_file()
    text = show_sample(open_corpus(corpus), "g-0000000", tmp_path / "s")
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["category"] in text


def test_registry_and_settings():
    family = load_family("gene")
    assert isinstance(family, GeneFamily)
    recipe = recipe_from_data({"name": "x", "family": "gene", "seed": 1, "count": 3, "categories": {"Mug": 0}},
                              "t", GeneSettings)
    cells = dict(family.cells(recipe))
    assert cells[GeneCell("Mug", "has_cover")] == 0 and cells[GeneCell("Box", "open")] == 0.5
    assert "Mug" not in family.coverage_targets(recipe)["category"]
    with pytest.raises(ValueError, match="Spaceship"):
        recipe_from_data({"name": "x", "family": "gene", "seed": 1, "count": 3, "categories": {"Spaceship": 1}},
                         "t", GeneSettings)


def test_export_gives_one_image_prompt_gene_pair_per_pose(corpora: tuple[Path, Path], tmp_path: Path):
    from twinforge.pipeline.corpus import open_corpus
    from twinforge.pipeline.export import export_corpus

    rows = {r["sample_id"]: r for r in
            pa.concat_tables([pq.read_table(p) for p in sorted((corpora[0] / "shards").iterdir())]).to_pylist()}
    export_corpus(open_corpus(corpora[0]), "jsonl", tmp_path / "j")
    pairs = [json.loads(line) for line in (tmp_path / "j" / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(pairs) == 5 * len(rows) and len({p["pair_id"] for p in pairs}) == len(pairs)
    for pair in pairs:
        row = rows[pair["sample_id"]]
        k = pair["pose_index"]
        pose = json.loads(row["poses"])[k]
        assert pair["gene"]["pose"] == pose and pair["poses"] == pose
        assert f"a {row['category']}." in pair["prompt"] and "<code>" in pair["prompt"]
        tokens = pair["response"].removeprefix("<code>").removesuffix("</code>")
        assert json.loads(tokens)["pose"] == pose and json.loads(tokens)["conceptualization"] == json.loads(
            row["gene_tokens"])["conceptualization"]
        image = (tmp_path / "j" / pair["image"]).read_bytes()
        assert image == row["images"][k]["bytes"]
    export_corpus(open_corpus(corpora[0]), "hf", tmp_path / "h")
    table = pq.read_table(tmp_path / "h" / "data" / "all-00000-of-00001.parquet")
    assert table.num_rows == len(pairs) and {"image", "prompt", "response", "gene", "pair_id"} <= set(table.column_names)
    first = table.slice(0, 1).to_pylist()[0]
    assert first["image"]["bytes"] == rows[first["sample_id"]]["images"][first["pose_index"]]["bytes"]
    assert first["image"]["path"] == f"{first['pair_id']}.png"


@pytest.mark.parametrize(("name", "count"), [("genes_quick", 480), ("genes_large", 100_000)])
def test_shipped_gene_recipes_plan_every_cell(name: str, count: int):
    from twinforge.pipeline.plan import make_plan
    from twinforge.pipeline.recipes import read_recipe_file

    recipe = read_recipe_file(Path(__file__).resolve().parents[3] / "recipes" / f"{name}.toml")
    plan = make_plan(GeneFamily().cells(recipe), recipe.count, recipe.shard_size, recipe.plan.min_per_cell,
                     recipe.seed)
    assert recipe.count == count and sum(plan.counts) == count
    assert min(plan.counts) >= recipe.plan.min_per_cell and len(plan.counts) == 18  # Mug has 4 subtypes, the rest 2
