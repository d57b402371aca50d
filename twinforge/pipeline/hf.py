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

from twinforge.schemas.image import IMAGE_TYPE


def feature(arrow_type: pa.DataType) -> dict[str, Any]:
    """The ``datasets`` feature of an Arrow type: values, images (``IMAGE_TYPE``) and lists of them."""
    if arrow_type == IMAGE_TYPE:
        return {"_type": "Image"}
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return {"feature": feature(arrow_type.value_type), "_type": "List"}
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return {"dtype": "string", "_type": "Value"}
    if pa.types.is_boolean(arrow_type):
        return {"dtype": "bool", "_type": "Value"}
    return {"dtype": str(arrow_type), "_type": "Value"}


def yaml_type(arrow_type: pa.DataType) -> str:
    """How a dataset card's YAML names a column's type (``dtype: X`` or ``list: X``)."""
    described = feature(arrow_type)
    if described["_type"] == "List":
        inner = described["feature"]
        return f"list: {'image' if inner['_type'] == 'Image' else inner['dtype']}"
    return f"dtype: {'image' if described['_type'] == 'Image' else described['dtype']}"


def with_features(schema: pa.Schema) -> pa.Schema:
    """``schema`` with ``huggingface`` metadata: image columns as ``Image``, the rest as values or lists."""
    features = {f.name: feature(f.type) for f in schema}
    metadata = dict(schema.metadata or {})
    metadata[b"huggingface"] = json.dumps({"info": {"features": features}}).encode()
    return schema.with_metadata(metadata)
