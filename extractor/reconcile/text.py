"""Small pure helpers of every reconcile step: locale-neutral text, ids that are safe file
names, type names as examples write them, hand-off dates, provenance and diagnostics.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from extractor.schema import Diagnostic, PageRecord, SpecSource

_LOCALE_IN_URL = re.compile(
    r"(https?://[^\s/()\[\]<>\"']+|\]\()/(?:[A-Za-z]{2}-[A-Za-z]{2}|zh-han[st])(?=/)", re.IGNORECASE
)
_SPACE_RUN = re.compile(r"[ \t\u00a0]+")
_BLANK_RUN = re.compile(r"\n{3,}")
_COLLECTION_OF = re.compile(r"Collection\(([^()]*)\)", re.IGNORECASE)
_UNSAFE_ID_CHARS = re.compile(r"[^A-Za-z0-9._~-]+")


def normalize_text(text: str | None) -> str:
    """Locale-neutral description text.

    Locales of one page differ in locale codes injected into URLs and in the whitespace left
    by sentence segmentation; neither may reach the spec, so both are removed here.
    """
    if not text:
        return ""
    # Each regex runs only on text it can change: most texts have no link and no odd spaces.
    if "://" in text or "](/" in text:
        text = _LOCALE_IN_URL.sub(r"\1", text)
    text = text.replace("\r", "")
    if "  " in text or "\t" in text or "\u00a0" in text:
        text = _SPACE_RUN.sub(" ", text)  # runs never span lines: one pass for all of them
    if "\n" in text:  # descriptions are mostly one line: no need to split them
        text = _BLANK_RUN.sub("\n\n", "\n".join([line.strip() for line in text.split("\n")]))
    return text.strip()


def _text(values: Iterable[str | None]) -> str:
    """The first non-empty text, normalised: v1.0's wording unless v1.0 says nothing."""
    return next((text for text in map(normalize_text, values) if text), "")


def _handoff(record: PageRecord) -> date:
    """``ms.lasthandoff`` (MM/DD/YYYY) as a date; unreadable dates count as oldest."""
    raw = (record.source.lasthandoff or "").strip()
    parts = raw.split("/")
    if len(parts) == 3 and all(p.strip().isdigit() for p in parts):
        month, day, year = (int(p) for p in parts)
        try:
            return date(year, month, day)
        except ValueError:
            return date.min
    return date.min


def _page_name(record: PageRecord) -> str:
    """The page's name in fixture ids: its slug, else the file stem of its path."""
    name = record.slug or PurePosixPath(record.source.path.replace("\\", "/")).stem or "page"
    return _safe_id_part(name)


def _safe_id_part(text: str) -> str:
    """A fixture id segment that is also a safe file name (no separators, no dot-only names)."""
    cleaned = _UNSAFE_ID_CHARS.sub("-", text).strip("-")
    if not cleaned or set(cleaned) == {"."}:
        return "x"
    return cleaned


_TYPE_NAME = re.compile(r"[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*")


#: OData's primitives by their bare names: an annotation's ``"@odata.type": "String"`` is
#: ``Edm.String``, not a type named ``String``.
_EDM = {
    name.casefold(): f"Edm.{name}"
    for name in [
        *("String", "Boolean", "Byte", "SByte", "Int16", "Int32", "Int64", "Single", "Double"),
        *("Decimal", "DateTimeOffset", "Date", "TimeOfDay", "Duration", "Guid", "Binary", "Stream"),
    ]
}


def clean_type_name(value: Any) -> tuple[str | None, bool]:
    """A type as annotations and bodies write it (``#microsoft.graph.x``, ``Collection(x)``);
    a bare primitive name (``String``) is the primitive."""
    if not isinstance(value, str):
        return None, False
    name = value.strip().lstrip("#").strip()
    collection = False
    match = _COLLECTION_OF.fullmatch(name)
    if match:
        name, collection = match.group(1).strip().lstrip("#"), True
    if not _TYPE_NAME.fullmatch(name) or name.rsplit(".", 1)[-1].casefold() == "none":
        return None, collection  # "microsoft.graph.None" says: no body; "call-transfer" is no type
    return _EDM.get(name.casefold(), name), collection


def _truthy(value: Any) -> bool:
    """Annotation flags come as booleans or as the strings "true"/"false"."""
    if isinstance(value, str):
        return value.strip().lower() in {"true", "yes", "1"}
    return bool(value)


def is_primitive(name: str) -> bool:
    return name.lower().startswith("edm.")


def _sources(records: Iterable[PageRecord]) -> list[SpecSource]:
    """Provenance, sorted by (version, locale, path) and without duplicates."""
    seen: dict[tuple[str, str, str], SpecSource] = {}
    for record in records:
        key = (record.version or "", record.source.locale or "", record.source.path)
        seen.setdefault(
            key,
            SpecSource(
                path=record.source.path,
                version=record.version,
                locale=record.source.locale,
                sourcegitcommit=record.source.sourcegitcommit,
            ),
        )
    return [seen[key] for key in sorted(seen)]


def _diag(rule: str, severity: str, path: str, line: int | None, message: str) -> Diagnostic:
    return Diagnostic(rule=rule, severity=severity, path=path, line=line, message=message)
