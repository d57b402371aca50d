# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""The hand pen's wobbly lines and circles and the text of point lists, compiled: the fast paths of
``sketch_glyphs.Pen.wobble``, ``Pen.polyline``, ``Pen.circle`` and ``sketch_glyphs.fmt_points``.

The arithmetic of the plain Python methods (their test oracles), term for term and in the same
order, in C doubles instead of Python floats and tuples: the same doubles come out, so the SVG
text is the same. Lengths are taken by Python's ``math.hypot`` (its own algorithm, which the C
library's ``hypot`` need not match to the last bit), sines and cosines by the C library's, which
is what ``math.sin`` and ``math.cos`` call. Random numbers come from the pen's own methods, called
in the order and with the counts the Python methods call them, so the generator moves the same
way. Numbers are written by the rule of ``sketch_glyphs.fmt_many`` (``sketch_pencil_points``'
buffer). A hand-style glyph or line is a few hundred such calls a sketch; in Python they were
about a fifth of its drawing time.
"""

import math

from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.unicode cimport PyUnicode_DecodeASCII
from libc.math cimport cos, fabs, rint, sin

from twinforge.renderers.sketch_pencil_points cimport Buffer, append_number, append_text

_hypot = math.hypot
cdef double PI = math.pi


cdef struct _Line:
    double* x
    double* y
    Py_ssize_t count


cdef int _allocate(_Line* line, Py_ssize_t count) except -1:
    """Room for ``count`` points (at least one) in ``line``, none written yet; freed by :func:`_release`."""
    line.x = <double*>PyMem_Malloc(max(count, 1) * sizeof(double))
    line.y = <double*>PyMem_Malloc(max(count, 1) * sizeof(double))
    line.count = 0
    if line.x == NULL or line.y == NULL:
        _release(line)
        raise MemoryError()
    return 0


cdef void _release(_Line* line) noexcept:
    """Free ``line``'s points (either may be NULL) and leave it empty."""
    PyMem_Free(line.x)
    PyMem_Free(line.y)
    line.x, line.y, line.count = NULL, NULL, 0


cdef class Writer:
    """Writes path numbers as ``sketch_glyphs.fmt`` does: ``tenths`` are ``sketch_glyphs.tenths_texts()``,
    ``limit`` its ``TENTHS_LIMIT`` and ``near_half`` its ``NEAR_HALF``; ``fmt`` writes the rest."""

    cdef tuple tenths
    cdef object fmt
    cdef double limit
    cdef double near_half

    def __init__(self, tuple tenths, fmt, long long limit, double near_half):
        if len(tenths) != 2 * limit:
            raise ValueError(f"expected {2 * limit} texts of tenths, got {len(tenths)}")
        self.tenths, self.fmt, self.limit, self.near_half = tenths, fmt, <double>limit, near_half

    def points_text(self, points):
        """``sketch_glyphs.fmt_points``: ``x y`` pairs joined by ``L``."""
        cdef Py_ssize_t count = len(points), k
        cdef _Line line
        _allocate(&line, count)
        try:
            for k in range(count):
                line.x[k], line.y[k] = points[k]
            line.count = count
            return self._text(&line, b"")
        finally:
            _release(&line)

    def circle_text(self, double cx, double cy, double radius, double start, double step, list noise):
        """``Pen.circle``'s path data in the hand style: ``M`` and one point per ``noise`` draw, the
        ``k``-th at angle ``start + k * step`` and radius ``radius * (1 + noise[k])``."""
        cdef Py_ssize_t count = len(noise), k
        cdef double r, angle
        cdef _Line line
        _allocate(&line, count)
        try:
            for k in range(count):
                r = radius * (1 + <double>noise[k])
                angle = start + <double>k * step
                line.x[k], line.y[k] = cx + r * cos(angle), cy + r * sin(angle)
            line.count = count
            return self._text(&line, b"M")
        finally:
            _release(&line)

    def wobble_text(self, list points, bint closed, pen, double bow):
        """``Pen.polyline`` in the hand style: ``M`` and the points of :func:`wobble`."""
        cdef _Line line = _wobble(points, closed, pen, bow)
        try:
            return self._text(&line, b"M")
        finally:
            _release(&line)

    def lettering(self, Py_ssize_t count, double font_size, pen, double drop, double tilt, double rise,
                  double shift):
        """``sketch_pencil.lettering``'s ``dx``, ``dy`` and ``rotate`` texts for ``count`` characters
        (``tilt``, ``rise`` and ``shift`` are ``sketch_text``'s ``HAND_TILT``, ``HAND_RISE`` and
        ``HAND_SHIFT``), with the same draws. Numbers are rounded to tenths as Python's ``round``
        does (a whole number of tenths over ten, or ``round`` itself near a half) and the shifts
        summed by Python's ``sum``."""
        if count < 1:
            raise IndexError("lettering needs at least one character")
        cdef list turns = pen.normals(count, tilt / 2)
        cdef list rises = pen.normals(count, rise / 2)
        cdef double limit = shift * font_size
        cdef list shifts = pen.normals(count, limit / 2)
        cdef Py_ssize_t k
        cdef double value, last
        cdef double* rounded_rises = <double*>PyMem_Malloc(count * sizeof(double))
        cdef double* rounded_shifts = <double*>PyMem_Malloc(count * sizeof(double))
        cdef Buffer buffer
        buffer.data = <char*>PyMem_Malloc(256)
        buffer.capacity, buffer.size = 256, 0
        try:
            if rounded_rises == NULL or rounded_shifts == NULL or buffer.data == NULL:
                raise MemoryError()
            for k in range(count):
                rounded_rises[k] = self._tenths(_clipped(<double>rises[k], rise) * font_size)
                rounded_shifts[k] = self._tenths(_clipped(<double>shifts[k], limit))
            rounded_shifts[0] = 0.0
            if count > 1:
                last = self._tenths(-<double>sum([rounded_shifts[k] for k in range(count - 1)]))
                rounded_shifts[count - 1] = last
                if fabs(last) > limit:
                    for k in range(count):
                        rounded_shifts[k] = 0.0
            for k in range(count):
                if k:
                    append_text(&buffer, b" ", 1)
                append_number(&buffer, rounded_shifts[k], self.tenths, self.fmt, self.limit, self.near_half)
            dx = PyUnicode_DecodeASCII(buffer.data, buffer.size, NULL)
            buffer.size = 0
            for k in range(count):
                if k:
                    append_text(&buffer, b" ", 1)
                value = rounded_rises[0] + drop if k == 0 else rounded_rises[k] - rounded_rises[k - 1]
                append_number(&buffer, value, self.tenths, self.fmt, self.limit, self.near_half)
            dy = PyUnicode_DecodeASCII(buffer.data, buffer.size, NULL)
        finally:
            PyMem_Free(rounded_rises)
            PyMem_Free(rounded_shifts)
            PyMem_Free(buffer.data)
        rotate = " ".join([str(<long long>rint(_clipped(<double>turn, tilt))) for turn in turns])
        return dx, dy, rotate

    cdef double _tenths(self, double value) except? -1.0:
        """``round(value, 1)``: ``k / 10`` for the whole number ``k`` of tenths nearest ``value`` when
        it is surely that one (``fmt_many``'s rule), else Python's ``round``."""
        cdef double scaled = value * 10, nearest = rint(scaled)
        if fabs(scaled - nearest) < self.near_half and fabs(nearest) < self.limit:
            return nearest / 10
        return round(value, 1)

    cdef str _text(self, _Line* line, const char* lead):
        """``lead`` (``M`` or nothing) and the line's points as ``x y`` pairs joined by ``L``."""
        cdef Py_ssize_t k
        cdef Buffer buffer
        buffer.data = <char*>PyMem_Malloc(256)
        if buffer.data == NULL:
            raise MemoryError()
        buffer.capacity, buffer.size = 256, 0
        try:
            if lead[0] != 0:
                append_text(&buffer, lead, 1)
            for k in range(line.count):
                if k:
                    append_text(&buffer, b"L", 1)
                append_number(&buffer, line.x[k], self.tenths, self.fmt, self.limit, self.near_half)
                append_text(&buffer, b" ", 1)
                append_number(&buffer, line.y[k], self.tenths, self.fmt, self.limit, self.near_half)
            return PyUnicode_DecodeASCII(buffer.data, buffer.size, NULL)
        finally:
            PyMem_Free(buffer.data)


cdef inline double _clipped(double value, double limit) noexcept:
    """``value`` clipped to [-``limit``, ``limit``] as ``sketch_pencil._clipped`` does."""
    return limit if value > limit else (-limit if value < -limit else value)


def wobble(list points, bint closed, pen, double bow):
    """``Pen.wobble``: the corners jittered, long strokes bowed (at most ``bow`` of their length) and
    bent, the ends overshot (or the closing corner), as a list of (x, y)."""
    cdef _Line line = _wobble(points, closed, pen, bow)
    try:
        return [(line.x[k], line.y[k]) for k in range(line.count)]
    finally:
        _release(&line)


cdef _Line _wobble(list points, bint closed, pen, double bow_limit) except *:
    """The points of ``Pen.wobble`` (the caller frees them), drawing from ``pen`` as it does."""
    cdef Py_ssize_t count = len(points), k, i, at, pieces, total
    cdef double ax, ay, bx, by, dx, dy, length, nx, ny, bow, offset, ex, ey, ix, iy, norm, grow, u
    cdef list noise, bends
    cdef _Line line
    if count < 2:
        raise IndexError(f"a wobbly line needs at least two points, got {count}")
    cdef double* corner_x = <double*>PyMem_Malloc(count * sizeof(double))
    cdef double* corner_y = <double*>PyMem_Malloc(count * sizeof(double))
    cdef Py_ssize_t* pieces_of = <Py_ssize_t*>PyMem_Malloc(count * sizeof(Py_ssize_t))
    cdef double* lengths = <double*>PyMem_Malloc(count * sizeof(double))
    line.x, line.y, line.count = NULL, NULL, 0
    try:
        if corner_x == NULL or corner_y == NULL or pieces_of == NULL or lengths == NULL:
            raise MemoryError()
        noise = pen.normals(2 * count, 0.45)
        for k in range(count):
            ax, ay = points[k]
            corner_x[k], corner_y[k] = ax + <double>noise[2 * k], ay + <double>noise[2 * k + 1]
        if closed:
            corner_x[count - 1], corner_y[count - 1] = corner_x[0], corner_y[0]
        total = count + 1
        for k in range(count - 1):
            length = _hypot(corner_x[k + 1] - corner_x[k], corner_y[k + 1] - corner_y[k])
            if 1e-9 > length:  # max(hypot, 1e-9): the hypot unless 1e-9 is greater
                length = 1e-9
            lengths[k] = length
            pieces_of[k] = <Py_ssize_t>(length / 14)
            if pieces_of[k] > 1:
                total += pieces_of[k] - 1
        _allocate(&line, total)
        line.x[0], line.y[0] = corner_x[0], corner_y[0]
        at = 1
        for k in range(count - 1):
            ax, ay, bx, by = corner_x[k], corner_y[k], corner_x[k + 1], corner_y[k + 1]
            dx, dy = bx - ax, by - ay
            length, pieces = lengths[k], pieces_of[k]
            if pieces > 1:
                nx, ny = -dy / length, dx / length
                bow = <double>pen.normal(bow_limit / 2)
                bow = bow if bow < bow_limit else bow_limit
                bow = bow if bow > -bow_limit else -bow_limit
                bow = bow * length
                bends = pen.normals(pieces - 1, 0.5)
                for i in range(1, pieces):
                    offset = <double>bends[i - 1] + bow * sin(PI * <double>i / <double>pieces)
                    line.x[at] = ax + dx * <double>i / <double>pieces + nx * offset
                    line.y[at] = ay + dy * <double>i / <double>pieces + ny * offset
                    at += 1
            line.x[at], line.y[at] = bx, by
            at += 1
        if closed:
            u = <double>pen.uniform(0.05, 0.3)
            line.x[at] = line.x[0] + (line.x[1] - line.x[0]) * u
            line.y[at] = line.y[0] + (line.y[1] - line.y[0]) * u
            line.count = at + 1
            return line
        line.count = at
        for k, i in ((0, 1), (at - 1, at - 2)):
            ex, ey, ix, iy = line.x[k], line.y[k], line.x[i], line.y[i]
            norm = _hypot(ex - ix, ey - iy)
            if norm > 1e-9:
                grow = <double>pen.uniform(0.0, 1.5) / norm
                line.x[k], line.y[k] = ex + (ex - ix) * grow, ey + (ey - iy) * grow
        return line
    except BaseException:
        _release(&line)
        raise
    finally:
        PyMem_Free(corner_x)
        PyMem_Free(corner_y)
        PyMem_Free(pieces_of)
        PyMem_Free(lengths)
