"""The compiled twins of sketch steps (``*.pyx`` beside this module, built by setup.py): each is used
only when it was built from the source beside it.

setup.py writes the SHA-256 of each ``.pyx`` beside its extension (``<extension>.sha256``), as it
does for the simulation core (``twinforge.execution.compiled``). An extension built from another
version of its source could give other bytes, so the module that imports it then fails and says
how to rebuild; without an extension (no C compiler at install) the plain path runs, to the same
bytes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import ModuleType


def fresh_extension(extension: ModuleType | None) -> ModuleType | None:
    """``extension`` if it was built from the ``.pyx`` of its name beside this module; None when it
    is None (not built). Raises ImportError when it was built from another version of its source."""
    if extension is None:
        return None
    built = Path(extension.__file__)
    source = Path(__file__).with_name(built.name.split(".", 1)[0] + ".pyx")
    record = Path(f"{built}.sha256")
    if source.exists() and (not record.exists() or record.read_text(encoding="ascii").strip()
                            != hashlib.sha256(source.read_bytes()).hexdigest()):
        raise ImportError(f"{built} was built from another version of {source}: rebuild it with `make install` "
                          "(or `python setup.py build_ext --inplace`), or delete it to run the plain path")
    return extension
