"""Resuming a corpus: a run continues only the corpus of its own recipe and versions, and a refusal
says what differs, so a user knows whether to finish the old run or start afresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from twinforge.errors import UserError
from twinforge.pipeline.manifest import Identity, Manifest
from twinforge.pipeline.storage import Location

RELEASED = Identity({"count": 100, "seed": 7}, "factory", {"twinforge": "0.7.0", "prompt_template": "2.1"})


def started(folder: Path, identity: Identity) -> Location:
    """A corpus folder whose manifest records ``identity`` (no shard yet)."""
    corpus = Location.of(folder)
    manifest = Manifest.for_run(corpus, identity, resume=True)
    manifest.data.update(recipe=identity.recipe, family=identity.family, provenance=identity.provenance)
    manifest.save()
    return corpus


def test_the_same_recipe_and_versions_resume(tmp_path: Path) -> None:
    corpus = started(tmp_path / "c", RELEASED)
    assert Manifest.for_run(corpus, RELEASED, resume=True).data["provenance"] == RELEASED.provenance


def test_a_refusal_names_the_changed_recipe_field_and_each_version_old_to_new(tmp_path: Path) -> None:
    corpus = started(tmp_path / "c", RELEASED)
    newer = Identity({"count": 200, "seed": 7}, "factory",
                     {"twinforge": "0.7.0", "prompt_template": "2.2", "fidelity": "1"})
    with pytest.raises(UserError, match=r"recipe field\(s\) count changed; fidelity unrecorded -> 1; "
                                        r"prompt_template 2\.1 -> 2\.2\).*--no-resume"):
        Manifest.for_run(corpus, newer, resume=True)


def test_no_resume_starts_afresh_whatever_differs(tmp_path: Path) -> None:
    corpus = started(tmp_path / "c", RELEASED)
    newer = Identity(RELEASED.recipe, "factory", {**RELEASED.provenance, "prompt_template": "2.2"})
    assert Manifest.for_run(corpus, newer, resume=False).shards == {}
