"""The factory family's random streams, one per stage of a sample (see ``twinforge.seeding``)."""

from __future__ import annotations

from enum import IntEnum


class Stage(IntEnum):
    """Stream identifiers; append new stages at the end so old corpora keep their bytes."""

    SPEC = 0
    CHOICES = 1
    SKETCH = 2
    PROMPT = 3
    SIMULATION = 4
