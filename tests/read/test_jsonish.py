"""Tests of extractor.read.jsonish: strict fast path, every repair, classification, robustness."""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.read.jsonish import (
    REPAIR_KINDS,
    BodyResult,
    _tolerant,
    looks_like_json,
    parse_body,
    parse_lenient_object,
)

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def kinds(result: BodyResult) -> list[tuple[str, int | None]]:
    """The (kind, line) pairs of a result's repairs, in order."""
    return [(r.kind, r.line) for r in result.repairs]


# --- fast path ---------------------------------------------------------------------------


def test_valid_json_parses_strictly_with_no_repairs() -> None:
    text = '{\n  "a": [1, 2.5, "x"],\n  "b": {"c": null, "d": true}\n}'
    result = parse_body(text, 40)
    assert result == BodyResult(
        kind="json", value={"a": [1, 2.5, "x"], "b": {"c": None, "d": True}}, repairs=[]
    )


def test_looks_like_json() -> None:
    assert looks_like_json('  \n{"a": 1}')
    assert looks_like_json("\ufeff[1]")
    assert not looks_like_json('"a"')
    assert not looks_like_json("893")
    assert not looks_like_json("")
    assert not looks_like_json("GET /me")


def test_nan_is_not_strict_json() -> None:
    result = parse_body('{"a": NaN}')
    assert result.kind == "json"
    assert result.value == {"a": "NaN"}
    assert kinds(result) == [("unquoted-value", 1)]


# --- each repair kind --------------------------------------------------------------------


def test_trailing_comma_in_object_and_array() -> None:
    result = parse_body('{\n  "a": [1, 2,],\n  "b": 1,\n}', 10)
    assert result.value == {"a": [1, 2], "b": 1}
    assert kinds(result) == [("trailing-comma", 11), ("trailing-comma", 12)]


def test_extra_comma_between_items() -> None:
    result = parse_body("[1,,2]", 3)
    assert result.value == [1, 2]
    assert kinds(result) == [("trailing-comma", 3)]
    assert result.repairs[0].message == "removed an extra comma"


def test_line_comment() -> None:
    text = '{\n  "isMuted": true, // will be set to true on mute\n  "isInLobby": false\n}'
    result = parse_body(text, 100)
    assert result.value == {"isMuted": True, "isInLobby": False}
    assert kinds(result) == [("comment", 101)]


def test_line_comment_after_colon() -> None:
    text = '{\n  "3a73": // client-generated GUID\n  {\n    "title": "x"\n  }\n}'
    result = parse_body(text)
    assert result.value == {"3a73": {"title": "x"}}
    assert kinds(result) == [("comment", 2)]


def test_block_comment() -> None:
    text = '{\n  "webDavUrl": "string",\n\n  /* relationships */\n  "children": [{}]\n}'
    result = parse_body(text, 5)
    assert result.value == {"webDavUrl": "string", "children": [{}]}
    assert kinds(result) == [("comment", 8)]


def test_comment_markers_inside_strings_are_text() -> None:
    result = parse_body('{"url": "https://x.com/a/*b*/", "n": 1,}')
    assert result.value == {"url": "https://x.com/a/*b*/", "n": 1}
    assert kinds(result) == [("trailing-comma", 1)]


def test_unclosed_block_comment_runs_to_the_end() -> None:
    result = parse_body('{"a": 1 /* cut off\n')
    assert result.value == {"a": 1}
    assert kinds(result) == [("comment", 1), ("truncated", 2)]


def test_single_quotes() -> None:
    text = "[\n  {\n    'target':'#para-id',\n    'content':'<img src=\"x\" />'\n  }\n]"
    result = parse_body(text)
    assert result.value == [{"target": "#para-id", "content": '<img src="x" />'}]
    assert kinds(result) == [("single-quotes", 3), ("single-quotes", 4)]


def test_single_quoted_value_may_hold_double_quotes_and_escaped_apostrophe() -> None:
    result = parse_body('{"rule": \'user.department -eq "Marketing"\', "b": \'it\\\'s\'}')
    assert result.value == {"rule": 'user.department -eq "Marketing"', "b": "it's"}
    assert kinds(result) == [("single-quotes", 1)]


def test_html_quot_entity_in_structure() -> None:
    text = '{\n  "shareId": "!LKj1",\n  "expirationDateTime&quot;: &quot;0001-01-01T00:00:00Z"\n}'
    result = parse_body(text, 20)
    assert result.value == {"shareId": "!LKj1", "expirationDateTime": "0001-01-01T00:00:00Z"}
    assert kinds(result) == [("html-entity", 22)]


def test_html_quot_entity_as_value_quotes() -> None:
    result = parse_body('{"a": &quot;x&quot;, "b": &quot;"}')
    assert result.value == {"a": "x", "b": ""}
    assert kinds(result) == [("html-entity", 1)]


def test_html_entities_in_unquoted_value_are_decoded() -> None:
    result = parse_body('{"a": &lt;bytes&gt;}')
    assert result.value == {"a": "<bytes>"}
    assert kinds(result) == [("html-entity", 1), ("unquoted-value", 1)]


def test_entities_inside_a_fine_string_are_left_alone() -> None:
    # The body fails strictly only for its trailing comma; the string is not cut at &quot;:
    result = parse_body('{"c": "<a data=&quot;k&quot;: 1>", "d": "&lt;p&gt;",}')
    assert result.value == {"c": "<a data=&quot;k&quot;: 1>", "d": "&lt;p&gt;"}
    assert kinds(result) == [("trailing-comma", 1)]


def test_raw_newline_inside_string_is_kept() -> None:
    text = '{\n  "@odata.id": "https://g/messages\n(\'AAMk\')",\n  "x": 1\n}'
    result = parse_body(text, 7)
    assert result.value == {"@odata.id": "https://g/messages\n('AAMk')", "x": 1}
    assert kinds(result) == [("raw-newline-in-string", 8)]


def test_raw_newline_inside_key_is_trimmed() -> None:
    text = '{\n  "max":1440,"\n  isUsableOnce":false\n}'
    result = parse_body(text)
    assert result.value == {"max": 1440, "isUsableOnce": False}
    assert kinds(result) == [("raw-newline-in-string", 2)]


def test_control_char_inside_string() -> None:
    result = parse_body('{"a": "x\ty", "b": "\x01"}')
    assert result.value == {"a": "x\ty", "b": "\x01"}
    assert kinds(result) == [("control-char-in-string", 1)]


def test_missing_comma_between_members() -> None:
    text = '{\n  "id": "492c"\n  "accountEnabled": true,\n  "b": {}\n  "c": 1\n}'
    result = parse_body(text, 66)
    assert result.value == {"id": "492c", "accountEnabled": True, "b": {}, "c": 1}
    assert kinds(result) == [("missing-comma", 68), ("missing-comma", 70)]


def test_missing_comma_between_items() -> None:
    result = parse_body('[\n  {"a": 1}\n  {"b": 2}\n  "x" 3\n]')
    assert result.value == [{"a": 1}, {"b": 2}, "x", 3]
    assert kinds(result) == [("missing-comma", 3), ("missing-comma", 4)]


def test_ellipsis_as_array_item() -> None:
    text = '{\n  "value": [\n    {"id": 1},\n    ...\n  ]\n}'
    result = parse_body(text, 10)
    assert result.value == {"value": [{"id": 1}]}
    assert kinds(result) == [("ellipsis", 13)]


def test_ellipsis_forms() -> None:
    assert parse_body('["x", …]').value == ["x"]
    assert parse_body('{"directories": [..], "rules": [..]}').value == {
        "directories": [],
        "rules": [],
    }
    assert parse_body('{"a": 1, ...}').value == {"a": 1}
    assert parse_body('{"a": 1\n  ...\n}').value == {"a": 1}
    assert parse_body("[1, ..., 2]").value == [1, 2]


def test_ellipsis_as_a_value_drops_the_member() -> None:
    result = parse_body('{\n  "a": ...,\n  "b": 2\n}')
    assert result.value == {"b": 2}
    assert kinds(result) == [("ellipsis", 2)]
    assert "'a'" in result.repairs[0].message


def test_ellipsis_line_in_object_makes_no_comma_complaints() -> None:
    result = parse_body('{\n  "a": 1,\n  ...\n}')
    assert result.value == {"a": 1}
    assert kinds(result) == [("ellipsis", 3)]


def test_unquoted_keys() -> None:
    text = '{\n  credentials: [\n    { key: "UserName", value : "u@d.com" }\n  ]\n}'
    result = parse_body(text)
    assert result.value == {"credentials": [{"key": "UserName", "value": "u@d.com"}]}
    assert kinds(result) == [("unquoted-key", 2), ("unquoted-key", 3)]


def test_python_literals() -> None:
    result = parse_body('{"a": True,\n "b": False,\n "c": None}')
    assert result.value == {"a": True, "b": False, "c": None}
    assert kinds(result) == [("python-literal", 1), ("python-literal", 2), ("python-literal", 3)]


def test_truncated_body_is_closed() -> None:
    result = parse_body('{\n  "a": [1, 2\n', 5)
    assert result.value == {"a": [1, 2]}
    assert kinds(result) == [("truncated", 7)]
    assert result.repairs[0].message == "closed 2 bracket(s) left open at the end"


def test_truncated_inside_string_and_after_colon() -> None:
    assert parse_body('{"a": "abc').value == {"a": "abc"}
    assert parse_body('{"a": 1, "b": ').value == {"a": 1}
    assert parse_body('{"a": 1, "b"').value == {"a": 1}
    assert kinds(parse_body('{"a": "abc')) == [("truncated", 1)]


def test_bom() -> None:
    result = parse_body('\ufeff{"a": 1}', 9)
    assert result.value == {"a": 1}
    assert kinds(result) == [("bom", 9)]


def test_bom_plus_other_repairs() -> None:
    result = parse_body('\ufeff{"a": 1,}', 9)
    assert result.value == {"a": 1}
    assert kinds(result) == [("bom", 9), ("trailing-comma", 9)]


def test_trailing_garbage() -> None:
    text = '{\n  "@odata.id": "x"\n}\n\n### Response\n\nThe following is an example.\n'
    result = parse_body(text, 70)
    assert result.value == {"@odata.id": "x"}
    assert kinds(result) == [("trailing-garbage", 74)]
    assert "### Response" in result.repairs[0].message


def test_second_document_is_trailing_garbage() -> None:
    result = parse_body('{"a": 1}\n\nHTTP/1.1 201 No Content\n')
    assert result.value == {"a": 1}
    assert kinds(result) == [("trailing-garbage", 3)]


# --- repairs beyond the documented kinds ---------------------------------------------------


def test_unquoted_values() -> None:
    text = '{\n "d": 2018-04-01T12:39:16Z,\n "t": 00:00:00,\n "x": NAV.PostalAddress\n}'
    result = parse_body(text)
    assert result.value == {"d": "2018-04-01T12:39:16Z", "t": "00:00:00", "x": "NAV.PostalAddress"}
    assert kinds(result) == [("unquoted-value", 2), ("unquoted-value", 3), ("unquoted-value", 4)]


def test_value_missing_its_opening_quote() -> None:
    result = parse_body('{"description": translationPreferences resource", "k": ""}')
    assert result.value == {"description": "translationPreferences resource", "k": ""}
    assert result.repairs[0].message == "added the missing opening quote of a string"


def test_number_format() -> None:
    result = parse_body('{"notAfter": 0000000000, "b": +1, "c": .5}')
    assert result.value == {"notAfter": 0, "b": 1, "c": 0.5}
    assert kinds(result) == [("number-format", 1)]


def test_non_finite_numbers_are_kept_as_written() -> None:
    """1e999 is valid JSON no float holds: it became inf, then null in the output."""
    result = parse_body('{"big": 1e999, "small": -1E+999, "fine": 2.5e3}')
    assert result.value == {"big": "1e999", "small": "-1E+999", "fine": 2500.0}
    assert kinds(result) == [("number-format", 1)]
    assert "not a finite number" in result.repairs[0].message
    assert parse_body("[+1e999]").value != [float("inf")]


def test_missing_value_drops_member() -> None:
    result = parse_body('{"a": , "b": 1}')
    assert result.value == {"b": 1}
    assert kinds(result) == [("missing-value", 1)]


def test_object_closed_early_is_reopened() -> None:
    text = '{\n  "isUsableOnce": "Boolean"\n},\n"includeTargets": [1]\n}'
    result = parse_body(text)
    assert result.value == {"isUsableOnce": "Boolean", "includeTargets": [1]}
    assert kinds(result) == [("bracket", 3)]


def test_mismatched_and_stray_closers() -> None:
    result = parse_body('{"a": [1, 2}\n, "b": 3}')
    assert result.value == {"a": [1, 2], "b": 3}
    assert kinds(result) == [("bracket", 1), ("bracket", 2)]
    assert result.repairs[0].message == "inserted the missing ']' before '}'"
    assert result.repairs[1].message == "ignored a '}' that closed the object early"
    result = parse_body('{"a": 1]}')
    assert result.value == {"a": 1}
    assert kinds(result) == [("bracket", 1)]


def test_escaped_quotes_body() -> None:
    result = parse_body('{\\"mpUri\\":\\"net.tcp://bot\\",\\"ctx\\":[\\"14\\"],\\"n\\":null}')
    assert result.value == {"mpUri": "net.tcp://bot", "ctx": ["14"], "n": None}
    assert kinds(result) == [("escaped-quotes", 1)]


def test_stray_doubled_quote() -> None:
    result = parse_body('{\n  "code": ""internalServerErrorUncategorized",\n  "m": "x"\n}')
    assert result.value == {"code": "internalServerErrorUncategorized", "m": "x"}
    assert kinds(result) == [("stray-quote", 2)]


def test_unclosed_string_ends_at_line_end_when_a_member_follows() -> None:
    text = '{\n  "description": "User delete apps,\n  "keywords": "",\n  "tocPath": ""\n}'
    result = parse_body(text, 100)
    assert result.value == {"description": "User delete apps", "keywords": "", "tocPath": ""}
    assert kinds(result) == [("unclosed-string", 101), ("missing-comma", 102)]


def test_multiline_string_is_not_mistaken_for_an_unclosed_one() -> None:
    text = '{"definition": ["{\\"A\\":{\n  \\"V\\":1\n  ]\n}"\n]}'
    result = parse_body(text)
    assert result.value == {"definition": ['{"A":{\n  "V":1\n  ]\n}']}
    assert [k for k, _ in kinds(result)] == ["raw-newline-in-string"] * 3


def test_invalid_escape_keeps_backslash() -> None:
    result = parse_body('{"p": "C:\\path", "q": 1,}')
    assert result.value == {"p": "C:\\path", "q": 1}
    assert kinds(result) == [("invalid-escape", 1), ("trailing-comma", 1)]


def test_unusual_whitespace_between_tokens() -> None:
    result = parse_body('{\n  "a": "x",\u202f\u202f\n  "b": 1\n}')
    assert result.value == {"a": "x", "b": 1}
    assert kinds(result) == [("whitespace", 2)]


def test_every_emitted_kind_is_listed() -> None:
    assert len(set(REPAIR_KINDS)) == len(REPAIR_KINDS)
    assert REPAIR_KINDS[:13] == (
        "trailing-comma",
        "comment",
        "single-quotes",
        "html-entity",
        "raw-newline-in-string",
        "control-char-in-string",
        "missing-comma",
        "ellipsis",
        "unquoted-key",
        "python-literal",
        "truncated",
        "bom",
        "trailing-garbage",
    )


def test_repairs_are_one_per_kind_and_line() -> None:
    result = parse_body("{'a': 'b', 'c': 'd'}")
    assert kinds(result) == [("single-quotes", 1)]


def test_repairs_of_one_kind_are_capped_with_a_summary() -> None:
    text = "[\n" + "1, // c\n" * 200 + "2]"
    result = parse_body(text)
    assert result.value == [1] * 200 + [2]
    assert len(result.repairs) == 51
    assert kinds(result)[:2] == [("comment", 2), ("comment", 3)]
    assert kinds(result)[-1] == ("comment", 52)
    assert result.repairs[-1].message == "and 150 more from this line on"


def test_several_faults_at_once() -> None:
    text = (
        "{\n"
        "  // generated\n"
        "  'name': 'x',\n"
        "  count: 3\n"
        '  "tags": ["a", "b",],\n'
        '  "ok": True,\n'
        '  "more": [\n'
        "    ...\n"
    )
    result = parse_body(text, 50)
    assert result.value == {"name": "x", "count": 3, "tags": ["a", "b"], "ok": True, "more": []}
    assert kinds(result) == [
        ("comment", 51),
        ("single-quotes", 52),
        ("unquoted-key", 53),
        ("missing-comma", 54),
        ("trailing-comma", 54),
        ("python-literal", 55),
        ("ellipsis", 57),
        ("truncated", 58),
    ]


# --- failures ----------------------------------------------------------------------------


def test_unparsable_json_is_text_with_an_error() -> None:
    text = '{\n  "size: : null,\n  "color" : null\n}'
    result = parse_body(text, 1176)
    assert result.kind == "text"
    assert result.value is None
    assert result.repairs == []
    assert result.error is not None and result.error.startswith("unparsable JSON")
    assert result.error_line == 1178


def test_key_position_garbage_fails() -> None:
    result = parse_body('{ "a": 1, {1} }', 4)
    assert (result.kind, result.error_line) == ("text", 4)
    assert result.error == "unparsable JSON: expected a property name (line 4)"


# --- classification ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("", "empty"),
        ("  \n\t\n", "empty"),
        ("Report Refresh Date,Send,Receive,Read,Report Date,Report Period", "csv"),
        ("Name,Count\nalpha,1\nbeta,2\n", "csv"),
        ('Name,Note\n"a, b",1\nc,2\n', "csv"),
        (
            "RnJvbTogQWxleCBXaWxiZXIgPEFsZXhXQGNvbnRvc28uY29tPgpUbzogTWVnYW4gQm93ZW4gPE1l\n"
            "ZGFuQkBjb250b3NvLmNvbT4KU3ViamVjdDogSW50ZXJuYWwgUmVzdW1lIFN1Ym1pc3Npb246IFNh\n",
            "base64",
        ),
        ("UmVjZWl2ZWQ6IGZyb20gY29udG9zby5jb20gKDEwLjE5NC4yNDEuMTk3KSBieSAK...", "base64"),
        (
            "--batch_36522ad7\nContent-Type: application/http\n\nGET /me HTTP/1.1\n\n"
            "--batch_36522ad7--\n",
            "multipart",
        ),
        (
            '--MyPartBoundary198374\nContent-Disposition:form-data; name="Presentation"\n'
            "Content-Type:text/html\n\n<html></html>\n",
            "multipart",
        ),
        ("MIME-Version: 1.0\nContent-Type: text/plain\n\nhello\n", "mime"),
        (
            "Received: from contoso.com (10.194.241.197) by\ncontoso.com with SMTP\n"
            "From: Alex <a@contoso.com>\nTo: Megan <m@contoso.com>\nSubject: Hi\n\nbody",
            "mime",
        ),
        ('<?xml version="1.0" encoding="utf-8"?>\n<a/>', "xml"),
        ('<TrustFrameworkPolicy xmlns="x">\n  <b>1</b>\n</TrustFrameworkPolicy>', "xml"),
        ("<bytes of the file>", "placeholder"),
        ("<bytes 0-25 of the file>", "placeholder"),
        ("{binary data}", "placeholder"),
        ("[Binary data]", "placeholder"),
        ("{Raw bytes of the file}", "placeholder"),
        ("[Zip file containing a Teams app package]", "placeholder"),
        ("(application/octet-stream of size 160696 bytes)", "placeholder"),
        ("...binary data...", "placeholder"),
        ("<Image>", "placeholder"),
        ("\x00\x01\x02PNG\x00", "binary"),
        ("\x01\x02\x03\x04\x05\x06abc", "binary"),
        ("The contents of the file goes here.", "text"),
        ("893", "text"),
        ("GET /users/{id | userPrincipalName}/memberOf", "text"),
        ("GET /reports/getJobs(groupId=g,startDateTime=s,endDateTime=e)", "text"),
        ('"@odata.type": "#x",\n"id": "y",\n"z": null', "text"),
        ("{Vendor}/{Provider}/{StatusCode}/{LatencyInMs}", "text"),
    ],
)
def test_classification(text: str, kind: str) -> None:
    assert parse_body(text) == BodyResult(kind=kind)  # type: ignore[arg-type]


# --- annotations -------------------------------------------------------------------------


def test_lenient_object_whole_comment() -> None:
    text = '<!-- { "blockType": "request", "name": "call-redirect", } -->'
    result = parse_lenient_object(text, 12)
    assert result.kind == "json"
    assert result.value == {"blockType": "request", "name": "call-redirect"}
    assert kinds(result) == [("trailing-comma", 12)]


def test_lenient_object_multiline_faults() -> None:
    text = (
        "<!-- {\n"
        '  "type": "#page.annotation",\n'
        '  "suppressions": [\n'
        '    "Warning: /a.md:\n'
        '      Found potential enums"\n'
        "  ],\n"
        '  "tocPath&quot;: &quot;Bundles/List"\n'
        "  isCollection: true\n"
        "}\n"
        "-->"
    )
    result = parse_lenient_object(text, 200)
    assert result.value == {
        "type": "#page.annotation",
        "suppressions": ["Warning: /a.md:\n      Found potential enums"],
        "tocPath": "Bundles/List",
        "isCollection": True,
    }
    assert kinds(result) == [
        ("raw-newline-in-string", 203),
        ("html-entity", 206),
        ("unquoted-key", 207),
        ("missing-comma", 207),
    ]


def test_lenient_object_strict_input() -> None:
    result = parse_lenient_object('{ "blockType": "ignored" }')
    assert result == BodyResult(kind="json", value={"blockType": "ignored"})


def test_lenient_object_rejects_non_objects() -> None:
    result = parse_lenient_object("<!-- [1, 2] -->", 3)
    assert (result.kind, result.value, result.error_line) == ("text", None, 3)
    assert result.error == "the annotation is not a JSON object"
    result = parse_lenient_object("<!-- just a note -->", 3)
    assert result.kind == "text" and result.error is not None
    result = parse_lenient_object('{ "a": {x} }', 8)
    assert result.kind == "text" and result.error_line == 8


# --- properties --------------------------------------------------------------------------

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=30,
)
_CONTAINERS = st.lists(_JSON, max_size=5) | st.dictionaries(st.text(max_size=8), _JSON, max_size=5)
_TRICKY = [*"{}[],:\"'\\/*.\n\t &;#", "&quot;", "//", "/*", "...", "True", "\u202f", "…"]


def _valid_text(value: Any, indent: int | None, ascii_only: bool) -> str:
    return json.dumps(value, indent=indent, ensure_ascii=ascii_only)


@given(value=_CONTAINERS, indent=st.sampled_from([None, 0, 2]), ascii_only=st.booleans())
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_valid_json_round_trips_with_zero_repairs(
    value: Any, indent: int | None, ascii_only: bool
) -> None:
    text = _valid_text(value, indent, ascii_only)
    result = parse_body(text)
    assert result.kind == "json"
    assert result.repairs == []
    assert result.value == json.loads(text)


@given(value=_CONTAINERS, indent=st.sampled_from([None, 2]), ascii_only=st.booleans())
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_tolerant_parser_agrees_with_json_on_valid_input(
    value: Any, indent: int | None, ascii_only: bool
) -> None:
    """The slow path must read valid JSON exactly as json does (deep bodies take it)."""
    text = _valid_text(value, indent, ascii_only)
    result = _tolerant(text, 1, 0)
    assert result.kind == "json"
    assert result.repairs == []
    assert result.value == json.loads(text)


def _check_invariants(result: BodyResult, text: str, first_line: int) -> None:
    if result.kind == "json":
        assert result.error is None
        json.dumps(result.value)  # a plain JSON value
    else:
        assert result.value is None
        assert result.repairs == []
    last_line = first_line + text.count("\n")
    for repair in result.repairs:
        assert repair.kind in REPAIR_KINDS
        assert repair.line is not None and first_line <= repair.line <= last_line
    if result.error is not None:
        assert result.error_line is not None
        assert first_line <= result.error_line <= last_line


@given(text=st.text(max_size=200), first_line=st.integers(min_value=1, max_value=5000))
@settings(max_examples=500)
def test_random_text_never_raises(text: str, first_line: int) -> None:
    _check_invariants(parse_body(text, first_line), text, first_line)
    _check_invariants(parse_lenient_object(text, first_line), text, first_line)


@given(text=st.lists(st.sampled_from([*_TRICKY, "a", "1", '"x"']), max_size=60).map("".join))
@settings(max_examples=500)
def test_tricky_token_soup_never_raises(text: str) -> None:
    for candidate in (text, "{" + text, "[" + text):
        _check_invariants(parse_body(candidate, 3), candidate, 3)


@given(
    value=_CONTAINERS,
    edits=st.lists(
        st.tuples(
            st.sampled_from(["delete", "insert", "duplicate"]),
            st.floats(min_value=0, max_value=1),
            st.sampled_from(_TRICKY),
        ),
        min_size=1,
        max_size=6,
    ),
)
@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
def test_mutated_json_never_raises(value: Any, edits: list[tuple[str, float, str]]) -> None:
    text = json.dumps(value, indent=2)
    for op, where, piece in edits:
        at = int(where * len(text))
        if op == "delete":
            text = text[:at] + text[at + 1 :]
        elif op == "insert":
            text = text[:at] + piece + text[at:]
        else:
            text = text[:at] + text[at : at + 5] + text[at:]
    _check_invariants(parse_body(text, 10), text, 10)


# --- pathological inputs -----------------------------------------------------------------


def _timed(text: str) -> tuple[BodyResult, float]:
    start = time.process_time()
    result = parse_body(text)
    return result, time.process_time() - start


def test_100k_open_brackets() -> None:
    result, seconds = _timed("[" * 100_000)
    assert seconds < 3.0
    assert result.kind == "json"
    assert kinds(result) == [("truncated", 1)]
    depth, node = 0, result.value
    while node:
        node, depth = node[0], depth + 1
    assert depth == 99_999  # the innermost list is empty


def test_10k_nested_objects_valid_and_truncated() -> None:
    text = '{"a":' * 10_000 + "1" + "}" * 10_000
    result, seconds = _timed(text)
    assert seconds < 1.0
    assert (result.kind, result.repairs) == ("json", [])
    node = result.value
    for _ in range(10_000):
        node = node["a"]
    assert node == 1
    result, seconds = _timed('{"a":' * 10_000)
    assert seconds < 1.0
    assert kinds(result) == [("truncated", 1)]


def test_10mb_string() -> None:
    big = "x" * 10_000_000
    result, seconds = _timed('{"a": "' + big + '"}')
    assert seconds < 1.0 and result.value == {"a": big}
    result, seconds = _timed('{"a": "' + big + '",}')
    assert seconds < 1.0 and result.value == {"a": big}
    result, seconds = _timed('{"a": "' + big)
    assert seconds < 1.0 and result.value == {"a": big}


def test_100k_unclosed_quotes() -> None:
    result, seconds = _timed("[" + '"' * 100_001)
    assert seconds < 1.0
    assert result.kind == "json" and result.value == [""] * 50_001
    for text in ("{" + '"' * 100_000, "[" + '"a\n' * 100_000, '{"a": "' + "'" * 100_000):
        result, seconds = _timed(text)
        assert seconds < 1.0
        _check_invariants(result, text, 1)


@pytest.mark.parametrize(
    "text",
    [
        "{" * 100_000,
        "]" * 100_000,
        "[" + "]" * 100_000,
        "[{" * 50_000 + "]" * 100_000,
        "[" + "," * 100_000,
        "[" + "/*" * 100_000,
        "[" + "//\n" * 100_000,
        "[" + "1" * 100_000 + "x]",
        '{"a": ' + "a" * 1_000_000,
        "{" + "a" * 1_000_000,
        '{"a": "' + "&quot; " * 100_000,
        '{"a": "' + "\r\n" * 100_000,
        "[" + "\u00a0" * 100_000,
        "[" + "..., " * 100_000,
        '["' + "\\u" * 100_000,
        '{"a":1}' + ',"b":1}' * 50_000,
        "x" * 10_000_000,
        "a,b,c\n" * 1_000_000,
        "[" + "a " * 1_000_000 + "]",
    ],
    ids=lambda text: repr(text[:12]),
)
def test_pathological_inputs_finish_fast(text: str) -> None:
    result, seconds = _timed(text)
    assert seconds < 1.0
    _check_invariants(result, text, 1)


# --- the real corpus ---------------------------------------------------------------------

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*([^`\n]*)$")
_HEADER_RE = re.compile(r"^[A-Za-z0-9-]+\s*:")


def _fenced_bodies(text: str) -> Iterator[tuple[str, int, str]]:
    """Yield (info, first line of the body, body) of ```json and ```http fences, crudely."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = _FENCE_RE.match(lines[i])
        if not m:
            i += 1
            continue
        marker, info = m.group(1), (m.group(2).split() or [""])[0].lower()
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(marker):
            j += 1
        block, start = lines[i + 1 : j], i + 2
        if info == "json":
            yield info, start, "\n".join(block)
        elif info == "http":
            k = 0
            while k < len(block) and not block[k].strip():
                k += 1
            if k < len(block) and not block[k].lstrip().startswith(("{", "[")):
                k += 1  # the request or status line
                while k < len(block) and not block[k].strip():
                    k += 1  # intune pages put a blank line before the headers
                while k < len(block) and _HEADER_RE.match(block[k]):
                    k += 1
            yield info, start + k, "\n".join(block[k:])
        i = j + 1


@pytest.mark.slow
def test_corpus_json_bodies_parse() -> None:
    root = CORPUS / "zh-CN"
    if not root.is_dir():
        pytest.skip("corpus not available")
    total = ok = 0
    repaired: Counter[str] = Counter()
    failures: list[str] = []
    for page in sorted(root.rglob("*.md")):
        text = page.read_text(encoding="utf-8", errors="replace")
        for _info, line, body in _fenced_bodies(text):
            if not looks_like_json(body):
                continue
            total += 1
            result = parse_body(body, line)
            if result.error is None:
                ok += 1
                repaired.update({r.kind for r in result.repairs})
            else:
                failures.append(f"{page.relative_to(root)}:{result.error_line}: {result.error}")
    assert total > 12_000
    assert ok / total >= 0.996, failures[:20]
    assert repaired["trailing-comma"] >= 250  # the most common fault, as measured


@pytest.mark.slow
def test_corpus_annotations_parse() -> None:
    root = CORPUS / "zh-CN"
    if not root.is_dir():
        pytest.skip("corpus not available")
    comment = re.compile(r"<!--\s*\{.*?-->", re.S)
    total = failed = 0
    for page in sorted(root.rglob("*.md")):
        text = page.read_text(encoding="utf-8", errors="replace")
        for m in comment.finditer(text):
            total += 1
            result = parse_lenient_object(m.group(), text.count("\n", 0, m.start()) + 1)
            failed += result.error is not None
    assert total > 20_000
    assert failed == 0
