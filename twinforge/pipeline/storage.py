"""Where a corpus lives: a local folder or any fsspec URL (``s3://``, ``gs://``, ``file://``, ``memory://``).

A ``Location`` is a filesystem plus a root; the engine reads and writes a corpus only through it,
naming files relative to the root (``manifest.json``, ``shards/part-00000.parquet``). A local
folder (a plain path or a ``file://`` URL) goes through ``atomic``'s write-then-rename, exactly as
before any object store was supported. On any other filesystem a file is published the way an
object store allows: uploaded whole under a hidden temporary key, then copied in one single-object
operation to its name and the temporary key removed, so a reader sees the old object or the new
one, never half of one.

Storage options (endpoint, credentials, ...) come from each backend's own environment (for S3:
``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ...) or from
``TWINFORGE_STORAGE_OPTIONS`` (a JSON object, which ``twinforge --storage-option KEY=VALUE`` sets).
They are never part of how a location is shown, so they reach neither the manifest nor a log.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import secrets
import tempfile
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath
from typing import IO, Any, TypeVar

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
from fsspec.implementations.local import LocalFileSystem

from twinforge.errors import UserError
from twinforge.pipeline.atomic import (
    ROW_GROUP_SIZE,
    TEMP_PREFIX,
    file_sha256,
    parquet_options,
    sha256_once,
    write_bytes_atomically,
    write_table_atomically,
)

OPTIONS_ENV = "TWINFORGE_STORAGE_OPTIONS"
"""Environment variable holding extra fsspec storage options as a JSON object."""
R = TypeVar("R")


@functools.cache
def _backend_errors() -> tuple[type[BaseException], ...]:
    """What a storage backend raises when the store cannot be reached or refuses (besides OSError);
    looked up only when something failed, so no backend is imported to open a local corpus."""
    errors: list[type[BaseException]] = [OSError]
    try:
        from botocore.exceptions import BotoCoreError
    except ImportError:
        return tuple(errors)
    return (*errors, BotoCoreError)


def _named(method: Callable[..., R]) -> Callable[..., R]:
    """A remote failure (unreachable endpoint, missing bucket, refused credentials) becomes one
    ``UserError`` naming the file; a missing file stays ``FileNotFoundError`` and local errors are
    left to the caller, as before."""

    @functools.wraps(method)
    def guarded(self: Location, relative: str = "", *args: Any, **kwargs: Any) -> R:
        try:
            return method(self, relative, *args, **kwargs)
        except FileNotFoundError:
            raise
        except _backend_errors() as error:
            if self.local is not None:
                raise
            raise UserError(f"{self.show(relative)}: {error}") from None

    return guarded


def storage_options(extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Options from ``TWINFORGE_STORAGE_OPTIONS`` overlaid with ``extra`` (``UserError`` if not JSON)."""
    text = os.environ.get(OPTIONS_ENV, "").strip()
    try:
        options = json.loads(text) if text else {}
    except json.JSONDecodeError as error:
        raise UserError(f"{OPTIONS_ENV}: not a JSON object ({error})") from None
    if not isinstance(options, dict):
        raise UserError(f"{OPTIONS_ENV}: not a JSON object")
    return {**options, **(extra or {})}


class Location:
    """A corpus root: a local folder, or a prefix on an fsspec filesystem (``fs`` set)."""

    def __init__(self, shown: str, *, local: Path | None = None, fs: Any = None, root: str = ""):
        self.shown, self.local, self.fs, self.root = shown, local, fs, root

    @classmethod
    def of(cls, where: str | Path | Location, options: Mapping[str, Any] | None = None) -> Location:
        """The location of a path or URL (``UserError`` naming it if no filesystem serves it)."""
        if isinstance(where, Location):
            return where
        text = str(where)
        if "://" not in text:
            return cls(str(Path(text)), local=Path(text))
        shown = text.rstrip("/")
        try:
            fs, root = fsspec.core.url_to_fs(shown, **storage_options(options))
        except (ImportError, ValueError) as error:
            raise UserError(f"{shown}: cannot open this storage ({error})") from None
        if isinstance(fs, LocalFileSystem):
            return cls(shown, local=Path(root))
        return cls(shown, fs=fs, root=root.rstrip("/"))

    def __str__(self) -> str:
        return self.shown

    def __repr__(self) -> str:
        return f"Location({self.shown!r})"

    # ------------------------------------------------------------ names
    def show(self, relative: str = "") -> str:
        """How a file under this root is named in messages."""
        if not relative:
            return self.shown
        if self.local is not None and "://" not in self.shown:
            return str(Path(self.shown) / relative)
        return f"{self.shown}/{relative}"

    def path(self, relative: str = "") -> Path:
        """The local path of a file (only for a local location)."""
        if self.local is None:
            raise UserError(f"{self.show(relative)}: must be a local path here")
        return self.local / relative if relative else self.local

    def _key(self, relative: str = "") -> str:
        return f"{self.root}/{relative}" if relative else self.root

    def scratch(self, relative: str) -> Path:
        """A local folder for caches that are never corpus bytes: inside a local corpus, else under
        the system temp folder (one per location), so every worker keeps its own."""
        if self.local is not None:
            return self.local / relative
        digest = hashlib.sha256(self.shown.encode()).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / "twinforge-cache" / digest / relative

    # ------------------------------------------------------------ questions
    def _fresh(self) -> None:
        """Forget cached listings: other processes (workers, other runs) write here too."""
        self.fs.invalidate_cache()

    @_named
    def exists(self, relative: str = "") -> bool:
        if self.local is not None:
            return self.path(relative).exists()
        self._fresh()
        return self.fs.exists(self._key(relative))

    @_named
    def is_file(self, relative: str) -> bool:
        if self.local is not None:
            return self.path(relative).is_file()
        self._fresh()
        return self.fs.isfile(self._key(relative))

    @_named
    def is_dir(self, relative: str = "") -> bool:
        """A folder (on an object store: a prefix holding objects, or a bucket)."""
        if self.local is not None:
            return self.path(relative).is_dir()
        self._fresh()
        return self.fs.isdir(self._key(relative))

    @_named
    def names(self, relative: str = "", pattern: str = "*") -> list[str]:
        """Sorted names of the entries directly under ``relative`` that match ``pattern``."""
        if self.local is not None:
            folder = self.path(relative)
            return sorted(p.name for p in folder.glob(pattern)) if folder.is_dir() else []
        key = self._key(relative)
        self._fresh()
        if not self.fs.isdir(key):
            return []
        found = (PurePosixPath(entry).name for entry in self.fs.ls(key, detail=False))
        return sorted(name for name in found if fnmatch(name, pattern))

    def writable(self) -> bool:
        """Whether files can be written here (a remote location is tried by writing)."""
        return os.access(self.path(), os.W_OK) if self.local is not None else True

    # ------------------------------------------------------------ reading
    @_named
    def read_bytes(self, relative: str) -> bytes:
        if self.local is not None:
            return self.path(relative).read_bytes()
        return self.fs.cat_file(self._key(relative))

    @_named
    def read_buffer(self, relative: str) -> pa.Buffer:
        """A file's bytes as an Arrow buffer: memory-mapped locally, so a large file is neither copied
        into Python bytes nor given fresh memory (a 57 MB gdt120k shard: about 15,000 fewer page
        faults, 0.1 ms less system time a sample), fetched whole from any other filesystem. Corpus
        files are replaced by renames, never rewritten in place, so the mapped bytes stay as read."""
        if self.local is not None:
            with pa.memory_map(str(self.path(relative))) as mapped:
                return mapped.read_buffer()
        return pa.py_buffer(self.fs.cat_file(self._key(relative)))

    def read_text(self, relative: str) -> str:
        return self.read_bytes(relative).decode("utf-8")

    @_named
    def open(self, relative: str) -> AbstractContextManager[IO[bytes]]:
        """A binary file object to read (seekable, so Parquet reads only what it needs)."""
        if self.local is not None:
            return self.path(relative).open("rb")
        return self.fs.open(self._key(relative), "rb")

    @_named
    def read_table(self, relative: str, columns: list[str] | None = None) -> pa.Table:
        if self.local is not None:
            return pq.read_table(self.path(relative), columns=columns)
        with self.open(relative) as handle:
            return pq.read_table(handle, columns=columns)

    @_named
    def read_schema(self, relative: str) -> pa.Schema:
        if self.local is not None:
            return pq.read_schema(self.path(relative))
        with self.open(relative) as handle:
            return pq.read_schema(handle)

    @_named
    def read_metadata(self, relative: str) -> pq.FileMetaData:
        if self.local is not None:
            return pq.read_metadata(self.path(relative))
        with self.open(relative) as handle:
            return pq.read_metadata(handle)

    @_named
    def size(self, relative: str) -> int:
        if self.local is not None:
            return self.path(relative).stat().st_size
        return int(self.fs.size(self._key(relative)))

    @_named
    def sha256(self, relative: str) -> str:
        """The SHA-256 of a file's bytes, read now."""
        if self.local is not None:
            return file_sha256(self.path(relative))
        return hashlib.sha256(self.read_bytes(relative)).hexdigest()

    @_named
    def sha256_once(self, relative: str) -> str:
        """``sha256``, computed once per process for an unchanged file (same size and mtime
        locally; same object identity, e.g. the S3 ETag, remotely)."""
        if self.local is not None:
            return sha256_once(self.path(relative))
        self._fresh()
        key = (self.shown, relative, self.fs.ukey(self._key(relative)))
        if key not in _REMOTE_HASHED:
            _REMOTE_HASHED[key] = self.sha256(relative)
        return _REMOTE_HASHED[key]

    # ------------------------------------------------------------ writing
    @_named
    def makedirs(self, relative: str = "") -> None:
        """Make a folder (object stores have none: a no-op there)."""
        if self.local is not None:
            self.path(relative).mkdir(parents=True, exist_ok=True)

    @_named
    def publish(self, relative: str, data: bytes) -> None:
        """Write a file that readers see whole or not at all (see the module docstring)."""
        if self.local is not None:
            write_bytes_atomically(self.path(relative), data)
            return
        final = PurePosixPath(self._key(relative))
        temp = str(final.with_name(f"{TEMP_PREFIX}{final.name}.{os.getpid()}-{secrets.token_hex(4)}"))
        self.fs.pipe_file(temp, data)
        try:
            self.fs.copy(temp, str(final))
        finally:
            self.fs.rm_file(temp)

    def publish_text(self, relative: str, text: str) -> None:
        self.publish(relative, text.encode("utf-8"))

    def publish_json(self, relative: str, data: Any) -> None:
        """JSON with sorted keys and a final newline (as ``atomic.write_json_atomically``)."""
        self.publish_text(relative, json.dumps(data, indent=2, sort_keys=True) + "\n")

    @_named
    def publish_table(self, relative: str, table: pa.Table) -> str:
        """A Parquet file with the pinned writer options (same bytes everywhere); returns its SHA-256."""
        if self.local is not None:
            return write_table_atomically(table, self.path(relative))
        buffer = io.BytesIO()
        pq.write_table(table, buffer, row_group_size=ROW_GROUP_SIZE, **parquet_options(table.schema))
        data = buffer.getvalue()
        self.publish(relative, data)
        return hashlib.sha256(data).hexdigest()

    @_named
    def remove(self, relative: str) -> None:
        """Delete a file if it is there."""
        if self.local is not None:
            self.path(relative).unlink(missing_ok=True)
            return
        try:
            self.fs.rm_file(self._key(relative))
        except FileNotFoundError:
            pass


_REMOTE_HASHED: dict[tuple[str, str, str], str] = {}
"""(location, file, object identity) -> SHA-256 of remote files hashed in this process."""
