"""Compiles twinforge's Cython modules (everything else is configured in pyproject.toml).

``twinforge/compiled.py`` says which: each module with a ``.pxd`` beside its ``.py`` (the
simulation core, compiled from its unchanged ``.py`` in Cython's pure-Python mode; the ``.pxd``
makes its classes extension types), each hot module its ``COMPILED_AS_IS`` names (compiled from
its unchanged ``.py`` the same way, with no declarations), and each ``.pyx`` routine (the sketch
palette mapping). The
extensions are optional: where the C compiler fails, the install goes on and the plain code runs,
with the same results. Beside each extension goes the SHA-256 of the source it was built from,
which the package checks at import (docs/execution.md, "The compiled core").
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


def _compiled_module():
    """``twinforge/compiled.py`` loaded by path (the package's dependencies are not installed yet)."""
    spec = importlib.util.spec_from_file_location("_twinforge_compiled", ROOT / "twinforge" / "compiled.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


COMPILED = _compiled_module()
MODULES = {".".join(folder.relative_to(ROOT).parts + (name,)): (folder, name)
           for folder in COMPILED.compiled_packages() for name in COMPILED.compiled_names(folder)}
"""Every compiled module's dotted name: its package folder and its name there."""


class BuildExtWithDigests(build_ext):
    """``build_ext`` that records, beside each extension it builds, the digest of its source, and
    copies that record with the extension into the source tree (``--inplace``, editable installs)."""

    def build_extension(self, ext: Extension) -> None:
        super().build_extension(ext)  # raises if it failed: an optional extension then has no new digest
        target = Path(self.get_ext_fullpath(ext.name))
        digest = COMPILED.source_digest(*MODULES[ext.name])
        Path(f"{target}{COMPILED.DIGEST_SUFFIX}").write_text(digest + "\n", encoding="ascii")

    def copy_extensions_to_source(self) -> None:
        super().copy_extensions_to_source()
        for ext in self.extensions:
            record = self.get_ext_filename(self.get_ext_fullname(ext.name)) + COMPILED.DIGEST_SUFFIX
            built = Path(self.build_lib, record)
            if built.exists():
                shutil.copyfile(built, ROOT / record)


SOURCES = {dotted: COMPILED.compiled_source(*where).relative_to(ROOT) for dotted, where in MODULES.items()}
extensions = cythonize(  # pure-Python mode: the annotations are Python type hints, not C types
    [Extension(dotted, [str(source)]) for dotted, source in SOURCES.items() if source.suffix == ".py"],
    build_dir="build/cython", quiet=True, compiler_directives={"language_level": 3, "annotation_typing": False},
    nthreads=os.cpu_count() or 1,  # Cython translates one module per core, as build_ext compiles them below
)
extensions += cythonize(
    [Extension(dotted, [str(source)]) for dotted, source in SOURCES.items() if source.suffix == ".pyx"],
    build_dir="build/cython", quiet=True, compiler_directives={"language_level": 3},
)
for extension in extensions:
    extension.optional = True  # set after cythonize, which does not carry it over
setup(
    ext_modules=extensions,
    cmdclass={"build_ext": BuildExtWithDigests},
    options={"build_ext": {"parallel": os.cpu_count() or 1}},  # one C compiler per core
)
