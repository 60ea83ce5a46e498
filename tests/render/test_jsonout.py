"""``pretty_json`` writes exactly what ``json.dumps(indent=2, sort_keys=True, ...)`` writes."""

from __future__ import annotations

import dataclasses
import enum
import json
import math
from collections import OrderedDict
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.render.jsonout import pretty_json

#: Strings with what the encoders might escape differently: controls, DEL, C1, U+2028,
#: BOM, astral characters, quotes, backslashes and lone surrogates.
_TRICKY = '\x00\x08\t\n\x0b\x0c\r\x1f\x20"\\/\x7f\x80\x85\x9f\xa0é\u2028\u2029\ufeff\uffff'
_ASTRAL = "\U00010000\U0001f600\U0010ffff"
texts = st.text(
    alphabet=st.one_of(
        st.sampled_from(_TRICKY + _ASTRAL + "\ud800\udfff"),
        st.characters(),
    ),
    max_size=12,
)
clean_texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
numbers = st.one_of(
    st.integers(),
    st.integers(min_value=-(2**63) - 2, max_value=-(2**63) + 2),
    st.integers(min_value=2**64 - 2, max_value=2**64 + 2),
    st.floats(),
    st.sampled_from([1e16, 1e-5, 1e-4, 0.0001, 123456789012345678.0, -0.0, 5e-324, 1e308]),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(texts, inner, max_size=4),
        # One key type per dict: json.dumps cannot sort int keys among str keys.
        st.dictionaries(st.integers(), inner, max_size=3),
        st.dictionaries(st.floats(), inner, max_size=3),
        st.dictionaries(st.booleans() | st.none(), inner, max_size=1),
    )


json_like = st.recursive(scalars, _containers, max_leaves=30)
plain = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**63), max_value=2**64 - 1),
        clean_texts,
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(clean_texts, inner, max_size=4)
    ),
    max_leaves=30,
)


def reference(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def outcome(dump: Any, value: Any) -> tuple[str, str]:
    try:
        return "ok", dump(value)
    except (TypeError, ValueError, RecursionError) as error:
        return "error", type(error).__name__


@settings(max_examples=1000)
@given(json_like)
def test_same_as_json_dumps(value: Any) -> None:
    assert outcome(pretty_json, value) == outcome(reference, value)


@settings(max_examples=300)
@given(plain)
def test_plain_values(value: Any) -> None:
    """Values orjson writes itself (json.dumps is not called) keep the same text."""
    expected = reference(value)
    with mock.patch("extractor.render.jsonout.json.dumps", side_effect=AssertionError("fell back")):
        assert pretty_json(value) == expected


def test_every_character() -> None:
    """All code points but surrogates, as a value and as sorted keys."""
    characters = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    value = {"text": "".join(characters), "keys": dict.fromkeys(characters[::97], 0)}
    assert pretty_json(value) == reference(value)


@pytest.mark.parametrize(
    "value",
    [
        [],
        {},
        [[], {}, [[]], {"a": {}}],
        {"b": 1, "a": [1, 2], "é": None, "\U0001f600": True, "\uffff": False, "Z": "z"},
        [1e16, 1e-05, 1.0, math.nan, math.inf, -math.inf],
        2**64,
        -(2**63) - 1,
        "\ud800",
        {"\udfff": 1},
        {1: "a", 2: "b"},
        {1.5: "a"},
        {True: 1},
        {None: 1},
        {1: "a", "b": 2},
        (1, (2, [3])),
        OrderedDict(b=1, a=2),
        enum.IntEnum("Number", "ONE TWO").TWO,
        [enum.Enum("Colour", "RED").RED],
        dataclasses.make_dataclass("Point", ["x"])(1),
    ],
)
def test_edge_cases(value: Any) -> None:
    assert outcome(pretty_json, value) == outcome(reference, value)


def test_deep_nesting() -> None:
    """Deeper than orjson goes (254): json.dumps writes it."""
    value: Any = "leaf"
    for _ in range(300):
        value = [value]
    assert pretty_json(value) == reference(value)


def test_cycle() -> None:
    value: list[Any] = []
    value.append(value)
    assert outcome(pretty_json, value) == ("error", "ValueError")
