"""Which twinforge modules run compiled, and whether each compiled one still matches its source.

setup.py compiles three kinds of module with Cython when the package is installed:

- a module with a ``.pxd`` beside its ``.py`` (the simulation core in ``execution/``) is compiled
  from its unchanged ``.py`` (Cython's pure-Python mode); the ``.pxd`` makes its classes extension
  types; without the extension the ``.py`` runs;
- a module named in :data:`COMPILED_AS_IS` is compiled from its unchanged ``.py`` with no
  declarations: its classes and functions stay ordinary Python objects, only the interpreter's
  overhead goes; without the extension the ``.py`` runs;
- a ``.pyx`` (a small routine such as ``renderers/sketch_palette``) is Cython source whose caller
  keeps a plain path with the same results, run where the extension is absent.

Both are optional: where the C compiler fails, the install goes on and the plain code runs. Python
imports an extension in preference to a ``.py``, and a caller trusts a routine to follow the rule
of its source, so a compiled module older than its source would silently run old code. setup.py
therefore writes the :func:`source_digest` of what it compiled beside each extension
(``<extension file>.sha256``); :func:`stale_modules` names every extension whose digest no longer
matches, and each package with compiled modules refuses to import while one is stale
(:func:`ensure_fresh`).

Standard library only and no twinforge import: setup.py loads this file by path to record the
digests, and the Makefile runs it as a script (exit status 1 when an extension is stale) to decide
whether to rebuild.
"""

from __future__ import annotations

import hashlib
import re
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent
"""The ``twinforge`` package folder."""
DIGEST_SUFFIX = ".sha256"
"""Added to an extension's file name for the file holding the digest it was built from."""
CIMPORT = re.compile(r"^\s*from twinforge\.((?:\w+\.)*\w+)\.(\w+) cimport", re.MULTILINE)
"""A cimport of a compiled twinforge module: its package (dotted) and its name."""
COMPILED_AS_IS = (
    "execution/builtins", "execution/checks", "execution/fast_parse", "execution/graph", "execution/sandbox",
    "execution/simulation",
    "pipeline/minhash", "pipeline/shards",
    "renderers/fidelity", "renderers/fidelity_numbers", "renderers/flexscript", "renderers/phrasebook",
    "renderers/prompt_routes", "renderers/prompt_units",
    "renderers/sketch", "renderers/sketch_glyphs", "renderers/sketch_label_search", "renderers/sketch_labels",
    "renderers/sketch_layout", "renderers/sketch_lines", "renderers/sketch_marks", "renderers/sketch_paper",
    "renderers/sketch_pencil", "renderers/sketch_raster", "renderers/sketch_svg",
)
"""The hot modules (issue #18) compiled from their unchanged ``.py``, as ``<package>/<module>`` under
``twinforge/``. Only packages that check their extensions at import (:func:`ensure_fresh`) hold them.
Left out on purpose (docs/execution.md, "The compiled core"): ``execution/compiler`` and
``execution/expressions`` (a compiled call does not count towards Python's recursion limit, which
turns a hostile script's deep nesting into a parse error), and modules Cython rejects or does not
finish compiling (``renderers/prompt``, ``renderers/sketch_glyph_placement``,
``renderers/sketch_edge_routing``)."""


def as_is_names(package_dir: Path) -> set[str]:
    """The modules of ``package_dir`` that :data:`COMPILED_AS_IS` names and that are there (none
    outside ``PACKAGE_ROOT``)."""
    folder = package_dir.resolve()
    if not folder.is_relative_to(PACKAGE_ROOT):
        return set()
    package = folder.relative_to(PACKAGE_ROOT).as_posix()
    listed = {entry.rpartition("/")[2] for entry in COMPILED_AS_IS if entry.rpartition("/")[0] == package}
    return {name for name in listed if (folder / f"{name}.py").exists()}


def compiled_names(package_dir: Path) -> list[str]:
    """The modules of ``package_dir`` built as extensions: each ``.pyx``, each ``.py`` with a ``.pxd``,
    and each module :data:`COMPILED_AS_IS` names there."""
    written_in_cython = {path.stem for path in package_dir.glob("*.pyx")}
    declared = {path.stem for path in package_dir.glob("*.pxd") if path.with_suffix(".py").exists()}
    return sorted(written_in_cython | declared | as_is_names(package_dir))


def compiled_source(package_dir: Path, name: str) -> Path:
    """The file Cython compiles for ``name``: its ``.pyx``, else its ``.py``."""
    pyx = package_dir / f"{name}.pyx"
    return pyx if pyx.exists() else package_dir / f"{name}.py"


def cimported_names(package_dir: Path, name: str) -> list[str]:
    """The other compiled modules whose declarations ``name`` cimports (its extension calls their C
    functions, so it is built from their ``.pxd`` too). They must sit in the same package: a cimport
    from another package raises ValueError rather than leave a dependency out of the digest."""
    cimported: set[str] = set()
    for path in (compiled_source(package_dir, name), package_dir / f"{name}.pxd"):
        if not path.exists():
            continue
        for package, module in CIMPORT.findall(path.read_text(encoding="utf-8")):
            if package.rsplit(".", 1)[-1] != package_dir.name:
                raise ValueError(f"{path}: cimports twinforge.{package}.{module}, outside its own package")
            cimported.add(module)
    return sorted(cimported - {name})


def source_digest(package_dir: Path, name: str) -> str:
    """SHA-256 of what an extension is compiled from: its source (``.pyx`` or ``.py``), its ``.pxd``
    if it has one, and the ``.pxd`` of every module of the package it cimports."""
    digest = hashlib.sha256(compiled_source(package_dir, name).read_bytes())
    declarations = package_dir / f"{name}.pxd"
    if declarations.exists():
        digest.update(declarations.read_bytes())
    for other in cimported_names(package_dir, name):
        digest.update((package_dir / f"{other}.pxd").read_bytes())
    return digest.hexdigest()


def extension_file(package_dir: Path, name: str) -> Path | None:
    """The extension Python would import for ``name`` (None: the plain code runs)."""
    for suffix in EXTENSION_SUFFIXES:
        path = package_dir / f"{name}{suffix}"
        if path.exists():
            return path
    return None


def stale_modules(package_dir: Path) -> list[str]:
    """The compiled modules of ``package_dir`` whose extension was not built from their current
    sources (or carries no digest, as one built by hand with ``cythonize -i``)."""
    stale = []
    for name in compiled_names(package_dir):
        extension = extension_file(package_dir, name)
        if extension is None:
            continue
        recorded = Path(f"{extension}{DIGEST_SUFFIX}")
        if not recorded.exists() or recorded.read_text(encoding="ascii").strip() != source_digest(package_dir, name):
            stale.append(name)
    return stale


def ensure_fresh(package_dir: Path) -> None:
    """Raise ImportError naming every stale compiled module of ``package_dir`` and how to rebuild it."""
    stale = stale_modules(package_dir)
    if stale:
        names = ", ".join(compiled_source(package_dir, name).name for name in stale)
        raise ImportError(f"compiled modules in {package_dir} were built from another version of {names}: rebuild "
                          "them with `make install` (or `python setup.py build_ext --inplace`), or delete their "
                          "extension files to run the plain code")


def compiled_packages() -> list[Path]:
    """The package folders under ``PACKAGE_ROOT`` that hold compiled modules."""
    folders = {path.parent for pattern in ("*.pyx", "*.pxd") for path in PACKAGE_ROOT.rglob(pattern)}
    folders |= {(PACKAGE_ROOT / entry).parent for entry in COMPILED_AS_IS}
    return sorted(folder for folder in folders if compiled_names(folder))


if __name__ == "__main__":  # `python twinforge/compiled.py`: the Makefile's test before a rebuild
    import sys

    stale = [f"{folder.relative_to(PACKAGE_ROOT)}/{name}" for folder in compiled_packages()
             for name in stale_modules(folder)]
    print(f"stale compiled modules: {', '.join(stale)}" if stale else "no stale compiled module", file=sys.stderr)
    raise SystemExit(1 if stale else 0)
