# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""The ``affine32`` minimum of a text's shingle hashes, compiled: the fast path of ``minhash._minimum``.

For each permutation ``(a, b)``: the least ``a * h + b`` (wrapping in 32 bits) over the mixed
shingle hashes ``h``, in one pass that holds no ``(permutations, shingles)`` array;
``minhash._minimum_numpy`` computes the same values and is this routine's test oracle. Four
permutations share each pass over the hashes, as four independent minima (the CPU overlaps them).
"""

from libc.stdint cimport uint32_t

DEF LANES = 4


def affine_minimum(const uint32_t[::1] mixed, const uint32_t[::1] a, const uint32_t[::1] b, uint32_t[::1] out) -> None:
    """``out[i] = min(a[i] * h + b[i] for h in mixed)`` modulo 2**32 (0xFFFFFFFF if ``mixed`` is empty)."""
    if a.shape[0] != b.shape[0] or a.shape[0] != out.shape[0]:
        raise ValueError(f"expected as many a, b and out values, got {a.shape[0]}, {b.shape[0]}, {out.shape[0]}")
    cdef Py_ssize_t count = mixed.shape[0], permutations = a.shape[0], first = 0, lanes, lane, row
    cdef uint32_t factor[LANES]
    cdef uint32_t offset[LANES]
    cdef uint32_t least[LANES]
    cdef uint32_t hash_value, value
    with nogil:
        while first < permutations:
            lanes = min(LANES, permutations - first)
            for lane in range(LANES):
                factor[lane] = a[first + lane] if lane < lanes else 0
                offset[lane] = b[first + lane] if lane < lanes else 0
                least[lane] = 0xFFFFFFFF
            for row in range(count):
                hash_value = mixed[row]
                for lane in range(LANES):
                    value = factor[lane] * hash_value + offset[lane]
                    least[lane] = value if value < least[lane] else least[lane]
            for lane in range(lanes):
                out[first + lane] = least[lane]
            first += LANES
