"""Shared vocabulary of the prompt drafters: the result record, modes, code styles and the template version."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PromptMode = Literal["text", "sketch"]
PROMPT_MODES: tuple[str, ...] = ("text", "sketch")

CodeStyle = Literal["explicit", "loop"]
CODE_STYLES: tuple[str, ...] = ("explicit", "loop")
"""How the FlexScript is organised: one block of statements per object, or arrays and a for loop."""

PROMPT_TEMPLATE_VERSION = "2.1"
"""Bump when a phrasing in ``templates/prompts`` changes: it is in every row's provenance and LLM cache key."""


def check_code_style(code_style: str | None) -> None:
    """Refuse a code style that is neither ``None`` nor one of ``CODE_STYLES``."""
    if code_style is not None and code_style not in CODE_STYLES:
        raise ValueError(f"code style {code_style!r} is not one of {', '.join(CODE_STYLES)}")


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
    unavailable: bool = False
    """The LLM endpoint failed the request after every retry (the draft was kept for that reason)."""
