"""Corpora at fsspec URLs: the same bytes as a local folder, every reading command on the URL,
atomic publication on an object store, and storage options that never reach the manifest."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import fsspec
import pytest

from tests.metrics.corpus_fixture import row, write_corpus
from tests.metrics.test_evaluate import PREDICTIONS, TEST_IDS
from tests.pipeline.conftest import write_toy_recipe
from tests.pipeline.servers import free_port, s3_environment
from twinforge.cli import main
from twinforge.errors import UserError
from twinforge.pipeline.corpus import open_corpus
from twinforge.pipeline.generate import generate_corpus
from twinforge.pipeline.plan import make_plan
from twinforge.pipeline.shards import run_shard
from twinforge.pipeline.storage import OPTIONS_ENV, Location


@pytest.fixture
def memory() -> fsspec.AbstractFileSystem:
    """fsspec's in-process memory filesystem, emptied after the test."""
    fs = fsspec.filesystem("memory")
    yield fs
    for key in fs.ls("/", detail=False):
        fs.rm(key, recursive=True)


def digests(fs: fsspec.AbstractFileSystem, folder: str) -> dict[str, str]:
    return {Path(key).name: hashlib.sha256(fs.cat_file(key)).hexdigest()
            for key in sorted(fs.ls(folder, detail=False))}


def test_a_corpus_at_a_url_has_the_bytes_of_a_local_one(tmp_path: Path, memory):
    recipe = write_toy_recipe(tmp_path, count=30, shard_size=10)
    generate_corpus(recipe, out=tmp_path / "local", workers=1, progress=False)
    generate_corpus(recipe, out="memory://corpora/toy", workers=1, progress=False)  # memory is per process
    generate_corpus(recipe, out=f"file://{tmp_path / 'file-url'}", workers=1, progress=False)
    local = digests(fsspec.filesystem("file"), str(tmp_path / "local" / "shards"))
    assert len(local) == 3
    assert digests(memory, "/corpora/toy/shards") == local
    assert digests(fsspec.filesystem("file"), str(tmp_path / "file-url" / "shards")) == local


def test_every_reading_command_works_on_a_url(tmp_path: Path, memory, capsys: pytest.CaptureFixture):
    recipe = write_toy_recipe(tmp_path, count=40, shard_size=10)
    url = "memory://corpora/toy"
    generate_corpus(recipe, out=url, workers=1, progress=False)
    for command in (["verify"], ["dedup", "--quiet"], ["split"], ["coverage"], ["card"],
                    ["show", "toy-0000003", "--sketch-out", str(tmp_path / "shown")],
                    ["export", "--format", "jsonl", "--out", str(tmp_path / "export")]):
        assert main([command[0], url, *command[1:]]) == 0, command
    out = capsys.readouterr().out
    assert f"{url}: 4 shards, 40 rows in the manifest; ok" in out
    assert f"{url}/card/README.md" in out and "# toy-0000003" in out
    derived = json.loads(memory.cat_file("/corpora/toy/manifest.json"))["derived"]
    assert {"dedup.parquet", "splits/assignment.parquet", "coverage.json", "card/README.md"} <= set(derived)
    assert (tmp_path / "export" / "train.jsonl").stat().st_size > 0
    assert main(["verify", url]) == 0
    assert "derived card/README.md: current" in capsys.readouterr().out


def test_eval_reads_a_corpus_at_a_url(tmp_path: Path, memory, capsys: pytest.CaptureFixture):
    rows = [row(sample_id, i) for i, sample_id in enumerate(TEST_IDS)]
    local = write_corpus(tmp_path / "corpus", rows, dict.fromkeys(TEST_IDS, "test"))
    memory.put(str(local), "/corpora/eval", recursive=True)
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps({"sample_id": k, "code": v}) + "\n" for k, v in PREDICTIONS.items()))
    assert main(["eval", "--pred", str(pred), "--corpus", str(local), "--mode", "textual"]) == 0
    at_path = capsys.readouterr().out
    assert main(["eval", "--pred", str(pred), "--corpus", "memory://corpora/eval", "--mode", "textual"]) == 0
    at_url = capsys.readouterr().out
    timing = re.compile(r"[0-9.]+ s\)")
    assert timing.sub("", at_url) == timing.sub("", at_path.replace(str(local), "memory://corpora/eval"))
    assert "memory://corpora/eval" in at_url


def test_a_half_written_or_twice_written_shard_is_harmless(tmp_path: Path, memory):
    recipe = write_toy_recipe(tmp_path, count=30, shard_size=10)
    url = "memory://corpora/toy"
    generate_corpus(recipe, out=url, workers=1, progress=False)
    before = digests(memory, "/corpora/toy/shards")
    memory.pipe_file("/corpora/toy/shards/.tmp-part-00001.parquet.77-dead", b"half a shard")  # a lost worker
    assert main(["verify", url]) == 0  # readers never list temporary keys
    corpus = open_corpus(url)
    recipe_data = corpus.recipe
    plan = make_plan(corpus.family.cells(recipe_data), recipe_data.count, recipe_data.shard_size,
                     recipe_data.plan.min_per_cell, recipe_data.seed)
    again = run_shard(corpus.family, recipe_data, corpus.location, None, plan.shards()[1])  # the same task ran again
    assert again.sha256 == corpus.manifest.shards["part-00001.parquet"]["sha256"]
    assert "0 computed, 3 already done" in generate_corpus(recipe, out=url, workers=1, progress=False)
    assert digests(memory, "/corpora/toy/shards") == before  # the temporary key is gone, the bytes the same


def test_a_publish_that_fails_leaves_the_old_file_and_no_temporary_key(memory, monkeypatch: pytest.MonkeyPatch):
    location = Location.of("memory://corpora/x")
    location.publish("a.json", b"old")

    def broken_copy(*args: object, **kwargs: object) -> None:
        raise OSError("connection reset")

    monkeypatch.setattr(type(memory), "copy", broken_copy)
    with pytest.raises(UserError, match="memory://corpora/x/a.json: connection reset"):
        location.publish("a.json", b"new")
    assert location.read_bytes("a.json") == b"old"
    assert location.names() == ["a.json"]


def test_storage_options_reach_the_filesystem_but_not_the_manifest_or_output(
        tmp_path: Path, memory, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    recipe = write_toy_recipe(tmp_path, count=20, shard_size=10)
    monkeypatch.setenv(OPTIONS_ENV, json.dumps({"token_from_env": "env-s3cr3t"}))
    assert main(["--storage-option", "token_from_cli=cli-s3cr3t", "generate", str(recipe),
                 "--out", "memory://corpora/opt", "--quiet"]) == 0
    assert Location.of("memory://corpora/opt").fs.storage_options == {"token_from_env": "env-s3cr3t"}
    assert Location.of("memory://corpora/opt", {"token_from_cli": "cli-s3cr3t"}).fs.storage_options == {
        "token_from_env": "env-s3cr3t", "token_from_cli": "cli-s3cr3t"}
    text = "".join(memory.cat_file(key).decode("latin-1") for key in memory.find("/corpora/opt"))
    assert "s3cr3t" not in text and "s3cr3t" not in capsys.readouterr().out


@pytest.mark.parametrize(("setting", "argv", "message"), [
    ("{not json", ["verify", "memory://corpora/none"], f"{OPTIONS_ENV}: not a JSON object"),
    ("", ["verify", "nosuch://corpora/none"], "nosuch://corpora/none: cannot open this storage"),
    ("", ["--storage-option", "novalue", "verify", "memory://corpora/none"], "expected KEY=VALUE"),
    ("", ["verify", "memory://corpora/none"], "memory://corpora/none: no such corpus folder"),
])
def test_bad_storage_is_one_clear_error(setting: str, argv: list[str], message: str,
                                        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    monkeypatch.setenv(OPTIONS_ENV, setting)
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_a_remote_location_is_refused_where_a_local_folder_is_needed():
    with pytest.raises(UserError, match="memory://x/y/z: must be a local path here"):
        Location.of("memory://x/y").path("z")


def test_an_unreachable_object_store_is_one_clear_error(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture):
    for key, value in s3_environment(free_port()).items():  # nothing listens on that port
        monkeypatch.setenv(key, value)
    assert main(["verify", "s3://corpora/none"]) == 2
    err = capsys.readouterr().err
    assert "s3://corpora/none: Could not connect to the endpoint URL" in err and "Traceback" not in err


def test_a_store_that_refuses_a_write_is_one_error_naming_the_file(tmp_path: Path, memory,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture):
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError("Access Denied")

    monkeypatch.setattr(type(memory), "pipe_file", refuse)
    recipe = write_toy_recipe(tmp_path, count=10, shard_size=10)
    assert main(["generate", str(recipe), "--out", "memory://corpora/denied", "--workers", "1", "--quiet"]) == 2
    assert "memory://corpora/denied/manifest.json: Access Denied" in capsys.readouterr().err


def test_a_file_reads_as_the_same_buffer_locally_and_at_a_url(tmp_path: Path, memory):
    """``read_buffer`` (a memory map locally, a fetch elsewhere) holds the file's bytes, and keeps
    them after the file is replaced (a corpus file is only ever replaced by a rename)."""
    data = bytes(range(256)) * 4096
    for location in (Location.of(str(tmp_path)), Location.of("memory://corpora/buffer")):
        location.publish("a.bin", data)
        buffer = location.read_buffer("a.bin")
        location.publish("a.bin", b"newer")
        assert buffer.to_pybytes() == data
        assert location.read_buffer("a.bin").to_pybytes() == b"newer"


def test_a_previous_corpus_at_a_url_is_reused_like_a_local_one(tmp_path: Path, memory):
    recipe = write_toy_recipe(tmp_path, count=30, shard_size=10)
    generate_corpus(recipe, out=tmp_path / "old", workers=1, progress=False)
    generate_corpus(recipe, out="memory://corpora/old", workers=1, progress=False)
    generate_corpus(recipe, out=tmp_path / "from-local", workers=1, progress=False, reuse=str(tmp_path / "old"))
    generate_corpus(recipe, out=tmp_path / "from-url", workers=1, progress=False, reuse="memory://corpora/old")
    files = fsspec.filesystem("file")
    fresh = digests(files, str(tmp_path / "old" / "shards"))
    assert digests(files, str(tmp_path / "from-local" / "shards")) == fresh
    assert digests(files, str(tmp_path / "from-url" / "shards")) == fresh
