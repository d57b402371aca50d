# Cython declarations of flow.py (compiled by setup.py; the .py runs unchanged without them):
# every flow object is an extension type of stations.Station with these attributes of its own.

from twinforge.execution.stations cimport Inbox, Station

cdef class Source(Station):
    cdef public object draw

cdef class Queue(Inbox):
    cdef public object lanes, lane_waiters

cdef class Machine(Inbox):
    cdef public object setup, process

cdef class Processor(Machine):
    pass

cdef class MultiProcessor(Inbox):
    cdef public object steps

cdef class Separator(Machine):
    cdef public object quantity, unpack

cdef class Combiner(Station):
    cdef public object quantities, quantity, batch, setup, process, working, container, container_reserved
    cdef public object counts, held, ready, ports, components

cdef class Conveyor(Station):
    cdef public double travel
    cdef public object items, waiter

cdef class Sink(Station):
    pass
