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
    card = write_card(open_corpus(corpus))
    assert "Image-gene pairs" in Path(card).read_text(encoding="utf-8")
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
