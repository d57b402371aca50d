"""Golden decoded-pixel SHA-256 of three fixed genes' white images, equal in a subprocess with numpy's
dispatched CPU features (AVX2, AVX-512, ...) switched off by ``NPY_DISABLE_CPU_FEATURES``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from numpy._core import _multiarray_umath

from twinforge.families.gene.check import check_gene_text
from twinforge.families.gene.sampler import posed
from twinforge.renderers.gene.raster import pixel_sha256, rasterize

ROOT = Path(__file__).resolve().parents[3]
GENES = Path(__file__).resolve().parent / "golden"
SIZE = 256
GOLDEN = {
    "Mug": "b8a7eac58c130c33313f2da2dcad6f6bf7fd597e06c576e122b102a050a472a6",
    "Chair": "57c5794367c608d20873cfbded8680c5d94b96f85b348292387a4ad301fe9a90",
    "Kettle": "cd6f164b655f945d9ba8aaba10f234f44d2c0a861c66a303acc827df3932d314",
}
"""Pixel hashes at raster version 2 (FOV 35 degrees); a change here must bump ``RASTER_VERSION``."""


def fixed_genes() -> dict[str, str]:
    """Three gene texts kept as files (a Mug, a Chair off-centre, a Kettle turned upside down)."""
    return {name: (GENES / f"{name.lower()}.json").read_text(encoding="utf-8").strip() for name in GOLDEN}


def pixel_hashes(genes: dict[str, str]) -> dict[str, str]:
    hashes = {}
    for name, text in genes.items():
        result = check_gene_text(text)
        assert result.mesh is not None and result.gene is not None, result.message
        hashes[name] = pixel_sha256(rasterize(posed(result.mesh, result.gene.pose), SIZE))
    return hashes


CHILD = """
import json, sys
from numpy._core import _multiarray_umath as m
from tests.families.gene.test_pixel_hashes import fixed_genes, pixel_hashes
print(json.dumps({"hashes": pixel_hashes(fixed_genes()), "features": m.__cpu_features__}))
"""


def test_golden_pixel_hashes_in_this_process():
    assert pixel_hashes(fixed_genes()) == GOLDEN


def test_the_same_pixels_with_vector_features_disabled():
    dispatched = [f for f in _multiarray_umath.__cpu_dispatch__ if _multiarray_umath.__cpu_features__.get(f)]
    env = {**os.environ, "NPY_DISABLE_CPU_FEATURES": ",".join(dispatched),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True, timeout=300)
    child = json.loads(done.stdout.strip().splitlines()[-1])
    assert not any(child["features"][f] for f in dispatched), child["features"]
    assert child["hashes"] == GOLDEN
