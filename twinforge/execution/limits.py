"""Budgets of the sandbox and the simulation: every check ends, whatever the script does."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Ceilings for one check. The defaults keep a hostile script under a few seconds.

    ``max_steps`` counts executed statements, loop iterations and calls. Nesting is bounded by
    the lexer (``fast_parse.MAX_NESTING``), not here. ``max_allocation`` bounds the total array
    elements and string characters a run creates (arrays of arrays cannot escape it).
    """

    max_source_chars: int = 1_000_000
    max_steps: int = 500_000
    max_seconds: float = 2.0
    max_array_length: int = 100_000
    max_string_length: int = 1_000_000
    max_allocation: int = 10_000_000
    max_objects: int = 5_000
    max_print_chars: int = 100_000
    code_max_steps: int = 10_000
    code_max_seconds: float = 0.25
    max_events: int = 2_000_000
    max_sim_seconds: float = 5.0
