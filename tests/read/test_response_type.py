"""An API page's response type from its example's annotation: ``Collection(X)`` is X,
listed."""

from __future__ import annotations

from extractor.read.pages import build_record

_PAGE = """---
title: "user: checkMemberObjects"
doc_type: apiPageType
---
# user: checkMemberObjects

Namespace: microsoft.graph

Check for membership.

## HTTP request

```http
POST /users/{id}/checkMemberObjects
```

## Response

If successful, this method returns a `200 OK` response code.

## Example

### Response

<!-- {
  "blockType": "response",
  "@odata.type": "Collection(Edm.String)"
} -->
```http
HTTP/1.1 200 OK
Content-type: application/json

{"value": ["a"]}
```
"""


def test_a_collection_annotation_is_its_item_type_listed() -> None:
    record = build_record("v1.0/api/user-checkmemberobjects.md", _PAGE.encode())
    assert record.operation is not None
    response = record.operation.response
    assert (response.type, response.collection) == ("Edm.String", True)
