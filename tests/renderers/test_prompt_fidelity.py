"""The fidelity checker: catches every kind of changed fact, and accepts honest variations."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.renderers.prompt_specs import JOIN_SPEC, PACK_PARALLEL_SPEC, hand_specs
from twinforge.renderers.fidelity import (
    FAMILY_PATTERNS,
    FAMILY_STEMS,
    KIND_PATTERNS,
    KIND_STEMS,
    PATTERN_STEMS,
    SENTENCE_BREAK,
    SENTENCE_BREAK_PLAIN,
    STYLE_PATTERNS,
    STYLE_STEMS,
    _finds,
    _replace_word,
    check_fidelity,
    lowered,
    read_number_words,
    read_quantities,
)
from twinforge.renderers.fidelity_numbers import (
    FOLD_TRAPS,
    PORT_MENTION,
    may_mention_port,
    port_numbers,
)
from twinforge.renderers.prompt import draft_prompt
from twinforge.schemas import FactorySpec

GOOD = ("Blank Source is the source of Box items, with an exponential inter-arrival time averaging 30 s. "
        "Queue1 is a queue holding up to 20 items. "
        "Mask Coater is a processor whose process time is triangular (min 20 s, mode 25 s, max 40 s), "
        "with a constant setup time of 5 s and capacity 1. Sink1 is the sink. "
        "Operator1 is an operator walking at 1.2 m/s, carrying 1 item. "
        "The dispatcher Dispatcher1 directs Operator1. Mask Coater is operated by Dispatcher1. "
        "Blank Source → Queue1 → Mask Coater → Sink1.")


NAME_TEXT = st.text(alphabet="aB1 .-_\ue000é", max_size=24)


@given(NAME_TEXT, NAME_TEXT.filter(bool))
def test_names_are_masked_exactly_where_the_whole_word_regex_matches(text, name):
    """The plain-search masking finds the same whole-word occurrences as the regex it replaced."""
    pattern = re.compile(rf"(?<![0-9A-Za-z]){re.escape(name)}(?![0-9A-Za-z])")
    assert _replace_word(text, name, "<N>") == pattern.subn("<N>", text)


def test_a_hand_written_faithful_prompt_passes(small_spec):
    assert check_fidelity(GOOD, small_spec, "text") == []


def test_a_dropped_name_is_caught(small_spec):
    problems = check_fidelity(GOOD.replace("Mask Coater", "the coater"), small_spec, "text")
    assert any("'Mask Coater'" in p and "verbatim" in p for p in problems)


def test_a_changed_number_is_caught_twice(small_spec):
    problems = check_fidelity(GOOD.replace("averaging 30 s", "averaging 35 s"), small_spec, "text")
    assert any("'Blank Source'" in p and "mean = 30" in p for p in problems)
    assert any("'35'" in p and "not a value of the spec" in p for p in problems)


def test_a_swapped_family_is_caught(small_spec):
    problems = check_fidelity(GOOD.replace("triangular", "uniform"), small_spec, "text")
    assert any("'Mask Coater'" in p and "'triangular'" in p for p in problems)
    assert any("family 'uniform' is named" in p for p in problems)


def test_a_family_moved_to_another_object_is_caught(small_spec):
    text = GOOD.replace("an exponential inter-arrival", "a normal inter-arrival").replace(
        "triangular (min", "exponential triangular (min")
    problems = check_fidelity(text, small_spec, "text")
    assert any("'Blank Source'" in p and "'exponential'" in p for p in problems)


def test_an_invented_number_is_caught(small_spec):
    problems = check_fidelity(GOOD + " Queue1 stands 12 m from Mask Coater.", small_spec, "text")
    assert problems == ["number '12' is not a value of the spec"]


def test_a_missing_connection_is_caught_in_text_mode_only(small_spec):
    text = GOOD.replace("Blank Source → Queue1 → Mask Coater → Sink1.", "Blank Source → Queue1. Mask Coater → Sink1.")
    problems = check_fidelity(text, small_spec, "text")
    assert problems == ["connection 'Queue1' -> 'Mask Coater' (A) cannot be recovered from the text"]
    assert check_fidelity(text + " The sketch shows the rest.", small_spec, "sketch") == []


def test_missing_team_and_service_links_are_caught(small_spec):
    text = GOOD.replace("The dispatcher Dispatcher1 directs Operator1. Mask Coater is operated by Dispatcher1.",
                        "Dispatcher1 is a dispatcher. Operator1 is there too.")
    problems = check_fidelity(text, small_spec, "text")
    assert any("'Dispatcher1' -> 'Operator1' (A, team membership)" in p for p in problems)
    assert any("'Mask Coater' -> 'Dispatcher1' (S, service link)" in p for p in problems)


def test_a_value_stated_for_the_wrong_object_is_caught(small_spec):
    text = GOOD.replace("holding up to 20 items", "holding items").replace("capacity 1.", "capacity 1, next to 20 items.")
    problems = check_fidelity(text, small_spec, "text")
    assert any("'Queue1'" in p and "max content = 20" in p for p in problems)


def test_digits_inside_names_are_not_numbers():
    parallel = hand_specs()[0]
    text = draft_prompt(parallel, "text", np.random.default_rng(11))
    assert "Robot7" in text and "Queue 1" in text
    assert check_fidelity(text, parallel, "text") == []


@pytest.mark.parametrize("written, seconds", [("2 min", [120]), ("1.5 minutes", [90]), ("2 hours", [7200]),
                                             ("500 ms", [0.5]), ("20-40 s", [20, 40]), ("1,200 s", [1200]),
                                             ("2 and 3 min", [120, 180]), ("a 5-second setup", [5])])
def test_units_are_normalised_to_seconds(written, seconds):
    quantities = read_quantities(f"takes {written} here")
    assert [q.value for q in quantities] == seconds
    assert all(q.timed for q in quantities)


def test_a_time_without_its_unit_is_caught(small_spec):
    problems = check_fidelity(GOOD.replace("averaging 30 s", "averaging 30"), small_spec, "text")
    assert problems == ["object 'Blank Source': inter-arrival time mean = 30 is stated without a time unit"]
    counts = [q for q in read_quantities("capacity 20, speed 1.2 m/s, mu 5.2") if q.timed]
    assert counts == []


STYLE_SENTENCES = {"explicit": " Write one block of statements per object.",
                   "loop": " Keep the object data in arrays and create everything in a loop."}


@pytest.mark.parametrize("style, other", [("explicit", "loop"), ("loop", "explicit")])
def test_the_code_style_must_be_stated_and_not_contradicted(small_spec, style, other):
    assert check_fidelity(GOOD + STYLE_SENTENCES[style], small_spec, "text", code_style=style) == []
    assert check_fidelity(GOOD, small_spec, "text", code_style=style) == [f"code style '{style}' is not stated"]
    mixed = check_fidelity(GOOD + STYLE_SENTENCES[style] + STYLE_SENTENCES[other], small_spec, "text",
                           code_style=style)
    assert len(mixed) == 1 and f"suggests '{other}'" in mixed[0]
    assert check_fidelity(GOOD + STYLE_SENTENCES[other], small_spec, "text", code_style=style)


def test_random_routing_ports_and_operator_use_must_be_stated(small_spec):
    pack = FactorySpec.model_validate(PACK_PARALLEL_SPEC)
    text = draft_prompt(pack, "text", np.random.default_rng(2))
    assert check_fidelity(text, pack, "text") == []
    problems = check_fidelity(re.sub(r"(?i)\brandom(?:ly)?\b", "", text), pack, "text")
    assert "object 'Panel Source': random routing is not stated with the object" in problems
    unported = re.sub(r"(?i)\b(?:input )?port (?:1|one)\b|\bfirst input( port)?\b", "side", text)
    assert "combiner 'Tray Packer1': the input from 'Tray Source1' is not stated as input port 1" in \
        check_fidelity(unported, pack, "text")
    unstaffed = GOOD.replace("Mask Coater is operated by Dispatcher1.", "Mask Coater calls Dispatcher1.")
    assert check_fidelity(unstaffed, small_spec, "text") == [
        "object 'Mask Coater': operator use is not stated with the object"]


def test_a_join_feeder_on_the_wrong_port_is_caught():
    join = FactorySpec.model_validate(JOIN_SPEC)
    for seed in range(10):
        text = draft_prompt(join, "sketch", np.random.default_rng(seed))
        assert check_fidelity(text, join, "sketch") == []
        wrong = re.sub(r"\b(port )(?:2|two)\b", r"\g<1>1", text).replace("second input", "first input")
        assert "combiner 'Engine Marriage': the input from 'Powertrain Source' is not stated as input port 2" in \
            check_fidelity(wrong, join, "sketch")


def test_a_sketch_prompt_must_point_to_the_sketch(small_spec):
    assert check_fidelity(GOOD, small_spec, "sketch") == [
        "sketch mode: the prompt does not say that the connections are in the sketch"]
    assert check_fidelity(GOOD + " Take the connections from the sketch.", small_spec, "sketch") == []


def test_upstream_and_downstream_read_in_the_right_direction(small_spec):
    chain = "Blank Source → Queue1 → Mask Coater → Sink1."
    for phrase in ("Queue1 sits upstream of Mask Coater.", "Mask Coater sits downstream of Queue1."):
        text = GOOD.replace(chain, f"Blank Source → Queue1. {phrase} Mask Coater → Sink1.")
        assert check_fidelity(text, small_spec, "text") == [], phrase


def test_minutes_satisfy_a_seconds_fact(small_spec_data):
    small_spec_data["objects"][0]["inter_arrival"] = {"family": "exponential", "mean": 120}
    spec = FactorySpec.model_validate(small_spec_data)
    assert check_fidelity(GOOD.replace("averaging 30 s", "averaging 2 min"), spec, "text") == []
    assert check_fidelity(GOOD.replace("averaging 30 s", "averaging 2 s"), spec, "text") != []


def test_counts_in_words_are_read_back(small_spec):
    assert read_number_words("twenty-five items, a single item, seven") == {25, 1, 7}
    assert check_fidelity(GOOD.replace("up to 20 items", "up to twenty items"), small_spec, "text") == []


def test_synonyms_of_families_are_accepted(small_spec_data):
    small_spec_data["objects"][0]["inter_arrival"] = {"family": "normal", "mean": 30, "std": 3}
    spec = FactorySpec.model_validate(small_spec_data)
    for phrase in ("a bell-shaped normal", "a Gaussian", "a normally distributed"):
        text = GOOD.replace("an exponential inter-arrival time averaging 30 s",
                            f"{phrase} inter-arrival time with mean 30 s and standard deviation 3 s")
        assert check_fidelity(text, spec, "text") == [], phrase
    lognormal = GOOD.replace("an exponential inter-arrival time averaging 30 s",
                             "a log-normal inter-arrival time with mean 30 s and standard deviation 3 s")
    problems = check_fidelity(lognormal, spec, "text")
    assert any("'Blank Source'" in p and "family 'normal'" in p for p in problems), "log-normal is not normal"
    assert any("family 'lognormal' is named" in p for p in problems)


def test_every_flow_phrasing_of_the_templates_is_recovered():
    conveyor = hand_specs()[1]
    seen_forms = set()
    for seed in range(150):
        text = draft_prompt(conveyor, "text", np.random.default_rng(seed))
        assert check_fidelity(text, conveyor, "text") == []
        seen_forms.update(re.findall(r"receives|fed by|comes after|followed by|feeds|then|upstream of|downstream of|"
                                     r"from|into|on to|reach", text))
    assert len(seen_forms) >= 10


NATURAL = ("Please build a FlexSim model of a straight photomask line. Box items enter the model at the source "
           "Blank Source; the time between arrivals is exponentially distributed with a mean of 30 seconds. "
           "Blank Source feeds Queue1, a buffer that holds at most twenty items, and Queue1 passes them on to "
           "Mask Coater. Mask Coater is a processor handling a single item at a time. Its process time is "
           "triangular with a minimum of 20 s, a most likely value of 25 s and a maximum of 40 s, and it needs a "
           "fixed 5-second setup. Finished work goes from Mask Coater to the sink Sink1. The dispatcher "
           "Dispatcher1 leads a team of one operator, Operator1, who walks at 1.2 m/s and carries 1 item; "
           "Dispatcher1 provides the operator that runs Mask Coater.")


def test_a_natural_rewrite_with_pronouns_and_semicolons_passes(small_spec):
    assert check_fidelity(NATURAL, small_spec, "text") == []


def test_a_pronoun_sentence_does_not_hide_a_changed_value(small_spec):
    problems = check_fidelity(NATURAL.replace("a maximum of 40 s", "a maximum of 45 s"), small_spec, "text")
    assert any("'Mask Coater'" in p and "max = 40" in p for p in problems)


def test_negative_and_decimal_values_are_read(small_spec):
    assert [q.value for q in read_quantities("μ = −0.4, σ = 0.3, mu -1.25")] == [-0.4, 0.3, -1.25]


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def test_mutations_of_template_drafts_are_caught():
    """On drafts of sampled specs: drop a name, change a number, delete a connection -> always a problem."""
    sampler = pytest.importorskip("twinforge.families.factory.sampler")
    from twinforge.renderers.prompt_routes import flow_edges
    from twinforge.schemas import format_number

    for index, spec in enumerate(sampler.sample_specs(40, 77)):
        rng = np.random.default_rng(index)
        text = draft_prompt(spec, "text", rng)
        victim = spec.objects[int(rng.integers(len(spec.objects)))].name
        dropped = re.sub(rf"(?<![0-9A-Za-z]){re.escape(victim)}(?![0-9A-Za-z])", "that station", text)
        assert any(f"'{victim}'" in p for p in check_fidelity(dropped, spec, "text")), (victim, dropped)

        numbers = sorted({m for m in re.findall(r"(?<![0-9A-Za-z_.])[0-9]+(?:\.[0-9]+)?(?![0-9A-Za-z])", text)})
        if numbers:
            number = numbers[int(rng.integers(len(numbers)))]
            changed = re.sub(rf"(?<![0-9A-Za-z_.]){re.escape(number)}(?![0-9A-Za-z.])", number + "7", text)
            assert check_fidelity(changed, spec, "text"), (number, changed)

        a, b = flow_edges(spec)[int(rng.integers(len(flow_edges(spec))))]
        pattern = [re.compile(rf"(?<![0-9A-Za-z]){re.escape(n)}(?![0-9A-Za-z])") for n in (a, b)]
        kept = [s for s in _sentences(text) if not all(p.search(s) for p in pattern)]
        problems = check_fidelity("\n".join(kept), spec, "text")
        assert f"connection '{a}' -> '{b}' (A) cannot be recovered from the text" in problems, (a, b, text)
        assert format_number(0) == "0"


def test_the_fold_traps_are_all_characters_beyond_ascii_that_match_ascii_ignoring_case():
    """``may_mention_port`` relies on this set being complete for the Python in use."""
    any_ascii = re.compile(r"[\x00-\x7f]", re.IGNORECASE)
    found = {chr(code) for code in range(0x80, 0x110000) if any_ascii.fullmatch(chr(code))}
    assert found == {chr(code) for code in (0x130, 0x131, 0x17F, 0x212A)}
    assert all(FOLD_TRAPS.search(char) for char in found)


@pytest.mark.parametrize(("text", "numbers", "ports"), [
    ("\u017fix machines feed input port \u017fix", {6}, {6}),       # long s: matches "six" ignoring case
    ("Twenty-\u017fix parts; the f\u0131rst input", {26}, {1}),     # dotless i
    ("SIX stations, port \u0130\u0130\u0130 is none", {6}, set()),  # dotted capital I, no number word
])
def test_number_and_port_words_with_fold_traps_read_as_their_ascii_spelling(text, numbers, ports):
    """A case-insensitive match may hold İ ı ſ K; reading its value must not fail (it raised ValueError)."""
    assert read_number_words(text) == numbers
    assert port_numbers(text) == ports


@given(st.lists(st.sampled_from(["port", "PORT", "pOrt", "ınput", "İnput", "input", "Input 2", "port 1", " ",
                                 "first", "second", "number", "3", "one", "x", "é", "\u212a", "ſ", "."]),
                max_size=8))
def test_a_sentence_said_to_name_no_port_names_none(parts):
    text = " ".join(parts)
    if not may_mention_port(text):
        assert not PORT_MENTION.search(text)


STEMMED = [(pattern, FAMILY_STEMS[family]) for family, pattern in FAMILY_PATTERNS.items()] + [
    (pattern, STYLE_STEMS[style]) for style, pattern in STYLE_PATTERNS.items()] + [
    (pattern, KIND_STEMS[kind]) for kind, pattern in KIND_PATTERNS.items()] + list(PATTERN_STEMS.items())


@pytest.mark.parametrize(("pattern", "stems"), STEMMED)
@given(data=st.data())
def test_every_match_of_a_stemmed_pattern_starts_with_one_of_its_stems(pattern, stems, data):
    """``_finds`` may search from the first stem of a text, and skip a text without one."""
    match = data.draw(st.from_regex(re.compile(pattern, re.IGNORECASE), fullmatch=True))
    lower = lowered(match)
    assert lower is None or lower.startswith(stems), match


def test_lower_casing_keeps_positions_except_for_a_fold_trap():
    """``_finds`` reads positions in ``lowered(text)`` as positions in ``text``."""
    longer = {chr(code) for code in range(0x110000) if len(chr(code).lower()) != 1}
    assert longer == {"\u0130"}
    assert FOLD_TRAPS.search("\u0130")


@given(st.lists(st.sampled_from(["a loop", "LOOPS", "Arrays", "ſpelled out", "Blocks", "iterates", "normal",
                                 "Log-Normal", "log normal", "Gaussian", "bell shaped", "Triangle", "WEIBULL",
                                 "\u212ag", "x", "\u0130", "poiſſon", "Gamma", "own lines", "Their own blocks",
                                 "written out", "one object at a time", "object by object", "explicitly", ".", "Multi-Step", "AGVs",
                                 "task-executor", "Mobile resource", "workstation", "Belts", "sink1", "SINKS",
                                 "No setup", "without a changeover", "setup-free", "0", "10", "0.5", "Randomly",
                                 "operated", "TENDS", "manned", "crew", "carries", "moves", "picks up", "Unloads",
                                 "packed", "JOINS", "batches", "split", "unpacking", "\n"]),
                max_size=6))
def test_a_stemmed_search_finds_what_the_plain_search_finds(parts):
    text = " ".join(parts)
    for pattern, stems in STEMMED:
        plain = re.compile(pattern, re.IGNORECASE).search(text)
        found = _finds(pattern, stems, text, lowered(text))
        assert (found and found.span()) == (plain and plain.span()), (pattern, text)


@given(st.lists(st.sampled_from([".", "!", "?", " ", "  ", "\n", "\n\n", "\t", "\r", "\u2028", "\u00a0", "a", "It",
                                 "Queue1", "2.5", ";"]), max_size=12))
def test_sentences_break_where_the_plain_pattern_breaks(parts):
    text = "".join(parts)
    assert SENTENCE_BREAK.split(text) == re.split(SENTENCE_BREAK_PLAIN, text)
