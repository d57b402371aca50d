"""Gene metrics: concept match on template sets, Float Error on paired indices, Chamfer and F-score in the
paper's definition (unit sphere, rotation grid, ICP) and the release code's."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.transform import Rotation

from twinforge.metrics.gene_metrics import (
    concept_match,
    float_error,
    fscores,
    pair_instances,
    paper_scores,
    release_scores,
    surface_points,
    unit_sphere,
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
    same = release_scores(points, points)
    assert same.chamfer == 0 and all(v == 1.0 for v in same.fscore.values())
    moved = release_scores(points, points + [shift, 0, 0])
    assert moved.chamfer <= shift + 1e-9
    if shift > 0.1:
        assert moved.chamfer > 0.01 and moved.fscore[0.01] < 1.0


def l_shape() -> np.ndarray:
    """Points on an asymmetric solid (a long bar, a short bar and a post), so one rotation fits it."""
    boxes = [(CUBE * [2.0, 0.3, 0.3]), (CUBE * [0.3, 1.0, 0.3]), (CUBE * [0.3, 0.3, 0.6] + [1.7, 0, 0.3])]
    rng = np.random.default_rng(4)
    return np.concatenate([surface_points(b, FACES, 1500, rng) for b in boxes])


def test_chamfer_of_a_cloud_with_itself_is_zero_in_both_definitions():
    points = l_shape()
    for scores in (paper_scores(points, points), release_scores(points, points)):
        assert scores.chamfer == 0 and scores.fscore == {0.01: 1.0, 0.02: 1.0, 0.05: 1.0}


@pytest.mark.parametrize("angles", [(33, -71, 128), (-150, 20, 95), (10, 170, -60)])
def test_the_paper_alignment_recovers_a_known_rotation_translation_and_scale(angles: tuple[int, int, int]):
    points = l_shape()
    moved = 2.5 * points @ Rotation.from_euler("xyz", angles, degrees=True).as_matrix().T + [0.3, -1.0, 2.0]
    scores = paper_scores(points, moved)
    assert scores.chamfer < 1e-12 and scores.fscore[0.01] == 1.0
    assert release_scores(points, moved).chamfer > 0.05  # the release code does not align


def test_the_release_grid_finds_a_rotation_on_the_grid():
    points = l_shape()
    turned = points @ Rotation.from_euler("xyz", (0, 90, 180), degrees=True).as_matrix().T
    assert release_scores(points, turned, steps=4).chamfer < 1e-12
    assert release_scores(points, turned).chamfer > 0.05


def test_fscore_at_each_threshold_by_hand():
    to_reference = np.array([0.005, 0.015, 0.03, 0.1])  # precision 1/4, 2/4, 3/4
    to_prediction = np.array([0.005, 0.008, 0.04, 0.2])  # recall 2/4, 2/4, 3/4
    scores = fscores(to_reference, to_prediction)
    assert scores[0.01] == pytest.approx(2 * 0.25 * 0.5 / 0.75)
    assert scores[0.02] == pytest.approx(0.5) and scores[0.05] == pytest.approx(0.75)
    assert fscores(np.array([1.0]), np.array([1.0]))[0.01] == 0.0


@settings(max_examples=20, deadline=None)
@given(st.tuples(*[st.floats(-180, 180)] * 3))
def test_unit_sphere_commutes_with_rotation(angles: tuple[float, float, float]):
    points = l_shape()
    matrix = Rotation.from_euler("xyz", angles, degrees=True).as_matrix()
    assert np.allclose(unit_sphere(points @ matrix.T + 5), unit_sphere(points) @ matrix.T, atol=1e-12)
    assert np.isclose(np.linalg.norm(unit_sphere(points), axis=1).max(), 1.0)
