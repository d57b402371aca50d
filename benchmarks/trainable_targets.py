"""Is an export trainable as the GDT paper's code trains? Crops, token budget, text-only prompts, first lines.

    .venv/bin/python benchmarks/trainable_targets.py CORPUS EXPORT_DIR

EXPORT_DIR is a ``twinforge export CORPUS --format gdt-vlsm``. Prints JSON: images that lose drawn
pixels under CLIP's preprocessing (shortest edge to 224, centre crop 224x224), text-only (xlsx) rows
whose prompt points to a sketch, responses whose first line is a comment other than a structural
section comment, and the StarCoder2 token counts of the corpus (``token_budget.measure``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from token_budget import DEFAULT_TOKENIZER, measure, starcoder2

SKETCH_WORDS = re.compile(r"\b(?:sketch|drawing|diagram|the picture)\b", re.IGNORECASE)
"""Words by which a prompt points to an image (\"Picture a line ...\", an opener, does not)."""
SECTION_COMMENT = re.compile(r"^// ---- [^|]* ----$")


def drawn_pixels_lost(path: Path, side: int = 224) -> int:
    """Non-white pixels that a shortest-edge resize to ``side`` and a centre crop would cut away."""
    with Image.open(path) as image:
        grey = np.asarray(image.convert("L"))
    height, width = grey.shape
    scale = side / min(height, width)
    crop_w, crop_h = side / scale, side / scale
    left, top = (width - crop_w) / 2, (height - crop_h) / 2
    drawn = grey < 250
    inside = np.zeros_like(drawn)
    inside[int(np.ceil(top)):int(top + crop_h), int(np.ceil(left)):int(left + crop_w)] = True
    return int((drawn & ~inside).sum())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus")
    parser.add_argument("export")
    args = parser.parse_args()
    export = Path(args.export)
    images = sorted((export / "images").glob("*.png"))
    losing = [p.name for p in images if drawn_pixels_lost(p)]
    text_only = pd.concat([pd.read_excel(p) for p in sorted(export.glob("*.xlsx"))])
    pointing = int(text_only["Prompt"].astype(str).str.contains(SKETCH_WORDS).sum())
    first_lines = [str(code).splitlines()[0] for code in text_only["Response"]]
    records = [json.loads(line) for p in sorted(export.glob("*.jsonl")) for line in p.read_text().splitlines()]
    first_lines += [record["response"].splitlines()[0] for record in records]
    commented = [line for line in first_lines if line.startswith("//") and not SECTION_COMMENT.match(line)]
    report = {
        "images": len(images), "images_losing_drawn_pixels_under_centre_crop": len(losing),
        "text_only_rows": len(text_only), "text_only_prompts_pointing_to_a_sketch": pointing,
        "responses": len(first_lines), "first_lines_that_are_unsupported_comments": len(commented),
        "first_line_kinds": sorted({line.split("(")[0][:40] for line in first_lines})[:6],
        "tokens": measure(Path(args.corpus), starcoder2(DEFAULT_TOKENIZER)),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
