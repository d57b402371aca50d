"""The review site in a real headless Chromium (Debian's, driven by Playwright): a reviewer moves
through the grid, edits one prompt, flags another sample, plants a bad edit and downloads the
edits; ``apply-edits`` takes the good one and refuses the bad one; ``export`` carries the edit.

Needs ``/usr/bin/chromium`` (``make browser`` installs it; ``make test`` runs it first).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.pipeline.conftest import write_factory_recipe
from twinforge.cli import main
from twinforge.pipeline.corpus import open_corpus

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def factory_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from twinforge.pipeline.generate import generate_corpus

    folder = tmp_path_factory.mktemp("review")
    generate_corpus(write_factory_recipe(folder, count=6, shard_size=3), out=folder / "corpus", workers=1,
                    progress=False)
    assert main(["review", str(folder / "corpus"), "--out", str(folder / "site"), "--quiet"]) == 0
    return folder / "corpus", folder / "site"


def changed_number(prompt: str) -> str:
    """The prompt with its first number written in digits replaced by one the spec cannot hold."""
    return re.sub(r"\d+(?:\.\d+)?", "987654", prompt, count=1)


def test_a_reviewer_edits_flags_and_downloads_and_apply_edits_checks_it(browser, factory_site, tmp_path, capsys):
    corpus, site = factory_site
    page = browser.new_context(accept_downloads=True).new_page()
    page.goto((site / "index.html").as_uri())
    cards = page.locator(".card")
    ids = [cards.nth(i).get_attribute("data-id") for i in range(cards.count())]
    assert len(ids) == 6
    option = page.locator("select[name=line_type] option").nth(1)
    value, label = option.get_attribute("value"), option.text_content()
    page.select_option("select[name=line_type]", value)
    assert page.locator(".card:not(.hidden)").count() == int(label.split("(")[1].rstrip(")")) < 6
    page.select_option("select[name=line_type]", "")
    assert page.locator(".card:not(.hidden)").count() == 6

    page.keyboard.press("ArrowRight")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"samples/{ids[0]}.html")
    original = page.input_value("#prompt")
    good = original + " Keep the model tidy."
    page.fill("#prompt", good)
    page.fill("#reviewer", "ann")
    page.click("#save")
    assert page.text_content("#status") == "saved in this browser"

    with page.expect_navigation():
        page.keyboard.press("j")
    assert page.url.endswith(f"samples/{ids[1]}.html")
    page.check("input[value=bad_sketch]")
    page.fill("#comment", "labels overlap")
    page.click("#save")

    with page.expect_navigation():
        page.keyboard.press("ArrowRight")
    bad = changed_number(page.input_value("#prompt"))
    page.fill("#prompt", bad)
    page.click("#save")

    with page.expect_download() as download:
        page.click("#download")
    edits = tmp_path / "edits.jsonl"
    download.value.save_as(edits)
    lines = [json.loads(line) for line in edits.read_text(encoding="utf-8").splitlines()]
    assert [line["sample_id"] for line in lines] == ids[:3]
    assert lines[0]["prompt"] == good and lines[0]["reviewer"] == "ann" and lines[0]["flags"] == []
    assert lines[1]["prompt"] is None and lines[1]["flags"] == ["bad_sketch"] and lines[1]["comment"] == "labels overlap"

    row = open_corpus(corpus).read(columns=["spec", "prompt"]).to_pylist()[3]
    name = json.loads(row["spec"])["objects"][0]["name"]
    dropped = {**lines[0], "sample_id": row["sample_id"], "prompt": row["prompt"].replace(name, "the first station")}
    with edits.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(dropped) + "\n")

    capsys.readouterr()
    assert main(["apply-edits", str(corpus), str(edits)]) == 1
    report = capsys.readouterr().out
    assert f"accepted prompt of {ids[0]} (human:ann)" in report
    assert re.search(rf"refused prompt of {ids[2]}: .*987654", report)
    assert f"refused prompt of {row['sample_id']}: name '{name}' does not appear verbatim" in report
    overlay = (corpus / "review" / "overlay.parquet").read_bytes()

    assert main(["apply-edits", str(corpus), str(edits)]) == 1
    assert "overlay unchanged" in capsys.readouterr().out
    assert (corpus / "review" / "overlay.parquet").read_bytes() == overlay

    assert main(["export", str(corpus), "--format", "jsonl", "--out", str(tmp_path / "export")]) == 0
    exported = {row["sample_id"]: row for row in map(json.loads, (tmp_path / "export" / "all.jsonl").open())}
    assert exported[ids[0]]["prompt"] == good and exported[ids[0]]["prompt_source"] == "human:ann"
    assert ids[1] not in exported
    assert exported[ids[2]]["prompt"] != bad
