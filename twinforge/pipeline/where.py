"""``--where``: a small filter language over a corpus's columns, parsed (never evaluated as code).

```
colour == "red" and n_words >= 3
outcome != ok or shape in (circle, square)
not (colour == blue)
```

A comparison is ``COLUMN OP VALUE`` (``== != < <= > >=``) or ``COLUMN in (VALUE, ...)``; a
value is a number, a quoted string or a bare word; ``and``, ``or``, ``not`` and brackets combine
them. The parse gives a pyarrow compute expression and the columns it reads; an unknown column or
a value of the wrong type is a ``UserError`` naming it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pyarrow as pa
import pyarrow.compute as pc
from lark import Lark, Token, Transformer, Tree
from lark.exceptions import LarkError, VisitError

from twinforge.errors import UserError

GRAMMAR = r"""
?start: disjunction
?disjunction: conjunction (_OR conjunction)*
?conjunction: negation (_AND negation)*
?negation: _NOT negation -> negate
         | "(" disjunction ")"
         | comparison
comparison: NAME OP value            -> compare
          | NAME _IN "(" value ("," value)* ")" -> member
?value: SIGNED_NUMBER -> number
      | ESCAPED_STRING -> string
      | NAME -> word
OP: "==" | "!=" | "<=" | ">=" | "<" | ">"
_OR: /\bor\b/
_AND: /\band\b/
_NOT: /\bnot\b/
_IN: /\bin\b/
NAME: /(?!(and|or|not|in)\b)[A-Za-z_][A-Za-z0-9_.-]*/
%import common.SIGNED_NUMBER
%import common.ESCAPED_STRING
%import common.WS
%ignore WS
"""

OPERATORS = {"==": pc.equal, "!=": pc.not_equal, "<": pc.less, "<=": pc.less_equal, ">": pc.greater,
             ">=": pc.greater_equal}


@dataclass(frozen=True)
class Filter:
    """A parsed ``--where``: the expression and the columns it reads."""

    text: str
    expression: pc.Expression
    columns: tuple[str, ...]


@cache
def _parser() -> Lark:
    return Lark(GRAMMAR, parser="lalr")


class _Build(Transformer):
    def __init__(self, schema: pa.Schema):
        super().__init__()
        self.schema = schema
        self.columns: list[str] = []

    def _column(self, name: Token) -> pa.DataType:
        if name not in self.schema.names:
            raise UserError(f"--where: no column {str(name)!r} (columns: {', '.join(self.schema.names)})")
        self.columns.append(str(name))
        kind = self.schema.field(str(name)).type
        if not (pa.types.is_string(kind) or pa.types.is_integer(kind) or pa.types.is_floating(kind)
                or pa.types.is_boolean(kind)):
            raise UserError(f"--where: column {str(name)!r} holds {kind}, not text or numbers")
        return kind

    @staticmethod
    def _typed(name: str, kind: pa.DataType, value: tuple[str, object]) -> object:
        what, data = value
        if pa.types.is_string(kind):
            return str(data)
        if pa.types.is_boolean(kind) and what == "word" and data in ("true", "false"):
            return data == "true"
        if what != "number" or pa.types.is_boolean(kind):
            raise UserError(f"--where: column {name!r} holds {kind}; {data!r} is not a value of it")
        return data

    def number(self, items: list[Token]) -> tuple[str, object]:
        text = str(items[0])
        return "number", float(text) if any(c in text for c in ".eE") else int(text)

    def string(self, items: list[Token]) -> tuple[str, object]:
        return "string", str(items[0])[1:-1].replace('\\"', '"')

    def word(self, items: list[Token]) -> tuple[str, object]:
        return "word", str(items[0])

    def compare(self, items: list) -> pc.Expression:
        name, op, value = items
        kind = self._column(name)
        return OPERATORS[str(op)](pc.field(str(name)), pc.scalar(self._typed(str(name), kind, value)))

    def member(self, items: list) -> pc.Expression:
        name, *values = items
        kind = self._column(name)
        allowed = pa.array([self._typed(str(name), kind, value) for value in values], type=kind)
        return pc.is_in(pc.field(str(name)), value_set=allowed)

    def negate(self, items: list) -> pc.Expression:
        return ~items[0]

    def conjunction(self, items: list) -> pc.Expression:
        result = items[0]
        for item in items[1:]:
            result = result & item
        return result

    def disjunction(self, items: list) -> pc.Expression:
        result = items[0]
        for item in items[1:]:
            result = result | item
        return result


def parse_where(text: str, schema: pa.Schema) -> Filter:
    """The filter ``text`` over a table of ``schema`` (``UserError`` with the position if malformed)."""
    try:
        tree = _parser().parse(text)
    except LarkError as error:
        where = f" at column {error.column}" if getattr(error, "column", None) else ""
        raise UserError(f"--where {text!r}: cannot read it{where}; write e.g. layer == value and n >= 3") from None
    build = _Build(schema)
    try:
        expression = build.transform(tree)
    except VisitError as error:
        raise error.orig_exc from None
    if isinstance(expression, Tree | tuple):
        raise UserError(f"--where {text!r}: not a comparison; write e.g. column == value")
    return Filter(text, expression, tuple(dict.fromkeys(build.columns)))
