"""The prompt phrasings: one ``templates/prompts/<topic>.j2`` file per sentence type, one variant a line.

A line is a Jinja template (``StrictUndefined``: a missing variable is an error, never a blank);
lines that are empty or only a ``{# comment #}`` are skipped. Adding a phrasing is adding a line.
Word lists (``items_<industry>.j2``) hold ``singular|plural`` per line.

A prompt says some 50 phrasings, and Jinja's per-render set-up (a new context, the template's
generator) costs more than the text: so a line made only of text, ``{{ name }}``,
``{{ name|cap }}`` and ``{{ 'a' if name else 'b' }}`` (all but a dozen) is rendered by one
``str.format_map`` of its pieces (``render_pieces`` joins them one by one, the same text), and every
other line by Jinja. ``render_jinja`` is the plain path, the tests' oracle.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any, NamedTuple

import numpy as np
from jinja2 import Environment, StrictUndefined, Template, nodes
from jinja2.exceptions import UndefinedError

TEMPLATE_PACKAGE = "twinforge"
TEMPLATE_DIR = ("templates", "prompts")


class Piece(NamedTuple):
    """One piece of a simple phrasing: literal ``text``, or the value ``name`` (capitalised with
    ``cap``), or with ``choices`` the first choice if ``name``'s value is true, else the second."""

    text: str = ""
    name: str = ""
    cap: bool = False
    choices: tuple[str, str] | None = None


def _cap(text: str) -> str:
    """The ``cap`` filter: the first letter upper-cased."""
    return text[:1].upper() + text[1:]


def simple_pieces(env: Environment, source: str) -> tuple[Piece, ...] | None:
    """The pieces of a phrasing that needs no Jinja at run time, or None for any other phrasing."""
    pieces: list[Piece] = []
    for statement in env.parse(source).body:
        if not isinstance(statement, nodes.Output):
            return None
        for node in statement.nodes:
            piece = _piece(env, node)
            if piece is None:
                return None
            pieces.append(piece)
    return tuple(pieces)


def _piece(env: Environment, node: nodes.Node) -> Piece | None:
    def variable(expr: nodes.Node) -> str | None:
        return expr.name if isinstance(expr, nodes.Name) and expr.name not in env.globals else None

    if isinstance(node, nodes.TemplateData):
        return Piece(text=node.data)
    if isinstance(node, nodes.Filter):
        plain = not (node.args or node.kwargs or node.dyn_args or node.dyn_kwargs)
        name = variable(node.node) if node.name == "cap" and plain else None
        return Piece(name=name, cap=True) if name else None
    if isinstance(node, nodes.CondExpr):
        name, first, second = variable(node.test), node.expr1, node.expr2
        if (name and isinstance(first, nodes.Const) and isinstance(first.value, str)
                and isinstance(second, nodes.Const) and isinstance(second.value, str)):
            return Piece(name=name, choices=(first.value, second.value))
        return None
    name = variable(node)
    return Piece(name=name) if name else None


def render_pieces(pieces: tuple[Piece, ...], values: dict[str, Any]) -> str:
    """What Jinja (``StrictUndefined``) renders for the phrasing of ``pieces``."""
    out = []
    for text, name, cap, choices in pieces:  # unpacked: a NamedTuple's attributes cost a call each
        if not name:
            out.append(text)
            continue
        if name not in values:
            raise UndefinedError(f"{name!r} is undefined")
        value = values[name]
        if choices is not None:
            out.append(choices[0] if value else choices[1])
        else:
            out.append(_cap(value) if cap else str(value))
    return "".join(out)


class SimplePhrasing:
    """A phrasing of ``Piece``s rendered by one ``str.format_map``: a capitalised name or a choice is
    worked out first into a field of its own (keyed by a space and its position, never a template
    name). Any failure is left to ``render_pieces``, so errors are those of the plain path, in its order."""

    __slots__ = ("pieces", "specials", "template")

    def __init__(self, pieces: tuple[Piece, ...]):
        self.pieces = pieces
        fields: list[str] = []
        specials: list[tuple[str, Piece]] = []
        for index, piece in enumerate(pieces):
            if not piece.name:
                fields.append(piece.text.replace("{", "{{").replace("}", "}}"))
                continue
            key = piece.name
            if piece.cap or piece.choices is not None:
                key = f" {index}"
                specials.append((key, piece))
            fields.append("{" + key + "!s}")
        self.template = "".join(fields)
        self.specials = tuple(specials)

    def render(self, values: dict[str, Any]) -> str:
        """``render_pieces(self.pieces, values)``."""
        try:
            if self.specials:
                values = {**values, **{key: (piece.choices[0] if values[piece.name] else piece.choices[1])
                                       if piece.choices is not None else _cap(values[piece.name])
                                       for key, piece in self.specials}}
            return self.template.format_map(values)
        except Exception:  # noqa: BLE001 - a missing or unfit value: the plain path raises its own error
            return render_pieces(self.pieces, values)


class Phrasebook:
    """Variants per topic; ``say`` renders one chosen by the caller's generator.

    Every phrasing is parsed up front (a syntax error fails at load); one is compiled to a Jinja
    template only when it is first rendered through Jinja, since the simple ones never are.
    """

    def __init__(self, env: Environment, sources: dict[str, list[str]]):
        self._env = env
        self._sources = sources
        self._fast = {topic: [None if (pieces := simple_pieces(env, line)) is None else SimplePhrasing(pieces)
                              for line in lines] for topic, lines in sources.items()}
        self._templates: dict[tuple[str, int], Template] = {}

    def topics(self) -> list[str]:
        return sorted(self._sources)

    def count(self, topic: str) -> int:
        """How many phrasings ``topic`` has."""
        return len(self._sources[topic])

    def say(self, topic: str, rng: np.random.Generator, **values: Any) -> str:
        """Render one phrasing of ``topic`` picked uniformly by ``rng``."""
        return self.say_values(topic, rng, values)

    def say_values(self, topic: str, rng: np.random.Generator, values: dict[str, Any]) -> str:
        """``say`` with the values as one dict (a drafter says some 50 phrasings a prompt: no repacking)."""
        return self._render(topic, int(rng.integers(len(self._sources[topic]))), values)

    def pair(self, topic: str, rng: np.random.Generator) -> tuple[str, str]:
        """A ``singular|plural`` word pair of ``topic`` (plural = singular + s when not given)."""
        singular, _, plural = self.say(topic, rng).partition("|")
        return singular.strip(), plural.strip() or singular.strip() + "s"

    def render(self, topic: str, index: int, **values: Any) -> str:
        """Render phrasing ``index`` of ``topic`` (whitespace collapsed)."""
        return self._render(topic, index, values)

    def _render(self, topic: str, index: int, values: dict[str, Any]) -> str:
        """``render`` with the values as one dict (``say`` runs some 50 times a prompt: no repacking)."""
        phrasing = self._fast[topic][index]
        if phrasing is not None:
            return " ".join(phrasing.render(values).split())
        return self.render_jinja(topic, index, **values)

    def render_jinja(self, topic: str, index: int, **values: Any) -> str:
        """``render`` through Jinja for every phrasing (the reference for the simple pieces)."""
        key = (topic, index)
        if key not in self._templates:
            self._templates[key] = self._env.from_string(self._sources[topic][index])
        return " ".join(self._templates[key].render(**values).split())

    def is_simple(self, topic: str, index: int) -> bool:
        """Whether phrasing ``index`` of ``topic`` is rendered without Jinja."""
        return self.pieces(topic, index) is not None

    def pieces(self, topic: str, index: int) -> tuple[Piece, ...] | None:
        """The pieces of phrasing ``index`` of ``topic``, or None if it is rendered by Jinja."""
        phrasing = self._fast[topic][index]
        return None if phrasing is None else phrasing.pieces

    def source(self, topic: str, index: int) -> str:
        """The Jinja source of one phrasing (for messages and tests)."""
        return self._sources[topic][index]


def _environment() -> Environment:
    env = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.filters["cap"] = _cap
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
    """Read and parse every prompt template once per process (package data, read-only)."""
    folder = resources.files(TEMPLATE_PACKAGE).joinpath(*TEMPLATE_DIR)
    sources: dict[str, list[str]] = {}
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".j2") or entry.name.startswith("llm_"):
            continue
        topic = entry.name.removesuffix(".j2")
        lines = _variant_lines(entry.read_text(encoding="utf-8"))
        if not lines:
            raise ValueError(f"prompt template {entry.name} has no phrasing")
        sources[topic] = lines
    return Phrasebook(_environment(), sources)


@functools.cache
def load_message_template(name: str) -> Template:
    """A whole-file template (the LLM instructions ``llm_*.j2``), rendered as one text."""
    folder = resources.files(TEMPLATE_PACKAGE).joinpath(*TEMPLATE_DIR)
    return _environment().from_string(folder.joinpath(f"{name}.j2").read_text(encoding="utf-8"))
