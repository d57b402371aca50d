"""The sampler: deterministic, every cell gives an attached, in-frame gene that passes the check."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twinforge.families.gene.categories import categories
from twinforge.families.gene.check import check_gene_text
from twinforge.families.gene.sampler import GeneCell, object_mesh, posed, sample_parts, sample_poses, to_gene
from twinforge.renderers.gene.raster import in_frame
from twinforge.schemas.gene import GenePose, canonical_gene_json

CELLS = [GeneCell(name, subtype) for name, c in categories().items() for subtype in c.subtypes]
ORIGIN = GenePose(global_position=[0, 0, 0], global_rotation=[0, 0, 0])


def gene_text(seed: int, index: int, cell: GeneCell, removal: float = 0.3) -> str:
    return canonical_gene_json(to_gene(cell.category, sample_parts(seed, index, cell, removal), ORIGIN))


def test_eight_categories_with_roles_and_templates():
    assert set(categories()) == {"Mug", "Bottle", "Bucket", "Kettle", "Chair", "Table", "Box", "Trashcan"}
    for category in categories().values():
        for roles in category.subtypes.values():
            assert roles[0].necessary and roles[0].attach == "origin"
            assert all(t in category.templates for role in roles for t in role.templates)


@pytest.mark.parametrize("cell", CELLS, ids=lambda c: f"{c.category}-{c.subtype}")
def test_every_cell_passes_the_check(cell: GeneCell):
    for index in range(6):
        result = check_gene_text(gene_text(3, index, cell))
        assert result.outcome == "ok", result.message
        assert result.stats["faces"] > 0


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**40), st.integers(0, 10**6), st.sampled_from(CELLS))
def test_same_seed_and_index_give_the_same_gene(seed: int, index: int, cell: GeneCell):
    assert gene_text(seed, index, cell) == gene_text(seed, index, cell)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6), st.sampled_from(CELLS))
def test_parameters_are_in_domain_with_cavities_inside_walls(index: int, cell: GeneCell):
    gene = json.loads(gene_text(5, index, cell))
    for instance in gene["conceptualization"]:
        params = instance["parameters"]
        if "inner_size" in params:
            assert all(i < o for i, o in zip(params["inner_size"], params["outer_size"], strict=True))
    assert check_gene_text(json.dumps(gene)).outcome == "ok"


@pytest.mark.parametrize("cell", [GeneCell("Mug", "has_cover_and_coaster"), GeneCell("Chair", "regular")])
def test_removal_rate_drops_only_non_essential_instances(cell: GeneCell):
    roles = categories()[cell.category].subtypes[cell.subtype]
    essential = sum(r.necessary for r in roles)
    for index in range(10):
        assert len(sample_parts(1, index, cell, 0.0)) == len(roles)
        assert len(sample_parts(1, index, cell, 1.0)) == essential


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10**6), st.sampled_from(CELLS))
def test_poses_are_on_the_release_grid_and_in_frame(index: int, cell: GeneCell):
    parts = sample_parts(9, index, cell, 0.3)
    mesh = object_mesh([(p.template, p.params) for p in parts])
    poses = sample_poses(9, index, mesh, 5, 128)
    assert len(poses) == 5
    for pose in poses:
        assert all(v in (-1, 0, 1) for v in pose.global_position)
        assert all(-180 <= v <= 180 and v % 5 == 0 for v in pose.global_rotation)
        assert in_frame(posed(mesh, pose), 128)
    assert poses == sample_poses(9, index, mesh, 5, 128)


def test_a_detached_part_is_a_build_error():
    gene = json.loads(gene_text(1, 0, GeneCell("Mug", "no_cover_or_coaster")))
    gene["conceptualization"][1]["parameters"]["position"] = [0.0, 0.0, 2.5]
    result = check_gene_text(json.dumps(gene))
    assert result.outcome == "build_error"
    assert "instance 1" in result.message and "detached" in result.message


def test_parameter_problems_are_param_errors():
    gene = json.loads(gene_text(1, 0, GeneCell("Bottle", "wine")))
    gene["conceptualization"][0]["parameters"]["num_levels"] = [9.0]
    result = check_gene_text(json.dumps(gene))
    assert result.outcome == "param_error"
    assert "instance 0 (Multilevel_Body): parameter 'num_levels'" in result.message
    assert check_gene_text("{not json").outcome == "param_error"


def test_mesh_is_finite():
    for cell in CELLS:
        result = check_gene_text(gene_text(2, 1, cell))
        assert np.isfinite(result.mesh.vertices).all()
