"""MinHash signatures of a record's text (word shingles), stored with the record for dedup.

The signature is computed once per sample in the shard task (cheap, parallel) so that
``twinforge dedup`` only has to index the stored hash values with MinHash LSH.

A shingle's 32-bit hash is built from its tokens' hashes (``gram_hash``): each distinct token is
hashed once per process, and the hashes of every run of ``shingle_size`` tokens are combined with
whole-array integer arithmetic, so no shingle is ever joined into a string or hashed as text. The
values are datasketch's ``affine32`` MinHash with ``gram_hash`` as its hash function
(``tests/pipeline/test_minhash.py`` holds them to it); ``MINHASH_VERSION`` names the scheme.

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

try:  # the compiled minimum (setup.py builds it; without a C compiler the numpy path runs, same values)
    from twinforge.pipeline import minhash_minimum
except ImportError:
    minhash_minimum = None

MINHASH_SEED = 1
MINHASH_SCHEME = "affine32"
"""datasketch's permutation seed and hashing scheme: part of the signature's meaning, so pinned."""

MINHASH_VERSION = "2"
"""The shingle hash behind the stored values, recorded in each corpus's provenance (``minhash``):
unrecorded (up to 0.7.0) was SHA-1 of each shingle's text, datasketch's default; 2 is ``gram_hash``."""

_TOKEN = re.compile(r"\w+|[^\w\s]")
_ASCII_TOKEN = re.compile(r"\w+|[^\w\s\x1c-\x1f]", re.ASCII)
"""``_TOKEN`` for ASCII-only text, a quarter faster: ASCII ``\\w`` is the same there, and ASCII
``\\s`` lacks only the separators ``\\x1c``-``\\x1f``, which Unicode counts as whitespace."""

NO_SHINGLE = 0xFFFFFFFF
"""The value of a permutation over no shingle: every ``affine32`` hash value is at most this."""

_MULTIPLIER = 0x9E3779B97F4A7C15
"""The odd 64-bit factor of ``gram_hash``'s polynomial (2**64 over the golden ratio)."""
_MASK64 = (1 << 64) - 1
_MAX_CACHED_TOKENS = 1 << 18
"""Distinct tokens kept hashed per process (some 50 MB at most; a gdt120k corpus has far fewer)."""


def tokens(text: str) -> list[str]:
    """The words and punctuation marks of the lower-cased text, as shingles join them."""
    lowered = text.lower()
    return (_ASCII_TOKEN if lowered.isascii() else _TOKEN).findall(lowered)


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
    """Distinct word ``size``-grams of the lower-cased text (the whole text if it is shorter), each
    its tokens joined by single spaces: the plain statement of what a signature is a MinHash of."""
    words = tokens(text)
    if len(words) <= size:
        return {" ".join(words)}
    return set(map(" ".join, zip(*(words[start:] for start in range(size)))))


def token_hash(token: str) -> int:
    """A token's 64-bit hash: BLAKE2b of its UTF-8 bytes, 8 bytes read little-endian."""
    return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "little")


def _fmix64(value: int) -> int:
    """MurmurHash3's 64-bit finaliser (every input bit reaches every output bit)."""
    value ^= value >> 33
    value = (value * 0xFF51AFD7ED558CCD) & _MASK64
    value ^= value >> 33
    value = (value * 0xC4CEB9FE1A85EC53) & _MASK64
    return value ^ (value >> 33)


def gram_hash(gram: Sequence[str]) -> int:
    """A shingle's 32-bit hash: the polynomial of its tokens' hashes ``h``,
    ``len * M**len + h[0] * M**(len-1) + ... + h[-1]`` modulo 2**64 (so word order and length
    count), then MurmurHash3's 64-bit finaliser, of which the high 32 bits. The finaliser is needed:
    the polynomial's bits alone made Jaccard estimates of gdt120k pairs 0.045 too high on average.
    The plain definition; ``_gram_hashes`` computes it for all of a text's shingles at once."""
    value = len(gram)
    for token in gram:
        value = (value * _MULTIPLIER + token_hash(token)) & _MASK64
    return _fmix64(value) >> 32


class _TokenHashes(dict[str, bytes]):
    """``token_hash`` of each token met so far, as 8 little-endian bytes: tokens repeat heavily
    across samples, so each is hashed about once per process (forgotten past ``_MAX_CACHED_TOKENS``)."""

    def __missing__(self, token: str) -> bytes:
        if len(self) >= _MAX_CACHED_TOKENS:
            self.clear()
        value = self[token] = token_hash(token).to_bytes(8, "little")
        return value


_TOKEN_HASHES = _TokenHashes()


@functools.cache
def _powers(size: int) -> tuple[np.uint64, np.ndarray]:
    """``size * M**size`` and ``M**(size-1), ..., M**0`` modulo 2**64: ``gram_hash``'s polynomial."""
    powers = [pow(_MULTIPLIER, size - 1 - position, 1 << 64) for position in range(size)]
    return np.uint64(size * pow(_MULTIPLIER, size, 1 << 64) & _MASK64), np.array(powers, dtype=np.uint64)


def _fmix64_array(values: np.ndarray) -> np.ndarray:
    """``_fmix64`` of every ``uint64``, in place (numpy wraps the products modulo 2**64)."""
    shift = np.uint64(33)
    values ^= values >> shift
    values *= np.uint64(0xFF51AFD7ED558CCD)
    values ^= values >> shift
    values *= np.uint64(0xC4CEB9FE1A85EC53)
    values ^= values >> shift
    return values


def _gram_hashes(words: Sequence[str], size: int) -> np.ndarray:
    """``gram_hash`` of every run of ``size`` consecutive words (none if there are fewer), as
    ``uint32``: the tokens' hashes looked up once, then the polynomial over shifted slices."""
    count = len(words) - size + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint32)
    hashes = np.frombuffer(b"".join(map(_TOKEN_HASHES.__getitem__, words)), dtype="<u8")
    start, powers = _powers(size)
    values = np.full(count, start, dtype=np.uint64)
    for position, power in enumerate(powers):
        values += hashes[position:position + count] * power
    return (_fmix64_array(values) >> np.uint64(32)).astype(np.uint32)


def _text_gram_hashes(words: Sequence[str], size: int) -> np.ndarray:
    """The gram hashes of a whole text's words: its ``size``-grams, or all its words as one if fewer."""
    return _gram_hashes(words, min(size, len(words)))


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


def _minimum(hashes: np.ndarray, num_perm: int) -> np.ndarray:
    """datasketch's ``affine32`` values over the shingles' hashes (``NO_SHINGLE`` where there are
    none): MurmurHash3's 32-bit finaliser of each hash, then per permutation the least ``a * h + b``
    wrapping in ``uint32``. A repeated shingle needs no removing: it cannot change a minimum. The
    compiled ``minhash_minimum`` takes half numpy's time (0.05 against 0.11 ms for 1,350 shingles)."""
    if minhash_minimum is None:
        return _minimum_numpy(hashes, num_perm)
    a, b = _permutations(num_perm)
    values = np.empty(num_perm, dtype=np.uint32)
    minhash_minimum.affine_minimum(_fmix32(hashes), a, b, values)
    return values


def _minimum_numpy(hashes: np.ndarray, num_perm: int) -> np.ndarray:
    """``_minimum`` on the whole batch at once (one row of ``a * h + b`` per permutation, each
    row's minimum): the plain path, and the compiled routine's test oracle."""
    if not len(hashes):
        return np.full(num_perm, NO_SHINGLE, dtype=np.uint32)
    a, b = _permutations(num_perm)
    values = a[:, None] * _fmix32(hashes)
    values += b[:, None]
    return values.min(axis=1)


def signature(text: str, num_perm: int, shingle_size: int) -> list[int]:
    """The MinHash hash values of ``text`` as plain ints (a ``list<uint64>`` column)."""
    return _minimum(_text_gram_hashes(tokens(text), shingle_size), num_perm).tolist()


def part_signature(text: str, num_perm: int, shingle_size: int) -> list[int]:
    """The MinHash values of the shingles wholly inside ``text`` when it is one piece of a joined
    text (``NO_SHINGLE`` everywhere if it has fewer than ``shingle_size`` words)."""
    return _minimum(_gram_hashes(tokens(text), shingle_size), num_perm).tolist()


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
    before = list(itertools.chain.from_iterable(map(tokens, pieces[:inner])))
    after = list(itertools.chain.from_iterable(map(tokens, pieces[inner + 1:])))
    edge = shingle_size - 1
    hashes = _gram_hashes(before + [match.group() for match in head[:edge]], shingle_size)
    if after:
        hashes = np.concatenate([hashes, _gram_hashes(last_tokens(pieces[inner], edge) + after, shingle_size)])
    outer = _minimum(hashes, num_perm)
    return np.minimum(outer, np.asarray(inner_values, dtype=np.uint32)).tolist()


def from_signature(values: list[int] | np.ndarray) -> LeanMinHash:
    """A MinHash rebuilt from stored hash values (for LSH queries and Jaccard estimates)."""
    return LeanMinHash(seed=MINHASH_SEED, hashvalues=np.asarray(values, dtype=np.uint64), scheme=MINHASH_SCHEME)
