"""Float tokens: both forms round-trip within a bin, tokens are in range, bad tokens are named."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twinforge.families.gene.categories import categories
from twinforge.families.gene.sampler import GeneCell, sample_parts, to_gene
from twinforge.families.gene.tokens import BINS, RELEASE_OFFSET, decode_gene, encode_gene, reference_tables
from twinforge.schemas.gene import GeneError, GenePose

CELLS = [GeneCell(name, subtype) for name, c in categories().items() for subtype in c.subtypes]
POSE = GenePose(global_position=[1, 0, -1], global_rotation=[5, -90, 175])


def values(gene) -> np.ndarray:
    return np.array([v for i in gene.conceptualization for name in sorted(i.parameters) for v in i.parameters[name]])


def test_release_edges_are_percentiles_at_1025_points():
    tables = reference_tables()
    key = ("Mug", "Cylindrical_Body", "outer_size", 2)
    assert len(tables.edges[key]) == BINS + 1 and len(tables.quantiles[key]) == BINS
    assert np.all(np.diff(tables.edges[key]) >= 0)
    assert tables.index(key, -5.0, "release") == 0 and tables.index(key, 99.0, "release") == BINS - 1


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6), st.sampled_from(CELLS), st.sampled_from(["release", "paper"]))
def test_tokens_round_trip_within_a_bin_and_keep_the_pose(index: int, cell: GeneCell, form: str):
    gene = to_gene(cell.category, sample_parts(77, index, cell, 0.3), POSE)
    text = encode_gene(gene, form)
    data = json.loads(text)
    tokens = [v for i in data["conceptualization"] for vs in i["parameters"].values() for v in vs]
    offset = RELEASE_OFFSET if form == "release" else 0
    assert all(isinstance(t, int) and offset <= t < offset + BINS for t in tokens)
    decoded = decode_gene(text, form)
    assert decoded.pose == POSE and [i.template for i in decoded.conceptualization] == [
        i.template for i in gene.conceptualization]
    spread = np.array([np.ptp(e) for e in reference_tables().edges.values()]).max()
    assert np.abs(values(decoded) - values(gene)).max() <= spread * 0.05 + 1e-9
    if form == "paper":  # release decoding gives a bin's upper edge, which may start a run of equal edges
        again = decode_gene(encode_gene(decoded, form), form)
        # decoded values are rounded to 4 places, so a dense table may give another index of (nearly) the same value
        assert np.abs(values(again) - values(decoded)).max() <= 1e-4 + 1e-9


def test_a_bad_token_names_the_instance_and_parameter():
    gene = to_gene("Mug", sample_parts(1, 0, GeneCell("Mug", "has_cover"), 0.0), POSE)
    data = json.loads(encode_gene(gene, "release"))
    data["conceptualization"][0]["parameters"]["outer_size"][1] = 17
    with pytest.raises(GeneError, match=r"instance 0 \(\w+_Body\): parameter 'outer_size'"):
        decode_gene(json.dumps(data), "release")
