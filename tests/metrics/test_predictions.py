"""Prediction files: JSONL and Parquet, with every problem named by line or row."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from twinforge.errors import UserError
from twinforge.metrics.predictions import read_predictions


def test_duplicates_keep_the_first_and_are_listed(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"sample_id": "a", "code": "1"}\n{"sample_id": "a", "code": "2"}\n'
                    '{"sample_id": "b", "code": ""}\n{"sample_id": "a", "code": "3"}\n')
    predictions = read_predictions(path)
    assert predictions.texts == {"a": "1", "b": ""}
    assert predictions.duplicates == ["a", "a"] and predictions.rows == 4


@pytest.mark.parametrize(("line", "message"), [
    ('["a", "b"]', "line 2: expected a JSON object"),
    ('{"sample_id": "b", "code": 5}', "line 2: code must be a string"),
    ('{"sample_id": "", "code": "x"}', "line 2: sample_id must be a non-empty string"),
])
def test_bad_jsonl_rows_name_the_line(tmp_path, line, message):
    path = tmp_path / "p.jsonl"
    path.write_text('{"sample_id": "a", "code": "x"}\n' + line + "\n")
    with pytest.raises(UserError, match=message):
        read_predictions(path)


def test_parquet_without_code_column_or_with_null_code_fails(tmp_path):
    path = tmp_path / "p.parquet"
    pq.write_table(pa.table({"sample_id": ["a"], "text": ["x"]}), path)
    with pytest.raises(UserError, match="missing column"):
        read_predictions(path)
    pq.write_table(pa.table({"sample_id": ["a", "b"], "code": ["x", None]}), path)
    with pytest.raises(UserError, match="row 2: code must be a string"):
        read_predictions(path)


def test_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="no such predictions file"):
        read_predictions(tmp_path / "nope.jsonl")
