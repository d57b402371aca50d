"""Rendered FlexScript runs in twinforge's executor and builds exactly the spec, in both styles.

"Exactly" is ``graph_differences``: the same names, kinds, positions and parameters, and for every
object the same order of outgoing and incoming A connections and of S partners (port ranks).
This is twinforge's executor, not FlexSim. The full-size run (thousands of sampled specs) is
``benchmarks/bench_flexscript.py``.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.renderers.test_flexscript import SPECS
from tests.renderers.test_flexscript_properties import factory_specs
from twinforge.execution import build_graph, check_script, graph_differences
from twinforge.families.factory.sampler import sample_specs
from twinforge.renderers.flexscript import render_flexscript
from twinforge.schemas import FactorySpec

STYLES = ("explicit", "loop")
SAMPLE_COUNT, SAMPLE_SEED = 100, 2026


@pytest.fixture(scope="module")
def sampled() -> list[FactorySpec]:
    return list(sample_specs(SAMPLE_COUNT, SAMPLE_SEED))


def assert_builds_spec(spec: FactorySpec, style: str) -> None:
    differences = graph_differences(build_graph(render_flexscript(spec, style)), spec)
    assert differences == [], f"{style}: {differences[:5]}"


def assert_runs_ok(spec: FactorySpec, style: str) -> None:
    result = check_script(render_flexscript(spec, style))
    assert result.outcome == "ok", f"{style}: {result.message}"
    assert graph_differences(result.graph, spec) == [], style


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("name", sorted(SPECS))
def test_golden_specs_run_and_build_the_spec(name: str, style: str):
    assert_runs_ok(SPECS[name], style)


@pytest.mark.parametrize("style", STYLES)
def test_sampled_specs_run_ok_and_build_exactly_the_spec(sampled: list[FactorySpec], style: str):
    for spec in sampled:
        assert_runs_ok(spec, style)


def test_sampled_specs_cover_parallel_layouts_and_combiners(sampled: list[FactorySpec]):
    assert any(spec.layout == "parallel" for spec in sampled)
    assert any(spec.of_kinds({"combiner"}) for spec in sampled)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=factory_specs(), style=st.sampled_from(STYLES))
def test_generated_shapes_build_exactly_the_spec(spec: FactorySpec, style: str):
    assert_builds_spec(spec, style)
