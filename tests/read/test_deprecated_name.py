"""A properties table marks a deprecated member in its name cell: ``autoAdmittedUsers
(deprecated)`` (communications docs of 2021-08). The reader takes the name without the
mark, and the mark as deprecation."""

from __future__ import annotations

from extractor.read.pages import build_record

PAGE = """---
title: onlineMeeting resource type
doc_type: resourcePageType
---

# onlineMeeting resource type

Namespace: microsoft.graph

## Properties

| Property | Type | Description |
|:---|:---|:---|
| autoAdmittedUsers (deprecated) | String | The setting for who is admitted. |
| subject | String | The subject. |
| Capabilities (Deprecated) | String collection | The list of meeting capabilities. |

## JSON representation

```json
{"subject": "String"}
```
"""


def test_deprecated_in_the_name_cell() -> None:
    record = build_record("api-reference/beta/resources/onlinemeeting.md", PAGE.encode())
    assert record.type is not None
    found = {(p.name, p.deprecated, p.line) for p in record.type.properties}
    assert found == {
        ("autoAdmittedUsers", True, 14),
        ("subject", False, 15),
        ("Capabilities", True, 16),
    }
