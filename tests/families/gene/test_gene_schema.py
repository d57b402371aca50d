"""The gene schema: the release's byte layout, a stable hash, and errors naming instance and parameter."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from twinforge.families.gene.categories import param_table
from twinforge.schemas.gene import GeneError, canonical_gene_json, check_gene, gene_hash, parse_gene

MUG = {
    "category": "Mug",
    "pose": {"global_position": [0, -1, 1], "global_rotation": [15, -110, 5]},
    "conceptualization": [
        {"template": "Cylindrical_Body", "parameters": {"outer_size": [0.42, 0.38, 0.95],
                                                        "inner_size": [0.38, 0.34, 0.88],
                                                        "position": [0.0, 0.0, 0.0], "rotation": [0.0, 0.0, 0.0]}},
        {"template": "Curved_Handle", "parameters": {"radius": [0.3, 0.045], "central_angle": [192.0],
                                                     "position": [0.0, 0.0, 0.4], "rotation": [0.0, 0.0, 0.0]}},
    ],
}


def mug(**changes: object) -> dict:
    data = json.loads(json.dumps(MUG))
    data.update(changes)
    return data


def test_canonical_text_is_json_dumps_with_default_separators_in_release_order():
    gene = parse_gene(json.dumps(mug()))
    text = canonical_gene_json(gene, param_table())
    assert text == json.dumps(MUG)
    assert text.startswith('{"category": "Mug", "pose": {"global_position": [0, -1, 1]')
    assert canonical_gene_json(parse_gene(text), param_table()) == text
    assert gene_hash(gene) == gene_hash(parse_gene(text)) and len(gene_hash(gene)) == 64


def test_a_valid_gene_passes_the_table():
    check_gene(parse_gene(json.dumps(mug())), param_table())


@pytest.mark.parametrize(("change", "words"), [
    (lambda g: g["conceptualization"][1].update(template="Cylindrical_Lid"),
     ["instance 1 (Cylindrical_Lid)", "not one of Mug's"]),
    (lambda g: g["conceptualization"][1]["parameters"].update(radius=[0.3]),
     ["instance 1 (Curved_Handle)", "'radius'", "expected 2"]),
    (lambda g: g["conceptualization"][0]["parameters"].update(outer_size=[0.4, 0.3, -1.0]),
     ["instance 0 (Cylindrical_Body)", "'outer_size'[2]", "outside"]),
    (lambda g: g["conceptualization"][0]["parameters"].pop("inner_size"), ["instance 0", "inner_size", "missing"]),
    (lambda g: g.update(category="Spaceship"), ["unknown category 'Spaceship'"]),
    (lambda g: g["pose"].update(global_position=[0, 2, 0]), ["global_position y", "outside [-1, 1]"]),
])
def test_errors_name_the_instance_and_parameter(change, words):
    data = mug()
    change(data)
    with pytest.raises(GeneError) as error:
        check_gene(parse_gene(json.dumps(data)), param_table())
    for word in words:
        assert word in str(error.value)


@given(st.sampled_from([math.nan, math.inf, -math.inf]), st.integers(0, 2))
def test_non_finite_values_are_param_errors(value: float, slot: int):
    data = mug()
    data["conceptualization"][0]["parameters"]["outer_size"][slot] = value
    with pytest.raises(GeneError, match=r"instance 0 \(Cylindrical_Body\): parameter 'outer_size'") as error:
        check_gene(parse_gene(json.dumps(data)), param_table())
    assert error.value.kind == "param_error"


@given(st.lists(st.floats(0.01, 2.0), min_size=0, max_size=6).filter(lambda v: len(v) != 3))
def test_any_wrong_vector_length_is_named(values: list[float]):
    data = mug()
    data["conceptualization"][0]["parameters"]["inner_size"] = values
    with pytest.raises(GeneError, match=rf"'inner_size': expected 3 value\(s\), got {len(values)}"):
        check_gene(parse_gene(json.dumps(data)), param_table())


def test_malformed_json_names_the_field():
    with pytest.raises(GeneError, match="pose"):
        parse_gene(json.dumps({k: v for k, v in MUG.items() if k != "pose"}))
