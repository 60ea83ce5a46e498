"""The fast YAML writer reads back, with a real YAML parser, as exactly what was written."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.yamlout import dump

json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**63), max_value=2**63),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(alphabet=st.characters(blacklist_categories=("Cs",))),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=25,
)


def load(text: str) -> Any:
    return yaml.load(text, Loader=yaml.CSafeLoader)


def test_known_document() -> None:
    document = {
        "openapi": "3.1.0",
        "paths": {"/users/{id}": {"get": {"tags": ["users"], "deprecated": True}}},
        "yes": "no",
        "nested": [[1, 2], {"a": None}, [], {}],
        "text": 'line one\nline "two" é \x85 \ufeff',
    }
    text = dump(document)
    assert load(text) == document
    assert text.startswith("nested:\n  - - 1\n    - 2\n  - a: null\n  - []\n  - {}\n")
    assert '"yes": "no"' in text
    assert '"/users/{id}":' in text


def test_lone_surrogates_are_escaped() -> None:
    assert load(dump({"a": "x\ud800y"})) == {"a": "x\ufffdy"}


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_round_trip(value: Any) -> None:
    assert load(dump(value)) == value
