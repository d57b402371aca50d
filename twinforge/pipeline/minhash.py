"""MinHash signatures of a record's text (word shingles), stored with the record for dedup.

The signature is computed once per sample in the shard task (cheap, parallel) so that
``twinforge dedup`` only has to index the stored hash values with MinHash LSH.
"""

from __future__ import annotations

import functools
import hashlib
import re

import numpy as np
from datasketch import LeanMinHash, MinHash

MINHASH_SEED = 1
MINHASH_SCHEME = "affine32"
"""datasketch's permutation seed and hashing scheme: part of the signature's meaning, so pinned."""

_TOKEN = re.compile(r"\w+|[^\w\s]")


def shingles(text: str, size: int) -> set[bytes]:
    """Distinct word ``size``-grams of the lower-cased text (the whole text if it is shorter).

    A set: a MinHash is the minimum over its shingles, so their order cannot change a signature.
    """
    tokens = _TOKEN.findall(text.lower())
    if len(tokens) <= size:
        return {" ".join(tokens).encode("utf-8")}
    return {" ".join(tokens[i:i + size]).encode("utf-8") for i in range(len(tokens) - size + 1)}


def sha1_hash32(data: bytes) -> int:
    """datasketch's default 32-bit hash (the first four bytes of SHA-1, little-endian), without its
    ``struct`` call: the same values, a fifth faster over a sample's shingles."""
    return int.from_bytes(hashlib.sha1(data).digest()[:4], "little")


@functools.cache
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's permutation parameters for ``num_perm`` (drawn once per process, not per sample)."""
    return MinHash(num_perm=num_perm, seed=MINHASH_SEED, scheme=MINHASH_SCHEME).permutations


def signature(text: str, num_perm: int, shingle_size: int) -> list[int]:
    """The MinHash hash values of ``text`` as plain ints (a ``list<uint64>`` column)."""
    minhash = MinHash(num_perm=num_perm, seed=MINHASH_SEED, scheme=MINHASH_SCHEME, hashfunc=sha1_hash32,
                      permutations=_permutations(num_perm))
    minhash.update_batch(shingles(text, shingle_size))
    return minhash.hashvalues.tolist()


def from_signature(values: list[int] | np.ndarray) -> LeanMinHash:
    """A MinHash rebuilt from stored hash values (for LSH queries and Jaccard estimates)."""
    return LeanMinHash(seed=MINHASH_SEED, hashvalues=np.asarray(values, dtype=np.uint64), scheme=MINHASH_SCHEME)
