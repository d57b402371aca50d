"""Gene metrics: concept match on template sets, Float Error on paired indices, Chamfer and F-score."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from twinforge.metrics.gene_metrics import (
    concept_match,
    float_error,
    pair_instances,
    shape_scores,
    surface_points,
)


def test_concept_match_compares_sets_of_an_executable_prediction():
    assert concept_match(["Body", "Handle"], ["Handle", "Body", "Body"])
    assert not concept_match(["Body", "Handle"], ["Body"])
    assert not concept_match(["Body"], None)


def test_instances_pair_by_template_in_order_only_for_equal_multisets():
    assert pair_instances(["A", "B", "A"], ["B", "A", "A"]) == [(0, 1), (1, 0), (2, 2)]
    assert pair_instances(["A", "B"], ["A", "A"]) is None


def test_float_error_is_the_mean_absolute_index_difference():
    assert float_error([0, 10, 1023], [0, 20, 1000]) == (0 + 10 + 23) / 3


CUBE = np.array([[x, y, z] for x in (0, 1) for y in (0, 1) for z in (0, 1)], dtype=float)
FACES = np.array([[0, 1, 3], [0, 3, 2], [4, 6, 7], [4, 7, 5], [0, 4, 5], [0, 5, 1],
                  [2, 3, 7], [2, 7, 6], [0, 2, 6], [0, 6, 4], [1, 5, 7], [1, 7, 3]])


def test_surface_points_lie_on_the_surface():
    points = surface_points(CUBE, FACES, 2000, np.random.default_rng(1))
    on_face = np.isclose(points, 0) | np.isclose(points, 1)
    assert points.shape == (2000, 3) and on_face.any(axis=1).all()
    assert (points >= -1e-12).all() and (points <= 1 + 1e-12).all()


@settings(max_examples=20, deadline=None)
@given(st.floats(0.0, 0.5))
def test_chamfer_grows_with_offset_and_identical_clouds_score_perfectly(shift: float):
    points = surface_points(CUBE, FACES, 1000, np.random.default_rng(2))
    same = shape_scores(points, points)
    assert same.chamfer == 0 and all(v == 1.0 for v in same.fscore.values())
    moved = shape_scores(points, points + [shift, 0, 0])
    assert moved.chamfer <= shift + 1e-9
    if shift > 0.1:
        assert moved.chamfer > 0.01 and moved.fscore[0.01] < 1.0
