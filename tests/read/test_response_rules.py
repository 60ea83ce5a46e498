"""What an api page's Response section says the operation returns, and the facts of a
properties table the models and the strict check read: small inline pages, one per rule."""

from __future__ import annotations

import json

import pytest

from extractor.read.jsonish.keylines import key_lines
from extractor.read.pages import build_record
from extractor.schema import PageRecord


def page(response: str, request_body: str = "") -> PageRecord:
    text = f"""---
title: Do something
---
# Do something

## HTTP request

```http
GET /me/things/{{id}}
```

## Request body
{request_body}

## Response

{response}
"""
    return build_record("api-reference/v1.0/api/thing-get.md", text.encode())


def response_of(text: str) -> tuple[int | None, str | None, bool, list[int]]:
    operation = page(text).operation
    assert operation is not None
    found = operation.response
    return found.status, found.type, found.collection, found.statuses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "If successful, this method returns a `200 OK` response code and a list of "
            "[conversationMember](../resources/conversationmember.md) objects.",
            (200, "microsoft.graph.conversationMember", True, [200]),
        ),
        (
            "If successful, this action returns a `200 OK` response code and a "
            "[assignment](../resources/assignment.md) collection in the response body.",
            (200, "microsoft.graph.assignment", True, [200]),
        ),
        (
            "If successful, this method returns a `204 No Content` response code. If the "
            "Prefer header is used, the method returns a `200 OK` response code and the "
            "updated [alert](../resources/alert.md) object.",
            # the 204 has no body; a conditional sentence names no type (the 200 it names
            # is among the statuses)
            (204, None, False, [200, 204]),
        ),
        (
            "If successful, this method returns a `200 OK` response code and a collection of "
            "[user](../resources/user.md) and/or [group](../resources/group.md) objects.",
            (200, None, True, [200]),
        ),
        (
            "If successful, this method returns a `200 OK` response code. The response body "
            "includes the object expanded with the matching "
            "[extendedProperty](../resources/extendedproperty.md) object.",
            (200, None, False, [200]),
        ),
    ],
)
def test_what_the_response_section_says(
    text: str, expected: tuple[int | None, str | None, bool, list[int]]
) -> None:
    assert response_of(text) == expected


@pytest.mark.parametrize(
    ("description", "nullable"),
    [("The name. Nullable.", True), ("The name. Not nullable.", False), ("The name.", None)],
)
def test_nullable_as_the_table_says(description: str, nullable: bool | None) -> None:
    body = f"| Parameter | Type | Description |\n|:--|:--|:--|\n| name | String | {description} |\n"
    operation = page("Returns `200 OK`.", body).operation
    assert operation is not None
    assert [p.nullable for p in operation.parameters] == [nullable]


def test_key_lines_follow_the_text() -> None:
    text = '{\n  "a": {"b": [\n    {"c": 1}\n  ]},\n  "d": "x: y"\n}'
    assert key_lines(text, json.loads(text), 10) == [11, 11, 12, 14]
    # keys the text does not write as the value holds them: no lines rather than wrong ones
    assert key_lines('{"a": 1, "a": 2}', {"a": 2}, 1) == []
