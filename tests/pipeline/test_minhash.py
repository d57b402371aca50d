"""MinHash signatures are datasketch's own ``affine32`` MinHash of the distinct shingles with
``gram_hash`` as its hash function: the shortcuts in ``minhash.signature`` (token hashes cached,
every shingle's hash combined as one array, the affine32 update on the whole batch, permutations
drawn once, repeated shingles kept) change no value."""

from __future__ import annotations

import re

import numpy as np
import pytest
from datasketch import MinHash
from hypothesis import example, given, settings
from hypothesis import strategies as st

from twinforge.pipeline.minhash import (
    MINHASH_SCHEME,
    MINHASH_SEED,
    NO_SHINGLE,
    _minimum,
    _minimum_numpy,
    gram_hash,
    joined_signature,
    last_tokens,
    minhash_minimum,
    part_signature,
    shingles,
    signature,
    tokens,
)

WORDS = st.sampled_from(["Source", "Queue1", "processor", "=", "(", ")", ";", "10", "2.5", "exponential", "é", "ΟΔΟΣ", "\n"])


def _datasketch(text: str, num_perm: int, size: int) -> list[int]:
    minhash = MinHash(num_perm=num_perm, seed=MINHASH_SEED, scheme=MINHASH_SCHEME, hashfunc=gram_hash)
    minhash.update_batch(sorted(gram.split() for gram in shingles(text, size)))
    return [int(value) for value in minhash.hashvalues]


@settings(max_examples=80, deadline=None)
@given(st.lists(WORDS, max_size=60).map(" ".join), st.sampled_from([16, 128]), st.integers(1, 6))
def test_signature_is_datasketchs_minhash_of_the_shingles(text: str, num_perm: int, size: int) -> None:
    assert signature(text, num_perm, size) == _datasketch(text, num_perm, size)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(WORDS, max_size=12).map(" ".join), min_size=1, max_size=4), st.data(),
       st.sampled_from([16, 128]), st.integers(1, 6))
def test_a_joined_text_from_one_pieces_stored_part_is_its_signature(pieces, data, num_perm, size):
    """What a reuse computes from a kept piece's stored values is the whole text's signature."""
    inner = data.draw(st.integers(0, len(pieces) - 1))
    part = part_signature(pieces[inner], num_perm, size)
    assert joined_signature(pieces, inner, part, num_perm, size) == signature("\n".join(pieces), num_perm, size)


def test_a_part_signature_covers_only_the_shingles_inside_its_piece():
    assert part_signature("Source Queue1 ;", 16, 5) == [NO_SHINGLE] * 16
    code = "Source = createinstance ( library ( ) . find ( ) ) ;"
    assert part_signature(code, 16, 5) == signature(code, 16, 5)
    assert joined_signature(["Make a line", code], 1, part_signature(code, 16, 5), 16, 5) != signature(code, 16, 5)


PIECES = st.text(alphabet=st.sampled_from(list("abZ_9Σσİé")), min_size=1, max_size=40)
SEPARATORS = st.sampled_from([" ", "\t", "\n", "\u2028", ".", ";(", ") ", ""]) | st.characters()


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(st.tuples(PIECES, SEPARATORS), max_size=30), count=st.integers(0, 8))
@example(parts=[("a" * 50, " "), ("b" * 40, "")], count=2)
def test_last_tokens_are_the_last_of_all_tokens(parts: list[tuple[str, str]], count: int) -> None:
    """Long words across the places the end is cut, sigmas and other case rules, any whitespace."""
    text = "".join(piece + separator for piece, separator in parts)
    assert last_tokens(text, count) == (tokens(text)[-count:] if count else [])


def test_a_shingles_hash_depends_on_its_words_order_and_length():
    """Shingles of the same words in another order, or one word more, are other shingles."""
    grams = [["source", "=", "queue1"], ["queue1", "=", "source"], ["source", "=", "queue1", "="], ["source", "="], []]
    assert len({gram_hash(gram) for gram in grams}) == len(grams)
    assert all(0 <= gram_hash(gram) < 2**32 for gram in grams)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127)) | st.text())
@example("".join(map(chr, range(128))))
def test_tokens_are_the_word_patterns_matches(text: str) -> None:
    """ASCII text is read with the pattern's ASCII form, which must find the same tokens."""
    assert tokens(text) == re.findall(r"\w+|[^\w\s]", text.lower())


@pytest.mark.skipif(minhash_minimum is None, reason="the compiled MinHash minimum is not built")
@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 2**32 - 1), max_size=300), st.sampled_from([1, 5, 16, 128]))
def test_the_compiled_minimum_is_numpys(values: list[int], num_perm: int) -> None:
    """The compiled routine gives the plain path's values, wrap-around and empty input included."""
    hashes = np.array(values, dtype=np.uint32)
    assert _minimum(hashes, num_perm).tolist() == _minimum_numpy(hashes, num_perm).tolist()
