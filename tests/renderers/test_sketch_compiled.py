"""The compiled twins of sketch steps are used only when built from the source beside them."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from twinforge.renderers import sketch_label_search, sketch_pencil
from twinforge.renderers.sketch_compiled import fresh_extension


@pytest.mark.parametrize("name", ["sketch_label_prices", "sketch_pencil_points"])
def test_an_extension_built_from_another_source_is_refused(name: str, tmp_path: Path) -> None:
    extension = tmp_path / f"{name}.cpython-311-x86_64-linux-gnu.so"
    Path(f"{extension}.sha256").write_text("0" * 64 + "\n", encoding="ascii")
    with pytest.raises(ImportError, match=f"another version of .*{name}.pyx"):
        fresh_extension(SimpleNamespace(__file__=str(extension)))


def test_an_extension_without_a_digest_record_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportError, match="another version"):
        fresh_extension(SimpleNamespace(__file__=str(tmp_path / "sketch_pencil_points.so")))


def test_a_missing_extension_leaves_the_plain_path() -> None:
    assert fresh_extension(None) is None


@pytest.mark.parametrize(("module", "extension"), [(sketch_label_search, "sketch_label_prices"),
                                                   (sketch_pencil, "sketch_pencil_points")])
def test_a_built_extension_is_fresh(module: object, extension: str) -> None:
    built = getattr(module, extension)
    if built is None:
        pytest.skip(f"{extension} is not built (setup.py build_ext)")
    assert fresh_extension(built) is built
