"""``twinforge show``: one sample as text plus its files; an unknown id is a user error."""

from __future__ import annotations

from pathlib import Path

import pytest

from twinforge.cli import main
from twinforge.errors import UserError
from twinforge.pipeline.corpus import open_corpus
from twinforge.pipeline.show import show_sample


def test_show_prints_columns_and_writes_files(toy_corpus: Path, tmp_path: Path):
    out = tmp_path / "look" / "sample.svg"
    text = show_sample(open_corpus(toy_corpus), "toy-0000012", files_out=out)
    assert text.startswith("# toy-0000012") and "## colour" in text
    written = out.with_suffix(".txt").read_text()
    assert written and written in text


def test_unknown_id(toy_corpus: Path, capsys: pytest.CaptureFixture):
    with pytest.raises(UserError, match="no sample with id"):
        show_sample(open_corpus(toy_corpus), "toy-9999999")
    assert main(["show", str(toy_corpus), "nope"]) == 2
    assert "no sample with id 'nope'" in capsys.readouterr().err
