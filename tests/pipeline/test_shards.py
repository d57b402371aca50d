"""A shard table built column by column, with values copied from previous rows as Arrow data, is the
table of the same records built from Python: same values, same Parquet bytes."""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twinforge.families import FROM_PREVIOUS, Previous
from twinforge.pipeline import shards
from twinforge.pipeline.atomic import ROW_GROUP_SIZE, parquet_options
from twinforge.pipeline.shards import assemble
from twinforge.schemas.image import IMAGE_TYPE

SCHEMA = pa.schema([("text", pa.string()), ("count", pa.int32()), ("hashes", pa.list_(pa.uint64())),
                    ("image", IMAGE_TYPE)])
ROW = st.fixed_dictionaries({
    "text": st.text(max_size=8), "count": st.integers(-5, 5),
    "hashes": st.lists(st.integers(0, 2**64 - 1), max_size=3),
    "image": st.none() | st.builds(lambda data, name: {"bytes": data, "path": name}, st.binary(max_size=6),
                                   st.text(max_size=4)),
})


def parquet(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, row_group_size=ROW_GROUP_SIZE, **parquet_options(table.schema))
    return buffer.getvalue()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(ROW, ROW, st.lists(st.booleans(), min_size=4, max_size=4)), min_size=1, max_size=12),
       st.booleans(), st.randoms())
def test_copied_values_give_the_table_of_the_same_records(rows, shuffle, random):
    """Old rows in order or shuffled, read from one or two files (chunks); per value, copy or fresh."""
    indices = [100 + i for i in range(len(rows))]
    order = list(range(len(rows)))
    if shuffle:
        random.shuffle(order)
    split = random.randint(0, len(rows))
    old = pa.concat_tables([pa.Table.from_pylist([rows[i][0] for i in part], schema=SCHEMA)
                            for part in (order[:split], order[split:])])
    previous = Previous(provenance={}, recipe={}, table=old, rows={indices[i]: order.index(i) for i in range(len(rows))})
    records, expected = [], []
    for (before, fresh, copy) in rows:
        records.append({name: FROM_PREVIOUS if keep else fresh[name] for name, keep in zip(SCHEMA.names, copy)})
        expected.append({name: before[name] if keep else fresh[name] for name, keep in zip(SCHEMA.names, copy)})

    table = assemble(records, indices, SCHEMA, previous)
    wanted = pa.Table.from_pylist(expected, schema=SCHEMA)
    assert table.equals(wanted)
    assert parquet(table) == parquet(wanted)


def test_progress_is_sent_in_sums_at_most_once_per_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([0.0, 0.1, 0.2, 0.3, 0.6, 0.65, 0.9])
    monkeypatch.setattr(shards.time, "monotonic", lambda: next(clock))
    sent: list[int] = []
    progress = shards.throttled(sent.append, every_s=0.25)  # created at t = 0
    for _ in range(6):
        progress(1)  # at t = 0.1, 0.2, 0.3, 0.6, 0.65, 0.9
    assert sent == [3, 1, 2]
