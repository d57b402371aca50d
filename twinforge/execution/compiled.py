"""Which simulation modules run compiled, and whether a compiled one still matches its source.

A module of this package with a ``.pxd`` beside its ``.py`` (``event_core``, ``stations``, ``flow``)
is compiled by Cython when the package is installed (setup.py; optional: without a C compiler the
plain ``.py`` runs, with the same results). Python imports the extension in preference to the
``.py``, so a compiled module that is older than its source would silently run old code; setup.py
therefore writes the ``source_digest`` of what it compiled beside each extension
(``<extension file>.sha256``), and ``stale_modules`` names every extension whose digest no longer
matches. ``twinforge.execution`` refuses to import while one is stale (``ensure_fresh``).

Standard library only: setup.py loads this file by path to record the digests, and the Makefile runs
it as a script (exit status 1 when an extension is stale) to decide whether to rebuild.
"""

from __future__ import annotations

import hashlib
import re
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DIGEST_SUFFIX = ".sha256"
"""Added to an extension's file name for the file holding the digest it was built from."""
CIMPORT = re.compile(r"^from twinforge\.execution\.(\w+) cimport", re.MULTILINE)
"""A ``.pxd``'s cimport of another compiled module of this package."""


def compiled_names(package_dir: Path = PACKAGE_DIR) -> list[str]:
    """The modules that are built as extensions: those with a ``.pxd`` (their Cython declarations)."""
    return sorted(path.stem for path in package_dir.glob("*.pxd") if path.with_suffix(".py").exists())


def cimported_names(package_dir: Path, name: str) -> list[str]:
    """The modules of this package whose declarations ``name``'s ``.pxd`` cimports (its extension
    calls their C functions, so it is built from their ``.pxd`` too)."""
    text = (package_dir / f"{name}.pxd").read_text(encoding="utf-8")
    return sorted(set(CIMPORT.findall(text)) - {name})


def source_digest(package_dir: Path, name: str) -> str:
    """SHA-256 of what an extension is compiled from: the module's ``.py`` and its ``.pxd``, and
    the ``.pxd`` of every module of the package it cimports."""
    digest = hashlib.sha256()
    for suffix in (".py", ".pxd"):
        digest.update((package_dir / f"{name}{suffix}").read_bytes())
    for other in cimported_names(package_dir, name):
        digest.update((package_dir / f"{other}.pxd").read_bytes())
    return digest.hexdigest()


def extension_file(package_dir: Path, name: str) -> Path | None:
    """The extension Python would import for ``name`` instead of its ``.py`` (None: the ``.py`` runs)."""
    for suffix in EXTENSION_SUFFIXES:
        path = package_dir / f"{name}{suffix}"
        if path.exists():
            return path
    return None


def stale_modules(package_dir: Path = PACKAGE_DIR) -> list[str]:
    """The compiled modules whose extension was not built from the current ``.py`` and ``.pxd``
    (or carries no digest, as one built by hand with ``cythonize -i``)."""
    stale = []
    for name in compiled_names(package_dir):
        extension = extension_file(package_dir, name)
        if extension is None:
            continue
        recorded = Path(f"{extension}{DIGEST_SUFFIX}")
        if not recorded.exists() or recorded.read_text(encoding="ascii").strip() != source_digest(package_dir, name):
            stale.append(name)
    return stale


def ensure_fresh(package_dir: Path = PACKAGE_DIR) -> None:
    """Raise ImportError naming every stale compiled module and how to rebuild it."""
    stale = stale_modules(package_dir)
    if stale:
        names = ", ".join(f"{name}.py" for name in stale)
        raise ImportError(f"the compiled twinforge.execution modules were built from another version of {names} "
                          f"(in {package_dir}): rebuild them with `make install` (or `python setup.py build_ext "
                          "--inplace`), or delete their extension files to run the plain Python")


if __name__ == "__main__":  # `python twinforge/execution/compiled.py`: the Makefile's test before a rebuild
    import sys

    stale = stale_modules()
    print(f"stale compiled modules: {', '.join(stale)}" if stale else "no stale compiled module", file=sys.stderr)
    raise SystemExit(1 if stale else 0)
