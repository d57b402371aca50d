"""Constrained-decoding grammars of the valid genes, generated from the template library (GeneVLM §5.2).

``gene_grammar(fmt, category, values)`` prints one of four formats:

- ``lark``: a lark grammar (start rule ``start``; lark's default Earley parser);
- ``gbnf``: llama.cpp's GBNF (start rule ``root``);
- ``regex``: one Python/JSON-Schema-style regular expression (``re.fullmatch``), for regex-guided decoders;
- ``json-schema``: a JSON Schema (draft 2020-12) for JSON-schema-guided decoders.

The first three accept exactly the canonical text of the valid genes (``schemas.gene``): Python
``json.dumps`` layout with default separators, keys in the release's order, parameters in the
template's order, every vector its declared length, every value inside its domain (floats with 1 to
``FLOAT_DIGITS`` fraction digits, as the canonical text writes them), pose integers on the release's
grid. ``values`` says how parameter values are written: ``float`` (the gene column), ``release``
(float tokens 2048-3071, the ``gene_tokens`` column) or ``paper`` (quantile indices 0-1023). JSON
Schema cannot fix key order or number spelling, so it accepts the same genes in any JSON layout.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from twinforge.errors import UserError
from twinforge.families.gene.categories import param_table
from twinforge.families.gene.number_patterns import number_pattern
from twinforge.families.gene.tokens import BINS, RELEASE_OFFSET
from twinforge.schemas.gene import FLOAT_DIGITS, ParamDomain

FORMATS = ("lark", "gbnf", "regex", "json-schema")
VALUE_FORMS = ("float", "release", "paper")
POSITION_RANGE = (-1, 1)
ROTATION_RANGE = (-180, 180)


@dataclass(frozen=True)
class Lit:
    """Exact text."""

    text: str


@dataclass(frozen=True)
class Chars:
    """One character in ``low``-``high``."""

    low: str
    high: str


@dataclass(frozen=True)
class Ref:
    """Another rule."""

    name: str


@dataclass(frozen=True)
class Seq:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Alt:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Star:
    """Zero or more repetitions."""

    item: Expr


Expr = Lit | Chars | Ref | Seq | Alt | Star


@dataclass(frozen=True)
class Grammar:
    """Rules in order (the first is the start rule); ``lexical`` rules are printed as lark terminals."""

    rules: dict[str, Expr]
    lexical: frozenset[str]


def _value_range(domain: ParamDomain, values: str) -> tuple[float, float, int]:
    if values == "release":
        return RELEASE_OFFSET, RELEASE_OFFSET + BINS - 1, 0
    if values == "paper":
        return 0, BINS - 1, 0
    return domain.low, domain.high, FLOAT_DIGITS


def _number(low: float, high: float, digits: int) -> Expr:
    alternatives = []
    for alternative in number_pattern(low, high, digits):
        items: list[Expr] = []
        for a, b in alternative:
            if a != b:
                items.append(Chars(a, b))
            elif items and isinstance(items[-1], Lit):
                items[-1] = Lit(items[-1].text + a)
            else:
                items.append(Lit(a))
        alternatives.append(Seq(tuple(items)))
    return Alt(tuple(alternatives))


def _name(*parts: str) -> str:
    return "_".join(re.sub(r"[^a-z0-9]+", "_", part.lower()).strip("_") for part in parts)


def _vector(number: str, length: int) -> Expr:
    items: list[Expr] = [Lit("[")]
    for k in range(length):
        items += [*([Lit(", ")] if k else []), Ref(number)]
    return Seq((*items, Lit("]")))


def build_grammar(categories: Iterable[str], values: str) -> Grammar:
    """The grammar of the valid genes of ``categories`` with values written as ``values``."""
    table = param_table()
    chosen = list(categories)
    rules: dict[str, Expr] = {"start": Alt(tuple(Ref(_name("gene", c)) for c in chosen))}
    lexical: set[str] = set()

    def number(low: float, high: float, digits: int) -> str:
        name = _name("num", f"{low:g}".replace("-", "m"), f"{high:g}".replace("-", "m"), str(digits))
        if name not in rules:
            rules[name] = _number(low, high, digits)
            lexical.add(name)
        return name

    position, rotation = number(*POSITION_RANGE, 0), number(*ROTATION_RANGE, 0)
    rules["pose"] = Seq((Lit('{"global_position": '), _vector(position, 3), Lit(', "global_rotation": '),
                         _vector(rotation, 3), Lit("}")))
    for category in chosen:
        instance_names = []
        for template, params in table[category].items():
            parts: list[Expr] = [Lit('{"template": ' + json.dumps(template) + ', "parameters": {')]
            for k, (param, domain) in enumerate(params.items()):
                parts += [Lit(("" if k == 0 else ", ") + json.dumps(param) + ": "),
                          _vector(number(*_value_range(domain, values)), domain.length)]
            name = _name("inst", category, template)
            if name in rules:
                raise ValueError(f"rule name {name} is not unique ({category} {template})")
            rules[name] = Seq((*parts, Lit("}}")))
            instance_names.append(name)
        instance = _name("instance", category)
        rules[instance] = Alt(tuple(Ref(n) for n in instance_names))
        rules[_name("gene", category)] = Seq((
            Lit('{"category": ' + json.dumps(category) + ', "pose": '), Ref("pose"),
            Lit(', "conceptualization": ['), Ref(instance), Star(Seq((Lit(", "), Ref(instance)))), Lit("]}")))
    return Grammar(rules, frozenset(lexical))


# ---------------------------------------------------------------- printers
_SPECIAL = re.compile(r"([.^$*+?()\[\]{}|\\/])")


def _escape(text: str) -> str:
    """Text as a regular expression every common engine reads alike (Python, ECMAScript, RE2)."""
    return _SPECIAL.sub(r"\\\1", text)


def _regex(expr: Expr, grammar: Grammar) -> str:
    if isinstance(expr, Lit):
        return _escape(expr.text)
    if isinstance(expr, Chars):
        return _escape(expr.low) if expr.low == expr.high else f"[{expr.low}-{expr.high}]"
    if isinstance(expr, Ref):
        return _regex(grammar.rules[expr.name], grammar)
    if isinstance(expr, Seq):
        return "".join(_regex(item, grammar) for item in expr.items)
    if isinstance(expr, Alt):
        inner = [_regex(item, grammar) for item in expr.items]
        return inner[0] if len(inner) == 1 else "(?:" + "|".join(inner) + ")"
    return "(?:" + _regex(expr.item, grammar) + ")*"


def _bnf(expr: Expr, grammar: Grammar, ref: Callable[[str], str], chars: Callable[[Chars], str]) -> str:
    """An expression in lark or GBNF syntax (they differ in rule names and character classes)."""
    if isinstance(expr, Lit):
        return json.dumps(expr.text)
    if isinstance(expr, Chars):
        return chars(expr)
    if isinstance(expr, Ref):
        return ref(expr.name)
    if isinstance(expr, Seq):
        return " ".join(_bnf(item, grammar, ref, chars) for item in expr.items)
    if isinstance(expr, Alt):
        return "(" + " | ".join(_bnf(item, grammar, ref, chars) for item in expr.items) + ")"
    return "(" + _bnf(expr.item, grammar, ref, chars) + ")*"


def to_lark(grammar: Grammar) -> str:
    """Lark rules; number rules as regular-expression terminals."""
    def ref(name: str) -> str:
        return name.upper() if name in grammar.lexical else name

    lines = []
    for name, expr in grammar.rules.items():
        if name in grammar.lexical:
            # a whole number, never a prefix of one (lark's Earley lexer takes the first alternative that matches)
            lines.append(f"{name.upper()}: /(?:{_regex(expr, grammar)})(?![0-9.])/")
        else:
            lines.append(f"{name}: {_bnf(expr, grammar, ref, lambda c: '/' + _regex(c, grammar) + '/')}")
    return "\n".join(lines) + "\n"


_DIGIT_LETTERS = str.maketrans("0123456789", "abcdefghij")


def to_gbnf(grammar: Grammar) -> str:
    """GBNF rules (names with dashes; the start rule is ``root``)."""
    def ref(name: str) -> str:  # letters and dashes only: some GBNF readers refuse digits in names
        return "root" if name == "start" else name.replace("_", "-").translate(_DIGIT_LETTERS)

    def chars(c: Chars) -> str:
        return json.dumps(c.low) if c.low == c.high else f"[{c.low}-{c.high}]"

    return "\n".join(f"{ref(name)} ::= {_bnf(expr, grammar, ref, chars)}" for name, expr in grammar.rules.items()) + "\n"


def to_regex(grammar: Grammar) -> str:
    """One regular expression of the whole gene."""
    return _regex(grammar.rules["start"], grammar)


def json_schema(categories: Iterable[str], values: str) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of the valid genes of ``categories``."""
    table = param_table()

    def numbers(domain: ParamDomain) -> dict[str, Any]:
        low, high, digits = _value_range(domain, values)
        return {"type": "integer" if digits == 0 else "number", "minimum": low, "maximum": high}

    def vector(items: dict[str, Any], length: int) -> dict[str, Any]:
        return {"type": "array", "items": items, "minItems": length, "maxItems": length}

    pose = {"type": "object", "additionalProperties": False, "required": ["global_position", "global_rotation"],
            "properties": {"global_position": vector({"type": "integer", "minimum": POSITION_RANGE[0],
                                                      "maximum": POSITION_RANGE[1]}, 3),
                           "global_rotation": vector({"type": "integer", "minimum": ROTATION_RANGE[0],
                                                      "maximum": ROTATION_RANGE[1]}, 3)}}
    defs: dict[str, Any] = {"pose": pose}
    genes = []
    for category in categories:
        instances = []
        for template, params in table[category].items():
            key = f"{category}.{template}"
            defs[key] = {"type": "object", "additionalProperties": False, "required": ["template", "parameters"],
                         "properties": {"template": {"const": template}, "parameters": {
                             "type": "object", "additionalProperties": False, "required": list(params),
                             "properties": {p: vector(numbers(d), d.length) for p, d in params.items()}}}}
            instances.append({"$ref": f"#/$defs/{key}"})
        genes.append({"type": "object", "additionalProperties": False,
                      "required": ["category", "pose", "conceptualization"],
                      "properties": {"category": {"const": category}, "pose": {"$ref": "#/$defs/pose"},
                                     "conceptualization": {"type": "array", "minItems": 1,
                                                           "items": {"anyOf": instances}}}})
    top = genes[0] if len(genes) == 1 else {"anyOf": genes}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Digital Gene", **top,
            "$defs": defs}


def gene_grammar(fmt: str, category: str | None = None, values: str = "float") -> str:
    """The grammar text of the valid genes (of one category, or of all) in format ``fmt``."""
    table = param_table()
    if fmt not in FORMATS:
        raise UserError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}")
    if values not in VALUE_FORMS:
        raise UserError(f"--values {values!r} is not one of {', '.join(VALUE_FORMS)}")
    if category is not None and category not in table:
        raise UserError(f"--category {category!r} is not one of {', '.join(table)}")
    chosen = [category] if category else list(table)
    if fmt == "json-schema":
        return json.dumps(json_schema(chosen, values), indent=2) + "\n"
    grammar = build_grammar(chosen, values)
    return {"lark": to_lark, "gbnf": to_gbnf, "regex": lambda g: to_regex(g) + "\n"}[fmt](grammar)


__all__ = ["FORMATS", "VALUE_FORMS", "Grammar", "build_grammar", "gene_grammar", "json_schema", "to_gbnf",
           "to_lark", "to_regex"]
