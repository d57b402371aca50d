"""Fixtures for the corpus pipeline: recipes and a small corpus of the toy family."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

TOY_RECIPE = """
name = "toy"
family = "{family}"
seed = 3
count = {count}
shard_size = {shard_size}
"""


def write_toy_recipe(folder: Path, count: int = 40, shard_size: int = 10, extra: str = "",
                     family: str = "toy") -> Path:
    """A toy-family recipe file in ``folder`` (``family``: "toy" or "slow_toy")."""
    path = folder / "toy.toml"
    text = TOY_RECIPE.format(count=count, shard_size=shard_size, family=family)
    path.write_text(text + extra, encoding="utf-8")
    return path


FACTORY_RECIPE = """
name = "mini"
family = "factory"
seed = 7
count = {count}
shard_size = {shard_size}
[sketch]
fraction = 0.5
png_size = [256, 128]
"""


def write_factory_recipe(folder: Path, count: int = 12, shard_size: int = 4) -> Path:
    """A small factory recipe (small PNGs) in ``folder``."""
    path = folder / "mini.toml"
    path.write_text(FACTORY_RECIPE.format(count=count, shard_size=shard_size), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def toy_corpus_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from twinforge.pipeline.generate import generate_corpus

    folder = tmp_path_factory.mktemp("toy")
    recipe = write_toy_recipe(folder, count=77, shard_size=20)
    generate_corpus(recipe, out=folder / "corpus", workers=1, progress=False)
    return folder / "corpus"


@pytest.fixture
def toy_corpus(toy_corpus_master: Path, tmp_path: Path) -> Path:
    """A fresh copy of a 77-sample toy corpus (4 shards, planted exact and near duplicates)."""
    target = tmp_path / "corpus"
    shutil.copytree(toy_corpus_master, target)
    return target
