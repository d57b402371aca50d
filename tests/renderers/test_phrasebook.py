"""The phrasebook's plain-join fast path renders every phrasing exactly as Jinja does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import meta
from jinja2.exceptions import UndefinedError

from twinforge.renderers.phrasebook import SimplePhrasing, _environment, load_phrasebook, render_pieces

BOOK = load_phrasebook()
PHRASINGS = [(topic, index) for topic in BOOK.topics() for index in range(BOOK.count(topic))]
VALUE = st.one_of(st.text(alphabet="aZ 1é\n-{}", max_size=6), st.sampled_from(["", "s", "es", "are"]),
                  st.integers(-3, 30))


def _names(topic: str, index: int) -> list[str]:
    return sorted(meta.find_undeclared_variables(_environment().parse(BOOK.source(topic, index))))


def test_nearly_every_phrasing_takes_the_fast_path():
    """Only phrasings with ``{% if %}`` or an expression beyond a name test need Jinja."""
    slow = [BOOK.source(t, i) for t, i in PHRASINGS if not BOOK.is_simple(t, i)]
    assert len(slow) < 0.02 * len(PHRASINGS), slow


def _outcome(render, topic: str, index: int, values: dict) -> str:
    try:
        return render(topic, index, **values)
    except Exception as error:  # noqa: BLE001 - both paths must fail alike, whatever the error
        return f"raised {type(error).__name__}"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([p for p in PHRASINGS if BOOK.is_simple(*p)]), st.data())
def test_the_fast_path_renders_what_jinja_renders(phrasing, data):
    """Texts, numbers, empty values and line breaks: the same string, or the same error."""
    topic, index = phrasing
    values = {name: data.draw(VALUE, label=name) for name in _names(topic, index)}
    assert _outcome(BOOK.render, topic, index, values) == _outcome(BOOK.render_jinja, topic, index, values)


@pytest.mark.parametrize("topic,index", [p for p in PHRASINGS if BOOK.is_simple(*p) and _names(*p)][:50])
def test_a_missing_value_fails_as_in_jinja(topic, index):
    values = {name: "x" for name in _names(topic, index)[1:]}
    with pytest.raises(UndefinedError):
        BOOK.render(topic, index, **values)
    with pytest.raises(UndefinedError):
        BOOK.render_jinja(topic, index, **values)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([p for p in PHRASINGS if BOOK.is_simple(*p)]), st.data())
def test_the_format_map_renders_what_the_plain_join_renders(phrasing, data):
    """``SimplePhrasing.render`` against ``render_pieces``: the same string, or the same error."""
    topic, index = phrasing
    pieces = BOOK.pieces(topic, index)
    values = {name: data.draw(VALUE, label=name) for name in _names(topic, index)}
    fast = _outcome(lambda _t, _i, **v: SimplePhrasing(pieces).render(v), topic, index, values)
    plain = _outcome(lambda _t, _i, **v: render_pieces(pieces, v), topic, index, values)
    assert fast == plain
