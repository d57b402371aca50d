"""A sandboxed tree-walking interpreter for the FlexScript subset (twinforge's, not FlexSim's).

The lark tree is compiled once into nested Python closures (cheap dispatch, no ``eval``/``exec``);
running them touches only a ``Runtime``: its scopes, its budgets and the built-ins it was given.
Budgets: executed steps (statements, loop turns, calls), wall time, array and string sizes.
Statement closures return ``None``, ``BREAK``, ``CONTINUE`` or a ``Return``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from lark import Token, Tree

from twinforge.execution.errors import BUILD_ERROR, ScriptError
from twinforge.execution.limits import Limits
from twinforge.execution.parser import first_line
from twinforge.execution.values import FSArray, FSItem, FSNode, FSObject, Vec3, describe, is_number, type_name

STATEMENT_KEYWORDS = frozenset({"IF", "FOR", "WHILE", "SWITCH", "BREAK", "CONTINUE", "RETURN"})
"""Keyword tokens kept in the tree only for their line numbers."""

BREAK = object()
CONTINUE = object()


class Return:
    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value


class Namespace:
    """A static namespace such as ``Math``, ``Model``, ``Object`` or ``string``."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


class Scope:
    """One block's variables and their declared types; ``rt`` is the shared runtime."""

    __slots__ = ("parent", "rt", "types", "vars")

    def __init__(self, rt: Runtime, parent: Scope | None = None):
        self.vars: dict[str, Any] = {}
        self.types: dict[str, str] = {}
        self.parent = parent
        self.rt = rt

    def find(self, name: str) -> Scope:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.vars:
                return scope
            scope = scope.parent
        raise ScriptError(BUILD_ERROR, f"undeclared variable '{name}'", self.rt.line)


class Runtime:
    """Budgets and hooks of one run. ``hooks`` supplies the built-ins (see ``builtins.py``).

    ``line`` is the script line of the running statement. Statements compiled from a chunk of
    the script (``sandbox``'s statement cache) carry lines counted from the chunk's first line;
    ``line_base`` (the lines before the chunk) turns them into script lines.
    """

    def __init__(self, limits: Limits, hooks: Any, *, max_steps: int, max_seconds: float):
        self.limits = limits
        self.hooks = hooks
        self.max_steps = max_steps
        self.steps = 0
        self.deadline = time.perf_counter() + max_seconds
        self.max_seconds = max_seconds
        self.line: int | None = None
        self.line_base = 0
        self.allocated = 0

    def allocate(self, size: int) -> None:
        """Count ``size`` new array elements or string characters against ``max_allocation``."""
        self.allocated += size
        if self.allocated > self.limits.max_allocation:
            raise ScriptError(BUILD_ERROR, f"the script allocated more than {self.limits.max_allocation:,} array "
                              "elements and string characters in total", self.line)

    def budget_exceeded(self) -> None:
        """Called every 1,024 steps and when ``max_steps`` is reached."""
        if self.steps > self.max_steps:
            raise ScriptError(BUILD_ERROR, f"step budget of {self.max_steps:,} exceeded (an endless loop?)",
                              self.line)
        if time.perf_counter() > self.deadline:
            raise ScriptError(BUILD_ERROR, f"time budget of {self.max_seconds} s exceeded (an endless loop?)",
                              self.line)


Expr = Callable[[Scope], Any]
Stmt = Callable[[Scope], Any]

TYPE_DEFAULTS: dict[str, Callable[[], Any]] = {
    "int": lambda: 0, "double": lambda: 0.0, "string": lambda: "", "treenode": lambda: None,
    "Object": lambda: None, "Variant": lambda: None, "var": lambda: None, "Array": FSArray,
    "Vec3": Vec3, "Color": Vec3,
}


def coerce(type_: str, value: Any, name: str) -> Any:
    """Convert ``value`` for a variable declared ``type_`` (FlexScript's implicit conversions)."""
    if type_ == "var" or type_ == "Variant":
        return value
    if type_ == "int" or type_ == "double":
        if not is_number(value):
            raise TypeError(f"cannot store a {type_name(value)} in {type_} '{name}'")
        return int(value) if type_ == "int" else float(value)
    if type_ == "string":
        if type(value) is not str:
            raise TypeError(f"cannot store a {type_name(value)} in string '{name}' (use string.fromNum)")
        return value
    if type_ == "Object":
        if value is None or isinstance(value, (FSObject, FSItem)):
            return value
        raise TypeError(f"cannot store a {type_name(value)} in Object '{name}'")
    if type_ == "treenode":
        if value is None or isinstance(value, (FSObject, FSNode, FSItem)):
            return value
        raise TypeError(f"cannot store a {type_name(value)} in treenode '{name}'")
    if type_ == "Array":
        if isinstance(value, FSArray):
            return value
        raise TypeError(f"cannot store a {type_name(value)} in Array '{name}'")
    if isinstance(value, Vec3):
        return Vec3(value.x, value.y, value.z)
    raise TypeError(f"cannot store a {type_name(value)} in {type_} '{name}'")


def truth(value: Any) -> bool:
    if type(value) is int or type(value) is float:
        return value != 0
    if value is None:
        return False
    if type(value) is str:
        return value != ""
    return True


# ----------------------------------------------------------------------------- operators
def _numbers(op: str, a: Any, b: Any) -> None:
    if not (is_number(a) and is_number(b)):
        if op == "+" and (type(a) is str or type(b) is str):
            raise TypeError(f"cannot add {type_name(a)} and {type_name(b)}: FlexScript does not mix strings "
                            "and numbers (use string.fromNum)")
        raise TypeError(f"operator '{op}' needs numbers, got {describe(a)} and {describe(b)}")


def op_add(rt: Runtime, a: Any, b: Any) -> Any:
    if type(a) is str and type(b) is str:
        if len(a) + len(b) > rt.limits.max_string_length:
            raise ScriptError(BUILD_ERROR, f"string longer than {rt.limits.max_string_length:,} characters",
                              rt.line)
        rt.allocate(len(a) + len(b))
        return a + b
    _numbers("+", a, b)
    return a + b


def op_sub(rt: Runtime, a: Any, b: Any) -> Any:
    _numbers("-", a, b)
    return a - b


def op_mul(rt: Runtime, a: Any, b: Any) -> Any:
    _numbers("*", a, b)
    return a * b


def op_div(rt: Runtime, a: Any, b: Any) -> Any:
    _numbers("/", a, b)
    if b == 0:
        raise ZeroDivisionError("division by zero")
    if type(a) is int and type(b) is int:
        quotient = abs(a) // abs(b)
        return quotient if (a >= 0) == (b >= 0) else -quotient
    return a / b


def op_mod(rt: Runtime, a: Any, b: Any) -> Any:
    _numbers("%", a, b)
    a, b = int(a), int(b)
    if b == 0:
        raise ZeroDivisionError("modulo by zero")
    remainder = abs(a) % abs(b)
    return remainder if a >= 0 else -remainder


def _compare(op: str, a: Any, b: Any) -> bool:
    if (is_number(a) and is_number(b)) or (type(a) is str and type(b) is str):
        if op == "<":
            return a < b
        if op == ">":
            return a > b
        if op == "<=":
            return a <= b
        return a >= b
    raise TypeError(f"operator '{op}' cannot compare {describe(a)} and {describe(b)}")


def equal(a: Any, b: Any) -> bool:
    if is_number(a) and is_number(b):
        return a == b
    if type(a) is str and type(b) is str:
        return a == b
    return a is b


BINARY: dict[str, Callable[[Runtime, Any, Any], Any]] = {
    "+": op_add, "-": op_sub, "*": op_mul, "/": op_div, "%": op_mod,
    "<": lambda rt, a, b: int(_compare("<", a, b)), ">": lambda rt, a, b: int(_compare(">", a, b)),
    "<=": lambda rt, a, b: int(_compare("<=", a, b)), ">=": lambda rt, a, b: int(_compare(">=", a, b)),
    "==": lambda rt, a, b: int(equal(a, b)), "!=": lambda rt, a, b: int(not equal(a, b)),
}
PRECEDENCE = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, ">": 4, "<=": 4, ">=": 4, "+": 5, "-": 5,
              "*": 6, "/": 6, "%": 6}
"""C precedence of the binary operators (all left-associative)."""


def _combine(op: str, left: Callable[[Any], Any], right: Callable[[Any], Any]) -> Callable[[Any], Any]:
    if op == "&&":
        return lambda scope: int(truth(left(scope)) and truth(right(scope)))
    if op == "||":
        return lambda scope: int(truth(left(scope)) or truth(right(scope)))
    function = BINARY[op]
    return lambda scope: function(scope.rt, left(scope), right(scope))
COMPOUND = {"assign_add": op_add, "assign_sub": op_sub, "assign_mul": op_mul, "assign_div": op_div}


# ----------------------------------------------------------------------------- compiler
class Compiler:
    """Turns a lark tree into closures. ``statics`` names the namespaces (``Math``, ``Model``).

    A statement without a token of its own (``;``, ``{}``) takes the line of the statement
    compiled before it (``last_line``); ``unlined`` says that one had none to take, so the same
    text compiled after other statements would get a line where this compile has None.
    """

    def __init__(self, statics: frozenset[str]):
        self.statics = statics
        self.last_line: int | None = None
        self.unlined = False

    # statements -------------------------------------------------------------------
    def program(self, tree: Tree) -> Stmt:
        return self.sequence([child for child in tree.children if child is not None], new_scope=False)

    def statements(self, tree: Tree) -> tuple[Stmt, ...]:
        """The top-level statements of a parsed text, to be run one after another in one scope."""
        return tuple([self.statement(child) for child in tree.children if child is not None])

    def sequence(self, trees: list[Tree], *, new_scope: bool) -> Stmt:
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
        return self.sequence([child for child in tree.children if child is not None], new_scope=True)

    def s_empty_stmt(self, tree: Tree) -> Stmt:
        return lambda scope: None

    def s_expr_stmt(self, tree: Tree) -> Stmt:
        expr = self.expr(tree.children[0])

        def run(scope: Scope) -> None:
            expr(scope)

        return run

    def s_decl_stmt(self, tree: Tree) -> Stmt:
        return self.declaration(tree.children[0])

    def declaration(self, tree: Tree) -> Stmt:
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
        return lambda scope: BREAK

    def s_continue_stmt(self, tree: Tree) -> Stmt:
        return lambda scope: CONTINUE

    def s_return_stmt(self, tree: Tree) -> Stmt:
        expr = self.expr(tree.children[0])
        return lambda scope: Return(expr(scope))

    # expressions ------------------------------------------------------------------
    def expr(self, tree: Tree | Token) -> Expr:
        build = _EXPRESSION_BUILDERS.get(tree.data)
        return build(self, tree) if build is not None else getattr(self, "e_" + tree.data)(tree)

    def e_number(self, tree: Tree) -> Expr:
        text = str(tree.children[0])
        value: int | float = float(text) if "." in text or "e" in text or "E" in text else int(text)
        return lambda scope: value

    def e_string(self, tree: Tree) -> Expr:
        value = unescape(tree.children[0][1:-1])
        return lambda scope: value

    def e_name(self, tree: Tree) -> Expr:
        name = str(tree.children[0])
        if name in self.statics:
            namespace = Namespace(name)
            return lambda scope: namespace
        constant = {"NULL": None, "nullvar": None, "true": 1, "false": 0}
        if name in constant:
            value = constant[name]
            return lambda scope: value

        def run(scope: Scope) -> Any:
            s: Scope | None = scope
            while s is not None:
                vars_ = s.vars
                if name in vars_:
                    return vars_[name]
                s = s.parent
            raise ScriptError(BUILD_ERROR, f"undeclared variable '{name}'")

        return run

    def e_type_ref(self, tree: Tree) -> Expr:
        namespace = Namespace(str(tree.children[0].children[0]))
        return lambda scope: namespace

    def e_array_lit(self, tree: Tree) -> Expr:
        items = self.arguments(tree.children[0])

        def run(scope: Scope) -> FSArray:
            values = [item(scope) for item in items]
            scope.rt.allocate(len(values))
            return FSArray(values)

        return run

    def arguments(self, tree: Tree | None) -> tuple[Expr, ...]:
        return () if tree is None else tuple([self.expr(child) for child in tree.children])

    def e_binary(self, tree: Tree) -> Expr:
        """Group a flat ``a op b op c ...`` by C precedence (operator-precedence parsing)."""
        items = tree.children
        operands: list[Expr] = [self.expr(items[0])]
        pending: list[str] = []

        def reduce() -> None:
            right, left = operands.pop(), operands.pop()
            operands.append(_combine(pending.pop(), left, right))

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
        operand = self.expr(tree.children[0])
        return lambda scope: int(not truth(operand(scope)))

    def e_neg(self, tree: Tree) -> Expr:
        operand = self.expr(tree.children[-1])

        def run(scope: Scope) -> Any:
            value = operand(scope)
            if not is_number(value):
                raise TypeError(f"unary '-' needs a number, got {describe(value)}")
            return -value

        return run

    def e_pos(self, tree: Tree) -> Expr:
        operand = self.expr(tree.children[-1])

        def run(scope: Scope) -> Any:
            value = operand(scope)
            if not is_number(value):
                raise TypeError(f"unary '+' needs a number, got {describe(value)}")
            return value

        return run

    def e_ternary(self, tree: Tree) -> Expr:
        cond, yes, no = (self.expr(child) for child in tree.children)
        return lambda scope: yes(scope) if truth(cond(scope)) else no(scope)

    def e_attr(self, tree: Tree) -> Expr:
        target = self.expr(tree.children[0])
        name = str(tree.children[1])
        return lambda scope: scope.rt.hooks.get_attr(scope.rt, target(scope), name)

    def e_index(self, tree: Tree) -> Expr:
        target, index = self.expr(tree.children[0]), self.expr(tree.children[1])

        def run(scope: Scope) -> Any:
            array = target(scope)
            return array.items[array_slot(array, index(scope))]

        return run

    def e_call(self, tree: Tree) -> Expr:
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
                return rt.hooks.call_function(rt, function, [arg(scope) for arg in args])

            return run_function
        if callee.data == "type_ref":
            constructor = str(callee.children[0].children[0])
            return lambda scope: scope.rt.hooks.construct(scope.rt, constructor, [arg(scope) for arg in args])
        raise ScriptError(BUILD_ERROR, "this expression cannot be called", first_line(tree))

    # assignment -------------------------------------------------------------------
    def _store(self, target: Tree) -> Callable[[Scope, Callable[[Any], Any]], Any]:
        """A function (scope, update) that reads the target, applies ``update`` and stores the result."""
        if target.data == "name":
            name = str(target.children[0])

            def store_name(scope: Scope, update: Callable[[Any], Any]) -> Any:
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
                array = array_expr(scope)
                slot = array_slot(array, index_expr(scope))
                value = update(array.items[slot])
                array.items[slot] = value
                return value

            return store_index
        raise ScriptError(BUILD_ERROR, "the left side of an assignment must be a variable, an attribute or "
                          "an array element", first_line(target))

    def e_assign(self, tree: Tree) -> Expr:
        store = self._store(tree.children[0])
        value_expr = self.expr(tree.children[1])

        def run(scope: Scope) -> Any:
            value = value_expr(scope)
            return store(scope, lambda old: value)

        return run

    def _compound(self, tree: Tree) -> Expr:
        store = self._store(tree.children[0])
        value_expr = self.expr(tree.children[1])
        op = COMPOUND[tree.data]

        def run(scope: Scope) -> Any:
            value = value_expr(scope)
            return store(scope, lambda old: op(scope.rt, _force(old), value))

        return run

    e_assign_add = e_assign_sub = e_assign_mul = e_assign_div = _compound

    def _increment(self, tree: Tree, delta: int, post: bool) -> Expr:
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
        return self._increment(tree, 1, False)

    def e_predec(self, tree: Tree) -> Expr:
        return self._increment(tree, -1, False)

    def e_postinc(self, tree: Tree) -> Expr:
        return self._increment(tree, 1, True)

    def e_postdec(self, tree: Tree) -> Expr:
        return self._increment(tree, -1, True)


_EXPRESSION_BUILDERS: dict[str, Callable[[Compiler, Any], Expr]] = {
    name[2:]: method for name, method in vars(Compiler).items() if name.startswith("e_")
}
"""Rule name -> ``Compiler.e_<name>``: a dict look-up per node instead of building the name."""


class _Lazy:
    """An attribute's old value, read only when a compound assignment needs it."""

    __slots__ = ("read",)

    def __init__(self, read: Callable[[], Any]):
        self.read = read


def _force(value: Any) -> Any:
    return value.read() if isinstance(value, _Lazy) else value


def array_slot(array: Any, index: Any) -> int:
    """0-based slot of a 1-based FlexScript index, with FlexScript's bounds check."""
    if not isinstance(array, FSArray):
        raise TypeError(f"cannot index a {type_name(array)}")
    if not is_number(index):
        raise TypeError(f"array index must be a number, got {describe(index)}")
    slot = int(index) - 1
    if not 0 <= slot < len(array.items):
        raise IndexError(f"array index {index} out of bounds (the array has {len(array.items)} elements; "
                         "FlexScript arrays start at 1)")
    return slot


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}


def unescape(body: str) -> str:
    """Decode the C escapes of a string literal's body."""
    if "\\" not in body:
        return body
    out: list[str] = []
    i, n = 0, len(body)
    while i < n:
        ch = body[i]
        if ch == "\\" and i + 1 < n:
            out.append(_ESCAPES.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


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
