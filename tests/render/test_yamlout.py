"""The fast YAML writer reads back, with a real YAML parser, as exactly what was written."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.render.yamlout import dump

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


def reference_dump(document: Any) -> str:
    """The writer as first written (``json.dumps`` per string, lists copied), for equivalence."""
    printable = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group(0))
        return "\ufffd" if 0xD800 <= code <= 0xDFFF else f"\\u{code:04x}"

    def string(text: str) -> str:
        return printable.sub(escape, json.dumps(text, ensure_ascii=False))

    def key(value: Any) -> str:
        text = str(value)
        plain = re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.\-]*", text)
        reserved = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "nan", "inf"}
        return text if plain and text.lower() not in reserved else string(text)

    def scalar(value: Any) -> str:
        if value is None or isinstance(value, bool):
            return {None: "null", True: "true", False: "false"}[value]
        if isinstance(value, str):
            return string(value)
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            mantissa, exponent, power = json.dumps(value).partition("e")
            return (
                f"{mantissa}.0e{power}" if exponent and "." not in mantissa else json.dumps(value)
            )
        if isinstance(value, dict):
            return "{}"
        return "[]" if isinstance(value, list | tuple) else string(str(value))

    def emit(value: Any, indent: int, out: list[str]) -> None:
        pad = " " * indent
        if isinstance(value, dict):
            for k in sorted(value, key=str):
                item = value[k]
                if isinstance(item, dict | list | tuple) and item:
                    out.append(f"{pad}{key(k)}:")
                    emit(item if isinstance(item, dict) else list(item), indent + 2, out)
                else:
                    out.append(f"{pad}{key(k)}: {scalar(item)}")
            return
        for item in value:
            if isinstance(item, dict | list | tuple) and item:
                nested: list[str] = []
                emit(item if isinstance(item, dict) else list(item), indent + 2, nested)
                nested[0] = f"{pad}- {nested[0][indent + 2 :]}"
                out.extend(nested)
            else:
                out.append(f"{pad}- {scalar(item)}")

    if not isinstance(document, dict | list | tuple) or not document:
        return scalar(document) + "\n"
    out: list[str] = []
    emit(document, 0, out)
    return "\n".join(out) + "\n"


any_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(),  # lone surrogates included
        st.just("\x7f\x85\u2028\ufeff"),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.one_of(st.text(max_size=6), st.integers(), st.booleans()), inner),
    ),
    max_leaves=30,
)


@settings(max_examples=500, deadline=None)
@given(any_values)
def test_writes_what_the_first_writer_wrote(value: Any) -> None:
    assert dump(value) == reference_dump(value)
