"""The strict check of examples against their pages: each rule on small inline examples, the
JSON path and page line of each finding, and what is not a finding."""

from __future__ import annotations

from typing import Any

import pytest

from extractor.render.fixtures import check_strict, strict_findings
from extractor.render.fixtures.findings import StrictSpec
from extractor.render.fixtures.paths import child, key_paths
from extractor.rules import rule
from extractor.schema import (
    Finding,
    Fixture,
    SpecEnumDef,
    SpecEnumMember,
    SpecOperation,
    SpecParameter,
    SpecResponse,
    SpecTypeDef,
    UnifiedSpec,
)

BOTH = ["beta", "v1.0"]


def prop(name: str, type_: str = "Edm.String", **kw: Any) -> SpecParameter:
    return SpecParameter(name=name, type=type_, versions=kw.pop("versions", BOTH), **kw)


SPEC = UnifiedSpec(
    types=[
        SpecTypeDef(name="microsoft.graph.entity", versions=BOTH, properties=[prop("id")]),
        SpecTypeDef(
            name="microsoft.graph.call",
            kind="entity",
            base_type="microsoft.graph.entity",
            versions=BOTH,
            properties=[
                prop("state", "microsoft.graph.callState"),
                prop("modalities", "microsoft.graph.modality", collection=True),
                prop("createdDateTime", "Edm.DateTimeOffset"),
                prop("duration", "Edm.Duration"),
                prop("tenantId", "Edm.Guid"),
                prop("callbackUri"),
                prop("isMuted", "Edm.Boolean"),
                prop("ringingTimeoutInSeconds", "Edm.Int32"),
                prop("subject", nullable=False),
                prop("targets", "microsoft.graph.participantInfo", collection=True),
                prop("source", "microsoft.graph.participantInfo"),
                prop("mediaConfig", "microsoft.graph.mediaConfig"),
                prop("settings", "Edm.Json"),
            ],
        ),
        SpecTypeDef(
            name="microsoft.graph.participantInfo", versions=BOTH, properties=[prop("region")]
        ),
        SpecTypeDef(
            name="microsoft.graph.invitationParticipantInfo",
            base_type="microsoft.graph.participantInfo",
            versions=BOTH,
            properties=[prop("replacesCallId"), prop("hidden", "Edm.Boolean")],
        ),
        SpecTypeDef(
            name="microsoft.graph.mediaConfig",
            abstract=True,
            versions=BOTH,
            properties=[prop("blob")],
        ),
        SpecTypeDef(
            name="microsoft.graph.appHostedMediaConfig",
            base_type="microsoft.graph.mediaConfig",
            versions=BOTH,
            properties=[prop("blob")],
        ),
        SpecTypeDef(name="microsoft.graph.team", versions=BOTH, properties=[prop("displayName")]),
    ],
    enums=[
        SpecEnumDef(
            name="microsoft.graph.callState",
            versions=BOTH,
            members=[
                SpecEnumMember(name=name, versions=BOTH) for name in ("incoming", "established")
            ],
        ),
        SpecEnumDef(
            name="microsoft.graph.modality",
            versions=BOTH,
            members=[SpecEnumMember(name=name, versions=BOTH) for name in ("audio", "video")],
        ),
    ],
    operations=[
        SpecOperation(
            id="call.redirect",
            kind="action",
            versions=BOTH,
            parameters=[
                prop(
                    "targets",
                    "microsoft.graph.invitationParticipantInfo",
                    collection=True,
                    required=True,
                ),
                prop("timeout", "Edm.Int32", required=False),
            ],
            response=SpecResponse(status=202, versions=BOTH),
            responses=[SpecResponse(status=202, versions=BOTH)],
        ),
        SpecOperation(
            id="call.get",
            kind="get",
            versions=BOTH,
            response=SpecResponse(status=200, type="microsoft.graph.call", versions=BOTH),
            responses=[SpecResponse(status=200, type="microsoft.graph.call", versions=BOTH)],
        ),
    ],
)
STRICT = StrictSpec(SPEC)


def example(body: Any, **kw: Any) -> Fixture:
    values: dict[str, Any] = {
        "id": "v1.0/call-get/get_call-response",
        "file": "fixtures/v1.0/call-get/get_call-response.json",
        "page": "call-get",
        "version": "v1.0",
        "role": "response",
        "type": "microsoft.graph.call",
        "operation": "call.get",
        "status": 200,
        "pair": "v1.0/call-get/get_call-request",
        "body_kind": "json",
        "body": body,
        "source_path": "api-reference/v1.0/api/call-get.md",
        "line": 40,
        **kw,
    }
    return Fixture(**values)


def findings(body: Any, **kw: Any) -> list[tuple[str, str, str]]:
    return [(f.rule, f.path, f.message) for f in strict_findings(example(body, **kw), STRICT)]


def rules_of(body: Any, **kw: Any) -> list[tuple[str, str]]:
    return [(rule_id, path) for rule_id, path, _ in findings(body, **kw)]


def test_a_body_that_follows_its_page_has_no_finding() -> None:
    body = {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#call",
        "id": "2f1a1100-b174-40a0-aba7-0b405e01ed92",
        "state": "established",
        "modalities": ["audio", "video"],
        "createdDateTime": "2021-01-01T00:00:00.0000000Z",
        "duration": "-PT3M22.1587532S",
        "tenantId": "87d349ed-44d7-43e1-9a83-5f2406dee5bd",
        "callbackUri": "https://bot.contoso.com/callback",
        "isMuted": False,
        "ringingTimeoutInSeconds": 30,
        "subject": "Weekly",
        "targets": [{"@odata.type": "#microsoft.graph.invitationParticipantInfo", "hidden": True}],
        "source": {"region": None},
        "mediaConfig": {"@odata.type": "#microsoft.graph.appHostedMediaConfig", "blob": "x"},
        "settings": {"anything": [1, "goes"]},
        "photo@odata.mediaEtag": "W/1",
    }
    assert findings(body) == []


def test_undocumented_keys_and_the_documented_spelling() -> None:
    assert findings({"State": "incoming", "nickname": "x"}) == [
        (
            "example-undocumented-property",
            "$.State",
            "'State' is not documented for microsoft.graph.call (the page writes 'state')",
        ),
        (
            "example-undocumented-property",
            "$.nickname",
            "'nickname' is not documented for microsoft.graph.call",
        ),
    ]


def test_an_object_wrapped_in_value_is_reported_and_checked_inside() -> None:
    assert rules_of({"value": {"id": "1", "nickname": "x"}}) == [
        ("example-undocumented-property", "$.value"),
        ("example-undocumented-property", "$.value.nickname"),
    ]


def test_enum_values_outside_the_members() -> None:
    assert findings({"state": "Established", "modalities": ["audio", "hologram"]}) == [
        (
            "example-enum-not-member",
            "$.state",
            "'Established' differs only in case from the member 'established' of "
            "microsoft.graph.callState",
        ),
        (
            "example-enum-not-member",
            "$.modalities[1]",
            "'hologram' is not a member of microsoft.graph.modality (audio, video)",
        ),
    ]
    severities = [f.severity for f in strict_findings(example({"state": "Established"}), STRICT)]
    assert severities == ["info"]


def test_flag_enum_values_and_placeholders() -> None:
    assert findings({"state": "incoming,established"}) == [
        (
            "example-enum-combined",
            "$.state",
            "'incoming,established' combines members of microsoft.graph.callState, which the "
            "page does not call a flags enum",
        )
    ]
    assert rules_of({"state": "state-value", "createdDateTime": "String (timestamp)"}) == [
        ("example-placeholder-value", "$.state"),
        ("example-placeholder-value", "$.createdDateTime"),
    ]
    # any JSON is allowed where Json is declared, but not a placeholder standing for it
    assert findings({"settings": [[1, "a"], [None]]}) == []
    assert rules_of({"settings": "settings-value"}) == [("example-placeholder-value", "$.settings")]


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("createdDateTime", "2018-10-04T00: 58: 45.340Z", "not an ISO 8601 date-time"),
        ("createdDateTime", "2019-01-10T12:23:23.33333", "without a UTC offset"),
        ("createdDateTime", "2019-13-10T12:23:23Z", "month must be in 1..12"),
        ("duration", "1 hour", "not an OData duration"),
        ("tenantId", "19:c253a29b5f694b55a6baad8e83510af7@thread.v2", "not a GUID"),
        ("callbackUri", "bot.contoso.com/callback", "neither a URL nor a path"),
    ],
)
def test_malformed_values(key: str, value: str, problem: str) -> None:
    found = findings({key: value})
    assert [(r, p) for r, p, _ in found] == [("example-malformed-value", f"$.{key}")]
    assert problem in found[0][2]


def test_urls_may_be_paths_from_the_root() -> None:
    assert findings({"callbackUri": "/communications/calls/57dab8b1"}) == []


def test_wrong_json_kinds() -> None:
    assert findings(
        {"isMuted": "true", "ringingTimeoutInSeconds": 1.5, "source": "String", "subject": None}
    ) == [
        ("example-wrong-type", "$.isMuted", "a string where Edm.Boolean is declared"),
        ("example-wrong-type", "$.ringingTimeoutInSeconds", "a number where Edm.Int32 is declared"),
        (
            "example-wrong-type",
            "$.source",
            "a string where an object of microsoft.graph.participantInfo is declared",
        ),
        ("example-wrong-type", "$.subject", "null, where the page says 'subject' is not nullable"),
    ]


def test_collections_where_one_is_declared_and_the_reverse() -> None:
    assert rules_of({"targets": {"region": "eu"}, "source": [{"region": "eu"}]}) == [
        ("example-collection-mismatch", "$.targets"),
        ("example-collection-mismatch", "$.source"),
    ]
    assert findings({"value": [{"id": "1"}]}) == [
        (
            "example-collection-mismatch",
            "$",
            "a collection where the page declares one microsoft.graph.call",
        )
    ]
    annotated = {"annotation": {"@odata.type": "microsoft.graph.call"}}
    assert "its annotation declares" in findings({"value": [{"id": "1"}]}, **annotated)[0][2]
    assert rules_of({"id": "1"}, collection=True) == [("example-collection-mismatch", "$")]
    assert findings({"value": [{"id": "1"}]}, collection=True) == []


def test_derived_types_need_odata_type() -> None:
    assert findings({"targets": [{"replacesCallId": "x"}], "mediaConfig": {"blob": "x"}}) == [
        (
            "example-missing-odata-type",
            "$.targets[0]",
            "holds replacesCallId of the derived type microsoft.graph.invitationParticipantInfo, "
            "but no @odata.type says which it is",
        ),
        (
            "example-missing-odata-type",
            "$.mediaConfig",
            "microsoft.graph.mediaConfig is abstract: an @odata.type must say which derived type "
            "this is",
        ),
    ]


def test_null_values_are_no_evidence_and_directory_extensions_no_property() -> None:
    body = {
        "targets": [{"replacesCallId": None}],
        "extension_fe2174665583431c953114ff7268b7b3_Education_StateId": "WA",
    }
    assert rules_of(body) == [("example-undocumented-property", "$.targets[0].replacesCallId")]


def test_odata_type_unknown_or_unrelated() -> None:
    # the pages do not say that team is unrelated (it documents no base): trusted
    assert rules_of({"source": {"@odata.type": "#microsoft.graph.team", "displayName": "x"}}) == []
    spec = UnifiedSpec(
        types=[
            *SPEC.types,
            SpecTypeDef(
                name="microsoft.graph.x", base_type="microsoft.graph.entity", versions=BOTH
            ),
        ],
        enums=SPEC.enums,
        operations=SPEC.operations,
    )
    found = strict_findings(
        example(
            {
                "source": {"@odata.type": "#microsoft.graph.x"},
                "targets": [{"@odata.type": "#Microsoft.Graph.InvitationParticipantInfo"}],
                "mediaConfig": {"@odata.type": "#microsoft.graph.nowhere"},
            }
        ),
        StrictSpec(spec),
    )
    assert [(f.rule, f.path) for f in found] == [
        ("example-odata-type-mismatch", '$.source["@odata.type"]'),
        ("example-odata-type-unknown", '$.mediaConfig["@odata.type"]'),
    ]


def test_request_bodies_against_the_request_body_table() -> None:
    request = {
        "id": "v1.0/call-redirect/redirect-request",
        "role": "request",
        "operation": "call.redirect",
        "type": None,
        "status": None,
        "method": "POST",
        "url": "/communications/calls/{id}/redirect",
    }
    assert findings({"timeout": "30", "maskCallee": True}, **request) == [
        ("example-wrong-type", "$.timeout", "a string where Edm.Int32 is declared"),
        (
            "example-undocumented-property",
            "$.maskCallee",
            "'maskCallee' is not documented for the request body",
        ),
        (
            "example-missing-required",
            "$",
            "the request body lacks 'targets', which the page marks required",
        ),
    ]


def test_a_create_body_may_hold_the_entitys_fields_besides_its_table() -> None:
    spec = UnifiedSpec(
        types=SPEC.types,
        enums=SPEC.enums,
        operations=[
            SpecOperation(
                id="communications.calls.create",
                kind="create",
                versions=BOTH,
                parameters=[prop("callbackUri", required=True)],
                response=SpecResponse(status=201, type="microsoft.graph.call", versions=BOTH),
            )
        ],
    )
    request = example(
        {"callbackUri": "https://bot", "state": "incoming", "nickname": "x", "isMuted": 1},
        role="request",
        operation="communications.calls.create",
        status=None,
    )
    assert [(f.rule, f.path, f.message) for f in strict_findings(request, StrictSpec(spec))] == [
        (
            "example-undocumented-property",
            "$.nickname",
            "'nickname' is not documented for the request body (microsoft.graph.call)",
        ),
        ("example-wrong-type", "$.isMuted", "a number where Edm.Boolean is declared"),
    ]


def test_an_odata_type_of_another_namespace_is_unknown() -> None:
    found = rules_of({"source": {"@odata.type": "#Microsoft.Education.DataSync.csvProvider"}})
    assert found == [("example-odata-type-unknown", '$.source["@odata.type"]')]


def test_a_bound_navigation_property_is_given() -> None:
    request = {
        "role": "request",
        "operation": "call.redirect",
        "type": None,
        "status": None,
        "url": "/communications/calls/{id}/redirect",
    }
    assert findings({"targets@odata.bind": ["https://graph.microsoft.com/v1.0/x"]}, **request) == []


def test_request_urls() -> None:
    base = {"role": "request", "body_kind": "empty", "type": None}
    assert rules_of(None, url="me/devices/{id}", **base) == [("example-url-malformed", "$url")]
    assert rules_of(None, url="** Entity URI for x not found", **base) == [
        ("example-url-malformed", "$url")
    ]
    assert rules_of(None, url="https://graph.microsoft.com/beta/me", **base) == [
        ("example-url-version", "$url")
    ]
    assert rules_of(None, url="/users/{id | userPrincipalName}?$select=a b", **base) == []


def test_response_status() -> None:
    assert findings({"id": "1"}, status=201) == [
        ("example-status-mismatch", "$status", "status 201, where the page documents 200")
    ]
    assert findings({"id": "1"}, status=201, pair=None) == []  # after a redirect, say
    assert findings({"error": {"code": "x"}}, status=404, type=None) == []  # errors on purpose


def test_resources_are_checked_for_keys_only() -> None:
    resource = {"role": "resource", "operation": None, "status": None, "pair": None}
    assert rules_of({"state": "String", "nickname": "String"}, **resource) == [
        ("example-undocumented-property", "$.nickname")
    ]
    abstract = {**resource, "type": "microsoft.graph.mediaConfig"}
    assert rules_of({"blob": "String"}, **abstract) == []  # it shows the abstract type itself


def test_json_paths_and_their_page_lines() -> None:
    body = {"a": {"b": [{"c": 1}, {"d": 2}]}, "odd key": 3}
    assert key_paths(body, [11, 12, 13, 14, 15]) == {
        "$.a": 11,
        "$.a.b": 12,
        "$.a.b[0].c": 13,
        "$.a.b[1].d": 14,
        '$["odd key"]': 15,
    }
    assert child("$", "@odata.type") == '$["@odata.type"]'
    fixture = example(
        {"state": "bad", "targets": [{"region": "eu", "x": 1}]}, key_lines=[51, 52, 53, 54]
    )
    found = strict_findings(fixture, STRICT)
    assert [(f.path, f.line) for f in found] == [("$.state", 51), ("$.targets[0].x", 54)]
    unmapped = strict_findings(example({"state": "bad"}), STRICT)
    assert [f.line for f in unmapped] == [40]  # no key lines: the example's line


def test_findings_become_diagnostics_and_fixture_fields() -> None:
    fixtures, diagnostics = check_strict([example({"nickname": "x"}), example({"id": "1"})], SPEC)
    assert fixtures[0].findings == [
        Finding(
            rule="example-undocumented-property",
            severity="warning",
            path="$.nickname",
            line=40,
            message="'nickname' is not documented for microsoft.graph.call",
        )
    ]
    assert fixtures[1].findings == []
    assert [(d.rule, d.path, d.line, d.message) for d in diagnostics] == [
        (
            "example-undocumented-property",
            "api-reference/v1.0/api/call-get.md",
            40,
            "v1.0/call-get/get_call-response $.nickname: 'nickname' is not documented for "
            "microsoft.graph.call",
        )
    ]
    for d in diagnostics:
        assert d.severity in rule(d.rule).severities


def test_an_unchanged_fixture_is_the_last_builds_checked_object() -> None:
    """After an edit elsewhere, the fixture files are made again only for fixtures that are
    not the very objects of the last build: the check gives back its last object."""
    from extractor.reuse import PieceMemo

    fixtures = [example({"nickname": "x"}), example({"id": "1"}, id="v1.0/call-get/other")]
    last = PieceMemo()
    checked, _ = check_strict(fixtures, SPEC, "shape", last)
    again = PieceMemo(last.kept)
    rechecked, diagnostics = check_strict(fixtures, SPEC, "shape", again)
    assert [a is b for a, b in zip(checked, rechecked, strict=True)] == [True, True]
    assert again.made == 0 and len(diagnostics) == 1


def test_a_check_that_fails_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    from extractor.render.fixtures import strict

    def broken(self: object, operation: object) -> list[Finding]:
        raise KeyError("boom")

    monkeypatch.setattr(strict.StrictCheck, "run", broken)
    found = strict_findings(example({"id": "1"}), STRICT)
    assert [(f.rule, f.severity) for f in found] == [("example-unchecked", "info")]


def test_null_for_a_collection_is_wrong() -> None:
    """OData collections are never null (the OpenAPI documents say so too): at most empty."""
    assert findings({"targets": []}) == []
    assert findings({"targets": None}) == [
        ("example-wrong-type", "$.targets", "null, where the page says 'targets' is a collection")
    ]
