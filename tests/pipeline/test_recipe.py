"""Recipes: the shipped ones load; a bad one fails before any work, naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twinforge.cli import main
from twinforge.errors import UserError
from twinforge.families.factory.settings import FactorySettings
from twinforge.pipeline.recipes import read_recipe_file
from twinforge.schemas.enums import Industry
from twinforge.schemas.recipe import Recipe, RecipeError, recipe_from_data

ROOT = Path(__file__).resolve().parents[2]
HEAD = 'name = "x"\nfamily = "factory"\nseed = 1\n'


def test_shipped_recipes_load():
    quick = read_recipe_file(ROOT / "recipes" / "quick.toml")
    big = read_recipe_file(ROOT / "recipes" / "gdt120k.toml")
    assert quick.count <= 2500 and quick.settings.llm.enabled is False
    assert big.count == 120_285
    assert (big.splits.train, big.splits.val, big.splits.test) == (0.9, 0.05, 0.05)
    assert set(quick.settings.layers.industry) == {i.value for i in Industry}


@pytest.mark.parametrize("text, field", [
    (HEAD + 'count = 10\ncolour = "red"\n', "colour"),
    (HEAD + 'count = -5\n', "count"),
    (HEAD + 'count = 10\n[layers.industry]\n' + "".join(f"{i.value} = 0\n" for i in Industry),
     "layers.industry"),
    (HEAD + 'count = 10\n[layers.layout]\nspiral = 2\n', "layers.layout"),
    (HEAD + 'count = 10\n[splits]\ntrain = 0.8\nval = 0.1\ntest = 0.2\n', "splits"),
    (HEAD + 'count = 10\n[code_style]\nexplicit = 0\nloop = 0\n', "code_style"),
    (HEAD + 'count = 10\n[machines]\nmin = 4\nmax = 2\n', "machines"),
    (HEAD + 'count = 10\n[sketch]\nfraction = 1.5\n', "sketch.fraction"),
    (HEAD + 'count = 10\n[llm]\nbase_url = "ftp://x"\n', "llm.base_url"),
])
def test_bad_recipe_names_file_and_field(tmp_path: Path, text: str, field: str):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as error:
        read_recipe_file(path)
    assert str(path) in str(error.value)
    assert f"field '{field}" in str(error.value)


def test_bad_toml_names_the_file(tmp_path: Path):
    path = tmp_path / "broken.toml"
    path.write_text('name = "x\n', encoding="utf-8")
    with pytest.raises(UserError, match="broken.toml: not valid TOML"):
        read_recipe_file(path)


def test_generate_with_bad_recipe_does_no_work(tmp_path: Path, capsys: pytest.CaptureFixture):
    path = tmp_path / "bad.toml"
    path.write_text(HEAD + 'count = -1\n', encoding="utf-8")
    out = tmp_path / "out"
    assert main(["generate", str(path), "--out", str(out), "--quiet"]) == 2
    assert "field 'count'" in capsys.readouterr().err
    assert not out.exists()


weights = st.dictionaries(st.sampled_from([i.value for i in Industry]), st.floats(0, 10), max_size=13)


@settings(max_examples=60, deadline=None)
@given(weights)
def test_layer_weights_fill_missing_values_and_need_a_positive_total(given_weights: dict[str, float]):
    data = {"name": "x", "family": "factory", "seed": 1, "count": 10, "layers": {"industry": given_weights}}
    full = {i.value: given_weights.get(i.value, 1.0) for i in Industry}
    if sum(full.values()) > 0:
        recipe = recipe_from_data(data, "r.toml", FactorySettings)
        assert recipe.settings.layers.industry == full
    else:
        with pytest.raises(RecipeError, match="layers.industry"):
            recipe_from_data(data, "r.toml", FactorySettings)


def test_with_count_revalidates():
    recipe = Recipe(name="x", family="toy", seed=1, count=10)
    assert recipe.with_count(3).count == 3
    with pytest.raises(Exception, match="count"):
        recipe.with_count(0)


def test_a_recipe_is_a_core_plus_the_familys_section(tmp_path: Path):
    path = tmp_path / "toy.toml"
    path.write_text('name = "t"\nfamily = "toy"\nseed = 1\ncount = 5\n[dedup]\nthreshold = 0.8\n')
    recipe = read_recipe_file(path)
    assert recipe.dedup.threshold == 0.8 and recipe.settings.model_dump() == {}
    assert recipe.to_data()["dedup"]["threshold"] == 0.8 and "layers" not in recipe.to_data()
    path.write_text('name = "t"\nfamily = "toy"\nseed = 1\ncount = 5\n[sketch]\nfraction = 1\n')
    with pytest.raises(UserError, match="field 'sketch'"):
        read_recipe_file(path)


def test_flat_factory_recipe_round_trips_through_its_data():
    recipe = read_recipe_file(ROOT / "recipes" / "quick.toml")
    again = recipe_from_data(recipe.to_data(), "again", FactorySettings)
    assert again == recipe and again.to_data() == recipe.to_data()


@pytest.mark.parametrize("family", ["os:getpid", "twinforge.families.factory:FactoryFamily", "../x", ""])
def test_family_is_looked_up_by_name_never_imported(tmp_path: Path, family: str, monkeypatch):
    calls = []
    monkeypatch.setattr("os.getpid", lambda: calls.append(1) or 1)
    path = tmp_path / "r.toml"
    path.write_text(f'name = "x"\nfamily = "{family}"\nseed = 1\ncount = 5\n')
    with pytest.raises(UserError, match="family"):
        read_recipe_file(path)
    assert not calls


@pytest.mark.parametrize("line, field", [('count = "20"', "count"), ("count = 20.0", "count"),
                                         ('seed = "1"', "seed"), ("shard_size = true", "shard_size")])
def test_numbers_must_be_written_as_numbers(tmp_path: Path, line: str, field: str):
    path = tmp_path / "r.toml"
    values = {"seed": "seed = 1", "count": "count = 5", "shard_size": "shard_size = 5"}
    values[field] = line
    path.write_text('name = "x"\nfamily = "toy"\n' + "\n".join(values.values()) + "\n")
    with pytest.raises(UserError, match=f"field '{field}'"):
        read_recipe_file(path)


def test_a_folder_given_as_recipe_is_one_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture):
    assert main(["generate", str(tmp_path), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    assert "is a folder" in capsys.readouterr().err
