"""HTTP fences of Graph reference pages: request lines, headers, bodies and status lines.

Pages write HTTP loosely, so nothing here splits a line on whitespace: the method is the
first token and the URL runs to the end of the line (1,012 request lines in the corpus
have spaces inside the URL, ``/users/{id | userPrincipalName}``, ``$filter=x eq 'y'``).
Every function is pure, linear in its input and never raises on bad input; problems come
back as data, each with the page line it is about (``first_line`` is the page line of the
fence's first content line). Start lines lose markdown residue before they are read:
leading blanks, HTML comments, a trailing ``\\``, backslash escapes (``\\_``), and
``# ...``/``// ...`` comments that follow a blank outside braces and quotes.

Choices for fences that are not a clean request or response:

* A bare URL as first line (``https://teams.microsoft.com/l/...``, ``/me/activities``) is
  a request with ``method=None`` and a problem; further bare URLs go to
  ``extra_request_lines``.
* A fence that starts with JSON, with headers only, or with prose gives ``None`` and a
  problem.
* ``HTTP code: 200 OK`` and a bare ``400 Bad Request`` are status lines (version None).
* Several requests in one fence keep the first; the other start lines (stripped) go to
  ``extra_request_lines``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from http import HTTPStatus

from extractor.schema import HttpMessage

__all__ = [
    "KNOWN_HEADERS",
    "METHODS",
    "RequestLine",
    "normalize_status",
    "parse_http_message",
    "parse_request_lines",
    "split_url",
]

METHODS: frozenset[str] = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})

# Lowercase names of the headers Graph pages use (plus common HTTP ones); used to tell
# headers from a body after a blank line (intune-* pages put a blank before the headers).
KNOWN_HEADERS: frozenset[str] = frozenset(
    {
        "accept",
        "accept-encoding",
        "accept-language",
        "authorization",
        "cache-control",
        "client-request-id",
        "consistencylevel",
        "content-disposition",
        "content-encoding",
        "content-language",
        "content-length",
        "content-location",
        "content-range",
        "content-type",
        "date",
        "etag",
        "expires",
        "host",
        "if-match",
        "if-none-match",
        "location",
        "odata-maxversion",
        "odata-version",
        "operation-location",
        "prefer",
        "preference-applied",
        "range",
        "request-id",
        "retry-after",
        "transfer-encoding",
        "user-agent",
        "warning",
        "workbook-session-id",
    }
)

# Reason phrases of RFC 9110; Python < 3.13 still has the older wording for these codes,
# and output must not depend on the interpreter.
_REASON_OVERRIDES: dict[int, str] = {
    413: "Content Too Large",
    414: "URI Too Long",
    416: "Range Not Satisfiable",
    422: "Unprocessable Content",
}
_REASONS: dict[int, str] = {s.value: s.phrase for s in HTTPStatus} | _REASON_OVERRIDES

_GRAPH_HOSTS: frozenset[str] = frozenset(
    {
        "graph.microsoft.com",
        "graph.microsoft.us",
        "dod-graph.microsoft.us",
        "graph.microsoft.de",
        "microsoftgraph.chinacloudapi.cn",
        "canary.graph.microsoft.com",
    }
)
# "v1" is a typo of v1.0 on a few pages; "{version}" is a placeholder for either.
_VERSIONS: dict[str, str | None] = {"v1.0": "v1.0", "beta": "beta", "v1": "v1.0", "{version}": None}

_HTTP_VERSION_RE = re.compile(r"HTTP/\d+(?:\.\d+)?", re.IGNORECASE)
_METHOD_RE = re.compile(r"^([A-Za-z]+)")
_HEADER_RE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*)[ \t]*:[ \t]*(.*)$")
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_MD_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_HTML_COMMENT_RE = re.compile(r"<!--.*?(?:-->|$)")
_OR_LINES: frozenset[str] = frozenset({"or", "and", "-or-"})


@dataclass(frozen=True)
class RequestLine:
    """One line of an ``HTTP request`` section."""

    method: str  # upper-cased
    path: str  # as written, spaces kept: "/users/{id | userPrincipalName}/photo/$value"
    line: int  # page line (1-based)


@dataclass(frozen=True)
class _Start:
    """A parsed request start line (before URL splitting)."""

    method: str | None
    url: str
    http_version: str | None
    problems: tuple[str, ...]


# --- small pure helpers --------------------------------------------------------------


def _strip_comment(text: str) -> str:
    """Drop a trailing ``# ...`` or ``// ...`` comment that follows whitespace.

    Markers inside braces, parentheses or quotes belong to the URL, so the scan tracks
    them; it is one pass, so pathological input stays linear.
    """
    depth = 0
    quote = ""
    prev_space = False
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "({[":
            depth += 1
        elif ch in ")}]":
            depth = max(0, depth - 1)
        elif depth == 0 and prev_space and (ch == "#" or text.startswith("//", i)):
            return text[:i].rstrip()
        prev_space = ch in " \t"
    return text


def _clean_line(line: str) -> str:
    """A start line without markdown residue: HTML comments, trailing ``\\``, escapes."""
    s = line.replace("\u00a0", " ").strip()
    if "<!--" in s:
        s = _HTML_COMMENT_RE.sub("", s).strip()
    s = _strip_comment(s)
    while s.endswith("\\"):
        s = s[:-1].rstrip()
    if "\\" in s:
        s = _MD_ESCAPE_RE.sub(r"\1", s)
    return s


def _plausible_target(url: str) -> bool:
    """Whether a request target looks like a URL or path rather than prose or markup."""
    if not url:
        return False
    ch = url[0]
    return ch.isalnum() or ch in "/~.{$("


def _parse_start(line: str) -> _Start | None:
    """Parse ``METHOD URL [HTTP/x]``; None when the line is not a request line."""
    s = _clean_line(line)
    problems: list[str] = []
    if s.startswith("+") and _METHOD_RE.match(s[1:]):
        s = s[1:]
        problems.append("stray '+' before the method")
    m = _METHOD_RE.match(s)
    if not m or m.group(1).upper() not in METHODS:
        return None
    method = m.group(1).upper()
    rest = s[m.end() :]
    if rest[:1] in ("/", "~") or rest.startswith("http"):
        problems.append("no space between method and URL")
    elif rest.strip() and rest[:1] not in (" ", "\t"):
        return None
    url = rest.strip()
    if m.group(1) != method and not ((url and url[0] in "/{~") or _SCHEME_RE.match(url)):
        return None  # "Get the item ..." is prose; real methods are upper-case
    http_version = None
    head, _, tail = url.replace("\t", " ").rpartition(" ")
    if head and _HTTP_VERSION_RE.fullmatch(tail):
        http_version = tail.upper()
        url = head.rstrip()
    if not url:
        return _Start(method, "", http_version, (*problems, "request line has no URL"))
    if not _plausible_target(url):
        problems.append(f"request target does not look like a URL: {url[:80]!r}")
    return _Start(method, url, http_version, tuple(problems))


def _is_bare_url(line: str) -> bool:
    s = line.strip()
    return bool(_SCHEME_RE.match(s)) or (s.startswith("/") and not s.startswith("//"))


def _header(line: str) -> tuple[str, str] | None:
    """``Name: value`` as a pair; None for anything else (JSON, URLs, prose)."""
    m = _HEADER_RE.match(line.strip())
    if not m or m.group(2).startswith("//"):
        return None
    return m.group(1), m.group(2).strip()


def _plausible_header(name: str) -> bool:
    low = name.lower()
    return low in KNOWN_HEADERS or "-" in low


@dataclass(frozen=True)
class _Status:
    has_http: bool
    version: str | None
    status: int
    written: str


def _scan_status(text: str) -> _Status | None:
    """``HTTP[/v] [code][:] NNN [reason]`` read by hand: a regex with runs of optional
    blanks backtracks badly on long blank runs."""
    s = text.strip()
    i, n = 0, len(s)
    has_http = s[:4].upper() == "HTTP"
    version = None
    if has_http:
        i = 4
        if i < n and s[i] == "/":
            j = i + 1
            while j < n and (s[j].isdigit() or s[j] == "."):
                j += 1
            version = s[i + 1 : j].strip(".") or None
            i = j
        while i < n and s[i] in " \t":
            i += 1
        if s[i : i + 4].lower() == "code":
            i += 4
            while i < n and s[i] in " \t":
                i += 1
        if i < n and s[i] == ":":
            i += 1
            while i < n and s[i] in " \t":
                i += 1
    code = s[i : i + 3]
    if len(code) != 3 or not code.isdigit() or code[0] not in "12345":
        return None
    if i + 3 < n and s[i + 3] not in " \t":
        return None
    return _Status(has_http, f"HTTP/{version}" if version else None, int(code), s[i + 3 :].strip())


def _status_match(line: str) -> _Status | None:
    """A status line: with an ``HTTP`` prefix, or a bare code followed by a reason."""
    st = _scan_status(line)
    if st is None or (not st.has_http and not st.written[:1].isalpha()):
        return None
    return st


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalpha())


# --- public API ----------------------------------------------------------------------


def normalize_status(text: str) -> tuple[str | None, int | None, str | None]:
    """(http_version, status, reason) with the standard reason phrase.

    ``HTTP/1.1 202 Accpted`` gives ``("HTTP/1.1", 202, "Accepted")``; ``HTTP 201 Created``
    and ``HTTP code: 200 OK`` have no version; an unknown code keeps the written reason.
    Text that is no status line gives ``(None, None, None)``.
    """
    st = _scan_status(text)
    if st is None:
        return None, None, None
    return st.version, st.status, _REASONS.get(st.status, st.written or None)


def split_url(url: str) -> tuple[str | None, str | None, str, str | None]:
    """(host, api_version, path, query) of a request URL.

    ``https://graph.microsoft.com/v1.0/me?$x=1`` -> ``("graph.microsoft.com", "v1.0",
    "/me", "$x=1")``; ``/beta/me`` -> ``(None, "beta", "/me", None)``. The version is only
    read from Graph hosts and relative URLs, so a bot callback has none. The host is
    lower-cased; a relative path written without its leading slash (``me/events``) gets
    one and ``~/x`` (service root) becomes ``/x``, so paths compare equal; ``../`` paths
    are left alone. ``v1`` (a typo on a few pages) reads as v1.0, and a ``{version}``
    placeholder is dropped from the path with version None.
    """
    u = url.strip()
    host: str | None = None
    rest = u
    m = _SCHEME_RE.match(u)
    if m or u.startswith("//") or u.lower().startswith("graph.microsoft.com/"):
        start = m.end() if m else (2 if u.startswith("//") else 0)
        end = len(u)
        for sep in "/?#":
            k = u.find(sep, start)
            if k != -1:
                end = min(end, k)
        host = u[start:end].lower() or None
        rest = u[end:]
    path, qmark, query = rest.partition("?")
    query_out = query if qmark else None
    version: str | None = None
    if host is None or host in _GRAPH_HOSTS:
        body = path[1:] if path.startswith("/") else path
        first, slash, remainder = body.partition("/")
        key = first.lower()
        if key in _VERSIONS:
            version = _VERSIONS[key]
            path = "/" + remainder if slash else "/"
    if host is not None and not path:
        path = "/"
    elif path.startswith("~/"):
        path = path[1:]
    elif path and (path[0].isalnum() or path[0] in "{$"):
        path = "/" + path
    return host, version, path, query_out


def parse_request_lines(text: str, first_line: int = 1) -> tuple[list[RequestLine], list[str]]:
    """The 'HTTP request' section fence: 1..10+ request lines, maybe in blank-line groups.

    Blank lines, ``or`` separators, headers and comments are skipped; a line that is no
    request line, or whose target is no URL (``GET ** Entity URI ... not found``), gives a
    problem naming its page line and no RequestLine.
    """
    requests: list[RequestLine] = []
    problems: list[str] = []
    for offset, raw in enumerate(text.split("\n")):
        line_no = first_line + offset
        s = raw.strip()
        if not s or s.lower() in _OR_LINES or s.startswith(("#", "//", "<!--")):
            continue
        start = _parse_start(raw)
        if start is None:
            if _header(s) is not None:
                continue
            if _is_bare_url(s):
                problems.append(f"line {line_no}: URL without a method: {s[:80]!r}")
            else:
                problems.append(f"line {line_no}: not a request line: {s[:80]!r}")
            continue
        if not start.url or not _plausible_target(start.url):
            problems.extend(f"line {line_no}: {p}" for p in start.problems)
            continue
        problems.extend(f"line {line_no}: {p}" for p in start.problems)
        requests.append(RequestLine(method=start.method or "", path=start.url, line=line_no))
    return requests, problems


def _classify_first(line: str) -> str:
    s = line.strip()
    if s[:1] in "{[" and s[1:].lstrip()[:1] in ('"', "{", "[", "}", "]", ""):
        return "json"
    if _header(s) is not None:
        return "headers"
    return "other"


def _header_block(lines: list[str], i: int) -> int:
    """End index of a block of plausible headers starting at ``i`` (``i`` when none).

    The block must end at a blank line, the end of the fence or a body-looking line, so a
    MIME or prose body that happens to hold a colon is not taken for headers.
    """
    j = i
    while j < len(lines) and lines[j].strip():
        h = _header(lines[j])
        if h is None or not _plausible_header(h[0]):
            break
        j += 1
    if j == i:
        return i
    if j < len(lines) and lines[j].strip() and lines[j].strip()[:1] not in "{[<-":
        return i
    return j


def _skip_blank(lines: list[str], i: int) -> int:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i


def parse_http_message(
    text: str, first_line: int = 1
) -> tuple[HttpMessage | None, list[tuple[str, int | None]]]:
    """An example fence: request (METHOD URL [HTTP/1.1], headers, blank, body) or response
    (status line, headers, blank, body). Returns the message and problems (message, page line).
    """
    lines = [ln.rstrip("\r") for ln in text.split("\n")]
    problems: list[tuple[str, int | None]] = []
    i = _skip_blank(lines, 0)
    if i >= len(lines):
        return None, [("empty HTTP block", first_line)]
    start_line_no = first_line + i
    head = lines[i]
    start = _parse_start(head)
    status_m = None if start is not None else _status_match(head)
    fields: dict[str, object] = {}
    extra: list[str] = []

    if start is not None:
        problems.extend((p, start_line_no) for p in start.problems)
        fields = _request_fields(start.method, start.url, start.http_version)
        i += 1
        i = _more_starts(lines, i, extra, bare=False)
    elif status_m is not None:
        version, status, reason = normalize_status(head)
        written = status_m.written
        if reason and written and _letters(written) != _letters(reason):
            problems.append(
                (f"reason phrase {written!r} is not the standard {reason!r}", start_line_no)
            )
        if not status_m.has_http:
            problems.append(("status line has no HTTP version", start_line_no))
        fields = {"kind": "response", "http_version": version, "status": status}
        fields["reason"] = reason
        i += 1
    elif _is_bare_url(head):
        url = _clean_line(head)
        problems.append(("request line has no method", start_line_no))
        fields = _request_fields(None, url, None)
        i += 1
        i = _more_starts(lines, i, extra, bare=True)
    else:
        kind = _classify_first(head)
        message = {
            "json": "HTTP block holds a body but no request or status line",
            "headers": "HTTP block holds headers but no request or status line",
        }.get(kind, "HTTP block does not start with a request or status line")
        return None, [(message, start_line_no)]

    headers: list[tuple[str, str]] = []
    while i < len(lines) and lines[i].strip():
        h = _header(lines[i])
        if h is None:
            break
        headers.append(h)
        i += 1
    if not headers and i < len(lines) and not lines[i].strip():
        # intune-* pages: a blank line between the start line and the headers
        j = _skip_blank(lines, i)
        end = _header_block(lines, j)
        if end > j:
            headers.extend(h for h in (_header(ln) for ln in lines[j:end]) if h is not None)
            i = end
    if i < len(lines) and lines[i].strip():
        problems.append(("no blank line before the body", first_line + i))
    i = _skip_blank(lines, i)
    body_lines = lines[i:]
    while body_lines and not body_lines[-1].strip():
        body_lines.pop()
    body_start = i
    if body_lines and fields.get("kind") == "request":
        body_lines = _trailing_requests(body_lines, extra, problems, first_line + body_start)
    if extra:
        fields["extra_request_lines"] = extra
    fields["headers"] = headers
    if body_lines:
        fields["body"] = "\n".join(body_lines)
        fields["body_line"] = first_line + body_start
    return HttpMessage.model_validate(fields), problems


def _request_fields(method: str | None, url: str, http_version: str | None) -> dict[str, object]:
    if not url:
        return {"kind": "request", "method": method, "http_version": http_version}
    host, api_version, path, query = split_url(url)
    return {
        "kind": "request",
        "method": method,
        "url": url,
        "host": host,
        "api_version": api_version,
        "path": path,
        "query": query,
        "http_version": http_version,
    }


def _more_starts(lines: list[str], i: int, extra: list[str], *, bare: bool) -> int:
    """Consume further start lines right after the first one (also across blank lines
    and ``or`` separators), recording them in ``extra``; returns the next index."""
    j = i
    while j < len(lines):
        s = lines[j].strip()
        if not s or s.lower() in _OR_LINES:
            j += 1
            continue
        if _parse_start(s) is not None or (bare and _is_bare_url(s)):
            extra.append(_clean_line(s))
            j += 1
            i = j
            continue
        break
    return i


def _trailing_requests(
    body: list[str], extra: list[str], problems: list[tuple[str, int | None]], body_line: int
) -> list[str]:
    """Cut further requests off a request body: a body made only of request lines, or
    request lines after a blank line that follows a JSON body."""
    starts = [k for k, ln in enumerate(body) if ln.strip() and _parse_start(ln) is not None]
    if not starts:
        return body
    if all(not ln.strip() or _parse_start(ln) is not None for ln in body):
        extra.extend(_clean_line(body[k]) for k in starts)
        problems.append(("HTTP block holds several requests", body_line + starts[0]))
        return []
    if body[0].strip()[:1] not in "{[":
        return body
    cut = next(
        (k for k in starts if k > 0 and not body[k - 1].strip() and body[k][:1] not in " \t"),
        None,
    )
    if cut is None:
        return body
    extra.extend(_clean_line(body[k]) for k in starts if k >= cut)
    problems.append(("HTTP block holds another request after the body", body_line + cut))
    kept = body[:cut]
    while kept and not kept[-1].strip():
        kept.pop()
    return kept
