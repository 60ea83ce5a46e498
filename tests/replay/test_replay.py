"""``extractor.replay``: the vcrpy matcher that reads the docs' placeholders as wildcards, the
lookup of examples in a build's ``fixtures/``, and exchanges replayed with requests and httpx."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from extractor.render.fixtures import cassette_uri, render_fixtures
from extractor.replay import (
    DEFAULT_ID,
    Examples,
    concrete_url,
    graph_uri,
    uri_mismatch,
)
from extractor.schema import Fixture

GRAPH = "https://graph.microsoft.com/v1.0"


@pytest.mark.parametrize(
    ("actual", "documented"),
    [
        ("/users/48d31887-5fad/messages", "/users/{id | userPrincipalName}/messages"),
        ("/users/adele@contoso.com", "/users/{id | userPrincipalName}"),
        (
            "/sites/root/drive/items/01ABC:/report.docx:/content",
            "/sites/{site-id}/drive/items/{item-id}:/{file-name}:/content",
        ),
        ("/me/drive/root('01ABC')/children", "/me/drive/root('{item-id}')/children"),
        (
            "/users/1/events?$filter=start/dateTime ge '2021-01-01'",
            "/users/{id}/events?$filter=start/dateTime ge '{start}'",
        ),
        ("/me/messages?$top=5&$select=subject", "/me/messages?$select=subject&$top=5"),
        ("/me/messages/", "/me/messages"),
    ],
)
def test_placeholders_match_what_stands_in_for_them(actual: str, documented: str) -> None:
    recorded = cassette_uri(documented, "v1.0")
    assert "{" not in recorded  # percent-encoded in the cassette, decoded by the matcher
    assert uri_mismatch(GRAPH + actual, recorded) is None


@pytest.mark.parametrize(
    ("actual", "documented", "why"),
    [
        ("/users/1/events", "/users/{id}/messages", "path"),
        ("/users/1/2/messages", "/users/{id}/messages", "path"),
        ("/users/messages", "/users/{id}/messages", "path"),
        ("/me/messages?$top=5", "/me/messages?$top=10", "query"),
        ("/me/messages", "/me/messages?$top={n}", "query"),
    ],
)
def test_what_the_placeholders_do_not_stand_for(actual: str, documented: str, why: str) -> None:
    problem = uri_mismatch(GRAPH + actual, cassette_uri(documented, "v1.0"))
    assert problem is not None and problem.startswith(why)
    assert uri_mismatch("http://graph.microsoft.com/v1.0/me", GRAPH + "/me") is not None
    assert uri_mismatch("https://example.com/v1.0/me", GRAPH + "/me") is not None


def test_clients_quote_alike_once_decoded() -> None:
    recorded = cassette_uri("/users?$filter=startswith(displayName,'a b')&$search=\"x+y\"", "v1.0")
    by_requests = GRAPH + "/users?$filter=startswith(displayName,'a%20b')&$search=%22x+y%22"
    by_httpx = (
        GRAPH + "/users?%24filter=startswith%28displayName%2C%27a%20b%27%29&%24search=%22x%2By%22"
    )
    assert uri_mismatch(by_requests, recorded) is None
    assert uri_mismatch(by_httpx, recorded) is None


def test_the_matcher_raises_as_vcrpy_expects() -> None:
    recorded = SimpleNamespace(uri=cassette_uri("/users/{id}", "v1.0"))
    assert graph_uri(SimpleNamespace(uri=GRAPH + "/users/42"), recorded) is None
    assert graph_uri(recorded, SimpleNamespace(uri=GRAPH + "/users/42")) is None  # either order
    with pytest.raises(AssertionError, match="path"):
        graph_uri(SimpleNamespace(uri=GRAPH + "/groups/42"), recorded)


def test_concrete_urls() -> None:
    uri = cassette_uri("/users/{user-id}/events/{id}?$filter=x eq '{value}'", "v1.0")
    filled = concrete_url(uri, {"user_id": "u1", "id": "e1"})
    assert filled == GRAPH + f"/users/u1/events/e1?$filter=x%20eq%20'{DEFAULT_ID}'"
    assert concrete_url("/users/{id | userPrincipalName}", {"id": "7"}) == "/users/7"
    assert uri_mismatch(filled, uri) is None


def write_fixtures(root: Path, fixtures: list[Fixture]) -> Path:
    for relative, text in render_fixtures(fixtures, roots=["/docs"]).items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return root / "fixtures"


def user_get() -> list[Fixture]:
    common = {
        "page": "user-get",
        "version": "v1.0",
        "operation": "user.get",
        "source_path": "/docs/api-reference/v1.0/api/user-get.md",
    }
    request = Fixture(
        id="v1.0/user-get/get_user-request",
        file="fixtures/v1.0/user-get/get_user-request.json",
        role="request",
        method="GET",
        url="https://graph.microsoft.com/v1.0/users/{id | userPrincipalName}",
        line=83,
        pair="v1.0/user-get/get_user-response",
        annotation={"name": "get_user"},
        **common,
    )
    response = Fixture(
        id="v1.0/user-get/get_user-response",
        file="fixtures/v1.0/user-get/get_user-response.json",
        role="response",
        status=200,
        headers=[("Content-type", "application/json"), ("Content-length", "491")],
        body_kind="json",
        body={"displayName": "Adele Vance", "id": "87d349ed-44d7-43e1-9a83-5f2406dee5bd"},
        line=94,
        pair="v1.0/user-get/get_user-request",
        annotation={"name": "get_user"},
        **common,
    )
    return [request, response]


def test_examples_are_found_by_what_a_test_knows(tmp_path: Path) -> None:
    examples = Examples(write_fixtures(tmp_path, user_get()))
    assert [e.id for e in examples.find(operation="user.get")] == [
        "v1.0/user-get/get_user-request",
        "v1.0/user-get/get_user-response",
    ]
    assert [e.role for e in examples.find("user.get", status=200)] == ["request", "response"]
    assert examples.find("user.get", version="beta") == []
    response = examples.one(operation="user.get", role="response", name="get_user")
    assert response.body["displayName"] == "Adele Vance"
    assert response.where == "api-reference/v1.0/api/user-get.md:94"
    with pytest.raises(LookupError, match="2 examples"):
        examples.one(operation="user.get")


def test_an_exchange_replays_for_requests_and_httpx(tmp_path: Path) -> None:
    requests = pytest.importorskip("requests")
    httpx = pytest.importorskip("httpx")
    exchange = Examples(write_fixtures(tmp_path, user_get())).exchange("user.get")
    url = exchange.url(id="adele@contoso.com")
    assert url == GRAPH + "/users/adele@contoso.com"
    with exchange.replay():
        by_requests = requests.get(url)
        by_httpx = httpx.get(GRAPH + "/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd")
    for response in (by_requests, by_httpx):
        exchange.check(response.status_code, response.json())
        assert response.headers["Content-Length"] == str(len(response.content))
    with pytest.raises(
        AssertionError, match=r"documented 200 at api-reference/v1.0/api/user-get.md:94"
    ):
        exchange.check(404)
    with pytest.raises(AssertionError, match=r"user-get\.md:94"):
        exchange.check(200, {"displayName": "Someone else"})


def test_the_index_names_every_path_a_test_needs(tmp_path: Path) -> None:
    root = write_fixtures(tmp_path, user_get())
    entry = json.loads((root / "index.json").read_text())[0]
    assert (root / entry["file"]).is_file() and (root / entry["cassette"]).is_file()
