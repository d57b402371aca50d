"""`twinforge export`: the files training code reads, read back with pandas, openpyxl and json."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from PIL import Image

from tests.metrics.corpus_fixture import PNG, REFERENCE, WIDE_PNG, mark_derived, row, write_corpus
from twinforge.cli import main
from twinforge.errors import UserError
from twinforge.pipeline.corpus import open_corpus
from twinforge.pipeline.export import export_corpus

SPLITS = {"a": "train", "b": "train", "c": "train", "d": "val", "e": "test"}
NO_PNG = {"b"}


@pytest.fixture
def corpus(tmp_path):
    rows = [row(sample_id, i, png=None if sample_id in NO_PNG else PNG) for i, sample_id in enumerate(SPLITS)]
    return write_corpus(tmp_path / "corpus", rows, SPLITS)


def test_gdt_vlsm_writes_xlsx_pairs_and_image_jsonl(corpus, tmp_path):
    out = tmp_path / "vlsm"
    summary = export_corpus(open_corpus(corpus), fmt="gdt-vlsm", out=out)
    train = pd.read_excel(out / "train.xlsx")
    assert list(train.columns) == ["Prompt", "Response"]
    assert len(train) == 3 and len(pd.read_excel(out / "val.xlsx")) == 1
    assert train["Response"][0] == REFERENCE
    assert not (out / "test.xlsx").exists()
    assert openpyxl.load_workbook(out / "train.xlsx").active["A1"].value == "Prompt"
    records = [json.loads(line) for line in (out / "train.jsonl").read_text().splitlines()]
    assert len(records) == 2  # "b" has no sketch: xlsx only
    assert set(records[0]) == {"image", "prompt", "response"}
    assert (out / records[0]["image"]).read_bytes() == PNG
    assert "train.xlsx 3" in summary


def test_jsonl_writes_one_object_per_sample_per_split(corpus, tmp_path):
    out = tmp_path / "jsonl"
    export_corpus(open_corpus(corpus), fmt="jsonl", out=out)
    counts = {name: len((out / f"{name}.jsonl").read_text().splitlines()) for name in ("train", "val", "test")}
    assert counts == {"train": 3, "val": 1, "test": 1}
    record = json.loads((out / "val.jsonl").read_text())
    assert record["sample_id"] == "d" and record["split"] == "val"
    assert record["spec"]["industry"] == "photomask" and record["kpis"] == {"throughput_per_hour": 100.0}
    assert "sketch_png" not in record and "minhash" not in record


def test_hf_writes_parquet_with_image_struct_and_card(corpus, tmp_path):
    out = tmp_path / "hf"
    export_corpus(open_corpus(corpus), fmt="hf", out=out, split="train")
    table = pq.read_table(out / "data" / "train-00000-of-00001.parquet")
    assert table.num_rows == 3
    images = table.column("image").to_pylist()
    assert images[0] == {"bytes": PNG, "path": "a.png"} and images[1] is None
    assert json.loads(table.schema.metadata[b"huggingface"])["info"]["features"]["image"] == {"_type": "Image"}
    card = (out / "README.md").read_text()
    assert "- split: train" in card and "dtype: image" in card and "num_examples: 3" in card


def test_cli_export_and_bad_split(corpus, tmp_path, capsys):
    assert main(["export", str(corpus), "--format", "jsonl", "--out", str(tmp_path / "o"), "--split", "test"]) == 0
    assert "test.jsonl 1" in capsys.readouterr().out
    with pytest.raises(UserError, match="split"):
        export_corpus(open_corpus(corpus), fmt="jsonl", out=tmp_path / "x", split="dev")


def test_rows_flagged_as_duplicates_are_left_out(corpus, tmp_path):
    pq.write_table(pa.table({"sample_id": list(SPLITS), "keep": [True, False, True, True, True]}),
                   corpus / "dedup.parquet")
    mark_derived(corpus, "dedup.parquet", "dedup")
    summary = export_corpus(open_corpus(corpus), fmt="jsonl", out=tmp_path / "o", split="train")
    ids = [json.loads(line)["sample_id"] for line in (tmp_path / "o" / "train.jsonl").read_text().splitlines()]
    assert ids == ["a", "c"] and "1 rows flagged" in summary


def test_gdt_vlsm_letterboxes_images_and_keeps_sketch_prompts_out_of_text_only_files(tmp_path):
    rows = [row("a", 0, png=WIDE_PNG), row("b", 1), row("c", 2)]
    rows[1]["prompt_mode"] = "sketch"
    rows[1]["prompt"] = "Build the line in the sketch."
    corpus = write_corpus(tmp_path / "corpus", rows, {"a": "train", "b": "train", "c": "val"})
    out = tmp_path / "vlsm"
    export_corpus(open_corpus(corpus), fmt="gdt-vlsm", out=out)
    prompts = pd.read_excel(out / "train.xlsx")["Prompt"].tolist()
    assert prompts == [rows[0]["prompt"]]  # the sketch-mode prompt needs its image: jsonl only
    records = [json.loads(line) for line in (out / "train.jsonl").read_text().splitlines()]
    assert [r["prompt"] for r in records] == [rows[0]["prompt"], "Build the line in the sketch."]
    with Image.open(out / records[0]["image"]) as image:
        assert image.size == (16, 16)
        assert image.getpixel((8, 1)) == (255, 255, 255)  # padding, the drawing itself untouched
    assert (out / records[1]["image"]).read_bytes() == PNG  # already square: the same bytes


def test_export_refuses_to_write_inside_the_corpus(corpus):
    with pytest.raises(UserError, match="inside the corpus"):
        export_corpus(open_corpus(corpus), fmt="jsonl", out=corpus / "export")


def test_datasets_reads_the_shards_image_as_an_image_and_the_hf_export_without_warnings(tmp_path, caplog):
    datasets = pytest.importorskip("datasets")
    from tests.pipeline.conftest import write_factory_recipe
    from twinforge.pipeline.generate import generate_corpus
    from twinforge.pipeline.splits import split_corpus

    recipe = write_factory_recipe(tmp_path, count=24, shard_size=12)
    corpus = tmp_path / "mini"
    generate_corpus(recipe, out=corpus, workers=1, progress=False)
    shards = sorted(str(p) for p in (corpus / "shards").glob("part-*.parquet"))
    loaded = datasets.load_dataset("parquet", data_files=shards, split="train", cache_dir=str(tmp_path / "hf"))
    assert isinstance(loaded.features["sketch_png"], datasets.Image)
    assert isinstance(loaded.features["families"], datasets.List)
    with_png = [row for row in loaded if row["sketch_png"] is not None]
    assert with_png and with_png[0]["sketch_png"].size[0] > 0
    split_corpus(open_corpus(corpus), "random")
    out = tmp_path / "export"
    export_corpus(open_corpus(corpus), fmt="hf", out=out)
    caplog.set_level("WARNING")
    caplog.clear()
    splits = datasets.load_dataset(str(out), cache_dir=str(tmp_path / "hf2"))
    assert set(splits) == {"train", "validation", "test"}
    assert isinstance(splits["train"].features["image"], datasets.Image)
    assert not [r for r in caplog.records if r.levelname == "WARNING"], [r.message for r in caplog.records]
