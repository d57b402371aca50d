"""``twinforge review`` and ``apply-edits`` without a browser: the filter language, the edits file,
the overlay, and sites for a family without images (toy) and one with five images per row (gene)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from twinforge.cli import main
from twinforge.errors import UserError
from twinforge.pipeline.corpus import open_corpus
from twinforge.pipeline.edits import FIELDS, MalformedEdit, apply_edits, parse_edit, read_edits
from twinforge.pipeline.review import FLAGS, build_site, select_ids
from twinforge.pipeline.splits import split_corpus
from twinforge.pipeline.where import parse_where

OPS = {"==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
       "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


@settings(deadline=None)  # the first example builds the (cached) parser
@given(values=st.lists(st.integers(-5, 5), min_size=1, max_size=20), op=st.sampled_from(sorted(OPS)),
       bound=st.integers(-6, 6), word=st.sampled_from(["red", "blue"]))
def test_where_keeps_exactly_the_rows_its_comparison_holds_for(values, op, bound, word):
    colours = ["red" if v % 2 else "blue" for v in values]
    table = pa.table({"n": values, "colour": colours})
    where = parse_where(f"n {op} {bound} and not colour == \"{word}\"", table.schema)
    kept = table.filter(where.expression)["n"].to_pylist()
    assert kept == [v for v, c in zip(values, colours) if OPS[op](v, bound) and c != word]
    assert where.columns == ("n", "colour")


@pytest.mark.parametrize("text, message", [
    ("size == 3", "no column 'size'"),
    ("words == a", "not text or numbers"),
    ("n == red", "not a value of it"),
    ("n ==", "cannot read it"),
    ("__import__('os')", "cannot read it"),
])
def test_where_refuses_what_it_cannot_read_naming_the_problem(text, message):
    schema = pa.schema([("n", pa.int64()), ("words", pa.list_(pa.string()))])
    with pytest.raises(UserError, match=re.escape(message)):
        parse_where(text, schema)


def edit_line(sample_id: str, prompt: str | None = None, flags: list[str] | None = None, comment: str = "") -> str:
    return json.dumps({"sample_id": sample_id, "prompt": prompt, "flags": flags or [], "comment": comment,
                       "reviewer": "bo", "time": "2026-12-02T23:00:00Z"})


JSON_VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12),
                       st.lists(st.sampled_from([*FLAGS, "x", 1]), max_size=3))


@settings(deadline=None)  # a loaded machine can stall one example; the property has no timing
@given(data=st.dictionaries(st.sampled_from([*FIELDS, "extra"]), JSON_VALUES))
def test_any_json_object_is_an_edit_or_a_malformed_line_never_a_crash(data):
    try:
        edit = parse_edit(7, json.dumps(data))
    except MalformedEdit:
        return
    assert set(data) == set(FIELDS) and edit.line == 7 and set(edit.flags) <= set(FLAGS)


def test_malformed_edit_lines_are_reported_with_their_line_numbers(tmp_path):
    path = tmp_path / "edits.jsonl"
    lines = [edit_line("toy-0000001"), "{not json", "", json.dumps({"sample_id": "toy-0000002"}),
             edit_line("toy-0000003", flags=["too_blue"]), edit_line("toy-0000004").replace('"bo"', '"<b>"')]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    edits, problems = read_edits(path)
    assert [edit.line for edit in edits] == [1]
    assert [line for line, _ in problems] == [2, 4, 5, 6]
    assert "field 'prompt' is missing" in problems[1][1]
    assert "field 'flags'" in problems[2][1] and "field 'reviewer'" in problems[3][1]


def test_apply_edits_checks_prompts_with_the_family_and_export_reads_the_overlay(toy_corpus, tmp_path, capsys):
    corpus = open_corpus(toy_corpus)
    rows = corpus.read(columns=["text"]).to_pylist()
    first, second, third = rows[0], rows[1], rows[2]
    good = " ".join(reversed(first["text"].split()))
    bad = first["text"] + " extra"
    path = tmp_path / "edits.jsonl"
    path.write_text("\n".join([edit_line(first["sample_id"], good), edit_line(second["sample_id"], bad),
                               edit_line(third["sample_id"], flags=["unrealistic"], comment="odd"),
                               edit_line("toy-9999999", flags=["other"])]) + "\n", encoding="utf-8")
    report = apply_edits(corpus, path)
    assert [edit.sample_id for edit in report.accepted] == [first["sample_id"]]
    assert [(edit.line, problems) for edit, problems in report.refused] == [(2, ["81 words, not 80"])]
    assert report.malformed == [(4, f"no sample 'toy-9999999' in {toy_corpus}")]
    assert report.written and report.flagged == 1
    split_corpus(open_corpus(toy_corpus), "random")
    in_splits = {i for name in ("train", "val", "test") for i in open_corpus(toy_corpus).split_ids(name).to_pylist()}
    assert third["sample_id"] not in in_splits and first["sample_id"] in in_splits

    again = apply_edits(open_corpus(toy_corpus), path)
    assert not again.written and not again.accepted and len(again.unchanged) == 1

    shards = {p.name: p.read_bytes() for p in (toy_corpus / "shards").iterdir()}
    assert main(["export", str(toy_corpus), "--format", "jsonl", "--out", str(tmp_path / "out")]) == 0
    assert "1 rows flagged by reviewers left out" in capsys.readouterr().out
    exported = {row["sample_id"]: row for part in (tmp_path / "out").glob("*.jsonl")
                for row in map(json.loads, part.open())}
    assert exported[first["sample_id"]]["text"] == good
    assert exported[second["sample_id"]]["text"] == second["text"]
    assert third["sample_id"] not in exported
    assert {p.name: p.read_bytes() for p in (toy_corpus / "shards").iterdir()} == shards


def test_a_second_accepted_edit_is_the_next_prompt_version(toy_corpus, tmp_path):
    row = open_corpus(toy_corpus).read(columns=["text"]).to_pylist()[0]
    words = row["text"].split()
    for number, text in enumerate((" ".join(words[1:] + words[:1]), " ".join(words[2:] + words[:2])), start=1):
        path = tmp_path / f"edits-{number}.jsonl"
        path.write_text(edit_line(row["sample_id"], text) + "\n", encoding="utf-8")
        apply_edits(open_corpus(toy_corpus), path)
        overlay = open_corpus(toy_corpus).review_overlay().to_pylist()
        assert overlay[0]["prompt_version"] == number and overlay[0]["prompt_source"] == "human:bo"


def test_select_ids_samples_reproducibly_within_the_filter(toy_corpus):
    corpus = open_corpus(toy_corpus)
    red = select_ids(corpus, where="colour == red")
    picked = select_ids(corpus, where="colour == red", sample=5, seed=3)
    assert picked == select_ids(corpus, where="colour == red", sample=5, seed=3)
    assert len(picked) == 5 and set(picked) <= set(red) and picked == sorted(picked, key=red.index)


def test_a_family_without_images_gets_a_site_with_a_page_per_sample(toy_corpus, tmp_path):
    summary = build_site(open_corpus(toy_corpus), tmp_path / "site", where="shape == circle")
    pages = sorted((tmp_path / "site" / "samples").glob("*.html"))
    assert "samples" in summary and pages
    assert len(pages) == len(select_ids(open_corpus(toy_corpus), where="shape == circle"))
    grid = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert grid.count('class="card"') == len(pages) and "no image" in grid


@pytest.fixture(scope="module")
def gene_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from twinforge.pipeline.generate import generate_corpus

    folder = tmp_path_factory.mktemp("genes")
    recipe = folder / "genes.toml"
    recipe.write_text('name = "g"\nfamily = "gene"\nseed = 5\ncount = 4\nshard_size = 4\nimage_size = 64\n'
                      'poses = 5\n', encoding="utf-8")
    generate_corpus(recipe, out=folder / "corpus", workers=1, progress=False)
    return folder / "corpus"


def test_a_gene_page_shows_its_five_images_pixel_for_pixel_the_gene_and_its_tokens(gene_corpus, tmp_path):
    build_site(open_corpus(gene_corpus), tmp_path / "site")
    page = (tmp_path / "site" / "samples" / "g-0000000.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<img src="\.\./images/g-0000000-\d\.webp"', page)) == 5
    assert "<h2>gene</h2>" in page and "<h2>gene_tokens</h2>" in page
    row = open_corpus(gene_corpus).read(columns=["images"]).to_pylist()[0]
    for number, image in enumerate(row["images"], start=1):
        shown = Image.open(tmp_path / "site" / "images" / f"g-0000000-{number}.webp")
        assert np.array_equal(np.asarray(shown.convert("RGB")),
                              np.asarray(Image.open(io.BytesIO(image["bytes"])).convert("RGB")))
    grid = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'data-filter="category"' in grid and 'data-filter="subtype"' in grid


def test_a_gene_prompt_edit_must_keep_the_category_and_state_no_number(gene_corpus, tmp_path):
    corpus = open_corpus(gene_corpus)
    row = corpus.read(columns=["category", "prompt"]).to_pylist()[0]
    path = tmp_path / "edits.jsonl"
    path.write_text("\n".join([edit_line(row["sample_id"], "Write the Digital Gene of this object."),
                               edit_line(row["sample_id"], f"A {row['category']} with 4 legs. Its gene?"),
                               edit_line(row["sample_id"], f"Give the gene of the {row['category']} shown.")]) + "\n",
                    encoding="utf-8")
    report = apply_edits(corpus, path)
    assert [problems for _, problems in report.refused] == [
        [f"name '{row['category']}' (the category) does not appear"], ["number '4' is not a fact of the image"]]
    assert len(report.accepted) == 1
    assert corpus.family.prompt_problems(corpus.recipe, row, row["prompt"]) == []  # the generated prompt is faithful
