"""The compiler of the FlexScript subset (twinforge's, not FlexSim's): statements, on top of
``ExpressionCompiler``.

A lark tree is compiled once into nested Python closures; a statement's closure sets the running
line, counts a step against the budget and turns Python errors into ``build_error``s at its line.
Statement closures return ``None``, ``BREAK``, ``CONTINUE`` or a ``Return`` (``runtime``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lark import Token, Tree

from twinforge.execution.errors import BUILD_ERROR, PARSE_ERROR, ScriptError
from twinforge.execution.expressions import ExpressionCompiler, variable_name
from twinforge.execution.flexsim_api import is_flexscript_type, unknown_type
from twinforge.execution.operators import TYPE_DEFAULTS, coerce, equal, truth
from twinforge.execution.parser import first_line
from twinforge.execution.runtime import BREAK, CONTINUE, Return, Scope, Stmt, UserFunction
from twinforge.execution.values import describe

STATEMENT_KEYWORDS = frozenset({"IF", "FOR", "WHILE", "SWITCH", "BREAK", "CONTINUE", "RETURN", "DO", "FOR_TREE",
                                "FOR_LAYER", "FOR_SELECTED"})
"""Keyword tokens kept in the tree only for their line numbers."""


class Compiler(ExpressionCompiler):
    """Turns a lark tree into closures. ``statics`` names the namespaces (``Math``, ``Model``).

    A statement without a token of its own (``;``, ``{}``) takes the line of the statement
    compiled before it (``last_line``); ``unlined`` says that one had none to take, so the same
    text compiled after other statements would get a line where this compile has None.
    """

    def __init__(self, statics: frozenset[str], literal_slots: Mapping[int, int] | None = None) -> None:
        super().__init__(statics, literal_slots)
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
            rt.step()
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
        """Declare one or more variables of one type in the current scope (twice in one block is
        an error); a type FlexScript does not have is a build error when the declaration runs."""
        type_ = type_name(tree.children[0], tree.children[1])
        items = tree.children[1:]
        names = [self.variable(token) for token in items[0::2]]
        inits = [self.expr(init) if init is not None else None for init in items[1::2]]
        default = TYPE_DEFAULTS.get(type_, _null)
        if not is_flexscript_type(type_):
            def unknown(scope: Scope) -> None:
                raise unknown_type(type_)

            return unknown

        pairs = tuple(zip(names, inits))

        def run(scope: Scope) -> None:
            for written, init in pairs:
                name = variable_name(scope, written)
                if name in scope.vars:
                    raise ScriptError(BUILD_ERROR, f"variable '{name}' is declared twice in the same block")
                scope.vars[name] = default() if init is None else coerce(type_, init(scope), name)
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
                rt.step()
                signal = body(scope)
                if signal is BREAK:
                    break
                if signal is not None and signal is not CONTINUE:
                    return signal
            return None

        return run

    def s_for_stmt(self, tree: Tree) -> Stmt:
        """``for (init; cond; step) stmt`` in a scope of its own; each turn counts as a step. The
        init and the step may be lists of expressions (``i = 0, j = 1``)."""
        init_tree, cond_tree, step_tree, body_tree = tree.children
        init: Stmt | None = None
        if init_tree is not None:
            first = init_tree.children[0]
            init = self.declaration(first) if first.data == "decl" else self.effects(init_tree.children)
        cond = self.expr(cond_tree) if cond_tree is not None else None
        step = self.effects(step_tree.children) if step_tree is not None else None
        body = self.statement(body_tree)

        def run(scope: Scope) -> Any:
            rt = scope.rt
            loop_scope = Scope(rt, scope)
            if init is not None:
                init(loop_scope)
            while cond is None or truth(cond(loop_scope)):
                rt.step()
                signal = body(loop_scope)
                if signal is BREAK:
                    break
                if signal is not None and signal is not CONTINUE:
                    return signal
                if step is not None:
                    step(loop_scope)
            return None

        return run

    def effects(self, trees: list[Tree]) -> Stmt:
        """Expressions evaluated one after another for their effects (a ``for`` init or step)."""
        exprs = tuple([self.expr(tree) for tree in trees])

        def run(scope: Scope) -> None:
            for expr in exprs:
                expr(scope)

        return run

    def s_do_stmt(self, tree: Tree) -> Stmt:
        """``do stmt while (cond);``: the body runs once before the first test."""
        body = self.statement(tree.children[0])
        cond = self.expr(tree.children[-1])

        def run(scope: Scope) -> Any:
            rt = scope.rt
            while True:
                rt.step()
                signal = body(scope)
                if signal is BREAK:
                    break
                if signal is not None and signal is not CONTINUE:
                    return signal
                if not truth(cond(scope)):
                    break
            return None

        return run

    def _forobject(self, tree: Tree, loop: str) -> Stmt:
        """``forobject...(node) stmt``: FlexSim's loop over the objects under ``node``, each in turn
        as ``a`` (the built-ins say which objects, ``objects_under``)."""
        node = self.expr(tree.children[0])
        body = self.statement(tree.children[1])

        def run(scope: Scope) -> Any:
            rt = scope.rt
            for obj in rt.hooks.objects_under(rt, node(scope), loop):
                rt.step()
                inner = Scope(rt, scope)
                inner.vars["a"], inner.types["a"] = obj, "treenode"
                signal = body(inner)
                if signal is BREAK:
                    break
                if signal is not None and signal is not CONTINUE:
                    return signal
            return None

        return run

    def s_fortree_stmt(self, tree: Tree) -> Stmt:
        """``forobjecttreeunder(node) stmt``."""
        return self._forobject(tree, "forobjecttreeunder")

    def s_forlayer_stmt(self, tree: Tree) -> Stmt:
        """``forobjectlayerunder(node) stmt``."""
        return self._forobject(tree, "forobjectlayerunder")

    def s_forselected_stmt(self, tree: Tree) -> Stmt:
        """``forobjectselected(node) stmt``."""
        return self._forobject(tree, "forobjectselected")

    def s_func_def(self, tree: Tree) -> Stmt:
        """``type name(type a, ...) { ... }``: defines the function when the definition runs (so
        it must come before its calls, as in C)."""
        returns_tree, name_token, params_tree, body_tree = tree.children
        returns = type_name(returns_tree, name_token, void=True)
        params = tuple((type_name(*param.children), str(param.children[1]))
                       for param in (params_tree.children if params_tree is not None else ()))
        name = str(name_token)
        body = self.s_block(body_tree)
        unknown = [type_ for type_ in (returns, *(p[0] for p in params)) if type_ != "void"
                   and not is_flexscript_type(type_)]

        def run(scope: Scope) -> None:
            if unknown:
                raise unknown_type(unknown[0])
            scope.rt.functions[name] = UserFunction(name, returns, params, body, scope, coerce)

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
        """``return expr;`` or ``return;``."""
        if tree.children[0] is None:
            return lambda scope: Return(None)
        expr = self.expr(tree.children[0])
        return lambda scope: Return(expr(scope))


def _null() -> None:
    """The initial value (null) of a variable of a FlexScript class twinforge does not model."""


def type_name(tree: Tree, name: Token, *, void: bool = False) -> str:
    """The type that a declaration of ``name`` names: a type keyword (``int``), a class
    (``Table``) or a dotted class (``Storage.Item``); ``void`` only as a function's return type.
    Any other expression before a name is a syntax error at the name."""
    if tree.data == "type_ref":
        return str(tree.children[0])
    if tree.data == "name":
        written = str(tree.children[0])
        if written != "void" or void:
            return written
    elif tree.data == "attr" and tree.children[0].data == "name":
        return f"{tree.children[0].children[0]}.{tree.children[1]}"
    raise ScriptError(PARSE_ERROR, f"line {name.line}, column {name.column}: unexpected {str(name)!r} (a "
                      "declaration needs a type such as int, Object or Storage.Item before the name)", name.line)
