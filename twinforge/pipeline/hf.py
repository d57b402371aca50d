"""Hugging Face ``datasets`` features for twinforge's Arrow schemas, without needing ``datasets``.

Shards and the ``hf`` export carry the ``huggingface`` schema metadata that ``datasets`` reads, so
``load_dataset("parquet", data_files=...)`` sees each family's image column as an ``Image``
feature (stored as the ``{bytes, path}`` struct that feature uses) and every other column as
the plain value or list it is. The JSON form is the one ``datasets.Features.to_dict`` writes
(checked against the real ``datasets`` in the tests).
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa


def feature(arrow_type: pa.DataType) -> dict[str, Any]:
    """The ``datasets`` feature of a plain Arrow type (string, numbers, binary, lists of them)."""
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return {"feature": feature(arrow_type.value_type), "_type": "List"}
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return {"dtype": "string", "_type": "Value"}
    if pa.types.is_boolean(arrow_type):
        return {"dtype": "bool", "_type": "Value"}
    return {"dtype": str(arrow_type), "_type": "Value"}


def with_features(schema: pa.Schema, image_columns: tuple[str, ...]) -> pa.Schema:
    """``schema`` with ``huggingface`` metadata: ``image_columns`` as ``Image``, the rest as values."""
    features = {f.name: {"_type": "Image"} if f.name in image_columns else feature(f.type) for f in schema}
    metadata = dict(schema.metadata or {})
    metadata[b"huggingface"] = json.dumps({"info": {"features": features}}).encode()
    return schema.with_metadata(metadata)
