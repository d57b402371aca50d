"""The sequence budget: prompt and code must fit the training window the paper's code uses.

GDT-VLSM trains on 4,096 tokens (prompt and code together) and its image+text scripts cut the
code at 2,048. The product does not ship a tokenizer: it estimates tokens from characters with a
ratio below any measured on the corpus, so an estimate never falls short of the real count.
``benchmarks/token_budget.py`` counts with StarCoder2's own BPE files and checks that.
"""

from __future__ import annotations

import math

from twinforge.families.factory.settings import BudgetSettings

CHARS_PER_TOKEN = 2.6
"""Characters per StarCoder2 token, below the smallest ratio measured with StarCoder2's own files
(``benchmarks/token_budget.py`` on 2,000 gdt120k samples: 2.653 on code, 3.207 on prompts); a test
re-checks that the estimate never falls short."""


def estimated_tokens(text: str) -> int:
    """An upper estimate of the StarCoder2 token count of ``text``."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def code_fits(code: str, budget: BudgetSettings) -> bool:
    """Whether the code alone fits its limit: checked before a prompt is drafted for it, since on
    gdt120k every over-budget draw was too long in its code (234 of 634 draws), never in the total."""
    return code_length_fits(len(code), budget)


def code_length_fits(length: int, budget: BudgetSettings) -> bool:
    """Whether code of ``length`` characters fits its limit (monotone: a longer code never fits where
    a shorter one does not, so a lower bound on a code's length that does not fit settles it)."""
    return math.ceil(length / CHARS_PER_TOKEN) <= budget.max_response_tokens


def fits(prompt: str, code: str, budget: BudgetSettings) -> bool:
    """Whether prompt + code fit the total window and the code its own limit."""
    return code_fits(code, budget) and estimated_tokens(prompt) + estimated_tokens(code) <= budget.max_tokens
