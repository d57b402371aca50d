"""Metrics of predicted Digital Genes (GeneVLM §6): Concept Accuracy, Float Error, Chamfer distance, F-score.

The functions take plain data (template names, quantile indices, point arrays) so that any family
can use them. Chamfer follows the release's benchmark code rather than the paper's Eq. 4: plain
(not squared) nearest-neighbour distances averaged over both directions, divided by the longest
bounding-box edge of the reference; no rotation search or ICP (the pose is part of the prediction).
F-score at a threshold is the harmonic mean of precision (predicted points near the reference)
and recall (reference points near the prediction), distances normalised the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

F_THRESHOLDS = (0.01, 0.02, 0.05)


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


def shape_scores(reference: np.ndarray, predicted: np.ndarray,
                 thresholds: Sequence[float] = F_THRESHOLDS) -> ShapeScores:
    """Normalised Chamfer distance and F-score at each threshold (the reference's longest edge is 1)."""
    scale = float(np.ptp(reference, axis=0).max()) or 1.0
    to_reference = cKDTree(reference).query(predicted)[0] / scale
    to_prediction = cKDTree(predicted).query(reference)[0] / scale
    chamfer = float((to_reference.mean() + to_prediction.mean()) / 2)
    scores = {}
    for tau in thresholds:
        precision, recall = float((to_reference < tau).mean()), float((to_prediction < tau).mean())
        scores[tau] = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return ShapeScores(chamfer, scores)


__all__ = ["F_THRESHOLDS", "ShapeScores", "concept_match", "float_error", "pair_instances", "shape_scores",
           "surface_points"]
