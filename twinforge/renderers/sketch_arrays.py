"""Array idioms the sketch's batched steps share (label search, pencil outlines)."""

from __future__ import annotations

import numpy as np


def ranks(counts: np.ndarray) -> np.ndarray:
    """0, 1, ..., count - 1 for each of ``counts``, one run after the other: each element's place in
    its run when runs of these lengths are laid end to end."""
    total = int(counts.sum())
    return np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
