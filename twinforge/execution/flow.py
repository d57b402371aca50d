"""The flow objects of a simulated model: sources, queues, machines, conveyors and sinks.

What each does is summed up in ``simulation``'s docstring (twinforge's approximation, not FlexSim).
Fewer events per item: a machine that is idle when an item arrives draws the item's setup and
process times at once and is woken only when they are over (one event instead of three); an
empty queue hands an item straight on when the next station has room; an empty conveyor is woken
when its first item reaches the end. Every station keeps its own list of waiters for room, so a
station blocked on several outputs waits on one plain event.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Generator
from typing import Any

import simpy

from twinforge.execution.event_core import clock, timeout, waiter, wake
from twinforge.execution.graph import GraphObject
from twinforge.execution.stations import ITEM_SPACING_M, Inbox, Item, Run, Station


class Source(Station):
    """Creates an item per inter-arrival draw and waits until it has left."""

    def __init__(self, model: Run, obj: GraphObject) -> None:
        super().__init__(model, obj, 1)
        self.draw = model.draw_fn(obj.params["inter_arrival"])

    def start(self) -> None:
        self.env.process(self.run())

    def run(self) -> Generator[Any, Any, None]:
        env, draw = self.env, self.draw
        while True:
            yield timeout(env, draw())
            item = self.model.new_item()
            sending = self.dispatch(item)
            if sending is not None:
                self.content = 1
                yield from sending
                self.content = 0


class Queue(Inbox):
    """Holds up to ``max_content`` items and sends them on in arrival order.

    With a Send To Port rule other than first available, each item's port is drawn as it comes
    in (FlexSim releases a queue's items at once) and the item waits in that port's lane: an item
    waiting for a busy port does not hold back the items bound for other ports."""

    def __init__(self, model: Run, obj: GraphObject) -> None:
        super().__init__(model, obj, obj.params["max_content"])
        self.lanes: list[deque[Item]] = []
        self.lane_waiters: list[simpy.Event | None] = []

    def start(self) -> None:
        if self.route is None or not self.outs:
            super().start()
            return
        self.lanes = [deque() for _ in self.outs]
        self.lane_waiters = [None] * len(self.outs)
        for port in range(len(self.outs)):
            self.env.process(self.run_lane(port))

    def receive(self, item: Item, src: Station) -> None:
        """An empty, idle queue hands the item straight on when an output has room; a routed
        queue puts it in the lane of the port its rule gives."""
        if self.lanes:
            route = self.route
            port = route if isinstance(route, int) else self.pick(*route)
            self.lanes[port].append(item)
            lane_waiter = self.lane_waiters[port]
            if lane_waiter is not None:
                self.lane_waiters[port] = None
                lane_waiter.succeed()
            return
        if self.idle and self.try_send(item):
            self.release()
            return
        Inbox.receive(self, item, src)

    def run(self) -> Generator[Any, Any, None]:
        env, inbox, idle = self.env, self.inbox, self.idle
        while True:
            if inbox:
                item = inbox.popleft()
            else:  # ``next_item``, inlined
                sleeper = waiter(env)
                idle.append(sleeper)
                item = yield sleeper
            sending = self.dispatch(item)
            if sending is not None:
                yield from sending
            self.release()

    def run_lane(self, port: int) -> Generator[Any, Any, None]:
        """Send the items of one port's lane, in arrival order, as that port has room."""
        env, lane, dst = self.env, self.lanes[port], self.outs[port]
        while True:
            while not lane:
                self.lane_waiters[port] = event = env.event()
                yield event
            yield from self.send(lane.popleft(), dst)
            self.release()


class Machine(Inbox):
    """A station that sets up and processes each item (``setup`` and ``process`` draws).

    Without operators, setup and process are one wait (``cycle``), and an idle worker is handed
    an item already timed: ``receive`` draws its times and wakes the worker when both are over.
    With operators, the worker is woken at once and runs ``set_up_and_process``."""

    def __init__(self, model: Run, obj: GraphObject, capacity: float) -> None:
        super().__init__(model, obj, capacity)
        self.setup = model.draw_fn(obj.params["setup_time"])
        self.process = model.draw_fn(obj.params["process_time"])

    def cycle(self) -> float:
        """Draw one item's setup and process times; count them busy; return their sum."""
        now = clock(self.env)
        duration = self.setup() + self.process()
        self.busy += self.model.in_window(now, now + duration)
        return duration

    def receive(self, item: Item, src: Station) -> None:
        if self.idle and not self.operated:
            wake(self.env, self.idle.popleft(), item, self.cycle())
        else:
            Inbox.receive(self, item, src)

    def copies(self) -> int:
        """How many items leave for each item processed (1; a separator's split makes more)."""
        return 1

    def run(self) -> Generator[Any, Any, None]:
        """Take the next item (from the inbox, or handed to this idle worker, already processed
        unless operated), set it up and process it, send on its ``copies``, free its place.
        One loop, no generator per item: the hottest process of most models."""
        env, inbox, idle, operated = self.env, self.inbox, self.idle, self.operated
        while True:
            if inbox:
                item = inbox.popleft()
                if operated:
                    yield from self.set_up_and_process()
                else:
                    duration = self.cycle()
                    if duration > 0:
                        yield timeout(env, duration)
            else:
                sleeper = waiter(env)
                idle.append(sleeper)
                item = yield sleeper
                if operated:
                    yield from self.set_up_and_process()
            for _ in range(self.copies()):
                sending = self.dispatch(item)
                if sending is not None:
                    yield from sending
            self.release()


class Processor(Machine):
    """Sets up and processes up to ``max_content`` items in parallel."""

    def __init__(self, model: Run, obj: GraphObject) -> None:
        super().__init__(model, obj, obj.params.get("max_content", 1))
        self.workers = int(self.capacity)


class MultiProcessor(Inbox):
    """Runs its steps in order on one item at a time (read from old scripts; FlexSim's
    MultiProcessor has no settable steps, so twinforge no longer writes one)."""

    def __init__(self, model: Run, obj: GraphObject) -> None:
        super().__init__(model, obj, 1)
        self.steps = [model.draw_fn(dist) for _, dist in obj.params["steps"]]

    def run(self) -> Generator[Any, Any, None]:
        while True:
            item = yield from self.next_item()
            for step in self.steps:
                yield from self.work(step())
            sending = self.dispatch(item)
            if sending is not None:
                yield from sending
            self.release()


class Separator(Machine):
    """Sends on ``split_quantity`` copies (split) or the container plus that many items (unpack)."""

    def __init__(self, model: Run, obj: GraphObject) -> None:
        super().__init__(model, obj, 1)
        self.quantity = obj.params["split_quantity"]
        self.unpack = obj.params["mode"] == "unpack"

    def copies(self) -> int:
        """The parts of one item (counted as new WIP here)."""
        count = self.quantity + 1 if self.unpack else self.quantity
        self.model.change_wip(count - 1)
        return count


class Combiner(Station):
    """Container on input port 1, ``component_quantity`` items from each other input port."""

    def __init__(self, model: Run, obj: GraphObject) -> None:
        super().__init__(model, obj, math.inf)
        quantity = obj.params["component_quantity"]
        self.quantities = quantity if isinstance(quantity, list) else None
        self.quantity = quantity if isinstance(quantity, int) else 1
        self.batch = obj.params["mode"] == "batch"
        self.setup = model.draw_fn(obj.params["setup_time"])
        self.process = model.draw_fn(obj.params["process_time"])
        self.working = False
        self.container: Item | None = None
        self.container_reserved = False
        self.counts: dict[int, int] = {}
        self.held: list[Item] = []
        self.ready = self.env.event()
        self.ports: dict[Station, int] = {}
        self.components = 0

    def needed(self, port: int) -> int:
        """Items needed from input ``port`` (2 and on) for one combination."""
        if self.quantities is not None:
            return self.quantities[port - 2] if port - 2 < len(self.quantities) else 1
        return self.quantity

    def port(self, src: Station) -> int:
        """The input port (1-based) ``src`` is connected to (its first, if several)."""
        return self.ports[src]

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

    def receive(self, item: Item, src: Station) -> None:
        if self.port(src) == 1:
            self.container = item
        else:
            self.held.append(item)
        if self.complete() and self.ready.callbacks:
            event, self.ready = self.ready, self.env.event()
            event.succeed()

    def complete(self) -> bool:
        """Whether the container and every component are here."""
        return self.container is not None and len(self.held) == self.components

    def start(self) -> None:
        """Number the input ports (``ins`` is set by now), count one combination's components,
        and start the process."""
        for port, src in enumerate(self.ins, start=1):
            self.ports.setdefault(src, port)
        self.components = sum(self.needed(port) for port in range(2, len(self.ins) + 1))
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
                sending = self.dispatch(item)
                if sending is not None:
                    yield from sending
            self.container, self.held, self.counts = None, [], {}
            self.container_reserved = self.working = False
            self.content = 0
            self.released()


class Conveyor(Station):
    """Moves items in order, one per metre of length, each taking ``length / speed`` seconds."""

    def __init__(self, model: Run, obj: GraphObject) -> None:
        length, speed = float(obj.params["length"]), float(obj.params["speed"])
        super().__init__(model, obj, max(1, int(length // ITEM_SPACING_M)))
        self.travel = length / speed
        self.items: deque[tuple[Item, float]] = deque()
        self.waiter: Any = None

    def start(self) -> None:
        self.env.process(self.run())

    def receive(self, item: Item, src: Station) -> None:
        self.items.append((item, clock(self.env) + self.travel))
        if self.waiter is not None:
            sleeper, self.waiter = self.waiter, None
            wake(self.env, sleeper, None, self.travel)

    def run(self) -> Generator[Any, Any, None]:
        env, items = self.env, self.items
        while True:
            if not items:
                self.waiter = waiter(env)
                yield self.waiter  # woken when the first item reaches the end
            item, due = items[0]
            if due > clock(env):
                yield timeout(env, due - clock(env))
            sending = self.dispatch(item)
            if sending is not None:
                yield from sending
            items.popleft()
            self.release()


class Sink(Station):
    """Counts the items that arrive and ends their life."""

    def __init__(self, model: Run, obj: GraphObject) -> None:
        super().__init__(model, obj, math.inf)

    def reserve(self, src: Station) -> None:
        """A sink has no places to take."""

    def receive(self, item: Item, src: Station) -> None:
        self.model.item_out(item)


STATION_TYPES: dict[str, Callable[[Run, GraphObject], Station]] = {
    "source": Source, "queue": Queue, "processor": Processor, "multiprocessor": MultiProcessor,
    "combiner": Combiner, "separator": Separator, "conveyor": Conveyor, "sink": Sink,
}
