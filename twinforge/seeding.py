"""Per-sample random generators: seeds are data, never global state.

Each sample gets independent streams for each stage of its family, derived from
``(recipe seed, sample index, stage)`` with ``numpy.random.SeedSequence``. A family numbers its
own stages (``families/factory/stages.py``). The same recipe therefore gives the same bytes
whatever the worker count, the scheduler or a resume.
"""

from __future__ import annotations

import numpy as np


def sample_rng(seed: int, index: int, stage: int) -> np.random.Generator:
    """The generator for one stage of one sample."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index, int(stage))))


def sample_seed(seed: int, index: int, stage: int) -> int:
    """A 32-bit integer seed for one stage of one sample (for APIs that take an int)."""
    return int(np.random.SeedSequence(seed, spawn_key=(index, int(stage))).generate_state(1)[0])
