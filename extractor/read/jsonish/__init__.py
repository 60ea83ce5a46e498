"""Parse example bodies, repairing the JSON the docs get wrong, or classify what is not JSON.

Strict ``json.loads`` runs first, so the ~97% of bodies that are valid cost nothing extra.
Only when it fails does a tolerant, single-pass parser run (a second pass, allowed to
guess where a broken string ends, runs only if the first fails). That parser keeps an
explicit stack (no recursion, so 100,000 nested brackets are fine), never backtracks, and
records every change it makes as a :class:`~extractor.schema.Repair` carrying the page
line, so a diagnostic can point at the exact spot. Bodies that are not JSON at all (CSV reports,
base64, MIME, multipart, XML, placeholders such as ``<bytes of the file>``) get a
classification instead of a value. Nothing here raises on bad input.

The work is split by what a body turned out to be: :mod:`.classify` names bodies that are
not JSON, :mod:`.scanner` reads and repairs single tokens, and :mod:`.tolerant` drives the
repairing parser over containers. This module holds the public surface.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from extractor.read.jsonish.classify import PLACEHOLDER_RE, classify
from extractor.read.jsonish.tolerant import TolerantParser, Unrepairable
from extractor.schema import BodyKind, Repair

__all__ = [
    "REPAIR_KINDS",
    "BodyResult",
    "looks_like_json",
    "parse_body",
    "parse_lenient_object",
]

#: Every repair kind this module emits (stable ids, used in diagnostics). The first 13 are
#: the documented ones; the rest name faults found in the real corpus that fit none of them.
REPAIR_KINDS: tuple[str, ...] = (
    "trailing-comma",
    "comment",
    "single-quotes",
    "html-entity",
    "raw-newline-in-string",
    "control-char-in-string",
    "missing-comma",
    "ellipsis",
    "unquoted-key",
    "python-literal",
    "truncated",
    "bom",
    "trailing-garbage",
    # beyond the documented set
    "unquoted-value",  # a bare word/date/GUID as a value: kept as a string
    "number-format",  # 007, +1, .5, 1.: read as the number meant
    "missing-value",  # "key": , -> member dropped
    "bracket",  # mismatched or stray closing bracket
    "escaped-quotes",  # {\"a\":1}: a JSON string's content pasted as the body
    "stray-quote",  # ""word" -> "word"
    "unclosed-string",  # "text,<newline> "next": ... -> string closed at the line end
    "invalid-escape",  # "C:\path" -> backslash kept literally
    "whitespace",  # no-break / zero-width space between tokens
)


@dataclass(frozen=True)
class BodyResult:
    """What a body turned out to be: a JSON value (with repairs) or a classification."""

    kind: BodyKind
    value: Any = None
    repairs: list[Repair] = field(default_factory=list)
    error: str | None = None
    error_line: int | None = None


# --- strict first, then the tolerant parser in two passes --------------------------------

_LEAD_RE = re.compile(r"[ \t\r\n\ufeff]*")


def _reject_constant(name: str) -> Any:
    """Make strict parsing refuse NaN/Infinity, which are not JSON."""
    raise ValueError(f"{name} is not JSON")


def looks_like_json(text: str) -> bool:
    """True when the text starts (after whitespace and a BOM) with ``{`` or ``[``."""
    pos = _LEAD_RE.match(text).end()  # type: ignore[union-attr]
    return pos < len(text) and text[pos] in "{["


def _finite(token: str) -> float:
    """Make strict parsing refuse a number too large for a float (``1e999``), which became
    ``inf`` and then ``null``: the tolerant parser keeps it as written, with a repair."""
    number = float(token)
    if math.isinf(number):
        raise ValueError(f"{token} is not a finite number")
    return number


_STRICT = json.JSONDecoder(
    parse_constant=_reject_constant, parse_float=_finite
)  # built once: json.loads with
# keyword arguments would build a new decoder per call


def _strict(text: str) -> tuple[bool, Any]:
    """Strict json.loads that reports failure instead of raising."""
    try:
        return True, _STRICT.decode(text)
    except (ValueError, RecursionError):
        return False, None


def _tolerant(text: str, first_line: int, pos: int) -> BodyResult:
    """Run the tolerant parser from ``pos``; a failure becomes an error, never an exception.

    The first pass never guesses where a string ends; only when it fails does a second
    pass let ``&quot;:`` close a key and a line that starts a new member close a string
    left open. So valid strings that merely contain such text are never cut.
    """
    failures: list[tuple[Unrepairable, TolerantParser]] = []
    for guess in (False, True):
        parser = TolerantParser(text, first_line, guess)
        try:
            value = parser.parse(pos)
        except Unrepairable as error:
            failures.append((error, parser))
            continue
        return BodyResult(kind="json", value=value, repairs=parser.finish())
    fail, parser = max(failures, key=lambda item: item[0].pos)
    line = parser.line(fail.pos)
    return BodyResult(
        kind="text", error=f"unparsable JSON: {fail.message} (line {line})", error_line=line
    )


# --- public entry points -----------------------------------------------------------------


def parse_body(text: str, first_line: int = 1) -> BodyResult:
    """Parse an example body: JSON (strictly, else repaired), or classify what it is instead.

    ``first_line`` is the page line of the body's first line; repairs carry page lines.
    """
    repairs: list[Repair] = []
    if text.startswith("\ufeff"):
        repairs.append(Repair(kind="bom", line=first_line, message="removed a byte order mark"))
        text = text[1:]
    if not looks_like_json(text):
        return BodyResult(kind=classify(text))
    ok, value = _strict(text)
    if ok:
        return BodyResult(kind="json", value=value, repairs=repairs)
    stripped = text.strip()
    if "\n" not in stripped and PLACEHOLDER_RE.fullmatch(stripped):
        return BodyResult(kind="placeholder")
    start = _LEAD_RE.match(text).end()  # type: ignore[union-attr]
    result = _tolerant(text, first_line, start)
    if result.kind != "json":
        if not any(ch in text for ch in "\"':"):
            # No key, no string anywhere: a template such as {Vendor}/{Provider}, not JSON.
            return BodyResult(kind=classify(text))
        return result
    return BodyResult(kind="json", value=result.value, repairs=repairs + result.repairs)


def parse_lenient_object(text: str, first_line: int = 1) -> BodyResult:
    """Parse an annotation comment's JSON object, tolerating the same faults as bodies.

    Accepts the bare object or the whole ``<!-- ... -->`` comment. Returns kind "json"
    with a dict, or kind "text" with ``error`` set.
    """
    body = text
    lead = _LEAD_RE.match(body).end()  # type: ignore[union-attr]
    if body.startswith("<!--", lead):
        body = body[:lead] + "    " + body[lead + 4 :]  # keep positions, hence lines
    end = body.rfind("-->")
    if end >= 0 and not body[end + 3 :].strip():
        body = body[:end]
    result = parse_body(body, first_line)
    if result.kind == "json" and isinstance(result.value, dict):
        return result
    if result.error is not None:
        return result
    lead = _LEAD_RE.match(body).end()  # type: ignore[union-attr]
    return BodyResult(
        kind="text",
        error="the annotation is not a JSON object",
        error_line=first_line + body.count("\n", 0, lead),
    )
