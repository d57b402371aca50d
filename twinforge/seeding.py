"""Per-sample random generators: seeds are data, never global state.

Each sample gets independent streams for each stage of its family, derived from
``(recipe seed, sample index, stage)`` with ``numpy.random.SeedSequence``. A family numbers its
own stages (``families/factory/stages.py``). The same recipe therefore gives the same bytes
whatever the worker count, the scheduler or a resume.
"""

from __future__ import annotations

import numpy as np


def _key(index: int, stage: int, attempt: int) -> tuple[int, ...]:
    return (index, int(stage)) if attempt == 0 else (index, int(stage), attempt)


def sample_rng(seed: int, index: int, stage: int, attempt: int = 0) -> np.random.Generator:
    """The generator for one stage of one sample (``attempt`` > 0: a fresh stream for a redraw)."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=_key(index, stage, attempt)))


def sample_seed(seed: int, index: int, stage: int, attempt: int = 0) -> int:
    """A 32-bit integer seed for one stage of one sample (for APIs that take an int)."""
    return int(np.random.SeedSequence(seed, spawn_key=_key(index, stage, attempt)).generate_state(1)[0])
