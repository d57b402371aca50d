"""BLEU statistics: twinforge's shortcuts give sacrebleu's numbers exactly."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import BLEU

from tests.metrics.corpus_fixture import REFERENCE
from twinforge.metrics.bleu import TOKENIZE, _segment_statistics, bleu_scores, tokenize_13a

WORDS = ["a", "b", "c", "x.y", "(", ")", ";", "1.5", "-", "\n"]


def _ours() -> BLEU:
    metric = BLEU(tokenize=TOKENIZE)
    metric.tokenizer = tokenize_13a
    return metric


def _sacrebleu(prediction: str, reference: str) -> list[int]:
    return list(BLEU(tokenize=TOKENIZE)._extract_corpus_statistics([prediction], [[reference]])[0])


@st.composite
def edited_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """A reference of repetitive tokens and a copy with a few insertions, deletions and swaps."""
    reference = draw(st.lists(st.sampled_from(WORDS), max_size=14))
    prediction = list(reference)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(prediction)))
        edit = draw(st.sampled_from(["insert", "delete", "swap"]))
        if edit == "insert":
            prediction.insert(at, draw(st.sampled_from(WORDS)))
        elif prediction:
            at = min(at, len(prediction) - 1)
            if edit == "delete":
                del prediction[at]
            else:
                prediction[at] = draw(st.sampled_from(WORDS))
    return " ".join(prediction), " ".join(reference)


@settings(max_examples=300, deadline=None)
@given(edited_pairs())
def test_segment_statistics_count_only_the_changed_part_with_sacrebleus_numbers(pair):
    prediction, reference = pair
    assert _segment_statistics(_ours(), prediction, reference) == _sacrebleu(prediction, reference)


def test_segment_statistics_of_scripts_cut_or_edited_at_either_end():
    lines = REFERENCE.splitlines(keepends=True)
    pairs = [
        ("".join(lines[1:]), REFERENCE), ("".join(lines[:-1]), REFERENCE), (REFERENCE[: len(REFERENCE) // 2], REFERENCE),
        (REFERENCE, REFERENCE[:40]), ("x " + REFERENCE, REFERENCE), (REFERENCE + " x", REFERENCE),
        ("".join(lines[:3] + lines[4:]), REFERENCE), (REFERENCE.replace("15", "16", 1), REFERENCE),
        (REFERENCE, REFERENCE), ("", REFERENCE), (REFERENCE, ""), ("", ""), ("a", "a a a a a"),
    ]
    for prediction, reference in pairs:
        assert _segment_statistics(_ours(), prediction, reference) == _sacrebleu(prediction, reference)


def test_scores_of_edited_scripts_equal_sacrebleus_public_calls():
    lines = REFERENCE.splitlines(keepends=True)
    preds = ["".join(lines[:k] + lines[k + 1:]) for k in range(0, len(lines), 3)] + [REFERENCE]
    refs = [REFERENCE] * len(preds)
    corpus, sentences = bleu_scores(preds, refs)
    assert corpus == BLEU(tokenize=TOKENIZE).corpus_score(preds, [refs]).score / 100
    sentence = BLEU(tokenize=TOKENIZE, effective_order=True)
    assert sentences == [min(sentence.sentence_score(p, [r]).score / 100, 1.0) for p, r in zip(preds, refs)]
