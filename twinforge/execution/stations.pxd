# Cython declarations of stations.py (compiled by setup.py; the .py runs unchanged without them):
# its classes become extension types with these attributes, read and written as C struct fields;
# attributes not declared (Processor.workers, Model's own) live in __dict__.

cdef class TaskExecuter:
    cdef public object name, position, waiting, free
    cdef public double speed, busy

cdef class Run:
    cdef public object env, new_waiter, rng, wip, items_out, window_out, cycle_count
    cdef public double horizon, warmup, wip_area, wip_since, cycle_sum
    cdef dict __dict__

cdef class Station:
    cdef public object model, env, new_waiter, name, kind, position, content, outs, ins, helpers
    cdef public object transport, operated, route, pick, room_waiters
    cdef public double capacity, busy
    cdef dict __dict__

cdef class Inbox(Station):
    cdef public object inbox, idle
