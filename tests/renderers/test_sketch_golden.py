"""Sketch goldens: the SVG bytes of two specs in both styles at 768x768, so that a change to the
corpus's sketches is always deliberate (bump ``SKETCH_VERSION`` with it).

Regenerate after a deliberate change with ``python -m tests.renderers.test_sketch_golden``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SMALL_SPEC
from twinforge.renderers import sketch_glyphs, sketch_label_search, sketch_pencil
from twinforge.renderers.sketch import SKETCH_VERSION, render_sketch_svg
from twinforge.schemas import FactorySpec

GOLDEN = Path(__file__).parent / "golden"
CASES = [(name, style) for name in ("small_line", "parallel_kitting") for style in ("clean", "hand")]


def _spec(name: str) -> FactorySpec:
    if name == "small_line":
        return FactorySpec.model_validate(SMALL_SPEC)
    return FactorySpec.model_validate(json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8")))


def _svg(name: str, style: str) -> str:
    return render_sketch_svg(_spec(name), style=style, seed=7, size=(768, 768))


@pytest.mark.parametrize(("name", "style"), CASES)
def test_sketch_matches_its_golden(name: str, style: str) -> None:
    golden = (GOLDEN / f"sketch_{name}.{style}.svg").read_text(encoding="utf-8")
    assert _svg(name, style) == golden, (
        f"the sketch changed (SKETCH_VERSION {SKETCH_VERSION}): if on purpose, bump SKETCH_VERSION and "
        "regenerate with `python -m tests.renderers.test_sketch_golden`")


@pytest.mark.parametrize(("name", "style"), CASES)
def test_sketch_without_its_compiled_routines_matches_its_golden(name: str, style: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the renderer routines are not built (no C compiler), numpy and Python draw the same bytes."""
    monkeypatch.setattr(sketch_label_search, "compiled_price_steps", None)
    monkeypatch.setattr(sketch_pencil, "compiled_outline_points", None)
    monkeypatch.setattr(sketch_pencil, "compiled_outline_texts", None)
    monkeypatch.setattr(sketch_pencil, "compiled_drawn_lines", None)
    monkeypatch.setattr(sketch_glyphs, "compiled_pen_lines", None)
    assert _svg(name, style) == (GOLDEN / f"sketch_{name}.{style}.svg").read_text(encoding="utf-8")


if __name__ == "__main__":
    for case_name, case_style in CASES:
        (GOLDEN / f"sketch_{case_name}.{case_style}.svg").write_text(_svg(case_name, case_style), encoding="utf-8")
