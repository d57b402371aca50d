"""The GDT-120K family: (prompt, layout sketch, FlexScript) triplets for factory models.

Per sample, every random choice comes from its own stream of ``(recipe seed, index, stage)``:
the spec (``Stage.SPEC``); code style, sketch or not, sketch style and prompt mode
(``Stage.CHOICES``, always drawn in that order so one knob never shifts another); the sketch's
pencil jitter (``Stage.SKETCH``); the prompt wording (``Stage.PROMPT``); the simulation of the
executable check (``Stage.SIMULATION``). The executable check is twinforge's own FlexScript-subset
executor and SimPy model, not FlexSim.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

import numpy as np
import pyarrow as pa

from twinforge import __version__
from twinforge.errors import UserError
from twinforge.execution import CHECK_VERSION, check_script
from twinforge.families.base import FROM_PREVIOUS, CardText, FamilyDeclaration, Previous, ReviewView
from twinforge.families.factory.budget import code_fits, code_length_fits, fits
from twinforge.families.factory.cells import LAYERS, Cell, all_cells
from twinforge.families.factory.draws import options_from_settings
from twinforge.families.factory.reusable import CHECK_COLUMNS, NOTHING_REUSED, SPEC_COLUMNS, Known, Reusable
from twinforge.families.factory.sampler import SAMPLER_VERSION, draw_spec_data
from twinforge.families.factory.settings import FactorySettings
from twinforge.families.factory.stages import Stage
from twinforge.metrics.evaluate import FlexScriptEvaluator
from twinforge.renderers.fidelity import FIDELITY_VERSION, check_fidelity
from twinforge.renderers.flexscript import (
    FLEXSCRIPT_TEMPLATE_VERSION,
    data_code_length_floor,
    render_flexscript,
    render_flexscript_within,
)
from twinforge.renderers.prompt import make_prompt
from twinforge.renderers.prompt_types import PROMPT_TEMPLATE_VERSION
from twinforge.renderers.sketch import SKETCH_VERSION, render_sketch_svg, svg_to_png
from twinforge.schemas import (
    ARRIVAL_FAMILIES,
    MACHINE_KINDS,
    SERVICE_FAMILIES,
    FactorySpec,
    canonical_json,
    json_hash,
)
from twinforge.schemas.image import IMAGE_TYPE, image_value
from twinforge.schemas.recipe import Recipe
from twinforge.seeding import sample_rng, sample_seed

log = logging.getLogger(__name__)
ROLES = ("arrival", "process", "setup")
SKETCH_STYLES = ("clean", "hand")
"""Fixed order of the style draw, whatever order the recipe's table lists them in."""


def choose(rng: np.random.Generator, weights: Mapping[str, float]) -> str:
    """One key of ``weights`` drawn in proportion to its weight (keys in the mapping's order)."""
    keys = list(weights)
    p = np.asarray([weights[k] for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def role_families(spec: FactorySpec) -> dict[str, list[str]]:
    """Distinct distribution families per role: source arrivals, machine process and setup times."""
    found: dict[str, set[str]] = {role: set() for role in ROLES}
    for obj in spec.objects:
        if obj.kind == "source":
            found["arrival"].add(obj.inter_arrival.family)
        elif obj.kind == "multiprocessor":
            found["process"].update(step.process_time.family for step in obj.steps)
        elif obj.kind in MACHINE_KINDS:
            found["process"].add(obj.process_time.family)
            found["setup"].add(obj.setup_time.family)
    return {role: sorted(values) for role, values in found.items()}


RECORD_SCHEMA = pa.schema([
    ("sample_id", pa.string()), ("index", pa.int64()),
    ("industry", pa.string()), ("automation", pa.string()), ("layout", pa.string()), ("line_type", pa.string()),
    ("n_objects", pa.int32()), ("n_machines", pa.int32()), ("n_connections", pa.int32()),
    ("arrival_families", pa.list_(pa.string())), ("process_families", pa.list_(pa.string())),
    ("setup_families", pa.list_(pa.string())), ("families", pa.list_(pa.string())),
    ("spec", pa.string()), ("spec_hash", pa.string()),
    ("code", pa.string()), ("code_style", pa.string()),
    ("prompt", pa.string()), ("prompt_mode", pa.string()), ("prompt_source", pa.string()),
    ("prompt_attempts", pa.int32()), ("spec_attempts", pa.int32()), ("code_rejected", pa.list_(pa.int32())),
    ("sketch_style", pa.string()), ("sketch_svg", pa.string()), ("sketch_png", IMAGE_TYPE),
    ("exec_outcome", pa.string()), ("exec_message", pa.string()), ("kpis", pa.string()),
    ("recipe", pa.string()), ("seed", pa.int64()), ("twinforge_version", pa.string()),
    ("flexscript_template_version", pa.string()), ("prompt_template_version", pa.string()),
    ("sketch_version", pa.string()),
])


COLUMN_MEANINGS = {
    "sample_id": "`<recipe name>-<index>`, unique and safe as a file name",
    "index": "sample index in the plan (its random streams derive from it)",
    "industry": "one of 13 industries (GDT layer)", "automation": "manual, operator, robot, agv, task_executer",
    "layout": "linear, u_shaped, parallel, conveyor", "line_type": "workstation or conveyor",
    "n_objects": "objects in the model", "n_machines": "processors, combiners and separators",
    "n_connections": "A and S connections",
    "arrival_families": "distribution families of the sources' inter-arrival times",
    "process_families": "distribution families of process times", "setup_families": "... of setup times",
    "families": "every distribution family in the spec",
    "spec": "canonical factory specification (JSON; times in s, lengths in m, speeds in m/s)",
    "spec_hash": "SHA-256 of `spec` (exact duplicates share it)",
    "code": "the FlexScript program (the response)", "code_style": "explicit or loop (stated in the prompt)",
    "prompt": "the request (the model's input text)", "prompt_mode": "text (all routing in words) or sketch",
    "prompt_source": "template:<version> or llm:<model>", "prompt_attempts": "LLM answers asked for (0: template)",
    "spec_attempts": "draws needed to fit the token budget (1: the first)",
    "code_rejected": "earlier draws (1-based) whose code alone was over the response budget (no prompt fits those)",
    "sketch_style": "clean or hand", "sketch_svg": "the layout sketch as SVG",
    "sketch_png": "the sketch as a square PNG (datasets Image), null for samples without one",
    "exec_outcome": "ok or the executable check's error class", "exec_message": "why, when not ok",
    "kpis": "JSON: warmup_s, horizon_s (s), throughput per hour, WIP (items), cycle time (s), utilisation (0-1)",
    "recipe": "recipe name", "seed": "recipe seed", "twinforge_version": "package version",
    "flexscript_template_version": "FlexScript templates", "prompt_template_version": "prompt templates",
    "sketch_version": "sketch renderer",
}
"""What each record column holds, with units (the dataset card's column schema)."""


DECLARATION = FamilyDeclaration(
    name="factory",
    record_schema=RECORD_SCHEMA,
    layers=LAYERS,
    split_keys={
        "industry": "industry", "automation": "automation", "layout": "layout", "line_type": "line_type",
        "family": "families", "arrival": "arrival_families", "process": "process_families",
        "setup": "setup_families", "code_style": "code_style", "prompt_mode": "prompt_mode",
    },
    exact_key="spec_hash",
    dedup_columns=("prompt", "code"),
    dedup_part="code",
    prompt_column="prompt",
    response_column="code",
    image_column="sketch_png",
    needs_image=("prompt_mode", "sketch"),
    export_columns=(
        "sample_id", "index", "spec_hash", "industry", "automation", "layout", "line_type", "n_objects",
        "n_machines", "n_connections", "code_style", "prompt_mode", "prompt_source", "exec_outcome", "prompt",
        "code", "spec", "kpis",
    ),
    json_columns=("spec", "kpis"),
    card=CardText(
        summary=("Prompt, layout sketch (PNG) and FlexScript triplets: `code` is a FlexScript program that builds "
                 "the factory model the prompt (and, in sketch mode, the sketch) describes; `spec` is the "
                 "canonical factory specification (JSON); `exec_outcome` and `kpis` come from twinforge's own "
                 "executable check (a FlexScript-subset interpreter and SimPy simulation, not FlexSim)."),
        motivation=("Training and evaluating models that turn a request (text, optionally a layout sketch) into "
                    "an executable simulation program. Every sample is synthetic and reproducible from the recipe."),
        notes=(
            ("The executable check is twinforge's own FlexScript-subset interpreter and SimPy model, not "
             "FlexSim: `exec_outcome == ok` means the script parses, builds a valid model graph and moves "
             "items to a sink in our executor; FlexSim itself was not run."),
            "KPIs come from that simulation over a fixed horizon and are indicative only.",
            ("Prompts are drafted from templates (and optionally rewritten by an LLM with a fidelity check); "
             "the text is synthetic, not written by engineers."),
            "Industry ranges are plausible engineering values, not measurements of real plants.",
        ),
        numeric=("n_machines", "n_objects", "n_connections", "spec_attempts"),
        categorical=("exec_outcome", "code_style", "prompt_mode", "prompt_source", "sketch_style"),
        json_ranges=("kpis",),
        columns=COLUMN_MEANINGS,
        labels=(
            "`exec_outcome` and `kpis` come from running `code` in twinforge's executor (not FlexSim) with the "
            "sample's own seed. The simulated time is set from the model, not the clock: a warm-up of arrivals "
            "is run first and left out, then a window of further arrivals is measured (`warmup_s`, `horizon_s` "
            "in `kpis`). Items leave an object with several outputs by its `routing`: FlexSim's first available "
            "port, or a port drawn at random (parallel lines). Throughput counts items reaching a sink per hour; "
            "WIP is the time-average number of items in the model; cycle time is per item from its source to a "
            "sink; utilisation is the busy share of the window per station and per resource; the bottleneck is "
            "the busiest machine. See docs/execution.md for the exact definitions."),
        biases=(
            ("Every line is one route through its industry's stations with 1-5 machines (3 on average); real "
            "plants have re-entrant flows, rework loops and shared machines, which this corpus never shows."),
            ("Arrival rates are set from each line's own bottleneck (60-90 % busy), so no sample is a starved or "
            "an overloaded line unless the recipe asks for one."),
            ("Redrawing specs too large for the token budget makes large parallel lines rarer than the cells' "
            "weights alone would (`spec_attempts` > 1 marks the redrawn samples)."),
            "Station times are engineering judgement per stage (routes.py), not measurements of real plants.",
        ),
        intended_use=(
            "Supervised fine-tuning and evaluation of code-generating (V)LMs that turn a request (text, optionally "
            "a layout sketch) into a FlexScript program that builds a FlexSim model; split strategies for in- and "
            "out-of-distribution tests. Not for estimating the performance of real plants: KPIs are labels of "
            "synthetic models in twinforge's own executor."),
    ),
    show_columns=("industry", "automation", "layout", "line_type", "exec_outcome", "kpis",
                  "prompt_mode", "prompt", "code_style", "code", "spec"),
    show_files={"sketch_svg": ".svg", "sketch_png": ".png"},
    packages=("jinja2", "drawsvg", "skia-python", "simpy", "lark", "numpy"),
    review=ReviewView(
        tags=(*LAYERS, "code_style", "prompt_mode"),
        filters=(*LAYERS, "exec_outcome", "code_style", "prompt_mode", "sketch_style", "prompt_source"),
        outcome="exec_outcome",
        metrics="kpis",
        card_metrics=("throughput_per_hour", "wip_mean", "bottleneck_utilisation"),
        images=("sketch_png", "sketch_svg"),
        code=(("code", "cpp"), ("spec", "text")),
        details=("prompt_source", "sketch_style", "n_objects", "n_machines", "n_connections", "families",
                 "spec_attempts", "exec_message"),
        prompt_source="prompt_source",
    ),
)


LINES_KEPT_FOR = 4
"""Redraws for the token budget that may still have three parallel lines."""


@dataclass(frozen=True)
class Fitted:
    """A sample's spec, code and template prompt within the token budget, and how many draws it took."""

    spec: FactorySpec
    code: str
    prompt: Any
    rng: np.random.Generator
    mode: str
    attempts: int
    code_rejected: tuple[int, ...] = ()
    """The earlier attempts (1-based) whose code alone was over budget: no prompt can make them fit."""


class FactoryFamily:
    """GDT-style factory samples over the 13 x 5 x 4 x 2 = 520 cells of the five-layer design."""

    declaration = DECLARATION
    settings_model = FactorySettings

    def cells(self, recipe: Recipe) -> list[tuple[Cell, float]]:
        """All cells, each weighted by the product of its layer values' weights."""
        weights = _settings(recipe).layers
        return [(cell, weights.industry[cell.industry] * weights.automation[cell.automation]
                 * weights.layout[cell.layout] * weights.line_type[cell.line_type]) for cell in all_cells()]

    def preflight(self, recipe: Recipe) -> None:
        """With the LLM drafter enabled, its API key must be set before any shard runs."""
        settings = _settings(recipe)
        if settings.llm.enabled:
            from twinforge.renderers.llm_drafter import LLMConfigError, api_key  # openai only when used

            try:
                api_key(settings.llm)
            except LLMConfigError as error:
                raise UserError(f"recipe field 'llm': {error}") from None

    def make_spec(self, recipe: Recipe, index: int, cell: Cell) -> FactorySpec:
        """The spec of sample ``index`` (within the token budget, as its record holds it)."""
        return self._fitted(recipe, index, cell, self.make_choices(recipe, index)).spec

    def make_choices(self, recipe: Recipe, index: int) -> dict[str, Any]:
        """Code style, sketch or not, sketch style, prompt mode: always four draws, in this order."""
        settings = _settings(recipe)
        rng = sample_rng(recipe.seed, index, Stage.CHOICES)
        code_style = choose(rng, settings.code_style.model_dump())
        has_png = bool(rng.random() < settings.sketch.fraction)
        sketch_style = choose(rng, {style: settings.sketch.styles.get(style, 0.0) for style in SKETCH_STYLES})
        prompt_mode = choose(rng, settings.prompt_mode.model_dump())
        return {"code_style": code_style, "has_png": has_png, "sketch_style": sketch_style,
                "prompt_mode": prompt_mode if has_png else "text"}

    def make_record(self, recipe: Recipe, index: int, cell: Cell) -> dict[str, Any]:
        """One sample with its template prompt (see ``make_records`` for the LLM rewrite)."""
        return self._build(recipe, index, cell)[0]

    def make_records(self, recipe: Recipe, samples: list[tuple[int, Cell]], workspace: Path,
                     progress: Callable[[int], None] = lambda count: None,
                     previous: Previous | None = None) -> list[dict[str, Any]]:
        """A shard's samples; with the LLM drafter on, their prompts are rewritten as one batch.

        The drafter's response cache lives in ``workspace`` (inside the corpus), so a regeneration
        from any working folder asks the endpoint nothing again. A shard whose every request failed
        stops the run (resume later); a shard with some template fallbacks says how many.
        With ``previous`` rows, the spec, code, check and sketch are kept where their inputs and
        versions are unchanged (``Reusable``); the prompt is always drafted afresh.
        """
        reusable = Reusable.of(previous, recipe, self.provenance(recipe))
        built = []
        for index, cell in samples:
            built.append(self._build(recipe, index, cell, reusable))
            progress(1)
        llm = _settings(recipe).llm
        if not llm.enabled:
            return [record for record, _, _ in built]
        from twinforge.renderers.llm_drafter import LLMDrafter  # openai only when used

        drafter = LLMDrafter(llm, workspace)
        items = [drafter.prepare(spec, record["prompt_mode"], record["prompt"], rng, code_style=record["code_style"])
                 for record, spec, rng in built]
        results = drafter.rewrite_many(items)
        failed = [result for result in results if result.unavailable]
        if results and len(failed) == len(results):
            raise UserError(f"the LLM endpoint failed every request of samples {samples[0][0]}..{samples[-1][0]} "
                            f"({failed[0].problems[-1]}); fix the endpoint and run the same command again")
        fallbacks = sum(1 for result in results if result.source.startswith("template"))
        if fallbacks:
            log.warning("samples %d..%d: %d of %d prompts kept the template draft (%d after failed requests)",
                        samples[0][0], samples[-1][0], fallbacks, len(results), len(failed))
        for (record, _, _), result in zip(built, results):
            record.update(prompt=result.text, prompt_source=result.source, prompt_attempts=result.attempts)
        return [record for record, _, _ in built]

    def _build(self, recipe: Recipe, index: int, cell: Cell, reusable: Reusable = NOTHING_REUSED,
               ) -> tuple[dict[str, Any], FactorySpec, np.random.Generator]:
        """The record with a template prompt, its spec, and the prompt stream after the draft (for an LLM).

        Values that ``reusable`` shows unchanged are ``FROM_PREVIOUS`` (the engine copies them).
        """
        settings = _settings(recipe)
        choices = self.make_choices(recipe, index)
        known = reusable.spec(index, cell, choices["code_style"])
        fitted = self._fitted(recipe, index, cell, choices, known)
        kept_spec = known is not None and fitted.attempts == known.attempt + 1
        kept_code = kept_spec and known is not None and known.code is not None
        spec, code, prompt, prompt_rng, prompt_mode = fitted.spec, fitted.code, fitted.prompt, fitted.rng, fitted.mode
        sample_id = f"{recipe.name}-{index:07d}"
        record: dict[str, Any] = {"sample_id": sample_id, "index": index}
        if kept_spec:
            record.update(dict.fromkeys(SPEC_COLUMNS, FROM_PREVIOUS))
            digest = reusable.old(index, "spec_hash")
        else:
            spec_json = canonical_json(spec)
            digest = json_hash(spec_json)
            roles = role_families(spec)
            record.update({
                "industry": spec.industry.value, "automation": spec.automation.value,
                "layout": spec.layout.value, "line_type": spec.line_type.value,
                "n_objects": len(spec.objects), "n_machines": len(spec.machines),
                "n_connections": len(spec.connections),
                "arrival_families": roles["arrival"], "process_families": roles["process"],
                "setup_families": roles["setup"], "families": sorted({f for fs in roles.values() for f in fs}),
                "spec": spec_json, "spec_hash": digest,
            })
        if reusable.check(index, code, kept_code):
            record.update(dict.fromkeys(CHECK_COLUMNS, FROM_PREVIOUS))
        else:
            result = check_script(code, seed=sample_seed(recipe.seed, index, Stage.SIMULATION))
            record.update(exec_outcome=result.outcome, exec_message=result.message,
                          kpis=json.dumps(result.kpis, sort_keys=True, separators=(",", ":")))
        size = tuple(settings.sketch.png_size)
        if reusable.sketch(index, digest, choices["sketch_style"]):
            record["sketch_svg"] = FROM_PREVIOUS
            png = reusable.png(index, sample_id) if choices["has_png"] else None
            if choices["has_png"] and png is None:
                png = image_value(svg_to_png(reusable.old(index, "sketch_svg"), size), f"{sample_id}.png")
        else:
            svg = render_sketch_svg(spec, style=choices["sketch_style"],
                                    seed=sample_seed(recipe.seed, index, Stage.SKETCH), size=size)
            record["sketch_svg"] = svg
            png = image_value(svg_to_png(svg, size), f"{sample_id}.png") if choices["has_png"] else None
        record.update({
            "code": FROM_PREVIOUS if kept_code else code, "code_style": choices["code_style"],
            "prompt": prompt.text, "prompt_mode": prompt_mode, "prompt_source": prompt.source,
            "prompt_attempts": prompt.attempts, "spec_attempts": fitted.attempts,
            "code_rejected": list(fitted.code_rejected),
            "sketch_style": choices["sketch_style"], "sketch_png": png,
            "recipe": recipe.name, "seed": recipe.seed, "twinforge_version": __version__,
            "flexscript_template_version": FLEXSCRIPT_TEMPLATE_VERSION,
            "prompt_template_version": PROMPT_TEMPLATE_VERSION, "sketch_version": SKETCH_VERSION,
        })
        return {column: record[column] for column in RECORD_SCHEMA.names}, spec, prompt_rng

    def _fitted(self, recipe: Recipe, index: int, cell: Cell, choices: dict[str, Any],
                known: Known | None = None) -> Fitted:
        """Spec, code and prompt that fit the token budget: a spec too large is redrawn, deterministically.

        Attempt ``k`` draws from fresh streams ``(seed, index, stage, k)`` with at most
        ``machines.max - k // 2`` machines per line, and from attempt ``LINES_KEPT_FOR`` on at most
        two parallel lines, so the redraws shrink towards the smallest line of the cell.
        A sketch-mode sample of more than ``sketch_mode.max_objects`` objects gets a text prompt.
        A draw whose code alone is over budget is dropped before its prompt is drafted (each attempt
        has its own prompt stream, so skipping a draft shifts no later draw); ``Fitted.code_rejected``
        lists those. Most of them are dropped unvalidated, on a lower bound of their code's length from
        the spec's data (``data_code_length_floor``), most others unrendered, on a lower bound from the spec.

        ``known`` (``generate --reuse``): attempt ``known.attempt`` is known to draw ``known.spec``
        (and, unless ``known.code`` is None, to render ``known.code``), so it takes them instead of
        drawing again, and the attempts in ``known.code_rejected`` are known to fail on their code
        alone, so they are skipped undrawn. The other earlier attempts are still drawn, since a
        changed prompt may now fit where the old one did not; a sample won on its first attempt
        (most) draws no spec at all. Its draft is not checked again when it is the text that
        ``known.faithful`` shows faithful.
        """
        settings = _settings(recipe)
        options = options_from_settings(settings)
        length_fits = functools.partial(code_length_fits, budget=settings.budget)
        rejected: list[int] = []
        for attempt in range(settings.budget.max_attempts):
            if known is not None and attempt in known.code_rejected:
                rejected.append(attempt + 1)
                continue
            if known is not None and attempt == known.attempt:
                spec = known.spec
                code = known.code if known.code is not None else render_flexscript(spec, choices["code_style"])
            else:
                fewer = max(options.machines_min, options.machines_max - attempt // 2)
                smaller = replace(options, machines_max=fewer, max_lines=3 if attempt < LINES_KEPT_FOR else 2)
                data = draw_spec_data(sample_rng(recipe.seed, index, Stage.SPEC, attempt), cell, smaller)
                if not length_fits(data_code_length_floor(data["objects"], data["connections"],
                                                          choices["code_style"])):
                    rejected.append(attempt + 1)
                    continue
                spec = FactorySpec.model_validate(data)
                code = render_flexscript_within(spec, choices["code_style"], length_fits)
            if code is None or not code_fits(code, settings.budget):
                rejected.append(attempt + 1)
                continue
            mode = choices["prompt_mode"]
            if mode == "sketch" and len(spec.objects) > settings.sketch_mode.max_objects:
                mode = "text"
            rng = sample_rng(recipe.seed, index, Stage.PROMPT, attempt)
            faithful = known.faithful(attempt, mode) if known is not None else None
            prompt = make_prompt(spec, mode, rng, code_style=choices["code_style"], faithful=faithful)
            if fits(prompt.text, code, settings.budget):
                return Fitted(spec, code, prompt, rng, mode, attempt + 1, tuple(rejected))
        raise UserError(f"sample {index}: no spec of cell {cell} fits the token budget in "
                        f"{settings.budget.max_attempts} attempts; raise [budget] or lower [machines] max")

    def coverage_targets(self, recipe: Recipe) -> dict[str, list[str]]:
        """Every layer value and every family in every role the recipe gives a positive weight."""
        settings = _settings(recipe)
        layers = settings.layers.model_dump()
        targets = {layer: [v for v, w in layers[layer].items() if w > 0] for layer in LAYERS}
        arrival = [f.value for f in ARRIVAL_FAMILIES if settings.families.arrival[f.value] > 0]
        service = [f.value for f in SERVICE_FAMILIES if settings.families.service[f.value] > 0]
        targets.update({"arrival_families": arrival, "process_families": service, "setup_families": service})
        return targets

    def provenance(self, recipe: Recipe) -> dict[str, str]:
        return {"twinforge": __version__, "flexscript_template": FLEXSCRIPT_TEMPLATE_VERSION,
                "prompt_template": PROMPT_TEMPLATE_VERSION, "sketch": SKETCH_VERSION, "check": CHECK_VERSION,
                "sampler": SAMPLER_VERSION, "fidelity": FIDELITY_VERSION}


    def prompt_problems(self, recipe: Recipe, record: Mapping[str, Any], prompt: str) -> list[str]:
        """The fidelity check against the sample's spec, mode and code style, and the token budget."""
        spec = FactorySpec.model_validate_json(record["spec"])
        problems = check_fidelity(prompt, spec, record["prompt_mode"], code_style=record["code_style"])
        if not fits(prompt, record["code"], _settings(recipe).budget):
            problems.append("prompt and code exceed the recipe's token budget")
        return problems

    def evaluator(self, recipe: Recipe, mode: str) -> FlexScriptEvaluator:
        """SVR, PMR, ESR and BLEU-4 of predicted FlexScript; the check reruns with each sample's seed."""
        return FlexScriptEvaluator(mode, functools.partial(sample_seed, recipe.seed, stage=Stage.SIMULATION))


def _settings(recipe: Recipe) -> FactorySettings:
    """The recipe's factory keys (the engine validated them with ``FactoryFamily.settings_model``)."""
    return cast(FactorySettings, recipe.settings)


__all__ = ["DECLARATION", "FactoryFamily", "choose", "role_families"]
