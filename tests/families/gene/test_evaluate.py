"""``twinforge eval`` on a gene corpus: exact predictions score perfectly, wrong ones are caught, hand-computed
Concept Accuracy and Float Error, and missing, duplicate and malformed predictions are reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from twinforge.families.gene.evaluate import GeneEvaluator, GeneReport
from twinforge.families.gene.sampler import GeneCell, sample_parts, to_gene
from twinforge.families.gene.tokens import reference_tables
from twinforge.metrics.predictions import EvalRun
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
    assert exact.concept and exact.float_error == 0 and exact.chamfer == 0 and exact.fscore["0.01"] == 1.0
    assert exact.chamfer_release == 0 and exact.fscore_release["0.01"] == 1.0
    wrapped = evaluator.score_one(row, f"<code>{row['gene']}</code>")
    assert wrapped.concept and wrapped.chamfer == 0
    assert not missing.predicted and not missing.concept
    fewer = evaluator.score_one(row, variant(row, lambda d: d["conceptualization"].pop()))
    assert fewer.outcome == "ok" and not fewer.concept and fewer.float_error is None
    broken = evaluator.score_one(row, variant(row, lambda d: d["conceptualization"][0]["parameters"].update(
        outer_size=[1.0])))
    assert broken.outcome == "param_error" and "outer_size" in broken.message and broken.chamfer is None
    moved = evaluator.score_one(row, variant(row, lambda d: d["pose"].update(global_position=[1, 0, 0])))
    assert moved.concept and moved.chamfer_release > 0.1
    assert moved.chamfer < 1e-12  # the paper's alignment forgives a moved object; the release's code does not


def test_concept_accuracy_and_float_error_by_hand(row: dict):
    """Four samples: exact; one value moved by a known number of quantile indices; another template set;
    missing. Concept Accuracy 2/4; Float Error over the two structurally correct ones."""
    evaluator = GeneEvaluator(seed=3)
    key = ("Mug", "Cylindrical_Body", "outer_size", 2)
    quantiles = reference_tables().quantiles[key]
    reference = json.loads(row["gene"])
    reference["conceptualization"][0]["parameters"]["outer_size"][2] = round(float(quantiles[500]), 4)
    base = dict(row, gene=json.dumps(reference))
    shifted = json.loads(base["gene"])
    shifted["conceptualization"][0]["parameters"]["outer_size"][2] = round(float(quantiles[540]), 4)
    tables = reference_tables()
    moved_by = abs(tables.index(key, shifted["conceptualization"][0]["parameters"]["outer_size"][2], "paper")
                   - tables.index(key, reference["conceptualization"][0]["parameters"]["outer_size"][2], "paper"))
    assert 35 <= moved_by <= 45
    values = sum(len(v) for i in reference["conceptualization"] for v in i["parameters"].values())
    other = json.loads(base["gene"])
    other["conceptualization"].pop()  # Single_Cylinder dropped: another set of templates
    rows = [dict(base, sample_id=f"g-{k}") for k in range(4)]
    texts = [base["gene"], json.dumps(shifted), json.dumps(other), None]
    report = GeneReport(EvalRun("c", "test", ("g-3",), (), ()), evaluator.score(rows, texts))
    summary = report.summary()
    assert summary["concept_accuracy"] == 0.5
    assert summary["float_error"] == pytest.approx((0 + moved_by / values) / 2)
    assert summary["outcomes"] == {"missing": 1, "ok": 3}


def test_malformed_predictions_are_counted_as_outcomes_never_dropped(row: dict):
    evaluator = GeneEvaluator(seed=3)
    texts = ["{not json", json.dumps({"category": "Mug"}), row["gene"]]
    scores = evaluator.score([dict(row, sample_id=f"g-{k}") for k in range(3)], texts)
    report = GeneReport(EvalRun("c", "test", (), (), ()), scores)
    assert report.summary()["outcomes"] == {"ok": 1, "param_error": 2}
    assert report.summary()["concept_accuracy"] == pytest.approx(1 / 3)
    assert "pose" in scores[1].message


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
    assert summary["concept_accuracy"] == 1.0 and summary["float_error"] == 0.0 and summary["chamfer"] == 0.0
    assert summary["chamfer_release"] == 0.0 and summary["fscore@0.01"] == 1.0
    assert "concept_accuracy" in report.table() and report.to_json()["summary"]["samples"] == len(rows)
    assert set(report.breakdown()) == {json.loads(r["gene"])["category"] for r in rows}
    # a gene given as a JSON object, a duplicate, a malformed gene and a missing sample: all reported
    lines = [json.dumps({"sample_id": rows[0]["sample_id"], "gene": json.loads(rows[0]["gene"])}),
             json.dumps({"sample_id": rows[0]["sample_id"], "gene": "{}"}),
             json.dumps({"sample_id": rows[1]["sample_id"], "gene": "<code>{broken</code>"})]
    pred.write_text("\n".join(lines) + "\n")
    report = evaluate_predictions(pred, open_corpus(tmp_path / "c"), split="all")
    summary = report.summary()
    assert report.run.duplicates == (rows[0]["sample_id"],) and len(report.run.missing) == len(rows) - 2
    assert summary["outcomes"] == {"missing": len(rows) - 2, "ok": 1, "param_error": 1}
    assert summary["concept_accuracy"] == pytest.approx(1 / len(rows))
    assert "outcomes: missing" in report.table()
