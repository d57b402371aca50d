"""The factory family: every record is executable, deterministic, typed, and follows the recipe's knobs."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pyarrow as pa
import pytest

from twinforge.families import load_family
from twinforge.families.factory.cells import Cell
from twinforge.families.factory.family import FactoryFamily, choose, role_families
from twinforge.families.factory.settings import FactorySettings
from twinforge.families.factory.spec_files import spec_from_json
from twinforge.schemas import Automation, Industry, Layout, LineType, canonical_json, spec_hash
from twinforge.schemas.recipe import Recipe, recipe_from_data

CELLS = [Cell(Industry(i), Automation(a), Layout(la), LineType(t)) for i, a, la, t in (
    ("photomask", "operator", "linear", "workstation"), ("food_processing", "agv", "u_shaped", "conveyor"),
    ("battery", "task_executer", "parallel", "workstation"), ("automotive", "robot", "conveyor", "conveyor"),
    ("textile", "manual", "linear", "conveyor"))]


def factory_recipe(**data: object) -> Recipe:
    """A factory recipe from flat data, as the engine reads it from TOML."""
    return recipe_from_data({"family": "factory", **data}, "test", FactorySettings)


@pytest.fixture(scope="module")
def recipe() -> Recipe:
    return factory_recipe(name="t", seed=11, count=10, sketch={"fraction": 0.5, "png_size": (256, 128)})


@pytest.fixture(scope="module")
def records(recipe: Recipe) -> list[dict]:
    family = FactoryFamily()
    return [family.make_record(recipe, index, cell) for index, cell in enumerate(CELLS)]


def test_records_are_executable_and_typed(records: list[dict]):
    table = pa.Table.from_pylist(records, schema=FactoryFamily().declaration.record_schema)
    assert table.num_rows == len(CELLS)
    for index, (record, cell) in enumerate(zip(records, CELLS)):
        assert record["sample_id"] == f"t-{index:07d}"
        assert (record["industry"], record["automation"], record["layout"], record["line_type"]) == (
            cell.industry, cell.automation, cell.layout, cell.line_type)
        assert record["exec_outcome"] == "ok", record["exec_message"]
        assert json.loads(record["kpis"])
        spec = spec_from_json(record["spec"])
        assert canonical_json(spec) == record["spec"] and spec_hash(spec) == record["spec_hash"]
        assert record["n_machines"] == len(spec.machines) and record["n_objects"] == len(spec.objects)
        assert role_families(spec)["arrival"] == record["arrival_families"]
        assert record["sketch_svg"].lstrip().startswith("<?xml")
        if record["sketch_png"] is None:
            assert record["prompt_mode"] == "text"
        else:
            assert record["sketch_png"]["bytes"][:8] == b"\x89PNG\r\n\x1a\n"
            assert record["sketch_png"]["path"] == f"{record['sample_id']}.png"
        assert record["prompt_source"].startswith("template:")


def test_record_is_a_pure_function_of_recipe_index_cell(recipe: Recipe, records: list[dict]):
    family = FactoryFamily()
    assert family.make_record(recipe, 3, CELLS[3]) == records[3]


def test_recipe_knobs_reach_the_sampler():
    recipe = factory_recipe(name="k", seed=5, count=10, machines={"min": 2, "max": 2},
                    families={"arrival": {"exponential": 0, "normal": 0, "triangular": 0, "uniform": 0}},
                    sketch={"fraction": 0.0})
    family = FactoryFamily()
    for index in range(3):
        spec = family.make_spec(recipe, index, CELLS[0])
        assert len(spec.machines) == 2
        assert role_families(spec)["arrival"] == ["constant"]
    assert family.make_record(recipe, 0, CELLS[0])["sketch_png"] is None


def test_cells_and_coverage_targets_follow_weights():
    recipe = factory_recipe(name="w", seed=1, count=10, layers={"layout": {"parallel": 0}},
                    families={"service": {"poisson": 0}})
    family = load_family("factory")
    cells = family.cells(recipe)
    assert len(cells) == 520
    assert all((weight == 0) == (cell.layout == "parallel") for cell, weight in cells)
    targets = family.coverage_targets(recipe)
    assert "parallel" not in targets["layout"] and len(targets["industry"]) == 13
    assert "poisson" not in targets["setup_families"] and len(targets["arrival_families"]) == 5


def test_choose_follows_weights():
    rng = np.random.default_rng(0)
    counts = Counter(choose(rng, {"a": 1.0, "b": 3.0, "c": 0.0}) for _ in range(4000))
    assert counts["c"] == 0 and 0.7 < counts["b"] / 4000 < 0.8


def test_llm_without_key_fails_before_any_work(tmp_path, monkeypatch):
    from twinforge.errors import UserError
    from twinforge.pipeline.generate import generate_corpus

    monkeypatch.delenv("TWINFORGE_TEST_NO_KEY", raising=False)
    path = tmp_path / "llm.toml"
    path.write_text('name = "l"\nfamily = "factory"\nseed = 1\ncount = 2\n[llm]\nenabled = true\napi_key_env = "TWINFORGE_TEST_NO_KEY"\n')
    with pytest.raises(UserError, match="recipe field 'llm'.*TWINFORGE_TEST_NO_KEY"):
        generate_corpus(path, out=tmp_path / "out", workers=1, progress=False)
    assert not (tmp_path / "out").exists()


def test_make_records_equals_make_record_without_llm(recipe: Recipe, records: list[dict], tmp_path):
    family = FactoryFamily()
    ticks = []
    assert family.make_records(recipe, [(1, CELLS[1]), (2, CELLS[2])], tmp_path, ticks.append) == records[1:3]
    assert ticks == [1, 1]
