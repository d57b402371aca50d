"""How a corpus stores an image: PNG bytes and a file name, the ``{bytes, path}`` struct that
Hugging Face ``datasets`` reads as an ``Image`` feature."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

IMAGE_TYPE = pa.struct([("bytes", pa.binary()), ("path", pa.string())])


def image_value(png: bytes | None, name: str) -> dict[str, Any] | None:
    """A PNG as an image column's value (None stays None)."""
    return None if png is None else {"bytes": png, "path": name}


def image_bytes(value: dict[str, Any] | bytes | None) -> bytes | None:
    """The PNG bytes of an image column's value."""
    if isinstance(value, dict):
        return value.get("bytes")
    return value
