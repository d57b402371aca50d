"""A corpus is what its manifest says; twinforge deletes only what it wrote; outputs appear whole.

Each test is one finding of the integrity review: it asserts the clear outcome a user needs (a
refusal naming the shard or file, the exit code, nothing deleted, nothing outside the target).
"""

from __future__ import annotations

import errno
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.pipeline.conftest import write_toy_recipe
from twinforge.cli import main
from twinforge.errors import CorruptCorpus, UserError
from twinforge.pipeline.atomic import file_sha256
from twinforge.pipeline.corpus import open_corpus
from twinforge.pipeline.export import export_corpus
from twinforge.pipeline.generate import generate_corpus
from twinforge.pipeline.manifest import Manifest
from twinforge.pipeline.show import show_sample

READERS = [["dedup"], ["split"], ["coverage"], ["card"], ["show", "toy-0000001"],
           ["export", "--format", "jsonl", "--out", "{tmp}/export"]]


def run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def reader_argv(command: list[str], corpus: Path, tmp: Path) -> list[str]:
    return [command[0], str(corpus), *[part.format(tmp=tmp) for part in command[1:]]]


def flip_a_bit(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def damage(corpus: Path, fault: str) -> str:
    """Apply one fault; return the shard file it concerns."""
    shards = corpus / "shards"
    if fault == "deleted":
        (shards / "part-00000.parquet").unlink()
        return "part-00000.parquet"
    if fault == "bit-flipped":
        flip_a_bit(shards / "part-00001.parquet")
        return "part-00001.parquet"
    if fault == "truncated":
        path = shards / "part-00002.parquet"
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        return "part-00002.parquet"
    shutil.copy(shards / "part-00003.parquet", shards / "part-00009.parquet")
    return "part-00009.parquet"


FAULTS = ["deleted", "bit-flipped", "truncated", "foreign"]


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
def test_every_reading_command_refuses_a_damaged_corpus_naming_the_shard(
        toy_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture, fault: str, command: list[str]):
    shard = damage(toy_corpus, fault)
    code, _, err = run(capsys, *reader_argv(command, toy_corpus, tmp_path))
    assert code == 2
    assert shard in err and "Traceback" not in err
    assert not (tmp_path / "export").exists()


def test_eval_refuses_a_damaged_corpus(toy_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture):
    damage(toy_corpus, "bit-flipped")
    pred = tmp_path / "p.jsonl"
    pred.write_text('{"sample_id": "toy-0000001", "answer": "red"}\n')
    code, _, err = run(capsys, "eval", "--pred", str(pred), "--corpus", str(toy_corpus))
    assert code == 2 and "part-00001.parquet" in err


def test_verify_lists_all_four_faults(toy_corpus: Path, capsys: pytest.CaptureFixture):
    assert run(capsys, "verify", str(toy_corpus))[0] == 0
    shards = [damage(toy_corpus, fault) for fault in FAULTS]
    code, out, _ = run(capsys, "verify", str(toy_corpus))
    assert code == 2
    for shard, word in zip(shards, ("missing", "SHA-256", "SHA-256", "not in the manifest")):
        line = next(line for line in out.splitlines() if shard in line)
        assert word in line


def test_a_flipped_bit_is_caught_even_when_parquet_reads_it(toy_corpus: Path):
    flip_a_bit(toy_corpus / "shards" / "part-00001.parquet")
    with pytest.raises(CorruptCorpus, match="part-00001.parquet: SHA-256 differs"):
        open_corpus(toy_corpus)


def test_no_verify_skips_hashes_but_still_checks_the_shard_set(toy_corpus: Path):
    path = toy_corpus / "shards" / "part-00001.parquet"
    table = pq.read_table(path)
    pq.write_table(table, path, compression="gzip")  # same rows, other bytes
    assert open_corpus(toy_corpus, verify=False).read().num_rows == 77
    (toy_corpus / "shards" / "part-00000.parquet").unlink()
    with pytest.raises(CorruptCorpus, match="part-00000.parquet: listed in the manifest but missing"):
        open_corpus(toy_corpus, verify=False)


def test_an_incomplete_corpus_is_refused_with_the_command_that_finishes_it(toy_corpus: Path):
    manifest = Manifest.read(toy_corpus)
    manifest.data["complete"] = False
    manifest.save()
    with pytest.raises(CorruptCorpus, match="incomplete.*twinforge generate"):
        open_corpus(toy_corpus)


# ---------------------------------------------------------------- never delete what twinforge did not write
def test_generate_refuses_a_folder_that_is_not_a_corpus(tmp_path: Path, capsys: pytest.CaptureFixture):
    out = tmp_path / "mine"
    (out / "card").mkdir(parents=True)
    (out / "card" / "notes.md").write_text("my notes")
    (out / "dedup.parquet").write_text("mine too")
    recipe = write_toy_recipe(tmp_path)
    code, _, err = run(capsys, "generate", str(recipe), "--out", str(out), "--quiet")
    assert code == 2 and "not a twinforge corpus" in err and "card" in err
    assert (out / "card" / "notes.md").read_text() == "my notes" and (out / "dedup.parquet").exists()
    assert not (out / "shards").exists()


def test_regeneration_removes_only_the_derived_files_twinforge_wrote(toy_corpus: Path, tmp_path: Path):
    for command in ("dedup", "split", "coverage", "card"):
        assert main([command, str(toy_corpus)]) in (0, 1)
    (toy_corpus / "card" / "notes.md").write_text("mine")
    (toy_corpus / "splits" / "my_split.csv").write_text("mine")
    (toy_corpus / "shards" / "part-00002.parquet").unlink()
    recipe = write_toy_recipe(tmp_path, count=77, shard_size=20)
    assert "1 computed" in generate_corpus(recipe, out=toy_corpus, workers=1, progress=False)
    assert (toy_corpus / "card" / "notes.md").read_text() == "mine"
    assert (toy_corpus / "splits" / "my_split.csv").read_text() == "mine"
    for derived in ("dedup.parquet", "coverage.json", "card/README.md", "card/layers.png",
                    "splits/assignment.parquet", "splits/grouped.parquet"):
        assert not (toy_corpus / derived).exists(), derived
    assert Manifest.read(toy_corpus).derived == {}


def test_a_corpus_inside_another_survives_the_outer_resume(tmp_path: Path):
    recipe = write_toy_recipe(tmp_path, count=20, shard_size=10)
    outer = tmp_path / "qc"
    generate_corpus(recipe, out=outer, workers=1, progress=False)
    generate_corpus(recipe, out=outer / "card", workers=1, progress=False)
    assert main(["card", str(outer / "card")]) == 0
    (outer / "shards" / "part-00001.parquet").unlink()
    generate_corpus(recipe, out=outer, workers=1, progress=False)
    open_corpus(outer / "card")
    assert (outer / "card" / "card" / "README.md").exists()


def test_a_foreign_shard_in_the_shards_folder_is_refused_not_deleted(toy_corpus: Path, tmp_path: Path):
    foreign = toy_corpus / "shards" / "part-00042.parquet"
    shutil.copy(toy_corpus / "shards" / "part-00000.parquet", foreign)
    recipe = write_toy_recipe(tmp_path, count=77, shard_size=20)
    with pytest.raises(UserError, match="part-00042.parquet, which this corpus did not write"):
        generate_corpus(recipe, out=toy_corpus, workers=1, progress=False)
    assert foreign.exists()


def test_a_stale_split_is_refused_and_the_split_strategy_is_recorded(toy_corpus: Path, tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture):
    assert main(["split", str(toy_corpus), "--strategy", "ood:colour=red"]) == 0
    assert Manifest.read(toy_corpus).derived["splits/assignment.parquet"]["strategy"] == "ood:colour=red"
    assert main(["card", str(toy_corpus)]) == 0
    card = (toy_corpus / "card" / "README.md").read_text()
    assert "ood:colour=red" in card and "OUT-OF-DISTRIBUTION" in card
    kept = (toy_corpus / "splits" / "assignment.parquet").read_bytes()
    recipe = write_toy_recipe(tmp_path, count=60, shard_size=20)
    generate_corpus(recipe, out=toy_corpus, workers=1, progress=False, resume=False)
    (toy_corpus / "splits").mkdir(exist_ok=True)
    (toy_corpus / "splits" / "assignment.parquet").write_bytes(kept)  # an assignment of the old 77 samples
    code, _, err = run(capsys, "export", str(toy_corpus), "--format", "jsonl", "--out", str(tmp_path / "x"),
                       "--split", "train")
    assert code == 2 and "splits/assignment.parquet" in err and "twinforge split" in err


# ---------------------------------------------------------------- atomic exports
def test_export_refuses_a_non_empty_folder_and_overwrite_replaces_it_whole(toy_corpus: Path, tmp_path: Path):
    out = tmp_path / "export"
    out.mkdir()
    (out / "README.md").write_text("my readme")
    with pytest.raises(UserError, match="not empty"):
        export_corpus(open_corpus(toy_corpus), "jsonl", out)
    assert (out / "README.md").read_text() == "my readme"
    export_corpus(open_corpus(toy_corpus), "jsonl", out, overwrite=True)
    assert sorted(p.name for p in out.iterdir()) == ["all.jsonl"]
    assert len((out / "all.jsonl").read_text().splitlines()) == 77


def test_a_failed_export_leaves_the_old_one_and_no_half_files(toy_corpus: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture):
    out = tmp_path / "export"
    export_corpus(open_corpus(toy_corpus), "jsonl", out)
    before = (out / "all.jsonl").read_bytes()

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "all.jsonl")

    monkeypatch.setattr("twinforge.pipeline.export._JsonlFiles.write", full_disk)
    code, _, err = run(capsys, "export", str(toy_corpus), "--format", "jsonl", "--out", str(out), "--overwrite")
    assert code == 2 and "the disk is full" in err and "Traceback" not in err
    assert (out / "all.jsonl").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "export"]  # no hidden half-built folder


def test_a_sample_id_that_would_leave_the_export_folder_is_refused(toy_corpus: Path, tmp_path: Path):
    path = toy_corpus / "shards" / "part-00000.parquet"
    table = pq.read_table(path)
    ids = table["sample_id"].to_pylist()
    ids[0] = "../../evil_export"
    pq.write_table(table.set_column(0, "sample_id", pa.array(ids)), path)
    manifest = Manifest.read(toy_corpus)
    manifest.shards[path.name]["sha256"] = file_sha256(path)  # a consistent manifest: only the id is hostile
    manifest.save()
    out = tmp_path / "deep" / "export"
    with pytest.raises(CorruptCorpus, match="evil_export.*not a valid id"):
        export_corpus(open_corpus(toy_corpus), "jsonl", out)
    assert not out.exists() and not (tmp_path / "evil_export").exists()
    assert not [p for p in (tmp_path / "deep").iterdir() if not p.name.startswith(".tmp-")]
    with pytest.raises(UserError, match="not a valid id"):
        show_sample(open_corpus(toy_corpus), "../../evil_export")


# ---------------------------------------------------------------- clear errors, never a traceback
def test_read_only_corpus_still_reports_coverage(toy_corpus: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture):
    monkeypatch.setattr("twinforge.pipeline.storage.os.access", lambda path, mode: False)
    code, out, _ = run(capsys, "coverage", str(toy_corpus))
    assert code == 0 and "coverage ok" in out
    assert not (toy_corpus / "coverage.json").exists()


def test_coverage_uses_the_recipes_min_count(tmp_path: Path, capsys: pytest.CaptureFixture):
    recipe = write_toy_recipe(tmp_path, count=30, shard_size=10, extra="[coverage]\nmin_count = 50\n")
    generate_corpus(recipe, out=tmp_path / "c", workers=1, progress=False)
    code, out, _ = run(capsys, "coverage", str(tmp_path / "c"))
    assert code == 1 and "min count 50" in out
    assert run(capsys, "coverage", str(tmp_path / "c"), "--min-count", "1")[0] == 0


def test_an_unwritable_output_is_one_clear_error(toy_corpus: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture):
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(toy_corpus / "dedup.parquet"))

    monkeypatch.setattr("twinforge.pipeline.storage.write_table_atomically", refuse)
    code, _, err = run(capsys, "dedup", str(toy_corpus))
    assert code == 2 and "dedup.parquet: permission denied" in err


def test_a_full_disk_during_generate_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture):
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("twinforge.pipeline.storage.write_table_atomically", full)
    recipe = write_toy_recipe(tmp_path)
    code, _, err = run(capsys, "generate", str(recipe), "--out", str(tmp_path / "c"), "--workers", "1", "--quiet")
    assert code == 2 and "the disk is full" in err and "Traceback" not in err


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture):
    monkeypatch.setattr("twinforge.pipeline.runner.CONNECT_TIMEOUT_S", 1)
    recipe = write_toy_recipe(tmp_path)
    code, _, err = run(capsys, "generate", str(recipe), "--out", str(tmp_path / "c"), "--scheduler",
                       "tcp://127.0.0.1:1", "--quiet")
    assert code == 2 and "cannot reach a dask scheduler" in err


def test_interrupting_generate_says_how_to_resume(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture):
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("twinforge.pipeline.generate.run_tasks", interrupted)
    recipe = write_toy_recipe(tmp_path)
    code, _, err = run(capsys, "generate", str(recipe), "--out", str(tmp_path / "c"), "--quiet")
    assert code == 130 and "resume with the same command" in err


@pytest.mark.parametrize("argv, message", [
    (["sample", "--seed", "-5"], "--seed must be >= 0"),
    (["fit", "{tmp}"], "is a folder"),
    (["check-spec", "{tmp}"], "is a folder"),
    (["generate", "{tmp}"], "is a folder"),
])
def test_bad_arguments_are_one_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture, argv: list[str],
                                           message: str):
    code, _, err = run(capsys, *[part.format(tmp=tmp_path) for part in argv])
    assert code in (1, 2) and message in err and "Traceback" not in err


def test_show_will_not_write_to_a_device(toy_corpus: Path, capsys: pytest.CaptureFixture):
    code, _, err = run(capsys, "show", str(toy_corpus), "toy-0000001", "--sketch-out", "/dev/null")
    assert code == 2 and "device or special file" in err
    assert not Path("/dev/null.txt").exists()


def test_version_and_help_with_defaults(capsys: pytest.CaptureFixture):
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("twinforge ")
    with pytest.raises(SystemExit):
        main(["split", "--help"])
    text = capsys.readouterr().out
    assert "default: grouped" in text and "random | grouped" in text


def test_the_manifest_is_a_readable_record_of_the_run(toy_corpus: Path):
    data = json.loads((toy_corpus / "manifest.json").read_text())
    assert data["complete"] and data["family"] == "toy" and data["format"] == 2
    assert sum(entry["rows"] for entry in data["shards"].values()) == 77
