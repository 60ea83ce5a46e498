"""Request paths through the metadata: entity sets, singletons, keys, casts, members, bound
operations; what the docs' paths reach and what they do not."""

from __future__ import annotations

import pytest
from meta_helpers import ENTITY, csdl, found_in, operation, run, spec

from extractor.metadata.paths import Resolver, segments

G = "microsoft.graph."
METADATA = csdl(
    ENTITY
    + '<EntityType Name="directoryObject" BaseType="graph.entity"/>'
    + '<EntityType Name="user" BaseType="graph.directoryObject">'
    + '<Property Name="mailboxSettings" Type="graph.mailboxSettings"/>'
    + '<NavigationProperty Name="messages" Type="Collection(graph.message)" ContainsTarget="true"/>'
    + '<NavigationProperty Name="manager" Type="graph.directoryObject"/>'
    + '<NavigationProperty Name="drive" Type="graph.drive"/></EntityType>'
    + '<EntityType Name="message" BaseType="graph.entity"/>'
    + '<EntityType Name="drive" BaseType="graph.entity">'
    + '<NavigationProperty Name="root" Type="graph.driveItem"/></EntityType>'
    + '<EntityType Name="driveItem" BaseType="graph.entity">'
    + '<Property Name="content" Type="Edm.Stream"/></EntityType>'
    + '<ComplexType Name="mailboxSettings"/>'
    + '<EntityType Name="room" BaseType="graph.directoryObject">'
    + '<NavigationProperty Name="seats" Type="Collection(graph.message)"/></EntityType>'
    + '<Action Name="send" IsBound="true"><Parameter Name="b" Type="graph.message"/></Action>'
    + '<Function Name="delta" IsBound="true"><Parameter Name="b" Type="Collection(graph.user)"/>'
    + '<ReturnType Type="Collection(graph.user)"/></Function>'
    + '<Function Name="getByIds" IsBound="true">'
    + '<Parameter Name="b" Type="Collection(graph.directoryObject)"/>'
    + '<ReturnType Type="Collection(graph.directoryObject)"/></Function>'
    + '<EntityContainer Name="GraphService">'
    + '<EntitySet Name="users" EntityType="graph.user"/>'
    + '<EntitySet Name="directoryObjects" EntityType="graph.directoryObject"/>'
    + '<Singleton Name="me" Type="graph.user"/><Singleton Name="drive" Type="graph.drive"/>'
    + "</EntityContainer>"
)


@pytest.mark.parametrize(
    ("path", "parts"),
    [
        (
            "/users/{id | userPrincipalName}/messages",
            ["users", "{id|userPrincipalName}", "messages"],
        ),
        (
            "https://graph.microsoft.com/beta/me/messages?$top=2&$filter=x eq 'a/b'",
            ["me", "messages"],
        ),
        ("/me/drive/root:/folder/file.txt:/content", ["me", "drive", "root", "content"]),
        ("/drives/{drive-id}/root:/{item-path}", ["drives", "{drive-id}", "root"]),
        ("/sites/{hostname}:/{server-relative-path}", ["sites", "{hostname}"]),
        ("/reports/getX(period='{a/b}')/content", ["reports", "getX(period='{a/b}')", "content"]),
        ("~/onPremisesPublishingProfiles/x", ["onPremisesPublishingProfiles", "x"]),
    ],
)
def test_segments(path: str, parts: list[str]) -> None:
    assert segments(path) == parts


@pytest.mark.parametrize(
    ("path", "root", "first", "kind", "operation"),
    [
        ("/users/{id}/messages", "users", "messages", "navigation", None),
        ("/users('a@b.c')/manager", "users", "manager", "navigation", None),
        ("/me/messages/{id}/send", "me", "messages", "navigation", (G + "message", "send")),
        ("/me/messages/{id}/Send", "me", "messages", "navigation", (G + "message", "send")),
        ("/users/delta()", "users", "delta", "operation", (G + "directoryObject", "delta")),
        (
            "/directoryObjects/getByIds",
            "directoryObjects",
            "getByIds",
            "operation",
            (G + "directoryObject", "getByIds"),
        ),
        ("/users/getByIds", "users", "getByIds", "operation", (G + "directoryObject", "getByIds")),
        ("/me/mailboxSettings", "me", "mailboxSettings", "property", None),
        (
            "/directoryObjects/{id}/microsoft.graph.user/messages",
            "directoryObjects",
            G + "user",
            "cast",
            None,
        ),
        ("/me/drive/root:/a/b.txt:/content", "me", "drive", "navigation", None),
        ("/me/messages/$count", "me", "messages", "navigation", None),
        ("/me/foo/bar", "me", "foo", "unknown", None),
        # a derived type's member, reached without the cast the path needs
        (
            "/directoryObjects/{id}/seats/{id}/send",
            "directoryObjects",
            "seats",
            "derived-member",
            (G + "message", "send"),
        ),
    ],
)
def test_walks(
    path: str, root: str, first: str, kind: str, operation: tuple[str, str] | None
) -> None:
    walk = Resolver(METADATA).walk(path)
    assert walk is not None and walk.root is not None
    assert (walk.root.name, walk.first, walk.first_kind) == (root, first, kind)
    if operation is not None and operation[1] == "delta":
        operation = (G + "user", "delta")  # bound to Collection(user) itself
    assert walk.operation == operation


def test_paths_the_metadata_has_not() -> None:
    docs = spec(
        operations=(
            operation("a.get", kind="get", paths=("/app/calls/{id}", "/Users/{id}", "/me/foo")),
            operation("b.get", kind="get", paths=("/me/Messages", "/{resource}/delta", "/me/foo")),
        )
    )
    alignment = run(docs, METADATA)
    assert found_in(alignment, "paths") - {
        f for f in found_in(alignment, "paths") if f[0].endswith("-not-in-docs")
    } == {
        ("path-root-not-in-metadata", "paths", "/app"),
        ("path-name-case", "paths", "/Users"),
        ("path-segment-not-in-metadata", "paths", "/me/foo"),  # once, from a.get's page
        ("path-name-case", "paths", "/me/Messages"),
    }
    foo = next(f for f in alignment.findings if f.rule == "path-segment-not-in-metadata")
    assert foo.page == "pages/v1.0/a-get.md"


def test_reach_of_entity_sets_singletons_and_first_level_navigation() -> None:
    docs = spec(operations=(operation("x", kind="get", paths=("/users/{id}/messages", "/me")),))
    alignment = run(docs, METADATA)
    unreached = {f for f in found_in(alignment, "paths") if f[0].endswith("-not-in-docs")}
    assert unreached == {
        ("entity-set-not-in-docs", "entitySets", "directoryObjects"),
        ("singleton-not-in-docs", "singletons", "drive"),
        ("navigation-not-in-docs", "navigation", "users", "manager"),
        ("navigation-not-in-docs", "navigation", "users", "drive"),
        ("navigation-not-in-docs", "navigation", "me", "messages"),
        ("navigation-not-in-docs", "navigation", "me", "manager"),
        ("navigation-not-in-docs", "navigation", "me", "drive"),
        ("navigation-not-in-docs", "navigation", "drive", "root"),
    }
    rates = alignment.rates()
    assert (rates["entitySetReach"], rates["singletonReach"]) == (0.5, 0.5)
    assert rates["navigationReach"] == pytest.approx(1 / 7, abs=1e-4)
