"""A gene written in the GeneVLM release's format (hand-written from the reference's §7 example) is our
format byte for byte: it round-trips, passes the check and every grammar, and scores against our rows."""

from __future__ import annotations

import json

import jsonschema
import lark

from twinforge.families.gene.categories import param_table
from twinforge.families.gene.check import check_gene_text
from twinforge.families.gene.evaluate import GeneEvaluator
from twinforge.families.gene.grammar import gene_grammar
from twinforge.families.gene.sampler import GeneCell, sample_parts, to_gene
from twinforge.families.gene.tokens import RELEASE_OFFSET, encode_gene
from twinforge.schemas.gene import GenePose, canonical_gene_json, parse_gene

RELEASE_MUG = (
    '{"category": "Mug", "pose": {"global_position": [0, 0, 1], "global_rotation": [10, -110, 0]}, '
    '"conceptualization": ['
    '{"template": "Cylindrical_Body", "parameters": {"outer_size": [0.42, 0.38, 0.95], '
    '"inner_size": [0.38, 0.34, 0.88], "position": [0.0, 0.0, 0.0], "rotation": [0.0, 0.0, 0.0]}}, '
    '{"template": "Curved_Handle", "parameters": {"radius": [0.3, 0.045], "central_angle": [192.0], '
    '"position": [0.0, 0.02, 0.4], "rotation": [0.0, 0.0, 0.0]}}, '
    '{"template": "Single_Cylinder", "parameters": {"size": [0.43, 0.05], "position": [0.0, 0.5, 0.0], '
    '"rotation": [0.0, 0.0, 0.0]}}]}'
)
"""json.dumps layout with default separators, no id/type/component, integer pose (reference §5 and §7)."""


def test_our_canonical_text_of_a_release_gene_is_the_same_bytes():
    assert canonical_gene_json(parse_gene(RELEASE_MUG), param_table()) == RELEASE_MUG
    assert json.dumps(json.loads(RELEASE_MUG)) == RELEASE_MUG


def test_a_release_gene_passes_the_check_and_every_grammar():
    result = check_gene_text(RELEASE_MUG)
    assert result.outcome == "ok", result.message
    lark.Lark(gene_grammar("lark", "Mug")).parse(RELEASE_MUG)
    jsonschema.validate(json.loads(RELEASE_MUG), json.loads(gene_grammar("json-schema", "Mug")))


def test_a_release_gene_in_code_tags_scores_against_itself_and_against_our_mug():
    evaluator = GeneEvaluator(seed=1)
    itself = {"sample_id": "r-0", "index": 0, "category": "Mug", "gene": RELEASE_MUG}
    score = evaluator.score_one(itself, f"<code>{RELEASE_MUG}</code>")
    assert score.concept and score.float_error == 0 and score.chamfer == 0 and score.chamfer_release == 0
    ours = to_gene("Mug", sample_parts(2, 3, GeneCell("Mug", "has_cover"), 0.0),
                   GenePose(global_position=[0, 0, 1], global_rotation=[10, -110, 0]))
    assert [i.template for i in ours.conceptualization] == ["Cylindrical_Body", "Curved_Handle", "Single_Cylinder"]
    row = {"sample_id": "g-3", "index": 3, "category": "Mug", "gene": canonical_gene_json(ours, param_table())}
    score = evaluator.score_one(row, RELEASE_MUG)
    assert score.outcome == "ok" and score.concept and 0 < score.float_error < 1024
    assert 0 < score.chamfer < score.chamfer_release


def test_release_tokens_are_integers_from_2048_in_the_same_layout():
    tokens = json.loads(encode_gene(parse_gene(RELEASE_MUG), "release"))
    assert tokens["pose"] == json.loads(RELEASE_MUG)["pose"]
    values = [v for i in tokens["conceptualization"] for vs in i["parameters"].values() for v in vs]
    assert all(isinstance(v, int) and RELEASE_OFFSET <= v < RELEASE_OFFSET + 1024 for v in values)
