"""Rendered FlexScript uses only forms FlexSim accepts, by /work/shared/reference/flexscript-verdicts.md.

Over 1,000 sampled specs in both styles, none of the REFUTED or RISKY forms appears: no
``ArrivalStyle``, no ``FlowItemClass`` for the default class Box, no MultiProcessor (its
``ProcessNames``/``ProcessTimes`` and operator properties do not exist), no deprecated
``createinstance`` or library paths, no deprecated ``lognormal(``, and no comment but the fixed
section comments (no header with metadata the prompt does not state).
"""

from __future__ import annotations

import re

import pytest

from twinforge.families.factory.sampler import sample_specs
from twinforge.renderers.flexscript import render_flexscript
from twinforge.schemas import FactorySpec

SAMPLE_COUNT, SAMPLE_SEED = 1_000, 20261202
STYLES = ("explicit", "loop")

SECTION_COMMENTS = frozenset({
    "// ---- objects: create, name, place, parameters ----",
    "// ---- connections (statement order sets port numbers) ----",
    "// ---- object table: class, name and location per object ----",
    "// ---- create, name and place each object ----",
    "// ---- create, name and place each object; A-connect it to its upstream station ----",
    "// ---- references ----",
    "// ---- parameters ----",
    "// ---- remaining connections (statement order sets port numbers) ----",
    "// ---- combiner components (set after connecting: one row per component input port) ----",
})
"""The only comments the templates write: they describe the code's structure, nothing else."""

FORBIDDEN = {
    "ArrivalStyle (RISKY: hung FlexSim 2026; inter-arrival is the default)": re.compile(r"ArrivalStyle"),
    "FlowItemClass Box (the default; writing it is RISKY)": re.compile(r'"FlowItemClass",\s*"Box"'),
    "ProcessNames/ProcessTimes (REFUTED)": re.compile(r"ProcessNames|ProcessTimes"),
    "a MultiProcessor (no settable steps or operators: REFUTED)": re.compile(r"MultiProcessor"),
    "createinstance (deprecated)": re.compile(r"createinstance"),
    "a library path (deprecated with createinstance)": re.compile(r'"/\?'),
    "lognormal( (deprecated; lognormal2 instead)": re.compile(r"\blognormal\("),
    "a metadata header": re.compile(r"twinforge|flexscript-\d"),
}


@pytest.fixture(scope="module")
def rendered() -> list[tuple[FactorySpec, str, str]]:
    specs = list(sample_specs(SAMPLE_COUNT, SAMPLE_SEED))
    return [(spec, style, render_flexscript(spec, style)) for spec in specs for style in STYLES]


def test_a_thousand_specs_are_rendered_in_both_styles(rendered):
    assert len(rendered) == 2 * SAMPLE_COUNT


@pytest.mark.parametrize("label", sorted(FORBIDDEN))
def test_no_refuted_or_risky_form_appears(rendered, label: str):
    pattern = FORBIDDEN[label]
    offenders = [f"{spec.industry.value} {style}" for spec, style, code in rendered if pattern.search(code)]
    assert offenders == [], f"{label}: {len(offenders)} scripts, e.g. {offenders[:3]}"


def test_every_comment_is_a_section_comment(rendered):
    comments = {line for _, _, code in rendered for line in code.splitlines() if line.lstrip().startswith("//")}
    assert comments <= SECTION_COMMENTS, sorted(comments - SECTION_COMMENTS)[:5]
    assert all(code.startswith("// ---- ") for _, _, code in rendered)
    assert not any("/*" in code for _, _, code in rendered)


def test_sampled_specs_exercise_the_new_forms(rendered):
    """The sample is not vacuous: it writes lognormal2, random routing and FlowItemClass somewhere."""
    codes = [code for _, _, code in rendered]
    assert any("lognormal2(0, " in code for code in codes)
    assert any('"SendToPort"' in code for code in codes)
    assert any("Conveyor::StraightConveyor" in code for code in codes)


def test_processor_max_content_is_written_only_above_one(rendered):
    for spec, style, code in rendered:
        if style != "explicit":
            continue
        for obj in spec.of_kinds({"processor"}):
            block = code.split(f'.name = "{obj.name}";', 1)[1].split("\n\n", 1)[0]
            assert ('"MaxContent"' in block) == (obj.max_content > 1), obj.name
