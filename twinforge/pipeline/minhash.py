"""MinHash signatures of a record's text (word shingles), stored with the record for dedup.

The signature is computed once per sample in the shard task (cheap, parallel) so that
``twinforge dedup`` only has to index the stored hash values with MinHash LSH.
"""

from __future__ import annotations

import re

import numpy as np
from datasketch import LeanMinHash, MinHash

MINHASH_SEED = 1
MINHASH_SCHEME = "affine32"
"""datasketch's permutation seed and hashing scheme: part of the signature's meaning, so pinned."""

_TOKEN = re.compile(r"\w+|[^\w\s]")


def shingles(text: str, size: int) -> list[bytes]:
    """Distinct word ``size``-grams of the lower-cased text (the whole text if it is shorter)."""
    tokens = _TOKEN.findall(text.lower())
    if len(tokens) <= size:
        return [" ".join(tokens).encode("utf-8")]
    grams = {" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}
    return [gram.encode("utf-8") for gram in sorted(grams)]


def signature(text: str, num_perm: int, shingle_size: int) -> list[int]:
    """The MinHash hash values of ``text`` as plain ints (a ``list<uint64>`` column)."""
    minhash = MinHash(num_perm=num_perm, seed=MINHASH_SEED, scheme=MINHASH_SCHEME)
    minhash.update_batch(shingles(text, shingle_size))
    return [int(value) for value in minhash.hashvalues]


def from_signature(values: list[int] | np.ndarray) -> LeanMinHash:
    """A MinHash rebuilt from stored hash values (for LSH queries and Jaccard estimates)."""
    return LeanMinHash(seed=MINHASH_SEED, hashvalues=np.asarray(values, dtype=np.uint64), scheme=MINHASH_SCHEME)
