"""The on-disk layout of a corpus and how to read it back.

```
CORPUS/manifest.json              recipe, package versions, per-shard row count and SHA-256
CORPUS/shards/part-NNNNN.parquet  the samples (one row each), written atomically
CORPUS/dedup.parquet              sample_id, exact_of, cluster_id, keep (flag, don't drop)
CORPUS/splits/assignment.parquet  sample_id, split (train|val|test) of the latest `twinforge split`
CORPUS/splits/<strategy>.parquet  the same, kept per strategy
CORPUS/coverage.json              the latest coverage report
CORPUS/card/                      README.md (dataset card) and figures
```
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from twinforge.errors import UserError

if TYPE_CHECKING:
    from twinforge.families.base import CorpusFamily
    from twinforge.schemas.recipe import Recipe

MANIFEST = "manifest.json"
SHARDS_DIR = "shards"
DEDUP_FILE = "dedup.parquet"
SPLITS_DIR = "splits"
SPLIT_ASSIGNMENT = "assignment.parquet"
COVERAGE_FILE = "coverage.json"
CARD_DIR = "card"
SPLIT_NAMES = ("train", "val", "test")


def shard_name(shard_id: int) -> str:
    """Zero-padded shard file name, so a directory listing is in shard order."""
    return f"part-{shard_id:05d}.parquet"


def shard_paths(corpus: str | Path) -> list[Path]:
    """The finished shards of a corpus, in order (temporary files are never listed)."""
    corpus = Path(corpus)
    if not (corpus / SHARDS_DIR).is_dir():
        raise UserError(f"{corpus}: not a corpus (no {SHARDS_DIR}/ folder); run `twinforge generate` first")
    return sorted((corpus / SHARDS_DIR).glob("part-*.parquet"))


def read_manifest(corpus: str | Path) -> dict[str, Any]:
    """The corpus manifest (recipe, versions, shards)."""
    path = Path(corpus) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path}: no manifest; run `twinforge generate` first") from None


def read_split_assignment(corpus: str | Path) -> pa.Table:
    """``sample_id, split`` as written by the latest `twinforge split`."""
    path = Path(corpus) / SPLITS_DIR / SPLIT_ASSIGNMENT
    if not path.exists():
        raise UserError(f"{path}: no split assignment; run `twinforge split {corpus}` first")
    return pq.read_table(path)


def read_corpus(corpus: str | Path, columns: list[str] | None = None, split: str = "all") -> pa.Table:
    """All rows of a corpus (or of one split), in shard order; ``columns`` limits what is read."""
    paths = shard_paths(corpus)
    if not paths:
        raise UserError(f"{corpus}: the corpus has no finished shards")
    wanted = None if columns is None else list(dict.fromkeys(["sample_id", *columns]))
    table = pa.concat_tables(pq.read_table(path, columns=wanted) for path in paths)
    if split == "all":
        return table
    if split not in SPLIT_NAMES:
        raise UserError(f"split {split!r} is not one of all, {', '.join(SPLIT_NAMES)}")
    assignment = read_split_assignment(corpus)
    ids = pc.filter(assignment["sample_id"], pc.equal(assignment["split"], split))
    return table.filter(pc.is_in(table["sample_id"], value_set=ids))


def read_recipe_file(path: str | Path) -> Recipe:
    """A validated recipe, or ``UserError`` naming the file and the field (before any work)."""
    from twinforge.schemas.recipe import RecipeError, load_recipe

    try:
        return load_recipe(path)
    except RecipeError as error:
        raise UserError(str(error)) from None


def corpus_recipe(corpus: str | Path) -> Recipe:
    """The recipe a corpus was generated with (from its manifest)."""
    from twinforge.schemas.recipe import RecipeError, recipe_from_data

    try:
        return recipe_from_data(read_manifest(corpus)["recipe"], f"{Path(corpus) / MANIFEST}")
    except RecipeError as error:
        raise UserError(str(error)) from None


def corpus_family(corpus: str | Path) -> CorpusFamily:
    """The family object that made a corpus."""
    from twinforge.families import load_family

    return load_family(corpus_recipe(corpus).family)


def write_json_atomically(path: Path, data: Any) -> None:
    """Write JSON through a fsynced temporary file and a rename (readers see old or new, never half)."""
    import os

    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with temp.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, sort_keys=True)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
