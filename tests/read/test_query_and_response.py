"""Query parameters (read/pages/query) and what the operation returns (read/pages/response),
each rule on a small page."""

from __future__ import annotations

from extractor.read.pages import build_record
from extractor.schema import Operation, PageRecord

REQUEST = "## HTTP request\n\n```http\nGET /me/events\n```\n\n"


def page(body: str, title: str = "List events", request: str = REQUEST) -> PageRecord:
    text = f"---\ndoc_type: apiPageType\n---\n# {title}\n\nNamespace: microsoft.graph\n\n"
    return build_record("docs/api-reference/v1.0/api/page.md", (text + request + body).encode())


def operation_of(record: PageRecord) -> Operation:
    assert record.operation is not None
    return record.operation


def response_example(annotation: str, body: str, status: str = "200 OK") -> str:
    return (
        f"## Example\n\n### Response\n\n<!-- {annotation} -->\n"
        f"```http\nHTTP/1.1 {status}\nContent-type: application/json\n\n{body}\n```\n"
    )


# --- query parameters ----------------------------------------------------------------


def test_query_parameter_table_with_a_required_lead() -> None:
    record = page(
        "## Query parameters\n\n"
        "In the request URL, provide the following required query parameters with values.\n\n"
        "| Parameter | Type | Description |\n|:--|:--|:--|\n"
        "| startDateTime | String | The start of the range. |\n"
        "| endDateTime | String | The end of the range. Optional. |\n\n"
        "This method also supports some of the [OData query parameters](/graph/query-parameters)"
        " to help customize the response.\n"
    )
    parameters = operation_of(record).query_parameters
    assert [(p.name, p.type, p.required) for p in parameters] == [
        ("startDateTime", "Edm.String", True),
        ("endDateTime", "Edm.String", False),
    ]
    assert parameters[0].description == "The start of the range."


def test_odata_options_of_a_table_and_of_sentences() -> None:
    record = page(
        "## Optional query parameters\n\n"
        "| Name | Value | Description |\n|:--|:--|:--|\n"
        "| [$filter](/graph/query-parameters#filter) | string | Filters results. |\n"
        "| `$top` | int | Page size. |\n"
        "| $skipToken | string | Next page. |\n\n"
        "This method supports the `$select` and `$expand` [OData query parameters](/x) to help "
        "customize the response. The `$search` query parameter is not supported.\n\n"
        "- There is limited support for `$orderby`.\n"
    )
    parameters = operation_of(record).query_parameters
    assert [(p.name, p.type, p.required) for p in parameters] == [
        ("$filter", "Edm.String", False),
        ("$top", "Edm.Int32", False),
        ("$skiptoken", "Edm.String", False),
        ("$select", "Edm.String", False),
        ("$expand", "Edm.String", False),
        ("$orderby", "Edm.String", False),
    ]


def test_a_headers_subsection_of_the_query_section_holds_no_query_parameter() -> None:
    record = page(
        "## Optional query parameters\n\n"
        "This method supports the `$expand` [OData query parameters](/x).\n\n"
        "### Optional request headers\n\n"
        "| Name | Value | Description |\n|:--|:--|:--|\n"
        "| _if-none-match_ | etag | If this request header is included ... |\n\n"
        "### Query options for a filter\n\n"
        "| Name | Type | Description |\n|:--|:--|:--|\n"
        "| since | String | Changes after. |\n"
    )
    operation = operation_of(record)
    assert [p.name for p in operation.query_parameters] == ["since", "$expand"]
    assert [h.name for h in operation.headers] == ["if-none-match"]


def test_sentences_that_name_no_option_add_none() -> None:
    record = page(
        "## Optional query parameters\n\n"
        "This method supports the [OData query parameters](/graph/query-parameters) to help "
        "customize the response.\n\n"
        "This method does **not** support any OData query parameters (for example, `$filter` "
        "is not supported here).\n"
    )
    assert operation_of(record).query_parameters == []


def test_tables_of_values_are_no_parameters() -> None:
    record = page(
        "## Optional query parameters\n\n"
        "| Vendor name | $filter keyword |\n|:--|:--|\n| Azure Security Center | ASC |\n\n"
        "| Value | Description |\n|:--|:--|\n| pdf | Converts the item into PDF. |\n"
    )
    assert operation_of(record).query_parameters == []


def test_a_table_completes_what_the_request_line_says() -> None:
    record = page(
        "## Query parameters\n\n| Parameter | Type | Description |\n|:--|:--|:--|\n"
        "| format | String | The format to convert to. |\n",
        request=(
            "## HTTP request\n\n```http\nGET /drive/items/{item-id}/content?format={format}\n```\n"
        ),
    )
    [parameter] = operation_of(record).query_parameters
    assert (parameter.name, parameter.type, parameter.required) == ("format", "Edm.String", True)


# --- response ------------------------------------------------------------------------


def test_collection_words_of_the_prose() -> None:
    for words in (
        "a collection of [event](../resources/event.md) objects",
        "an [event](../resources/event.md) collection",
        "a list of [events](../resources/event.md)",
    ):
        record = page(
            f"## Response\n\nIf successful, this method returns a `200 OK` response code and "
            f"{words} in the response body.\n"
        )
        response = operation_of(record).response
        assert (response.status, response.type, response.collection) == (
            200,
            "microsoft.graph.event",
            True,
        ), words


def test_annotation_and_body_say_collection_where_the_prose_does_not() -> None:
    prose = (
        "## Response\n\nIf successful, this method returns a `200 OK` response code and an "
        "[event](../resources/event.md) object in the response body.\n\n"
    )
    annotated = page(
        prose
        + response_example(
            '{ "blockType": "response", "@odata.type": "Collection(microsoft.graph.event)" }',
            '{"value": []}',
        )
    )
    assert operation_of(annotated).response.collection is True
    body_only = page(
        prose + response_example('{ "blockType": "response" }', '{"value": [{"id": "1"}]}')
    )
    assert operation_of(body_only).response.collection is True
    single = page(prose + response_example('{ "blockType": "response" }', '{"id": "1"}'))
    assert operation_of(single).response.collection is False


def test_the_prose_wins_and_a_disagreement_is_reported() -> None:
    record = page(
        "## Response\n\nIf successful, this method returns a `200 OK` response code and a "
        "[directoryObject](../resources/directoryobject.md) object in the response body.\n\n"
        + response_example(
            '{ "blockType": "response", "@odata.type": "microsoft.graph.user" }', '{"id": "1"}'
        ),
        title="Get manager",
    )
    assert operation_of(record).response.type == "microsoft.graph.directoryObject"
    [differs] = [d for d in record.diagnostics if d.rule == "response-differs"]
    assert "microsoft.graph.user" in differs.message and differs.line is not None


def test_no_type_from_an_error_conditions_sentence() -> None:
    record = page(
        "## Response\n\nIf successful, this method returns `204 No Content` response code. It "
        "does not return anything in the response body.\n\nThis method can return any of the "
        "[HTTP status codes](/graph/errors). For more information about these errors, see "
        "[Common Planner error conditions](../resources/planner-overview.md#errors).\n",
        title="Delete plannerTask",
        request="## HTTP request\n\n```http\nDELETE /planner/tasks/{id}\n```\n\n",
    )
    response = operation_of(record).response
    assert (response.status, response.type) == (204, None)


def test_a_conditional_sentence_names_no_response() -> None:
    record = page(
        "## Response\n\nIf successful, this method returns `204 No Content` response and empty "
        "content. If the request specifies `Prefer` header with `return=representation` "
        "preference, then this method returns a `200 OK` response code and updated "
        "[plannerTask](../resources/plannertask.md) object in the response body.\n",
        request="## HTTP request\n\n```http\nPATCH /planner/tasks/{id}\n```\n\n",
    )
    response = operation_of(record).response
    assert (response.status, response.type) == (204, None)


def test_a_report_answers_with_its_json_type_and_its_first_status() -> None:
    record = page(
        "## Response\n\n### CSV\n\nIf successful, this method returns a `302 Found` response "
        "that redirects to a preauthenticated download URL for the report.\n\n### JSON\n\n"
        "If successful, this method returns a `200 OK` response code and a "
        "**[yammerActivitySummary](../resources/yammeractivitysummary.md)** object in the "
        "response body.\n\n"
        + response_example('{ "blockType": "response", "@odata.type": "stream" }', "a,b")
        + response_example(
            '{ "blockType": "response", "@odata.type": "microsoft.graph.yammerActivitySummary" }',
            '{"@odata.context": "https://graph.microsoft.com/beta/$metadata#Collection('
            'microsoft.graph.yammerActivitySummary)", "value": [{"read": 1}]}',
        ),
        title="reportRoot: getYammerActivityCounts",
        request=(
            "## HTTP request\n\n```http\nGET /reports/getYammerActivityCounts(period='D7')\n```\n"
        ),
    )
    response = operation_of(record).response
    assert (response.status, response.type, response.collection) == (
        302,  # the first success status: CSV unless JSON is asked for
        "microsoft.graph.yammerActivitySummary",
        True,
    )


def test_primitives_reference_links_and_plural_link_texts() -> None:
    def said(words: str) -> tuple[str | None, bool]:
        record = page(
            f"## Response\n\nIf successful, this call returns a `200 OK` response and {words} in "
            "the response body.\n\n[contentType]: ../resources/contenttype.md\n"
        )
        response = operation_of(record).response
        return response.type, response.collection

    assert said("a boolean value") == ("Edm.Boolean", False)
    assert said("a String collection") == ("Edm.String", True)
    assert said("a [contentType][] object") == ("microsoft.graph.contentType", False)
    assert said("a list of [chatMessages](../resources/chatmessage.md)") == (
        "microsoft.graph.chatMessage",
        True,
    )
    # a link to an api page is no type
    assert said("a link to [get the status](onenoteoperation-get.md)") == (None, False)


def test_a_type_a_header_points_to_is_no_response_body() -> None:
    record = page(
        "## Response\n\nIf successful, this method will return a `202 Accepted` response code "
        "with a Location: header pointing to the [operation](../resources/teamsasyncoperation.md)"
        " resource.\n",
        request="## HTTP request\n\n```http\nPOST /teams/{id}/clone\n```\n\n",
    )
    response = operation_of(record).response
    assert (response.status, response.type) == (202, None)


def test_types_named_without_a_link() -> None:
    def said(sentence: str, example: str = "") -> tuple[str | None, bool]:
        response = operation_of(page(f"## Response\n\n{sentence}\n\n{example}")).response
        return response.type, response.collection

    assert said(
        "If successful, this method returns a `200 OK` response code and a "
        "stringKeyStringValuePair."
    ) == ("microsoft.graph.stringKeyStringValuePair", False)
    assert said(
        "A successful response returns a `200 OK` that contains a JSON collection of "
        "**recentNotebooks**."
    ) == ("microsoft.graph.recentNotebook", True)
    assert said(
        "If successful, this method returns `200 OK` response code and base-64 image string "
        "in the response body."
    ) == ("Edm.String", False)
    assert said(
        "If successful, this method returns a `200 OK` response code. If the group is added "
        "to the policy, a `true` value is returned in the response body. Otherwise, a `false` "
        "value is returned in the response body."
    ) == ("Edm.Boolean", False)
    # a link after a preposition is what the value is about, not what comes back
    assert said(
        "If successful, this method returns a `200 OK` response code and a SAS URL for the "
        "[educationSynchronizationProfile](../resources/x.md) in the response body.",
        response_example('{"blockType": "response", "@odata.type": "String"}', '{"value": "u"}'),
    ) == ("Edm.String", False)
    # a body whose context names one type
    assert said(
        "If successful, this method returns a `200 OK` response code.",
        response_example(
            '{"blockType": "response"}',
            '{"@odata.context": "https://graph.microsoft.com/beta/$metadata#microsoft.graph.'
            'stringKeyStringValuePair", "key": "a", "value": "b"}',
        ),
    ) == ("microsoft.graph.stringKeyStringValuePair", False)


def test_a_200_series_code_is_any_success_and_mixed_items_name_no_type() -> None:
    record = page(
        "## Response\n\nIf successful, this method returns a 200-series response code and a "
        "new [widget](../resources/widget.md) object in the response body.\n"
    )
    response = operation_of(record).response
    assert response.status == 200 and {200, 201, 204} <= set(response.statuses)
    mixed = page(
        "## Response\n\nIf successful, this method returns a `200 OK` response code and a "
        "collection of [user](../resources/user.md) and/or [group](../resources/group.md) "
        "objects in the response body.\n\n"
        + response_example(
            '{"blockType": "response"}',
            '{"value": [{"@odata.type": "#microsoft.graph.user"}, '
            '{"@odata.type": "#microsoft.graph.group"}]}',
        )
    )
    listed = operation_of(mixed).response
    assert (listed.type, listed.collection) == (None, True)


def test_rows_about_the_items_of_another_rows_collection_are_not_required_of_the_body() -> None:
    record = page(
        "## Request body\n\n| Property | Type | Description |\n|:--|:--|:--|\n"
        "| props | [prop](../resources/prop.md) collection | One or more. Required. |\n"
        "| id | String | For each property in the **props** collection, the id. Required. |\n"
        "| value | String | For each property in the **props** collection, the value. "
        "Required. |\n",
        title="Create prop",
        request="## HTTP request\n\n```http\nPOST /me/events\n```\n\n",
    )
    parameters = operation_of(record).parameters
    assert [(p.name, p.required) for p in parameters] == [
        ("props", True),
        ("id", None),
        ("value", None),
    ]
