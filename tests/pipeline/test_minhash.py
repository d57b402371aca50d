"""MinHash signatures are datasketch's own: the shortcuts in ``minhash.signature`` (the hashes of a
text as one array, the affine32 update on the whole batch, permutations drawn once, unsorted
shingles) change no value."""

from __future__ import annotations

from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from twinforge.pipeline.minhash import (
    MINHASH_SCHEME,
    MINHASH_SEED,
    NO_SHINGLE,
    joined_signature,
    part_signature,
    shingles,
    signature,
)

WORDS = st.sampled_from(["Source", "Queue1", "processor", "=", "(", ")", ";", "10", "2.5", "exponential", "é", "ΟΔΟΣ", "\n"])


def _datasketch(text: str, num_perm: int, size: int) -> list[int]:
    minhash = MinHash(num_perm=num_perm, seed=MINHASH_SEED, scheme=MINHASH_SCHEME)
    minhash.update_batch(sorted(gram.encode() for gram in shingles(text, size)))
    return [int(value) for value in minhash.hashvalues]


@settings(max_examples=80, deadline=None)
@given(st.lists(WORDS, max_size=60).map(" ".join), st.sampled_from([16, 128]), st.integers(1, 6))
def test_signature_is_datasketchs_default_minhash(text: str, num_perm: int, size: int) -> None:
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
