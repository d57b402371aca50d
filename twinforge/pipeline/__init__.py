"""Orchestration: sampling, planning, shard running, dedup, splits, coverage, card, export."""
