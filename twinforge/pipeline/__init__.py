"""Orchestration: sampling, planning, shard running, dedup, splits, coverage, card, export."""

from pathlib import Path

from twinforge.compiled import ensure_fresh

ensure_fresh(Path(__file__).parent)  # the compiled MinHash minimum must not be older than its .pyx
