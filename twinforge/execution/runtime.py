"""The run-time state of the interpreter: scopes, budgets, control-flow signals and ``execute``.

A compiled program (nested closures, see ``compiler``) touches only a ``Runtime``: its scopes, its
budgets and the built-ins it was given. Budgets: executed steps (statements, loop turns, calls),
wall time, array and string sizes. Statement closures return ``None``, ``BREAK``, ``CONTINUE`` or
a ``Return``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from twinforge.execution.errors import BUILD_ERROR, ScriptError
from twinforge.execution.limits import Limits

BREAK = object()
"""The signal of a ``break`` statement."""
CONTINUE = object()
"""The signal of a ``continue`` statement."""


class Return:
    """The signal of a ``return`` statement, with its value."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class Namespace:
    """A static namespace such as ``Math``, ``Model``, ``Object`` or ``string``."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


class Scope:
    """One block's variables and their declared types; ``rt`` is the shared runtime."""

    __slots__ = ("parent", "rt", "types", "vars")

    def __init__(self, rt: Runtime, parent: Scope | None = None) -> None:
        self.vars: dict[str, Any] = {}
        self.types: dict[str, str] = {}
        self.parent = parent
        self.rt = rt

    def find(self, name: str) -> Scope:
        """The innermost scope that declares ``name``; a build error where none does."""
        scope: Scope | None = self
        while scope is not None:
            if name in scope.vars:
                return scope
            scope = scope.parent
        raise ScriptError(BUILD_ERROR, f"undeclared variable '{name}'", self.rt.line)


class Runtime:
    """Budgets and hooks of one run. ``hooks`` supplies the built-ins (see ``builtins``).

    ``line`` is the script line of the running statement. Statements compiled from a chunk of
    the script (``sandbox``'s statement cache) carry lines counted from the chunk's first line;
    ``line_base`` (the lines before the chunk) turns them into script lines; ``literals`` are the
    values of the chunk's number and string literals where its statements are a template shared
    with other texts (``ExpressionCompiler.literal_slots``).
    """

    def __init__(self, limits: Limits, hooks: Any, *, max_steps: int, max_seconds: float) -> None:
        self.limits = limits
        self.hooks = hooks
        self.max_steps = max_steps
        self.steps = 0
        self.deadline = time.perf_counter() + max_seconds
        self.max_seconds = max_seconds
        self.line: int | None = None
        self.line_base = 0
        self.literals: tuple[Any, ...] = ()
        self.allocated = 0
        self.functions: dict[str, UserFunction] = {}
        self.depth = 0

    def allocate(self, size: int) -> None:
        """Count ``size`` new array elements or string characters against ``max_allocation``."""
        self.allocated += size
        if self.allocated > self.limits.max_allocation:
            raise ScriptError(BUILD_ERROR, f"the script allocated more than {self.limits.max_allocation:,} array "
                              "elements and string characters in total", self.line)

    def step(self) -> None:
        """Count one step (a statement or a loop turn); check the budgets every 1,024 steps and at the limit."""
        self.steps += 1
        if not self.steps & 1023 or self.steps > self.max_steps:
            self.budget_exceeded()

    def budget_exceeded(self) -> None:
        """Called every 1,024 steps and when ``max_steps`` is reached."""
        if self.steps > self.max_steps:
            raise ScriptError(BUILD_ERROR, f"step budget of {self.max_steps:,} exceeded (an endless loop?)",
                              self.line)
        if time.perf_counter() > self.deadline:
            raise ScriptError(BUILD_ERROR, f"time budget of {self.max_seconds} s exceeded (an endless loop?)",
                              self.line)


MAX_CALL_DEPTH = 100
"""Deepest nesting of calls of the script's own functions (recursion ends in a ``build_error``)."""


class UserFunction:
    """A function the script defines (``double f(int n) { ... }``), run in a scope of its own
    whose parent is the scope it was defined in, with the lines and literals of the text that defined it."""

    __slots__ = ("body", "coerce", "line_base", "literals", "name", "params", "returns", "scope")

    def __init__(self, name: str, returns: str, params: tuple[tuple[str, str], ...], body: Stmt,
                 scope: Scope, coerce: Callable[[str, Any, str], Any]) -> None:
        self.name, self.returns, self.params, self.body = name, returns, params, body
        self.scope, self.coerce = scope, coerce
        self.line_base, self.literals = scope.rt.line_base, scope.rt.literals

    def __call__(self, rt: Runtime, args: list[Any]) -> Any:
        if len(args) != len(self.params):
            raise TypeError(f"{self.name} takes {len(self.params)} argument(s), got {len(args)}")
        if rt.depth >= MAX_CALL_DEPTH:
            raise ScriptError(BUILD_ERROR, f"calls of {self.name} nest deeper than {MAX_CALL_DEPTH} levels "
                              "(endless recursion?)", rt.line)
        inner = Scope(rt, self.scope)
        for (type_, name), value in zip(self.params, args):
            inner.vars[name] = self.coerce(type_, value, name)
            inner.types[name] = type_
        saved = rt.line_base, rt.literals, rt.line
        rt.line_base, rt.literals, rt.depth = self.line_base, self.literals, rt.depth + 1
        try:
            signal = self.body(inner)
        finally:
            (rt.line_base, rt.literals, rt.line), rt.depth = saved, rt.depth - 1
        value = signal.value if isinstance(signal, Return) else None
        if self.returns == "void" or value is None:
            return None
        return self.coerce(self.returns, value, f"the return value of {self.name}")


Expr = Callable[[Scope], Any]
"""A compiled expression: its value in a scope."""
Stmt = Callable[[Scope], Any]
"""A compiled statement: run in a scope, it returns a signal or None."""


def execute(program: Stmt, rt: Runtime, predefined: dict[str, Any] | None = None) -> Any:
    """Run a compiled program; returns the value of a top-level ``return``, else ``None``.

    ``predefined`` names live in an outer scope, so the script may redeclare them.
    """
    outer = Scope(rt)
    if predefined:
        outer.vars.update(predefined)
    try:
        signal = program(Scope(rt, outer))
    except RecursionError:
        raise ScriptError(BUILD_ERROR, "the script nests too deeply", rt.line) from None
    if isinstance(signal, Return):
        return signal.value
    return None
