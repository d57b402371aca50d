"""``twinforge review``: a static site for looking over a corpus, flagging samples and editing prompts.

```
OUT/index.html            the grid: thumbnail, tags, outcome and a few metrics per sample; filters
OUT/samples/<id>.html     one page per sample: images, prompt (editable), flags, highlighted code,
                          metrics, details and the family's fidelity findings for the prompt
OUT/images/<id>-<k>.webp  the sample's images, lossless (the same pixels as the corpus PNGs), or .svg
OUT/thumbs/<id>.webp      grid thumbnails
OUT/assets/               review.css, review.js, pygments.css
```

The site needs no server, network or build step: open ``index.html`` from disk. What a page shows
comes from the family's ``ReviewView`` (``families/base.py``); the engine names no column. Edits
live in the browser's localStorage and are downloaded as one JSONL file for
``twinforge apply-edits``. Rows are read through ``Corpus.reviewed``, so applied edits show.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from jinja2 import Environment, PackageLoader, StrictUndefined
from PIL import Image
from pygments import format as format_tokens
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.styles import get_style_by_name
from pygments.token import Token

from twinforge.errors import UserError
from twinforge.families import ReviewView
from twinforge.pipeline.atomic import publishing_folder
from twinforge.pipeline.corpus import DEDUP_FILE, SPLIT_NAMES, Corpus
from twinforge.pipeline.overlay import flagged_ids
from twinforge.pipeline.safe_names import check_row_id
from twinforge.pipeline.where import parse_where
from twinforge.schemas.image import image_bytes

TEMPLATES = ("twinforge", "templates/review")
ASSETS = ("review.css", "review.js")
THUMB_SIZE = 240
PYGMENTS_STYLE = "default"
WEBP_EFFORT = 2
"""Lossless WebP effort: 2 gave sketches 0.7 % larger than 4 in 0.57 of the time (10 sketches, one run)."""
FLAGS = ("bad_sketch", "wrong_prompt", "unrealistic", "other")
"""What a reviewer can flag a sample for (``apply-edits`` accepts these only)."""
DEDUP_FILTER = "dedup"
"""The engine's own filter: a sample's near-duplicate cluster from ``twinforge dedup``."""
APPLIED_FILTER = "applied"
"""The engine's own filter: what ``apply-edits`` recorded for a sample (edited, flagged, both, none)."""


@dataclass(frozen=True)
class Picture:
    """One image of a sample as the site stores it: the page file and the thumbnail file."""

    page: str
    thumb: str


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader(*TEMPLATES), undefined=StrictUndefined, autoescape=True)


def _render(name: str, **context: Any) -> str:
    return _environment().get_template(name).render(**context)


def _asset(name: str) -> str:
    return resources.files(TEMPLATES[0]).joinpath(TEMPLATES[1], name).read_text(encoding="utf-8")


def select_ids(corpus: Corpus, split: str = "all", where: str | None = None, sample: int | None = None,
               seed: int = 0) -> list[str]:
    """The sample ids the site shows, in corpus order: one split, those ``where`` keeps, then
    ``sample`` of them drawn without replacement by a generator seeded with ``seed``."""
    if split != "all" and split not in SPLIT_NAMES:
        raise UserError(f"--split {split!r} is not one of all, {', '.join(SPLIT_NAMES)}")
    if sample is not None and sample < 1:
        raise UserError(f"--sample must be at least 1, got {sample}")
    condition = parse_where(where, corpus.shard_schema(corpus.shard_names[0])) if where else None
    table = corpus.read(columns=list(condition.columns) if condition else [], split=split)
    if condition:
        table = table.filter(condition.expression)
    ids = table["sample_id"].to_pylist()
    if sample is not None and sample < len(ids):
        rng = np.random.default_rng(np.random.SeedSequence(seed))
        ids = [ids[i] for i in sorted(rng.choice(len(ids), size=sample, replace=False))]
    return ids


def dedup_labels(corpus: Corpus) -> dict[str, str]:
    """sample_id -> its near-duplicate cluster (``unique`` when alone; empty without ``dedup``)."""
    if not corpus.has_derived(DEDUP_FILE):
        return {}
    table = corpus.location.read_table(DEDUP_FILE, columns=["sample_id", "cluster_id", "cluster_size"])
    return {sample_id: f"cluster {cluster}" if size > 1 else "unique"
            for sample_id, cluster, size in zip(*(table[c].to_pylist() for c in table.column_names))}


def images_of(row: Mapping[str, Any], view: ReviewView) -> list[tuple[str, bytes]]:
    """``(suffix, data)`` of the first declared image column the row holds: PNGs or SVG text."""
    for column in view.images:
        value = row.get(column)
        items = value if isinstance(value, list) else [value]
        found = []
        for item in items:
            if isinstance(item, str) and item.lstrip().startswith("<"):
                found.append(("svg", item.encode("utf-8")))
            elif (png := image_bytes(item)) is not None:
                found.append(("png", png))
        if found:
            return found
    return []


def write_pictures(images: list[tuple[str, bytes]], sample_id: str, out: Path) -> list[Picture]:
    """The sample's images as site files: PNG as lossless WebP (the same pixels, about half the
    bytes), the first with a small WebP thumbnail for the grid; SVG as it is (its own thumbnail)."""
    pictures = []
    for number, (suffix, data) in enumerate(images, start=1):
        stem = f"{sample_id}-{number}"
        if suffix == "svg":
            (out / "images" / f"{stem}.svg").write_bytes(data)
            pictures.append(Picture(f"images/{stem}.svg", f"images/{stem}.svg"))
            continue
        with Image.open(io.BytesIO(data)) as image:
            picture = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        page = f"images/{stem}.webp"
        picture.save(out / page, format="WEBP", lossless=True, method=WEBP_EFFORT)
        thumb = f"thumbs/{stem}.webp" if number == 1 else page
        if number == 1:
            picture.thumbnail((THUMB_SIZE, THUMB_SIZE))
            picture.save(out / thumb, format="WEBP", quality=80, method=4)
        pictures.append(Picture(page, thumb))
    return pictures


def pretty_json(value: Any, depth: int = 0) -> str:
    """JSON indented by two spaces, with a list of plain values on one line (a vector reads as one)."""
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(key, ensure_ascii=False)}: {pretty_json(item, depth + 1)}"
                 for key, item in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
        return "[\n" + ",\n".join(f"{inner}{pretty_json(item, depth + 1)}" for item in value) + f"\n{pad}]"
    return json.dumps(value, ensure_ascii=False)


@cache
def _coloured(token: Any) -> bool:
    """Whether the site's Pygments style gives ``token`` any look of its own."""
    look = get_style_by_name(PYGMENTS_STYLE).style_for_token(token)
    return any(look[key] for key in ("color", "bgcolor", "bold", "italic", "underline"))


def highlighted(text: str, lexer: str) -> str:
    """``text`` as highlighted HTML; JSON text is pretty-printed first. Tokens the style leaves
    plain get no ``<span>`` (half the bytes of a page, the same look)."""
    if text.lstrip()[:1] in ("{", "["):
        try:
            text = pretty_json(json.loads(text))
        except json.JSONDecodeError:
            pass
    tokens = ((kind if _coloured(kind) else Token.Text, value)
              for kind, value in get_lexer_by_name(lexer).get_tokens(text))
    return format_tokens(tokens, HtmlFormatter(nowrap=True, style=PYGMENTS_STYLE))


def metric_items(text: str | None) -> dict[str, Any]:
    """A JSON object of metrics flattened to ``key.sub -> value`` (empty if absent or not an object)."""
    try:
        data = json.loads(text) if text else {}
    except json.JSONDecodeError:
        return {}
    flat: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        else:
            flat[prefix] = value

    walk("", data)
    return flat if isinstance(data, dict) else {}


def short(value: Any) -> str:
    """A metric as a card shows it: numbers to three significant figures."""
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def _rows(corpus: Corpus, wanted: set[str]) -> Iterator[dict[str, Any]]:
    """The wanted rows (reviewed prompts in place), one shard in memory at a time."""
    for shard in corpus.shard_names:
        table = corpus.read_shard(shard, columns=["sample_id"])
        keep = pc.is_in(table["sample_id"], value_set=pa.array(sorted(wanted), pa.string()))
        if not pc.any(keep).as_py():
            continue
        yield from corpus.reviewed(corpus.read_shard(shard).filter(keep)).to_pylist()


def applied_label(entry: Mapping[str, Any] | None) -> str:
    """What the overlay holds for a sample, as the grid's ``applied`` filter names it."""
    if entry is None:
        return "none"
    kinds = [kind for kind, present in (("edited", entry["prompt"] is not None), ("flagged", bool(entry["flags"])))
             if present]
    return " and ".join(kinds) or "commented"


def _card(row: Mapping[str, Any], view: ReviewView, pictures: list[Picture], dedup: str | None,
          applied: str | None) -> dict[str, Any]:
    metrics = metric_items(row.get(view.metrics)) if view.metrics else {}
    values = {column: str(row.get(column)) for column in view.filters}
    if dedup is not None:
        values[DEDUP_FILTER] = dedup
    if applied is not None:
        values[APPLIED_FILTER] = applied
    return {
        "id": row["sample_id"],
        "thumb": pictures[0].thumb if pictures else None,
        "tags": [str(row.get(column)) for column in view.tags],
        "outcome": str(row.get(view.outcome)) if view.outcome else None,
        "metrics": [(key, short(metrics[key])) for key in view.card_metrics if key in metrics],
        "values": values,
        "applied": applied if applied not in (None, "none") else None,
    }


def _page(corpus: Corpus, row: dict[str, Any], view: ReviewView, pictures: list[Picture],
          overlay: Mapping[str, dict[str, Any]], neighbours: tuple[str | None, str | None]) -> dict[str, Any]:
    declaration = corpus.family.declaration
    prompt = row.get(declaration.prompt_column) or ""
    return {
        "id": row["sample_id"],
        "prompt": prompt,
        "pictures": pictures,
        "tags": [(column, row.get(column)) for column in view.tags],
        "outcome": row.get(view.outcome) if view.outcome else None,
        "findings": corpus.family.prompt_problems(corpus.recipe, row, prompt),
        "code": [(column, highlighted(str(row[column]), lexer)) for column, lexer in view.code
                 if row.get(column) is not None],
        "metrics": list(metric_items(row.get(view.metrics)).items()) if view.metrics else [],
        "details": [(column, row.get(column)) for column in view.details if column in row],
        "review": overlay.get(row["sample_id"]),
        "previous": neighbours[0],
        "next": neighbours[1],
    }


def build_site(corpus: Corpus, out: str | Path, split: str = "all", where: str | None = None,
               sample: int | None = None, seed: int = 0, overwrite: bool = False,
               progress: Callable[[int], None] = lambda count: None) -> str:
    """Write the review site of ``corpus`` to ``out``; return a summary line."""
    out = Path(out)
    home = corpus.location.local
    if home is not None and (out.resolve() == home.resolve() or home.resolve() in out.resolve().parents):
        raise UserError(f"--out {out}: is inside the corpus; write the site to a folder of its own")
    ids = select_ids(corpus, split, where, sample, seed)
    if not ids:
        raise UserError(f"{corpus.location}: no sample matches (split {split!r}, where {where!r})")
    declaration = corpus.family.declaration
    view = declaration.review
    order = {sample_id: position for position, sample_id in enumerate(ids)}
    dedup = dedup_labels(corpus)
    overlay_table = corpus.review_overlay()
    overlay = {row["sample_id"]: row for row in overlay_table.to_pylist()} if overlay_table is not None else {}
    site_key = f"{corpus.recipe.name}-{corpus.manifest.state}"
    cards: list[dict[str, Any] | None] = [None] * len(ids)
    try:
        with publishing_folder(out, overwrite=overwrite) as building:
            for folder in ("samples", "images", "thumbs", "assets"):
                (building / folder).mkdir()
            for row in _rows(corpus, set(ids)):
                sample_id = check_row_id(row["sample_id"], str(corpus.location))
                position = order[sample_id]
                pictures = write_pictures(images_of(row, view), sample_id, building)
                neighbours = (ids[position - 1] if position else None,
                              ids[position + 1] if position + 1 < len(ids) else None)
                page = _page(corpus, row, view, pictures, overlay, neighbours)
                html = _render("sample.html.j2", sample=page, site_key=site_key, flags=FLAGS,
                               family=declaration.name, corpus=corpus.recipe.name)
                (building / "samples" / f"{sample_id}.html").write_text(html, encoding="utf-8")
                cards[position] = _card(row, view, pictures, dedup.get(sample_id) if dedup else None,
                                        applied_label(overlay.get(sample_id)) if overlay else None)
                progress(1)
            filters = [DEDUP_FILTER] * bool(dedup) + [APPLIED_FILTER] * bool(overlay) + list(view.filters)
            counts = {column: sorted(Counter(card["values"][column] for card in cards if card).items())
                      for column in filters}
            html = _render("grid.html.j2", cards=cards, filters=counts, site_key=site_key,
                           family=declaration.name, corpus=corpus.recipe.name, flagged=len(flagged_ids(overlay_table)),
                           edited=sum(1 for row in overlay.values() if row["prompt"] is not None))
            (building / "index.html").write_text(html, encoding="utf-8")
            for name in ASSETS:
                (building / "assets" / name).write_text(_asset(name), encoding="utf-8")
            style = HtmlFormatter(style=PYGMENTS_STYLE).get_style_defs(".highlight")
            (building / "assets" / "pygments.css").write_text(style + "\n", encoding="utf-8")
    except FileExistsError as error:
        raise UserError(str(error)) from None
    size = sum(path.stat().st_size for path in out.rglob("*") if path.is_file())
    return f"review site of {corpus.location}: {len(ids)} samples, {size / 1e6:.1f} MB -> {out / 'index.html'}"
