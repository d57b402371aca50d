"""The compiler of the FlexScript subset (twinforge's, not FlexSim's): statements, on top of
``ExpressionCompiler``.

A lark tree is compiled once into nested Python closures; a statement's closure sets the running
line, counts a step against the budget and turns Python errors into ``build_error``s at its line.
Statement closures return ``None``, ``BREAK``, ``CONTINUE`` or a ``Return`` (``runtime``).
"""

from __future__ import annotations

from typing import Any

from lark import Token, Tree

from twinforge.execution.errors import BUILD_ERROR, ScriptError
from twinforge.execution.expressions import ExpressionCompiler
from twinforge.execution.operators import TYPE_DEFAULTS, coerce, equal, truth
from twinforge.execution.parser import first_line
from twinforge.execution.runtime import BREAK, CONTINUE, Return, Scope, Stmt
from twinforge.execution.values import describe

STATEMENT_KEYWORDS = frozenset({"IF", "FOR", "WHILE", "SWITCH", "BREAK", "CONTINUE", "RETURN"})
"""Keyword tokens kept in the tree only for their line numbers."""


class Compiler(ExpressionCompiler):
    """Turns a lark tree into closures. ``statics`` names the namespaces (``Math``, ``Model``).

    A statement without a token of its own (``;``, ``{}``) takes the line of the statement
    compiled before it (``last_line``); ``unlined`` says that one had none to take, so the same
    text compiled after other statements would get a line where this compile has None.
    """

    def __init__(self, statics: frozenset[str]) -> None:
        super().__init__(statics)
        self.last_line: int | None = None
        self.unlined = False

    def program(self, tree: Tree) -> Stmt:
        """The whole parsed script as one statement, run in the scope it is given."""
        return self.sequence([child for child in tree.children if child is not None], new_scope=False)

    def statements(self, tree: Tree) -> tuple[Stmt, ...]:
        """The top-level statements of a parsed text, to be run one after another in one scope."""
        return tuple([self.statement(child) for child in tree.children if child is not None])

    def sequence(self, trees: list[Tree], *, new_scope: bool) -> Stmt:
        """Statements run in order until one signals; a block gets a scope of its own."""
        body = tuple([self.statement(tree) for tree in trees])

        def run(scope: Scope) -> Any:
            inner = Scope(scope.rt, scope) if new_scope else scope
            for stmt in body:
                signal = stmt(inner)
                if signal is not None:
                    return signal
            return None

        return run

    def statement(self, tree: Tree) -> Stmt:
        """One statement with its line, step count and error wrapping around ``s_<rule>``."""
        kind = tree.data
        head = tree.children[0] if tree.children else None
        if isinstance(head, Token) and head.type in STATEMENT_KEYWORDS:
            line: int | None = head.line
            tree = Tree(kind, tree.children[1:])
        else:
            line = first_line(tree) or self.last_line
            if line is None:
                self.unlined = True
        self.last_line = line
        inner = getattr(self, "s_" + kind)(tree)

        def run(scope: Scope) -> Any:
            rt = scope.rt
            here = line if line is None else rt.line_base + line
            rt.line = here
            rt.steps += 1
            if not rt.steps & 1023 or rt.steps > rt.max_steps:
                rt.budget_exceeded()
            try:
                return inner(scope)
            except ScriptError as error:
                if error.line is None:
                    error.line = here
                raise
            except (TypeError, ValueError, ZeroDivisionError, OverflowError, IndexError) as error:
                raise ScriptError(BUILD_ERROR, str(error), here) from None

        return run

    def s_block(self, tree: Tree) -> Stmt:
        """``{ ... }``: a sequence in a new scope."""
        return self.sequence([child for child in tree.children if child is not None], new_scope=True)

    def s_empty_stmt(self, tree: Tree) -> Stmt:
        """``;``: nothing."""
        return lambda scope: None

    def s_expr_stmt(self, tree: Tree) -> Stmt:
        """An expression evaluated for its effect."""
        expr = self.expr(tree.children[0])

        def run(scope: Scope) -> None:
            expr(scope)

        return run

    def s_decl_stmt(self, tree: Tree) -> Stmt:
        """``type name [= expr];``."""
        return self.declaration(tree.children[0])

    def declaration(self, tree: Tree) -> Stmt:
        """Declare a variable in the current scope (twice in one block is an error)."""
        type_tree, name_token, init_tree = tree.children
        type_ = str(type_tree.children[0])
        name = str(name_token)
        init = self.expr(init_tree) if init_tree is not None else None
        default = TYPE_DEFAULTS[type_]

        def run(scope: Scope) -> None:
            if name in scope.vars:
                raise ScriptError(BUILD_ERROR, f"variable '{name}' is declared twice in the same block")
            value = default() if init is None else coerce(type_, init(scope), name)
            scope.vars[name] = value
            scope.types[name] = type_

        return run

    def s_if_stmt(self, tree: Tree) -> Stmt:
        """``if (cond) stmt [else stmt]``."""
        cond = self.expr(tree.children[0])
        then = self.statement(tree.children[1])
        rest = tree.children[2:]
        other = self.statement(rest[0]) if rest and rest[0] is not None else None

        def run(scope: Scope) -> Any:
            if truth(cond(scope)):
                return then(scope)
            if other is not None:
                return other(scope)
            return None

        return run

    def s_while_stmt(self, tree: Tree) -> Stmt:
        """``while (cond) stmt``; each turn counts as a step."""
        cond = self.expr(tree.children[0])
        body = self.statement(tree.children[1])

        def run(scope: Scope) -> Any:
            rt = scope.rt
            while truth(cond(scope)):
                rt.steps += 1
                if not rt.steps & 1023 or rt.steps > rt.max_steps:
                    rt.budget_exceeded()
                signal = body(scope)
                if signal is BREAK:
                    break
                if signal is not None and signal is not CONTINUE:
                    return signal
            return None

        return run

    def s_for_stmt(self, tree: Tree) -> Stmt:
        """``for (init; cond; step) stmt`` in a scope of its own; each turn counts as a step."""
        init_tree, cond_tree, step_tree, body_tree = tree.children
        init: Stmt | None = None
        if init_tree is not None:
            target = init_tree.children[0]
            if target.data == "decl":
                init = self.declaration(target)
            else:
                init_expr = self.expr(target)

                def init(scope: Scope) -> None:
                    init_expr(scope)

        cond = self.expr(cond_tree) if cond_tree is not None else None
        step = self.expr(step_tree) if step_tree is not None else None
        body = self.statement(body_tree)

        def run(scope: Scope) -> Any:
            rt = scope.rt
            loop_scope = Scope(rt, scope)
            if init is not None:
                init(loop_scope)
            while cond is None or truth(cond(loop_scope)):
                rt.steps += 1
                if not rt.steps & 1023 or rt.steps > rt.max_steps:
                    rt.budget_exceeded()
                signal = body(loop_scope)
                if signal is BREAK:
                    break
                if signal is not None and signal is not CONTINUE:
                    return signal
                if step is not None:
                    step(loop_scope)
            return None

        return run

    def s_switch_stmt(self, tree: Tree) -> Stmt:
        """``switch`` on an integer: C fall-through from the matching case (or ``default``)."""
        subject = self.expr(tree.children[0])
        clauses = []
        for clause in tree.children[1:]:
            if clause.data == "case_clause":
                label = self.expr(clause.children[0])
                body = [child for child in clause.children[1:] if child is not None]
            else:
                label, body = None, [child for child in clause.children if child is not None]
            clauses.append((label, tuple(self.statement(child) for child in body)))

        def run(scope: Scope) -> Any:
            value = subject(scope)
            if type(value) is not int:
                if type(value) is float and value.is_integer():
                    value = int(value)
                else:
                    raise TypeError(f"switch needs an integer, got {describe(value)}")
            start = None
            for index, (label, _) in enumerate(clauses):
                if label is not None and equal(label(scope), value):
                    start = index
                    break
            if start is None:
                start = next((i for i, (label, _) in enumerate(clauses) if label is None), None)
            if start is None:
                return None
            inner = Scope(scope.rt, scope)
            for _, body in clauses[start:]:
                for stmt in body:
                    signal = stmt(inner)
                    if signal is BREAK:
                        return None
                    if signal is not None:
                        return signal
            return None

        return run

    def s_break_stmt(self, tree: Tree) -> Stmt:
        """``break;``."""
        return lambda scope: BREAK

    def s_continue_stmt(self, tree: Tree) -> Stmt:
        """``continue;``."""
        return lambda scope: CONTINUE

    def s_return_stmt(self, tree: Tree) -> Stmt:
        """``return expr;``."""
        expr = self.expr(tree.children[0])
        return lambda scope: Return(expr(scope))
