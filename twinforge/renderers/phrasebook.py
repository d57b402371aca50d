"""The prompt phrasings: one ``templates/prompts/<topic>.j2`` file per sentence type, one variant a line.

A line is a Jinja template (``StrictUndefined``: a missing variable is an error, never a blank);
lines that are empty or only a ``{# comment #}`` are skipped. Adding a phrasing is adding a line.
Word lists (``items_<industry>.j2``) hold ``singular|plural`` per line.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import numpy as np
from jinja2 import Environment, StrictUndefined, Template

TEMPLATE_PACKAGE = "twinforge"
TEMPLATE_DIR = ("templates", "prompts")


class Phrasebook:
    """Variants per topic; ``say`` renders one chosen by the caller's generator."""

    def __init__(self, variants: dict[str, list[Template]], sources: dict[str, list[str]]):
        self._variants = variants
        self._sources = sources

    def topics(self) -> list[str]:
        return sorted(self._variants)

    def count(self, topic: str) -> int:
        """How many phrasings ``topic`` has."""
        return len(self._variants[topic])

    def say(self, topic: str, rng: np.random.Generator, **values: Any) -> str:
        """Render one phrasing of ``topic`` picked uniformly by ``rng``."""
        variants = self._variants[topic]
        return self.render(topic, int(rng.integers(len(variants))), **values)

    def pair(self, topic: str, rng: np.random.Generator) -> tuple[str, str]:
        """A ``singular|plural`` word pair of ``topic`` (plural = singular + s when not given)."""
        singular, _, plural = self.say(topic, rng).partition("|")
        return singular.strip(), plural.strip() or singular.strip() + "s"

    def render(self, topic: str, index: int, **values: Any) -> str:
        """Render phrasing ``index`` of ``topic`` (whitespace collapsed)."""
        return " ".join(self._variants[topic][index].render(**values).split())

    def source(self, topic: str, index: int) -> str:
        """The Jinja source of one phrasing (for messages and tests)."""
        return self._sources[topic][index]


def _environment() -> Environment:
    env = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.filters["cap"] = lambda text: text[:1].upper() + text[1:]
    return env


def _variant_lines(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or (stripped.startswith("{#") and stripped.endswith("#}")):
            continue
        lines.append(stripped)
    return lines


@functools.cache
def load_phrasebook() -> Phrasebook:
    """Read and compile every prompt template once per process (package data, read-only)."""
    env = _environment()
    folder = resources.files(TEMPLATE_PACKAGE).joinpath(*TEMPLATE_DIR)
    variants: dict[str, list[Template]] = {}
    sources: dict[str, list[str]] = {}
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".j2") or entry.name.startswith("llm_"):
            continue
        topic = entry.name.removesuffix(".j2")
        lines = _variant_lines(entry.read_text(encoding="utf-8"))
        if not lines:
            raise ValueError(f"prompt template {entry.name} has no phrasing")
        sources[topic] = lines
        variants[topic] = [env.from_string(line) for line in lines]
    return Phrasebook(variants, sources)


@functools.cache
def load_message_template(name: str) -> Template:
    """A whole-file template (the LLM instructions ``llm_*.j2``), rendered as one text."""
    folder = resources.files(TEMPLATE_PACKAGE).joinpath(*TEMPLATE_DIR)
    return _environment().from_string(folder.joinpath(f"{name}.j2").read_text(encoding="utf-8"))
