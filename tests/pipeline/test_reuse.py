"""``generate --reuse``: copy the stages whose inputs did not change, and get a fresh run's bytes.

A prompt-template change is simulated by wrapping the family's prompt renderer (a longer text and
another template version); a check-version change by another ``CHECK_VERSION``, a sampler change
by another ``SAMPLER_VERSION``. The runs use one
worker, in this process, so the patches hold and the stage calls can be counted.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.pipeline.conftest import write_toy_recipe
from twinforge.errors import CorruptCorpus, UserError
from twinforge.families.factory import family as factory_family
from twinforge.pipeline import shards
from twinforge.pipeline.atomic import write_table_atomically
from twinforge.pipeline.generate import generate_corpus
from twinforge.pipeline.minhash import MINHASH_VERSION
from twinforge.renderers import prompt as prompt_module

ROOT = Path(__file__).resolve().parents[2]


def factory_recipe(tmp_path: Path, name: str, shard_size: int, extra: str = "") -> Path:
    """The quick recipe with small shards, under a fixed name (sample ids hold the name), plus ``extra`` TOML."""
    text = (ROOT / "recipes/quick.toml").read_text()
    text = text.replace('name = "quick"', f'name = "{name}"').replace("shard_size = 100", f"shard_size = {shard_size}")
    text += extra
    path = tmp_path / f"{name}-{shard_size}.toml"
    path.write_text(text)
    return path


def generate(recipe: Path, out: Path, reuse: Path | None = None) -> None:
    generate_corpus(recipe, n=24, out=out, workers=1, progress=False, reuse=reuse)


def shard_bytes(corpus: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((corpus / "shards").glob("part-*.parquet"))}


def column(corpus: Path, name: str) -> list[Any]:
    return [value for path in sorted((corpus / "shards").glob("part-*.parquet"))
            for value in pq.read_table(path, columns=[name])[name].to_pylist()]


def counting(monkeypatch: pytest.MonkeyPatch, name: str, module: Any = factory_family) -> list[int]:
    """Count the calls of ``module.name`` (a stage function; the factory family's by default)."""
    calls: list[int] = []
    original: Callable[..., Any] = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def bump_prompt_template(monkeypatch: pytest.MonkeyPatch, sentence: str = " Keep the model tidy.",
                         version: str = "test-reuse") -> None:
    """A new prompt template: one more sentence, and a new version in the records and provenance."""
    original = factory_family.make_prompt

    def longer(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        return dataclasses.replace(result, text=result.text + sentence)

    monkeypatch.setattr(factory_family, "make_prompt", longer)
    monkeypatch.setattr(factory_family, "PROMPT_TEMPLATE_VERSION", version)


def test_a_prompt_change_reuses_check_and_sketch_and_gives_the_fresh_bytes(tmp_path, monkeypatch):
    generate(factory_recipe(tmp_path, "r", 10), tmp_path / "old")
    bump_prompt_template(monkeypatch)
    recipe = factory_recipe(tmp_path, "r", 7)
    generate(recipe, tmp_path / "fresh")
    checks, sketches = counting(monkeypatch, "check_script"), counting(monkeypatch, "render_sketch_svg")
    draws = counting(monkeypatch, "draw_spec_data")
    code_shingles = counting(monkeypatch, "part_signature", shards)
    generate(recipe, tmp_path / "reused", reuse=tmp_path / "old")

    assert shard_bytes(tmp_path / "reused") == shard_bytes(tmp_path / "fresh")
    assert column(tmp_path / "reused", "prompt") != column(tmp_path / "old", "prompt")
    changed_code = sum(a != b for a, b in zip(column(tmp_path / "old", "code"), column(tmp_path / "reused", "code")))
    changed_spec = sum(a != b for a, b in zip(column(tmp_path / "old", "spec_hash"),
                                              column(tmp_path / "reused", "spec_hash")))
    assert len(checks) == len(code_shingles) == changed_code < 24
    assert len(sketches) == changed_spec < 24
    # specs are drawn again only for the earlier attempts that failed with their prompt (a new prompt
    # may fit there); those whose code alone was over budget are skipped undrawn
    attempts, rejected = column(tmp_path / "old", "spec_attempts"), column(tmp_path / "old", "code_rejected")
    assert len(draws) == sum(count - 1 - len(skipped) for count, skipped in zip(attempts, rejected)) < 24
    assert sum(map(len, rejected)) >= 5


def test_a_prompt_change_that_moves_the_winning_attempts_gives_the_fresh_bytes(tmp_path, monkeypatch):
    """Under a tight token budget, shorter prompts let earlier draws fit: those samples get other specs,
    codes, checks and sketches; under another recipe name every copied PNG gets its new file name."""
    budget = "\n[budget]\nmax_tokens = 2200\n"
    with monkeypatch.context() as old_version:
        bump_prompt_template(old_version, " Keep every station where the layout puts it." * 9, "test-long")
        generate(factory_recipe(tmp_path, "r", 10, budget), tmp_path / "old")
    recipe = factory_recipe(tmp_path, "s", 7, budget)
    generate(recipe, tmp_path / "fresh")
    draws = counting(monkeypatch, "draw_spec_data")
    generate(recipe, tmp_path / "reused", reuse=tmp_path / "old")

    assert shard_bytes(tmp_path / "reused") == shard_bytes(tmp_path / "fresh")
    old_attempts, new_attempts = column(tmp_path / "old", "spec_attempts"), column(tmp_path / "fresh", "spec_attempts")
    assert sum(new < old for new, old in zip(new_attempts, old_attempts)) >= 2
    assert len(draws) < sum(new_attempts)


def reword_some_drafts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A template change that moves some drafts only: one more sentence for specs of an odd object count."""
    original = prompt_module.draft_prompt

    def reworded(spec: Any, *args: Any, **kwargs: Any) -> str:
        text = original(spec, *args, **kwargs)
        return text + " Keep the model tidy." if len(spec.objects) % 2 else text

    monkeypatch.setattr(prompt_module, "draft_prompt", reworded)
    monkeypatch.setattr(factory_family, "PROMPT_TEMPLATE_VERSION", "test-reworded")


def checked_texts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The drafts the prompt stage runs the fidelity check on, from now on."""
    texts: list[str] = []
    original = prompt_module.check_fidelity

    def recorded(text: str, *args: Any, **kwargs: Any) -> list[str]:
        texts.append(text)
        return original(text, *args, **kwargs)

    monkeypatch.setattr(prompt_module, "check_fidelity", recorded)
    return texts


def test_only_the_drafts_a_template_change_moves_are_checked_again(tmp_path, monkeypatch):
    """A draft that is the previous row's prompt passed the same fidelity rules with the same spec."""
    generate(factory_recipe(tmp_path, "r", 10), tmp_path / "old")
    reword_some_drafts(monkeypatch)
    recipe = factory_recipe(tmp_path, "r", 7)
    generate(recipe, tmp_path / "fresh")
    checked = checked_texts(monkeypatch)
    generate(recipe, tmp_path / "reused", reuse=tmp_path / "old")

    assert shard_bytes(tmp_path / "reused") == shard_bytes(tmp_path / "fresh")
    old, new = column(tmp_path / "old", "prompt"), column(tmp_path / "reused", "prompt")
    moved = {text for before, text in zip(old, new) if text != before}
    assert 0 < len(moved) < 24
    assert moved <= set(checked)
    assert not set(checked) & set(old)


def test_other_fidelity_rules_check_every_draft_again(tmp_path, monkeypatch):
    generate(factory_recipe(tmp_path, "r", 10), tmp_path / "old")
    reword_some_drafts(monkeypatch)
    monkeypatch.setattr(factory_family, "FIDELITY_VERSION", "test-next")
    recipe = factory_recipe(tmp_path, "r", 7)
    generate(recipe, tmp_path / "fresh")
    checked = checked_texts(monkeypatch)
    generate(recipe, tmp_path / "reused", reuse=tmp_path / "old")

    assert shard_bytes(tmp_path / "reused") == shard_bytes(tmp_path / "fresh")
    assert set(column(tmp_path / "reused", "prompt")) <= set(checked)
    assert set(checked) & set(column(tmp_path / "old", "prompt"))


def as_written_by_0_4(corpus: Path) -> None:
    """Make ``corpus`` look written by twinforge 0.4.0: its shards without the ``code_rejected`` and
    ``minhash_part`` columns, the manifest listing their new SHA-256."""
    manifest = json.loads((corpus / "manifest.json").read_text())
    for name, entry in manifest["shards"].items():
        path = corpus / "shards" / name
        entry["sha256"] = write_table_atomically(pq.read_table(path).drop_columns(["code_rejected", "minhash_part"]), path)
    (corpus / "manifest.json").write_text(json.dumps(manifest))


def test_a_0_4_corpus_is_reused_and_replays_every_earlier_attempt(tmp_path, monkeypatch):
    generate(factory_recipe(tmp_path, "r", 10), tmp_path / "old")
    as_written_by_0_4(tmp_path / "old")
    bump_prompt_template(monkeypatch)
    recipe = factory_recipe(tmp_path, "r", 7)
    generate(recipe, tmp_path / "fresh")
    draws = counting(monkeypatch, "draw_spec_data")
    generate(recipe, tmp_path / "reused", reuse=tmp_path / "old")

    assert shard_bytes(tmp_path / "reused") == shard_bytes(tmp_path / "fresh")
    assert len(draws) == sum(attempts - 1 for attempts in column(tmp_path / "old", "spec_attempts")) > 0


def test_code_rejections_are_replayed_under_another_budget(tmp_path, monkeypatch):
    """A larger response budget may let a draw's code fit that did not: every earlier attempt is drawn again."""
    generate(factory_recipe(tmp_path, "r", 10), tmp_path / "old")
    recipe = factory_recipe(tmp_path, "r", 7, "\n[budget]\nmax_response_tokens = 2200\n")
    generate(recipe, tmp_path / "fresh")
    draws = counting(monkeypatch, "draw_spec_data")
    generate(recipe, tmp_path / "reused", reuse=tmp_path / "old")

    assert shard_bytes(tmp_path / "reused") == shard_bytes(tmp_path / "fresh")
    old_attempts = column(tmp_path / "old", "spec_attempts")
    assert column(tmp_path / "fresh", "spec_attempts") != old_attempts
    assert len(draws) >= sum(attempts - 1 for attempts in column(tmp_path / "fresh", "spec_attempts")) > 0


def test_a_changed_sampler_version_draws_every_spec_again(tmp_path, monkeypatch):
    recipe = factory_recipe(tmp_path, "r", 10)
    generate(recipe, tmp_path / "old")
    monkeypatch.setattr(factory_family, "SAMPLER_VERSION", "test-next")
    draws, checks = counting(monkeypatch, "draw_spec_data"), counting(monkeypatch, "check_script")
    generate(recipe, tmp_path / "again", reuse=tmp_path / "old")

    assert len(draws) == sum(column(tmp_path / "old", "spec_attempts"))
    assert checks == []
    assert shard_bytes(tmp_path / "again") == shard_bytes(tmp_path / "old")


def test_a_changed_check_version_reruns_the_check_only(tmp_path, monkeypatch):
    recipe = factory_recipe(tmp_path, "r", 10)
    generate(recipe, tmp_path / "old")
    monkeypatch.setattr(factory_family, "CHECK_VERSION", "test-next")
    checks, sketches = counting(monkeypatch, "check_script"), counting(monkeypatch, "render_sketch_svg")
    generate(recipe, tmp_path / "again", reuse=tmp_path / "old")

    assert len(checks) == 24
    assert sketches == []
    assert shard_bytes(tmp_path / "again") == shard_bytes(tmp_path / "old")


def test_minhash_is_copied_only_with_its_text(tmp_path, monkeypatch):
    recipe = write_toy_recipe(tmp_path, count=30, shard_size=8)
    generate_corpus(recipe, out=tmp_path / "old", workers=1, progress=False)
    signatures = counting(monkeypatch, "signature", shards)
    generate_corpus(recipe, out=tmp_path / "again", workers=1, progress=False, reuse=tmp_path / "old")
    assert signatures == []
    assert shard_bytes(tmp_path / "again") == shard_bytes(tmp_path / "old")


def as_signed_by_sha1(corpus: Path) -> None:
    """Make ``corpus`` look signed by twinforge 0.7.0's MinHash scheme: no ``minhash`` version in
    its provenance and other signature values (every stored value halved: the SHA-1 scheme's would
    differ as much), the manifest listing the shards' new SHA-256."""
    manifest = json.loads((corpus / "manifest.json").read_text())
    del manifest["provenance"]["minhash"]
    for name, entry in manifest["shards"].items():
        path = corpus / "shards" / name
        table = pq.read_table(path)
        for signatures in ("minhash", "minhash_part"):
            values = pa.array([[value // 2 for value in row] for row in table[signatures].to_pylist()],
                              table.schema.field(signatures).type)
            table = table.set_column(table.schema.get_field_index(signatures), signatures, values)
        entry["sha256"] = write_table_atomically(table, path)
    (corpus / "manifest.json").write_text(json.dumps(manifest))


def test_signatures_of_another_minhash_scheme_are_computed_again(tmp_path, monkeypatch):
    """Reusing a corpus signed by the SHA-1 scheme copies its stages but signs every sample afresh."""
    recipe = factory_recipe(tmp_path, "r", 10)
    generate(recipe, tmp_path / "old")
    as_signed_by_sha1(tmp_path / "old")
    checks, code_shingles = counting(monkeypatch, "check_script"), counting(monkeypatch, "part_signature", shards)
    generate(recipe, tmp_path / "again", reuse=tmp_path / "old")

    assert checks == []
    assert len(code_shingles) == 24
    assert column(tmp_path / "again", "minhash") != column(tmp_path / "old", "minhash")
    assert json.loads((tmp_path / "again" / "manifest.json").read_text())["provenance"]["minhash"] == MINHASH_VERSION


def test_a_corpus_of_another_minhash_scheme_is_not_resumed(tmp_path):
    """A half-made corpus signed by the SHA-1 scheme is not finished with other signatures."""
    recipe = write_toy_recipe(tmp_path, count=12, shard_size=4)
    generate_corpus(recipe, out=tmp_path / "c", workers=1, progress=False)
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    del manifest["provenance"]["minhash"]
    (tmp_path / "c" / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(UserError, match=f"minhash unrecorded -> {MINHASH_VERSION}"):
        generate_corpus(recipe, out=tmp_path / "c", workers=1, progress=False)


def test_reuse_refuses_its_own_output_and_another_family(tmp_path):
    recipe = factory_recipe(tmp_path, "r", 10)
    generate(recipe, tmp_path / "old")
    with pytest.raises(UserError, match="is the output corpus itself"):
        generate_corpus(recipe, n=30, out=tmp_path / "old", workers=1, progress=False, reuse=tmp_path / "old")
    toy = write_toy_recipe(tmp_path, count=6, shard_size=3)
    with pytest.raises(UserError, match="is a 'factory' corpus, the recipe is 'toy'"):
        generate_corpus(toy, out=tmp_path / "toy", workers=1, progress=False, reuse=tmp_path / "old")


@pytest.mark.parametrize("damage", ["truncated", "one byte changed"])
def test_a_damaged_previous_corpus_is_refused(tmp_path, damage):
    recipe = factory_recipe(tmp_path, "r", 10)
    generate(recipe, tmp_path / "old")
    shard = tmp_path / "old" / "shards" / "part-00001.parquet"
    data = shard.read_bytes()
    if damage == "truncated":
        shard.write_bytes(data[:100])
    else:
        middle = len(data) // 2
        shard.write_bytes(data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1:])
    with pytest.raises(CorruptCorpus, match="part-00001.parquet: SHA-256 differs from the manifest"):
        generate(recipe, tmp_path / "new", reuse=tmp_path / "old")


def test_nothing_is_reused_when_a_package_version_differs(tmp_path, monkeypatch, caplog):
    from twinforge.pipeline import generate as generate_module

    recipe = factory_recipe(tmp_path, "r", 10)
    generate(recipe, tmp_path / "old")
    real = generate_module.package_versions
    monkeypatch.setattr(generate_module, "package_versions", lambda packages: {**real(packages), "simpy": "0.0"})
    checks = counting(monkeypatch, "check_script")
    generate(recipe, tmp_path / "new", reuse=tmp_path / "old")
    assert len(checks) == 24
    assert "not reused, since these versions differ: simpy" in caplog.text


def test_reuse_in_process_workers_gives_the_same_bytes(tmp_path):
    """Previous rows travel to Dask process workers (each reads and checks its old shards itself)."""
    recipe = factory_recipe(tmp_path, "r", 10)
    generate(recipe, tmp_path / "old")
    other = factory_recipe(tmp_path, "r", 7)
    generate_corpus(other, n=24, out=tmp_path / "again", workers=2, progress=False, reuse=tmp_path / "old")
    generate(other, tmp_path / "fresh")
    assert shard_bytes(tmp_path / "again") == shard_bytes(tmp_path / "fresh")

    shard = tmp_path / "old" / "shards" / "part-00002.parquet"
    data = shard.read_bytes()
    shard.write_bytes(data[:-9] + bytes([data[-9] ^ 1]) + data[-8:])
    with pytest.raises(CorruptCorpus, match="part-00002.parquet: SHA-256 differs"):
        generate_corpus(other, n=24, out=tmp_path / "third", workers=2, progress=False, reuse=tmp_path / "old")
