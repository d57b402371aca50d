"""Shared vocabulary of the prompt drafters: the result record, the modes and the template version."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PromptMode = Literal["text", "sketch"]
PROMPT_MODES: tuple[str, ...] = ("text", "sketch")

PROMPT_TEMPLATE_VERSION = "1.0"
"""Bump when a phrasing in ``templates/prompts`` changes: it is in every row's provenance and LLM cache key."""


def template_source() -> str:
    """The ``prompt_source`` of a prompt drafted by the offline templates."""
    return f"template:{PROMPT_TEMPLATE_VERSION}"


def llm_source(model: str) -> str:
    """The ``prompt_source`` of a prompt rewritten by an LLM."""
    return f"llm:{model}"


@dataclass(frozen=True)
class PromptResult:
    """A finished prompt and its provenance.

    ``source`` is ``template:<version>`` or ``llm:<model>``; ``attempts`` counts LLM answers asked for
    (0 for a template-only prompt); ``problems`` lists the fidelity problems of rejected LLM answers
    (or the request error), so a fallback says why it fell back. The returned ``text`` itself always
    passes the fidelity check.
    """

    text: str
    source: str
    attempts: int = 0
    problems: tuple[str, ...] = field(default_factory=tuple)
