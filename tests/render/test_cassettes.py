"""Cassettes that replay: body and headers agree, redirects recorded or marked, the fixture and
its cassette made from one request, index paths relative to ``fixtures/`` and the docs tree."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from extractor.render.fixtures import cassette_uri, render_fixtures
from extractor.render.fixtures.files import example_name, relative_source
from extractor.schema import Fixture

PAGE = "/docs/zh-CN/api-reference/v1.0/api/reportroot-getemailactivitycounts.md"


def fixture(fixture_id: str, role: str, line: int, **kw: Any) -> Fixture:
    values: dict[str, Any] = {
        "id": fixture_id,
        "file": f"fixtures/{fixture_id}.json",
        "page": "report",
        "version": "v1.0",
        "role": role,
        "source_path": PAGE,
        "line": line,
        **kw,
    }
    return Fixture(**values)


def report_page(with_target: bool = True) -> list[Fixture]:
    """A report: GET, a 302 to a download URL, then the CSV the redirect leads to."""
    request = fixture(
        "v1.0/report/get-request",
        "request",
        10,
        method="GET",
        url="https://graph.microsoft.com/v1.0/reports/getEmailActivityCounts(period='{period}')",
        pair="v1.0/report/get-response",
        annotation={"blockType": "request", "name": "get_report"},
    )
    response = fixture(
        "v1.0/report/get-response",
        "response",
        20,
        status=302,
        headers=[
            ("Location", "https://reports.office.com/data/download/JDFK"),
            ("Content-Length", "0"),
        ],
        pair="v1.0/report/get-request",
    )
    target = fixture(
        "v1.0/report/get-response-2",
        "response",
        30,
        status=200,
        headers=[("Content-Type", "application/octet-stream"), ("Content-Length", "999")],
        body_kind="csv",
        raw_body="Report Refresh Date,Send\n2021-01-01,5",
    )
    return [request, response, target] if with_target else [request, response]


def cassette(files: dict[str, str], name: str = "v1.0/report/get-request") -> dict[str, Any]:
    return yaml.safe_load(files[f"fixtures/cassettes/{name}.yaml"])


def test_a_redirect_is_recorded_with_the_page_that_follows_it() -> None:
    files = render_fixtures(report_page())
    first, second = cassette(files)["interactions"]
    assert first["response"]["status"]["code"] == 302
    assert second["request"] == {
        "body": None,
        "headers": {},
        "method": "GET",
        "uri": "https://reports.office.com/data/download/JDFK",
    }
    assert second["response"]["body"]["string"] == "Report Refresh Date,Send\n2021-01-01,5"
    entry = next(e for e in json.loads(files["fixtures/index.json"]) if e["role"] == "request")
    assert entry["redirect"] == "recorded"


def test_a_redirect_the_page_does_not_follow_is_marked() -> None:
    files = render_fixtures(report_page(with_target=False))
    assert len(cassette(files)["interactions"]) == 1
    entry = next(e for e in json.loads(files["fixtures/index.json"]) if e["role"] == "request")
    assert entry["redirect"] == "unrecorded"


def test_content_length_counts_the_bytes_replayed() -> None:
    response = fixture(
        "v1.0/x/r-response",
        "response",
        20,
        status=200,
        headers=[
            ("Content-Length", "491"),
            ("Transfer-Encoding", "chunked"),
            ("Content-Encoding", "gzip"),
        ],
        body_kind="json",
        body={"displayName": "Adele Vance", "city": "北京"},
        pair="v1.0/x/r-request",
    )
    request = fixture(
        "v1.0/x/r-request", "request", 10, method="GET", url="/me", pair="v1.0/x/r-response"
    )
    played = cassette(render_fixtures([request, response]), "v1.0/x/r-request")
    replayed = played["interactions"][0]["response"]
    body = replayed["body"]["string"]
    assert replayed["headers"] == {
        "Content-Length": [str(len(body.encode("utf-8")))],
        "Content-Type": ["application/json"],
    }


def test_cassette_uri_keeps_the_escapes_the_page_wrote() -> None:
    url = "/me/onlineMeetings?$filter=JoinWebUrl eq 'https%3A%2F%2Fteams%2F19%253ameeting'"
    assert cassette_uri(url, "v1.0") == (
        "https://graph.microsoft.com/v1.0/me/onlineMeetings?"
        "$filter=JoinWebUrl%20eq%20'https%3A%2F%2Fteams%2F19%253ameeting'"
    )
    assert cassette_uri("users/{id | userPrincipalName}", "beta") == (
        "https://graph.microsoft.com/beta/users/%7Bid%20%7C%20userPrincipalName%7D"
    )
    assert cassette_uri("https://graph.microsoft.com/v1.0/me", "beta").endswith("/v1.0/me")
    assert cassette_uri("/me?x=100%", "v1.0").endswith("/me?x=100%25")  # no escape: quoted


def test_fixture_and_cassette_hold_one_request() -> None:
    files = render_fixtures(report_page())
    document = json.loads(files["fixtures/v1.0/report/get-request.json"])
    recorded = cassette(files)["interactions"][0]["request"]["uri"]
    assert document["uri"] == recorded
    assert document["url"].endswith("(period='{period}')")


def test_index_paths_are_relative_to_fixtures_and_the_docs_tree() -> None:
    files = render_fixtures(report_page(), roots=["/docs/zh-CN"])
    index = json.loads(files["fixtures/index.json"])
    request = next(e for e in index if e["role"] == "request")
    assert request["file"] == "v1.0/report/get-request.json"
    assert request["cassette"] == "cassettes/v1.0/report/get-request.yaml"
    assert request["sourcePath"] == "api-reference/v1.0/api/reportroot-getemailactivitycounts.md"
    assert request["name"] == "get_report"
    document = json.loads(files["fixtures/v1.0/report/get-request.json"])
    assert document["sourcePath"] == request["sourcePath"]


def test_relative_source() -> None:
    assert (
        relative_source("/a/zh-CN/api-reference/x.md", ["/a", "/a/zh-CN"]) == "api-reference/x.md"
    )
    assert relative_source("corpus/000.txt", ["corpus"]) == "000.txt"
    assert relative_source("pages/x.md", ["."]) == "pages/x.md"
    assert relative_source("/elsewhere/x.md", ["/a"]) == "/elsewhere/x.md"


@pytest.mark.parametrize(
    ("fixture_id", "annotation", "name"),
    [
        ("v1.0/get-user/get_user_1-response", {"name": "get_user_1"}, "get_user_1"),
        ("v1.0/get-user/example-request-2", {}, "example"),
        ("beta/call/call-resource", {}, "call"),
    ],
)
def test_example_names(fixture_id: str, annotation: dict[str, str], name: str) -> None:
    assert example_name(fixture(fixture_id, "request", 1, annotation=annotation)) == name


def test_redirected_cassette_replays_with_requests_and_httpx(tmp_path: Path) -> None:
    requests = pytest.importorskip("requests")
    httpx = pytest.importorskip("httpx")
    vcr = pytest.importorskip("vcr")
    from extractor.replay import register

    for relative, text in render_fixtures(report_page()).items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    path = str(tmp_path / "fixtures/cassettes/v1.0/report/get-request.yaml")
    url = "https://graph.microsoft.com/v1.0/reports/getEmailActivityCounts(period='D7')"
    with register(vcr.VCR(record_mode="none")).use_cassette(path, allow_playback_repeats=True):
        by_requests = requests.get(url)
        with httpx.Client(follow_redirects=True) as client:
            by_httpx = client.get(url)
    for response in (by_requests, by_httpx):
        assert response.status_code == 200
        assert response.content == b"Report Refresh Date,Send\n2021-01-01,5"
        assert response.headers["Content-Length"] == str(len(response.content))
