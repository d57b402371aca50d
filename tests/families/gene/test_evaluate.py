"""``twinforge eval`` on a gene corpus: exact predictions score perfectly, wrong ones are caught."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from twinforge.families.gene.evaluate import GeneEvaluator
from twinforge.families.gene.sampler import GeneCell, sample_parts, to_gene
from twinforge.schemas.gene import GenePose, canonical_gene_json

POSE = GenePose(global_position=[0, 0, 0], global_rotation=[0, 30, 0])


@pytest.fixture(scope="module")
def row() -> dict:
    gene = to_gene("Mug", sample_parts(3, 4, GeneCell("Mug", "has_cover"), 0.0), POSE)
    return {"sample_id": "g-0000004", "index": 4, "category": "Mug", "gene": canonical_gene_json(gene)}


def variant(row: dict, change) -> str:
    data = json.loads(row["gene"])
    change(data)
    return json.dumps(data)


def test_scores_of_exact_wrong_and_missing_predictions(row: dict):
    evaluator = GeneEvaluator(seed=3)
    exact, missing = evaluator.score([row, row], [row["gene"], None])
    assert exact.concept and exact.float_error == 0 and exact.chamfer < 0.01 and exact.fscore["0.05"] == 1.0
    assert not missing.predicted and not missing.concept
    fewer = evaluator.score_one(row, variant(row, lambda d: d["conceptualization"].pop()))
    assert fewer.outcome == "ok" and not fewer.concept and fewer.float_error is None
    broken = evaluator.score_one(row, variant(row, lambda d: d["conceptualization"][0]["parameters"].update(
        outer_size=[1.0])))
    assert broken.outcome == "param_error" and "outer_size" in broken.message and broken.chamfer is None
    moved = evaluator.score_one(row, variant(row, lambda d: d["pose"].update(global_position=[1, 0, 0])))
    assert moved.concept and moved.chamfer > exact.chamfer


def test_eval_command_over_a_corpus(tmp_path: Path):
    from tests.families.gene.test_family import write_recipe
    from twinforge.pipeline.corpus import open_corpus
    from twinforge.pipeline.evaluate import evaluate_predictions
    from twinforge.pipeline.generate import generate_corpus
    from twinforge.pipeline.splits import split_corpus

    generate_corpus(write_recipe(tmp_path), out=tmp_path / "c", workers=1, progress=False)
    split_corpus(open_corpus(tmp_path / "c"))
    rows = open_corpus(tmp_path / "c").read(columns=["sample_id", "gene"], split="all").to_pylist()
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps({"sample_id": r["sample_id"], "gene": r["gene"]}) + "\n" for r in rows))
    report = evaluate_predictions(pred, open_corpus(tmp_path / "c"), split="all")
    summary = report.summary()
    assert summary["concept_accuracy"] == 1.0 and summary["float_error"] == 0.0
    assert "concept_accuracy" in report.table() and report.to_json()["summary"]["samples"] == len(rows)
