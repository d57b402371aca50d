"""Exported grammars accept exactly the valid genes: every sampled gene passes lark, JSON Schema, the regex
and pydantic; mutations are rejected by all of them; GBNF is well formed for every category."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache

import jsonschema
import lark
import pytest
from gbnf import GBNF, InputParseError
from hypothesis import given, settings
from hypothesis import strategies as st

from twinforge.cli import main
from twinforge.families.gene.categories import categories, param_table
from twinforge.families.gene.grammar import gene_grammar
from twinforge.families.gene.sampler import GeneCell, object_mesh, sample_parts, sample_poses, to_gene
from twinforge.families.gene.tokens import decode_gene, encode_gene
from twinforge.schemas.gene import GeneError, canonical_gene_json, check_gene, parse_gene

CELLS = [GeneCell(name, subtype) for name, c in categories().items() for subtype in c.subtypes]
FORMS = ("float", "release")


@cache
def lark_parser(category: str, values: str) -> lark.Lark:
    return lark.Lark(gene_grammar("lark", category, values))


@cache
def schema(category: str, values: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(gene_grammar("json-schema", category, values)))


@cache
def regex(category: str, values: str) -> re.Pattern[str]:
    return re.compile(gene_grammar("regex", category, values).strip())


def sampled_text(cell: GeneCell, index: int, values: str) -> str:
    """A gene as a small recipe samples it (parts, then an in-frame pose), as its float or token text."""
    parts = sample_parts(11, index, cell, 0.3)
    pose = sample_poses(11, index, object_mesh([(p.template, p.params) for p in parts]), 1, 256)[0]
    gene = to_gene(cell.category, parts, pose)
    return canonical_gene_json(gene, param_table()) if values == "float" else encode_gene(gene, values)


def pydantic_valid(text: str, values: str) -> bool:
    try:
        gene = parse_gene(text) if values == "float" else decode_gene(text, values)
        check_gene(gene, param_table())
    except GeneError:
        return False
    return True


def verdicts(category: str, text: str, values: str) -> dict[str, bool]:
    """Whether each validator accepts ``text``."""
    try:
        lark_parser(category, values).parse(text)
        by_lark = True
    except lark.exceptions.LarkError:
        by_lark = False
    try:
        data = json.loads(text)
        by_schema = schema(category, values).is_valid(data)
    except json.JSONDecodeError:
        by_schema = False
    return {"lark": by_lark, "json-schema": by_schema, "regex": regex(category, values).fullmatch(text) is not None,
            "pydantic": pydantic_valid(text, values)}


@pytest.mark.parametrize("values", FORMS)
@pytest.mark.parametrize("cell", CELLS, ids=lambda c: f"{c.category}-{c.subtype}")
def test_every_sampled_gene_passes_every_validator(cell: GeneCell, values: str):
    for index in range(4):
        text = sampled_text(cell, index, values)
        assert verdicts(cell.category, text, values) == dict.fromkeys(["lark", "json-schema", "regex", "pydantic"],
                                                                       True), text


def _unknown_template(gene: dict) -> None:
    gene["conceptualization"][-1]["template"] = "Spaceship_Wing"


def _wrong_length(gene: dict) -> None:
    params = gene["conceptualization"][0]["parameters"]
    name = next(iter(params))
    params[name] = [*params[name], params[name][0]]


def _short_vector(gene: dict) -> None:
    gene["conceptualization"][0]["parameters"]["position"].pop()


def _missing_parameter(gene: dict) -> None:
    params = gene["conceptualization"][0]["parameters"]
    params.pop(next(iter(params)))


def _missing_pose(gene: dict) -> None:
    gene.pop("pose")


def _pose_off_grid(gene: dict) -> None:
    gene["pose"]["global_position"][0] = 2


def _other_category(gene: dict) -> None:
    gene["category"] = "Spaceship"


MUTATIONS: dict[str, Callable[[dict], None]] = {
    "unknown template": _unknown_template, "wrong vector length": _wrong_length, "short vector": _short_vector,
    "missing parameter": _missing_parameter, "missing pose": _missing_pose, "pose off the grid": _pose_off_grid,
    "unknown category": _other_category,
}


@pytest.mark.parametrize("values", FORMS)
@pytest.mark.parametrize("mutation", MUTATIONS, ids=str)
def test_mutations_are_rejected_by_every_validator(mutation: str, values: str):
    for cell in (GeneCell("Mug", "has_cover"), GeneCell("Kettle", "spherical_cylindrical"), GeneCell("Chair", "regular")):
        gene = json.loads(sampled_text(cell, 0, values))
        MUTATIONS[mutation](gene)
        assert not any(verdicts(cell.category, json.dumps(gene), values).values()), mutation


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(CELLS), st.integers(0, 10**5), st.sampled_from([2047, 3072, 0, 4000, -1]), st.data())
def test_a_token_out_of_range_is_rejected_by_every_validator(cell: GeneCell, index: int, token: int,
                                                             data: st.DataObject):
    gene = json.loads(sampled_text(cell, index, "release"))
    instance = data.draw(st.sampled_from(gene["conceptualization"]))
    vector = instance["parameters"][data.draw(st.sampled_from(sorted(instance["parameters"])))]
    vector[data.draw(st.integers(0, len(vector) - 1))] = token
    assert not any(verdicts(cell.category, json.dumps(gene), "release").values())


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(CELLS), st.integers(0, 10**5), st.floats(-1e3, 1e3, allow_nan=False), st.data())
def test_float_validators_agree_on_any_value(cell: GeneCell, index: int, value: float, data: st.DataObject):
    gene = json.loads(sampled_text(cell, index, "float"))
    instance = data.draw(st.sampled_from(gene["conceptualization"]))
    vector = instance["parameters"][data.draw(st.sampled_from(sorted(instance["parameters"])))]
    vector[data.draw(st.integers(0, len(vector) - 1))] = round(value, 4) or 0.0
    found = verdicts(cell.category, json.dumps(gene), "float")
    assert len(set(found.values())) == 1, found


@pytest.mark.parametrize("category", list(categories()))
def test_gbnf_is_well_formed_for_every_category_and_accepts_only_valid_genes(category: str):
    cell = GeneCell(category, next(iter(categories()[category].subtypes)))
    for values in FORMS:
        grammar = gene_grammar("gbnf", category, values)
        assert grammar.startswith("root ::= ")
        text = sampled_text(cell, 1, values)
        GBNF(grammar, text)
        gene = json.loads(text)
        _wrong_length(gene)
        with pytest.raises(InputParseError):
            GBNF(grammar, json.dumps(gene))


def test_the_cli_prints_each_format_for_one_or_all_categories(capsys: pytest.CaptureFixture[str]):
    for fmt in ("lark", "gbnf", "json-schema", "regex"):
        assert main(["grammar", "--family", "gene", "--category", "Bottle", "--format", fmt]) == 0
        one = capsys.readouterr().out
        assert main(["grammar", "--family", "gene", "--format", fmt, "--values", "release"]) == 0
        everything = capsys.readouterr().out
        assert "Multilevel_Body" in one and "Trashcan" not in one and "Trashcan" in everything
    lark.Lark(gene_grammar("lark"))  # every category in one grammar builds
    assert main(["grammar", "--family", "factory", "--format", "lark"]) == 2
    assert main(["grammar", "--family", "gene", "--category", "Boat", "--format", "lark"]) == 2
    assert "Boat" in capsys.readouterr().err
