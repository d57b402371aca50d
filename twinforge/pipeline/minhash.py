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


def shingles(text: str, size: int) -> set[str]:
    """Distinct word ``size``-grams of the lower-cased text (the whole text if it is shorter).

    A set: a MinHash is the minimum over its shingles, so their order cannot change a signature.
    Each gram is its tokens joined by single spaces (hashed as UTF-8, as datasketch is fed bytes).
    """
    tokens = _TOKEN.findall(text.lower())
    if len(tokens) <= size:
        return {" ".join(tokens)}
    return set(map(" ".join, zip(*(tokens[start:] for start in range(size)))))


def _hash32(grams: set[str]) -> np.ndarray:
    """datasketch's default 32-bit hash (the first four bytes of SHA-1, little-endian) of every
    gram's UTF-8 bytes, as one ``uint32`` array (one join, no int per gram)."""
    sha1 = hashlib.sha1
    return np.frombuffer(b"".join([sha1(gram.encode()).digest()[:4] for gram in grams]), dtype="<u4")


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, which datasketch's ``affine32`` scheme applies to each hash first."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


@functools.cache
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's permutation parameters for ``num_perm`` (drawn once per process, not per sample)."""
    return MinHash(num_perm=num_perm, seed=MINHASH_SEED, scheme=MINHASH_SCHEME).permutations


def signature(text: str, num_perm: int, shingle_size: int) -> list[int]:
    """The MinHash hash values of ``text`` as plain ints (a ``list<uint64>`` column).

    datasketch's ``affine32`` update, done here on the whole batch of hashes at once: the MurmurHash3
    finaliser of each 32-bit hash, then ``a * h + b`` wrapping in ``uint32`` per permutation, and the
    minimum per permutation (``tests/pipeline/test_minhash.py`` holds it to datasketch's values).
    """
    a, b = _permutations(num_perm)
    mixed = _fmix32(_hash32(shingles(text, shingle_size)))
    return (np.multiply.outer(mixed, a) + b).min(axis=0).tolist()


def from_signature(values: list[int] | np.ndarray) -> LeanMinHash:
    """A MinHash rebuilt from stored hash values (for LSH queries and Jaccard estimates)."""
    return LeanMinHash(seed=MINHASH_SEED, hashvalues=np.asarray(values, dtype=np.uint64), scheme=MINHASH_SCHEME)
