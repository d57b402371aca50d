"""MinHash signatures are datasketch's own: the shortcuts in ``minhash.signature`` (the hashes of a
text as one array, the affine32 update on the whole batch, permutations drawn once, unsorted
shingles) change no value."""

from __future__ import annotations

from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from twinforge.pipeline.minhash import MINHASH_SCHEME, MINHASH_SEED, shingles, signature

WORDS = st.sampled_from(["Source", "Queue1", "processor", "=", "(", ")", ";", "10", "2.5", "exponential", "é", "\n"])


def _datasketch(text: str, num_perm: int, size: int) -> list[int]:
    minhash = MinHash(num_perm=num_perm, seed=MINHASH_SEED, scheme=MINHASH_SCHEME)
    minhash.update_batch(sorted(gram.encode() for gram in shingles(text, size)))
    return [int(value) for value in minhash.hashvalues]


@settings(max_examples=80, deadline=None)
@given(st.lists(WORDS, max_size=60).map(" ".join), st.sampled_from([16, 128]), st.integers(1, 6))
def test_signature_is_datasketchs_default_minhash(text: str, num_perm: int, size: int) -> None:
    assert signature(text, num_perm, size) == _datasketch(text, num_perm, size)
