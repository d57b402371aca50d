"""What a factory run may copy from a previous corpus (``generate --reuse``), stage by stage.

Every comparison is by content and version (provenance keys, stored values), never by timestamp.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

from twinforge.families.base import FROM_PREVIOUS, Previous
from twinforge.families.factory.cells import LAYERS, Cell
from twinforge.schemas import FactorySpec
from twinforge.schemas.image import image_value
from twinforge.schemas.recipe import Recipe

SPEC_COLUMNS = ("industry", "automation", "layout", "line_type", "n_objects", "n_machines", "n_connections",
                "arrival_families", "process_families", "setup_families", "families", "spec", "spec_hash")
"""The record columns that follow from the spec alone (copied with it)."""
CHECK_COLUMNS = ("exec_outcome", "exec_message", "kpis")
UNRECORDED_FIDELITY = {"0.7.0": "1"}
"""The fidelity rules a release checked its prompts with before the provenance recorded them (``fidelity``)."""


class Known(NamedTuple):
    """What a previous row tells the token-budget loop (``FactoryFamily._fitted``) of this run's draws."""

    attempt: int
    """The attempt (0-based) that draws ``spec``."""
    spec: FactorySpec
    code: str | None
    """The code that attempt renders, or None when it must be rendered (another code style or template)."""
    code_rejected: frozenset[int] = frozenset()
    """Earlier attempts (0-based) known to fail on their code alone: skipped without drawing them."""
    prompt: tuple[str, str] | None = None
    """The previous row's prompt mode and text when they passed this run's fidelity rules with ``spec``
    and this run's code style, or None."""

    def faithful(self, attempt: int, mode: str) -> str | None:
        """The text that a draft of ``attempt`` in ``mode`` is known to pass the fidelity check as
        (None: a draft must be checked)."""
        if self.prompt is None or attempt != self.attempt or self.prompt[0] != mode:
            return None
        return self.prompt[1]


@dataclass(frozen=True)
class Reusable:
    """The stages a run may copy from previous rows (``generate --reuse``), and when.

    A row's spec is kept (parsed from its JSON, its columns copied) when it was drawn with this
    run's seed, sampler version and sampler options for the same cell: the token-budget loop is
    replayed with it in place of the attempt that drew it (``FactoryFamily._fitted`` with ``known``). Its code is
    kept with the spec when the FlexScript template version and the code style are this run's. Its
    prompt is drafted afresh, but a draft of the same text needs no fidelity check when the code style
    and the fidelity rules (``FIDELITY_VERSION``) are this run's: every stored prompt passed the check
    with its row's spec, mode and code style (a template draft, an LLM rewrite or a reviewer's edit). Its
    earlier attempts whose code alone was over budget (``code_rejected``) are skipped when the code
    is kept and the ``[budget]`` settings are this run's, since no prompt can make them fit; rows of
    a corpus without that column replay every earlier attempt. Its
    check is copied when it was made with this run's seed and check version from the same code
    text; its sketch when it was made with this run's seed, sketch version and PNG size from a
    spec of the same hash in the same sketch style. Every stage's random streams derive from the
    seed and the index, so every copied value is the one this run would compute.
    """

    previous: Previous | None = None
    same_spec: bool = False
    same_code: bool = False
    same_budget: bool = False
    same_check: bool = False
    same_sketch: bool = False
    same_fidelity: bool = False
    same_name: bool = False
    """Same recipe name: a copied PNG's file name (``<sample_id>.png``) is this run's."""

    @classmethod
    def of(cls, previous: Previous | None, recipe: Recipe, provenance: dict[str, str]) -> Reusable:
        """What ``previous`` offers a run of ``recipe`` whose stage versions are ``provenance``."""
        if previous is None or previous.recipe.get("seed") != recipe.seed:
            return cls()
        old, new = previous.recipe, recipe.to_data()

        def same(stage: str) -> bool:
            return previous.provenance.get(stage) == provenance[stage]

        same_options = all(old.get(key) == new[key] for key in ("families", "machines"))
        return cls(previous,
                   same_spec=same("sampler") and same_options,
                   same_code=same("flexscript_template"),
                   same_budget=old.get("budget") == new["budget"],
                   same_check=same("check"),
                   same_fidelity=fidelity_rules(previous.provenance) == provenance["fidelity"],
                   same_sketch=same("sketch") and old.get("sketch", {}).get("png_size") == new["sketch"]["png_size"],
                   same_name=old.get("name") == recipe.name)

    def spec(self, index: int, cell: Cell, code_style: str) -> Known | None:
        """What the previous row says of this run's draws, if its spec is the one its winning attempt
        draws in this run (its code too, and its code-alone rejections, when the code is kept; its
        prompt when its verdict holds for this run)."""
        previous = self.previous
        if previous is None or not self.same_spec or index not in previous:
            return None
        if any(previous.value(index, layer) != getattr(cell, layer).value for layer in LAYERS):
            return None
        spec = FactorySpec.model_validate_json(previous.value(index, "spec"))
        attempt = previous.value(index, "spec_attempts") - 1
        same_style = previous.value(index, "code_style") == code_style
        prompt = ((previous.value(index, "prompt_mode"), previous.value(index, "prompt"))
                  if self.same_fidelity and same_style else None)
        if not (self.same_code and same_style):
            return Known(attempt, spec, None, prompt=prompt)
        rejected = (frozenset(number - 1 for number in previous.value(index, "code_rejected"))
                    if self.same_budget and "code_rejected" in previous.table.column_names else frozenset())
        return Known(attempt, spec, previous.value(index, "code"), rejected, prompt)

    def check(self, index: int, code: str, same_code: bool) -> bool:
        """Whether the previous row's check may be copied (``same_code``: its code is known to be ``code``)."""
        previous = self.previous
        if previous is None or not self.same_check or index not in previous:
            return False
        return same_code or previous.value(index, "code") == code

    def sketch(self, index: int, digest: str, style: str) -> bool:
        """Whether the previous row's SVG may be copied."""
        previous = self.previous
        if previous is None or not self.same_sketch or index not in previous:
            return False
        return previous.value(index, "spec_hash") == digest and previous.value(index, "sketch_style") == style

    def old(self, index: int, name: str) -> Any:
        """The previous row's value of ``name`` (for a sample a method above accepted)."""
        return cast(Previous, self.previous).value(index, name)

    def png(self, index: int, sample_id: str) -> Any:
        """The previous row's PNG as this run's image value (``FROM_PREVIOUS`` when it is stored
        under the same file name), or None if it has none."""
        previous = cast(Previous, self.previous)
        if not self._png_stored[previous.rows[index]]:
            return None
        if self.same_name:
            return FROM_PREVIOUS
        return image_value(previous.value(index, "sketch_png")["bytes"], f"{sample_id}.png")

    @functools.cached_property
    def _png_stored(self) -> list[bool]:
        """Whether each previous row holds a PNG, read once (a row's Arrow scalar costs tens of microseconds)."""
        return cast(Previous, self.previous).table.column("sketch_png").is_valid().to_pylist()


def fidelity_rules(provenance: Mapping[str, str]) -> str | None:
    """The fidelity rules (``FIDELITY_VERSION``) a corpus of ``provenance`` checked its prompts with (None: unknown)."""
    return provenance.get("fidelity", UNRECORDED_FIDELITY.get(provenance.get("twinforge", "")))


NOTHING_REUSED = Reusable()
"""A run without ``--reuse``: every stage is computed."""
