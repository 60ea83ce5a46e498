"""The HTTP request sections of an API page (read/pages/request): every section, templates,
query strings as parameters or fixed values, URL arguments, one method."""

from __future__ import annotations

from extractor.read.pages import build_record
from extractor.schema import PageRecord


def page(body: str, title: str = "List things", version: str = "v1.0") -> PageRecord:
    text = f"---\ndoc_type: apiPageType\n---\n# {title}\n\nNamespace: microsoft.graph\n\n{body}"
    return build_record(f"docs/api-reference/{version}/api/page.md", text.encode())


def fence(*lines: str, annotation: str = "") -> str:
    head = f"<!-- {annotation} -->\n" if annotation else ""
    return head + "```http\n" + "\n".join(lines) + "\n```\n"


def test_every_http_request_section_is_read() -> None:
    record = page(
        "## Get the default drive\n\n### HTTP request\n\n"
        + fence("GET /me/drive", annotation='{ "blockType": "request", "name": "get-drive" }')
        + "\n## Get a user's drive\n\n### HTTP request\n\n"
        + fence("GET /users/{idOrUserPrincipalName}/drive")
        + "\n## Response\n\nIf successful, this method returns a `200 OK` response code.\n",
        title="Get Drive",
    )
    operation = record.operation
    assert operation is not None
    assert [p.path for p in operation.paths] == ["/me/drive", "/users/{user-id}/drive"]
    # a fence annotated as an example request stays an example as well
    assert [e.name for e in record.examples] == ["get-drive"]


def test_query_placeholders_on_every_line_are_required_parameters() -> None:
    record = page(
        "## HTTP request\n\n"
        + fence(
            "GET /me/calendarView?startDateTime={start_datetime}&endDateTime={end_datetime}",
            "GET /users/{id | userPrincipalName}/calendarView?startDateTime={s}&endDateTime={e}",
        )
    )
    operation = record.operation
    assert operation is not None
    assert [(p.path, p.query) for p in operation.paths] == [
        ("/me/calendarView", {}),
        ("/users/{user-id}/calendarView", {}),
    ]
    assert [(q.name, q.required) for q in operation.query_parameters] == [
        ("startDateTime", True),
        ("endDateTime", True),
    ]


def test_values_a_path_fixes_make_no_path_of_its_own() -> None:
    """``/users?$expand=manager`` on the manager page calls List users; a value on a path
    the page also gives plain is an example of an optional parameter."""
    record = page(
        "## HTTP request\n\n"
        + fence(
            "GET /me/manager",
            "GET /users?$expand=manager($levels=n)",
            "GET /me/mailFolders",
            "GET /me/mailFolders/?includeHiddenFolders=true",
        ),
        title="List manager",
    )
    operation = record.operation
    assert operation is not None
    assert [(p.path, p.query) for p in operation.paths] == [
        ("/me/manager", {}),
        ("/users", {"$expand": "manager($levels=n)"}),
        ("/me/mailFolders", {}),
    ]
    assert [(q.name, q.required) for q in operation.query_parameters] == [
        ("includeHiddenFolders", False)
    ]
    assert operation.id == "me.manager.get"


def test_function_parameters_given_only_in_the_url() -> None:
    record = page(
        "## HTTP request\n\n"
        + fence(
            "GET /identityGovernance/accessReviews/definitions/"
            "{accessReviewScheduleDefinitionId}/instances/filterByCurrentUser(on='reviewer')"
        ),
        title="accessReviewInstance: filterByCurrentUser",
    )
    operation = record.operation
    assert operation is not None
    assert operation.paths[0].path.endswith("/instances/filterByCurrentUser(on='{on}')")
    assert [(p.name, p.type) for p in operation.parameters] == [("on", "Edm.String")]
    [sample] = [d for d in record.diagnostics if d.rule == "path-sample-value"]
    assert "on='reviewer'" in sample.message
    assert sample.line is not None


def test_a_sample_id_in_the_request_syntax_is_a_parameter_with_a_diagnostic() -> None:
    record = page(
        "## HTTP request\n\n"
        + fence(
            "POST /education/classes/acdefc6b-2dc6-4e71-b1e9-6d9810ab1793/assignments/"
            "cf6005fc-9e13-44a2-a6ac-a53322006454/publish",
            "POST /education/classes/{id}/assignments/{id}/publish",
        ),
        title="educationAssignment: publish",
    )
    operation = record.operation
    assert operation is not None
    assert [p.path for p in operation.paths] == [
        "/education/classes/{class-id}/assignments/{assignment-id}/publish"
    ]
    [diagnostic] = [d for d in record.diagnostics if d.rule == "path-sample-value"]
    assert diagnostic.severity == "info"


def test_lines_of_another_method_are_left_out() -> None:
    record = page(
        "## HTTP request\n\n" + fence("POST /me/messages", "PATCH /me/messages/{id}"),
        title="Create single-value extended property",
    )
    operation = record.operation
    assert operation is not None
    assert (operation.method, [p.path for p in operation.paths]) == ("POST", ["/me/messages"])
    [mixed] = [d for d in record.diagnostics if d.rule == "mixed-methods"]
    assert "left out" in mixed.message


def test_request_syntax_outside_a_section_of_that_name() -> None:
    """``site-get`` gives its paths under headings of their own, with no HTTP request one."""
    record = page(
        "## Get the tenant's root site\n\n"
        + fence("GET /sites/root", "GET /sites/contoso.sharepoint.com")
        + "\n## Example\n\n### Request\n\n"
        + fence("GET https://graph.microsoft.com/v1.0/sites/{site-id}"),
        title="Get a site resource",
    )
    operation = record.operation
    assert operation is not None
    assert [p.path for p in operation.paths] == ["/sites/root", "/sites/{site-id}"]
    assert operation.id == "sites.site.get"


def test_deprecated_paths_are_marked_on_their_templates() -> None:
    record = page(
        "## HTTP request\n\n"
        + fence("POST /app/calls/{id}/redirect", "POST /communications/calls/{id}/redirect")
        + "\n> **Note:** The `/app/calls/{id}/redirect` path is deprecated.\n",
        title="call: redirect",
    )
    operation = record.operation
    assert operation is not None
    assert [(p.path, p.deprecated) for p in operation.paths] == [
        ("/app/calls/{call-id}/redirect", True),
        ("/communications/calls/{call-id}/redirect", False),
    ]
    assert operation.id == "call.redirect"


def test_a_deprecation_note_in_another_language_and_the_example_tie_break() -> None:
    """A page without English (2023 zh-CN) still deprecates ``/app``; where two live paths
    are equally short, the one the example requests call names the operation."""
    record = page(
        '## <a name="http-request"></a>HTTP 请求\n\n'
        + fence("POST /app/calls/{id}/redirect", "POST /communications/calls/{id}/redirect")
        + "> **注意：**`/app` 路径已弃用。 今后将使用 `/communications` 路径。\n",
        title="call： redirect",
        version="beta",
    )
    operation = record.operation
    assert operation is not None
    assert [(p.path, p.deprecated) for p in operation.paths] == [
        ("/app/calls/{call-id}/redirect", True),
        ("/communications/calls/{call-id}/redirect", False),
    ]
    tied = page(
        "## HTTP request\n\n"
        + fence("GET /users/{id}/messages", "GET /me/messages")
        + "\n## Example\n\n"
        + fence(
            "GET https://graph.microsoft.com/v1.0/me/messages",
            annotation='{ "blockType": "request", "name": "list" }',
        ),
        title="List messages",
    )
    assert tied.operation is not None and tied.operation.id == "me.messages.get"
