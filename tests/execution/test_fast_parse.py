"""The fast reader (``fast_parse``) against plain lark (``grammar.lark_parser``), the oracle:
identical trees, token for token, on every golden script, some hundreds of generated ones and
broken variants of them; and the switch that turns the fast reader off."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path
from typing import Any

import pytest
from lark import Token, Tree
from lark.exceptions import UnexpectedInput

from twinforge.execution import ScriptError, build_graph, check_script, fast_parse, parser, sandbox
from twinforge.execution.fast_parse import parse_fast
from twinforge.execution.grammar import LEXICON_TERMINALS, lark_parser
from twinforge.execution.parser import parse

TESTS = Path(__file__).parent.parent
GOLDEN = sorted([*(TESTS / "renderers" / "golden").glob("*.fs"), *(TESTS / "execution" / "data").glob("*.fs")])
REAL = sorted((TESTS / "execution" / "real").glob("*.fs"))
"""Real-style FlexScript: the broader language (declarations of any class, functions, do-while,
hex, bitwise operators, forobject loops, line continuations)."""
GENERATED = TESTS / "execution" / "data" / "generated_scripts.json.gz"
"""300 scripts: ``render_flexscript(spec, style)`` for ``sample_specs(150, seed=2026)`` in both
styles, stored so that this test depends on neither the sampler nor the templates."""


def generated_scripts() -> list[str]:
    """The stored generated scripts."""
    with gzip.open(GENERATED, "rt", encoding="utf-8") as handle:
        return json.load(handle)["scripts"]


def shape(node: Any) -> Any:
    """A tree as nested tuples; tokens with type, text and position (``Token ==`` compares text only)."""
    if isinstance(node, Tree):
        return (str(node.data), tuple(shape(child) for child in node.children))
    if isinstance(node, Token):
        return (node.type, str(node), node.start_pos, node.line, node.column)
    return node


def plain(code: str) -> Any:
    """The oracle's reading: the tree's shape, or ``None`` where plain lark refuses the text."""
    try:
        return shape(lark_parser().parse(code))
    except UnexpectedInput:
        return None


def fast(code: str) -> Any:
    """The fast reader's reading: the tree's shape, or ``None`` where it refuses the text."""
    try:
        return shape(parse_fast(code))
    except (UnexpectedInput, ScriptError):
        return None


def broken(scripts: list[str], count: int, seed: int) -> list[str]:
    """Scripts cut short, with lines deleted, or with a character deleted or inserted."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        code = rng.choice(scripts)
        how = rng.randrange(3)
        if how == 0:
            out.append(code[:rng.randrange(len(code))])
        elif how == 1:
            lines = code.split("\n")
            del lines[rng.randrange(len(lines))]
            out.append("\n".join(lines))
        else:
            at = rng.randrange(len(code))
            out.append(code[:at] + rng.choice(['', ';', '(', ')', '{', '}', '"', '/', '*', '.', 'e', '1', '\n'])
                       + code[at + 1:])
    return out


def written(lark_regex: str) -> str:
    """A regex as lark keeps it, written back: lark keeps ``\\/`` and turns ``\\n``-style escapes
    into the characters themselves."""
    for char, escape in (("\n", r"\n"), ("\t", r"\t"), ("\r", r"\r"), ("\f", r"\f")):
        lark_regex = lark_regex.replace(char, escape)
    return lark_regex.replace(r"\/", "/")


def test_the_grammar_takes_the_lexicon_patterns() -> None:
    terminals = {terminal.name: terminal.pattern for terminal in lark_parser().terminals}
    for name, pattern in LEXICON_TERMINALS.items():
        assert (terminals[name].type, written(terminals[name].value)) == ("re", pattern)


@pytest.mark.parametrize("path", GOLDEN, ids=lambda path: path.name)
def test_golden_scripts_read_alike(path: Path) -> None:
    code = path.read_text(encoding="utf-8")
    tree = fast(code)
    assert tree is not None
    assert tree == plain(code)


def test_generated_scripts_read_alike() -> None:
    scripts = generated_scripts()
    assert len(scripts) == 300
    for code in scripts:
        tree = fast(code)
        assert tree is not None
        assert tree == plain(code)


@pytest.mark.parametrize("path", REAL, ids=lambda path: path.name)
def test_real_style_scripts_read_alike(path: Path) -> None:
    code = path.read_text(encoding="utf-8")
    tree = fast(code)
    assert tree is not None
    assert tree == plain(code)


@pytest.mark.parametrize("code", [
    "int i = 0, j = 1, k;", "Table t; Map m; List l; DateTime d; Token tk; Group g;",
    "Storage.Item si = x; Storage.Object so; Conveyor.Item ci; Conveyor.DecisionPoint dp; Http.Request r;",
    "return;", "do { i++; } while (i < 3);", "do i++; while (i < 3);", "x = 0xFF & 0x0f | 3 ^ ~1;",
    "x %= 3; x &= 1; x |= 4;", "forobjecttreeunder(model()) { a.name = \"x\"; }", "forobjectlayerunder(n) print(a);",
    "void f(int a, Object b) { return; }", "Object make(string c) { return Object.create(c); }",
    "for (i = 0, j = 1; i < j; i++, j--) {}", 's = "a\\\nb";', 's = "a\\\r\nb";',
    "x = a.Object;", "print(\"t\" + Model.time);",
])
def test_new_constructs_read_alike(code: str) -> None:
    tree = fast(code)
    assert tree is not None
    assert tree == plain(code)


def test_broken_scripts_read_alike() -> None:
    """Both readers refuse the same broken texts and read the others alike."""
    scripts = [path.read_text(encoding="utf-8") for path in GOLDEN + REAL] + generated_scripts()[:40]
    refused = 0
    for code in broken(scripts, 400, seed=3):
        tree = fast(code)
        assert tree == plain(code), code
        refused += tree is None
    assert 50 < refused < 400


def variable_like(tokens: list[Token], index: int, fixed: frozenset[str]) -> bool:
    """The oracle of ``FastLexer.literals``'s names: a NAME not in ``fixed``, not after ``.``,
    not before ``(`` or another name."""
    token = tokens[index]
    after = tokens[index + 1] if index + 1 < len(tokens) else None
    return (token.type == "NAME" and str(token) not in fixed and (index == 0 or tokens[index - 1] != ".")
            and (after is None or (after != "(" and not str(after).isidentifier())))


def test_literal_spans_are_the_literals_and_variable_names_plain_lark_reads() -> None:
    """The sandbox's cache looks past exactly the literals and variable-like names lark reads, and
    gives up where it would."""
    scripts = [path.read_text(encoding="utf-8") for path in GOLDEN + REAL] + generated_scripts()[:40]
    fixed = frozenset({"Math", "true"})
    for code in scripts + ['s = "a\\\nb"; x = .5 + 1e3 + 0x1F; t = x2.y; f (x, Math, true);',
                           "// \"5\"\nx = 5 /* 6 */; Table t; Storage.Item i = y"]:
        tokens = list(lark_parser().lex(code))
        expected = [(token.type, token.start_pos, token.end_pos) for index, token in enumerate(tokens)
                    if token.type in ("NUMBER", "STRING") or variable_like(tokens, index, fixed)]
        assert fast_parse.literal_spans(code, fixed) == expected
    assert fast_parse.literal_spans('x = "open;') is None
    assert fast_parse.literal_spans("x = 5 @ 6;") is None


def test_the_switch_reads_with_plain_lark(monkeypatch: pytest.MonkeyPatch) -> None:
    """Switched off, scripts are read by plain lark alone and long ones compiled whole: same results."""
    code = GOLDEN[0].read_text(encoding="utf-8")
    padded = "// longer than a cached code string\n" * 80 + code
    fast_graph, fast_check = build_graph(padded), check_script(padded)

    def refused(text: str) -> Tree:
        raise AssertionError("the fast reader is switched off")

    monkeypatch.setattr(fast_parse, "ENABLED", False)
    monkeypatch.setattr(parser, "parse_fast", refused)
    monkeypatch.setattr(sandbox, "top_level_chunks", refused)
    assert shape(parse(code)) == shape(lark_parser().parse(code))
    assert build_graph(padded) == fast_graph
    assert check_script(padded) == fast_check
    with pytest.raises(ScriptError, match="unexpected end of the script"):
        parse("int a = (1")
