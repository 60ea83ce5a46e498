"""What the OpenAPI documents say for the tools that read them: OData nullability, query and
header parameters, security, tags and docs links, responses, deprecations, names unique
ignoring case, and the per-tag documents for mock servers (small inline specs)."""

from __future__ import annotations

from typing import Any

import yaml
from openapi_spec_validator import validate

from extractor.render.openapi import build_openapi, normalize_path, render_openapi
from extractor.render.openapi.security import requirements
from extractor.render.openapi.unique import name_clashes, unique_ids
from extractor.schema import (
    Fixture,
    Header,
    Permissions,
    SpecEnumDef,
    SpecEnumMember,
    SpecOperation,
    SpecParameter,
    SpecPermissions,
    SpecRequestPath,
    SpecResponse,
    SpecSource,
    SpecTypeDef,
    UnifiedSpec,
)

V1 = ["v1.0"]
REF = "#/components/schemas/"
NULL = {"type": "null"}


def prop(name: str, type_: str | None = "Edm.String", **fields: Any) -> SpecParameter:
    return SpecParameter(name=name, type=type_, versions=V1, **fields)


def op(op_id: str, path: str, **fields: Any) -> SpecOperation:
    fields.setdefault("method", "GET")
    fields.setdefault("versions", V1)
    return SpecOperation(id=op_id, paths=[SpecRequestPath(path=path, versions=V1)], **fields)


def response(type_: str | None, status: int = 200, collection: bool = False) -> SpecResponse:
    return SpecResponse(status=status, type=type_, collection=collection, versions=V1)


def entity_types() -> list[SpecTypeDef]:
    entity = SpecTypeDef(
        name="microsoft.graph.entity",
        kind="entity",
        key="id",
        versions=V1,
        properties=[prop("id")],
    )
    user = SpecTypeDef(
        name="microsoft.graph.user",
        kind="entity",
        base_type="microsoft.graph.entity",
        versions=V1,
        properties=[
            prop("id", description="Repeated from entity by the page."),
            prop("displayName", required=True),
            prop("mail", nullable=False),
            prop("jobTitle"),
            prop("aliases", collection=True),
            prop("manager2", "microsoft.graph.entity"),
            prop("state", "microsoft.graph.userState"),
        ],
        relationships=[prop("manager", "microsoft.graph.user")],
    )
    return [entity, user]


def user_doc(**spec: Any) -> dict[str, Any]:
    state = SpecEnumDef(
        name="microsoft.graph.userState",
        versions=V1,
        members=[SpecEnumMember(name="on", description="Is on.", versions=V1)],
    )
    fixtures = spec.pop("fixtures", None)
    spec.setdefault("types", entity_types())
    spec.setdefault("enums", [state])
    document = build_openapi(UnifiedSpec(**spec), "v1.0", fixtures)
    validate(document)
    return document


def test_nullable_as_odata_defines_it() -> None:
    schemas = user_doc()["components"]["schemas"]
    own = schemas["microsoft.graph.user"]["allOf"][1]["properties"]
    assert "id" not in own  # the key is entity's; a derived type does not declare it again
    assert schemas["microsoft.graph.entity"]["properties"]["id"] == {"type": "string"}
    assert own["displayName"] == {"type": "string"}  # required
    assert own["mail"] == {"type": "string"}  # "Not nullable."
    assert own["jobTitle"] == {"type": ["string", "null"]}
    assert own["aliases"] == {"type": "array", "items": {"type": "string"}}
    assert own["manager2"] == {"anyOf": [{"$ref": f"{REF}microsoft.graph.entity"}, NULL]}
    assert own["manager"] == {
        "anyOf": [{"$ref": f"{REF}microsoft.graph.user"}, NULL],
        "x-ms-navigationProperty": True,
    }
    assert own["state"] == {"anyOf": [{"$ref": f"{REF}microsoft.graph.userState"}, NULL]}
    assert schemas["microsoft.graph.userState"]["x-ms-enum"] == {
        "name": "userState",
        "modelAsString": False,
        "values": [{"value": "on", "name": "on", "description": "Is on."}],
    }
    assert schemas["microsoft.graph.entity"]["properties"]["@odata.type"] == {"type": "string"}
    assert schemas["microsoft.graph.entity"]["discriminator"]["mapping"] == {
        "#microsoft.graph.entity": f"{REF}microsoft.graph.entity",
        "#microsoft.graph.user": f"{REF}microsoft.graph.user",
    }


def test_query_and_header_parameters() -> None:
    listed = op(
        "users.list",
        "/users",
        kind="list",
        query_parameters=[
            prop("$select"),
            prop("$FILTER", required=True, description="Required here."),
            prop("$top", "Edm.Int32"),
            prop("since", "Edm.DateTimeOffset"),
            prop("$select"),
        ],
        headers=[
            Header(name="Authorization", description="Bearer {token}.", required=True),
            Header(name="Accept", description="application/json"),
            Header(name="ConsistencyLevel", description="eventual.", required=True),
            Header(name="Prefer: outlook.timezone", description="Time zone.", required=False),
            Header(name="prefer", description="Other preference."),
            Header(name="_if-match_", description="ETag."),
            Header(name="Delegated (personal Microsoft account", description="leaked row"),
        ],
        responses=[response("microsoft.graph.user", collection=True)],
    )
    document = user_doc(operations=[listed])
    get = document["paths"]["/users"]["get"]
    assert get["parameters"] == [
        {"$ref": "#/components/parameters/select"},
        {
            "name": "$filter",
            "in": "query",
            "description": "Required here.",
            "required": True,
            "style": "form",
            "explode": False,
            "schema": {"type": "string"},
        },
        {"$ref": "#/components/parameters/top"},
        {"name": "since", "in": "query", "schema": {"type": "string", "format": "date-time"}},
        {
            "name": "ConsistencyLevel",
            "in": "header",
            "required": True,
            "description": "eventual.",
            "schema": {"type": "string"},
        },
        {
            "name": "Prefer",
            "in": "header",
            "description": "`outlook.timezone`: Time zone.\n\nOther preference.",
            "schema": {"type": "string"},
        },
        {"name": "If-Match", "in": "header", "description": "ETag.", "schema": {"type": "string"}},
    ]
    shared = document["components"]["parameters"]
    assert sorted(shared) == ["select", "top"]
    assert shared["top"]["schema"] == {"type": "integer", "minimum": 0}
    assert name_clashes(document) == []


def test_security_alternatives_conjunctions_and_none() -> None:
    assert requirements(("Policy.Read.All and Application.ReadWrite.All",)) == (
        ("Policy.Read.All", "Application.ReadWrite.All"),
    )
    assert requirements(("Directory.Read.All or Directory.ReadWrite.All", "Not supported.")) == (
        ("Directory.Read.All",),
        ("Directory.ReadWrite.All",),
    )
    assert requirements(("See [this](../api/subscription-post-subscriptions.md).",)) == ()
    assert requirements(
        ("Files.Read.All </br>Group.Read.All", "EduRoster.Write plus Member.Read.Hidden")
    ) == (
        ("Files.Read.All",),
        ("Group.Read.All",),
        ("EduRoster.Write", "Member.Read.Hidden"),
    )
    granted = op(
        "users.get",
        "/users/{id}",
        permissions=Permissions(
            delegated_work=["User.Read", "Policy.Read.All and User.Read.All"],
            application=["Not supported."],
        ),
    )
    silent = op("users.delta", "/users/delta", kind="function")
    document = user_doc(operations=[granted, silent])
    get = document["paths"]["/users/{id}"]["get"]
    assert get["security"] == [
        {"delegated": ["User.Read"]},
        {"delegated": ["Policy.Read.All", "User.Read.All"]},
    ]
    assert get["x-ms-permissions"] == {
        "documented": True,
        "delegatedWork": ["User.Read", "Policy.Read.All and User.Read.All"],
        "delegatedPersonal": [],
        "application": [],
    }
    delta = document["paths"]["/users/delta"]["get"]
    assert delta["security"] == [{"delegated": []}, {"application": []}]
    assert delta["x-ms-permissions"]["documented"] is False


def test_tags_summary_and_docs_link() -> None:
    source = SpecSource(path="/c/api-reference/v1.0/api/user-list-manager.md", version="v1.0")
    operations = [
        op("users.manager.get", "/users/{id}/manager", title="List manager", sources=[source]),
        op("users.delta", "/users/delta", kind="function"),
        op("users.get", "/users/{id}"),
        op("calls.get", "/communications/calls/{id}"),
        op("seed", "/x", sources=[SpecSource(path="corpus/000_0cb9.txt", version="v1.0")]),
    ]
    document = user_doc(operations=operations)
    paths = document["paths"]
    manager = paths["/users/{id}/manager"]["get"]
    assert manager["tags"] == ["users.manager"] and manager["summary"] == "List manager"
    assert manager["externalDocs"]["url"] == (
        "https://learn.microsoft.com/graph/api/user-list-manager?view=graph-rest-1.0"
    )
    assert paths["/users/delta"]["get"]["tags"] == ["users"]
    assert paths["/users/{id}"]["get"]["tags"] == ["users"]
    assert paths["/users/{id}"]["get"]["summary"] == "users.get"
    assert paths["/communications/calls/{id}"]["get"]["tags"] == ["communications.calls"]
    assert "externalDocs" not in paths["/x"]["get"]  # a seed file's name is no page's address
    assert [t["name"] for t in document["tags"]] == [
        "communications.calls",
        "users",
        "users.manager",
        "x",
    ]
    assert all(t["description"] for t in document["tags"])


def fixture(fixture_id: str, operation: str, status: int, body: Any) -> Fixture:
    return Fixture(
        id=fixture_id,
        file="f",
        page="p",
        version="v1.0",
        role="response",
        operation=operation,
        status=status,
        body_kind="json",
        body=body,
        source_path="p.md",
        line=1,
    )


def test_responses_pages_values_errors_and_examples() -> None:
    operations = [
        op(
            "users.list",
            "/users",
            kind="list",
            responses=[response("microsoft.graph.user", collection=True)],
        ),
        op("users.count", "/users/countThem", kind="function", responses=[response("Edm.Int32")]),
        op("users.photo", "/users/{id}/photo/$value", responses=[response("Edm.Stream")]),
        op("users.list~odd", "/users", kind="list"),
    ]
    fixtures = [
        fixture("v1.0/list/ok", "users.list", 200, {"value": [{"jobTitle": None}]}),
        fixture("v1.0/list/bad", "users.list", 400, {"error": {"code": "x", "message": "y"}}),
        fixture("v1.0/odd/ok", "users.list~odd", 200, {"value": []}),
    ]
    document = user_doc(operations=operations, fixtures=fixtures)
    listed = document["paths"]["/users"]["get"]
    assert listed["x-ms-pageable"] == {
        "nextLinkName": "@odata.nextLink",
        "operationName": "listMore",
    }
    ok = listed["responses"]["200"]["content"]["application/json"]
    assert ok["schema"] == {"$ref": f"{REF}microsoft.graph.userCollectionResponse"}
    assert sorted(ok["examples"]) == ["v1.0_list_ok", "v1.0_odd_ok"]  # also documented
    bad = listed["responses"]["400"]["content"]["application/json"]
    assert bad["schema"] == {"$ref": f"{REF}microsoft.graph.ODataErrors.ODataError"}
    assert listed["responses"]["4XX"] == {"$ref": "#/components/responses/error"}
    page = document["components"]["schemas"]["microsoft.graph.userCollectionResponse"]
    assert page["properties"]["@odata.nextLink"] == {"type": ["string", "null"]}
    counted = document["paths"]["/users/countThem"]["get"]["responses"]["200"]
    assert counted["content"]["application/json"]["schema"] == {
        "type": "object",
        "properties": {"value": {"type": "integer", "format": "int32"}},
    }
    photo = document["paths"]["/users/{id}/photo/$value"]["get"]["responses"]["200"]
    assert photo["content"] == {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
    }


def test_deprecated_path_points_to_the_live_one() -> None:
    redirect = SpecOperation(
        id="call.redirect",
        method="POST",
        versions=V1,
        paths=[
            SpecRequestPath(path="/communications/calls/{id}/redirect", versions=V1),
            SpecRequestPath(path="/app/calls/{id}/redirect", versions=V1, deprecated=True),
        ],
    )
    paths = user_doc(operations=[redirect])["paths"]
    old = paths["/app/calls/{id}/redirect"]["post"]
    assert old["deprecated"] is True
    assert old["x-ms-deprecation"] == {
        "description": "The docs list this request path as deprecated. "
        "Use /communications/calls/{id}/redirect instead."
    }
    assert "deprecated" not in paths["/communications/calls/{id}/redirect"]["post"]


def test_names_unique_ignoring_case() -> None:
    """Acceptance 5: operation ids and schema names that differ only by case, and two
    parameters of one name, are caught; the renderer itself never writes them."""
    assert unique_ids(["a.list", "a.List", "a.list_2", 'b."x"']) == [
        "a.list",
        "a.List_2",
        "a.list_2_2",
        "b._x",
    ]
    clashing = {
        "paths": {
            "/a/{id}": {
                "parameters": [{"name": "id", "in": "path"}],
                "get": {"operationId": "a.list", "parameters": [{"name": "ID", "in": "query"}]},
                "post": {"operationId": "a.List"},
            }
        },
        "components": {"schemas": {"x.displayAs": {}, "x.DisplayAs": {}}},
    }
    assert len(name_clashes(clashing)) == 3
    operations = [
        op("servicePrincipals.list", "/servicePrincipals"),
        op("servicePrincipals.List", "/servicePrincipals/all"),
    ]
    enums = [
        SpecEnumDef(name=n, versions=V1, members=[SpecEnumMember(name=m, versions=V1)])
        for n, m in (("microsoft.graph.DisplayAs", "a"), ("microsoft.graph.displayAs", "b"))
    ]
    types = [
        *entity_types(),
        SpecTypeDef(
            name="microsoft.graph.thing",
            versions=V1,
            properties=[prop("as", "microsoft.graph.DisplayAs")],
        ),
    ]
    document = user_doc(operations=operations, enums=enums, types=types)
    assert name_clashes(document) == []
    ids = sorted(item["get"]["operationId"] for item in document["paths"].values())
    # operationIds are the paths' words (spec ids that differ only by case never meet)
    assert ids == ["servicePrincipals.all.get", "servicePrincipals.get"]
    schemas = document["components"]["schemas"]
    merged = schemas["microsoft.graph.displayAs"]
    assert merged["enum"] == ["b", "a"] and merged["x-also-named"] == ["microsoft.graph.DisplayAs"]
    thing = schemas["microsoft.graph.thing"]["properties"]["as"]
    assert thing["anyOf"][0] == {"$ref": f"{REF}microsoft.graph.displayAs"}


def test_per_tag_documents_open_navigation_properties() -> None:
    spec = UnifiedSpec(
        operations=[
            op(
                "users.get",
                "/users/{id}",
                responses=[response("microsoft.graph.user")],
                permissions=Permissions(delegated_work=["User.Read"]),
            ),
            op("calls.get", "/communications/calls/{id}"),
        ],
        types=entity_types(),
        enums=[SpecEnumDef(name="microsoft.graph.userState", versions=V1)],
    )
    files = render_openapi(spec)
    assert sorted(f for f in files if f.startswith("openapi/v1.0/")) == [
        "openapi/v1.0/communications.calls.yaml",
        "openapi/v1.0/users.yaml",
    ]
    text = files["openapi/v1.0/users.yaml"]
    assert text.startswith("# OpenAPI 3.1.0 description of Microsoft Graph v1.0")
    assert "# The operations tagged users, for mock servers" in text
    document = yaml.safe_load(text)
    validate(document)
    assert list(document["paths"]) == ["/users/{id}"]
    assert [t["name"] for t in document["tags"]] == ["users"]
    schemas = document["components"]["schemas"]
    assert "microsoft.graph.userCollectionResponse" not in schemas
    own = schemas["microsoft.graph.user"]["allOf"][1]["properties"]
    assert own["manager"] == {
        "anyOf": [{"type": "object", "title": "microsoft.graph.user"}, NULL],
        "x-ms-navigationProperty": True,
    }
    assert schemas["microsoft.graph.entity"]["discriminator"] == {"propertyName": "@odata.type"}
    whole = yaml.safe_load(files["openapi/v1.0.yaml"])
    assert whole["paths"]["/users/{id}"] == document["paths"]["/users/{id}"]


def test_permission_sets_per_version_still_apply() -> None:
    granted = op(
        "users.get",
        "/users/{id}",
        permission_sets=[SpecPermissions(application=["User.Read.All"], versions=V1)],
    )
    get = user_doc(operations=[granted])["paths"]["/users/{id}"]["get"]
    assert get["security"] == [{"application": ["User.Read.All"]}]


def test_path_parameters_unique_ignoring_case() -> None:
    """``/me/contactfolders/{Id}/contacts/{id}`` (a real page): one client argument ``id``."""
    assert normalize_path("/me/contactfolders/{Id}/contacts/{id}") == (
        "/me/contactfolders/{Id}/contacts/{id-2}",
        ["Id", "id-2"],
    )
    document = user_doc(operations=[op("contacts.get", "/me/contactfolders/{Id}/contacts/{id}")])
    assert name_clashes(document) == []


def test_operation_ids_unique_ignoring_punctuation() -> None:
    """A page's stray ``$`` segment (``/tables/$/add``) gives the words of ``/tables/add``;
    generators fold both into ``TablesAdd``, so the renderer tells them apart."""
    assert name_clashes(
        {"paths": {"/a": {"get": {"operationId": "t.$.add"}, "post": {"operationId": "t.add"}}}}
    ) == ["operationId 't.add' (post /a) clashes with 't.$.add'"]
    operations = [
        op("tables.add", "/tables/add", method="POST", kind="action"),
        op("tables.$.add", "/tables/$/add", method="POST", kind="action"),
    ]
    document = user_doc(operations=operations)
    assert name_clashes(document) == []


def test_graph_json_type_takes_any_json_value() -> None:
    """A workbook range's ``values`` (``Json``) are arrays of arrays: the documented ``Json``
    type with no member constrains nothing; a type merely named like it keeps its shape."""
    json_type = SpecTypeDef(
        name="microsoft.graph.Json", versions=V1, description="Data in JSON format."
    )
    holder = SpecTypeDef(
        name="microsoft.graph.range",
        versions=V1,
        properties=[
            SpecParameter(name="values", type="microsoft.graph.Json", versions=V1, nullable=False)
        ],
    )
    schemas = user_doc(types=[*entity_types(), json_type, holder])["components"]["schemas"]
    assert schemas["microsoft.graph.Json"] == {
        "description": "Data in JSON format.",
        "x-ms-json": True,
    }
    ref = schemas["microsoft.graph.range"]["properties"]["values"]
    assert ref == {"$ref": f"{REF}microsoft.graph.Json"}
