"""Fidelity check: does a prompt state exactly the facts of its spec?

Rules (each problem names the object or parameter):
- every object name (and multiprocessor step name, and source item class) appears verbatim;
- sentences end at ``. ! ?`` or a line break; a sentence that names nothing and opens with a
  pronoun ("It takes ...") speaks of the objects of the sentence before;
- each object's parameter values, distribution family, kind (unless its name says it, "Sink1"),
  mode, random routing and service roles (operators, transport) are stated in a sentence that
  names the object; numbers are compared after unit normalisation (``2 min`` = 120 s), every time
  value must carry a time unit, counts (capacities, quantities) may be words ("twenty");
- no number written in digits is missing from the spec (digits inside names and port numbers do
  not count), and no distinctive family word names a family the spec lacks;
- a combiner input fed straight from a source states its input port ("on input port 1");
- with a code style, the prompt states it and does not suggest the other one;
- ``text`` mode: every ``A`` connection and ``S`` link can be recovered: flow as names joined by a
  flow word or arrow in one sentence ("X feeds Y", "Y receives items from X", "X feeds both Y and
  Z"), team and service links as both names with a team/service word; ``sketch`` mode: the prompt
  points to the sketch.

Known limits: the checker does not tell which number is the mean and which the deviation, and
a sentence that names two objects lends its numbers to both.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from twinforge.renderers.fidelity_numbers import (
    FOLD_TRAPS,
    PORT_MENTION,
    Quantity,
    may_mention_port,
    port_numbers,
    read_number_words,
    read_quantities,
)
from twinforge.schemas import FLOW_KINDS, TASK_EXECUTER_KINDS, FactorySpec, field_value, normalise_number
from twinforge.schemas.distribution import Distribution

__all__ = ["FIDELITY_VERSION", "check_fidelity", "read_number_words", "read_quantities", "spec_facts"]

FIDELITY_VERSION = "1"
"""Bump when a rule changes which prompts pass: a ``generate --reuse`` run takes an unchanged prompt
as faithful without checking it again only when the previous corpus was checked under this version."""

FAMILY_PATTERNS: dict[str, str] = {
    "constant": r"\b(?:constant|fixed|deterministic)\b",
    "exponential": r"\bexponential(?:ly)?\b",
    "normal": r"(?<!log-)(?<!log )\b(?:normal(?:ly)?|gaussian|bell[- ]shaped)\b",
    "triangular": r"\btriangular(?:ly)?\b|\btriangle\b",
    "uniform": r"\buniform(?:ly)?\b",
    "lognormal": r"\blog[- ]?normal(?:ly)?\b",
    "weibull": r"\bweibull\b",
    "gamma": r"\bgamma\b",
    "poisson": r"\bpoisson\b",
}
"""Words that name a family (case-insensitive); synonyms such as "bell-shaped" or "Gaussian" count."""
FAMILY_STEMS: dict[str, tuple[str, ...]] = {
    "constant": ("constant", "fixed", "deterministic"), "exponential": ("exponential",),
    "normal": ("normal", "gaussian", "bell"), "triangular": ("triang",), "uniform": ("uniform",),
    "lognormal": ("log",), "weibull": ("weibull",), "gamma": ("gamma",), "poisson": ("poisson",),
}
"""For each family, lower-case words one of which every match of its ``FAMILY_PATTERNS`` entry starts
with (``_finds`` searches from the first of them, or not at all; a test generates matches to hold it to that)."""

DISTINCTIVE_FAMILIES = ("exponential", "triangular", "uniform", "lognormal", "weibull", "gamma", "poisson")
"""Families whose word has no everyday meaning, so naming one the spec lacks is an error."""

KIND_PATTERNS: dict[str, str] = {
    "source": r"\bsources?\b|\bgenerators?\b",
    "queue": r"\bqueues?\b|\bbuffers?\b",
    "processor": r"\bprocessors?\b|\bmachines?\b|\bworkstations?\b|\bstations?\b|\btools?\b",
    "multiprocessor": r"\bmulti-?processors?\b|\bmulti-?step\b|\bmulti-?stage\b",
    "combiner": r"\bcombiners?\b",
    "separator": r"\bseparators?\b",
    "conveyor": r"\bconveyors?\b|\bbelts?\b",
    "sink": r"\bsinks?\b",
    "dispatcher": r"\bdispatchers?\b",
    "operator": r"\boperators?\b|\bworkers?\b",
    "task_executer": r"\btask[- ]?execut[eo]rs?\b|\bmobile resources?\b",
    "transporter": r"\btransporters?\b|\bforklifts?\b",
    "robot": r"\brobots?\b",
    "agv": r"\bagvs?\b|\bautomated guided vehicles?\b",
}
"""Words that say what an object is (case-insensitive)."""
KIND_STEMS: dict[str, tuple[str, ...]] = {
    "source": ("source", "generator"), "queue": ("queue", "buffer"),
    "processor": ("processor", "machine", "workstation", "station", "tool"), "multiprocessor": ("multi",),
    "combiner": ("combiner",), "separator": ("separator",), "conveyor": ("conveyor", "belt"), "sink": ("sink",),
    "dispatcher": ("dispatcher",), "operator": ("operator", "worker"), "task_executer": ("task", "mobile"),
    "transporter": ("transporter", "forklift"), "robot": ("robot",), "agv": ("agv", "automated"),
}
"""``FAMILY_STEMS`` for ``KIND_PATTERNS``."""

MODE_PATTERNS: dict[str, str] = {
    "pack": r"\bpack(?:s|ed|ing)?\b",
    "join": r"\bjoin(?:s|ed|ing)?\b",
    "batch": r"\bbatch(?:es|ed|ing)?\b",
    "split": r"\bsplit(?:s|ting)?\b",
    "unpack": r"\bunpack(?:s|ed|ing)?\b",
}

NO_SETUP_PATTERN = r"\bno (?:setup|set-up|changeover)\b|\bwithout (?:any |a )?(?:setup|set-up|changeover)\b|" \
                   r"\bsetup[- ]free\b|\bzero setup\b|\bno time (?:for|on) setup\b"
RANDOM_PATTERN = r"\brandom"
OPERATE_WORDS = r"\boperat|\btend|\bstaff|\battend|\bmann(?:ed|ing)\b|\bmans\b|\bcrew"
TRANSPORT_WORDS = (r"\btransport|\bcarr(?:y|ies|ied|ying)\b|\bhaul|\bdeliver|\bmov(?:e|es|ed|ing)\b|\bferr|"
                   r"\bshuttl|\bfetch|\bpick(?:s|ed)? up\b|\bunload")
STYLE_PATTERNS: dict[str, str] = {
    "explicit": (r"\bexplicit(?:ly)?\b|\bobject by object\b|\bone object at a time\b|"
                 r"\b(?:its|their) own (?:block|blocks|statements|lines)\b|\bone block of\b|"
                 r"\bseparate block\b|\bwritten out\b|\bspelled out\b|\bspell out\b|\bwrite out\b"),
    "loop": r"\barrays?\b|\bloops?\b|\blooping\b|\biterat",
}
"""How a prompt states the code style (case-insensitive); each style's words must be absent for the other."""
STYLE_STEMS: dict[str, tuple[str, ...]] = {
    "explicit": ("explicit", "object", "one ", "its ", "their ", "separate", "writ", "spel"),
    "loop": ("array", "loop", "iterat"),
}
"""``FAMILY_STEMS`` for ``STYLE_PATTERNS``."""
SKETCH_PATTERN = r"\bsketch"
NO_SETUP_OR_ZERO = rf"{NO_SETUP_PATTERN}|(?<![0-9.])0(?![0-9.])"
"""How a prompt states a setup time of zero: in words, or as the number 0."""
PATTERN_STEMS: dict[str, tuple[str, ...]] = {
    NO_SETUP_OR_ZERO: ("no ", "without ", "setup", "zero ", "0"),
    RANDOM_PATTERN: ("random",),
    OPERATE_WORDS: ("operat", "tend", "staff", "attend", "mann", "mans", "crew"),
    TRANSPORT_WORDS: ("transport", "carr", "haul", "deliver", "mov", "ferr", "shuttl", "fetch", "pick", "unload"),
    **{pattern: (mode,) for mode, pattern in MODE_PATTERNS.items()},
}
"""``FAMILY_STEMS`` for the patterns of ``ObjectFacts.patterns`` (a prompt has some ten of them to find
in the sentences of their objects)."""

FORWARD_FLOW = (r"->|→|⟶|=>|\bthen\b|\bto\b|\binto\b|\bonto\b|\btowards?\b|\bfeed(?:s|ing)?\b|"
                r"\bfollowed by\b|\bbefore\b|\bbetween\b|\bupstream of\b|\breach(?:es|ing)?\b|\bnext\b")
BACKWARD_FLOW = (r"\bfrom\b|\bfed by\b|\bafter\b|\bpreceded by\b|\bdownstream of\b|\bsupplied by\b|"
                 r"\bbehind\b")
TEAM_WORDS = (r"\bteam|\bcrew|\bdispatch|\bcoordinat|\bassign|\bdirect|\blead|\bmember|\bpool\b|"
              r"\bfleet|\bmanag|\bcontrol|\bcommand|\bschedul|\bbelong|\breport")
SERVICE_WORDS = (r"\boperat|\btend|\bserv|\bstaff|\battend|\btransport|\bcarr|\bhaul|\bdeliver|\bhandl|"
                 r"\bload|\bunload|\bmove|\bassist|\bwork|\bcall|\brequest|\bpick|\bman\b|\bmanned|"
                 r"\bsupport|\bferr|\bshuttl|\bfetch|\bdispatch|\bhelp")

COORDINATION = re.compile(r"^[\s,]*(?:(?:and|or|&|as well as|plus)\b)?[\s,]*(?:both|either|each)?\s*$", re.IGNORECASE)
PARENTHETICAL = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
SENTENCE_BREAK = re.compile(r"\s(?:(?<=[.!?]\s)\s*|(?<=\n)\n*)")
"""Where sentences break: ``(?<=[.!?])\\s+|\\n+`` (``SENTENCE_BREAK_PLAIN``, the tests' oracle), written to
begin with a whitespace class, which lets ``re`` skip to the next whitespace instead of trying both
branches at every character."""
SENTENCE_BREAK_PLAIN = r"(?<=[.!?])\s+|\n+"
PRONOUN_START = re.compile(r"^[\s\-*•]*(?:it|its|they|their|them|this|these|that|those|each|both|there|here)\b",
                           re.IGNORECASE)

PLACEHOLDER_OPEN, PLACEHOLDER_CLOSE = "\ue000", "\ue001"
PLACEHOLDER = re.compile(PLACEHOLDER_OPEN + r"([a-z]+)" + PLACEHOLDER_CLOSE)
_WORD_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


@functools.cache
def _regex(pattern: str) -> re.Pattern[str]:
    """One of this module's fixed patterns, compiled case-insensitive once: the ``re`` module's own
    cache is small and shared, so every object name's pattern used to push these out of it."""
    return re.compile(pattern, re.IGNORECASE)


def lowered(text: str) -> str | None:
    """``text`` lower-cased for ``_finds``; None if it holds a ``FOLD_TRAPS`` character, since a
    case-insensitive match may then spell a stem with one (``ſ`` for ``s``) that ``lower`` keeps, and
    ``İ`` lower-cases to two characters (every other character to one, so positions stay those of ``text``)."""
    return None if FOLD_TRAPS.search(text) else text.lower()


def _finds(pattern: str, stems: tuple[str, ...], text: str, lower: str | None) -> re.Match[str] | None:
    """``_regex(pattern).search(text)``, tried only where ``lower`` (``lowered(text)``) holds one of
    ``stems``, leftmost first: every match of ``pattern`` starts with one, and without a fold trap a
    case-insensitive match is one in the lower-cased text, at the same place (``match`` at a position
    sees the text before it, as ``search`` does). A search runs the whole alternation at every
    position, and a prompt is asked for each family it lacks and for the code style it must not suggest."""
    if lower is None:
        return _regex(pattern).search(text)
    starts = []
    for stem in stems:
        start = lower.find(stem)
        while start >= 0:
            starts.append(start)
            start = lower.find(stem, start + 1)
    regex = _regex(pattern)
    for start in sorted(starts):
        if found := regex.match(text, start):
            return found
    return None


class NumberFact(NamedTuple):
    """One numeric parameter an object must state (a tuple: a prompt has some 25, and a frozen
    dataclass costs some 2 us more to make)."""

    label: str
    value: int | float
    count: bool = False
    """A count (capacity, quantity): may also be written as a word ("twenty")."""
    time: bool = False
    """A time in seconds: must be written with a time unit."""


@dataclass
class ObjectFacts:
    """What a prompt must say about one object (or multiprocessor step)."""

    name: str
    kind: str | None
    numbers: list[NumberFact] = field(default_factory=list)
    families: list[tuple[str, str]] = field(default_factory=list)
    patterns: list[tuple[str, str]] = field(default_factory=list)
    words: list[tuple[str, str]] = field(default_factory=list)


def _time_parameter(family: str, param: str) -> bool:
    """Whether a distribution parameter is a time (lognormal's and the shape parameters are not)."""
    return family != "lognormal" and param != "shape"


def _distribution_facts(facts: ObjectFacts, label: str, dist: Distribution) -> None:
    data = dict(dist.__dict__)  # its fields, as model_dump gives them (flat floats), at a fifth of the cost
    family = data.pop("family")
    if label == "setup time" and family == "constant" and data["value"] == 0:
        facts.patterns.append((f"{label} (none)", NO_SETUP_OR_ZERO))
        return
    facts.families.append((label, family))
    for param, value in data.items():
        facts.numbers.append(NumberFact(f"{label} {param}", normalise_number(value),
                                        time=_time_parameter(family, param)))


def spec_facts(spec: FactorySpec) -> list[ObjectFacts]:
    """Every object's (and step's) required facts, in spec order."""
    result: list[ObjectFacts] = []
    for obj in spec.objects:
        facts = ObjectFacts(obj.name, obj.kind)
        result.append(facts)
        if obj.kind == "source":
            _distribution_facts(facts, "inter-arrival time", obj.inter_arrival)
            facts.words.append(("item class", obj.item_class))
        if field_value(obj, "routing", "") == "random":
            facts.patterns.append(("random routing", RANDOM_PATTERN))
        if field_value(obj, "use_operator", False):
            facts.patterns.append(("operator use", OPERATE_WORDS))
        if field_value(obj, "use_transport", False):
            facts.patterns.append(("transport of its output", TRANSPORT_WORDS))
        if obj.kind in ("queue", "processor"):
            facts.numbers.append(NumberFact("max content", obj.max_content, count=True))
        if "process_time" in obj.__dict__:
            _distribution_facts(facts, "process time", obj.process_time)
            _distribution_facts(facts, "setup time", obj.setup_time)
        if obj.kind in ("combiner", "separator"):
            facts.patterns.append((f"mode {obj.mode}", MODE_PATTERNS[obj.mode]))
            quantity = obj.component_quantity if obj.kind == "combiner" else obj.split_quantity
            label = "component quantity" if obj.kind == "combiner" else "split quantity"
            facts.numbers.append(NumberFact(label, quantity, count=True))
        if obj.kind == "multiprocessor":
            for step in obj.steps:
                step_facts = ObjectFacts(step.name, None)
                _distribution_facts(step_facts, f"step '{step.name}' of '{obj.name}' process time", step.process_time)
                result.append(step_facts)
        if obj.kind == "conveyor":
            facts.numbers += [NumberFact("length", normalise_number(obj.length)),
                              NumberFact("speed", normalise_number(obj.speed))]
        if obj.kind in TASK_EXECUTER_KINDS:
            facts.numbers += [NumberFact("speed", normalise_number(obj.speed)),
                              NumberFact("capacity", obj.capacity, count=True)]
    return result


def spec_numbers(spec: FactorySpec, facts_list: list[ObjectFacts] | None = None) -> set[int | float]:
    """Every number a prompt may write: the spec's parameter values (positions are not stated)."""
    numbers: set[int | float] = set()
    for facts in spec_facts(spec) if facts_list is None else facts_list:
        numbers.update(fact.value for fact in facts.numbers)
        if any(label.endswith("(none)") for label, _ in facts.patterns):
            numbers.add(0)
    return numbers


def required_names(spec: FactorySpec) -> list[str]:
    """Strings that must appear verbatim: object names, step names and item classes."""
    names = [obj.name for obj in spec.objects]
    for obj in spec.objects:
        if obj.kind == "multiprocessor":
            names += [step.name for step in obj.steps]
        if obj.kind == "source":
            names.append(obj.item_class)
    return list(dict.fromkeys(names))


def combiner_feeds(spec: FactorySpec) -> list[tuple[str, str, int]]:
    """``(source, combiner, input port)`` for each combiner input that comes straight from a source."""
    kinds = {obj.name: obj.kind for obj in spec.objects}
    ports: dict[str, int] = {}
    feeds = []
    for conn in spec.flow_connections():
        ports[conn.to] = ports.get(conn.to, 0) + 1
        if kinds[conn.to] == "combiner" and kinds[conn.from_] == "source":
            feeds.append((conn.from_, conn.to, ports[conn.to]))
    return feeds


@dataclass(eq=False)
class Sentence:
    """One sentence with names replaced by placeholders, and what it states (never changed once made:
    not ``frozen`` only because a frozen dataclass's ``__init__`` costs some 2 us more, per sentence).

    ``context`` holds the names of the previous sentence when this one names nothing and opens with
    a pronoun ("It takes ...", "Their capacity ..."): its facts then count for those objects.
    """

    masked: str
    names: tuple[str, ...]
    quantities: tuple[Quantity, ...]
    plain: str
    """``masked`` with port mentions blanked (their numbers are no parameter values)."""
    context: tuple[str, ...] = ()

    def mentions(self, name: str) -> bool:
        return name in self.names or name in self.context

    @functools.cached_property
    def word_numbers(self) -> frozenset[int]:
        """Whole numbers written as words (read only when a count is not in digits: most never are)."""
        return frozenset(read_number_words(self.plain))

    @functools.cached_property
    def ports(self) -> frozenset[int]:
        """Port numbers mentioned (read only for sentences that name a combiner and its feeder)."""
        return frozenset(port_numbers(self.masked))


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def mask_names(text: str, names: list[str]) -> tuple[str, dict[str, str]]:
    """Replace each verbatim name (longest first, whole-word) by a digit-free placeholder."""
    table: dict[str, str] = {}
    for index, name in enumerate(sorted(names, key=len, reverse=True)):
        key = _letters(index)
        text, count = _replace_word(text, name, PLACEHOLDER_OPEN + key + PLACEHOLDER_CLOSE)
        if count:
            table[key] = name
    return text, table


def _replace_word(text: str, word: str, replacement: str) -> tuple[str, int]:
    """``re.subn`` of ``(?<![0-9A-Za-z])word(?![0-9A-Za-z])`` by plain search: the same non-overlapping
    left-to-right matches, without compiling a pattern per object name."""
    parts: list[str] = []
    start = position = 0
    while (found := text.find(word, position)) >= 0:
        end = found + len(word)
        if (found and text[found - 1] in _WORD_CHARS) or (end < len(text) and text[end] in _WORD_CHARS):
            position = found + 1
            continue
        parts += (text[start:found], replacement)
        start = position = end
    if not parts:
        return text, 0
    parts.append(text[start:])
    return "".join(parts), len(parts) // 2


def split_sentences(masked: str, table: dict[str, str]) -> list[Sentence]:
    """Sentences (split at . ! ? and line breaks; a semicolon stays inside its sentence)."""
    sentences: list[Sentence] = []
    for part in SENTENCE_BREAK.split(masked):
        if not part.strip():
            continue
        names = tuple(table[key] for key in PLACEHOLDER.findall(part) if key in table)
        context = ()
        if not names and sentences and PRONOUN_START.match(part):
            context = sentences[-1].names or sentences[-1].context
        plain = PORT_MENTION.sub(" port ", part) if may_mention_port(part) else part
        sentences.append(Sentence(part, names, tuple(read_quantities(plain)), plain, context))
    return sentences


def sentences_by_name(sentences: list[Sentence]) -> dict[str, list[Sentence]]:
    """For each name, the sentences that mention it (in text order): one pass instead of one per object."""
    pools: dict[str, list[Sentence]] = {}
    for sentence in sentences:
        for name in dict.fromkeys((*sentence.names, *sentence.context)):
            pools.setdefault(name, []).append(sentence)
    return pools


def check_fidelity(text: str, spec: FactorySpec, mode: str, code_style: str | None = None) -> list[str]:
    """Problems that make ``text`` an unfaithful prompt for ``spec`` (empty list = faithful).

    ``code_style`` (``explicit`` or ``loop``), when given, must be stated and the other not suggested.
    """
    if mode not in ("text", "sketch"):
        raise ValueError(f"prompt mode {mode!r} is not 'text' or 'sketch'")
    names = required_names(spec)
    masked, table = mask_names(text, names)
    sentences = split_sentences(masked, table)
    problems = [f"name '{name}' does not appear verbatim" for name in names if name not in table.values()]
    facts_list = spec_facts(spec)
    pools = sentences_by_name(sentences)
    for facts in facts_list:
        problems += _object_problems(facts, pools.get(facts.name, []))
    problems += _invented_problems(sentences, spec, facts_list)
    problems += _port_problems(sentences, spec)
    problems += style_problems(masked, code_style)
    if mode == "text":
        problems += _connection_problems(sentences, spec)
    elif not _regex(SKETCH_PATTERN).search(masked):
        problems.append("sketch mode: the prompt does not say that the connections are in the sketch")
    return problems


def style_problems(text: str, code_style: str | None) -> list[str]:
    """The code style is stated (its words appear) and the other style's words do not."""
    if code_style is None:
        return []
    if code_style not in STYLE_PATTERNS:
        raise ValueError(f"code style {code_style!r} is not one of {', '.join(STYLE_PATTERNS)}")
    problems = []
    lower = lowered(text)
    if not _finds(STYLE_PATTERNS[code_style], STYLE_STEMS[code_style], text, lower):
        problems.append(f"code style '{code_style}' is not stated")
    for other, pattern in STYLE_PATTERNS.items():
        if other != code_style and (found := _finds(pattern, STYLE_STEMS[other], text, lower)):
            problems.append(f"code style '{code_style}' is asked for but '{found.group(0)}' suggests '{other}'")
    return problems


def _object_problems(facts: ObjectFacts, pool: list[Sentence]) -> list[str]:
    who = f"object '{facts.name}'" if facts.kind else f"step '{facts.name}'"
    if not pool:
        return []
    text = " ".join(s.masked for s in pool)
    lower = lowered(text)
    values = {q.value for s in pool for q in s.quantities}
    times = {q.value for s in pool for q in s.quantities if q.timed}
    problems = []
    kind = facts.kind
    if kind and not (_regex(KIND_PATTERNS[kind]).search(facts.name)
                     or _finds(KIND_PATTERNS[kind], KIND_STEMS[kind], text, lower)):
        problems.append(f"{who}: its kind ({kind}) is not said in a sentence that names it")
    for fact in facts.numbers:
        value = fact.value
        if value not in values and not (fact.count and any(value in s.word_numbers for s in pool)):
            problems.append(f"{who}: {fact.label} = {value} is not stated with the object")
        elif fact.time and value not in times:
            problems.append(f"{who}: {fact.label} = {value} is stated without a time unit")
    for label, family in facts.families:
        if not _finds(FAMILY_PATTERNS[family], FAMILY_STEMS[family], text, lower):
            problems.append(f"{who}: {label} family '{family}' is not named with the object")
    for label, pattern in facts.patterns:
        if not _finds(pattern, PATTERN_STEMS[pattern], text, lower):
            problems.append(f"{who}: {label} is not stated with the object")
    for label, word in facts.words:
        if word not in {name for s in pool for name in (*s.names, *s.context)}:
            problems.append(f"{who}: {label} '{word}' is not stated with the object")
    return problems


def _invented_problems(sentences: list[Sentence], spec: FactorySpec, facts_list: list[ObjectFacts]) -> list[str]:
    allowed = spec_numbers(spec, facts_list)
    problems = []
    for raw, value in dict.fromkeys((q.raw, q.value) for s in sentences for q in s.quantities):
        if value not in allowed:
            problems.append(f"number '{raw.strip()}' is not a value of the spec")
    families = {family for facts in facts_list for _, family in facts.families}
    text = " ".join(s.masked for s in sentences)
    lower = lowered(text)
    for family in DISTINCTIVE_FAMILIES:
        if family not in families and _finds(FAMILY_PATTERNS[family], FAMILY_STEMS[family], text, lower):
            problems.append(f"family '{family}' is named but no distribution of the spec is {family}")
    return problems


def _port_problems(sentences: list[Sentence], spec: FactorySpec) -> list[str]:
    problems = []
    for source, combiner, port in combiner_feeds(spec):
        if not any(s.mentions(source) and s.mentions(combiner) and port in s.ports for s in sentences):
            problems.append(f"combiner '{combiner}': the input from '{source}' is not stated as input port {port}")
    return problems


def recover_flow_edges(sentences: list[Sentence], flow_names: set[str]) -> set[tuple[str, str]]:
    """Item-flow edges stated in the sentences (see the module rules)."""
    edges: set[tuple[str, str]] = set()
    for sentence in sentences:
        groups: list[list[str]] = []
        links: list[str | None] = []
        last_end = None
        keys = PLACEHOLDER.findall(sentence.masked)
        for match in PLACEHOLDER.finditer(sentence.masked):
            name = sentence.names[keys.index(match.group(1))]
            if name not in flow_names:
                continue
            if last_end is None:
                groups.append([name])
            else:
                gap = PARENTHETICAL.sub(" ", sentence.masked[last_end:match.start()])
                gap = PLACEHOLDER.sub(" ", gap)
                if COORDINATION.match(gap):
                    groups[-1].append(name)
                else:
                    links.append(_direction(gap))
                    groups.append([name])
            last_end = match.end()
        for index, direction in enumerate(links):
            left, right = groups[index], groups[index + 1]
            for a in left:
                for b in right:
                    if direction == "forward":
                        edges.add((a, b))
                    elif direction == "backward":
                        edges.add((b, a))
    return edges


def _direction(gap: str) -> str | None:
    last: tuple[int, str] | None = None
    for pattern, direction in ((FORWARD_FLOW, "forward"), (BACKWARD_FLOW, "backward")):
        for match in _regex(pattern).finditer(gap):
            if last is None or match.start() >= last[0]:
                last = (match.start(), direction)
    return last[1] if last else None


def _connection_problems(sentences: list[Sentence], spec: FactorySpec) -> list[str]:
    kinds = {obj.name: obj.kind for obj in spec.objects}
    flow_names = {name for name, kind in kinds.items() if kind in FLOW_KINDS}
    edges = recover_flow_edges(sentences, flow_names)
    problems = []
    for conn in spec.connections:
        if conn.port == "A" and kinds[conn.from_] in FLOW_KINDS:
            if (conn.from_, conn.to) not in edges:
                problems.append(f"connection '{conn.from_}' -> '{conn.to}' (A) cannot be recovered from the text")
            continue
        words = TEAM_WORDS if conn.port == "A" else SERVICE_WORDS
        if not any(conn.from_ in s.names and conn.to in s.names and _regex(words).search(s.masked)
                   for s in sentences):
            relation = "team membership" if conn.port == "A" else "service link"
            problems.append(f"connection '{conn.from_}' -> '{conn.to}' ({conn.port}, {relation}) "
                            "cannot be recovered from the text")
    return problems
