"""What a careful reader sees on the five seed pages (issue acceptance 1)."""

from __future__ import annotations

from extractor.schema import PageRecord


def params(record: PageRecord) -> dict[str, tuple[str | None, bool, bool]]:
    assert record.operation is not None
    return {p.name: (p.type, p.collection, p.deprecated) for p in record.operation.parameters}


def test_v1_redirect_identity_path_and_parameters(seeds: dict[str, PageRecord]) -> None:
    record = seeds["v1_redirect"]
    assert (record.source.locale, record.version, record.kind) == ("zh-CN", "v1.0", "api")
    assert record.slug == "call-redirect"
    assert record.title == "call: redirect"
    assert record.language == "en"
    operation = record.operation
    assert operation is not None
    assert (operation.id, operation.kind, operation.method) == (
        "call.redirect",
        "action",
        "POST",
    )
    assert operation.binding_type == "microsoft.graph.call"
    assert operation.name == "redirect"
    assert [(p.path, p.deprecated) for p in operation.paths] == [
        ("/communications/calls/{call-id}/redirect", False)
    ]
    assert params(record) == {
        "targets": ("microsoft.graph.invitationParticipantInfo", True, False),
        "timeout": ("Edm.Int32", False, False),
        "callbackUri": ("Edm.String", False, False),
    }
    assert operation.response.status == 202
    assert operation.permissions.application == ["Calls.Initiate.All"]
    assert operation.permissions.delegated_work == []
    assert [h.name for h in operation.headers] == ["Authorization"]
    assert record.source.sourcegitcommit == "48fff935d56fe96e97577a80a3a0aa15c45419ba"
    assert record.source.lasthandoff == "02/10/2021"


def test_beta_redirect_adds_parameters_and_deprecated_app_path(
    seeds: dict[str, PageRecord],
) -> None:
    record = seeds["beta_redirect"]
    assert record.version == "beta"
    assert record.operation is not None
    assert [(p.path, p.deprecated) for p in record.operation.paths] == [
        ("/app/calls/{call-id}/redirect", True),
        ("/communications/calls/{call-id}/redirect", False),
    ]
    assert params(record) == {
        "targets": ("microsoft.graph.invitationParticipantInfo", True, False),
        "targetDisposition": ("Edm.String", False, True),
        "timeout": ("Edm.Int32", False, False),
        "maskCallee": ("Edm.Boolean", False, False),
        "maskCaller": ("Edm.Boolean", False, False),
        "callbackUri": ("Edm.String", False, False),
    }


def test_ru_2019_copy_is_v1_ru(seeds: dict[str, PageRecord]) -> None:
    record = seeds["ru_redirect_2019"]
    assert (record.source.locale, record.version) == ("ru-RU", "v1.0")
    assert record.source.lasthandoff == "12/25/2019"
    assert record.operation is not None and record.operation.id == "call.redirect"
    assert list(params(record)) == ["targets", "timeout", "callbackUri"]


def test_beta_transfer(seeds: dict[str, PageRecord]) -> None:
    record = seeds["beta_transfer"]
    assert record.version == "beta"
    assert record.operation is not None
    assert record.operation.id == "call.transfer"
    assert params(record) == {
        "transferTarget": ("microsoft.graph.invitationParticipantInfo", False, False),
        "clientContext": ("Edm.String", False, False),
    }


def test_v1_create_call_answers_201_with_call(seeds: dict[str, PageRecord]) -> None:
    record = seeds["v1_create_call"]
    operation = record.operation
    assert operation is not None
    assert record.version == "v1.0"
    assert (operation.kind, operation.method) == ("create", "POST")
    assert [p.path for p in operation.paths] == ["/communications/calls"]
    assert (operation.response.status, operation.response.type) == (201, "microsoft.graph.call")


def test_every_json_body_parses_and_trailing_commas_are_recorded(
    seeds: dict[str, PageRecord],
) -> None:
    repaired = 0
    for record in seeds.values():
        for example in record.examples:
            assert example.raw_body is None or example.body_kind != "json"
            if example.body_kind == "json":
                assert example.json_value is not None
            assert not any(d.rule == "body-unparsable" for d in record.diagnostics)
            for repair in example.repairs:
                assert repair.kind == "trailing-comma"
                assert repair.line is not None and repair.line > example.line
                repaired += 1
    assert repaired >= 10


def test_notification_fence_pairs_merge_into_one_example(seeds: dict[str, PageRecord]) -> None:
    record = seeds["v1_redirect"]
    terminated = [e for e in record.examples if e.line == 178]
    assert len(terminated) == 1
    example = terminated[0]
    assert example.role == "notification"
    assert example.http is not None and example.http.method == "POST"
    assert (
        example.http.url == "https://bot.contoso.com/api/calls/24701998-1a73-4d42-8085-bf46ed0ae039"
    )
    assert example.json_value["value"][0]["changeType"] == "deleted"
    assert example.annotation["@odata.type"] == "microsoft.graph.commsNotifications"


def test_example_ids_are_unique_and_stable(seeds: dict[str, PageRecord]) -> None:
    for record in seeds.values():
        ids = [e.id for e in record.examples]
        assert len(ids) == len(set(ids))
    first = seeds["v1_redirect"].examples
    assert [e.id for e in first[:3]] == [
        "example-notification",
        "call-redirect-request",
        "call-redirect-response",
    ]
    request = first[1]
    assert request.http is not None
    assert (request.http.method, request.http.api_version) == ("POST", "v1.0")
    assert (
        request.http.path == "/communications/calls/491f0b00-ffff-4bc9-a43e-b226498ec22a/redirect"
    )
    assert request.json_value["targets"][0]["identity"]["application"]["displayName"] == (
        "test bot 2"
    )
