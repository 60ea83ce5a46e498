"""Whole HTTP fences: the 'HTTP request' section's list of request lines, and an example's
request or response with its start line, headers and body."""

from __future__ import annotations

from extractor.read.httpblock.lines import (
    RequestLine,
    clean_line,
    is_bare_url,
    letters,
    normalize_status,
    parse_header,
    parse_start,
    plausible_target,
    split_url,
    status_line,
)
from extractor.schema import HttpMessage

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
_OR_LINES: frozenset[str] = frozenset({"or", "and", "-or-"})


def _plausible_header(name: str) -> bool:
    low = name.lower()
    return low in KNOWN_HEADERS or "-" in low


# --- the HTTP request section --------------------------------------------------------


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
        start = parse_start(raw)
        if start is None:
            if parse_header(s) is not None:
                continue
            if is_bare_url(s):
                problems.append(f"line {line_no}: URL without a method: {s[:80]!r}")
            else:
                problems.append(f"line {line_no}: not a request line: {s[:80]!r}")
            continue
        if not start.url or not plausible_target(start.url):
            problems.extend(f"line {line_no}: {p}" for p in start.problems)
            continue
        problems.extend(f"line {line_no}: {p}" for p in start.problems)
        requests.append(RequestLine(method=start.method or "", path=start.url, line=line_no))
    return requests, problems


# --- example fences: one request or response -----------------------------------------


def _classify_first(line: str) -> str:
    s = line.strip()
    if s[:1] in "{[" and s[1:].lstrip()[:1] in ('"', "{", "[", "}", "]", ""):
        return "json"
    if parse_header(s) is not None:
        return "headers"
    return "other"


def _header_block(lines: list[str], i: int) -> int:
    """End index of a block of plausible headers starting at ``i`` (``i`` when none).

    The block must end at a blank line, the end of the fence or a body-looking line, so a
    MIME or prose body that happens to hold a colon is not taken for headers.
    """
    j = i
    while j < len(lines) and lines[j].strip():
        h = parse_header(lines[j])
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
    start = parse_start(head)
    status_m = None if start is not None else status_line(head)
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
        if reason and written and letters(written) != letters(reason):
            problems.append(
                (f"reason phrase {written!r} is not the standard {reason!r}", start_line_no)
            )
        if not status_m.has_http:
            problems.append(("status line has no HTTP version", start_line_no))
        fields = {"kind": "response", "http_version": version, "status": status}
        fields["reason"] = reason
        i += 1
    elif is_bare_url(head):
        url = clean_line(head)
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
        h = parse_header(lines[i])
        if h is None:
            break
        headers.append(h)
        i += 1
    if not headers and i < len(lines) and not lines[i].strip():
        # intune-* pages: a blank line between the start line and the headers
        j = _skip_blank(lines, i)
        end = _header_block(lines, j)
        if end > j:
            headers.extend(h for h in (parse_header(ln) for ln in lines[j:end]) if h is not None)
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
        if parse_start(s) is not None or (bare and is_bare_url(s)):
            extra.append(clean_line(s))
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
    starts = [k for k, ln in enumerate(body) if ln.strip() and parse_start(ln) is not None]
    if not starts:
        return body
    if all(not ln.strip() or parse_start(ln) is not None for ln in body):
        extra.extend(clean_line(body[k]) for k in starts)
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
    extra.extend(clean_line(body[k]) for k in starts if k >= cut)
    problems.append(("HTTP block holds another request after the body", body_line + cut))
    kept = body[:cut]
    while kept and not kept[-1].strip():
        kept.pop()
    return kept
