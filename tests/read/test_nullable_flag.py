"""A property table row's nullability as its description states it."""

from __future__ import annotations

from extractor.read.pages import build_record

PAGE = """---
title: thing resource type
doc_type: resourcePageType
---

# thing resource type

Namespace: microsoft.graph

## Properties

| Property | Type | Description |
|:---|:---|:---|
| id | String | The identifier. Key. Not nullable. Read-only. |
| name | String | The name. Nullable. |
| code | String | The code; non-nullable. |
| note | String | A note. |

<!-- { "blockType": "resource", "@odata.type": "microsoft.graph.thing" } -->
```json
{"id": "1", "name": "a", "code": "b", "note": null}
```
"""


def test_not_nullable_is_false_nullable_true_silence_none() -> None:
    record = build_record("api-reference/v1.0/resources/thing.md", PAGE.encode())
    assert record.type is not None
    flags = {p.name: p.nullable for p in record.type.properties}
    assert flags == {"id": False, "name": True, "code": False, "note": None}
