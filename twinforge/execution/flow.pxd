# Cython declarations of flow.py (compiled by setup.py; the .py runs unchanged without them):
# every flow object is an extension type of stations.Station with these attributes of its own,
# and its overrides of Station's cpdef methods are cpdef with the same signatures; event_core's
# clock, timeout and wake are C calls (cimported, as in stations.pxd).

from twinforge.execution.event_core cimport clock, timeout, waiter, wake
from twinforge.execution.stations cimport Inbox, Station

cdef class Source(Station):
    cdef public object draw

cdef class Queue(Inbox):
    cdef public object lanes, lane_waiters

    cpdef receive(self, item, Station src)

cdef class Machine(Inbox):
    cdef public object setup, process

    cpdef double cycle(self)
    cpdef receive(self, item, Station src)
    cpdef long copies(self)

cdef class Processor(Machine):
    pass

cdef class MultiProcessor(Inbox):
    cdef public object steps

cdef class Separator(Machine):
    cdef public object quantity, unpack

    cpdef long copies(self)

cdef class Combiner(Station):
    cdef public object quantities, quantity, batch, setup, process, working, container, container_reserved
    cdef public object counts, held, ready, ports, components

    cpdef needed(self, port)
    cpdef port(self, Station src)
    cpdef bint complete(self)
    cpdef bint has_room(self, Station src)
    cpdef reserve(self, Station src)
    cpdef receive(self, item, Station src)

cdef class Conveyor(Station):
    cdef public double travel
    cdef public object items, waiter

    cpdef receive(self, item, Station src)

cdef class Sink(Station):
    cpdef reserve(self, Station src)
    cpdef receive(self, item, Station src)
