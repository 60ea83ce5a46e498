"""Operation and fixture ids name what a page documents, so a localized page (sxs spans,
``<a name>`` anchors) and its plain English form give the same ones."""

from __future__ import annotations

from extractor.read.pages import build_record
from extractor.reconcile import reconcile
from extractor.schema import BuildResult


def span(n: int, localized: str, english: str) -> str:
    return (
        f'<span data-ttu-id="abcde-{n}">{localized}</span><span class="sxs-lookup">'
        f'<span data-stu-id="abcde-{n}">{english}</span></span>'
    )


LOCALIZED = f"""---
title: 列出用户
doc_type: apiPageType
ms.contentlocale: zh-CN
---
# <a name="list-users"></a>{span(1, "列出用户", "List users")}

{span(2, "命名空间：microsoft.graph", "Namespace: microsoft.graph")}

## <a name="http-request"></a>{span(3, "HTTP 请求", "HTTP request")}

```http
GET /users
```

## <a name="response"></a>{span(4, "响应", "Response")}

{
    span(
        5,
        "如果成功，此方法返回 `200 OK` 响应代码和 [user](../resources/user.md) 对象集合。",
        "If successful, this method returns a `200 OK` response code and collection of "
        "[user](../resources/user.md) objects in the response body.",
    )
}

## <a name="example"></a>{span(6, "示例", "Example")}

<!-- {{ "blockType": "request" }} -->
```http
GET https://graph.microsoft.com/v1.0/users
```

<!-- {{ "blockType": "response", "@odata.type": "microsoft.graph.user", "isCollection": true }} -->
```http
HTTP/1.1 200 OK

{{"value": []}}
```
"""

ENGLISH = """---
title: List users
doc_type: apiPageType
---
# List users

Namespace: microsoft.graph

## HTTP request

```http
GET /users
```

## Response

If successful, this method returns a `200 OK` response code and collection of \
[user](../resources/user.md) objects in the response body.

## Example

<!-- { "blockType": "request" } -->
```http
GET https://graph.microsoft.com/v1.0/users
```

<!-- { "blockType": "response", "@odata.type": "microsoft.graph.user", "isCollection": true } -->
```http
HTTP/1.1 200 OK

{"value": []}
```
"""


def build(path: str, text: str) -> BuildResult:
    return reconcile([build_record(path, text.encode())])


def test_localized_and_english_pages_give_the_same_ids() -> None:
    localized = build("zh-CN/api-reference/v1.0/api/user-list.md", LOCALIZED)
    english = build("en/api-reference/v1.0/api/user-list.md", ENGLISH)
    assert [op.id for op in localized.spec.operations] == ["users.list"]
    assert [op.id for op in english.spec.operations] == ["users.list"]
    assert [f.id for f in localized.fixtures] == [f.id for f in english.fixtures]
    assert [f.id for f in english.fixtures] == [
        "v1.0/users.list/example-request",
        "v1.0/users.list/example-response",
    ]
    assert [f.page for f in localized.fixtures] == [f.page for f in english.fixtures]


def test_ids_do_not_depend_on_the_file_name() -> None:
    """The seed files carry no page name: an id never comes from the path."""
    named = build("en/api-reference/v1.0/api/user-list.md", ENGLISH)
    anonymous = build(
        "corpus/007_0123456789abcdef.txt", ENGLISH.replace("v1.0/users", "v1.0/users")
    )
    assert [op.id for op in anonymous.spec.operations] == [op.id for op in named.spec.operations]
