# Cython declarations of event_core.py (compiled by setup.py; the .py runs unchanged without them):
# its classes become extension types with these attributes, read and written as C struct fields.

cdef class Event:
    cdef public object _ok, _value, callbacks, env

cdef class Process:
    cdef public object _ok, _value, env, resume, send

cdef class LeanEnvironment:
    cdef public double now
    cdef public list _queue
    cdef public object _eid, active, event
