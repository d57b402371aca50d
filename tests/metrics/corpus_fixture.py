"""A tiny hand-written corpus in the documented layout, for the metrics and export tests."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from PIL import Image

from tests.conftest import SMALL_SPEC
from twinforge.pipeline.atomic import file_sha256
from twinforge.pipeline.manifest import Manifest
from twinforge.schemas import canonical_json, load_spec
from twinforge.schemas.image import image_value

HEADER = "Object current = ownerobject(c);\\nObject item = param(1);\\n"

REFERENCE = f"""// hand-written explicit-style reference for the small spec (source mean 15)
Object src = Object.create("Source");
src.name = "Blank Source";
src.setLocation(0, 0, 0);
src.setProperty("InterArrivalTime", "{HEADER}return exponential(0, 15, getstream(current));");
Object q = Object.create("Queue");
q.name = "Queue1";
q.setLocation(4, 0, 0);
q.setProperty("MaxContent", 20);
Object m = Object.create("Processor");
m.name = "Mask Coater";
m.setLocation(8, 0, 0);
m.setProperty("ProcessTime", "{HEADER}return triangular(20, 40, 25, getstream(current));");
m.setProperty("SetupTime", 5);
m.setProperty("UseProcessOperators", 1);
m.setProperty("NumProcessOperators", 1);
Object snk = Object.create("Sink");
snk.name = "Sink1";
snk.setLocation(12, 0, 0);
Object d = Object.create("Dispatcher");
d.name = "Dispatcher1";
d.setLocation(8, -5, 0);
Object op = Object.create("Operator");
op.name = "Operator1";
op.setLocation(10, -5, 0);
op.setProperty("MaxSpeed", 1.2);
op.setProperty("Capacity", 1);
contextdragconnection(src, q, "A");
contextdragconnection(q, m, "A");
contextdragconnection(m, snk, "A");
contextdragconnection(d, op, "A");
contextdragconnection(m, d, "S");
"""
"""6 objects, 4 A connections (+1 S), 8 parameters (as the explicit renderer writes them)."""

def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png(8, 8)
WIDE_PNG = _png(16, 8)


def spec_data(mean: float = 15) -> dict:
    """The conftest small spec with the source's mean inter-arrival time set to ``mean``."""
    data = copy.deepcopy(SMALL_SPEC)
    data["objects"][0]["inter_arrival"]["mean"] = mean
    return data


def row(sample_id: str, index: int, code: str = REFERENCE, *, industry: str = "photomask",
        png: bytes | None = PNG, data: dict | None = None, style: str = "explicit") -> dict:
    """One corpus row with every documented column."""
    spec = load_spec(data or spec_data())
    return {
        "sample_id": sample_id, "index": index, "industry": industry, "automation": spec.automation.value,
        "layout": spec.layout.value, "line_type": spec.line_type.value, "n_objects": len(spec.objects),
        "n_machines": len(spec.machines), "n_connections": len(spec.connections),
        "spec": canonical_json(spec), "code": code, "code_style": style,
        "prompt": f"Build the photomask line number {index}.", "prompt_mode": "text",
        "prompt_source": "template", "sketch_svg": "<svg/>", "sketch_png": image_value(png, f"{sample_id}.png"),
        "exec_outcome": "ok", "kpis": json.dumps({"throughput_per_hour": 100.0}), "minhash": [1, 2, 3],
    }


FIXTURE_RECIPE = {"name": "fixture", "family": "factory", "seed": 1, "count": 1, "shard_size": 1}


def write_corpus(root: Path, rows: list[dict], splits: dict[str, str] | None, recipe: dict | None = None) -> Path:
    """Write ``rows`` as one shard with its manifest and (if given) a split assignment; return the path."""
    (root / "shards").mkdir(parents=True)
    shard = root / "shards" / "part-00000.parquet"
    pq.write_table(pa.Table.from_pylist(rows), shard)
    manifest = Manifest(root, {"recipe": {**FIXTURE_RECIPE, **(recipe or {})}, "family": "factory",
                               "provenance": {}, "plan": {"shard_count": 1}, "complete": True, "shards": {}})
    manifest.shards[shard.name] = {"file": shard.name, "rows": len(rows), "sha256": file_sha256(shard)}
    manifest.save()
    if splits is not None:
        (root / "splits").mkdir()
        assignment = pa.table({"sample_id": list(splits), "split": list(splits.values())})
        pq.write_table(assignment, root / "splits" / "assignment.parquet")
        mark_derived(root, "splits/assignment.parquet", "split", strategy="random")
    return root


def mark_derived(root: Path, relative: str, written_by: str, **info: object) -> None:
    """Record a file a test wrote into the corpus as a derived output of the current shards."""
    Manifest.read(root).record_derived([relative], written_by, **info)
