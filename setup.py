"""Compiles the simulation core with Cython (everything else is configured in pyproject.toml).

Each module of ``twinforge/execution`` with a ``.pxd`` beside it is compiled from its unchanged
``.py`` (Cython's pure-Python mode; the ``.pxd`` makes its classes extension types). The
extensions are optional: where the C compiler fails, the install goes on and the plain ``.py``
runs, with the same results. Beside each extension goes the SHA-256 of the source it was built
from, which ``twinforge.execution.compiled`` checks at import (docs/execution.md, "Compiled core").
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
from pathlib import Path

from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
PACKAGE = ROOT / "twinforge" / "execution"


def _compiled_module():
    """``twinforge/execution/compiled.py`` loaded by path (the package's dependencies are not installed yet)."""
    spec = importlib.util.spec_from_file_location("_twinforge_compiled", PACKAGE / "compiled.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


COMPILED = _compiled_module()
RENDERER_SOURCES = {
    "twinforge.renderers.sketch_palette": ROOT / "twinforge" / "renderers" / "sketch_palette.pyx",
    "twinforge.renderers.sketch_pencil_points": ROOT / "twinforge" / "renderers" / "sketch_pencil_points.pyx",
    "twinforge.renderers.sketch_label_prices": ROOT / "twinforge" / "renderers" / "sketch_label_prices.pyx",
}
"""The compiled renderer routines and their Cython sources (digested whole: they cimport nothing of ours)."""


class BuildExtWithDigests(build_ext):
    """``build_ext`` that records, beside each extension it builds, the digest of its source, and
    copies that record with the extension into the source tree (``--inplace``, editable installs)."""

    def build_extension(self, ext: Extension) -> None:
        super().build_extension(ext)  # raises if it failed: an optional extension then has no new digest
        name = ext.name.rsplit(".", 1)[-1]
        target = Path(self.get_ext_fullpath(ext.name))
        source = RENDERER_SOURCES.get(ext.name)
        digest = hashlib.sha256(source.read_bytes()).hexdigest() if source else COMPILED.source_digest(PACKAGE, name)
        Path(f"{target}{COMPILED.DIGEST_SUFFIX}").write_text(digest + "\n", encoding="ascii")

    def copy_extensions_to_source(self) -> None:
        super().copy_extensions_to_source()
        for ext in self.extensions:
            record = self.get_ext_filename(self.get_ext_fullname(ext.name)) + COMPILED.DIGEST_SUFFIX
            built = Path(self.build_lib, record)
            if built.exists():
                shutil.copyfile(built, ROOT / record)


extensions = cythonize(
    [Extension(f"twinforge.execution.{name}", [f"twinforge/execution/{name}.py"])
     for name in COMPILED.compiled_names(PACKAGE)],
    build_dir="build/cython", quiet=True, compiler_directives={"language_level": 3, "annotation_typing": False},
)
extensions += cythonize(
    [Extension(name, [str(source.relative_to(ROOT))]) for name, source in RENDERER_SOURCES.items()],
    build_dir="build/cython", quiet=True, compiler_directives={"language_level": 3},
)
for extension in extensions:
    extension.optional = True  # set after cythonize, which does not carry it over
setup(
    ext_modules=extensions,
    cmdclass={"build_ext": BuildExtWithDigests},
    options={"build_ext": {"parallel": os.cpu_count() or 1}},  # one C compiler per core
)
