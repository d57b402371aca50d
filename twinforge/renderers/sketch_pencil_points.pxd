# The text buffer of ``sketch_pencil_points``, shared with the other compiled sketch routines that write
# path numbers (``sketch_pen_lines``).

cdef struct Buffer:
    char* data
    Py_ssize_t size
    Py_ssize_t capacity


cdef int append_text(Buffer* buffer, const char* text, Py_ssize_t length) except -1
cdef int append_number(Buffer* buffer, double value, tuple tenths, object fmt, double limit,
                       double near_half) except -1
