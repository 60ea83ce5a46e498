"""Query and header parameters of an operation, as its page documents them.

OData's system query options (``$select``, ``$filter``, ...) mean the same on every page, so
they are shared ``components/parameters`` that operations refer to; a page that makes one
required gets its own copy (a reference cannot change ``required``). Headers come from the
page's header table: ``Authorization``, ``Accept`` and ``Content-Type`` are left out (OpenAPI
ignores them as parameters: security and media types say them), names that differ only by
case are one header, and ``Prefer: outlook.timezone`` rows are the ``Prefer`` header.
"""

from __future__ import annotations

import re
from typing import Any

from extractor.render.openapi.schemas import _Schemas
from extractor.schema import Header, SpecOperation, SpecParameter

#: OData system query options: wire name, component key, schema, description.
_OPTIONS: list[tuple[str, str, dict[str, Any], str]] = [
    ("$select", "select", {"type": "string"}, "Properties to return, comma-separated."),
    ("$expand", "expand", {"type": "string"}, "Related entities to include, comma-separated."),
    ("$filter", "filter", {"type": "string"}, "Filter items by property values."),
    ("$orderby", "orderby", {"type": "string"}, "Order items by property values."),
    ("$search", "search", {"type": "string"}, "Search items by search phrases."),
    ("$top", "top", {"type": "integer", "minimum": 0}, "Show only the first n items."),
    ("$skip", "skip", {"type": "integer", "minimum": 0}, "Skip the first n items."),
    ("$count", "count", {"type": "boolean"}, "Include the count of items."),
    ("$format", "format", {"type": "string"}, "The media type of the response."),
    ("$skiptoken", "skiptoken", {"type": "string"}, "Paging token (from a nextLink)."),
    ("$deltatoken", "deltatoken", {"type": "string"}, "Change-tracking token."),
    ("$levels", "levels", {"type": "string"}, "Levels of a recursive expand."),
    ("$apply", "apply", {"type": "string"}, "Aggregation transformations."),
    ("$compute", "compute", {"type": "string"}, "Computed properties."),
    ("$id", "id", {"type": "string"}, "The entity id of a reference."),
]
SYSTEM_OPTIONS = {option[0].casefold(): option for option in _OPTIONS}
#: Headers OpenAPI ignores as parameters (OpenAPI 3.1, Parameter Object, ``name``).
_IGNORED_HEADERS = frozenset({"authorization", "accept", "content-type"})
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_WELL_KNOWN = {
    name.casefold(): name
    for name in (
        "If-Match",
        "If-None-Match",
        "ConsistencyLevel",
        "Prefer",
        "Content-Language",
        "Accept-Language",
        "Workbook-Session-Id",
        "Content-Length",
        "Content-Range",
        "User-Agent",
        "Range",
    )
}


def system_parameters() -> dict[str, dict[str, Any]]:
    """Every system query option as a ``components/parameters`` entry."""
    return {
        key: {
            "name": name,
            "in": "query",
            "description": text,
            "style": "form",
            "explode": False,
            "schema": dict(schema),
        }
        for name, key, schema, text in SYSTEM_OPTIONS.values()
    }


def query_parameters(
    params: list[SpecParameter], version: str, schemas: _Schemas, taken: set[str]
) -> tuple[list[dict[str, Any]], set[str]]:
    """The version's query parameters, and the system options it refers to by key.
    ``taken`` holds the (casefolded) names already used by the path's parameters."""
    found: list[dict[str, Any]] = []
    used: set[str] = set()
    seen = set(taken)
    for param in params:
        if version not in param.versions:
            continue
        name = param.name.strip()
        folded = name.casefold()
        if not name or folded in seen:
            continue
        seen.add(folded)
        option = SYSTEM_OPTIONS.get(folded)
        if option is not None and not param.required:
            found.append({"$ref": f"#/components/parameters/{option[1]}"})
            used.add(option[1])
            continue
        entry: dict[str, Any] = {"name": option[0] if option else name, "in": "query"}
        if param.description:
            entry["description"] = param.description
        if param.required:
            entry["required"] = True
        if param.deprecated:
            entry["deprecated"] = True
        if option is not None:
            entry.update(style="form", explode=False, schema=dict(option[2]))
        else:
            entry["schema"] = schemas.of(param.type, param.collection, param.alternatives) or {
                "type": "string"
            }
        found.append(entry)
    return found, used


def _header_name(raw: str) -> tuple[str, str] | None:
    """``(name, value)`` of a header cell: markdown emphasis dropped, ``Prefer: x`` split."""
    text = raw.strip().strip("_*`").strip()
    name, _, value = text.partition(":")
    name = name.strip().strip("_*`").strip()
    if not _TOKEN.fullmatch(name):
        return None
    return _WELL_KNOWN.get(name.casefold(), name), value.strip()


def header_parameters(headers: list[Header]) -> list[dict[str, Any]]:
    """The page's request headers as parameters, one per name ignoring case."""
    merged: dict[str, dict[str, Any]] = {}
    texts: dict[str, list[str]] = {}
    for header in headers:
        parsed = _header_name(header.name)
        if parsed is None or parsed[0].casefold() in _IGNORED_HEADERS:
            continue
        name, value = parsed
        entry = merged.setdefault(name.casefold(), {"name": name, "in": "header"})
        if header.required:
            entry["required"] = True
        text = header.description.strip()
        if value:
            text = f"`{value}`: {text}" if text else f"`{value}`"
        if text and text not in texts.setdefault(name.casefold(), []):
            texts[name.casefold()].append(text)
    result = []
    for folded, entry in merged.items():
        if texts.get(folded):
            entry["description"] = "\n\n".join(texts[folded])
        entry["schema"] = {"type": "string"}
        result.append(entry)
    return result


def operation_parameters(
    op: SpecOperation, version: str, schemas: _Schemas, path_names: list[str]
) -> list[dict[str, Any]]:
    """Query then header parameters of ``op`` in ``version``; no name twice in one place,
    none named as a path parameter (a generated client's arguments would clash)."""
    taken = {n.casefold() for n in path_names}
    query, _ = query_parameters(op.query_parameters, version, schemas, taken)
    headers = [h for h in header_parameters(op.headers) if h["name"].casefold() not in taken]
    return [*query, *headers]
