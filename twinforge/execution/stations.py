"""The parts of a simulated model: task executers, the flow stations, and the ``Model`` that
builds them from a ``ModelGraph`` and holds the clock, the random draws and the WIP account.

What each station does is summed up in ``simulation``'s docstring (twinforge's approximation,
not FlexSim).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Generator
from typing import Any

import numpy as np
import simpy

from twinforge.distributions import sampler
from twinforge.execution.errors import SimulationError
from twinforge.execution.graph import GraphObject, ModelGraph
from twinforge.schemas.objects import TASK_EXECUTER_KINDS

ITEM_SPACING_M = 1.0
"""Conveyor capacity is one item per metre (FlexSim uses the items' real sizes)."""


def _distance(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """Straight-line distance between two positions."""
    return math.dist(a, b)


class TaskExecuter:
    """A mobile resource: one task at a time; remembers where it is.

    Lighter than ``simpy.Resource``: a free executer is taken without an event, and a busy one
    hands itself straight to the first process still waiting for it on release.
    """

    def __init__(self, env: simpy.Environment, obj: GraphObject) -> None:
        self.name = obj.name
        self.position = obj.position
        self.speed = float(obj.params["speed"])
        self.free = True
        self.waiting: deque[simpy.Event] = deque()
        self.busy = 0.0

    def release(self) -> None:
        """Free this executer: hand it to the first process still waiting, else mark it free."""
        while self.waiting:
            event = self.waiting.popleft()
            if not event.triggered:
                event.succeed(self)
                return
        self.free = True


class Model:
    """The running model: clock, random draws, WIP accounting and the stations."""

    def __init__(self, graph: ModelGraph, horizon: float, rng: np.random.Generator) -> None:
        self.env = simpy.Environment()
        self.rng = rng
        self.horizon = horizon
        self.wip = 0
        self.wip_area = 0.0
        self.wip_since = 0.0
        self.items_out = 0
        self.next_item = 0
        objects = {obj.name: obj for obj in graph.objects}
        self.executers = {o.name: TaskExecuter(self.env, o) for o in graph.objects if o.kind in TASK_EXECUTER_KINDS}
        self.teams = {o.name: [self.executers[m] for m in graph.outputs(o.name) if m in self.executers]
                      for o in graph.objects if o.kind == "dispatcher"}
        self.stations: dict[str, Station] = {}
        for obj in graph.objects:
            factory = STATION_TYPES.get(obj.kind)
            if factory is not None:
                self.stations[obj.name] = factory(self, obj)
        for name, station in self.stations.items():
            station.outs = [self.stations[n] for n in graph.outputs(name) if n in self.stations]
            station.ins = [self.stations[n] for n in graph.inputs(name) if n in self.stations]
            obj = objects[name]
            wants = [flag for flag in ("use_transport", "use_operator") if obj.params.get(flag)]
            if wants:
                station.helpers = self.helpers_of(obj, graph.centre(name), wants)
                station.transport = "use_transport" in wants
                station.operated = "use_operator" in wants
        for station in self.stations.values():
            station.start()

    def helpers_of(self, obj: GraphObject, centre: list[str], wants: list[str]) -> list[TaskExecuter]:
        """The task executers behind a station's first centre port (``centerObjects[1]``)."""
        if not centre:
            raise SimulationError(f"{obj.cls} '{obj.name}' sets {' and '.join(wants)} but has no S connection "
                                  "to a dispatcher or task executer")
        ref = centre[0]
        if ref in self.executers:
            return [self.executers[ref]]
        if ref in self.teams:
            if not self.teams[ref]:
                raise SimulationError(f"dispatcher '{ref}' serves '{obj.name}' but has no team "
                                      "(no A connection to a task executer)")
            return self.teams[ref]
        raise SimulationError(f"{obj.cls} '{obj.name}': its first centre port leads to '{ref}', which is not a "
                              "dispatcher or task executer")

    def draw_fn(self, dist: Any) -> Callable[[], float]:
        """A sampler for ``dist`` clamped at 0 (constants skip numpy)."""
        if dist.family == "constant":
            value = max(0.0, float(dist.value))
            return lambda: value
        draw = sampler(dist, self.rng)
        return lambda: max(0.0, draw())

    def change_wip(self, delta: int) -> None:
        """Add ``delta`` items to the WIP count, accumulating its time integral."""
        now = self.env.now
        self.wip_area += self.wip * (now - self.wip_since)
        self.wip_since = now
        self.wip += delta

    def new_item(self) -> int:
        """A new item's number (counted as WIP)."""
        self.next_item += 1
        self.change_wip(1)
        return self.next_item

    def acquire(self, helpers: list[TaskExecuter]) -> Generator[Any, Any, TaskExecuter]:
        """Take the first free helper (port order), else wait for the first one released."""
        for te in helpers:
            if te.free:
                te.free = False
                return te
        event = self.env.event()
        for te in helpers:
            te.waiting.append(event)
        te = yield event
        return te


class Station:
    """A flow object. Subclasses define ``start``, ``receive`` and, if needed, ``has_room``."""

    def __init__(self, model: Model, obj: GraphObject, capacity: float) -> None:
        self.model = model
        self.env = model.env
        self.name = obj.name
        self.kind = obj.kind
        self.position = obj.position
        self.capacity = capacity
        self.content = 0
        self.busy = 0.0
        self.outs: list[Station] = []
        self.ins: list[Station] = []
        self.helpers: list[TaskExecuter] = []
        self.transport = False
        self.operated = False
        self.room = self.env.event()

    def start(self) -> None:
        """Start the station's processes (none for passive stations)."""

    def has_room(self, src: Station) -> bool:
        """Whether an item from ``src`` may come in now."""
        return self.content < self.capacity

    def reserve(self, src: Station) -> None:
        """Take a place for an item from ``src`` before it travels here."""
        self.content += 1

    def receive(self, item: int, src: Station) -> None:
        """Take in an item that has arrived from ``src``."""
        raise NotImplementedError

    def released(self) -> None:
        """Wake stations waiting for room here."""
        if self.room.callbacks:
            event, self.room = self.room, self.env.event()
            event.succeed()

    def release(self) -> None:
        """Free this executer: hand it to the first process still waiting, else mark it free."""
        self.content -= 1
        self.released()

    def send(self, item: int) -> Generator[Any, Any, None]:
        """Move ``item`` to the first output with room (waiting if none), by transport if set."""
        while True:
            for dst in self.outs:
                if dst.has_room(self):
                    dst.reserve(self)
                    if self.transport:
                        yield from self.carry(dst)
                    dst.receive(item, self)
                    return
            if not self.outs:
                yield self.env.event()
            elif len(self.outs) == 1:
                yield self.outs[0].room
            else:
                yield self.env.any_of([dst.room for dst in self.outs])

    def carry(self, dst: Station) -> Generator[Any, Any, None]:
        """Transport to ``dst`` by a task executer: it travels here, then on to ``dst``."""
        te = yield from self.model.acquire(self.helpers)
        travel = (_distance(te.position, self.position) + _distance(self.position, dst.position)) / te.speed
        if travel > 0:
            yield self.env.timeout(travel)
        te.busy += travel
        te.position = dst.position
        te.release()

    def set_up_and_process(self) -> Generator[Any, Any, None]:
        """A machine's cycle: its setup draw (busy, no operator), then its process draw via ``work``.

        Only machines call it; they set ``setup`` and ``process`` (draw functions) in ``__init__``.
        """
        setup = self.setup()
        if setup > 0:
            yield self.env.timeout(setup)
            self.busy += setup
        yield from self.work(self.process())

    def work(self, duration: float) -> Generator[Any, Any, None]:
        """Spend ``duration`` processing, with an operator if the station uses one."""
        if self.operated:
            te = yield from self.model.acquire(self.helpers)
            walk = _distance(te.position, self.position) / te.speed
            if walk + duration > 0:
                yield self.env.timeout(walk + duration)
            te.position = self.position
            te.busy += walk + duration
            te.release()
        elif duration > 0:
            yield self.env.timeout(duration)
        self.busy += duration


class Inbox(Station):
    """A station whose items wait in a FIFO ``inbox`` for its worker processes."""

    workers = 1

    def __init__(self, model: Model, obj: GraphObject, capacity: float) -> None:
        super().__init__(model, obj, capacity)
        self.inbox: deque[int] = deque()
        self.arrival = self.env.event()

    def start(self) -> None:
        """Start the station's processes."""
        for _ in range(self.workers):
            self.env.process(self.run())

    def receive(self, item: int, src: Station) -> None:
        """Take in an item that has arrived from ``src``."""
        self.inbox.append(item)
        if self.arrival.callbacks:
            event, self.arrival = self.arrival, self.env.event()
            event.succeed()

    def next_item(self) -> Generator[Any, Any, int]:
        """The next item of the inbox (waiting for one if empty)."""
        while not self.inbox:
            yield self.arrival
        return self.inbox.popleft()

    def run(self) -> Generator[Any, Any, None]:
        """The station's process."""
        raise NotImplementedError


class Source(Station):
    """Creates an item per inter-arrival draw and waits until it has left."""

    def __init__(self, model: Model, obj: GraphObject) -> None:
        super().__init__(model, obj, 1)
        self.draw = model.draw_fn(obj.params["inter_arrival"])

    def start(self) -> None:
        self.env.process(self.run())

    def run(self) -> Generator[Any, Any, None]:
        while True:
            yield self.env.timeout(self.draw())
            item = self.model.new_item()
            self.content = 1
            yield from self.send(item)
            self.content = 0


class Queue(Inbox):
    """Holds up to ``max_content`` items and sends them on in arrival order."""

    def __init__(self, model: Model, obj: GraphObject) -> None:
        super().__init__(model, obj, obj.params["max_content"])

    def run(self) -> Generator[Any, Any, None]:
        while True:
            item = yield from self.next_item()
            yield from self.send(item)
            self.release()


class Processor(Inbox):
    """Set-up and processes up to ``max_content`` items in parallel."""

    def __init__(self, model: Model, obj: GraphObject) -> None:
        super().__init__(model, obj, obj.params.get("max_content", 1))
        self.workers = int(self.capacity)
        self.setup = model.draw_fn(obj.params["setup_time"])
        self.process = model.draw_fn(obj.params["process_time"])

    def run(self) -> Generator[Any, Any, None]:
        while True:
            item = yield from self.next_item()
            yield from self.set_up_and_process()
            yield from self.send(item)
            self.release()


class MultiProcessor(Inbox):
    """Runs its steps in order on one item at a time."""

    def __init__(self, model: Model, obj: GraphObject) -> None:
        super().__init__(model, obj, 1)
        self.steps = [model.draw_fn(dist) for _, dist in obj.params["steps"]]

    def run(self) -> Generator[Any, Any, None]:
        while True:
            item = yield from self.next_item()
            for step in self.steps:
                yield from self.work(step())
            yield from self.send(item)
            self.release()


class Separator(Processor):
    """Sends on ``split_quantity`` copies (split) or the container plus that many items (unpack)."""

    def __init__(self, model: Model, obj: GraphObject) -> None:
        super().__init__(model, obj)
        self.capacity, self.workers = 1, 1
        self.quantity = obj.params["split_quantity"]
        self.unpack = obj.params["mode"] == "unpack"

    def run(self) -> Generator[Any, Any, None]:
        while True:
            item = yield from self.next_item()
            yield from self.set_up_and_process()
            count = self.quantity + 1 if self.unpack else self.quantity
            self.model.change_wip(count - 1)
            parts = [item] + [self.model.next_item + i for i in range(1, count)]
            self.model.next_item += count - 1
            for part in parts:
                yield from self.send(part)
            self.release()


class Combiner(Station):
    """Container on input port 1, ``component_quantity`` items from each other input port."""

    def __init__(self, model: Model, obj: GraphObject) -> None:
        super().__init__(model, obj, math.inf)
        quantity = obj.params["component_quantity"]
        self.quantities = quantity if isinstance(quantity, list) else None
        self.quantity = quantity if isinstance(quantity, int) else 1
        self.batch = obj.params["mode"] == "batch"
        self.setup = model.draw_fn(obj.params["setup_time"])
        self.process = model.draw_fn(obj.params["process_time"])
        self.working = False
        self.container: int | None = None
        self.container_reserved = False
        self.counts: dict[int, int] = {}
        self.held: list[int] = []
        self.ready = self.env.event()

    def needed(self, port: int) -> int:
        """Items needed from input ``port`` (2 and on) for one combination."""
        if self.quantities is not None:
            return self.quantities[port - 2] if port - 2 < len(self.quantities) else 1
        return self.quantity

    def port(self, src: Station) -> int:
        """The input port (1-based) ``src`` is connected to."""
        return self.ins.index(src) + 1

    def has_room(self, src: Station) -> bool:
        if self.working:
            return False
        port = self.port(src)
        if port == 1:
            return not self.container_reserved
        return self.counts.get(port, 0) < self.needed(port)

    def reserve(self, src: Station) -> None:
        port = self.port(src)
        if port == 1:
            self.container_reserved = True
        else:
            self.counts[port] = self.counts.get(port, 0) + 1
        self.content += 1

    def receive(self, item: int, src: Station) -> None:
        if self.port(src) == 1:
            self.container = item
        else:
            self.held.append(item)
        if self.complete() and self.ready.callbacks:
            event, self.ready = self.ready, self.env.event()
            event.succeed()

    def complete(self) -> bool:
        """Whether the container and every component are here."""
        components = sum(self.needed(port) for port in range(2, len(self.ins) + 1))
        return self.container is not None and len(self.held) == components

    def start(self) -> None:
        self.env.process(self.run())

    def run(self) -> Generator[Any, Any, None]:
        while True:
            while not self.complete():
                yield self.ready
            self.working = True
            yield from self.set_up_and_process()
            if self.batch:
                outgoing = [self.container, *self.held]
            else:
                outgoing = [self.container]
                self.model.change_wip(-len(self.held))
            for item in outgoing:
                yield from self.send(item)
            self.container, self.held, self.counts = None, [], {}
            self.container_reserved = self.working = False
            self.content = 0
            self.released()


class Conveyor(Station):
    """Moves items in order, one per metre of length, each taking ``length / speed`` seconds."""

    def __init__(self, model: Model, obj: GraphObject) -> None:
        length, speed = float(obj.params["length"]), float(obj.params["speed"])
        super().__init__(model, obj, max(1, int(length // ITEM_SPACING_M)))
        self.travel = length / speed
        self.items: deque[tuple[int, float]] = deque()
        self.arrival = self.env.event()

    def start(self) -> None:
        self.env.process(self.run())

    def receive(self, item: int, src: Station) -> None:
        self.items.append((item, self.env.now + self.travel))
        if self.arrival.callbacks:
            event, self.arrival = self.arrival, self.env.event()
            event.succeed()

    def run(self) -> Generator[Any, Any, None]:
        while True:
            while not self.items:
                yield self.arrival
            item, due = self.items[0]
            if due > self.env.now:
                yield self.env.timeout(due - self.env.now)
            yield from self.send(item)
            self.items.popleft()
            self.release()


class Sink(Station):
    """Counts the items that arrive and ends their life."""

    def __init__(self, model: Model, obj: GraphObject) -> None:
        super().__init__(model, obj, math.inf)

    def reserve(self, src: Station) -> None:
        """A sink has no places to take."""

    def receive(self, item: int, src: Station) -> None:
        self.model.items_out += 1
        self.model.change_wip(-1)


STATION_TYPES: dict[str, Callable[[Model, GraphObject], Station]] = {
    "source": Source, "queue": Queue, "processor": Processor, "multiprocessor": MultiProcessor,
    "combiner": Combiner, "separator": Separator, "conveyor": Conveyor, "sink": Sink,
}
