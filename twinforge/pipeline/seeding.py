"""Per-sample random generators: seeds are data, never global state.

Each sample gets independent streams for each stage (spec, code style, sketch, prompt), derived
from ``(recipe seed, sample index, stage)`` with ``numpy.random.SeedSequence``. The same recipe
therefore gives the same bytes whatever the worker count, the scheduler or a resume.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Stage(IntEnum):
    """Stream identifiers; append new stages at the end so old corpora keep their bytes."""

    SPEC = 0
    CHOICES = 1
    SKETCH = 2
    PROMPT = 3
    SIMULATION = 4


def sample_rng(seed: int, index: int, stage: Stage = Stage.SPEC) -> np.random.Generator:
    """The generator for one stage of one sample."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index, int(stage))))


def sample_seed(seed: int, index: int, stage: Stage) -> int:
    """A 32-bit integer seed for one stage of one sample (for APIs that take an int)."""
    return int(np.random.SeedSequence(seed, spawn_key=(index, int(stage))).generate_state(1)[0])
