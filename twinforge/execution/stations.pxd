# Cython declarations of stations.py (compiled by setup.py; the .py runs unchanged without them):
# its classes become extension types with these attributes, read and written as C struct fields.
# The methods every item runs through are cpdef, so a call between stations is a C call through
# the type's method table instead of a Python attribute look-up and call. The stations keep no
# __dict__, so such a call need not look for a Python-level override first; Model (model.py, a
# Python subclass of Run) keeps its own attributes in its __dict__. The clock, timeouts and wake-ups
# of event_core are cimported: a station reads the time and schedules by C calls (event_core's own
# typed fast path for the lean core) instead of Python attribute look-ups on the untyped env.

cimport cython

from twinforge.execution.event_core cimport clock, timeout, waiter, wake

@cython.final
cdef class TaskExecuter:
    cdef public object name, position, waiting
    cdef public bint free
    cdef public double speed, busy

    cpdef release(self)

@cython.locals(te=TaskExecuter)
cpdef free_helper(list helpers)

cdef class Run:
    cdef public object env, rng, wip, items_out, window_out, cycle_count
    cdef public double horizon, warmup, wip_area, wip_since, cycle_sum

    cpdef double in_window(self, double start, double end)
    @cython.locals(now=double)
    cpdef change_wip(self, delta)
    cpdef new_item(self)
    @cython.locals(now=double)
    cpdef item_out(self, item)

cdef class Station:
    cdef public Run model
    cdef public object env, name, kind, position, outs, ins, helpers
    cdef public object transport, operated, route, pick, room_waiters
    cdef public long content
    cdef public double capacity, busy

    cpdef bint has_room(self, Station src)
    cpdef reserve(self, Station src)
    cpdef receive(self, item, Station src)
    cpdef wait_for_room(self, event)
    cpdef released(self)
    cpdef release(self)
    @cython.locals(dst=Station)
    cpdef bint try_send(self, item)
    @cython.locals(dst=Station)
    cpdef dispatch(self, item)
    @cython.locals(dst=Station)
    cpdef Station take_first_room(self)
    cpdef bint take_room(self, Station dst)
    cpdef deliver(self, item, Station dst, TaskExecuter te)
    @cython.locals(now=double)
    cpdef carry(self, TaskExecuter te, Station dst)
    @cython.locals(now=double)
    cpdef operate(self, TaskExecuter te, duration)

cdef class Inbox(Station):
    cdef public object inbox, idle, workers

    cpdef receive(self, item, Station src)
