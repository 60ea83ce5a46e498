"""What a careful reader sees on real pages of ../shared/corpus, trap by trap."""

from __future__ import annotations

from collections.abc import Callable

from extractor.schema import PageRecord

Build = Callable[[str], PageRecord]


def test_user_list_headers_permissions_and_collection_response(real_page: Build) -> None:
    record = real_page("v1.0/api/user-list.md")
    operation = record.operation
    assert operation is not None
    assert (operation.id, operation.kind, operation.method) == ("users.list", "list", "GET")
    assert [p.path for p in operation.paths] == ["/users"]
    assert [(h.name, h.required) for h in operation.headers] == [
        ("Authorization", True),
        ("ConsistencyLevel", True),
    ]
    assert operation.permissions.delegated_work[:2] == ["User.ReadBasic.All", "User.Read.All"]
    assert operation.permissions.delegated_personal == []
    assert (operation.response.status, operation.response.type) == (200, "microsoft.graph.user")
    assert operation.response.collection is True
    assert record.examples[0].http is not None
    assert record.examples[0].fence_info == "msgraph-interactive"


def test_user_get_names_the_key_after_its_collection(real_page: Build) -> None:
    """``{id | userPrincipalName}`` (spaces inside the braces) is the key of ``users``."""
    operation = real_page("v1.0/api/user-get.md").operation
    assert operation is not None
    assert (operation.id, operation.kind) == ("users.user.get", "get")
    assert [p.path for p in operation.paths] == ["/users/{user-id}", "/me"]


def test_user_resource_properties_relationships_base_and_enums(real_page: Build) -> None:
    record = real_page("v1.0/resources/user.md")
    assert record.kind == "resource"
    type_def = record.type
    assert type_def is not None
    assert type_def.name == "microsoft.graph.user"
    assert type_def.kind == "entity"
    assert type_def.base_type == "microsoft.graph.directoryObject"
    assert len(type_def.properties) == 71
    assert len(type_def.relationships) == 31
    by_name = {p.name: p for p in type_def.properties}
    assert (by_name["assignedLicenses"].type, by_name["assignedLicenses"].collection) == (
        "microsoft.graph.assignedLicense",
        True,
    )
    assert by_name["accountEnabled"].type == "Edm.Boolean"
    assert {e.name for e in record.enums} >= {"microsoft.graph.ageGroup"}


def test_intune_create_without_annotations(real_page: Build) -> None:
    record = real_page("v1.0/api/intune-apps-androidlobapp-create.md")
    operation = record.operation
    assert operation is not None
    assert operation.kind == "create"
    assert [p.path for p in operation.paths] == ["/deviceAppManagement/mobileApps"]
    assert operation.parameters[0].name == "id"
    assert operation.response.status == 201
    assert operation.response.type == "microsoft.graph.androidLobApp"
    request, response = record.examples
    assert (request.role, response.role) == ("request", "response")
    assert request.annotation == {}
    assert request.http is not None
    assert ("Content-length", "1115") in request.http.headers
    assert request.json_value["@odata.type"] == "#microsoft.graph.androidLobApp"
    assert response.http is not None and response.http.status == 201


def test_front_matter_wrapped_in_spans_still_gives_fields(real_page: Build) -> None:
    record = real_page("beta/api/driveitem-createuploadsession.md")
    assert record.front_matter["doc_type"] == "apiPageType"
    assert record.front_matter["title"] == "driveItem: createUploadSession"
    assert any(d.rule == "front-matter-invalid" for d in record.diagnostics)
    assert record.operation is not None
    assert record.operation.id == "driveItem.createUploadSession"
    assert (record.operation.binding_type, record.operation.name) == (
        "microsoft.graph.driveItem",
        "createUploadSession",
    )
    assert record.operation.response.type == "microsoft.graph.uploadSession"
    assert {e.body_kind for e in record.examples} >= {"json", "placeholder"}


def test_report_function_with_csv_body(real_page: Build) -> None:
    record = real_page("v1.0/api/reportroot-getemailactivitycounts.md")
    operation = record.operation
    assert operation is not None
    assert (operation.id, operation.kind) == ("reportRoot.getEmailActivityCounts", "function")
    assert (operation.binding_type, operation.name) == (
        "microsoft.graph.reportRoot",
        "getEmailActivityCounts",
    )
    assert [p.path for p in operation.paths] == [
        "/reports/getEmailActivityCounts(period='{period}')"
    ]
    assert [(p.name, p.type, p.required) for p in operation.parameters] == [
        ("period", "Edm.String", True)
    ]
    kinds = [(e.role, e.body_kind) for e in record.examples]
    assert ("response", "csv") in kinds


def test_enum_page_with_values(real_page: Build) -> None:
    record = real_page("v1.0/resources/clonableteamparts.md")
    assert record.kind == "enum"
    (enum,) = record.enums
    assert enum.name == "microsoft.graph.clonableTeamParts"
    assert [(m.name, m.value) for m in enum.members] == [
        ("apps", 1),
        ("tabs", 2),
        ("settings", 4),
        ("channels", 8),
        ("members", 16),
    ]


def test_namespaced_enum_page_with_member_only_tables(real_page: Build) -> None:
    record = real_page("v1.0/resources/enums-callrecords.md")
    assert record.namespace == "microsoft.graph.callRecords"
    names = [e.name for e in record.enums]
    assert names[0] == "microsoft.graph.callRecords.callType"
    assert len(names) == 11
    assert [m.name for m in record.enums[0].members] == [
        "unknown",
        "groupCall",
        "peerToPeer",
        "unknownFutureValue",
    ]


def test_misspelt_doc_types(real_page: Build) -> None:
    enums = real_page("beta/resources/enums-managedtenants.md")
    assert enums.kind == "enum"
    assert any(d.rule == "doc-type-misspelt" for d in enums.diagnostics)
    timecard = real_page("beta/resources/timecard.md")
    assert timecard.kind == "resource"
    assert timecard.type is not None and timecard.type.name == "microsoft.graph.timeCard"
    assert timecard.type.key == "id"


def test_missing_doc_type_read_from_structure(real_page: Build) -> None:
    record = real_page("beta/resources/intune-app-conceptual.md")
    assert record.kind == "conceptual"
    assert any(d.rule == "doc-type-missing" for d in record.diagnostics)


def test_status_line_typo_normalized(real_page: Build) -> None:
    record = real_page("beta/api/post-post-attachments.md")
    responses = [e for e in record.examples if e.role == "response"]
    assert responses[0].http is not None
    assert (responses[0].http.status, responses[0].http.reason) == (202, "Accepted")


def test_call_resource_ambiguous_type_cell_is_diagnosed(real_page: Build) -> None:
    record = real_page("v1.0/resources/call.md")
    assert record.type is not None
    media = next(p for p in record.type.properties if p.name == "mediaConfig")
    assert media.type == "microsoft.graph.appHostedMediaConfig"
    assert media.alternatives == [
        "microsoft.graph.appHostedMediaConfig",
        "microsoft.graph.serviceHostedMediaConfig",
    ]
    assert any(d.rule == "type-cell" and "mediaConfig" in d.message for d in record.diagnostics)
    # A row without a leading pipe is still a property.
    assert "transcription" in {p.name for p in record.type.properties}


def test_unclosed_fence_that_swallows_the_response_is_split(real_page: Build) -> None:
    record = real_page("beta/api/accesspackage-post-incompatiblegroup.md")
    assert [(e.role, e.body_kind) for e in record.examples] == [
        ("request", "json"),
        ("response", "empty"),
    ]
    assert record.examples[1].http is not None and record.examples[1].http.status == 204
    assert any(d.rule == "fence-unclosed" and d.line == 73 for d in record.diagnostics)
    assert [s.title for s in record.sections][-1] == "Response"


def test_page_without_spans_records_localized_prose(real_page: Build) -> None:
    record = real_page("beta/resources/bucketaggregationrange.md")
    assert record.language == "zh-CN"
    assert any(d.rule == "no-english" for d in record.diagnostics)
    assert record.type is not None and record.type.properties


def test_unparsable_json_keeps_raw_text_with_diagnostic(real_page: Build) -> None:
    # The docs use curly quotes ("GET”) inside a batch body: nothing can parse it.
    record = real_page("v1.0/api/workforceintegration-post.md")
    broken = [e for e in record.examples if e.line == 189]
    assert broken[0].json_value is None
    assert broken[0].raw_body is not None and '"method": "GET”' in broken[0].raw_body
    assert any(d.rule == "body-unparsable" and d.line == 197 for d in record.diagnostics)
    assert record.examples[0].body_kind == "json"


def test_delta_function_and_prefer_header(real_page: Build) -> None:
    operation = real_page("v1.0/api/user-delta.md").operation
    assert operation is not None
    assert (operation.id, operation.kind, operation.binding_type) == (
        "user.delta",
        "function",
        "microsoft.graph.user",
    )
    assert "Prefer" in [h.name for h in operation.headers]


def test_drive_item_content_many_paths(real_page: Build) -> None:
    operation = real_page("v1.0/api/driveitem-get-content.md").operation
    assert operation is not None
    assert len(operation.paths) == 6
    assert "/me/drive/root:/{path}:/content" in [p.path for p in operation.paths]
    assert operation.response.status == 302


def test_bot_callback_without_body_pairs_with_json(real_page: Build) -> None:
    record = real_page("v1.0/api/call-answer.md")
    notifications = [e for e in record.examples if e.role == "notification"]
    assert notifications
    assert all(e.body_kind == "json" for e in notifications)


def test_real_beta_redirect_matches_seed(real_page: Build, seeds: dict[str, PageRecord]) -> None:
    record = real_page("beta/api/call-redirect.md")
    assert record.operation is not None and seeds["beta_redirect"].operation is not None
    assert [p.name for p in record.operation.parameters] == [
        p.name for p in seeds["beta_redirect"].operation.parameters
    ]


def test_other_version_url_does_not_override_folder(real_page: Build) -> None:
    # A v1.0 page whose examples call /beta/: the folder decides, with a diagnostic.
    record = real_page("v1.0/api/educationclass-delta.md")
    assert record.version == "v1.0"
