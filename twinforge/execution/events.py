"""A small discrete-event core that schedules exactly as SimPy 4 does, for the executable check.

Why not SimPy itself: the check simulates every generated sample and every prediction that eval
cannot reuse, and SimPy's general machinery (failure propagation, interrupts, condition values,
resource queues) cost about half of that time. This core keeps only what ``simulation.py`` uses
(timeouts, plain events, generator processes, ``any_of``) and reproduces SimPy's order
exactly: events run by (time, priority, insertion number), a process starts with an urgent
event, ``succeed`` schedules at the current time, a process waiting on a processed event goes
on at once, and ``any_of`` triggers one step after its first event and then drops its
remaining callbacks. ``tests/execution/test_events.py`` runs the simulation on both and
requires identical reports; that is what licenses the swap.

One difference: an exception inside a process propagates from ``step`` at once, where SimPy
first finishes the events queued before the failed process. Either way the run stops with it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Iterable
from heapq import heappop, heappush
from itertools import count
from typing import Any

URGENT = 0
NORMAL = 1
PENDING: Any = object()
"""The value of an event that has not been triggered."""


class Environment:
    """The clock and the queue of scheduled events."""

    __slots__ = ("ids", "now", "queue")

    def __init__(self) -> None:
        self.now = 0.0
        self.queue: list[tuple[float, int, int, Event]] = []
        self.ids = count()

    def schedule(self, event: Event, priority: int = NORMAL, delay: float = 0) -> None:
        heappush(self.queue, (self.now + delay, priority, next(self.ids), event))

    def event(self) -> Event:
        return Event(self)

    def timeout(self, delay: float) -> Event:
        """An event that fires ``delay`` seconds from now."""
        if delay < 0:
            raise ValueError(f"negative delay {delay}")
        event = Event(self)
        event.value = None
        heappush(self.queue, (self.now + delay, NORMAL, next(self.ids), event))
        return event

    def process(self, generator: Generator[Event, Any, Any]) -> Process:
        return Process(self, generator)

    def any_of(self, events: Iterable[Event]) -> AnyOf:
        return AnyOf(self, events)

    def peek(self) -> float:
        """The time of the next event (infinity when nothing is scheduled)."""
        return self.queue[0][0] if self.queue else math.inf

    def step(self) -> None:
        """Process the next event: advance the clock and run its callbacks in order."""
        self.advance(math.inf, 1)

    def advance(self, until: float, budget: int) -> int:
        """Process events due before ``until``, at most ``budget`` of them; return how many ran."""
        queue = self.queue
        done = 0
        while done < budget and queue and queue[0][0] < until:
            self.now, _, _, event = heappop(queue)
            callbacks, event.callbacks = event.callbacks, None
            for callback in callbacks:
                callback(event)
            done += 1
        return done


class Event:
    """Something that happens once; ``callbacks`` is None after it has been processed."""

    __slots__ = ("callbacks", "env", "value")

    def __init__(self, env: Environment) -> None:
        self.env = env
        self.callbacks: list[Callable[[Event], None]] | None = []
        self.value: Any = PENDING

    @property
    def triggered(self) -> bool:
        return self.value is not PENDING

    def succeed(self, value: Any = None) -> Event:
        """Trigger the event now; its callbacks run when the queue reaches it."""
        if self.value is not PENDING:
            raise RuntimeError("the event has already been triggered")
        self.value = value
        env = self.env
        heappush(env.queue, (env.now, NORMAL, next(env.ids), self))
        return self


class Process(Event):
    """A generator that yields events and resumes when each is processed; it fires when it returns."""

    __slots__ = ("generator", "resume")

    def __init__(self, env: Environment, generator: Generator[Event, Any, Any]) -> None:
        super().__init__(env)
        self.generator = generator
        self.resume = self._resume
        start = Event(env)
        start.value = None
        start.callbacks.append(self.resume)
        env.schedule(start, URGENT)

    def _resume(self, event: Event) -> None:
        send = self.generator.send
        while True:
            try:
                event = send(event.value)
            except StopIteration as stop:
                self.value = stop.value
                self.env.schedule(self)
                return
            if event.callbacks is not None:
                event.callbacks.append(self.resume)
                return


class AnyOf(Event):
    """Fires (one step later) when the first of ``events`` is processed."""

    __slots__ = ("check", "events")

    def __init__(self, env: Environment, events: Iterable[Event]) -> None:
        super().__init__(env)
        self.events = tuple(events)
        self.check = self._check
        if not self.events:
            self.succeed()
            return
        for event in self.events:
            if event.callbacks is None:
                self.check(event)
            else:
                event.callbacks.append(self.check)
        self.callbacks.append(self._drop_checks)

    def _check(self, event: Event) -> None:
        if self.value is PENDING:
            self.succeed()

    def _drop_checks(self, event: Event) -> None:
        for other in self.events:
            if other.callbacks and self.check in other.callbacks:
                other.callbacks.remove(self.check)


def simpy_environment() -> Any:
    """A SimPy environment with ``advance``: the oracle this core is tested and timed against.

    Needs ``simpy`` (a test dependency, not a runtime one).
    """
    import simpy

    class SimPyEnvironment(simpy.Environment):
        def advance(self, until: float, budget: int) -> int:
            done = 0
            while done < budget and self.peek() < until:
                self.step()
                done += 1
            return done

    return SimPyEnvironment()
