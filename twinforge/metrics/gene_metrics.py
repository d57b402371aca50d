"""Metrics of predicted Digital Genes (GeneVLM §6): Concept Accuracy, Float Error, Chamfer distance, F-score.

The functions take plain data (template names, quantile indices, point arrays) so that any family
can use them. Shapes are compared two ways:

- ``paper_scores`` (the paper's Eq. 4 and App. A.8): both clouds normalised to the unit sphere, the
  prediction aligned to the reference by a coarse grid over rotations and then point-to-point ICP
  (nearest neighbours from scipy's ``cKDTree``, Kabsch steps); Chamfer is the *sum* of the two mean
  *squared* nearest-neighbour distances; F-score at a threshold is the harmonic mean of precision
  (predicted points within it of the reference) and recall (the converse), in unit-sphere units.
- ``release_scores`` (the release's benchmark code, §7 of the reference): plain (not squared)
  distances averaged over both directions, divided by the reference's longest bounding-box edge; an
  optional grid over rotations (the release uses 24 steps per axis); no ICP.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree
from scipy.spatial.transform import Rotation

F_THRESHOLDS = (0.01, 0.02, 0.05)
PAPER_POINTS = 10_000
"""Points sampled per surface in the paper's protocol."""
COARSE_STEPS = 8
"""Rotations per Euler axis of the coarse grid (45 degree steps)."""
COARSE_POINTS = 500
COARSE_CANDIDATES = 16
"""Grid rotations refined by ICP on the subsample before the final ICP."""
"""Points of each cloud used to rank the grid's rotations."""
ICP_ITERATIONS = 50
RELEASE_GRID_STEPS = 24


def concept_match(reference: Sequence[str], predicted: Sequence[str] | None) -> bool:
    """Whether an executable prediction's *set* of ConceptTemplates equals the reference's (None: not executable)."""
    return predicted is not None and set(predicted) == set(reference)


def pair_instances(reference: Sequence[str], predicted: Sequence[str]) -> list[tuple[int, int]] | None:
    """Reference and predicted instance indices paired by template, in order (None unless the multisets agree)."""
    if Counter(reference) != Counter(predicted):
        return None
    queue: dict[str, list[int]] = {}
    for k, name in enumerate(predicted):
        queue.setdefault(name, []).append(k)
    return [(k, queue[name].pop(0)) for k, name in enumerate(reference)]


def float_error(reference: Sequence[int], predicted: Sequence[int]) -> float:
    """Mean absolute error of paired quantile indices (0-1023 scale)."""
    return float(np.mean(np.abs(np.asarray(reference, dtype=float) - np.asarray(predicted, dtype=float))))


def surface_points(vertices: np.ndarray, faces: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` points drawn uniformly over a triangle mesh's surface."""
    v = vertices[faces]
    area = np.linalg.norm(np.cross(v[:, 1] - v[:, 0], v[:, 2] - v[:, 0]), axis=1)
    chosen = rng.choice(len(faces), size=count, p=area / area.sum())
    u, w = rng.random((2, count))
    flip = u + w > 1
    u, w = np.where(flip, 1 - u, u), np.where(flip, 1 - w, w)
    t = v[chosen]
    return t[:, 0] + u[:, None] * (t[:, 1] - t[:, 0]) + w[:, None] * (t[:, 2] - t[:, 0])


@dataclass(frozen=True)
class ShapeScores:
    """Chamfer distance and F-scores of a predicted point cloud against the reference's."""

    chamfer: float
    fscore: dict[float, float]


def fscores(to_reference: np.ndarray, to_prediction: np.ndarray,
            thresholds: Sequence[float] = F_THRESHOLDS) -> dict[float, float]:
    """F-score at each threshold from each predicted point's distance to the reference and the converse."""
    scores = {}
    for tau in thresholds:
        precision, recall = float((to_reference < tau).mean()), float((to_prediction < tau).mean())
        scores[tau] = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return scores


def unit_sphere(points: np.ndarray) -> np.ndarray:
    """The cloud centred on its centroid and scaled so its farthest point is at distance 1 (both commute with a
    rotation, so a rotated copy normalises to the rotated normalised cloud)."""
    centred = points - points.mean(axis=0)
    radius = float(np.linalg.norm(centred, axis=1).max())
    return centred / radius if radius > 0 else centred


def euler_grid(steps: int) -> np.ndarray:
    """Rotation matrices of every XYZ Euler triple on a grid of ``steps`` angles per axis (identity first)."""
    angles = np.arange(steps) * (360.0 / steps)
    triples = np.stack(np.meshgrid(angles, angles, angles, indexing="ij"), axis=-1).reshape(-1, 3)
    return Rotation.from_euler("xyz", triples, degrees=True).as_matrix()


def grid_errors(reference: np.ndarray, predicted: np.ndarray, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Every rotation of the grid and the mean nearest-neighbour distance (both ways) of ``predicted`` turned
    by it about the origin."""
    grid = euler_grid(steps)
    # predicted -> reference under R, and reference -> predicted under R^T (distances are rotation-invariant)
    forward = cKDTree(reference).query(np.einsum("rij,nj->rni", grid, predicted).reshape(-1, 3))[0]
    backward = cKDTree(predicted).query(np.einsum("rji,nj->rni", grid, reference).reshape(-1, 3))[0]
    return grid, forward.reshape(len(grid), -1).mean(axis=1) + backward.reshape(len(grid), -1).mean(axis=1)


def best_grid_rotation(reference: np.ndarray, predicted: np.ndarray, steps: int) -> np.ndarray:
    """The grid rotation of ``predicted`` nearest to ``reference`` (ties go to the earlier one, so an exact
    prediction keeps the identity)."""
    grid, error = grid_errors(reference, predicted, steps)
    return grid[int(np.argmin(error))]


@dataclass(frozen=True)
class Rigid:
    """``x -> rotation @ x + translation`` and the mean squared nearest-neighbour distance it leaves."""

    rotation: np.ndarray
    translation: np.ndarray
    error: float

    def apply(self, points: np.ndarray) -> np.ndarray:
        return points @ self.rotation.T + self.translation


def icp(reference: np.ndarray, predicted: np.ndarray, start: np.ndarray | None = None,
        iterations: int = ICP_ITERATIONS) -> Rigid:
    """The rigid motion (from rotation ``start``) that point-to-point ICP finds to move ``predicted`` onto
    ``reference`` (a Kabsch step is kept only while it lowers the error)."""
    tree = cKDTree(reference)
    rotation, translation = (np.eye(3) if start is None else start), np.zeros(3)
    current = predicted @ rotation.T
    distances, nearest = tree.query(current)
    error = float(np.mean(distances ** 2))
    for _ in range(iterations):
        if error == 0:
            break
        target = reference[nearest]
        mean_c, mean_t = current.mean(axis=0), target.mean(axis=0)
        u, _, vt = np.linalg.svd((current - mean_c).T @ (target - mean_t))
        step = vt.T @ np.diag([1.0, 1.0, np.sign(np.linalg.det(vt.T @ u.T))]) @ u.T
        moved = (current - mean_c) @ step.T + mean_t
        new_distances, new_nearest = tree.query(moved)
        new_error = float(np.mean(new_distances ** 2))
        if new_error >= error * (1 - 1e-9):
            break
        rotation, translation = step @ rotation, step @ (translation - mean_c) + mean_t
        current, error, nearest = moved, new_error, new_nearest
    return Rigid(rotation, translation, error)


def align(reference: np.ndarray, predicted: np.ndarray, steps: int = COARSE_STEPS,
          subsample: int = COARSE_POINTS, candidates: int = COARSE_CANDIDATES) -> tuple[np.ndarray, np.ndarray]:
    """Both clouds in unit-sphere units, the prediction aligned to the reference: the best ``candidates``
    rotations of the coarse grid each refined by ICP on a subsample, the best of them by ICP on every point."""
    reference, predicted = unit_sphere(reference), unit_sphere(predicted)
    few_reference, few_predicted = _every(reference, subsample), _every(predicted, subsample)
    grid, error = grid_errors(few_reference, few_predicted, steps)
    order = np.argsort(error, kind="stable")[:candidates]
    if error[order[0]] == 0:
        return reference, predicted @ grid[order[0]].T
    coarse = min((icp(few_reference, few_predicted, grid[k]) for k in order), key=lambda rigid: rigid.error)
    rigid = icp(reference, coarse.apply(predicted))
    return reference, rigid.apply(coarse.apply(predicted))


def _every(points: np.ndarray, count: int) -> np.ndarray:
    """About ``count`` points of the cloud, evenly strided (deterministic)."""
    return points[::max(1, len(points) // count)]


def paper_scores(reference: np.ndarray, predicted: np.ndarray, thresholds: Sequence[float] = F_THRESHOLDS,
                 steps: int = COARSE_STEPS) -> ShapeScores:
    """Eq. 4 Chamfer (sum of mean squared distances) and F-scores after the paper's alignment."""
    reference, aligned = align(reference, predicted, steps)
    to_reference = cKDTree(reference).query(aligned)[0]
    to_prediction = cKDTree(aligned).query(reference)[0]
    chamfer = float(np.mean(to_reference ** 2) + np.mean(to_prediction ** 2))
    return ShapeScores(chamfer, fscores(to_reference, to_prediction, thresholds))


def release_scores(reference: np.ndarray, predicted: np.ndarray, thresholds: Sequence[float] = F_THRESHOLDS,
                   steps: int = 1) -> ShapeScores:
    """The release code's Chamfer (plain distances, both directions averaged, over the reference's longest
    bounding-box edge) and F-scores in the same units, at the best of a ``steps``-per-axis rotation grid
    (1: the prediction as posed; the release uses 24), ranked on ``COARSE_POINTS`` of each cloud."""
    scale = float(np.ptp(reference, axis=0).max()) or 1.0
    if steps > 1:
        predicted = predicted @ best_grid_rotation(_every(reference, COARSE_POINTS),
                                                   _every(predicted, COARSE_POINTS), steps).T
    to_reference = cKDTree(reference).query(predicted)[0] / scale
    to_prediction = cKDTree(predicted).query(reference)[0] / scale
    chamfer = float((to_reference.mean() + to_prediction.mean()) / 2)
    return ShapeScores(chamfer, fscores(to_reference, to_prediction, thresholds))


__all__ = [
    "COARSE_STEPS",
    "F_THRESHOLDS",
    "PAPER_POINTS",
    "RELEASE_GRID_STEPS",
    "Rigid",
    "ShapeScores",
    "align",
    "best_grid_rotation",
    "concept_match",
    "euler_grid",
    "float_error",
    "fscores",
    "grid_errors",
    "icp",
    "pair_instances",
    "paper_scores",
    "release_scores",
    "surface_points",
    "unit_sphere",
]
