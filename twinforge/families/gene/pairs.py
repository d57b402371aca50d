"""Training pairs in the GeneVLM release's style: one (white image, prompt, gene) per pose of a row.

The prompt follows the style of the release's training prompt (paper App. A.5, in our words): the
task, the category (the release gives it at inference), the integer value range and the
``<code>…</code>`` wrapper. The response is the gene's token text (release form, values 2048-3071)
under that pose, wrapped in ``<code>`` tags as the release's decoder expects; ``gene`` is the
float gene under the same pose, for scoring.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from twinforge.families.base import RowExpansion
from twinforge.families.gene.tokens import BINS, RELEASE_OFFSET


def prompt_text(category: str) -> str:
    """The request beside each image, in the release's training-prompt style, naming the category."""
    return (f"This task combines reading text with understanding an image. The image shows a {category}. "
            "Infer the object's structure and parameters from the text and the visual cues, and write them as a "
            "structured JSON representation of the object: its geometry, its parts and their parameters. "
            f"Write every parameter value as an integer from {RELEASE_OFFSET} to {RELEASE_OFFSET + BINS - 1} "
            "(its quantile bin). Put the JSON between <code> and </code> tags and write nothing outside them.")


def response_text(tokens: str) -> str:
    """The training target: the token text in the release's ``<code>`` wrapper."""
    return f"<code>{tokens}</code>"


def _with_pose(text: str, pose: Mapping[str, Any]) -> str:
    data = json.loads(text)
    data["pose"] = dict(pose)
    return json.dumps(data)


def pose_pairs(row: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One pair per pose: the gene and its tokens under pose ``k`` beside image ``k``."""
    poses = json.loads(row["poses"])
    return [{"pair_id": f"{row['sample_id']}-{k}", "pose_index": k, "pair_image": image["bytes"],
             "gene": _with_pose(row["gene"], pose), "response": response_text(_with_pose(row["gene_tokens"], pose)),
             "poses": json.dumps(pose)}
            for k, (pose, image) in enumerate(zip(poses, row["images"], strict=True))]


POSE_PAIRS = RowExpansion(
    columns=("gene", "gene_tokens", "poses", "images"),
    fields=pa.schema([("pair_id", pa.string()), ("pose_index", pa.int32()), ("gene", pa.string()),
                      ("response", pa.string()), ("poses", pa.string())]),
    expand=pose_pairs,
)

__all__ = ["POSE_PAIRS", "pose_pairs", "prompt_text", "response_text"]
