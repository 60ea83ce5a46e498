"""Kinds from method and path shape, and ids from the primary path (read/pages/naming)."""

from __future__ import annotations

import pytest

from extractor.read.pages.naming import classify, operation_id, path_words, primary_path, slot_id
from extractor.schema import OperationKind, RequestPath, ResponseInfo


def kind_of(
    title: str,
    method: str,
    *paths: str,
    status: int | None = 200,
    type_name: str | None = None,
    collection: bool = False,
) -> tuple[OperationKind, str | None, str | None]:
    response = ResponseInfo(status=status, type=type_name, collection=collection)
    return classify(
        title, method, [RequestPath(path=p) for p in paths], response, "microsoft.graph"
    )


def test_kinds_from_method_and_path_shape() -> None:
    assert kind_of("Delete user", "DELETE", "/users/{user-id}")[0] == "delete"
    assert kind_of("Move a DriveItem", "PATCH", "/drives/{d-id}/items/{item-id}")[0] == "update"
    assert kind_of("Create or replace", "PUT", "/me/activities/{activity-id}")[0] == "update"
    assert kind_of("Get a user", "GET", "/users/{user-id}")[0] == "get"
    listed = kind_of("Enumerate lists", "GET", "/sites/{site-id}/lists", collection=True)
    assert listed[0] == "list"
    assert kind_of("Add member", "POST", "/groups/{group-id}/members/$ref", status=204)[0] == (
        "create"
    )
    assert kind_of("Post event", "POST", "/me/events", status=201)[0] == "create"
    created = kind_of("Make user", "POST", "/users", status=200, type_name="microsoft.graph.user")
    assert created[0] == "create"
    columns = kind_of(
        "Create columnDefinition",
        "POST",
        "/sites/{site-id}/columns",
        type_name="x.columnDefinition",
    )
    assert columns[0] == "create"
    assert kind_of("Make team", "POST", "/teams", status=202)[0] == "create"  # in background
    assert kind_of("Send mail", "POST", "/me/sendMail", status=202) == (
        "action",
        "microsoft.graph.me",
        "sendMail",
    )


def test_title_words_are_no_kind() -> None:
    """``post: forward`` is an action on a post, ``driveItem: createLink`` one on a
    driveItem (answering ``201``), and ``servicePrincipals: List owners`` a list."""
    forward = kind_of(
        "post: forward", "POST", "/groups/{group-id}/threads/{thread-id}/posts/{post-id}/forward"
    )
    assert forward == ("action", "microsoft.graph.post", "forward")
    link = kind_of(
        "Create a sharing link for a DriveItem",
        "POST",
        "/drives/{drive-id}/items/{item-id}/createLink",
        status=201,
        type_name="microsoft.graph.permission",
    )
    assert link[0] == "action" and link[2] == "createLink"
    titled = kind_of(
        "driveItem: createLink", "POST", "/drives/{drive-id}/items/{item-id}/createLink"
    )
    assert titled == ("action", "microsoft.graph.driveItem", "createLink")
    owners = kind_of(
        "servicePrincipals: List owners",
        "GET",
        "/servicePrincipals/{servicePrincipal-id}/owners",
        collection=True,
    )
    assert owners == ("list", None, None)


def test_functions_and_intune_actions() -> None:
    report = kind_of(
        "reportRoot: getEmailActivityCounts", "GET", "/reports/getEmailActivityCounts(period='{p}')"
    )
    assert report == ("function", "microsoft.graph.reportRoot", "getEmailActivityCounts")
    untitled = kind_of("Search items", "GET", "/drives/{drive-id}/root/search(q='{q}')")
    assert untitled == ("function", "microsoft.graph.root", "search")
    wipe = kind_of(
        "wipe action",
        "POST",
        "/deviceManagement/managedDevices/{managedDevice-id}/wipe",
        status=204,
    )
    assert wipe == ("action", "microsoft.graph.managedDevice", "wipe")


@pytest.mark.parametrize(
    ("path", "kind", "method", "expected"),
    [
        ("/users", "list", "GET", "users.list"),
        ("/users/{user-id}", "get", "GET", "users.user.get"),
        ("/users/{id | userPrincipalName}", "get", "GET", "users.user.get"),
        ("/me", "get", "GET", "me.get"),
        ("/me/messages", "list", "GET", "me.messages.list"),
        (
            "/communications/calls/{id}/redirect",
            "action",
            "POST",
            "communications.calls.call.redirect",
        ),
        (
            "/groups/{id}/members/{id}/$ref",
            "delete",
            "DELETE",
            "groups.group.members.member.$ref.delete",
        ),
        ("/me/activities/{id}", "update", "PUT", "me.activities.activity.put"),
        ("/me/drive/root:/{item-path}:/content", "get", "GET", "me.drive.root.path.content.get"),
        ("/reports/getX(period='{period}')", "function", "GET", "reports.getX-period"),
        ("/reports/getX(date={date})", "function", "GET", "reports.getX-date"),
        ("/x/microsoft.graph.iosVppApp/y", "list", "GET", "x.iosVppApp.y.list"),
        ("/x", "other", "MERGE", "x.merge"),
    ],
)
def test_slot_ids(path: str, kind: OperationKind, method: str, expected: str) -> None:
    assert slot_id(path, kind, method) == expected


def test_ids_come_from_the_primary_path() -> None:
    """The live path with the fewest words: not a deprecated one, not one that fixes a
    query, not a path through five other collections to the same item."""
    paths = [
        RequestPath(path="/app/calls/{call-id}", deprecated=True),
        RequestPath(path="/users", query={"$expand": "manager"}),
        RequestPath(path="/a/{a-id}/b/{b-id}/calls/{call-id}"),
        RequestPath(path="/communications/calls/{call-id}"),
    ]
    primary = primary_path(paths)
    assert primary is not None and primary.path == "/communications/calls/{call-id}"
    assert operation_id("get", "GET", paths, "fallback") == "communications.calls.call.get"
    assert operation_id("get", "GET", [], "fallback") == "fallback"
    assert path_words("/users/{user-id}/messages?$top=1") == ["users", "user", "messages"]


def test_long_ids_keep_their_ends_and_a_digest_of_the_whole() -> None:
    long = (
        "/deviceManagement/deviceConfigurations/{deviceConfiguration-id}/"
        "microsoft.graph.macOSWiredNetworkConfiguration/identityCertificateForClientAuthentication"
        "/microsoft.graph.macOSImportedPFXCertificateProfile/managedDeviceCertificateStates/"
        "{managedDeviceCertificateState-id}"
    )
    got = slot_id(long, "update", "PATCH")
    assert len(got) <= 120
    first, digest, *rest = got.split(".")
    assert first == "deviceManagement" and len(digest) == 8
    assert rest[-2:] == ["managedDeviceCertificateState", "update"]
    assert slot_id(long, "update", "PATCH") == got  # stable
    assert slot_id(long.replace("macOSWired", "windowsWired"), "update", "PATCH") != got
    assert slot_id("/users/{user-id}", "get", "GET") == "users.user.get"  # short ids as they are
