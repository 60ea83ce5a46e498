"""Tests of extractor.read.httpblock: request lines, example fences, URLs, status lines."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.gcpause import gc_paused
from extractor.read.httpblock import (
    RequestLine,
    normalize_status,
    parse_http_message,
    parse_request_lines,
    split_url,
)

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
SEGMENT = re.compile(
    r'<span data-ttu-id="([0-9a-f]{5}-p?\d+)">(.*?)</span><span class="sxs-lookup">'
    r'<span data-stu-id="\1">(.*?)</span></span>',
    re.DOTALL,
)


# --- parse_request_lines -------------------------------------------------------------


def test_request_lines_single() -> None:
    reqs, problems = parse_request_lines("POST /communications/calls/{id}/redirect", 42)
    assert reqs == [RequestLine("POST", "/communications/calls/{id}/redirect", 42)]
    assert problems == []


def test_request_lines_keep_spaces_inside_url() -> None:
    text = (
        "GET /users/{id | userPrincipalName}/photo/$value\n"
        "GET /me/messages?$filter=subject eq 'a b'\n"
        'GET /me/people?$search="tyler lee"\n'
    )
    reqs, problems = parse_request_lines(text, 10)
    assert [(r.method, r.path, r.line) for r in reqs] == [
        ("GET", "/users/{id | userPrincipalName}/photo/$value", 10),
        ("GET", "/me/messages?$filter=subject eq 'a b'", 11),
        ("GET", '/me/people?$search="tyler lee"', 12),
    ]
    assert problems == []


def test_request_lines_groups_and_separators() -> None:
    text = (
        "  GET /me/events/delta \n"
        "  GET /users/{id | userPrincipalName}/events/delta\n"
        "\n"
        "or\n"
        "get /me/calendarView/delta?startDateTime={start}\n"
    )
    reqs, problems = parse_request_lines(text, 1)
    assert [(r.method, r.path, r.line) for r in reqs] == [
        ("GET", "/me/events/delta", 1),
        ("GET", "/users/{id | userPrincipalName}/events/delta", 2),
        ("GET", "/me/calendarView/delta?startDateTime={start}", 5),
    ]
    assert problems == []


def test_request_lines_markdown_residue() -> None:
    text = (
        "POST /me/send\\_mail \\\n"
        "GET /me/events HTTP/1.1\n"
        "DELETE /me/x   # deprecated\n"
        "PATCH /me/y // comment\n"
        "PUT /me/z <!-- note -->\n"
    )
    reqs, problems = parse_request_lines(text, 1)
    assert [(r.method, r.path) for r in reqs] == [
        ("POST", "/me/send_mail"),
        ("GET", "/me/events"),
        ("DELETE", "/me/x"),
        ("PATCH", "/me/y"),
        ("PUT", "/me/z"),
    ]
    assert problems == []


def test_request_lines_comment_marker_inside_url_is_kept() -> None:
    reqs, _ = parse_request_lines('GET /me/messages?$search="a #b"\nGET /me/x(#y)', 1)
    assert [r.path for r in reqs] == ['/me/messages?$search="a #b"', "/me/x(#y)"]


def test_request_lines_skip_headers_and_report_junk() -> None:
    text = (
        "GET /me/drive/items/{id}/workbook/names\n"
        "workbook-session-id: {session-id}\n"
        "GET ** Entity URI for microsoft.management.services.api.x not found\n"
        "/me/activities/recent\n"
        'string sharingUrl = "https://onedrive.live.com/x";\n'
    )
    reqs, problems = parse_request_lines(text, 20)
    assert reqs == [RequestLine("GET", "/me/drive/items/{id}/workbook/names", 20)]
    assert problems == [
        "line 22: request target does not look like a URL: "
        "'** Entity URI for microsoft.management.services.api.x not found'",
        "line 23: URL without a method: '/me/activities/recent'",
        "line 24: not a request line: 'string sharingUrl = \"https://onedrive.live.com/x\";'",
    ]


def test_request_lines_glued_method_and_plus() -> None:
    reqs, problems = parse_request_lines("DELETE/identity/b2xUserFlows/{id}\n+GET /me/people", 5)
    assert reqs == [
        RequestLine("DELETE", "/identity/b2xUserFlows/{id}", 5),
        RequestLine("GET", "/me/people", 6),
    ]
    assert problems == [
        "line 5: no space between method and URL",
        "line 6: stray '+' before the method",
    ]


def test_request_lines_prose_is_not_a_request() -> None:
    reqs, problems = parse_request_lines("Get the user first", 1)
    assert reqs == []
    assert problems == ["line 1: not a request line: 'Get the user first'"]


def test_request_lines_all_methods() -> None:
    text = "\n".join(
        f"{m} /x" for m in ["get", "Post", "PUT", "patch", "DELETE", "head", "OPTIONS"]
    )
    reqs, _ = parse_request_lines(text)
    assert [r.method for r in reqs] == ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def test_request_lines_empty() -> None:
    assert parse_request_lines("") == ([], [])
    assert parse_request_lines("\n\n  \n") == ([], [])


# --- parse_http_message: requests ----------------------------------------------------


def test_message_request_with_headers_and_body() -> None:
    text = (
        "POST https://graph.microsoft.com/v1.0/communications/calls/491f0b00/redirect\n"
        "Content-Type: application/json\n"
        "\n"
        "{\n"
        '  "callbackUri": "https://bot.contoso.com/api/calls/1"\n'
        "}\n"
    )
    msg, problems = parse_http_message(text, 100)
    assert problems == []
    assert msg is not None
    assert msg.kind == "request"
    assert msg.method == "POST"
    assert msg.url == "https://graph.microsoft.com/v1.0/communications/calls/491f0b00/redirect"
    assert msg.host == "graph.microsoft.com"
    assert msg.api_version == "v1.0"
    assert msg.path == "/communications/calls/491f0b00/redirect"
    assert msg.query is None
    assert msg.headers == [("Content-Type", "application/json")]
    assert msg.body == '{\n  "callbackUri": "https://bot.contoso.com/api/calls/1"\n}'
    assert msg.body_line == 103
    assert msg.extra_request_lines == []


def test_message_request_url_with_spaces_and_version_suffix() -> None:
    text = "GET https://graph.microsoft.com/beta/me/people/?$filter=a eq 'b c' HTTP/1.1\n"
    msg, problems = parse_http_message(text, 1)
    assert problems == []
    assert msg is not None
    assert msg.url == "https://graph.microsoft.com/beta/me/people/?$filter=a eq 'b c'"
    assert msg.http_version == "HTTP/1.1"
    assert msg.api_version == "beta"
    assert msg.path == "/me/people/"
    assert msg.query == "$filter=a eq 'b c'"
    assert msg.body is None
    assert msg.body_line is None


def test_message_intune_blank_line_before_headers() -> None:
    text = (
        "POST https://graph.microsoft.com/beta/deviceManagement/scripts/{id}/assign\n"
        "\n"
        "Content-type: application/json\n"
        "Content-length: 781\n"
        "\n"
        "{\n"
        '  "a": 1\n'
        "}\n"
    )
    msg, problems = parse_http_message(text, 50)
    assert problems == []
    assert msg is not None
    assert msg.headers == [("Content-type", "application/json"), ("Content-length", "781")]
    assert msg.body == '{\n  "a": 1\n}'
    assert msg.body_line == 55


def test_message_blank_then_body_with_colon_is_body() -> None:
    """After a blank line, ``Subject: x`` followed by prose is a body, not headers."""
    text = "POST /me/sendMail\n\nSubject: hello\nthis is the text\n"
    msg, problems = parse_http_message(text, 1)
    assert problems == []
    assert msg is not None
    assert msg.headers == []
    assert msg.body == "Subject: hello\nthis is the text"
    assert msg.body_line == 3


def test_message_body_without_blank_line() -> None:
    text = "POST /teams/{id}/channels/{id}/tabs\nContent-type: application/json\n{\n}\n"
    msg, problems = parse_http_message(text, 7)
    assert msg is not None
    assert msg.headers == [("Content-type", "application/json")]
    assert msg.body == "{\n}"
    assert msg.body_line == 9
    assert problems == [("no blank line before the body", 9)]


def test_message_several_requests_keep_first() -> None:
    text = "POST /app/calls/{id}/reject\nPOST /communications/calls/{id}/reject\n"
    msg, problems = parse_http_message(text, 1)
    assert problems == []
    assert msg is not None
    assert msg.method == "POST"
    assert msg.path == "/app/calls/{id}/reject"
    assert msg.extra_request_lines == ["POST /communications/calls/{id}/reject"]


def test_message_requests_in_blank_line_groups() -> None:
    text = (
        "GET https://graph.microsoft.com/beta/a/{id}\n\nGET https://graph.microsoft.com/beta/a/1\n"
    )
    msg, _ = parse_http_message(text, 1)
    assert msg is not None
    assert msg.path == "/a/{id}"
    assert msg.extra_request_lines == ["GET https://graph.microsoft.com/beta/a/1"]
    assert msg.body is None


def test_message_request_after_body_is_cut_off() -> None:
    text = (
        "PATCH https://graph.microsoft.com/beta/deviceManagement/deviceCategories/{id}\n"
        "Content-type: application/json\n"
        "\n"
        "{\n"
        '  "displayName": "x"\n'
        "}\n"
        "\n"
        "PATCH /deviceManagement/scripts/{id}/deviceCategory\n"
    )
    msg, problems = parse_http_message(text, 1)
    assert msg is not None
    assert msg.body == '{\n  "displayName": "x"\n}'
    assert msg.extra_request_lines == ["PATCH /deviceManagement/scripts/{id}/deviceCategory"]
    assert problems == [("HTTP block holds another request after the body", 8)]


def test_message_bot_callback_has_no_version() -> None:
    msg, _ = parse_http_message("POST https://bot.contoso.com/api/calls\nContent-Type: a/b\n", 1)
    assert msg is not None
    assert (msg.host, msg.api_version, msg.path) == ("bot.contoso.com", None, "/api/calls")


def test_message_relative_paths() -> None:
    msg, _ = parse_http_message("GET /beta/me/events?$top=2", 1)
    assert msg is not None
    assert (msg.host, msg.api_version, msg.path, msg.query) == (
        None,
        "beta",
        "/me/events",
        "$top=2",
    )
    msg, _ = parse_http_message("GET /me", 1)
    assert msg is not None
    assert (msg.host, msg.api_version, msg.path, msg.query) == (None, None, "/me", None)


def test_message_bare_url_is_request_without_method() -> None:
    text = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0?context=%7b%7d\n"
    msg, problems = parse_http_message(text, 30)
    assert msg is not None
    assert msg.kind == "request"
    assert msg.method is None
    assert msg.host == "teams.microsoft.com"
    assert msg.path == "/l/meetup-join/19%3ameeting_x%40thread.v2/0"
    assert msg.query == "context=%7b%7d"
    assert problems == [("request line has no method", 30)]


def test_message_several_bare_urls() -> None:
    text = "/me/activities/recent?$top=1\n\n/me/activities/recent?$top=2\n"
    msg, problems = parse_http_message(text, 1)
    assert msg is not None
    assert msg.method is None
    assert msg.path == "/me/activities/recent"
    assert msg.extra_request_lines == ["/me/activities/recent?$top=2"]
    assert problems == [("request line has no method", 1)]


def test_message_json_only_headers_only_prose() -> None:
    assert parse_http_message('\n{\n  "a": 1\n}', 5) == (
        None,
        [("HTTP block holds a body but no request or status line", 6)],
    )
    assert parse_http_message('Prefer: outlook.timezone="Eastern Standard Time"', 9) == (
        None,
        [("HTTP block holds headers but no request or status line", 9)],
    )
    assert parse_http_message("{Vendor}/{Provider}/{StatusCode}", 2) == (
        None,
        [("HTTP block does not start with a request or status line", 2)],
    )
    assert parse_http_message("", 4) == (None, [("empty HTTP block", 4)])
    assert parse_http_message("\n   \n", 4) == (None, [("empty HTTP block", 4)])


# --- parse_http_message: responses ---------------------------------------------------


def test_message_response() -> None:
    text = 'HTTP/1.1 200 OK\nContent-type: application/json\n\n{\n  "value": []\n}\n\n'
    msg, problems = parse_http_message(text, 60)
    assert problems == []
    assert msg is not None
    assert msg.kind == "response"
    assert (msg.http_version, msg.status, msg.reason) == ("HTTP/1.1", 200, "OK")
    assert msg.method is None and msg.url is None
    assert msg.headers == [("Content-type", "application/json")]
    assert msg.body == '{\n  "value": []\n}'
    assert msg.body_line == 63


def test_message_response_typo_reason() -> None:
    msg, problems = parse_http_message("HTTP/1.1 202 Accpted\r\nLocation: /x\r\n\r\n", 10)
    assert msg is not None
    assert (msg.status, msg.reason) == (202, "Accepted")
    assert msg.headers == [("Location", "/x")]
    assert msg.body is None
    assert problems == [("reason phrase 'Accpted' is not the standard 'Accepted'", 10)]


def test_message_response_case_and_spacing_of_reason_is_fine() -> None:
    for line in ["HTTP/1.1 204 No content", "HTTP/1.1 204 NO CONTENT", "HTTP/1.1 204 NoContent"]:
        msg, problems = parse_http_message(line, 1)
        assert msg is not None and msg.reason == "No Content"
        assert problems == []


def test_message_response_variants() -> None:
    msg, problems = parse_http_message("HTTP 201 Created", 1)
    assert msg is not None
    assert (msg.http_version, msg.status, msg.reason) == (None, 201, "Created")
    assert problems == []
    msg, problems = parse_http_message("400 Bad Request", 3)
    assert msg is not None
    assert (msg.http_version, msg.status, msg.reason) == (None, 400, "Bad Request")
    assert problems == [("status line has no HTTP version", 3)]
    msg, problems = parse_http_message("HTTP code: 204 No Content", 1)
    assert msg is not None and msg.status == 204
    assert problems == []


def test_message_response_intune_blank_before_headers() -> None:
    text = "HTTP/1.1 200 OK\n\nContent-Type: application/json\nContent-Length: 3\n\n{}\n"
    msg, _ = parse_http_message(text, 1)
    assert msg is not None
    assert msg.headers == [("Content-Type", "application/json"), ("Content-Length", "3")]
    assert (msg.body, msg.body_line) == ("{}", 6)


# --- split_url and normalize_status --------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://graph.microsoft.com/v1.0/me?$x=1",
            ("graph.microsoft.com", "v1.0", "/me", "$x=1"),
        ),
        ("/beta/me", (None, "beta", "/me", None)),
        ("/me", (None, None, "/me", None)),
        ("https://bot.contoso.com/api/calls", ("bot.contoso.com", None, "/api/calls", None)),
        ("https://Graph.Microsoft.com/BETA/me", ("graph.microsoft.com", "beta", "/me", None)),
        ("https://graph.microsoft.com/beta", ("graph.microsoft.com", "beta", "/", None)),
        ("https://graph.microsoft.com", ("graph.microsoft.com", None, "/", None)),
        ("https://graph.microsoft.com/v1/teams", ("graph.microsoft.com", "v1.0", "/teams", None)),
        (
            "https://graph.microsoft.com/{version}/me/onenote",
            ("graph.microsoft.com", None, "/me/onenote", None),
        ),
        ("me/devices/{id}", (None, None, "/me/devices/{id}", None)),
        (
            "~/onPremisesPublishingProfiles/{t}",
            (None, None, "/onPremisesPublishingProfiles/{t}", None),
        ),
        ("../onenote/resources/{id}", (None, None, "../onenote/resources/{id}", None)),
        (
            "/users/{id | userPrincipalName}/photo/$value",
            (None, None, "/users/{id | userPrincipalName}/photo/$value", None),
        ),
        ("/me/events?", (None, None, "/me/events", "")),
        (
            "https://outlook.office.com/api/beta/me",
            ("outlook.office.com", None, "/api/beta/me", None),
        ),
        ("", (None, None, "", None)),
    ],
)
def test_split_url(url: str, expected: tuple[str | None, str | None, str, str | None]) -> None:
    assert split_url(url) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("HTTP/1.1 200 OK", ("HTTP/1.1", 200, "OK")),
        ("HTTP/1.1 204 No content", ("HTTP/1.1", 204, "No Content")),
        ("HTTP/1.1 202 Accpted", ("HTTP/1.1", 202, "Accepted")),
        ("HTTP 201 Created", (None, 201, "Created")),
        ("HTTP/1.1 200", ("HTTP/1.1", 200, "OK")),
        ("http/1.1 200 ok", ("HTTP/1.1", 200, "OK")),
        ("HTTP/2 200", ("HTTP/2", 200, "OK")),
        ("HTTP code: 200 OK", (None, 200, "OK")),
        ("  HTTP/1.1 302 Redirect ", ("HTTP/1.1", 302, "Found")),
        ("HTTP/1.1 422", ("HTTP/1.1", 422, "Unprocessable Content")),
        ("HTTP/1.1 207 Multi-Status", ("HTTP/1.1", 207, "Multi-Status")),
        ("HTTP/1.1 299 Custom", ("HTTP/1.1", 299, "Custom")),
        ("HTTP/1.1 299", ("HTTP/1.1", 299, None)),
        ("400 Bad Request", (None, 400, "Bad Request")),
        ("HTTP/1.1 2000", (None, None, None)),
        ("HTTP/1.1 700 x", (None, None, None)),
        ("nope", (None, None, None)),
        ("", (None, None, None)),
    ],
)
def test_normalize_status(line: str, expected: tuple[str | None, int | None, str | None]) -> None:
    assert normalize_status(line) == expected


# --- robustness ----------------------------------------------------------------------

_HTTPISH = st.text(
    alphabet=st.sampled_from(list("GETPOSHT/1. :{}[]()|\\#<!->\n\t\r'\"aZ09?$=&,`*~+")),
    max_size=300,
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), _HTTPISH), st.integers(min_value=1, max_value=10_000))
def test_random_input_never_raises(text: str, first: int) -> None:
    reqs, problems = parse_request_lines(text, first)
    assert all(r.line >= first and r.method for r in reqs)
    assert all(isinstance(p, str) for p in problems)
    msg, probs = parse_http_message(text, first)
    assert msg is None or msg.kind in ("request", "response")
    assert all(line is None or line >= first for _, line in probs)
    split_url(text)
    normalize_status(text)


@given(st.text(max_size=200))
def test_body_line_points_at_body(text: str) -> None:
    msg, _ = parse_http_message("POST /x\nA-B: c\n\n" + text, 1)
    assert msg is not None
    if msg.body is not None:
        lines = ("POST /x\nA-B: c\n\n" + text).split("\n")
        assert lines[msg.body_line - 1].rstrip("\r") == msg.body.split("\n")[0]  # type: ignore[operator]


@pytest.mark.parametrize(
    "text",
    [
        "HTTP" + " " * 100_000 + "x",
        "GET /x" + " " * 100_000 + "y",
        "GET /" + "{" * 100_000,
        "GET /x?" + "'" * 100_000,
        "<!--" * 30_000,
        "[" * 100_000,
        "\\" * 100_000,
        "GET " + " #" * 50_000,
        "GET /x\n" + "A-b: c\n" * 30_000,
        "GET /x\n" * 30_000,
        "POST /x\n\n{\n" + "\nGET /y\n" * 20_000,
        "HTTP/1.1 " + "2" * 100_000,
    ],
)
def test_pathological_input_is_fast(text: str) -> None:
    # Collections are paused: late in a full run they walk the corpus the earlier tests left
    # in memory (seconds for this parse, 0.14 s alone), which says nothing of the parser.
    with gc_paused():
        start = time.process_time()
        parse_request_lines(text)
        parse_http_message(text)
        split_url(text)
        normalize_status(text)
        assert time.process_time() - start < 1.0


# --- the real corpus -----------------------------------------------------------------

_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*([^`\n]*)$")
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*$")


def _english(text: str) -> str:
    return SEGMENT.sub(lambda m: m.group(3), text)


def _fences(text: str) -> list[tuple[str, int, str, str | None]]:
    """(info, first content line, content, enclosing 'HTTP request' heading or None)."""
    lines = text.split("\n")
    out: list[tuple[str, int, str, str | None]] = []
    section: tuple[int, str] | None = None
    i = 0
    while i < len(lines):
        m = _OPEN.match(lines[i])
        if m:
            fence = m.group(1)
            j = i + 1
            while j < len(lines):
                s = lines[j].strip()
                if s.startswith(fence) and not s.strip(fence[0]):
                    break
                j += 1
            title = section[1] if section else None
            out.append((m.group(2).strip().lower(), i + 2, "\n".join(lines[i + 1 : j]), title))
            i = j + 1
            continue
        h = _HEADING.match(lines[i])
        if h:
            level = len(h.group(1))
            title = re.sub(r"<a [^>]*></a>", "", h.group(2)).strip()
            if section and level <= section[0]:
                section = None
            if level in (2, 3) and title.lower() == "http request":
                section = (level, title)
        i += 1
    return out


def _pages() -> list[tuple[str, str]]:
    if not CORPUS.is_dir():
        pytest.skip("corpus not available")
    return [
        (str(p.relative_to(CORPUS)), _english(p.read_text(encoding="utf-8", errors="replace")))
        for p in sorted(CORPUS.rglob("*.md"))
        if p.parent != CORPUS
    ]


@pytest.mark.slow
def test_corpus_http_fences() -> None:
    """Every http fence parses without raising; the HTTP request sections give requests."""
    pages = _pages()
    fences = 0
    messages: Counter[str] = Counter()
    section_pages = section_ok = 0
    failures: list[str] = []
    for path, text in pages:
        found = _fences(text)
        in_section = [f for f in found if f[3] is not None]
        for info, line, content, _ in found:
            if info in ("http", "msgraph-interactive"):
                fences += 1
                msg, _ = parse_http_message(content, line)
                messages["none" if msg is None else msg.kind] += 1
        if "/api/" in path and in_section:
            section_pages += 1
            if all(parse_request_lines(content, line)[0] for _, line, content, _ in in_section):
                section_ok += 1
            else:
                failures.append(path)
    rate = section_ok / section_pages
    print(f"\nhttp fences: {fences} {dict(messages)}")
    print(f"HTTP request sections: {section_ok}/{section_pages} pages = {rate:.4f}")
    print("pages without a request line:", failures[:20])
    assert fences > 25_000
    assert messages["none"] < 30
    assert messages["request"] > 16_000 and messages["response"] > 8_000
    assert rate >= 0.99


@pytest.mark.slow
def test_corpus_seed_redirect_page() -> None:
    """call-redirect (v1.0, zh-CN): the request section and the example request."""
    page = CORPUS / "zh-CN" / "api-reference" / "v1.0" / "api" / "call-redirect.md"
    if not page.is_file():
        pytest.skip("corpus not available")
    found = _fences(_english(page.read_text(encoding="utf-8")))
    section = [f for f in found if f[3] is not None]
    reqs, problems = parse_request_lines(section[0][2], section[0][1])
    assert [(r.method, r.path) for r in reqs] == [("POST", "/communications/calls/{id}/redirect")]
    assert problems == []
    examples = [f for f in found if f[0] == "http" and f[3] is None]
    msg, problems = parse_http_message(examples[0][2], examples[0][1])
    assert msg is not None and problems == []
    assert (msg.method, msg.api_version, msg.host) == ("POST", "v1.0", "graph.microsoft.com")
    assert msg.path.endswith("/redirect") and msg.path.startswith("/communications/calls/")  # type: ignore[union-attr]
    assert msg.headers == [("Content-Type", "application/json")]
    assert msg.body is not None and msg.body.startswith("{") and msg.body.endswith("}")
    response = [f for f in found if f[0] == "http" and f[2].lstrip().startswith("HTTP/")]
    resp, _ = parse_http_message(response[0][2], response[0][1])
    assert resp is not None and (resp.status, resp.reason) == (202, "Accepted")
