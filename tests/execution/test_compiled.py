"""The compiled simulation core (setup.py) against its own source run as plain Python, the oracle:
the same outcome, message, KPIs and event count on gdt120k samples; on CI the core must actually be
compiled. (Refusing a stale build: tests/test_compiled.py.)"""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import shutil
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path
from typing import Any

import pytest

from tests.execution.test_event_core import varied
from twinforge import compiled
from twinforge.execution import ScriptError, build_graph, check_script, simulate
from twinforge.execution.errors import SimulationError
from twinforge.execution.horizon import run_length
from twinforge.families.factory import FactoryFamily
from twinforge.families.factory.stages import Stage
from twinforge.pipeline.plan import make_plan
from twinforge.pipeline.recipes import read_recipe_file
from twinforge.renderers.flexscript import render_flexscript
from twinforge.seeding import sample_seed

ROOT = Path(__file__).resolve().parents[2]
EXECUTION = ROOT / "twinforge" / "execution"
SAMPLES = 240
"""gdt120k samples checked by both (the first of as many shards of the plan: every kind of line)."""


def in_use() -> dict[str, bool]:
    """For each module built as an extension, whether the extension is what runs."""
    return {name: importlib.import_module(f"twinforge.execution.{name}").__file__.endswith(tuple(EXTENSION_SUFFIXES))
            for name in compiled.compiled_names(EXECUTION)}


def gdt120k_samples(count: int) -> list[tuple[int, str, int]]:
    """``(index, code, simulation seed)`` of the first sample of each of ``count`` shards of the
    gdt120k plan, as ``generate`` makes them."""
    recipe = read_recipe_file(ROOT / "recipes" / "gdt120k.toml")
    family = FactoryFamily()
    plan = make_plan(family.cells(recipe), recipe.count, recipe.shard_size, recipe.plan.min_per_cell, recipe.seed)
    samples = []
    for shard in plan.shards()[:count]:
        index, cell = shard.samples()[0]
        code = render_flexscript(family.make_spec(recipe, index, cell), family.make_choices(recipe, index)["code_style"])
        samples.append((index, code, sample_seed(recipe.seed, index, Stage.SIMULATION)))
    return samples


def results(count: int = SAMPLES) -> dict[str, Any]:
    """What the check gives each sample (outcome, message, KPIs), and the full report (event count,
    deadlock, stuck items) of its model routed at random and/or with constant times (ties), as JSON
    data; with the files the compiled modules were loaded from."""
    found = []
    for index, code, seed in gdt120k_samples(count):
        result = check_script(code, seed=seed)
        row: dict[str, Any] = {"index": index, "outcome": result.outcome, "message": result.message,
                               "kpis": result.kpis}
        try:
            graph = varied(build_graph(code), routed=index % 2 == 0, constant=index % 3 == 0)
        except ScriptError:
            found.append(row)
            continue
        run = run_length(graph)
        try:
            report = simulate(graph, horizon_s=run.horizon_s, seed=seed, warmup_s=run.warmup_s, max_events=40_000)
            row["varied"] = dataclasses.asdict(report)
        except SimulationError as error:
            row["varied"] = {"stopped": str(error)}
        found.append(row)
    return json.loads(json.dumps({"in_use": in_use(), "samples": found}))


def without_extensions(folder: str, names: list[str]) -> set[str]:
    """What a copy of the package leaves out: extensions, their digests and byte-code."""
    return {name for name in names
            if name == "__pycache__" or name.endswith((*EXTENSION_SUFFIXES, compiled.DIGEST_SUFFIX))}


def plain_python_results(tmp_path: Path) -> dict[str, Any]:
    """``results`` from a copy of the package without its extensions, in a fresh interpreter."""
    shutil.copytree(ROOT / "twinforge", tmp_path / "twinforge", ignore=without_extensions)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    code = "import json, sys; from tests.execution.test_compiled import results; json.dump(results(), sys.stdout)"
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600, check=True)
    return json.loads(done.stdout)


@pytest.mark.skipif(not any(in_use().values()), reason="the simulation core is not compiled here (no C compiler?)")
def test_the_compiled_core_gives_what_its_plain_python_gives(tmp_path: Path) -> None:
    """Every check result and every varied run's report, event count included, byte for byte."""
    compiled_run = results()
    plain_run = plain_python_results(tmp_path)
    declared = sorted(path.stem for path in EXECUTION.glob("*.pxd"))
    assert declared and all(compiled_run["in_use"][name] for name in declared), compiled_run["in_use"]
    assert not any(plain_run["in_use"].values())
    assert {row["outcome"] for row in compiled_run["samples"]} >= {"ok"}
    assert sum(row.get("varied", {}).get("events", 0) for row in compiled_run["samples"]) > 100_000
    for mine, plain in zip(compiled_run["samples"], plain_run["samples"], strict=True):
        assert mine == plain, mine["index"]


@pytest.mark.skipif(not os.environ.get("CI"), reason="a machine without a C compiler runs the plain Python")
def test_ci_runs_the_compiled_core() -> None:
    """``make install`` compiled every compiled module of execution/ (an optional extension fails quietly)."""
    assert all(in_use().values()), in_use()
