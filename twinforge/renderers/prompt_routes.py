"""How a text prompt states the item flow: in route order, from the source to the sink.

``flow_plan`` walks the spec from its main source(s): a path of stations, a split (a parallel
line's source sending items to its branches, at random or not), the branches one after another,
a combiner's feeder source where it joins (with its input port), and the branches meeting again.
Every ``A`` flow connection is covered by exactly one step. ``FlowWriter`` turns the steps into
sentences the fidelity checker reads back (names joined by a flow word in one sentence).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal

from twinforge.renderers.fidelity import combiner_feeds
from twinforge.schemas import FactorySpec, field_value

SUPPLY_NAME = re.compile(r"^(.*?)\s+(?:Source|Supply|Feed|Feeder|Arrivals|Infeed)\s*\d*$")
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


@dataclass(frozen=True)
class FlowStep:
    """``path``: a -> b -> c; ``split``: a -> each of the rest; ``feed``: a source into a combiner's
    input ``port``; ``merge``: each of the first names -> the last."""

    kind: Literal["path", "split", "feed", "merge"]
    names: tuple[str, ...]
    branch: int = 0
    """For the first path of the k-th branch of a split: k; else 0."""
    random: bool = False
    port: int = 0


def flow_edges(spec: FactorySpec) -> list[tuple[str, str]]:
    """Item-flow edges in statement order."""
    return [(c.from_, c.to) for c in spec.flow_connections()]


@dataclass
class _Walk:
    spec: FactorySpec
    merge_at_end: bool
    succ: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    pred: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    done: set[tuple[str, str]] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)
    steps: list[FlowStep] = field(default_factory=list)
    feeds: dict[tuple[str, str], int] = field(default_factory=dict)
    """(source, combiner) -> input port, for combiner inputs straight from a source."""

    def __post_init__(self) -> None:
        for a, b in flow_edges(self.spec):
            self.succ[a].append(b)
            self.pred[b].append(a)
        self.feeds = {(s, c): port for s, c, port in combiner_feeds(self.spec)}

    def feed(self, combiner: str) -> None:
        for source in self.pred[combiner]:
            if (source, combiner) in self.feeds and (source, combiner) not in self.done:
                self.done.add((source, combiner))
                self.seen.add(source)
                self.steps.append(FlowStep("feed", (source, combiner), port=self.feeds[(source, combiner)]))

    def flush(self, path: list[str], branch: int) -> int:
        """Emit ``path`` if it has a link; returns the branch number the next path of this walk keeps
        (0 once the branch was introduced)."""
        if len(path) > 1:
            self.steps.append(FlowStep("path", tuple(path), branch))
            return 0
        return branch

    def merges_at(self, target: str) -> bool:
        """Whether several line inputs (not feeder sources) meet at ``target``."""
        return len([p for p in self.pred[target] if (p, target) not in self.feeds]) > 1

    def walk(self, start: str, branch: int = 0, stops: dict[str, list[str]] | None = None) -> None:
        """Follow ``start`` downstream; a branch stops where branches meet (recorded in ``stops``)."""
        self.seen.add(start)
        path, node = [start], start
        while outs := [t for t in self.succ[node] if (node, t) not in self.done]:
            if len(outs) > 1:
                self.flush(path, branch)
                self.split(node, outs)
                return
            target = outs[0]
            self.done.add((node, target))
            if stops is not None and (node, target) not in self.feeds and self.merges_at(target):
                if not self.merge_at_end:
                    path.append(target)
                stops.setdefault(target, []).append(node)
                break
            if (node, target) in self.feeds:
                branch = self.flush(path, branch)
                self.steps.append(FlowStep("feed", (node, target), port=self.feeds[(node, target)]))
                path = []
            path.append(target)
            if target in self.seen:
                break
            self.seen.add(target)
            if any((s, target) in self.feeds and (s, target) not in self.done for s in self.pred[target]):
                branch = self.flush(path, branch)
                self.feed(target)
                path = [target]
            node = target
        self.flush(path, branch)

    def split(self, node: str, outs: list[str]) -> None:
        obj = self.spec.get(node)
        self.steps.append(FlowStep("split", (node, *outs), random=field_value(obj, "routing", "") == "random"))
        self.done.update((node, t) for t in outs)
        for target in outs:
            if (node, target) in self.feeds:
                self.steps.append(FlowStep("feed", (node, target), port=self.feeds[(node, target)]))
        stops: dict[str, list[str]] = {}
        for index, target in enumerate(outs, 1):
            if target not in self.seen:
                self.walk(target, index, stops)
        for target, ends in stops.items():
            if self.merge_at_end:
                self.steps.append(FlowStep("merge", (*ends, target)))
            if target not in self.seen:
                self.walk(target)


def flow_plan(spec: FactorySpec, merge_at_end: bool = False) -> list[FlowStep]:
    """The flow steps in route order (see the module docstring)."""
    walk = _Walk(spec, merge_at_end)
    sources = [o.name for o in spec.objects if o.kind == "source"]
    feeders = {s for s in sources if walk.succ[s] and all((s, t) in walk.feeds for t in walk.succ[s])}
    for source in [s for s in sources if s not in feeders] + [s for s in sources if s in feeders]:
        if any((source, t) not in walk.done for t in walk.succ[source]):
            walk.walk(source)
    for a, b in flow_edges(spec):
        if (a, b) not in walk.done:
            walk.done.add((a, b))
            walk.steps.append(FlowStep("path", (a, b)))
    return walk.steps


def flow_order(spec: FactorySpec) -> list[str]:
    """Flow objects in the order the route meets them (then any the route does not reach)."""
    seen = [name for step in flow_plan(spec) for name in step.names]
    if not seen:
        seen = [o.name for o in spec.objects if o.kind == "source"]
    return list(dict.fromkeys([*seen, *(o.name for o in spec.flow_objects)]))


def supply_noun(name: str, fallback: tuple[str, str]) -> tuple[str, str]:
    """What a feeder source supplies, from its name ("Tray Source1" -> tray, trays), else ``fallback``."""
    match = SUPPLY_NAME.match(name)
    if not match or not match.group(1) or not re.fullmatch(r"[A-Za-z][A-Za-z -]*", match.group(1)):
        return fallback
    word = match.group(1)
    word = word if word.isupper() else word.lower()
    return word, plural(word)


def plural(word: str) -> str:
    """English plural of a simple noun phrase (the last word)."""
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(?:s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


Say = Callable[..., str]


class FlowWriter:
    """Sentences for flow steps: ``say(topic, **values)`` renders one phrasing of a topic."""

    def __init__(self, spec: FactorySpec, say: Say, join: Callable[..., str], item: tuple[str, str], chunk: int):
        self.spec, self.say, self.join, self.chunk = spec, say, join, chunk
        self.kinds = {o.name: o.kind for o in spec.objects}
        self.flow = spec.flow_connections()
        self.item = item
        self._nouns: dict[str, tuple[str, str]] = {}
        self.feeds = {(s, c) for s, c, _ in combiner_feeds(spec)}

    def noun_after(self, name: str) -> tuple[str, str]:
        """What the items leaving ``name`` are called (pieces after a separator, containers after packing)."""
        if name not in self._nouns:
            self._nouns[name] = self.item
            obj = self.spec.get(name)
            inputs = [c.from_ for c in self.flow if c.to == name]
            ups = [source for source in inputs if (source, name) not in self.feeds]
            feeders = [source for source in inputs if (source, name) in self.feeds]
            noun = self.noun_after(ups[0]) if ups else self.item
            if obj.kind == "separator":
                noun = ("piece", "pieces")
            elif obj.kind == "combiner" and obj.mode == "pack" and feeders:
                noun = supply_noun(feeders[0], ("container", "containers"))
            self._nouns[name] = noun
        return self._nouns[name]

    def supply(self, source: str, combiner: str) -> tuple[str, str]:
        """The feeder's items: containers for a pack combiner, parts otherwise."""
        mode = field_value(self.spec.get(combiner), "mode", "pack")
        return supply_noun(source, ("container", "containers") if mode == "pack" else ("part", "parts"))

    def edge(self, a: str, b: str, desc: str | None = None) -> str:
        singular, plural_ = self.noun_after(a)
        if desc:
            return self.say("walk_edge", a=a, b=b, desc=desc, item=singular, items=plural_)
        return self.say("edge", a=a, b=b, item=singular, items=plural_)

    def path(self, names: tuple[str, ...], branch: int, describe: Callable[[str], str | None] | None) -> list[str]:
        """Sentences for a path: chains of up to ``chunk`` links, or, walking (``describe`` given), one
        link per sentence with the station it reaches described on first mention."""
        edges = list(pairwise(names))
        if describe is not None:
            sentences = [self.edge(a, b, describe(b)) for a, b in edges]
        else:
            sentences = [self.chain([edges[i][0], *(b for _, b in edges[i:i + self.chunk])])
                         for i in range(0, len(edges), self.chunk)]
        if branch and sentences:
            intro = self.say("branch_intro", ordinal=ORDINALS[min(branch, len(ORDINALS)) - 1])
            sentences[0] = f"{intro} {_lower_first(sentences[0], names)}"
        return sentences

    def chain(self, names: list[str]) -> str:
        if len(names) == 2:
            return self.edge(*names)
        singular, plural_ = self.noun_after(names[0])
        text = self.say("chain_start", a=names[0], b=names[1], item=singular, items=plural_)
        pieces = [self.say("chain_next", n=name) for name in names[2:-1]] + [self.say("chain_last", n=names[-1])]
        return text + "".join(p if p.startswith(",") else f" {p}" for p in pieces) + "."

    def split(self, step: FlowStep) -> str:
        source, targets = step.names[0], list(step.names[1:])
        singular, plural_ = self.noun_after(source)
        values = {"a": source, "item": singular, "items": plural_, "n": count_word(len(targets))}
        if step.random:
            return self.say("split_random", targets=self.join(targets, word="or"), **values)
        return self.say("split", targets=self.join(targets), **values)

    def feed(self, step: FlowStep) -> str:
        source, combiner = step.names
        mode = field_value(self.spec.get(combiner), "mode", "pack")
        singular, plural_ = self.supply(source, combiner)
        port = step.port
        return self.say("feed_pack" if mode == "pack" else "feed_join", feeder=source, combiner=combiner,
                        thing=singular, things=plural_, port=str(port), port_word=count_word(port),
                        port_ord=ORDINALS[min(port, len(ORDINALS)) - 1])

    def merge(self, step: FlowStep) -> str:
        ends, target = list(step.names[:-1]), step.names[-1]
        singular, plural_ = self.noun_after(ends[0])
        return self.say("merge", sources=self.join(ends), b=target, n=count_word(len(ends)),
                        item=singular, items=plural_)


def count_word(value: int) -> str:
    """A small whole number in words (counts of branches or steps are not parameters to check)."""
    words = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    return words[value] if value < len(words) else str(value)


def _lower_first(sentence: str, names: tuple[str, ...]) -> str:
    """``sentence`` to follow an introduction: its first letter lower-cased unless it starts a name."""
    sentence = sentence.removeprefix("Next, ")
    if any(sentence.startswith(name) for name in names):
        return sentence
    return sentence[:1].lower() + sentence[1:]
