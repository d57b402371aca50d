"""``Manifest``: the record of what a corpus is, read and written in one place.

``manifest.json`` holds the recipe (flat, as in TOML), the family and its provenance, package
versions, the plan, every finished shard with its row count and SHA-256, whether the corpus is
complete, and the derived outputs (dedup, splits, coverage, card) twinforge wrote, each with the
corpus state it was built from. The corpus state is a hash of the shard set, so a derived output
built before a regeneration is known to be stale. Only files the manifest lists as derived are
ever removed by twinforge. The corpus may live in any ``storage.Location``; the manifest is always
written after the shards it lists, so a reader that trusts it never meets a missing shard.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from twinforge.errors import UserError
from twinforge.pipeline.storage import Location

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
SHARDS_DIR = "shards"
WORKSPACE_DIR = ".cache"
"""Where a family keeps caches across runs (e.g. LLM answers); never part of the corpus bytes."""
MANIFEST_FORMAT = 2


def shard_name(shard_id: int) -> str:
    """Zero-padded shard file name, so a directory listing is in shard order."""
    return f"part-{shard_id:05d}.parquet"


@dataclass(frozen=True)
class Identity:
    """What makes two runs the same corpus: the recipe data, the family and its provenance."""

    recipe: dict[str, Any]
    family: str
    provenance: dict[str, str]

    def key(self) -> str:
        return json.dumps({"recipe": self.recipe, "provenance": self.provenance}, sort_keys=True)

    def differences(self, new: Identity) -> str:
        """What ``new`` changes, for a message: the recipe fields, and each version as old -> new."""
        fields = sorted(key for key in self.recipe.keys() | new.recipe.keys() if self.recipe.get(key) != new.recipe.get(key))
        versions = sorted(key for key in self.provenance.keys() | new.provenance.keys()
                          if self.provenance.get(key) != new.provenance.get(key))
        said = [f"recipe field(s) {', '.join(fields)} changed"] if fields else []
        said += [f"{key} {self.provenance.get(key, 'unrecorded')} -> {new.provenance.get(key, 'unrecorded')}"
                 for key in versions]
        return "; ".join(said) or "nothing recorded differs"


class Manifest:
    """A corpus's ``manifest.json``: open or create, check identity, record shards and derived outputs."""

    def __init__(self, corpus: str | Path | Location, data: dict[str, Any]):
        self.corpus = Location.of(corpus)
        self.data = data

    # ------------------------------------------------------------ opening
    @classmethod
    def read(cls, corpus: str | Path | Location) -> Manifest:
        """The manifest of an existing corpus (``UserError`` if there is none or it is unreadable)."""
        corpus = Location.of(corpus)
        path = corpus.show(MANIFEST)
        if not corpus.is_dir():
            raise UserError(f"{corpus}: no such corpus folder")
        try:
            data = json.loads(corpus.read_text(MANIFEST))
        except FileNotFoundError:
            raise UserError(f"{corpus}: not a twinforge corpus (no {MANIFEST}); run `twinforge generate` first") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise UserError(f"{path}: not a readable manifest ({error})") from None
        if not isinstance(data, dict) or not isinstance(data.get("shards"), dict) or "recipe" not in data:
            raise UserError(f"{path}: not a twinforge manifest (no recipe or shards)")
        return cls(corpus, data)

    @classmethod
    def for_run(cls, corpus: Location, identity: Identity, resume: bool) -> Manifest:
        """The manifest a ``generate`` run continues (same identity) or starts afresh.

        A folder that is not empty and holds no manifest is refused, naming what is there, so
        twinforge never writes into (or deletes from) a folder it did not make.
        """
        if not corpus.exists(MANIFEST):
            if corpus.exists() and not corpus.is_dir():
                raise UserError(f"{corpus}: exists and is not a folder; choose another --out")
            present = corpus.names()
            if present:
                shown = ", ".join(present[:5]) + (f" and {len(present) - 5} more" if len(present) > 5 else "")
                raise UserError(f"{corpus}: is not empty and not a twinforge corpus (no {MANIFEST}; holds {shown}); "
                                "choose an empty or new --out")
            return cls(corpus, {"shards": {}})
        manifest = cls.read(corpus)
        old = Identity(manifest.data.get("recipe", {}), manifest.data.get("family", ""),
                       manifest.data.get("provenance", {}))
        if old.key() == identity.key() and resume:
            return manifest
        if resume:
            raise UserError(f"{corpus}: was generated with a different recipe or versions ({old.differences(identity)}); "
                            "use --no-resume to regenerate it, or --out for a new folder")
        manifest.remove_shards(manifest.shard_files())
        manifest.invalidate_derived()
        return cls(corpus, {"shards": {}})

    # ------------------------------------------------------------ shards
    @property
    def shards(self) -> dict[str, dict[str, Any]]:
        return self.data.setdefault("shards", {})

    def shard_files(self) -> list[str]:
        """The shard files the manifest lists, in order."""
        return sorted(self.shards)

    def finished(self, name: str) -> bool:
        """Whether shard ``name`` is listed and its file still has the recorded SHA-256."""
        entry = self.shards.get(name)
        path = f"{SHARDS_DIR}/{name}"
        return bool(entry) and self.corpus.is_file(path) and self.corpus.sha256(path) == entry["sha256"]

    def record_shard(self, entry: dict[str, Any]) -> None:
        """List a finished shard (``entry`` has ``file``, ``rows``, ``sha256`` and run stats) and save."""
        self.shards[entry["file"]] = entry
        self.data["complete"] = len(self.shards) == self.data.get("plan", {}).get("shard_count", -1)
        self.save()

    def forget_shards(self, names: Iterable[str]) -> None:
        for name in names:
            self.shards.pop(name, None)

    def remove_shards(self, names: Iterable[str]) -> None:
        """Delete shard files this manifest lists (twinforge wrote them) and forget them."""
        for name in list(names):
            self.corpus.remove(f"{SHARDS_DIR}/{name}")
            self.shards.pop(name, None)

    @property
    def complete(self) -> bool:
        return bool(self.data.get("complete"))

    @property
    def state(self) -> str:
        """A hash of the shard set (names and SHA-256s): what derived outputs are built from."""
        listed = {name: entry["sha256"] for name, entry in sorted(self.shards.items())}
        return hashlib.sha256(json.dumps(listed, sort_keys=True).encode()).hexdigest()[:16]

    # ------------------------------------------------------------ derived outputs
    @property
    def derived(self) -> dict[str, dict[str, Any]]:
        return self.data.setdefault("derived", {})

    def record_derived(self, names: Iterable[str], written_by: str, **info: Any) -> None:
        """List files twinforge just wrote from this corpus state (names relative to the corpus,
        e.g. ``splits/assignment.parquet``, with their SHA-256) and save."""
        for relative in names:
            self.derived[relative] = {"written_by": written_by, "state": self.state,
                                      "sha256": self.corpus.sha256(relative), **info}
        self.save()

    def derived_problem(self, relative: str) -> str | None:
        """Why derived file ``relative`` cannot be used now (None: it is current and intact)."""
        entry = self.derived.get(relative)
        if entry is None or not self.corpus.is_file(relative):
            return "missing"
        if entry["state"] != self.state:
            return "stale (built before the shards last changed)"
        if self.corpus.sha256_once(relative) != entry["sha256"]:
            return "changed since twinforge wrote it"
        return None

    def invalidate_derived(self, prefix: str = "") -> list[str]:
        """Delete the derived files this manifest lists (under ``prefix``) and forget them."""
        removed = [name for name in self.derived if name.startswith(prefix)]
        for name in removed:
            self.corpus.remove(name)
            del self.derived[name]
            log.info("removed stale %s", name)
        return removed

    # ------------------------------------------------------------ writing
    def save(self) -> None:
        self.data["format"] = MANIFEST_FORMAT
        self.corpus.makedirs()
        self.corpus.publish_json(MANIFEST, self.data)
