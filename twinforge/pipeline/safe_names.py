"""Names read from data that become parts of file paths: checked against one safe pattern.

A corpus row's ``sample_id`` names files in exports and ``show`` output; a shard written by
someone else could hold ``../../x``. Only letters, digits, ``_``, ``.`` and ``-`` are allowed,
starting with a letter or digit, so a name can never leave the folder it is written into.
"""

from __future__ import annotations

import re

from twinforge.errors import CorruptCorpus, UserError

SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")


def is_safe_name(name: object) -> bool:
    return isinstance(name, str) and SAFE_NAME.fullmatch(name) is not None


def check_sample_id(sample_id: str) -> str:
    """``sample_id`` if it is safe in a path, else ``UserError`` (a bad id given on the command line)."""
    if not is_safe_name(sample_id):
        raise UserError(f"sample id {sample_id!r} is not a valid id (letters, digits, _ . - only)")
    return sample_id


def check_row_id(sample_id: object, where: str) -> str:
    """A corpus row's ``sample_id`` if it is safe in a path, else ``CorruptCorpus`` naming ``where``."""
    if not is_safe_name(sample_id):
        raise CorruptCorpus(f"{where}: sample_id {sample_id!r} is not a valid id (letters, digits, _ . - only)")
    return str(sample_id)
