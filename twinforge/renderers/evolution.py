"""Evolution methods for LLM rewrites (SceneInstruct-style, adapted so the facts cannot change).

SceneInstruct samples one of six rewrite methods per iteration from a multinomial; the methods that
change the scene (add objects, move them, make values fuzzy) would change our specs, so we keep the
ones that only change the wording: rephrase, numbers as words (only small counts, which the fidelity
checker reads back), reorder, added context (no numbers), concise. The checker guards every method.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from twinforge.renderers.phrasebook import load_message_template
from twinforge.schemas.llm import EVOLUTION_METHODS, EvolutionWeights


def choose_method(weights: EvolutionWeights, rng: np.random.Generator) -> str:
    """One method drawn from the normalised weights."""
    table = weights.as_dict()
    probabilities = np.array([table[m] for m in EVOLUTION_METHODS], dtype=float)
    return EVOLUTION_METHODS[int(rng.choice(len(EVOLUTION_METHODS), p=probabilities / probabilities.sum()))]


def rewrite_messages(draft: str, mode: str, method: str, example_name: str) -> list[dict[str, Any]]:
    """The chat messages that ask for one rewrite of ``draft`` by ``method``."""
    if method not in EVOLUTION_METHODS:
        raise ValueError(f"rewrite method {method!r} is not one of {', '.join(EVOLUTION_METHODS)}")
    system = load_message_template("llm_system").render(mode=mode, example_name=f'"{example_name}"')
    user = load_message_template("llm_user").render(method=method, mode=mode, draft=draft)
    return [{"role": "system", "content": system.strip()}, {"role": "user", "content": user.strip()}]


def feedback_message(problems: list[str]) -> dict[str, Any]:
    """The user turn that returns a rejected rewrite's fidelity problems."""
    return {"role": "user", "content": load_message_template("llm_feedback").render(problems=problems).strip()}
