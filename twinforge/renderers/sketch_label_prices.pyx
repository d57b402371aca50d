# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""The spots of label search steps and their prices, compiled: the fast path of ``sketch_label_search._steps``.

For each label: its candidate spots around its glyph, the rectangle around them, and the spots
that keep off every glyph and mark, cheapest first (line cover, arrow tips, ambiguity, ring and
order of preference). The arithmetic is that of ``sketch_label_search._steps_numpy`` (its test
oracle), term for term and in the same order, one spot at a time in C instead of some sixty numpy
operations on arrays of a few dozen elements: the same doubles and the same order come out, so
the placements are the same. Distances use the C library's ``hypot``, which is what ``np.hypot``
calls. Line samples are looked up in the ``BUCKET`` squares around each label, as the numpy path
does. Its pads, square size and prices are ``sketch_label_search``'s, passed in as ``rules``.
About 0.14 ms for a gdt120k sketch's label search steps; numpy took 0.77.
"""

import numpy as np

from libc.math cimport floor, hypot, INFINITY


cdef struct _Rules:
    double edge
    double line_pad
    double tip_pad
    double near_pad
    double bucket
    double ambiguity_price
    double line_cap
    double tip_price


cdef _Rules _rules(tuple rules) except *:
    """The ``sketch_label_search.PRICE_RULES`` tuple as a C struct."""
    if len(rules) != 8:
        raise ValueError(f"expected 8 rules (edge, pads, bucket and prices), got {len(rules)}")
    cdef _Rules unpacked
    (unpacked.edge, unpacked.line_pad, unpacked.tip_pad, unpacked.near_pad, unpacked.bucket,
     unpacked.ambiguity_price, unpacked.line_cap, unpacked.tip_price) = rules
    return unpacked


cdef inline long long _bucket(double value, double bucket, long long last) noexcept:
    """The ``bucket`` square index of a coordinate, clipped to 0..``last`` (``sketch_label_search._buckets``)."""
    cdef double square = floor(value / bucket)
    if square < 0:
        square = 0
    if square > last:
        return last
    return <long long>square


cdef inline Py_ssize_t _search(const long long[::1] keys, long long key, bint right) noexcept:
    """``np.searchsorted(keys, key, side="right" if right else "left")``."""
    cdef Py_ssize_t low = 0, high = keys.shape[0], middle
    while low < high:
        middle = (low + high) // 2
        if keys[middle] < key or (right and keys[middle] == key):
            low = middle + 1
        else:
            high = middle
    return low


cdef inline double _distance(double bx0, double by0, double bx1, double by1, double x, double y) noexcept:
    """Distance from a box to a point, 0 inside (``sketch_label_search._distances``)."""
    cdef double dx = bx0 - x if bx0 - x > x - bx1 else x - bx1
    cdef double dy = by0 - y if by0 - y > y - by1 else y - by1
    if not dx > 0.0:
        dx = 0.0
    if not dy > 0.0:
        dy = 0.0
    return hypot(dx, dy)


def price_steps(const double[:, ::1] glyphs, const double[:, ::1] blocks, const double[:, ::1] centres,
                const double[:, ::1] points, const long long[::1] bucket_order, const long long[::1] bucket_keys,
                long long columns, const double[:, ::1] tips, long long width, long long height,
                const long long[::1] labels, const double[:, ::1] dims, tuple rings,
                const double[::1] ring_price, const double[::1] order_price,
                const long long[::1] pattern_x, const long long[::1] pattern_y, tuple rules):
    """Spot centres (labels, spots, 2) and boxes (labels, spots, 4), each label's region (x0, y0,
    x1, y1) and its ranked free spots, for glyph ``labels`` with label box sizes ``dims`` (w, h)
    in ring group ``rings``; the spot pattern, fixed prices and ``rules`` (edge, line, tip and near
    pads, square size, ambiguity price, line cap, tip price) are ``sketch_label_search``'s."""
    cdef _Rules rule = _rules(rules)
    cdef Py_ssize_t count = labels.shape[0], spots = pattern_x.shape[0], ring_count = len(rings)
    if spots > 24 or ring_count > 2 or pattern_y.shape[0] != spots:
        raise ValueError(f"expected at most 24 spots in at most 2 rings, got {spots} spots in {ring_count} rings")
    cdef Py_ssize_t positions = 5 * ring_count, row, spot, r, other, index, k, start, stop, found_count
    cdef long long glyph, first, last, top, bottom, bucket_row, last_column, last_row
    cdef double x0, y0, x1, y1, cx, cy, w, h, half_w, half_h, d, below, above, low_x, high_x, low_y, high_y
    cdef double rx0, ry0, rx1, ry1, px0, py0, px1, py1, x, y, sum_weight, reach, own_max
    cdef double bx0, by0, bx1, by1, left, right, upper, lower
    cdef int tip_count
    cdef double across[10]
    cdef double down[10]
    cdef double own[24]
    cdef double prices[24]
    cdef bint clear[24]
    centres_out = np.empty((count, spots, 2))
    boxes_out = np.empty((count, spots, 4))
    cdef double[:, :, ::1] spot_centres = centres_out, boxes = boxes_out
    found_buffer = np.empty(max(points.shape[0], 1), dtype=np.int64)
    cdef long long[::1] found = found_buffer
    cdef Py_ssize_t glyph_count = glyphs.shape[0], block_count = blocks.shape[0], tip_total = tips.shape[0]
    last_column = <long long>floor(width / rule.bucket)
    last_row = <long long>floor(height / rule.bucket)
    regions = []
    ranked = []
    for row in range(count):
        glyph = labels[row]
        x0, y0, x1, y1 = glyphs[glyph, 0], glyphs[glyph, 1], glyphs[glyph, 2], glyphs[glyph, 3]
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        w, h = dims[row, 0], dims[row, 1]
        half_w, half_h = w / 2, h / 2
        for r in range(ring_count):
            d = 2.0 + <double>(<long long>rings[r]) * (h * 0.9)
            below, above = y1 + d + half_h, y0 - d - half_h
            across[5 * r], across[5 * r + 1], across[5 * r + 2] = cx, x0 + half_w, x1 - half_w
            across[5 * r + 3], across[5 * r + 4] = x1 + d + half_w, x0 - d - half_w
            down[5 * r], down[5 * r + 1], down[5 * r + 2] = below, above, cy
            down[5 * r + 3], down[5 * r + 4] = below - half_h, above + half_h
        low_x, high_x = rule.edge + half_w, width - rule.edge - half_w
        low_y, high_y = rule.edge + half_h, height - rule.edge - half_h
        for k in range(positions):
            if not across[k] >= low_x:
                across[k] = low_x
            if not across[k] <= high_x:
                across[k] = high_x
            if not down[k] >= low_y:
                down[k] = low_y
            if not down[k] <= high_y:
                down[k] = high_y
        for spot in range(spots):
            x, y = across[pattern_x[spot]], down[pattern_y[spot]]
            spot_centres[row, spot, 0], spot_centres[row, spot, 1] = x, y
            boxes[row, spot, 0], boxes[row, spot, 1] = x - half_w, y - half_h
            boxes[row, spot, 2], boxes[row, spot, 3] = x + half_w, y + half_h
        rx0, ry0, rx1, ry1 = boxes[row, 0, 0], boxes[row, 0, 1], boxes[row, 0, 2], boxes[row, 0, 3]
        for spot in range(1, spots):
            if boxes[row, spot, 0] < rx0:
                rx0 = boxes[row, spot, 0]
            if boxes[row, spot, 1] < ry0:
                ry0 = boxes[row, spot, 1]
            if boxes[row, spot, 2] > rx1:
                rx1 = boxes[row, spot, 2]
            if boxes[row, spot, 3] > ry1:
                ry1 = boxes[row, spot, 3]
        regions.append((rx0, ry0, rx1, ry1))
        # The line samples near the region (_Canvas.near): those that can lie under a spot.
        px0, py0, px1, py1 = rx0 - rule.near_pad, ry0 - rule.near_pad, rx1 + rule.near_pad, ry1 + rule.near_pad
        first, last = _bucket(px0, rule.bucket, last_column), _bucket(px1, rule.bucket, last_column)
        top, bottom = _bucket(py0, rule.bucket, last_row), _bucket(py1, rule.bucket, last_row)
        found_count = 0
        for bucket_row in range(top, bottom + 1):
            start = _search(bucket_keys, bucket_row * columns + first, False)
            stop = _search(bucket_keys, bucket_row * columns + last, True)
            for k in range(start, stop):
                index = bucket_order[k]
                x, y = points[index, 0], points[index, 1]
                if x > px0 and x < px1 and y > py0 and y < py1:
                    found[found_count] = index
                    found_count += 1
        own_max = -INFINITY
        for spot in range(spots):
            bx0, by0, bx1, by1 = boxes[row, spot, 0], boxes[row, spot, 1], boxes[row, spot, 2], boxes[row, spot, 3]
            clear[spot] = True
            for other in range(block_count):
                if bx0 < blocks[other, 2] and blocks[other, 0] < bx1 and by0 < blocks[other, 3] and blocks[other, 1] < by1:
                    clear[spot] = False
                    break
            left, right = bx0 + -rule.line_pad, bx1 + rule.line_pad
            upper, lower = by0 + -rule.line_pad, by1 + rule.line_pad
            sum_weight = 0.0
            for k in range(found_count):
                index = found[k]
                x, y = points[index, 0], points[index, 1]
                if x > left and x < right and y > upper and y < lower:
                    sum_weight += points[index, 2]
            tip_count = 0
            for other in range(tip_total):
                x, y = tips[other, 0], tips[other, 1]
                if x > bx0 + -rule.tip_pad and x < bx1 + rule.tip_pad and y > by0 + -rule.tip_pad and y < by1 + rule.tip_pad:
                    tip_count += 1
            prices[spot] = (2.0 * (sum_weight if sum_weight < rule.line_cap else rule.line_cap)) + rule.tip_price * tip_count
            if glyph_count >= 2:
                own[spot] = _distance(bx0, by0, bx1, by1, centres[glyph, 0], centres[glyph, 1])
                if own[spot] > own_max:
                    own_max = own[spot]
        if glyph_count >= 2:
            # Only glyphs within a spot's own distance (plus a margin) of the region can be nearer.
            reach = own_max + 2.0
            for spot in range(spots):
                prices[spot] = prices[spot] + _ambiguity(boxes, row, spot, centres, glyph, glyph_count,
                                                         rx0, ry0, rx1, ry1, reach, own[spot], rule.ambiguity_price)
        for spot in range(spots):
            prices[spot] = prices[spot] + ring_price[spot] + order_price[spot]
        price_of = [prices[spot] for spot in range(spots)]
        ranked.append(sorted([spot for spot in range(spots) if clear[spot]], key=price_of.__getitem__))
    return centres_out, boxes_out, regions, ranked


cdef inline double _ambiguity(double[:, :, ::1] boxes, Py_ssize_t row, Py_ssize_t spot, const double[:, ::1] centres,
                              long long glyph, Py_ssize_t glyph_count, double rx0, double ry0, double rx1, double ry1,
                              double reach, double own, double price) noexcept:
    """``price`` when another glyph near the region is nearer the spot than its own glyph (by over 1 px)."""
    cdef Py_ssize_t other
    cdef double x, y, gap, gap_y, dist, nearest = INFINITY
    for other in range(glyph_count):
        if other == glyph:
            continue
        x, y = centres[other, 0], centres[other, 1]
        gap = rx0 - x if rx0 - x > x - rx1 else x - rx1
        gap_y = ry0 - y if ry0 - y > y - ry1 else y - ry1
        if gap_y > gap:
            gap = gap_y
        if gap < reach:
            dist = _distance(boxes[row, spot, 0], boxes[row, spot, 1], boxes[row, spot, 2], boxes[row, spot, 3], x, y)
            if dist < nearest:
                nearest = dist
    return price if nearest + 1.0 < own else 0.0
