"""MinHash signatures of a record's text (word shingles), stored with the record for dedup.

The signature is computed once per sample in the shard task (cheap, parallel) so that
``twinforge dedup`` only has to index the stored hash values with MinHash LSH.

A MinHash is a minimum over shingles, so the signature of a joined text is the element-wise
minimum of the part over the shingles wholly inside one of its pieces (``part_signature``) and the
part over the others (``joined_signature``). The shard stores the first for the piece a family
declares as its ``dedup_part``, so a regeneration that keeps that piece hashes only the shingles
around it.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
from collections.abc import Sequence

import numpy as np
from datasketch import LeanMinHash, MinHash

MINHASH_SEED = 1
MINHASH_SCHEME = "affine32"
"""datasketch's permutation seed and hashing scheme: part of the signature's meaning, so pinned."""

_TOKEN = re.compile(r"\w+|[^\w\s]")


NO_SHINGLE = 0xFFFFFFFF
"""The value of a permutation over no shingle: every ``affine32`` hash value is at most this."""


def tokens(text: str) -> list[str]:
    """The words and punctuation marks of the lower-cased text, as shingles join them."""
    return _TOKEN.findall(text.lower())


def last_tokens(text: str, count: int) -> list[str]:
    """``tokens(text)[-count:]``, reading only as much of the end of ``text`` as they need.

    The end is cut just after a whitespace character: no token spans such a cut, and lower-casing
    (whose only context rule, the final sigma, does not look across whitespace) gives the same
    characters after it as in the whole text. A piece of code is about 3,600 characters; reading it
    whole for its last four words cost 0.13 ms a sample.
    """
    if count <= 0:
        return []
    window = 64
    while window < len(text):
        cut = len(text) - window
        while cut > 0 and not text[cut - 1].isspace():
            cut -= 1
        if cut == 0:
            break
        found = tokens(text[cut:])
        if len(found) >= count:
            return found[-count:]
        window *= 4
    return tokens(text)[-count:]


def shingles(text: str, size: int) -> set[str]:
    """Distinct word ``size``-grams of the lower-cased text (the whole text if it is shorter).

    A set: a MinHash is the minimum over its shingles, so their order cannot change a signature.
    Each gram is its tokens joined by single spaces (hashed as UTF-8, as datasketch is fed bytes).
    """
    words = tokens(text)
    if len(words) <= size:
        return {" ".join(words)}
    return _windows(words, size)


def _windows(words: Sequence[str], size: int) -> set[str]:
    """Every run of ``size`` consecutive words, joined by single spaces (none if there are fewer)."""
    return set(map(" ".join, zip(*(words[start:] for start in range(size)))))


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


def _minimum(grams: set[str], num_perm: int) -> np.ndarray:
    """datasketch's ``affine32`` values over ``grams`` (``NO_SHINGLE`` where there are none), done on
    the whole batch of hashes at once: the MurmurHash3 finaliser of each 32-bit hash, then
    ``a * h + b`` wrapping in ``uint32`` per permutation, and the minimum per permutation."""
    a, b = _permutations(num_perm)
    if not grams:
        return np.full(num_perm, NO_SHINGLE, dtype=np.uint32)
    return (np.multiply.outer(_fmix32(_hash32(grams)), a) + b).min(axis=0)


def signature(text: str, num_perm: int, shingle_size: int) -> list[int]:
    """The MinHash hash values of ``text`` as plain ints (a ``list<uint64>`` column), datasketch's
    own (``tests/pipeline/test_minhash.py`` holds it to them)."""
    return _minimum(shingles(text, shingle_size), num_perm).tolist()


def part_signature(text: str, num_perm: int, shingle_size: int) -> list[int]:
    """The MinHash values of the shingles wholly inside ``text`` when it is one piece of a joined
    text (``NO_SHINGLE`` everywhere if it has fewer than ``shingle_size`` words)."""
    return _minimum(_windows(tokens(text), shingle_size), num_perm).tolist()


def joined_signature(pieces: Sequence[str], inner: int, inner_values: Sequence[int], num_perm: int,
                     shingle_size: int) -> list[int]:
    """``signature("\\n".join(pieces), ...)``, given ``part_signature(pieces[inner], ...)``.

    Lower-casing and the word pattern never join across a newline, so the joined text's words are
    the pieces' words in turn: only the shingles that reach outside ``pieces[inner]`` are hashed,
    and of a long inner piece only its first and last ``shingle_size - 1`` words are read.
    """
    head = list(itertools.islice(_TOKEN.finditer(pieces[inner].lower()), shingle_size))
    if len(head) < shingle_size:
        return signature("\n".join(pieces), num_perm, shingle_size)
    before = [word for piece in pieces[:inner] for word in tokens(piece)]
    after = [word for piece in pieces[inner + 1:] for word in tokens(piece)]
    edge = shingle_size - 1
    grams = _windows(before + [match.group() for match in head[:edge]], shingle_size)
    if after:
        grams |= _windows(last_tokens(pieces[inner], edge) + after, shingle_size) if edge else _windows(after, 1)
    outer = _minimum(grams, num_perm)
    return np.minimum(outer, np.asarray(inner_values, dtype=np.uint32)).tolist()


def from_signature(values: list[int] | np.ndarray) -> LeanMinHash:
    """A MinHash rebuilt from stored hash values (for LSH queries and Jaccard estimates)."""
    return LeanMinHash(seed=MINHASH_SEED, hashvalues=np.asarray(values, dtype=np.uint64), scheme=MINHASH_SCHEME)
