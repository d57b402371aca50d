"""Fuzz: hostile spec JSON through check-spec, render, sketch and validate, as the library calls them.

Starting from valid specs, hypothesis rewrites a few values: numbers at the extremes (1e308,
5e-324, -0.0, 10**400, nan and inf, the bounds and just past them), text with control
characters, surrogates and other unicode, huge arrays, missing or extra keys, renamed objects,
positions thrown to the corners of the floor. Whatever comes in, only ``SpecError`` may escape
(and the renderer's ``UnsupportedSpec``). A spec the schema accepts must sketch to an SVG that is
well-formed XML and to a PNG, and render to FlexScript that parses and builds in the executor;
every case finishes within the deadline.
"""

from __future__ import annotations

import copy
import json
import math
import sys
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SMALL_SPEC
from twinforge.execution import Limits, check_script
from twinforge.execution.errors import BUILD_ERROR, PARSE_ERROR
from twinforge.renderers.flexscript import UnsupportedSpec, render_flexscript
from twinforge.renderers.sketch import render_sketch_svg, svg_to_png
from twinforge.schemas import SpecError, load_spec

GOLDEN = Path(__file__).parents[1] / "renderers" / "golden"
BASES = [SMALL_SPEC, *(json.loads(path.read_text()) for path in sorted(GOLDEN.glob("*.json")))]
"""Valid specs to start from: the small line, a conveyor cell, a parallel kitting line."""

LIMITS = Limits(max_events=100_000, max_sim_seconds=1.0)
"""The executor's own budgets, tightened so each case stays quick (a few simulated items suffice)."""

EXTREME_NUMBERS = [
    1e308, -1e308, sys.float_info.max, 5e-324, -5e-324, 1e-300, -0.0, 0.0, 10 ** 400, -(10 ** 400), 2 ** 63,
    2 ** 64 + 1, math.nan, math.inf, -math.inf, 1000.0, 1000.0000001, -1000.0, 0.001, 0.0009, 0.01, 1e-9,
    1e15, 1e16, 100.0, 100.5, 100_000, 100_001, 1, 0, -1, True, "5",
]
UNWRITABLE = [chr(code) for code in range(0x20)] + [
    "\x7f", "\x85", "\x9b", "\ud800", "\udfff", "\ufffe", "\uffff", "\ufdd0", "\u2028", "\u2029", "\u202e", "\u2066",
]
ODD_TEXTS = ["", " ", "W" * 81, "Étuve <3> & Q", "Queue1", "検査 🙂", '"', "\\", "]]>", "<!--", "&amp;", "a\u200db",
             "\x1b[2J", "Sink1", "source", "A", "S"]
SIZES = [(768, 384), (512, 256), (32, 32), (33, 57), (1500, 40)]

numbers = st.one_of(st.sampled_from(EXTREME_NUMBERS), st.floats(), st.integers(-(2 ** 70), 2 ** 70))
texts = st.one_of(
    st.sampled_from(ODD_TEXTS),
    st.text(max_size=90),
    st.text(alphabet=st.one_of(st.sampled_from(UNWRITABLE), st.characters()), min_size=1, max_size=12),
)
json_values = st.recursive(st.none() | st.booleans() | numbers | texts,
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
                           max_leaves=8)


def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    """Every location in a JSON value, the value itself first."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _get(value: Any, path: tuple) -> Any:
    for part in path:
        value = value[part]
    return value


def _put(root: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    _get(root, path[:-1])[path[-1]] = new
    return root


def _replacement(draw: st.DrawFn, old: Any) -> Any:
    """A hostile value in place of ``old``: of its own type mostly, sometimes of any JSON type."""
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values)
    if isinstance(old, (int, float)) and not isinstance(old, bool):
        return draw(numbers)
    if isinstance(old, str):
        return draw(texts)
    if isinstance(old, list):
        how = draw(st.sampled_from(["huge", "repeat", "empty", "grow"]))
        if how == "huge":
            return [old[0] if old else 0] * 100_000
        if how == "repeat":
            return old * draw(st.integers(2, 400 // max(len(old), 1) + 2))
        if how == "grow":
            return [*old, draw(json_values)]
        return []
    if isinstance(old, dict):
        changed = dict(old)
        if changed and draw(st.booleans()):
            changed.pop(draw(st.sampled_from(sorted(changed))))
        else:
            changed[draw(texts)] = draw(json_values)
        return changed
    return draw(json_values)


@st.composite
def hostile_specs(draw: st.DrawFn) -> Any:
    """A base spec with one to three hostile edits (values, renames or positions)."""
    data = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 3))):
        edit = draw(st.sampled_from(["value", "value", "rename", "positions"]))
        objects = data.get("objects") if isinstance(data, dict) else None
        if edit == "rename" and isinstance(objects, list) and objects and isinstance(objects[0], dict):
            index = draw(st.integers(0, len(objects) - 1))
            old, new = objects[index].get("name"), draw(texts)
            objects[index]["name"] = new
            for conn in data.get("connections", []) if isinstance(data.get("connections"), list) else []:
                for end in ("from", "to"):
                    if isinstance(conn, dict) and conn.get(end) == old:
                        conn[end] = new
        elif edit == "positions" and isinstance(objects, list):
            corner = st.sampled_from([1000.0, -1000.0, 999.9999999, 0.0, -0.0, 1e-300, 0.001, 500.0])
            for obj in objects:
                if isinstance(obj, dict):
                    obj["position"] = [draw(corner), draw(corner), draw(corner)]
        else:
            path = draw(st.sampled_from(_paths(data)))
            data = _put(data, path, _replacement(draw, _get(data, path)))
    return data


def check_pipeline(data: Any, sketch_style: str, size: tuple[int, int]) -> None:
    """check-spec, sketch and PNG, render (both styles) and validate: only ``SpecError`` may escape,
    and ``UnsupportedSpec``, the renderer's deliberate refusal of what FlexSim cannot be told."""
    try:
        spec = load_spec(data)
    except SpecError:
        return
    svg = render_sketch_svg(spec, style=sketch_style, seed=7, size=size)
    ET.fromstring(svg.encode("utf-8"))
    assert svg_to_png(svg, size).startswith(b"\x89PNG")
    try:
        scripts = {style: render_flexscript(spec, style) for style in ("explicit", "loop")}
    except UnsupportedSpec:
        return
    for style, script in scripts.items():
        result = check_script(script, limits=LIMITS)
        assert result.outcome not in (PARSE_ERROR, BUILD_ERROR), f"{style}: {result.outcome}: {result.message}"


@settings(max_examples=150, deadline=timedelta(seconds=10))
@given(data=hostile_specs(), sketch_style=st.sampled_from(["clean", "hand"]), size=st.sampled_from(SIZES))
def test_hostile_spec_json_is_refused_or_renders_sketches_and_validates(data, sketch_style, size):
    check_pipeline(data, sketch_style, size)


def test_the_bases_pass_the_whole_pipeline():
    for data in BASES:
        check_pipeline(copy.deepcopy(data), "hand", (768, 384))
        load_spec(data)
