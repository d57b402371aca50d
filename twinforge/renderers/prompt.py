"""Prompts for a FactorySpec: the offline template drafter and the entry point ``make_prompt``.

``text`` mode states the topology (every connection, in route order) and every parameter;
``sketch`` mode states the parameters and tells the reader to take the connections from the layout
sketch, as in the GDT paper's two prompt kinds. A given code style (``explicit`` or ``loop``) is
stated in words. All variety (phrasings, block order, synonyms per industry and station, unit
styles, grouping of identical objects, list or prose layout, optional context) is chosen by the
caller's generator, so the same spec, mode, style and seed always give the same prompt. Phrasings
live in ``templates/prompts/*.j2``.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel

from twinforge.renderers.fidelity import check_fidelity, combiner_feeds
from twinforge.renderers.phrasebook import load_phrasebook
from twinforge.renderers.prompt_routes import FlowStep, FlowWriter, count_word, flow_order, flow_plan
from twinforge.renderers.prompt_types import (
    PROMPT_MODES,
    PROMPT_TEMPLATE_VERSION,
    CodeStyle,
    PromptMode,
    PromptResult,
    check_code_style,
    template_source,
)
from twinforge.renderers.prompt_units import Units, choose_style, describe_distribution, pick
from twinforge.schemas import FLOW_KINDS, TASK_EXECUTER_KINDS, FactorySpec, field_value
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

GROUPED_KINDS = frozenset({"queue", "conveyor"}) | TASK_EXECUTER_KINDS
"""Kinds whose identical objects are always described together (a writer does not repeat them)."""
KIND_ORDER = ("source", "queue", "processor", "multiprocessor", "combiner", "separator", "conveyor", "sink")
RESOURCE_WORDS = {"operator": ("operator", "operators"), "agv": ("AGV", "AGVs"), "robot": ("robot", "robots"),
                  "transporter": ("transporter", "transporters"),
                  "task_executer": ("task executer", "task executers")}


class PromptFidelityError(RuntimeError):
    """A template draft failed its own fidelity check: a bug in the templates, never silenced."""


@functools.cache
def _grammar(count: int) -> dict[str, str]:
    """Agreement helpers for templates: ``{{ subject }} {{ is }} ...``, ``need{{ s }}`` (one dict per count,
    shared: callers only unpack it)."""
    plural = count > 1
    return {"s": "" if plural else "s", "es": "" if plural else "es", "is": "are" if plural else "is",
            "has": "have" if plural else "has", "its": "their" if plural else "its",
            "it": "they" if plural else "it", "each": " each" if plural else "", "art": "" if plural else "a ",
            "pl": "s" if plural else "", "ies": "y" if plural else "ies",
            "both": ("both " if count == 2 else "each of ") if plural else ""}


def _parameters(obj: Any) -> tuple:
    """What makes two objects of one kind interchangeable in a prompt (all but name and position)."""
    return tuple(sorted((key, _field_key(value)) for key, value in obj.__dict__.items()
                        if key not in ("name", "position")))


def _field_key(value: Any) -> Any:
    """A hashable stand-in for a field value, equal for two values exactly when the ``repr`` of their
    ``model_dump`` is: a model's fields in order, a list's items, else the ``repr`` (a model's own
    ``repr``, and ``model_dump``, cost several times as much, and a prompt groups some ten objects)."""
    if isinstance(value, BaseModel):
        return tuple((key, _field_key(item)) for key, item in value.__dict__.items())
    if isinstance(value, list):
        return tuple(_field_key(item) for item in value)
    return repr(value)


class _Drafter:
    """Builds the sentences of one prompt."""

    def __init__(self, spec: FactorySpec, mode: str, rng: np.random.Generator, code_style: str | None):
        self.spec, self.mode, self.rng, self.code_style = spec, mode, rng, code_style
        self.book = load_phrasebook()
        self.style = choose_style(rng)
        self.units = Units(self.style)
        self.industry = spec.industry.value
        generic = rng.random() < 0.3
        self.item = self.book.pair("items_generic" if generic else f"items_{self.industry}", rng)
        self.flow = spec.flow_connections()
        self._keys: dict[str, tuple] = {}
        self.writer = FlowWriter(spec, self.say, self.join, self.item, self.style.chunk)
        self.feeders = {combiner: source for source, combiner, _ in combiner_feeds(spec)}
        self.described: set[str] = set()
        self.twins = {o.name for g in self.groups(spec.flow_objects) if len(g) > 1 for o in g}

    def say(self, topic: str, **values: Any) -> str:
        values["industry"] = self.industry
        return self.book.say_values(topic, self.rng, values)

    def join(self, names: list[str], word: str = "and") -> str:
        if len(names) == 1:
            return names[0]
        comma = "," if self.style.oxford and len(names) > 2 else ""
        return ", ".join(names[:-1]) + f"{comma} {word} " + names[-1]

    def dist(self, dist: Distribution) -> str:
        return describe_distribution(dist, self.book, self.units, self.rng)

    def count(self, value: int, noun: tuple[str, str]) -> str:
        return self.units.count(value, noun[0], self.rng, noun[1])

    # ------------------------------------------------------------------ objects
    def groups(self, objects: list[Any]) -> list[list[Any]]:
        """Identical objects of one kind together: always queues, conveyors and resources; machines
        and sources if the style groups."""
        by_key: dict[tuple, list[Any]] = defaultdict(list)
        for obj in objects:
            alone = not self.style.group and obj.kind not in GROUPED_KINDS
            by_key[(obj.kind, obj.name if alone else self.parameters_key(obj))].append(obj)
        return list(by_key.values())

    def parameters_key(self, obj: Any) -> tuple:
        """``_parameters(obj)``, computed once per object of the prompt."""
        if obj.name not in self._keys:
            self._keys[obj.name] = _parameters(obj)
        return self._keys[obj.name]

    def values(self, group: list[Any]) -> tuple[str, dict[str, Any]]:
        """The topic stem and template values describing ``group`` (objects of one kind, equal parameters)."""
        obj, kind = group[0], group[0].kind
        noun = self.writer.noun_after(self.upstream(obj.name)) if kind != "source" else self.item
        values: dict[str, Any] = {"subject": self.join([o.name for o in group]), "item": noun[0], "items": noun[1],
                                  **_grammar(len(group))}
        if kind == "source":
            feeder = next((c for c, s in self.feeders.items() if s == obj.name), None)
            wa, a_wa = self.book.pair("word_arrival", self.rng)
            values.update(cls=obj.item_class, dist=self.dist(obj.inter_arrival), wa=wa, a_wa=a_wa)
            if feeder is not None:
                values.update(things=self.writer.supply(obj.name, feeder)[1])
                return "feeder_source", values
        elif kind == "queue":
            values.update(capacity=self.count(obj.max_content, noun))
        elif kind in ("processor", "combiner", "separator"):
            values.update(dist=self.dist(obj.process_time), setup=self.setup_clause(obj, noun),
                          wp=self.say("word_proc"))
            values.update(process=self.say("proc_np", dist=values["dist"], item=noun[0], wp=values["wp"]))
            if kind == "processor":
                values.update(capacity=self.count(obj.max_content, noun), kind=self.say("kind_processor"),
                              at_once=self.say("word_atonce"))
            elif kind == "combiner":
                return self.combiner_values(obj, values)
            else:
                piece = ("piece", "pieces") if obj.mode == "split" else noun
                values.update(quantity=self.count(obj.split_quantity, piece))
                return f"separator_{obj.mode}", values
        elif kind == "multiprocessor":
            steps = [self.say("step", name=step.name, dist=self.dist(step.process_time)) for step in obj.steps]
            values.update(steps=self.join(steps, pick(self.rng, ("and", "and then", "then"))),
                          n=f"{count_word(len(steps))} step{'s' if len(steps) > 1 else ''}")
        elif kind == "conveyor":
            values.update(length=self.units.length(obj.length), speed=self.units.speed(obj.speed))
        return kind, values

    def combiner_values(self, obj: Any, values: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        feeder = self.feeders.get(obj.name)
        container = self.writer.supply(feeder, obj.name) if feeder else ("container", "containers")
        line_item = (values["item"], values["items"])
        counted = container if obj.mode == "join" else line_item
        values.update(mode=obj.mode, quantity=self.count(obj.component_quantity, counted),
                      container=container[0], containers=container[1])
        return f"combiner_{obj.mode}", values

    def upstream(self, name: str) -> str:
        """The line input of ``name`` (not a feeder source), or ``name`` itself for a source."""
        ups = [c.from_ for c in self.flow if c.to == name and self.feeders.get(name) != c.from_]
        return ups[0] if ups else name

    def setup_clause(self, obj: Any, noun: tuple[str, str]) -> str:
        setup = obj.setup_time
        if setup.family == "constant" and setup.value == 0:
            return self.say("setup_none", items=noun[1])
        return self.say("setup", setup=self.dist(setup), ws=self.say("word_setup"), item=noun[0])

    def noun_phrase(self, group: list[Any]) -> str:
        """``a queue holding up to 15 lots``: the group's kind and parameters as a noun phrase."""
        topic, values = self.values(group)
        return self.say(f"np_{topic}", **values)

    def sentence(self, group: list[Any]) -> str:
        """One sentence stating the group's kind and parameters."""
        self.described.update(o.name for o in group)
        topic, values = self.values(group)
        if self.rng.random() < 0.35:
            return self.say("is_np", subject=values["subject"], np=self.say(f"np_{topic}", **values),
                            **_grammar(len(group)))
        return self.say(topic, **values)

    def describe(self, name: str) -> str | None:
        """A noun phrase for ``name`` on its first mention in a walk, else None (also for objects that
        are described with their identical twins later)."""
        if name in self.described or name in self.twins:
            return None
        self.described.add(name)
        return self.noun_phrase([self.spec.get(name)])

    def ordered_flow_objects(self) -> list[Any]:
        flow = self.spec.flow_objects
        order = self.style.object_order
        if order == "flow":
            rank = {name: index for index, name in enumerate(flow_order(self.spec))}
            return sorted(flow, key=lambda obj: rank.get(obj.name, len(rank)))
        if order == "kind":
            return sorted(flow, key=lambda obj: KIND_ORDER.index(obj.kind))
        return list(flow)

    def parameter_sentences(self) -> list[str]:
        objects = [o for o in self.ordered_flow_objects() if o.name not in self.described]
        return [self.sentence(group) for group in self.groups(objects)]

    # ------------------------------------------------------------------ flow
    def flow_sentences(self, walking: bool) -> list[str]:
        """The item flow in route order; walking, each object is described where the route meets it."""
        sentences: list[str] = []
        steps = flow_plan(self.spec, self.style.merge_at_end)
        for step in steps:
            first = step.names[0]
            if walking and step.kind in ("path", "split") and first not in self.described | self.twins:
                sentences.append(self.sentence([self.spec.get(first)]))
            if step.kind == "path":
                sentences += self.writer.path(step.names, step.branch, self.describe if walking else None)
            elif step.kind == "split":
                sentences.append(self.writer.split(step))
            elif step.kind == "feed":
                sentences.append(self.writer.feed(step))
            else:
                sentences.append(self.writer.merge(step))
            if walking and step.kind in ("feed", "merge"):
                sentences += [self.sentence([self.spec.get(n)]) for n in step.names
                              if n not in self.described | self.twins]
        return sentences + self.routing_sentences(steps)

    def routing_sentences(self, steps: list[FlowStep]) -> list[str]:
        """Random routing not said by a split statement (always so in sketch mode)."""
        said = {step.names[0] for step in steps if step.kind == "split" and step.random}
        sentences = []
        for obj in self.spec.flow_objects:
            if field_value(obj, "routing", "") == "random" and obj.name not in said:
                outs = sum(1 for c in self.flow if c.from_ == obj.name)
                item = self.writer.noun_after(obj.name)
                sentences.append(self.say("routing_random", a=obj.name, n=count_word(outs), item=item[0],
                                          items=item[1]))
        return sentences

    def feed_sentences(self) -> list[str]:
        """Sketch mode: which input port each feeder source uses (the sketch cannot show port numbers)."""
        return [self.writer.feed(FlowStep("feed", (s, c), port=p)) for s, c, p in combiner_feeds(self.spec)]

    # ------------------------------------------------------------------ resources
    def resource_sentences(self) -> list[str]:
        """Dispatchers with their teams and the executers' parameters, robots, and what each serves."""
        spec, sentences = self.spec, []
        members_of = {d.name: [c.to for c in spec.connections if c.port == "A" and c.from_ == d.name]
                      for d in spec.of_kinds({"dispatcher"})}
        in_team = {m for members in members_of.values() for m in members}
        for dispatcher, members in members_of.items():
            groups = self.groups([spec.get(m) for m in members]) if members else []
            if len(groups) == 1 and self.rng.random() < 0.6:
                sentences.append(self.say("team_with", dispatcher=dispatcher, **self.resource_values(groups[0])))
                continue
            sentences.append(self.say("team", dispatcher=dispatcher, members=self.join(members),
                                      **_grammar(len(members))) if members else
                             self.say("dispatcher", subject=dispatcher))
            sentences += [self.say(f"resource_{g[0].kind}", **self.resource_values(g)) for g in groups]
        loose = [o for o in spec.of_kinds(TASK_EXECUTER_KINDS) if o.name not in in_team]
        served = self.served()
        for obj in loose:
            links = served.get(obj.name, [])
            values = self.resource_values([obj])
            if links and all(role == "transport" for _, role in links):
                stations = [station for station, _ in served.pop(obj.name)]
                sentences.append(self.say("robot_serves", stations=self.join(stations), items=self.item[1],
                                          st_is="are" if len(stations) > 1 else "is", **values))
            else:
                sentences.append(self.say(f"resource_{obj.kind}", **values))
        return sentences + self.service_sentences(served)

    def resource_values(self, group: list[Any]) -> dict[str, Any]:
        obj = group[0]
        singular, plural = RESOURCE_WORDS[obj.kind]
        kind = plural if len(group) > 1 else singular
        article = "" if len(group) > 1 else "an " if kind[0] in "aeiouAEIOU" else "a "
        names = self.join([o.name for o in group])
        return {"subject": names, "members": names, "speed": self.units.speed(obj.speed),
                "capacity": self.count(obj.capacity, self.item), "kind": kind, "a_kind": article + kind,
                "n": count_word(len(group)), **_grammar(len(group))}

    def served(self) -> dict[str, list[tuple[str, str]]]:
        """Helper -> (station, role) for every ``S`` link; role: transport, operate or both."""
        kinds = {obj.name: obj.kind for obj in self.spec.objects}
        served: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for conn in self.spec.connections:
            if conn.port != "S":
                continue
            station, helper = (conn.from_, conn.to) if kinds[conn.from_] in FLOW_KINDS else (conn.to, conn.from_)
            obj = self.spec.get(station)
            operate, transport = field_value(obj, "use_operator", False), field_value(obj, "use_transport", False)
            role = "both" if operate and transport else "operate" if operate else "transport"
            served[helper].append((station, role))
        return served

    def service_sentences(self, served: dict[str, list[tuple[str, str]]]) -> list[str]:
        sentences = []
        for helper, links in served.items():
            by_role: dict[str, list[str]] = defaultdict(list)
            for station, role in links:
                by_role[role].append(station)
            for role, stations in by_role.items():
                sentences.append(self.say(f"service_{role}", helper=helper, stations=self.join(stations),
                                          items=self.item[1], **_grammar(len(stations))))
        return sentences

    # ------------------------------------------------------------------ whole prompt
    def head(self) -> list[str]:
        spec, style, head = self.spec, self.style, []
        branches = max([2, *Counter(c.from_ for c in self.flow).values()])
        line = self.say(f"line_{spec.layout.value}_{spec.line_type.value}", n=count_word(branches),
                        items=self.item[1])
        plant = self.say(f"industry_{self.industry}")
        with_plant = style.opener and self.rng.random() < 0.5
        if style.opener:
            head.append(self.say("opener_plant" if with_plant else "opener", line=line, plant=plant,
                                 items=self.item[1]))
        if style.context:
            automation = self.say(f"automation_{spec.automation.value}")
            head.append(self.say("context_bare" if with_plant else "context", plant=plant, automation=automation))
        return head

    def draft(self) -> str:
        style = self.style
        head = self.head()
        code = [self.say(f"style_{self.code_style}")] if self.code_style else []
        resources = self.resource_sentences()
        if self.mode == "sketch":
            blocks = [self.parameter_sentences() + self.feed_sentences() + self.routing_sentences([])]
            hint = [self.say("sketch_hint")]
            blocks = [hint, *blocks] if self.rng.random() < 0.5 else [*blocks, hint]
        elif style.arrangement == "walk":
            blocks = [self.flow_sentences(walking=True), self.parameter_sentences()]
        elif style.arrangement == "flow_first":
            blocks = [self.flow_sentences(walking=False), self.parameter_sentences()]
        else:
            params = self.parameter_sentences()
            blocks = [params, self.flow_sentences(walking=False)]
        blocks = [resources, *blocks] if style.resources_first else [*blocks, resources]
        if style.code_position == "head":
            head += code
        elif style.code_position == "middle":
            blocks.insert(1, code)
        else:
            blocks.append(code)
        return self.layout([head, *[b for b in blocks if b]])

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


def draft_prompt(spec: FactorySpec, mode: PromptMode, rng: np.random.Generator,
                 code_style: CodeStyle | None = None) -> str:
    """A template prompt for ``spec`` in ``mode`` (stating ``code_style`` if given); choices drawn from ``rng``."""
    if mode not in PROMPT_MODES:
        raise ValueError(f"prompt mode {mode!r} is not one of {', '.join(PROMPT_MODES)}")
    check_code_style(code_style)
    return _Drafter(spec, mode, rng, code_style).draft()


def draft_prompt_for_seed(spec: FactorySpec, mode: PromptMode, seed: int, index: int = 0,
                          code_style: CodeStyle | None = None) -> str:
    """``draft_prompt`` with a generator made from ``seed`` (the ``twinforge prompt`` command).

    ``index`` > 0 (the n-th spec of a multi-spec file) gets its own stream, so a file's prompts vary.
    """
    rng = np.random.default_rng(seed if index == 0 else [seed, index])
    return draft_prompt(spec, mode, rng, code_style=code_style)


def make_prompt(spec: FactorySpec, mode: PromptMode, rng: np.random.Generator,
                drafter: LLMDrafter | None = None, *, code_style: CodeStyle | None = None,
                faithful: str | None = None) -> PromptResult:
    """The prompt of one sample: the template draft, checked, optionally rewritten by ``drafter``.

    A rewrite must pass the same fidelity check, code style included, or the draft is kept.
    ``faithful`` is a text known to pass the check with these arguments (``generate --reuse``: the
    previous row's prompt): a draft equal to it is not checked again.
    """
    draft = draft_prompt(spec, mode, rng, code_style=code_style)
    problems = [] if draft == faithful else check_fidelity(draft, spec, mode, code_style=code_style)
    if problems:
        raise PromptFidelityError(f"template draft {PROMPT_TEMPLATE_VERSION} is unfaithful: {'; '.join(problems)}")
    if drafter is None or not drafter.settings.enabled:
        return PromptResult(draft, template_source(), 0, ())
    return drafter.rewrite(drafter.prepare(spec, mode, draft, rng, code_style=code_style))
