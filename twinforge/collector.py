"""Fewer passes of Python's cycle collector over blocks that make objects by the thousand.

Compiling a script makes closures, parsing makes trees, drafting makes records: at Python's default
first threshold (700 new objects) the collector runs often, and each pass that reaches the oldest
generation scans every object the process holds, caches included. Objects are still freed by
reference counting at once; only reference cycles wait a little longer for theirs.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def fewer_collections(young_objects: int, *, freeze: bool = False) -> Iterator[None]:
    """Run the block with the collector's first threshold at least ``young_objects`` (a higher one
    set by the caller is kept) and, with ``freeze``, the objects alive at its start frozen
    (``gc.freeze``: no pass in the block scans them); then restore both. Where objects are frozen
    already (by an enclosing block or the caller), nothing is frozen or unfrozen here."""
    thresholds = gc.get_threshold()
    freezing = freeze and gc.get_freeze_count() == 0
    gc.set_threshold(max(young_objects, thresholds[0]), *thresholds[1:])
    if freezing:
        gc.freeze()
    try:
        yield
    finally:
        if freezing:
            gc.unfreeze()
        gc.set_threshold(*thresholds)
