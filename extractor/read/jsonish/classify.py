"""Naming what a body is when it is not JSON: CSV reports, base64, MIME, multipart, XML,
placeholders such as ``<bytes of the file>``, binary or plain text. Cheap checks only."""

from __future__ import annotations

import re

from extractor.schema import BodyKind

PLACEHOLDER_RE = re.compile(
    r"""[\[{<(]\s*[A-Za-z][^"'{}\[\]<>:,=\n]*[\]}>)]"""  # <bytes of the file>, [Binary data]
    r"|\.{3}[^\n]{1,60}\.{3}"  # ...binary data...
)
_BOUNDARY_RE = re.compile(r"--[A-Za-z0-9'()+_,./:=?-]{1,70}[ \t]*$", re.M)
_MULTIPART_RE = re.compile(r"^content-type:[ \t]*multipart/", re.I | re.M)
_HEADER_LINE_RE = re.compile(r"[A-Za-z][A-Za-z0-9-]*:(?:[ \t]|$)")
_MIME_HEADERS = frozenset(
    (
        "mime-version",
        "content-type",
        "content-transfer-encoding",
        "content-disposition",
        "from",
        "to",
        "subject",
        "received",
        "date",
        "message-id",
        "return-path",
    )
)
_XML_START_RE = re.compile(r"<(?:\?xml|[A-Za-z_][\w.:-]*)[\s>/]")
_BASE64_RE = re.compile(r"[A-Za-z0-9+/=_-]+")
_MAX_CSV_LINE = 10_000
_INNER_SPACE_RE = re.compile(r"\s")


def _csv_fields(line: str) -> int:
    """Number of comma-separated fields, ignoring commas inside double quotes."""
    if '"' not in line:
        return line.count(",") + 1
    count, quoted = 1, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            count += 1
    return count


def _is_csv(lines: list[str]) -> bool:
    """A header row of several short label fields, and data rows with the same count."""
    if not lines:
        return False
    head = lines[0].strip()
    if len(head) > _MAX_CSV_LINE:
        return False
    width = _csv_fields(head)
    if width < 2 or any(ch in head for ch in "{}[]<>=:;"):
        return False
    if any(len(f.strip()) > 60 for f in head.split(",")):
        return False
    if len(lines) == 1:  # a report's header row alone, as the docs show it
        return width >= 3 and ". " not in head
    rows = lines[1:50]
    same = sum(1 for line in rows if len(line) <= _MAX_CSV_LINE and _csv_fields(line) == width)
    return same >= max(1, int(len(rows) * 0.9))


def _is_base64(s: str, first_line: str) -> bool:
    """One long run of the base64 alphabet (possibly wrapped, possibly cut off with ...)."""
    compact = "".join(s.split())
    compact = compact.rstrip(".…")
    if len(compact) < 16 or not _BASE64_RE.fullmatch(compact):
        return False
    if _INNER_SPACE_RE.search(first_line.strip()):
        return False
    head = compact[:2000]
    return (
        any(ch.isdigit() or ch in "+/=" for ch in head)
        and any(ch.isupper() for ch in head)
        and any(ch.islower() for ch in head)
    )


def classify(text: str) -> BodyKind:
    """Name what a non-JSON body is; cheap checks only, linear in the text."""
    s = text.strip().lstrip("\ufeff").strip()
    if not s:
        return "empty"
    sample = s[:4096]
    if "\x00" in sample:
        return "binary"
    odd = sum(1 for ch in sample if (ch < " " and ch not in "\t\r\n") or ch == "\ufffd")
    if odd * 10 > len(sample):
        return "binary"
    lines = [line.rstrip() for line in s.split("\n", 60)[:60]]
    if len(lines) == 1 and PLACEHOLDER_RE.fullmatch(s):
        return "placeholder"
    if _BOUNDARY_RE.match(lines[0]) and (
        s.endswith("--") or any(line.lower().startswith("content-") for line in lines[1:10])
    ):
        return "multipart"
    header_names = [
        line.split(":", 1)[0].lower() for line in lines[:15] if _HEADER_LINE_RE.match(line)
    ]
    if (
        len(header_names) >= 2
        and any(name in _MIME_HEADERS for name in header_names)
        and (_HEADER_LINE_RE.match(lines[0]) or len(header_names) >= 4)
    ):
        return "mime"
    if _MULTIPART_RE.search(sample):
        return "multipart"
    if s.startswith("<?xml") or (
        _XML_START_RE.match(s) and s.endswith(">") and ("</" in s or "/>" in s)
    ):
        return "xml"
    if _is_csv([line for line in lines if line.strip()]):
        return "csv"
    if _is_base64(s, lines[0]):
        return "base64"
    return "text"
