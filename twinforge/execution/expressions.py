"""The expression half of the compiler: a lark expression tree becomes a Python closure.

``ExpressionCompiler.e_<rule>`` compiles one grammar rule; the closures read and write only their
``Scope`` and its ``Runtime`` (cheap dispatch, no ``eval``/``exec``). Binary operators arrive flat
from the grammar and are grouped here by C precedence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from lark import Token, Tree

from twinforge.execution.errors import BUILD_ERROR, ScriptError
from twinforge.execution.operators import COMPOUND, PRECEDENCE, array_slot, coerce, combine, truth
from twinforge.execution.parser import first_line
from twinforge.execution.runtime import Expr, Namespace, Scope
from twinforge.execution.values import FSArray, describe, is_number

NAME_CONSTANTS: dict[str, Any] = {"NULL": None, "nullvar": None, "true": 1, "false": 0}
"""Names that are constants rather than variables."""


class ExpressionCompiler:
    """Turns expression trees into closures. ``statics`` names the namespaces (``Math``, ``Model``).

    ``literal_slots`` (a token's position -> slot) makes a template: those number and string
    literals and variable names read their values from ``Runtime.literals[slot]``, so that one
    compile serves every text that differs from it only in them (the sandbox's statement cache).
    ``used_slots`` are the slots compiled so: a slot left out was read where a name must be fixed
    (a type, a parameter), and the template is then not valid."""

    def __init__(self, statics: frozenset[str], literal_slots: Mapping[int, int] | None = None) -> None:
        self.statics = statics
        self.literal_slots = literal_slots or {}
        self.used_slots: set[int] = set()

    def slot(self, token: Token) -> int | None:
        """The template slot of ``token`` (marked as used), or None."""
        slot = self.literal_slots.get(token.start_pos) if self.literal_slots else None
        if slot is not None:
            self.used_slots.add(slot)
        return slot

    def variable(self, token: Token) -> str | int:
        """A declared or assigned variable's name, or its template slot (``variable_name``)."""
        slot = self.slot(token)
        return str(token) if slot is None else slot

    def expr(self, tree: Tree | Token) -> Expr:
        """The closure of an expression tree, by its rule's ``e_<rule>``."""
        build = _EXPRESSION_BUILDERS.get(tree.data)
        return build(self, tree) if build is not None else getattr(self, "e_" + tree.data)(tree)

    def e_number(self, tree: Tree) -> Expr:
        """A number literal (``number_value``), or its template slot."""
        token = tree.children[0]
        slot = self.slot(token)
        if slot is not None:
            return _slot_reader(slot)
        value = number_value(str(token))
        return lambda scope: value

    def e_string(self, tree: Tree) -> Expr:
        """A string literal (``string_value``), or its template slot."""
        token = tree.children[0]
        slot = self.slot(token)
        if slot is not None:
            return _slot_reader(slot)
        value = string_value(str(token))
        return lambda scope: value

    def e_name(self, tree: Tree) -> Expr:
        """A namespace, a constant (``NULL``, ``true`` ...) or a variable looked up through the scopes;
        a name no scope declares is the built-ins' to resolve (a FlexScript class, a FlexSim
        constant, a trigger's ``current``, or an undeclared variable). A template's slot is a
        variable (the sandbox gives none to a namespace or a constant)."""
        slot = self.slot(tree.children[0])
        if slot is not None:
            return _slot_variable(slot)
        name = str(tree.children[0])
        if name in self.statics:
            namespace = Namespace(name)
            return lambda scope: namespace
        if name in NAME_CONSTANTS:
            value = NAME_CONSTANTS[name]
            return lambda scope: value

        return lambda scope: look_up(scope, name)

    def e_type_ref(self, tree: Tree) -> Expr:
        """A type name used as a value (``Array``, ``Object`` ...): its namespace."""
        namespace = Namespace(str(tree.children[0]))
        return lambda scope: namespace

    def e_array_lit(self, tree: Tree) -> Expr:
        """``[a, b, ...]``: a new Array (counted against the allocation budget)."""
        items = self.arguments(tree.children[0])

        def run(scope: Scope) -> FSArray:
            values = [item(scope) for item in items]
            scope.rt.allocate(len(values))
            return FSArray(values)

        return run

    def arguments(self, tree: Tree | None) -> tuple[Expr, ...]:
        """The closures of a call's or an array literal's arguments."""
        return () if tree is None else tuple([self.expr(child) for child in tree.children])

    def e_binary(self, tree: Tree) -> Expr:
        """Group a flat ``a op b op c ...`` by C precedence (operator-precedence parsing)."""
        items = tree.children
        operands: list[Expr] = [self.expr(items[0])]
        pending: list[str] = []

        def reduce() -> None:
            right, left = operands.pop(), operands.pop()
            operands.append(combine(pending.pop(), left, right))

        for op_token, operand in zip(items[1::2], items[2::2]):
            op = str(op_token)
            while pending and PRECEDENCE[pending[-1]] >= PRECEDENCE[op]:
                reduce()
            pending.append(op)
            operands.append(self.expr(operand))
        while pending:
            reduce()
        return operands[0]

    def e_not_(self, tree: Tree) -> Expr:
        """``!x``: 1 or 0."""
        operand = self.expr(tree.children[0])
        return lambda scope: int(not truth(operand(scope)))

    def e_bitnot(self, tree: Tree) -> Expr:
        """``~x``: the bitwise complement of an integer."""
        operand = self.expr(tree.children[0])

        def run(scope: Scope) -> Any:
            value = operand(scope)
            if not is_number(value):
                raise TypeError(f"unary '~' needs a number, got {describe(value)}")
            return ~int(value)

        return run

    def e_neg(self, tree: Tree) -> Expr:
        """``-x`` of a number."""
        operand = self.expr(tree.children[-1])

        def run(scope: Scope) -> Any:
            value = operand(scope)
            if not is_number(value):
                raise TypeError(f"unary '-' needs a number, got {describe(value)}")
            return -value

        return run

    def e_pos(self, tree: Tree) -> Expr:
        """``+x`` of a number."""
        operand = self.expr(tree.children[-1])

        def run(scope: Scope) -> Any:
            value = operand(scope)
            if not is_number(value):
                raise TypeError(f"unary '+' needs a number, got {describe(value)}")
            return value

        return run

    def e_ternary(self, tree: Tree) -> Expr:
        """``cond ? yes : no``, evaluating one branch."""
        cond, yes, no = (self.expr(child) for child in tree.children)
        return lambda scope: yes(scope) if truth(cond(scope)) else no(scope)

    def e_attr(self, tree: Tree) -> Expr:
        """``x.name``, read through the built-ins."""
        target = self.expr(tree.children[0])
        name = str(tree.children[1])
        return lambda scope: scope.rt.hooks.get_attr(scope.rt, target(scope), name)

    def e_index(self, tree: Tree) -> Expr:
        """``array[i]`` with a 1-based, bounds-checked index."""
        target, index = self.expr(tree.children[0]), self.expr(tree.children[1])

        def run(scope: Scope) -> Any:
            array, key = target(scope), index(scope)
            if type(array) is FSArray:
                return array.items[array_slot(array, key)]
            return scope.rt.hooks.get_index(scope.rt, array, key)

        return run

    def e_call(self, tree: Tree) -> Expr:
        """A method, function or constructor call, served by the built-ins; each counts as a step."""
        callee, args = tree.children[0], self.arguments(tree.children[1])
        if callee.data == "attr":
            target = self.expr(callee.children[0])
            method = str(callee.children[1])

            def run_method(scope: Scope) -> Any:
                rt = scope.rt
                rt.steps += 1
                obj = target(scope)
                return rt.hooks.call_method(rt, obj, method, [arg(scope) for arg in args])

            return run_method
        if callee.data == "name":
            function = str(callee.children[0])

            def run_function(scope: Scope) -> Any:
                rt = scope.rt
                rt.steps += 1
                values = [arg(scope) for arg in args]
                defined = rt.functions.get(function)
                if defined is not None:
                    return defined(rt, values)
                return rt.hooks.call_function(rt, function, values)

            return run_function
        if callee.data == "type_ref":
            constructor = str(callee.children[0])
            return lambda scope: scope.rt.hooks.construct(scope.rt, constructor, [arg(scope) for arg in args])
        raise ScriptError(BUILD_ERROR, "this expression cannot be called", first_line(tree))

    def _store(self, target: Tree) -> Callable[[Scope, Callable[[Any], Any]], Any]:
        """A function (scope, update) that reads the target, applies ``update`` and stores the result."""
        if target.data == "name":
            written = self.variable(target.children[0])

            def store_name(scope: Scope, update: Callable[[Any], Any]) -> Any:
                name = variable_name(scope, written)
                owner = scope.find(name)
                declared = owner.types.get(name, "var")
                value = coerce(declared, update(owner.vars[name]), name)
                owner.vars[name] = value
                return value

            return store_name
        if target.data == "attr":
            obj_expr = self.expr(target.children[0])
            attr = str(target.children[1])

            def store_attr(scope: Scope, update: Callable[[Any], Any]) -> Any:
                rt = scope.rt
                obj = obj_expr(scope)
                value = update(_Lazy(lambda: rt.hooks.get_attr(rt, obj, attr)))
                rt.hooks.set_attr(rt, obj, attr, value)
                return value

            return store_attr
        if target.data == "index":
            array_expr, index_expr = self.expr(target.children[0]), self.expr(target.children[1])

            def store_index(scope: Scope, update: Callable[[Any], Any]) -> Any:
                array, key = array_expr(scope), index_expr(scope)
                if type(array) is not FSArray:
                    hooks = scope.rt.hooks
                    value = update(_Lazy(lambda: hooks.get_index(scope.rt, array, key)))
                    hooks.set_index(scope.rt, array, key, value)
                    return value
                slot = array_slot(array, key)
                value = update(array.items[slot])
                array.items[slot] = value
                return value

            return store_index
        raise ScriptError(BUILD_ERROR, "the left side of an assignment must be a variable, an attribute or "
                          "an array element", first_line(target))

    def e_assign(self, tree: Tree) -> Expr:
        """``target = value``; the value of the expression is the stored value."""
        store = self._store(tree.children[0])
        value_expr = self.expr(tree.children[1])

        def run(scope: Scope) -> Any:
            value = value_expr(scope)
            return store(scope, lambda old: value)

        return run

    def _compound(self, tree: Tree) -> Expr:
        """``target op= value``."""
        store = self._store(tree.children[0])
        value_expr = self.expr(tree.children[1])
        op = COMPOUND[tree.data]

        def run(scope: Scope) -> Any:
            value = value_expr(scope)
            return store(scope, lambda old: op(scope.rt, _force(old), value))

        return run

    e_assign_add = e_assign_sub = e_assign_mul = e_assign_div = _compound
    e_assign_mod = e_assign_and = e_assign_or = _compound

    def _increment(self, tree: Tree, delta: int, post: bool) -> Expr:
        """``++``/``--`` before (the new value) or after (the old value) a target."""
        store = self._store(tree.children[0])

        def run(scope: Scope) -> Any:
            seen: list[Any] = []

            def update(old: Any) -> Any:
                old = _force(old)
                if not is_number(old):
                    raise TypeError(f"'++'/'--' need a number, got {describe(old)}")
                seen.append(old)
                return old + delta

            new = store(scope, update)
            return seen[0] if post else new

        return run

    def e_preinc(self, tree: Tree) -> Expr:
        """``++x``."""
        return self._increment(tree, 1, False)

    def e_predec(self, tree: Tree) -> Expr:
        """``--x``."""
        return self._increment(tree, -1, False)

    def e_postinc(self, tree: Tree) -> Expr:
        """``x++``."""
        return self._increment(tree, 1, True)

    def e_postdec(self, tree: Tree) -> Expr:
        """``x--``."""
        return self._increment(tree, -1, True)


def number_value(text: str) -> int | float:
    """The value of a number literal: a double if written with a point or exponent, else an int."""
    if text[:2] in ("0x", "0X"):
        return int(text, 16)
    return float(text) if "." in text or "e" in text or "E" in text else int(text)


def string_value(text: str) -> str:
    """The value of a string literal (quotes included in ``text``), its C escapes decoded."""
    return unescape(text[1:-1])


def _slot_reader(slot: int) -> Expr:
    """A template's literal: the value the running chunk binds to ``slot``."""
    return lambda scope: scope.rt.literals[slot]


def variable_name(scope: Scope, written: str | int) -> str:
    """The name of a variable as ``ExpressionCompiler.variable`` compiled it."""
    return scope.rt.literals[written] if type(written) is int else written


def look_up(scope: Scope, name: str) -> Any:
    """A variable's value: the innermost scope that holds ``name``, else the script's globals hook."""
    s: Scope | None = scope
    while s is not None:
        vars_ = s.vars
        if name in vars_:
            return vars_[name]
        s = s.parent
    return scope.rt.hooks.global_name(scope.rt, name)


def _slot_variable(slot: int) -> Expr:
    """A template's variable, named by the running chunk's ``slot`` (``e_name``'s look-up)."""
    return lambda scope: look_up(scope, scope.rt.literals[slot])


_EXPRESSION_BUILDERS: dict[str, Callable[[ExpressionCompiler, Any], Expr]] = {
    name[2:]: method for name, method in vars(ExpressionCompiler).items() if name.startswith("e_")
}
"""Rule name -> ``ExpressionCompiler.e_<name>``: a dict look-up per node instead of building the name."""


class _Lazy:
    """An attribute's old value, read only when a compound assignment needs it."""

    __slots__ = ("read",)

    def __init__(self, read: Callable[[], Any]) -> None:
        self.read = read


def _force(value: Any) -> Any:
    """The value itself, or a lazily read attribute's value."""
    return value.read() if isinstance(value, _Lazy) else value


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}
"""C escape letter -> character; any other escaped character stands for itself."""


_ESCAPE = re.compile(r"\\(\r\n|.)", re.DOTALL)
"""A backslash and what it escapes: a line break (CR LF as one) or any one character."""


def unescape(body: str) -> str:
    """Decode the C escapes of a string literal's body (a backslash before a line break continues
    the string on the next line; a last lone backslash stays). One regex pass: a loop over the
    characters was most of the cost of reading a new script's long code-string literals."""
    return _ESCAPE.sub(_escaped, body) if "\\" in body else body


def _escaped(match: re.Match[str]) -> str:
    """What one escape stands for: nothing for a line continuation, else its character."""
    char = match[1]
    return "" if char in ("\r\n", "\r", "\n") else _ESCAPES.get(char, char)
