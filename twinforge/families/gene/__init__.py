"""The Digital-Gene family: procedural image-gene pairs (GeneVLM's WhiteImage-Gene data)."""

from twinforge.families.gene.family import DECLARATION, GeneFamily

FAMILY = GeneFamily

__all__ = ["DECLARATION", "FAMILY", "GeneFamily"]
