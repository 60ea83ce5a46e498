"""Examples to fixtures: ids unique across pages, types, request/response pairs."""

from __future__ import annotations

from extractor.reconcile import reconcile
from extractor.schema import HttpMessage, ResponseInfo
from tests.reconcile.builders import example, record, redirect_op


def test_fixtures_ids_types_and_pairs() -> None:
    request = HttpMessage(
        kind="request",
        method="POST",
        url="https://graph.microsoft.com/v1.0/x",
        headers=[("Content-Type", "application/json")],
    )
    examples = [
        example("notification", "notification", 10, {"@odata.type": "#microsoft.graph.commsX"}),
        example(
            "request",
            "request",
            20,
            {"a": 1},
            http=request,
            body_kind="json",
            repairs=[{"kind": "trailing-comma", "line": 25, "message": "removed"}],
        ),
        example("response", "response", 40, http=HttpMessage(kind="response", status=202)),
        example(
            "request",
            "request",
            50,
            None,
            body_kind="text",
            raw_body="<bytes>",
            annotation={
                "@odata.type": "#microsoft.graph.x",
                "isCollection": "true",
                "truncated": True,
            },
        ),
        example("request", "request", 60),
        example("response", "response", 70, {"value": []}, body_kind="json"),
    ]
    op = redirect_op(
        "v1.0", response=ResponseInfo(status=200, type="microsoft.graph.call", collection=True)
    )
    records = [
        record("call-redirect", operation=op, examples=examples),
        record("call-redirect", locale="ru-RU", operation=op, examples=examples),
        record(
            "overview",
            version=None,
            kind="conceptual",
            examples=[example("e1", "other", 3, [1, 2])],
        ),
    ]
    result = reconcile(records)
    fixtures = {f.id: f for f in result.fixtures}
    assert [f.id for f in result.fixtures] == sorted(fixtures)
    assert sorted(fixtures) == [
        "unversioned/overview/e1",
        "v1.0/call.redirect/notification",
        "v1.0/call.redirect/request",
        "v1.0/call.redirect/request-2",
        "v1.0/call.redirect/request-3",
        "v1.0/call.redirect/response",
        "v1.0/call.redirect/response-2",
    ]
    first = fixtures["v1.0/call.redirect/request"]
    assert first.file == "fixtures/v1.0/call.redirect/request.json"
    assert (first.page, first.version, first.locale, first.operation) == (
        "call-redirect",
        "v1.0",
        "ru-RU",
        "call.redirect",
    )
    assert (
        first.source_path == "samples/ru-RU-communications/api-reference/v1.0/api/call-redirect.md"
    )
    # an action's request body is its parameters: no entity type, the operation says it
    assert (first.type, first.collection, first.method, first.url) == (
        None,
        False,
        "POST",
        "https://graph.microsoft.com/v1.0/x",
    )
    assert first.headers == [("Content-Type", "application/json")]
    assert (first.body, first.repaired, first.pair, first.valid) == (
        {"a": 1},
        True,
        "v1.0/call.redirect/response",
        None,
    )
    assert fixtures["v1.0/call.redirect/response"].pair == "v1.0/call.redirect/request"
    assert fixtures["v1.0/call.redirect/response"].status == 202
    second = fixtures["v1.0/call.redirect/request-2"]
    assert (second.type, second.collection, second.truncated, second.body) == (
        "microsoft.graph.x",
        True,
        True,
        "<bytes>",
    )
    assert second.pair is None
    assert fixtures["v1.0/call.redirect/request-3"].pair == "v1.0/call.redirect/response-2"
    last = fixtures["v1.0/call.redirect/response-2"]
    assert (last.type, last.collection) == ("microsoft.graph.call", True)
    assert fixtures["v1.0/call.redirect/notification"].type == "microsoft.graph.commsX"
    other = fixtures["unversioned/overview/e1"]
    assert (other.version, other.operation, other.type, other.body) == (None, None, None, [1, 2])
    assert result.spec.operations[0].examples == sorted(
        f for f in fixtures if f.startswith("v1.0/")
    )
