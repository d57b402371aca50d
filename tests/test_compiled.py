"""Which modules are compiled, and refusing a compiled module built from another version of its
source (``twinforge.compiled``): a stale simulation core or palette routine would silently run old
code, so its package fails to import and the Makefile rebuilds it."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from twinforge import compiled

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "twinforge"


def built_copy(folder: Path, source: Path, names: list[str]) -> Path:
    """Copy ``names``' sources (.py/.pxd/.pyx) from ``source`` into ``folder`` (created), each with an
    empty stand-in extension carrying the digest of what was copied: a fresh build."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        for suffix in (".py", ".pxd", ".pyx"):
            if (source / f"{name}{suffix}").exists():
                shutil.copy(source / f"{name}{suffix}", folder)
    for name in names:
        extension = folder / f"{name}{EXTENSION_SUFFIXES[0]}"
        extension.write_bytes(b"")
        Path(f"{extension}{compiled.DIGEST_SUFFIX}").write_text(compiled.source_digest(folder, name) + "\n")
    return folder


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


@pytest.fixture
def package_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty ``twinforge`` folder that ``compiled`` takes for the package, so that the modules
    :data:`compiled.COMPILED_AS_IS` names are found in copies of their packages there."""
    monkeypatch.setattr(compiled, "PACKAGE_ROOT", tmp_path / "twinforge")
    return tmp_path / "twinforge"


def test_the_compiled_modules_are_the_simulation_core_the_sketch_routines_the_minhash_minimum_and_the_listed_ones(
) -> None:
    found = {folder.name: compiled.compiled_names(folder) for folder in compiled.compiled_packages()}
    declared_or_cython = {"execution": ["event_core", "flow", "stations"], "pipeline": ["minhash_minimum"],
                          "renderers": ["sketch_label_prices", "sketch_palette", "sketch_pen_lines",
                                        "sketch_pencil_points"]}
    listed: dict[str, list[str]] = {}
    for entry in compiled.COMPILED_AS_IS:
        package, _, name = entry.partition("/")
        listed.setdefault(package, []).append(name)
    assert found == {package: sorted(declared_or_cython.get(package, []) + listed.get(package, []))
                     for package in declared_or_cython | listed}
    assert compiled.cimported_names(PACKAGE / "renderers", "sketch_pen_lines") == ["sketch_pencil_points"]
    assert compiled.compiled_source(PACKAGE / "execution", "flow").name == "flow.py"
    assert compiled.compiled_source(PACKAGE / "renderers", "sketch_palette").name == "sketch_palette.pyx"


def test_each_module_compiled_as_is_is_a_plain_module_of_a_package_that_checks_its_extensions() -> None:
    """Listed by mistake, a ``.pyx``, a declared module or one of a package that never calls
    ``ensure_fresh`` would be compiled another way, or could run stale."""
    for entry in compiled.COMPILED_AS_IS:
        package = entry.rpartition("/")[0]
        assert (PACKAGE / f"{entry}.py").exists(), entry
        assert not (PACKAGE / f"{entry}.pxd").exists() and not (PACKAGE / f"{entry}.pyx").exists(), entry
        assert "ensure_fresh(Path(__file__).parent)" in (PACKAGE / package / "__init__.py").read_text(), entry


@pytest.mark.parametrize(("package", "name", "edited"), [
    ("execution", "event_core", ".py"), ("execution", "event_core", ".pxd"), ("renderers", "sketch_palette", ".pyx"),
    ("execution", "sandbox", ".py"), ("renderers", "sketch_labels", ".py"),
])
def test_a_compiled_module_whose_source_changed_is_stale(package_copy: Path, package: str, name: str,
                                                         edited: str) -> None:
    folder = built_copy(package_copy / package, PACKAGE / package, [name])
    assert compiled.compiled_names(folder) == [name]
    assert compiled.stale_modules(folder) == []
    compiled.ensure_fresh(folder)
    append(folder / f"{name}{edited}", "# edited\n")
    assert compiled.stale_modules(folder) == [name]
    source = compiled.compiled_source(folder, name).name
    with pytest.raises(ImportError, match=rf"{source}.*setup\.py build_ext --inplace"):
        compiled.ensure_fresh(folder)


def test_an_extension_without_a_digest_is_stale(tmp_path: Path) -> None:
    """One built by hand (``cythonize -i``) says nothing about its source."""
    folder = built_copy(tmp_path / "renderers", PACKAGE / "renderers", ["sketch_palette"])
    Path(f"{folder / 'sketch_palette'}{EXTENSION_SUFFIXES[0]}{compiled.DIGEST_SUFFIX}").unlink()
    assert compiled.stale_modules(folder) == ["sketch_palette"]


def test_a_module_is_stale_when_a_declaration_it_cimports_changed(tmp_path: Path) -> None:
    """flow's extension calls event_core's C functions (its .pxd cimports them): an edit of
    event_core.pxd makes it stale, though flow.py and flow.pxd are unchanged."""
    folder = built_copy(tmp_path / "execution", PACKAGE / "execution", ["event_core", "stations", "flow"])
    assert compiled.cimported_names(folder, "flow") == ["event_core", "stations"]
    assert compiled.stale_modules(folder) == []
    append(folder / "event_core.pxd", "# edited\n")
    assert compiled.stale_modules(folder) == ["event_core", "flow", "stations"]


def test_a_cimport_from_another_package_is_refused(tmp_path: Path) -> None:
    """Its .pxd would be missing from the digest, so an edit of it would go unseen."""
    folder = tmp_path / "renderers"
    folder.mkdir()
    (folder / "routine.pyx").write_text("from twinforge.execution.event_core cimport clock\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"routine\.pyx: cimports twinforge\.execution\.event_core"):
        compiled.source_digest(folder, "routine")


def run_check_script(package: Path) -> subprocess.CompletedProcess[str]:
    """``python twinforge/compiled.py`` on the package copy at ``package`` (the Makefile's test)."""
    return subprocess.run([sys.executable, str(package / "compiled.py")], capture_output=True, text=True,
                          timeout=60, check=False)


def test_the_makefile_check_exits_1_naming_a_stale_module(tmp_path: Path) -> None:
    package = tmp_path / "twinforge"
    built_copy(package / "execution", PACKAGE / "execution", ["event_core", "stations", "flow", "sandbox"])
    built_copy(package / "renderers", PACKAGE / "renderers", ["sketch_palette"])
    shutil.copy(PACKAGE / "compiled.py", package)
    fresh = run_check_script(package)
    assert fresh.returncode == 0, fresh.stderr
    append(package / "renderers" / "sketch_palette.pyx", "# edited\n")
    append(package / "execution" / "sandbox.py", "# edited\n")
    stale = run_check_script(package)
    assert stale.returncode == 1
    assert "renderers/sketch_palette" in stale.stderr and "execution/sandbox" in stale.stderr


@pytest.mark.parametrize(("package", "name", "source"), [
    ("execution", "event_core", "event_core.py"), ("renderers", "sketch_palette", "sketch_palette.pyx"),
    ("pipeline", "minhash", "minhash.py"),
])
def test_a_package_with_a_stale_extension_refuses_to_import(tmp_path: Path, package: str, name: str,
                                                             source: str) -> None:
    """An extension file with no digest beside it stops ``import twinforge.<package>`` before any
    of its modules could load it."""
    shutil.copytree(PACKAGE, tmp_path / "twinforge",
                    ignore=shutil.ignore_patterns("__pycache__", *(f"*{s}" for s in EXTENSION_SUFFIXES),
                                                  f"*{compiled.DIGEST_SUFFIX}"))
    (tmp_path / "twinforge" / package / f"{name}{EXTENSION_SUFFIXES[0]}").write_bytes(b"")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", f"import twinforge.{package}"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1
    assert "ImportError" in done.stderr and source in done.stderr


@pytest.mark.skipif(not os.environ.get("CI"), reason="a machine without a C compiler runs the plain Python")
def test_ci_runs_every_compiled_module() -> None:
    """``make install`` compiled every module compiled.py names (an optional extension fails quietly,
    and a listed module left plain would only run slower)."""
    plain = []
    for folder in compiled.compiled_packages():
        package = ".".join(folder.relative_to(ROOT).parts)
        for name in compiled.compiled_names(folder):
            if not importlib.import_module(f"{package}.{name}").__file__.endswith(tuple(EXTENSION_SUFFIXES)):
                plain.append(f"{package}.{name}")
    assert plain == []
