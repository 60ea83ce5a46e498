"""Request paths as templates and query strings as items (read/httpblock/templates)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.read.httpblock.templates import (
    QueryItem,
    is_sample_value,
    query_items,
    singular,
    template_path,
)


@pytest.mark.parametrize(
    ("written", "template"),
    [
        ("/users/{id | userPrincipalName}/messages/{id}", "/users/{user-id}/messages/{message-id}"),
        ("/users/{usersId}/managedDevices/{managedDeviceId}/wipe", None),
        (
            "/groups/{Id}/threads/{Id}/posts/{Id}",
            "/groups/{group-id}/threads/{thread-id}/posts/{post-id}",
        ),
        ("/teams/(team-id)/channels/{channel-id}", "/teams/{team-id}/channels/{channel-id}"),
        ("/policies/{id}", "/policies/{policy-id}"),
        ("/education/classes/{id}", "/education/classes/{class-id}"),
        ("/me/people/{id}", "/me/people/{person-id}"),
        ("/me/events/{id}/instances", "/me/events/{event-id}/instances"),
        ("/sites/{site-id}/sites/{id}", "/sites/{site-id}/sites/{site-id-2}"),
        ("/users/", "/users"),
        ("me/events", "/me/events"),
        ("/recoveryKeys/'{recoveryKeyId}'", "/recoveryKeys/{recoveryKey-id}"),
        ("/x/<resourceId>", "/x/{x-id}"),
    ],
)
def test_a_key_is_named_after_its_collection(written: str, template: str | None) -> None:
    result = template_path(written)
    if template is None:
        template = "/users/{user-id}/managedDevices/{managedDevice-id}/wipe"
    assert result.path == template
    assert result.samples == []


def test_the_same_collection_gets_the_same_name_on_every_path() -> None:
    paths = ["/users/{id}/messages", "/users/{user-id}/messages/{Id}", "/users/{usersId}/photo"]
    keys = {template_path(p).path.split("/")[2] for p in paths}
    assert keys == {"{user-id}"}


def test_path_addressing() -> None:
    assert template_path("/me/drive/root:/{item-path}:/content").path == (
        "/me/drive/root:/{path}:/content"
    )
    assert template_path("/drives/{drive-id}/items/{parent-id}:/{filename}:/content").path == (
        "/drives/{drive-id}/items/{item-id}:/{path}:/content"
    )
    assert template_path("/sites/{hostname}:/{server-relative-path}").path == (
        "/sites/{hostname}:/{path}"
    )


@pytest.mark.parametrize(
    ("written", "template", "samples"),
    [
        (
            "/education/classes/acdefc6b-2dc6-4e71-b1e9-6d9810ab1793/unsubmit",
            "/education/classes/{class-id}/unsubmit",
            ["acdefc6b-2dc6-4e71-b1e9-6d9810ab1793"],
        ),
        ("/me/todo/lists/gDbc8U7HGwADDZocJgAAAA==/tasks", "/me/todo/lists/{list-id}/tasks", None),
        ("/domains/contoso.com/verify", "/domains/{domain-id}/verify", ["contoso.com"]),
        ("/users/john@contoso.com", "/users/{user-id}", ["john@contoso.com"]),
        ("/groups/2192ca408ea2410eba3bec8ae873be6b", "/groups/{group-id}", None),
    ],
)
def test_sample_values_become_parameters(
    written: str, template: str, samples: list[str] | None
) -> None:
    result = template_path(written)
    assert result.path == template
    assert len(result.samples) == 1
    if samples is not None:
        assert result.samples == samples


def test_a_cast_is_no_sample_value() -> None:
    written = "/deviceAppManagement/mobileApps/{id}/microsoft.graph.iosVppApp/assignedLicenses"
    result = template_path(written)
    assert result.samples == []
    assert result.path == (
        "/deviceAppManagement/mobileApps/{mobileApp-id}/microsoft.graph.iosVppApp/assignedLicenses"
    )


def test_function_arguments_are_named_after_their_parameter() -> None:
    placeholder = template_path("/reports/getEmailActivityCounts(period='{period_value}')")
    assert placeholder.path == "/reports/getEmailActivityCounts(period='{period}')"
    assert placeholder.samples == []
    assert [(a.name, a.sample, a.quoted) for a in placeholder.arguments] == [("period", None, True)]
    sample = template_path("/reports/getTeamsUserActivityUserCounts(period='D7')")
    assert sample.path == "/reports/getTeamsUserActivityUserCounts(period='{period}')"
    assert sample.samples == ["period='D7'"]
    assert [(a.name, a.sample) for a in sample.arguments] == [("period", "D7")]
    url_only = template_path("/x/instances/filterByCurrentUser(on='reviewer')")
    assert url_only.path == "/x/instances/filterByCurrentUser(on='{on}')"
    words = template_path("/u/{id}/reminderView(startDateTime=startDateTime-value,endDateTime=n)")
    assert (
        words.path
        == "/u/{u-id}/reminderView(startDateTime={startDateTime},endDateTime={endDateTime})"
    )
    assert words.samples == []
    dated = template_path("/reports/getX(date=2017-09-01)")
    assert dated.path == "/reports/getX(date={date})"


def test_a_function_call_missing_its_parenthesis_is_closed() -> None:
    written = "/worksheets/{id}/range(address='<address>'/entireRow"
    assert template_path(written).path == (
        "/worksheets/{worksheet-id}/range(address='{address}')/entireRow"
    )


@pytest.mark.parametrize(
    ("word", "one"),
    [
        ("users", "user"),
        ("policies", "policy"),
        ("classes", "class"),
        ("statuses", "status"),
        ("mailboxes", "mailbox"),
        ("searches", "search"),
        ("children", "child"),
        ("timesOff", "timeOff"),
        ("calendarView", "calendarView"),
        ("address", "address"),
        ("analysis", "analysis"),
    ],
)
def test_singular(word: str, one: str) -> None:
    assert singular(word) == one


def test_sample_values() -> None:
    assert is_sample_value("acdefc6b-2dc6-4e71-b1e9-6d9810ab1793")
    assert is_sample_value("'48x48'") is False
    assert not is_sample_value("microsoft.graph.user")
    assert not is_sample_value("$ref")
    assert not is_sample_value("oauth2PermissionGrants")
    assert not is_sample_value("windows81SCEPCertificateProfile")


def test_query_items() -> None:
    assert query_items("startDateTime={start_datetime}&endDateTime={end_datetime}") == [
        QueryItem("startDateTime", "{start_datetime}", True),
        QueryItem("endDateTime", "{end_datetime}", True),
    ]
    assert query_items("$expand=manager($levels=n)&expand=fields&$filter=x eq 'a&b'") == [
        QueryItem("$expand", "manager($levels=n)", False),
        QueryItem("$expand", "fields", False),
        QueryItem("$filter", "x eq 'a&b'", False),
    ]
    # ``format`` without ``$`` is an API's own parameter; ``name:{Type}`` reads as ``=``
    assert query_items("format={format}&$skipToken=x") == [
        QueryItem("format", "{format}", True),
        QueryItem("$skiptoken", "x", False),
    ]
    assert query_items("requiresReview:{Boolean}") == [
        QueryItem("requiresReview", "{Boolean}", True)
    ]
    assert query_items(None) == []
    assert query_items("&&") == []


@given(st.text(alphabet="/{}()'<>:=,|$ab-1.", max_size=60))
def test_any_path_gives_a_template_without_raising(path: str) -> None:
    result = template_path(path)
    assert result.path.startswith("/")
    assert result.path == "/" or not result.path.endswith("/")
