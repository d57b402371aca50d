"""Prompts for a FactorySpec: the offline template drafter and the entry point ``make_prompt``.

``text`` mode states the topology (every connection) and every parameter; ``sketch`` mode states the
parameters and tells the reader to take the connections from the layout sketch, as in the GDT
paper's two prompt kinds. All variety (phrasings, sentence order, synonyms, unit styles, grouping of
identical stations, list or prose layout, optional context) is chosen by the caller's generator, so
the same spec and seed always give the same prompt. Phrasings live in ``templates/prompts/*.j2``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from twinforge.renderers.fidelity import check_fidelity, number_to_words
from twinforge.renderers.phrasebook import Phrasebook, load_phrasebook
from twinforge.renderers.prompt_routes import flow_order, route_plan
from twinforge.renderers.prompt_types import (
    PROMPT_MODES,
    PROMPT_TEMPLATE_VERSION,
    PromptMode,
    PromptResult,
    template_source,
)
from twinforge.schemas import FLOW_KINDS, TASK_EXECUTER_KINDS, FactorySpec, format_number
from twinforge.schemas.distribution import Distribution

if TYPE_CHECKING:
    from twinforge.renderers.llm_drafter import LLMDrafter

__all__ = [
    "PROMPT_TEMPLATE_VERSION",
    "PromptFidelityError",
    "PromptResult",
    "check_fidelity",
    "draft_prompt",
    "draft_prompt_for_seed",
    "make_prompt",
]


class PromptFidelityError(RuntimeError):
    """A template draft failed its own fidelity check: a bug in the templates, never silenced."""


@dataclass(frozen=True)
class Style:
    """The per-prompt choices that are not per-sentence."""

    time_unit: str
    minutes: bool
    length_unit: str
    speed_unit: str
    count_words: bool
    group: bool
    oxford: bool
    layout: str
    arrangement: str
    object_order: str
    opener: bool
    context: bool
    closing: bool
    route_style: str
    chain_join: str


def _pick(rng: np.random.Generator, options: list[Any] | tuple[Any, ...]) -> Any:
    return options[int(rng.integers(len(options)))]


def choose_style(rng: np.random.Generator) -> Style:
    """Draw the prompt-wide choices."""
    return Style(
        time_unit=_pick(rng, ("s", "s", "sec", "seconds", "seconds", "secs")),
        minutes=bool(rng.random() < 0.3),
        length_unit=_pick(rng, ("m", "m", "metres", "meters")),
        speed_unit=_pick(rng, ("m/s", "m/s", "metres per second", "meters per second")),
        count_words=bool(rng.random() < 0.4),
        group=bool(rng.random() < 0.8),
        oxford=bool(rng.random() < 0.5),
        layout=_pick(rng, ("prose", "prose", "prose", "lines", "bullets", "sections")),
        arrangement=_pick(rng, ("routes_first", "routes_last", "interleaved")),
        object_order=_pick(rng, ("spec", "flow", "flow", "kind", "shuffle")),
        opener=bool(rng.random() < 0.85),
        context=bool(rng.random() < 0.5),
        closing=bool(rng.random() < 0.4),
        route_style=_pick(rng, ("chain", "edges", "edges")),
        chain_join=_pick(rng, (" → ", " -> ", ", then ", ", then to ", " and then ")),
    )


class _Units:
    """Unit formatting for one prompt (one style per prompt, as a writer keeps one)."""

    def __init__(self, style: Style):
        self.style = style

    def minutes_fit(self, value: float) -> bool:
        """Whether ``value`` seconds reads well in minutes (1.5 min, 2 min, ...)."""
        return self.style.minutes and value >= 90 and value % 30 == 0

    def time(self, value: float, minutes: bool = True) -> str:
        unit = self.style.time_unit
        if minutes and self.minutes_fit(value):
            return f"{format_number(value / 60)} {'min' if unit in ('s', 'sec', 'secs') else 'minutes'}"
        if unit == "seconds" and value == 1:
            return "1 second"
        return f"{format_number(value)} {unit}"

    def length(self, value: float) -> str:
        return f"{format_number(value)} {self.style.length_unit}"

    def speed(self, value: float) -> str:
        return f"{format_number(value)} {self.style.speed_unit}"

    def count(self, value: int, noun: str, rng: np.random.Generator) -> str:
        """``20 items`` or ``twenty items``; words only where the checker reads them back (< 100)."""
        words = self.style.count_words and value < 21 and rng.random() < 0.7
        number = number_to_words(value) if words else format_number(value)
        return f"{number} {noun if value == 1 else noun + 's'}"


def describe_distribution(dist: Distribution, book: Phrasebook, units: _Units, rng: np.random.Generator) -> str:
    """One phrasing of a distribution with its parameters and units (``templates/prompts/dist_*.j2``)."""
    data = dist.model_dump()
    family = data.pop("family")
    times = {param for param in data if not (family == "lognormal" or (family in ("weibull", "gamma")
                                                                        and param == "shape"))}
    minutes = all(units.minutes_fit(data[param]) for param in times)
    values = {param: units.time(value, minutes) if param in times else format_number(value)
              for param, value in data.items()}
    return book.say(f"dist_{family}", rng, **values)


def _join(names: list[str], style: Style, word: str = "and") -> str:
    if len(names) == 1:
        return names[0]
    comma = "," if style.oxford and len(names) > 2 else ""
    return ", ".join(names[:-1]) + f"{comma} {word} " + names[-1]


def _grammar(count: int) -> dict[str, str]:
    """Agreement helpers for templates: ``{{ subject }} {{ is }} ...``, ``need{{ s }}``."""
    plural = count > 1
    return {"s": "" if plural else "s", "es": "" if plural else "es", "is": "are" if plural else "is",
            "has": "have" if plural else "has", "its": "their" if plural else "its",
            "each": " each" if plural else "", "art": "" if plural else "a ", "pl": "s" if plural else "",
            "both": ("both " if count == 2 else "each of ") if plural else ""}


def _parameters(obj: Any) -> tuple:
    """What makes two objects of one kind interchangeable in a prompt (all but name and position)."""
    data = obj.model_dump(exclude={"name", "position"})
    return tuple(sorted((key, repr(value)) for key, value in data.items()))


class _Drafter:
    """Builds the sentences of one prompt."""

    def __init__(self, spec: FactorySpec, mode: str, rng: np.random.Generator):
        self.spec, self.mode, self.rng = spec, mode, rng
        self.book = load_phrasebook()
        self.style = choose_style(rng)
        self.units = _Units(self.style)

    def say(self, topic: str, **values: Any) -> str:
        return self.book.say(topic, self.rng, **values)

    def dist(self, dist: Distribution) -> str:
        return describe_distribution(dist, self.book, self.units, self.rng)

    def groups(self, objects: list[Any]) -> list[list[Any]]:
        """Identical objects of one kind together (if the style groups), else one each."""
        if not self.style.group:
            return [[obj] for obj in objects]
        by_key: dict[tuple, list[Any]] = defaultdict(list)
        for obj in objects:
            by_key[(obj.kind, _parameters(obj))].append(obj)
        return list(by_key.values())

    def setup_clause(self, obj: Any) -> str:
        setup = obj.setup_time
        if setup.family == "constant" and setup.value == 0:
            return self.say("setup_none")
        return self.say("setup", setup=self.dist(setup))

    def object_sentence(self, group: list[Any]) -> str:
        obj = group[0]
        values: dict[str, Any] = {"subject": _join([o.name for o in group], self.style), **_grammar(len(group))}
        kind = obj.kind
        if kind == "source":
            values.update(item=obj.item_class, dist=self.dist(obj.inter_arrival))
        elif kind == "queue":
            values.update(capacity=self.units.count(obj.max_content, "item", self.rng))
        elif kind in ("processor", "combiner", "separator"):
            values.update(process=self.dist(obj.process_time), setup=self.setup_clause(obj))
            if kind == "processor":
                values.update(capacity=self.units.count(obj.max_content, "item", self.rng))
            elif kind == "combiner":
                values.update(mode=obj.mode, quantity=self.units.count(obj.component_quantity, "component", self.rng))
                return self.say(f"combiner_{obj.mode}", **values)
            else:
                noun = "piece" if obj.mode == "split" else "item"
                values.update(mode=obj.mode, quantity=self.units.count(obj.split_quantity, noun, self.rng))
                return self.say(f"separator_{obj.mode}", **values)
        elif kind == "multiprocessor":
            steps = [self.say("step", name=step.name, dist=self.dist(step.process_time)) for step in obj.steps]
            values.update(steps=_join(steps, self.style, _pick(self.rng, ("and", "and then", "then"))),
                          n=number_to_words(len(steps)) if len(steps) < 100 else format_number(len(steps)))
        elif kind == "conveyor":
            values.update(length=self.units.length(obj.length), speed=self.units.speed(obj.speed))
        elif kind in TASK_EXECUTER_KINDS:
            values.update(speed=self.units.speed(obj.speed),
                          capacity=self.units.count(obj.capacity, "item", self.rng))
            return self.say(f"resource_{kind}", **values)
        return self.say(kind, **values)

    def ordered_flow_objects(self) -> list[Any]:
        flow = self.spec.flow_objects
        order = self.style.object_order
        if order == "flow":
            rank = {name: index for index, name in enumerate(flow_order(self.spec))}
            return sorted(flow, key=lambda obj: rank.get(obj.name, len(rank)))
        if order == "kind":
            kinds = ["source", "queue", "processor", "multiprocessor", "combiner", "separator", "conveyor", "sink"]
            return sorted(flow, key=lambda obj: kinds.index(obj.kind))
        if order == "shuffle":
            return [flow[i] for i in self.rng.permutation(len(flow))]
        return list(flow)

    def resource_sentences(self) -> list[str]:
        """Task executers' parameters; in text mode also teams and service links."""
        spec = self.spec
        sentences = [self.object_sentence(group) for group in self.groups(spec.of_kinds(TASK_EXECUTER_KINDS))]
        dispatchers = spec.of_kinds({"dispatcher"})
        if self.mode == "sketch":
            sentences += [self.say("dispatcher", subject=d.name) for d in dispatchers]
            return sentences
        for d in dispatchers:
            members = [c.to for c in spec.connections if c.port == "A" and c.from_ == d.name]
            sentences.append(self.say("team", dispatcher=d.name, members=_join(members, self.style),
                                      **_grammar(len(members))))
        return sentences + self.service_sentences()

    def service_sentences(self) -> list[str]:
        kinds = {obj.name: obj.kind for obj in self.spec.objects}
        served: dict[tuple[str, str], list[str]] = defaultdict(list)
        for conn in self.spec.connections:
            if conn.port != "S":
                continue
            station, helper = (conn.from_, conn.to) if kinds[conn.from_] in FLOW_KINDS else (conn.to, conn.from_)
            obj = self.spec.get(station)
            role = "both" if getattr(obj, "use_operator", False) and obj.use_transport else \
                "operate" if getattr(obj, "use_operator", False) else "transport"
            served[(helper, role)].append(station)
        sentences = []
        for (helper, role), stations in served.items():
            chunks = [stations] if self.style.group else [[s] for s in stations]
            for chunk in chunks:
                sentences.append(self.say(f"service_{role}", helper=helper, stations=_join(chunk, self.style),
                                          **_grammar(len(chunk))))
        return sentences

    def route_sentences(self) -> dict[str | None, list[str]]:
        """Topology sentences keyed by the object they follow in an interleaved prompt."""
        result: dict[str | None, list[str]] = defaultdict(list)
        plan = route_plan(self.spec, self.style.route_style, self.rng)
        for statement in plan:
            if statement.kind == "chain":
                chain = self.style.chain_join.join(statement.names)
                anchor = statement.names[0]
                result[anchor].append(self.say("route_chain", chain=chain))
            elif statement.kind == "edge":
                a, b = statement.names
                result[a].append(self.say("edge", a=a, b=b))
            elif statement.kind == "fanout":
                a, targets = statement.names[0], statement.names[1:]
                result[a].append(self.say("fanout", a=a, targets=_join(targets, self.style), **_grammar(len(targets))))
            else:
                sources, b = statement.names[:-1], statement.names[-1]
                result[sources[0]].append(self.say("fanin", sources=_join(sources, self.style), b=b,
                                                   **_grammar(len(sources))))
        for combiner in self.spec.of_kinds({"combiner"}):
            inputs = [c.from_ for c in self.spec.flow_connections() if c.to == combiner.name]
            result[combiner.name].append(self.say("combiner_ports", name=combiner.name, container=inputs[0],
                                                  components=_join(inputs[1:], self.style)))
        return result

    def draft(self) -> str:
        style = self.style
        head: list[str] = []
        if style.opener:
            head.append(self.say("opener", layout=self.say(f"layout_{self.spec.layout.value}"),
                                 line=self.say(f"line_{self.spec.line_type.value}")))
        if style.context:
            head.append(self.say("context", industry=self.say(f"industry_{self.spec.industry.value}"),
                                 automation=self.say(f"automation_{self.spec.automation.value}")))
        hint_first = self.mode == "sketch" and bool(self.rng.random() < 0.5)
        if hint_first:
            head.append(self.say("sketch_hint"))
        objects = self.ordered_flow_objects()
        grouped = self.groups(objects)
        routes = self.route_sentences() if self.mode == "text" else {}
        body: list[str] = []
        sections: list[list[str]] = []
        if style.arrangement == "interleaved" and routes:
            for group in grouped:
                body.append(self.object_sentence(group))
                for obj in group:
                    body += routes.pop(obj.name, [])
            body += [s for rest in routes.values() for s in rest]
            sections = [body]
        else:
            stations = [self.object_sentence(group) for group in grouped]
            topology = [s for anchor in (o.name for o in objects) for s in routes.get(anchor, [])]
            sections = [topology, stations] if style.arrangement == "routes_first" else [stations, topology]
        sections.append(self.resource_sentences())
        tail: list[str] = []
        if self.mode == "sketch" and not hint_first:
            tail.append(self.say("sketch_hint"))
        if style.closing:
            tail.append(self.say("closing"))
        return self.layout([head, *[s for s in sections if s], tail])

    def layout(self, sections: list[list[str]]) -> str:
        sentences = [s for section in sections for s in section]
        style = self.style.layout
        if style == "lines":
            return "\n".join(sentences)
        if style == "bullets":
            head, rest = sections[0], sections[1:]
            bullets = [f"- {s}" for section in rest for s in section]
            return "\n".join(line for line in (" ".join(head), *bullets) if line)
        if style == "sections":
            return "\n\n".join(" ".join(section) for section in sections if section)
        return " ".join(sentences)


def draft_prompt(spec: FactorySpec, mode: PromptMode, rng: np.random.Generator) -> str:
    """A template prompt for ``spec`` in ``mode``; every choice is drawn from ``rng``."""
    if mode not in PROMPT_MODES:
        raise ValueError(f"prompt mode {mode!r} is not one of {', '.join(PROMPT_MODES)}")
    return _Drafter(spec, mode, rng).draft()


def draft_prompt_for_seed(spec: FactorySpec, mode: PromptMode, seed: int, index: int = 0) -> str:
    """``draft_prompt`` with a generator made from ``seed`` (the ``twinforge prompt`` command).

    ``index`` > 0 (the n-th spec of a multi-spec file) gets its own stream, so a file's prompts vary.
    """
    return draft_prompt(spec, mode, np.random.default_rng(seed if index == 0 else [seed, index]))


def make_prompt(spec: FactorySpec, mode: PromptMode, rng: np.random.Generator,
                drafter: LLMDrafter | None = None) -> PromptResult:
    """The prompt of one sample: the template draft, checked, optionally rewritten by ``drafter``."""
    draft = draft_prompt(spec, mode, rng)
    problems = check_fidelity(draft, spec, mode)
    if problems:
        raise PromptFidelityError(f"template draft {PROMPT_TEMPLATE_VERSION} is unfaithful: {'; '.join(problems)}")
    if drafter is None or not drafter.settings.enabled:
        return PromptResult(draft, template_source(), 0, ())
    return drafter.rewrite(drafter.prepare(spec, mode, draft, rng))
