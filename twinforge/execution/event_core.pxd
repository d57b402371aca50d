# Cython declarations of event_core.py (compiled by setup.py; the .py runs unchanged without them):
# its classes become extension types with these attributes, read and written as C struct fields.
# The environment and the active process are typed, so the heap loop, a timeout and a wake-up read
# and write them as struct fields and resume a process by a C call, not through Python attributes.

cimport cython

cdef class LeanEnvironment

cdef class Entry:
    cdef public double at
    cdef public int priority
    cdef public long long order

    cpdef bint before(self, Entry other)

cdef class Event(Entry):
    cdef public object _ok, _value, callbacks
    cdef public LeanEnvironment env

cdef class Process(Entry):
    cdef public object _ok, _value, resume, send
    cdef public LeanEnvironment env

    cpdef _resume(self, event)

cdef class LeanEnvironment:
    cdef public double now
    cdef public list _queue
    cdef public object event
    cdef public Process active
    cdef public long long pushes

    cpdef push(self, double time, int priority, Entry entry)

    @cython.locals(active=Process)
    cpdef timeout(self, double delay=*)
    @cython.locals(entry=Entry, process=Process, event=Event)
    cpdef step(self)
    @cython.locals(first=Entry, entry=Entry, process=Process, event=Event, events=long)
    cpdef long run_until(self, double horizon, check) except? -1

@cython.locals(lean=LeanEnvironment)
cpdef waiter(env)
@cython.locals(lean=LeanEnvironment)
cpdef double clock(env) except? -1
@cython.locals(lean=LeanEnvironment)
cpdef timeout(env, double delay)
@cython.locals(lean=LeanEnvironment, process=Process)
cpdef wake(env, waiter, value, double delay=*)
