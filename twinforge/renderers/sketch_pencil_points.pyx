# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""The outlines of a batch of pencil lines, compiled: the fast paths of ``sketch_pencil.outline_points``
and ``sketch_pencil.outline_texts``.

The arithmetic of ``sketch_pencil.outline_points_numpy`` (its test oracle), term for term and in the
same order, one point at a time in C instead of some forty numpy operations over all points: the
same doubles come out, so the SVG text is the same. Lengths and corner normals are taken by
Python's ``math.hypot`` (its own algorithm, which the C library's ``hypot`` need not match to the
last bit), sines by the C library's ``sin``, which is what ``math.sin`` calls. About 0.1 ms for a
hand-style sketch's seventy lines; numpy took 0.6.

The outline text is written into one C buffer per outline from the texts of whole tenths, each
number by the rule of ``sketch_glyphs.fmt_many`` (``sketch_pencil.outline_texts_python`` is its
oracle).
"""

import math

import numpy as np

from cpython.mem cimport PyMem_Free, PyMem_Malloc, PyMem_Realloc
from cpython.unicode cimport PyUnicode_DecodeASCII
from libc.math cimport ceil, fabs, rint, sin
from libc.stdlib cimport strtod
from libc.string cimport memcpy


cdef extern from "Python.h":
    const char* PyUnicode_AsUTF8AndSize(object text, Py_ssize_t* size) except NULL

_hypot = math.hypot


def outline_points(list lines, double step_px, double max_points, double taper_px):
    """Outline x and y (one outline after the other) and the point count of each outline of ``lines``
    (ticket, points, press, wave, phase): left side, far end, right side back, as the numpy path
    orders them; ``step_px``, ``max_points`` and ``taper_px`` are ``sketch_pencil``'s ``STEP``,
    ``MAX_POINTS`` and ``TAPER``."""
    cdef Py_ssize_t count = len(lines), line_index, segment_count = 0
    for line_index in range(count):
        segment_count += max(len(lines[line_index][1]) - 1, 0)
    # The kept segments of every line, one line after the other: start, direction, length, and the
    # length of the line before the segment; per line its first segment, segment count, length and step.
    cdef double* segments = <double*>PyMem_Malloc(max(segment_count, 1) * 6 * sizeof(double))
    cdef Py_ssize_t* line_first = <Py_ssize_t*>PyMem_Malloc(max(count, 1) * 2 * sizeof(Py_ssize_t))
    cdef double* line_total = <double*>PyMem_Malloc(max(count, 1) * 2 * sizeof(double))
    try:
        if segments == NULL or line_first == NULL or line_total == NULL:
            raise MemoryError()
        around = np.empty(count, dtype=np.int64)
        return _outline_points(lines, step_px, max_points, taper_px, segments, line_first, line_total, around)
    finally:
        PyMem_Free(segments)
        PyMem_Free(line_first)
        PyMem_Free(line_total)


cdef tuple _outline_points(list lines, double step_px, double max_points, double taper_px, double* segments,
                           Py_ssize_t* line_first, double* line_total, around):
    """:func:`outline_points` in the buffers it allocates (``segments``: six doubles a segment;
    ``line_first``: first segment and segment count a line; ``line_total``: length and step a line)."""
    cdef Py_ssize_t count = len(lines), line_index, n, i, k, pieces, at = 0, left, right, size
    cdef Py_ssize_t kept = 0, segment, per_line, total_points = 0
    cdef double x0 = 0.0, y0 = 0.0, dx = 0.0, dy = 0.0, length, total, step, taper, press, wave, phase
    cdef double ux = 0.0, uy = 0.0, prev_ux = 0.0, prev_uy = 0.0, mean_x, mean_y, norm, corner_x, corner_y
    cdef double along, s, end, swell, half, x, y, off_x, off_y, cap_half, cap_x, cap_y
    cdef bint first_kept
    cdef list points
    cdef double* seg
    cdef long long[::1] around_view = around
    # First pass: the kept segments of every line and its resampled point count, to size the output.
    for line_index in range(count):
        points = lines[line_index][1]
        line_first[2 * line_index] = kept
        total = 0.0
        n = len(points)
        for i in range(n - 1):
            x0, y0 = points[i]
            x, y = points[i + 1]
            dx, dy = x - x0, y - y0
            length = _hypot(dx, dy)
            if length > 1e-9:
                seg = segments + 6 * kept
                seg[0], seg[1], seg[2], seg[3], seg[4], seg[5] = x0, y0, dx, dy, length, total
                kept += 1
                total = total + length
        line_first[2 * line_index + 1] = kept - line_first[2 * line_index]
        step = max_points_step(total, step_px, max_points)
        line_total[2 * line_index], line_total[2 * line_index + 1] = total, step
        per_line = 0
        for segment in range(line_first[2 * line_index], kept):
            per_line += <Py_ssize_t>ceil(segments[6 * segment + 4] / step)
        around_view[line_index] = 2 * per_line + 2
        total_points += 2 * per_line + 2
    xs = np.empty(total_points)
    ys = np.empty(total_points)
    cdef double[::1] out_x = xs, out_y = ys
    for line_index in range(count):
        total, step = line_total[2 * line_index], line_total[2 * line_index + 1]
        entry = lines[line_index]
        press, wave, phase = entry[2], entry[3], entry[4]
        taper = total / 3 if total / 3 < taper_px else taper_px
        size = (around_view[line_index] - 2) // 2
        left = at
        right = at + 2 * size + 1
        first_kept = True
        for segment in range(line_first[2 * line_index], line_first[2 * line_index] + line_first[2 * line_index + 1]):
            seg = segments + 6 * segment
            x0, y0, dx, dy, length, along = seg[0], seg[1], seg[2], seg[3], seg[4], seg[5]
            ux, uy = dx / length, dy / length
            corner_x, corner_y = -uy, ux
            if not first_kept:  # the mean normal at a corner (a line's first point has none)
                mean_x, mean_y = prev_ux + ux, prev_uy + uy
                norm = _hypot(mean_x, mean_y)
                if norm >= 1e-6:
                    corner_x, corner_y = -mean_y / norm, mean_x / norm
            pieces = <Py_ssize_t>ceil(length / step)
            for k in range(pieces):
                s = along + length * <double>k / <double>pieces
                end = total - s
                swell = 0.3 + 0.7 * (s if s <= end else end) / taper
                half = press * (1.0 + 0.3 * sin(wave * s + phase)) * (swell if swell < 1.0 else 1.0)
                x = x0 + dx * <double>k / <double>pieces
                y = y0 + dy * <double>k / <double>pieces
                if k == 0:
                    off_x, off_y = corner_x * half, corner_y * half
                else:
                    off_x, off_y = -uy * half, ux * half
                out_x[left], out_y[left] = x + off_x, y + off_y
                out_x[right], out_y[right] = x - off_x, y - off_y
                left += 1
                right -= 1
            prev_ux, prev_uy = ux, uy
            first_kept = False
        cap_x, cap_y = x0 + dx, y0 + dy
        cap_half = press * (1.0 + 0.3 * sin(wave * total + phase)) * 0.3
        out_x[left], out_y[left] = cap_x - uy * cap_half, cap_y + ux * cap_half
        out_x[left + 1], out_y[left + 1] = cap_x + uy * cap_half, cap_y - ux * cap_half
        at += 2 * size + 2
    return xs, ys, around


cdef inline double max_points_step(double total, double step_px, double max_points):
    """The resampling step of a line ``total`` px long: ``max(step_px, total / max_points)``."""
    cdef double coarse = total / max_points
    return coarse if coarse > step_px else step_px


cdef int append_text(Buffer* buffer, const char* text, Py_ssize_t length) except -1:
    """Append ``length`` bytes of ``text``, growing the buffer when needed."""
    cdef char* grown
    if buffer.size + length > buffer.capacity:
        grown = <char*>PyMem_Realloc(buffer.data, 2 * (buffer.size + length))
        if grown == NULL:
            raise MemoryError()
        buffer.data, buffer.capacity = grown, 2 * (buffer.size + length)
    memcpy(buffer.data + buffer.size, text, length)
    buffer.size += length
    return 0


cdef int append_number(Buffer* buffer, double value, tuple tenths, object fmt, double limit,
                       double near_half) except -1:
    """Append ``value`` as ``fmt`` writes it: looked up among the whole tenths when it is surely one of
    them (its tenths no nearer a half than ``near_half``)."""
    cdef double scaled = value * 10, nearest = rint(scaled)
    cdef Py_ssize_t length
    cdef const char* text
    if fabs(scaled - nearest) < near_half and fabs(nearest) < limit:
        number = tenths[<Py_ssize_t>nearest + <Py_ssize_t>limit]
    else:
        number = fmt(value)
    text = PyUnicode_AsUTF8AndSize(number, &length)
    return append_text(buffer, text, length)


def outline_texts(const double[::1] xs, const double[::1] ys, const long long[::1] around, tuple tenths,
                  fmt, long long limit, double near_half):
    """Path data ``M x y L x y ... Z`` of each outline (``around`` points each, one after the other in
    ``xs`` and ``ys``), each number as ``fmt`` writes it; ``tenths`` are ``sketch_glyphs.tenths_texts()``,
    ``limit`` its ``TENTHS_LIMIT`` and ``near_half`` its ``NEAR_HALF``."""
    if xs.shape[0] != ys.shape[0]:
        raise ValueError(f"expected as many x as y, got {xs.shape[0]} and {ys.shape[0]}")
    if len(tenths) != 2 * limit:
        raise ValueError(f"expected {2 * limit} texts of tenths, got {len(tenths)}")
    cdef Py_ssize_t line, k, at = 0, count
    cdef Buffer buffer
    texts = []
    buffer.data = <char*>PyMem_Malloc(1024)
    if buffer.data == NULL:
        raise MemoryError()
    buffer.capacity = 1024
    try:
        for line in range(around.shape[0]):
            count = around[line]
            if at + count > xs.shape[0]:
                raise ValueError("the outlines hold more points than given")
            buffer.size = 0
            append_text(&buffer, b"M", 1)
            for k in range(at, at + count):
                if k > at:
                    append_text(&buffer, b"L", 1)
                append_number(&buffer, xs[k], tenths, fmt, <double>limit, near_half)
                append_text(&buffer, b" ", 1)
                append_number(&buffer, ys[k], tenths, fmt, <double>limit, near_half)
            append_text(&buffer, b"Z", 1)
            texts.append(PyUnicode_DecodeASCII(buffer.data, buffer.size, NULL))
            at += count
    finally:
        PyMem_Free(buffer.data)
    return texts


cdef inline bint _ends_number(char c) noexcept:
    return c == b' ' or c == b'L' or c == b'M' or c == 0


def drawn_lines(str d):
    """``sketch_pencil.drawn_lines_python``: the point lists of the ``M``/``L`` path data ``d`` that
    have a segment longer than 1e-9 px, or None when ``d`` holds anything but ``M``, ``L``, spaces
    and plain decimal numbers (the Python path then reads it).

    A number is read by the C library's ``strtod``, which rounds correctly as Python's ``float``
    does, so the points are the same doubles.
    """
    cdef Py_ssize_t size, i = 0, k
    cdef const char* text = PyUnicode_AsUTF8AndSize(d, &size)
    cdef const char* c
    cdef char* end
    cdef double value, pending = 0.0, last_x = 0.0, last_y = 0.0
    cdef bint has_pending = False, drawn = False
    cdef list lines = [], points = None
    while i < size and text[i] != b'M':
        i += 1
    while i < size:
        c = text + i
        if c[0] == b'M':
            if points is not None and drawn:
                lines.append(points)
            points, has_pending, drawn = [], False, False
            i += 1
        elif c[0] == b' ' or c[0] == b'L':
            i += 1
        elif c[0] == b'-' or c[0] == b'.' or (b'0' <= c[0] <= b'9'):
            value = strtod(c, &end)
            if end == c or not _ends_number(end[0]):
                return None
            for k in range(end - c):
                if not (c[k] == b'-' or c[k] == b'.' or (b'0' <= c[k] <= b'9')):
                    return None
            i += end - c
            if not has_pending:
                pending, has_pending = value, True
                continue
            if points and not drawn:
                drawn = _hypot(pending - last_x, value - last_y) > 1e-9
            points.append((pending, value))
            last_x, last_y = pending, value
            has_pending = False
        else:
            return None
    if points is not None and drawn:
        lines.append(points)
    return lines
