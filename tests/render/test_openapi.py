"""OpenAPI 3.1 per version: valid documents, nothing dangling, deterministic YAML."""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate

from extractor.reconcile import reconcile
from extractor.render.openapi import (
    build_openapi,
    dump_yaml,
    normalize_path,
    render_openapi,
)
from extractor.render.openapi.operations import _shallow
from extractor.render.openapi.unique import name_clashes
from extractor.schema import (
    BuildResult,
    Fixture,
    Permissions,
    SpecEnumDef,
    SpecEnumMember,
    SpecOperation,
    SpecParameter,
    SpecPermissions,
    SpecRequestPath,
    SpecResponse,
    SpecTypeDef,
    UnifiedSpec,
)

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
BOTH = ["beta", "v1.0"]


def param(name: str, type_: str | None, versions: list[str] = BOTH, **fields: Any) -> SpecParameter:
    return SpecParameter(name=name, type=type_, versions=versions, **fields)


def sample_spec() -> UnifiedSpec:
    """An action, an entity with a subtype, an enum, a deprecated path, ``{id | upn}``."""
    redirect = SpecOperation(
        id="call.redirect",
        kind="action",
        binding_type="microsoft.graph.call",
        name="redirect",
        title="call: redirect",
        description="Redirect an incoming call.",
        method="POST",
        versions=BOTH,
        paths=[
            SpecRequestPath(path="/communications/calls/{id}/redirect", versions=BOTH),
            SpecRequestPath(path="/app/calls/{id}/redirect", versions=["beta"], deprecated=True),
        ],
        parameters=[
            param(
                "targets",
                "microsoft.graph.invitationParticipantInfo",
                collection=True,
                required=True,
            ),
            param("timeout", "Edm.Int32", description="Seconds."),
            param("targetDisposition", "Edm.String", ["beta"], deprecated=True),
            param("maskCallee", "Edm.Boolean", ["beta"]),
        ],
        response=SpecResponse(status=202, versions=BOTH),
        responses=[SpecResponse(status=202, versions=BOTH)],
        permissions=Permissions(application=["Calls.Initiate.All"]),
        examples=["v1.0/call-redirect/request", "v1.0/call-redirect/response"],
    )
    get_user = SpecOperation(
        id="user.get",
        kind="get",
        binding_type="microsoft.graph.user",
        title="Get user",
        method="GET",
        versions=["v1.0"],
        paths=[
            SpecRequestPath(path="/users/{id | userPrincipalName}?$select=id", versions=["v1.0"]),
            SpecRequestPath(path="/me", versions=["v1.0"]),
        ],
        response=SpecResponse(status=200, type="microsoft.graph.user", versions=["v1.0"]),
        responses=[SpecResponse(status=200, type="microsoft.graph.user", versions=["v1.0"])],
        permissions=Permissions(
            delegated_work=["User.Read", "User.ReadWrite"],
            delegated_personal=["User.Read"],
            application=["User.Read.All"],
        ),
    )
    list_calls = SpecOperation(
        id="call.list",
        kind="list",
        method="GET",
        versions=BOTH,
        paths=[SpecRequestPath(path="/communications/calls/{call-id}", versions=BOTH)],
        response=SpecResponse(
            status=200, type="microsoft.graph.call", collection=True, versions=BOTH
        ),
        responses=[
            SpecResponse(status=200, type="microsoft.graph.call", collection=True, versions=BOTH)
        ],
    )
    reminder = SpecOperation(
        id="user.reminderView",
        kind="function",
        method="GET",
        versions=["beta"],
        deprecated=True,
        paths=[
            SpecRequestPath(
                path="/users/{id}/reminderView(startDateTime='{start}',endDateTime={end value})",
                versions=["beta"],
                deprecated=True,
            )
        ],
        response=SpecResponse(type="microsoft.graph.reminder", collection=True, versions=["beta"]),
    )
    entity = SpecTypeDef(
        name="microsoft.graph.entity",
        kind="entity",
        abstract=True,
        versions=BOTH,
        properties=[param("id", "Edm.String", read_only=True)],
    )
    call = SpecTypeDef(
        name="microsoft.graph.call",
        kind="entity",
        base_type="microsoft.graph.entity",
        description="A call.",
        versions=BOTH,
        properties=[
            param("state", "microsoft.graph.callState"),
            param("createdDateTime", "Edm.DateTimeOffset"),
            param("transcription", "microsoft.graph.callTranscriptionInfo", ["beta"]),
            param("routingPolicies", "microsoft.graph.routingPolicy", collection=True),
            param("size", "Edm.Int64", alternatives=["Edm.Int64", "Edm.String"]),
        ],
        relationships=[param("participants", "microsoft.graph.participant", collection=True)],
    )
    group_call = SpecTypeDef(
        name="microsoft.graph.groupCall",
        base_type="microsoft.graph.call",
        versions=["beta"],
        properties=[param("groupId", "Edm.Guid", ["beta"])],
    )
    user = SpecTypeDef(
        name="microsoft.graph.user",
        kind="entity",
        base_type="microsoft.graph.directoryObject",
        versions=["v1.0"],
        properties=[param("displayName", "Edm.String", ["v1.0"])],
    )
    info = SpecTypeDef(
        name="microsoft.graph.invitationParticipantInfo",
        inferred=True,
        versions=BOTH,
        properties=[param("hidden", "Edm.Boolean")],
    )
    participant = SpecTypeDef(name="microsoft.graph.participant", versions=["v1.0"])
    state = SpecEnumDef(
        name="microsoft.graph.callState",
        versions=BOTH,
        members=[
            SpecEnumMember(name="incoming", value=0, versions=BOTH),
            SpecEnumMember(name="transferring", value=1, versions=["beta"]),
        ],
    )
    return UnifiedSpec(
        operations=[redirect, get_user, list_calls, reminder],
        types=[entity, call, group_call, user, info, participant],
        enums=[state],
    )


def sample_fixtures() -> list[Fixture]:
    common: dict[str, Any] = {"page": "call-redirect", "source_path": "p.md", "line": 1}
    return [
        Fixture(
            id="v1.0/call-redirect/request",
            file="f",
            version="v1.0",
            role="request",
            operation="call.redirect",
            body_kind="json",
            body={"targets": [], "timeout": 30},
            **common,
        ),
        Fixture(
            id="v1.0/call-redirect/response",
            file="f",
            version="v1.0",
            role="response",
            operation="call.redirect",
            status=202,
            **common,
        ),
        Fixture(
            id="v1.0/user-get/response",
            file="f",
            version="v1.0",
            role="response",
            operation="user.get",
            status=200,
            body_kind="json",
            body={"displayName": "Adele"},
            **common,
        ),
        Fixture(
            id="beta/call-redirect/request",
            file="f",
            version="beta",
            role="request",
            operation="call.redirect",
            body_kind="text",
            body="<bytes>",
            **common,
        ),
    ]


def test_paths_become_valid_templates() -> None:
    assert normalize_path("/users/{id | userPrincipalName}/calendar") == (
        "/users/{id-or-userPrincipalName}/calendar",
        ["id-or-userPrincipalName"],
    )
    assert normalize_path("https://graph.microsoft.com/beta/me/events?$filter=a eq 'b'") == (
        "/me/events",
        [],
    )
    assert normalize_path("/groups/{id}/threads/{id}/posts/{id}") == (
        "/groups/{id}/threads/{id-2}/posts/{id-3}",
        ["id", "id-2", "id-3"],
    )
    assert normalize_path("/me/reminderView(StartDateTime='{start}',x={a b})") == (
        "/me/reminderView(StartDateTime='{start}',x={a-b})",
        ["start", "a-b"],
    )
    assert normalize_path("drive/root:/{item-path}:/content/") == (
        "/drive/root:/{item-path}:/content",
        ["item-path"],
    )
    assert normalize_path("/a/{{b}/c}/{ | }") == ("/a/{b}/c/{param}", ["b", "param"])
    started = time.process_time()
    for text in ("{" * 100_000, "{a}" * 100_000, "}" * 100_000, "{a|" * 100_000):
        normalize_path(text)
    assert time.process_time() - started < 1.0


def test_normalized_paths_are_fresh_lists() -> None:
    _, names = normalize_path("/users/{id}/events/{event-id}")
    names.append("changed")
    assert normalize_path("/users/{id}/events/{event-id}")[1] == ["id", "event-id"]


def reference_shallow(value: Any, limit: int) -> bool:
    """``_shallow`` as first written: one stack entry per value."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth >= limit:
                return False
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return True


json_like = st.recursive(
    st.one_of(st.none(), st.integers(), st.text(max_size=3)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=3), inner, max_size=3),
    ),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(json_like, st.integers(min_value=0, max_value=6))
def test_depth_limit_is_what_it_was(value: Any, limit: int) -> None:
    assert _shallow(value, limit) == reference_shallow(value, limit)


def test_both_documents_validate() -> None:
    spec, fixtures = sample_spec(), sample_fixtures()
    for version in ("v1.0", "beta"):
        validate(build_openapi(spec, version, fixtures))


def test_v1_document_holds_only_v1() -> None:
    doc = build_openapi(sample_spec(), "v1.0", sample_fixtures())
    assert doc["openapi"] == "3.1.0"
    assert doc["info"]["title"] == "Microsoft Graph v1.0 (extracted from docs)"
    assert doc["info"]["version"] == "v1.0"
    assert doc["servers"] == [{"url": "https://graph.microsoft.com/v1.0"}]
    assert sorted(doc["paths"]) == [
        "/communications/calls/{call-id}",
        "/communications/calls/{id}/redirect",
        "/me",
        "/users/{id-or-userPrincipalName}",
    ]
    schemas = doc["components"]["schemas"]
    assert sorted(n for n in schemas if "ODataErrors" not in n) == [
        "microsoft.graph.call",
        "microsoft.graph.callCollectionResponse",
        "microsoft.graph.callState",
        "microsoft.graph.entity",
        "microsoft.graph.invitationParticipantInfo",
        "microsoft.graph.participant",
        "microsoft.graph.user",
    ]
    assert schemas["microsoft.graph.callState"] == {
        "type": "string",
        "enum": ["incoming"],
        "x-ms-enum": {
            "name": "callState",
            "modelAsString": False,
            "values": [{"value": "incoming", "name": "incoming"}],
        },
    }
    call = schemas["microsoft.graph.call"]
    assert "discriminator" not in call  # groupCall exists in beta only
    own = call["allOf"][1]["properties"]
    assert sorted(own) == ["createdDateTime", "participants", "routingPolicies", "size", "state"]
    assert own["state"] == {
        "anyOf": [{"$ref": "#/components/schemas/microsoft.graph.callState"}, {"type": "null"}]
    }
    assert own["createdDateTime"] == {"type": ["string", "null"], "format": "date-time"}
    assert own["routingPolicies"] == {
        "type": "array",
        "items": {"description": "Unresolved type microsoft.graph.routingPolicy."},
    }
    assert own["participants"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/microsoft.graph.participant"},
        "x-ms-navigationProperty": True,
    }
    assert own["size"] == {
        "anyOf": [{"type": "integer", "format": "int64"}, {"type": "string"}, {"type": "null"}]
    }
    user = schemas["microsoft.graph.user"]
    assert user["type"] == "object"
    assert user["description"] == "Base type microsoft.graph.directoryObject is unresolved."
    assert schemas["microsoft.graph.entity"]["discriminator"] == {
        "propertyName": "@odata.type",
        "mapping": {
            "#microsoft.graph.call": "#/components/schemas/microsoft.graph.call",
            "#microsoft.graph.entity": "#/components/schemas/microsoft.graph.entity",
        },
    }
    assert schemas["microsoft.graph.entity"]["properties"]["@odata.type"] == {"type": "string"}
    assert schemas["microsoft.graph.invitationParticipantInfo"]["x-inferred"] is True


def test_action_request_body_responses_security_and_examples() -> None:
    doc = build_openapi(sample_spec(), "v1.0", sample_fixtures())
    post = doc["paths"]["/communications/calls/{id}/redirect"]["post"]
    assert post["operationId"] == "communications.calls.call.redirect"
    assert post["summary"] == "call: redirect"
    assert "deprecated" not in post
    body = post["requestBody"]["content"]["application/json"]
    assert body["schema"] == {
        "type": "object",
        "properties": {
            "targets": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/microsoft.graph.invitationParticipantInfo"},
            },
            "timeout": {"type": ["integer", "null"], "format": "int32", "description": "Seconds."},
        },
        "required": ["targets"],
    }
    assert body["examples"] == {
        "v1.0_call-redirect_request": {
            "summary": "v1.0/call-redirect/request",
            "value": {"targets": [], "timeout": 30},
        }
    }
    assert post["responses"] == {
        "202": {"description": "Accepted"},
        "4XX": {"$ref": "#/components/responses/error"},
        "5XX": {"$ref": "#/components/responses/error"},
    }
    assert post["security"] == [{"application": ["Calls.Initiate.All"]}]
    assert doc["paths"]["/communications/calls/{id}/redirect"]["parameters"] == [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    ]
    get = doc["paths"]["/users/{id-or-userPrincipalName}"]["get"]
    assert get["operationId"] == "users.user.get"
    assert doc["paths"]["/me"]["get"]["operationId"] == "me.get"
    assert get["security"] == [
        {"delegated": ["User.Read"]},
        {"delegated": ["User.ReadWrite"]},
        {"application": ["User.Read.All"]},
    ]
    response = get["responses"]["200"]["content"]["application/json"]
    assert response["schema"] == {"$ref": "#/components/schemas/microsoft.graph.user"}
    assert list(response["examples"]) == ["v1.0_user-get_response"]
    listed = doc["paths"]["/communications/calls/{call-id}"]["get"]["responses"]["200"]
    page = "microsoft.graph.callCollectionResponse"
    assert listed["content"]["application/json"]["schema"] == {
        "$ref": f"#/components/schemas/{page}"
    }
    assert doc["components"]["schemas"][page]["properties"]["value"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/microsoft.graph.call"},
    }
    flows = doc["components"]["securitySchemes"]
    assert flows["delegated"]["flows"]["authorizationCode"]["scopes"] == {
        "User.Read": "User.Read",
        "User.ReadWrite": "User.ReadWrite",
    }
    assert flows["application"]["flows"]["clientCredentials"]["scopes"] == {
        "Calls.Initiate.All": "Calls.Initiate.All",
        "User.Read.All": "User.Read.All",
    }


def test_each_document_asks_for_the_scopes_its_version_documents() -> None:
    spec = sample_spec()
    redirect = spec.operations[0]
    redirect.permission_sets = [
        SpecPermissions(application=["Calls.Initiate.All", "Calls.X.All"], versions=["beta"]),
        SpecPermissions(application=["Calls.Initiate.All"], versions=["v1.0"]),
    ]
    path = "/communications/calls/{id}/redirect"
    scopes = {}
    for version in BOTH:
        doc = build_openapi(spec, version)
        assert doc["paths"][path]["post"]["operationId"] == "communications.calls.call.redirect"
        flows = doc["components"]["securitySchemes"]["application"]["flows"]
        scopes[version] = (
            doc["paths"][path]["post"]["security"],
            sorted(flows["clientCredentials"]["scopes"]),
        )
    assert scopes["v1.0"] == (
        [{"application": ["Calls.Initiate.All"]}],
        ["Calls.Initiate.All", "User.Read.All"],
    )
    assert scopes["beta"] == (
        [{"application": ["Calls.Initiate.All"]}, {"application": ["Calls.X.All"]}],
        ["Calls.Initiate.All", "Calls.X.All"],
    )
    validate(build_openapi(spec, "beta"))


def test_beta_document_has_deprecations_subtypes_and_functions() -> None:
    doc = build_openapi(sample_spec(), "beta", sample_fixtures())
    assert sorted(doc["paths"]) == [
        "/app/calls/{id}/redirect",
        "/communications/calls/{call-id}",
        "/communications/calls/{id}/redirect",
        "/users/{id}/reminderView(startDateTime='{start}',endDateTime={end-value})",
    ]
    live = doc["paths"]["/communications/calls/{id}/redirect"]["post"]
    old = doc["paths"]["/app/calls/{id}/redirect"]["post"]
    assert (live["operationId"], old["operationId"]) == (
        "communications.calls.call.redirect",
        "app.calls.call.redirect",
    )
    assert "deprecated" not in live and old["deprecated"] is True
    props = live["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert props["targetDisposition"] == {"type": ["string", "null"], "deprecated": True}
    assert "examples" not in live["requestBody"]["content"]["application/json"]  # text body
    function = doc["paths"][
        "/users/{id}/reminderView(startDateTime='{start}',endDateTime={end-value})"
    ]
    assert [p["name"] for p in function["parameters"]] == ["id", "start", "end-value"]
    assert function["get"]["deprecated"] is True
    assert function["get"]["responses"]["200"]["content"]["application/json"]["schema"][
        "properties"
    ]["value"]["items"] == {"description": "Unresolved type microsoft.graph.reminder."}
    schemas = doc["components"]["schemas"]
    assert schemas["microsoft.graph.callState"]["enum"] == ["incoming", "transferring"]
    assert schemas["microsoft.graph.call"]["discriminator"]["mapping"] == {
        "#microsoft.graph.call": "#/components/schemas/microsoft.graph.call",
        "#microsoft.graph.groupCall": "#/components/schemas/microsoft.graph.groupCall",
    }
    assert sorted(schemas["microsoft.graph.entity"]["discriminator"]["mapping"]) == [
        "#microsoft.graph.call",
        "#microsoft.graph.entity",
        "#microsoft.graph.groupCall",
    ]
    assert schemas["microsoft.graph.groupCall"]["allOf"][0] == {
        "$ref": "#/components/schemas/microsoft.graph.call"
    }
    assert "microsoft.graph.user" not in schemas


def test_same_shape_paths_merge_and_methods_do_not_collide() -> None:
    def op(op_id: str, path: str, method: str = "GET") -> SpecOperation:
        return SpecOperation(
            id=op_id,
            method=method,
            versions=["v1.0"],
            paths=[SpecRequestPath(path=path, versions=["v1.0"])],
        )

    spec = UnifiedSpec(
        operations=[
            op("a.get", "/groups/{group-id}/threads/{thread-id}"),
            op("b.get", "/groups/{id}/threads/{id}"),
            op("c.delete", "/groups/{id}/threads/{id}", "DELETE"),
            op("d.odd", "/x", "MERGE"),
        ]
    )
    doc = build_openapi(spec, "v1.0")
    validate(doc)
    assert list(doc["paths"]) == ["/groups/{group-id}/threads/{thread-id}"]
    item = doc["paths"]["/groups/{group-id}/threads/{thread-id}"]
    assert item["get"]["operationId"] == "groups.group.threads.thread.get"
    assert item["get"]["x-also-documented-by"] == ["b.get"]
    assert item["delete"]["operationId"] == "groups.group.threads.thread.delete"
    assert item["get"]["responses"] == {
        "200": {"description": "Success"},
        "4XX": {"$ref": "#/components/responses/error"},
        "5XX": {"$ref": "#/components/responses/error"},
    }


def test_create_and_update_bodies_without_a_table_use_the_entity() -> None:
    def op(op_id: str, kind: str, method: str, response: str | None) -> SpecOperation:
        return SpecOperation(
            id=op_id,
            kind=kind,
            method=method,
            versions=["v1.0"],
            binding_type="microsoft.graph.user",
            paths=[SpecRequestPath(path=f"/{op_id}", versions=["v1.0"])],
            responses=[SpecResponse(status=201, type=response, versions=["v1.0"])],
        )

    spec = UnifiedSpec(
        operations=[
            op("create", "create", "POST", "microsoft.graph.event"),
            op("update", "update", "PATCH", None),
        ],
        types=[
            SpecTypeDef(name=n, versions=["v1.0"])
            for n in ("microsoft.graph.event", "microsoft.graph.user")
        ],
    )
    doc = build_openapi(spec, "v1.0")
    validate(doc)

    def body(path: str, method: str) -> Any:
        return doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]

    assert body("/create", "post") == {"$ref": "#/components/schemas/microsoft.graph.event"}
    assert body("/update", "patch") == {"$ref": "#/components/schemas/microsoft.graph.user"}
    assert doc["paths"]["/create"]["post"]["responses"]["201"]["description"] == "Created"


def test_yaml_is_deterministic_and_has_no_aliases() -> None:
    spec, fixtures = sample_spec(), sample_fixtures()
    files = render_openapi(spec, fixtures)
    assert [f for f in sorted(files) if f.count("/") == 1] == [
        "openapi/beta.yaml",
        "openapi/v1.0.yaml",
    ]
    shuffled = UnifiedSpec(
        operations=list(reversed(spec.operations)),
        types=list(reversed(spec.types)),
        enums=spec.enums,
    )
    assert render_openapi(shuffled, list(reversed(fixtures))) == files
    text = files["openapi/v1.0.yaml"]
    assert "&id" not in text and "*id" not in text
    assert text.startswith("# OpenAPI 3.1.0 description of Microsoft Graph v1.0")
    assert "\ncomponents:\n" in text
    assert yaml.safe_load(text) == build_openapi(spec, "v1.0", fixtures)
    shared = {"a": 1}
    assert dump_yaml({"x": shared, "z": shared}) == "x:\n  a: 1\nz:\n  a: 1\n"
    assert dump_yaml({"t": "中文 ü"}) == 't: "中文 ü"\n'


def test_bad_bodies_do_not_break_the_yaml() -> None:
    deep: Any = []
    for _ in range(500):
        deep = [deep]
    common: dict[str, Any] = {
        "page": "p",
        "source_path": "p.md",
        "line": 1,
        "version": "v1.0",
        "operation": "user.get",
        "role": "response",
        "status": 200,
        "body_kind": "json",
        "file": "f",
    }
    fixtures = [
        Fixture(id="v1.0/p/deep", body=deep, **common),
        Fixture(id="v1.0/p/odd", body={"name": "bad \ud800 half"}, **common),
    ]
    doc = build_openapi(sample_spec(), "v1.0", fixtures)
    examples = doc["paths"]["/users/{id-or-userPrincipalName}"]["get"]["responses"]["200"][
        "content"
    ]["application/json"]["examples"]
    assert list(examples) == ["v1.0_p_odd"]
    text = dump_yaml(doc)
    assert 'name: "bad \ufffd half"' in text
    assert fixtures[1].body == {"name": "bad \ud800 half"}  # the fixture itself is untouched


def test_empty_spec_is_a_valid_document() -> None:
    doc = build_openapi(UnifiedSpec(), "beta")
    validate(doc)
    assert doc["paths"] == {}
    assert sorted(doc["components"]["schemas"]) == [
        "microsoft.graph.ODataErrors.ErrorDetails",
        "microsoft.graph.ODataErrors.InnerError",
        "microsoft.graph.ODataErrors.MainError",
        "microsoft.graph.ODataErrors.ODataError",
    ]


# --- real corpus -----------------------------------------------------------------------------


@pytest.mark.slow
def test_full_zh_cn_corpus_gives_valid_documents(
    zh_cn_records: list[Any], zh_cn_result: BuildResult
) -> None:
    """Every zh-CN page, reconciled: both documents validate and versions add up."""
    records = zh_cn_records
    result = zh_cn_result
    operations = result.spec.operations
    for operation in operations:
        assert operation.versions == sorted({s.version for s in operation.sources}), operation.id
    both = sum(op.versions == BOTH for op in operations)
    started = time.perf_counter()
    documents = {v: build_openapi(result.spec, v, result.fixtures) for v in ("v1.0", "beta")}
    built = time.perf_counter() - started
    for document in documents.values():
        validate(document)
    counts = Counter(len(op.versions) for op in operations)
    if os.environ.get("EXTRACTOR_REPORT"):
        print(
            f"\nrecords={len(records)} operations={len(operations)} both={both} "
            f"by-version-count={dict(counts)} types={len(result.spec.types)} "
            f"inferred={sum(t.inferred for t in result.spec.types)} "
            f"enums={len(result.spec.enums)} fixtures={len(result.fixtures)} "
            f"paths v1.0={len(documents['v1.0']['paths'])} beta={len(documents['beta']['paths'])} "
            f"openapi build {built:.1f}s"
        )
    assert both >= 1800  # pages documenting one request are one operation
    # 351 operations in both versions ask for other scopes in beta; each document has its own
    differing = [op for op in operations if len(op.permission_sets) > 1]
    assert len(differing) >= 300
    wanted = {"application": ["Directory.ReadWrite.All"]}  # beta's page asks for it, v1.0's not
    scopes = {
        version: [
            wanted in entry.get("security", [])
            for item in document["paths"].values()
            for entry in item.values()
            if isinstance(entry, dict)
            and entry.get("operationId") == "applications.application.addPassword"
        ]
        for version, document in documents.items()
    }
    assert scopes == {"v1.0": [False], "beta": [True]}


# --- arbitrary input ---------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from extractor.schema import (  # noqa: E402
    Example,
    Operation,
    PageRecord,
    Parameter,
    RequestPath,
    ResponseInfo,
    SourceInfo,
    TypeDef,
)

_names = st.sampled_from(["a", "B", "b", "x y", "{id}", "@odata.type", "é", ""])
_types = st.one_of(
    st.none(),
    st.sampled_from(
        ["Edm.String", "Edm.Int32", "Edm.Weird", "microsoft.graph.t", "microsoft.graph.T"]
    ),
    st.text(max_size=8),
)
_paths = st.text(alphabet="/{}| ab?=' (),", max_size=20)
_json = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5)
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["@odata.type", "k", "v"]), inner, max_size=3),
        st.just({"@odata.type": "#microsoft.graph.t"}),
    ),
    max_leaves=8,
)


@st.composite
def _records(draw: st.DrawFn) -> PageRecord:
    version = draw(st.sampled_from(["v1.0", "beta", None]))
    kind = draw(st.sampled_from(["api", "resource", "enum", "conceptual"]))
    params = [
        Parameter(
            name=draw(_names) or "p",
            type=draw(_types),
            collection=draw(st.booleans()),
            deprecated=draw(st.booleans()),
            required=draw(st.booleans()),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    operation = type_def = None
    if kind == "api":
        operation = Operation(
            id=draw(st.sampled_from(["o.a", "o.b", "O.a"])),
            kind=draw(st.sampled_from(["action", "get", "other"])),
            method=draw(st.sampled_from(["GET", "POST", "MERGE", None])),
            paths=[
                RequestPath(path=draw(_paths), deprecated=draw(st.booleans()))
                for _ in range(draw(st.integers(0, 2)))
            ],
            parameters=params,
            response=ResponseInfo(
                status=draw(st.sampled_from([None, 200, 999])), type=draw(_types)
            ),
        )
    elif kind == "resource":
        type_def = TypeDef(
            name=draw(st.sampled_from(["microsoft.graph.t", "microsoft.graph.u"])),
            base_type=draw(_types),
            properties=params,
        )
    examples = [
        Example(
            id=draw(st.sampled_from(["r", "r", "s/../"])),
            role=draw(st.sampled_from(["request", "response", "other"])),
            line=1,
            json=draw(_json),
            body_kind="json",
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    return PageRecord(
        source=SourceInfo(
            path=draw(st.sampled_from(["a/p.md", "b/p.md", "a/q.md"])),
            sha256="0",
            locale=draw(st.sampled_from(["zh-CN", "ru-RU"])),
            sourcegitcommit=draw(st.sampled_from(["1", "2"])),
            lasthandoff=draw(st.sampled_from(["01/02/2021", "13/45/2021", None])),
        ),
        version=version,
        kind=kind,
        slug=draw(st.sampled_from(["p", "q", None])),
        operation=operation,
        type=type_def,
        examples=examples,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_records(), max_size=6))
def test_any_records_give_valid_openapi(records: list[PageRecord]) -> None:
    result = reconcile(records)
    assert reconcile(list(reversed(records))).model_dump_json() == result.model_dump_json()
    assert len({f.id for f in result.fixtures}) == len(result.fixtures)
    for version in ("v1.0", "beta"):
        document = build_openapi(result.spec, version, result.fixtures)
        validate(document)
        assert name_clashes(document) == []


def test_security_lists_least_then_higher_scopes_and_unknown_is_marked() -> None:
    spec = sample_spec()
    redirect = spec.operations[0]
    redirect.permissions = Permissions(
        application=["Calls.Initiate.All"], application_higher=["Calls.All"]
    )
    post = build_openapi(spec, "v1.0", [])["paths"]["/communications/calls/{id}/redirect"]["post"]
    assert post["security"] == [
        {"application": ["Calls.Initiate.All"]},
        {"application": ["Calls.All"]},
    ]
    redirect.permissions = None
    post = build_openapi(spec, "v1.0", [])["paths"]["/communications/calls/{id}/redirect"]["post"]
    assert "security" not in post and post["x-permissions-unknown"] is True
