"""Single lines of HTTP fences: request start lines, status lines, header lines and URLs.

Each function reads one line (or one URL) and never raises; the fences module puts the
lines together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from http import HTTPStatus

METHODS: frozenset[str] = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})

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


# --- request start lines and header lines --------------------------------------------


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


def clean_line(line: str) -> str:
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


def plausible_target(url: str) -> bool:
    """Whether a request target looks like a URL or path rather than prose or markup."""
    if not url:
        return False
    ch = url[0]
    return ch.isalnum() or ch in "/~.{$("


def parse_start(line: str) -> _Start | None:
    """Parse ``METHOD URL [HTTP/x]``; None when the line is not a request line."""
    s = clean_line(line)
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
    if not plausible_target(url):
        problems.append(f"request target does not look like a URL: {url[:80]!r}")
    return _Start(method, url, http_version, tuple(problems))


def is_bare_url(line: str) -> bool:
    s = line.strip()
    return bool(_SCHEME_RE.match(s)) or (s.startswith("/") and not s.startswith("//"))


def parse_header(line: str) -> tuple[str, str] | None:
    """``Name: value`` as a pair; None for anything else (JSON, URLs, prose)."""
    m = _HEADER_RE.match(line.strip())
    if not m or m.group(2).startswith("//"):
        return None
    return m.group(1), m.group(2).strip()


# --- status lines --------------------------------------------------------------------


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


def status_line(line: str) -> _Status | None:
    """A status line: with an ``HTTP`` prefix, or a bare code followed by a reason."""
    st = _scan_status(line)
    if st is None or (not st.has_http and not st.written[:1].isalpha()):
        return None
    return st


def letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalpha())


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


# --- URLs ----------------------------------------------------------------------------


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
