"""Content-addressed on-disk cache of LLM answers: one JSON file per request hash.

The key is the SHA-256 of (model, messages, parameters, template version), so a regeneration with
the same recipe asks nothing of the endpoint. Files are written to a temporary name and renamed, so
a reader never sees half a file. Nothing secret is stored: no key, no endpoint URL.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def request_key(model: str, messages: list[dict[str, Any]], parameters: dict[str, Any], template_version: str) -> str:
    """SHA-256 (hex) of the canonical JSON of everything that decides the answer."""
    payload = {"model": model, "messages": messages, "parameters": parameters, "template_version": template_version}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class ResponseCache:
    """``root/ab/abcdef....json`` files holding ``{"key", "model", "text"}``."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> str | None:
        """The cached answer, or None (a damaged file counts as absent and is overwritten later)."""
        try:
            record = json.loads(self.path(key).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
            return None
        return record.get("text") if record.get("key") == key else None

    def put(self, key: str, model: str, text: str) -> None:
        """Store an answer atomically (temp file in the same folder, then rename)."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump({"key": key, "model": model, "text": text}, stream, ensure_ascii=False)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
