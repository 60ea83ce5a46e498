"""Small hand-written CSDL and specs for check-metadata's tests.

A spec is written in its JSON form (as spec.json holds it), with ``versions`` and a
``sources`` page filled in; a CSDL is one or more ``Schema`` bodies inside an EDMX envelope.
"""

from __future__ import annotations

from typing import Any

from extractor.metadata.align import align
from extractor.metadata.csdl import Csdl, parse_csdl
from extractor.metadata.docs import PageLines, RequestExample
from extractor.metadata.findings import Alignment

V1 = ["v1.0"]
BOTH = ["beta", "v1.0"]
ENVELOPE = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">\n'
    "{references}<edmx:DataServices>\n{schemas}\n</edmx:DataServices>\n</edmx:Edmx>\n"
)


def schema(body: str, namespace: str = "microsoft.graph", alias: str | None = "graph") -> str:
    named = f' Alias="{alias}"' if alias else ""
    return (
        f'<Schema Namespace="{namespace}"{named} '
        f'xmlns="http://docs.oasis-open.org/odata/ns/edm">\n{body}\n</Schema>'
    )


def edmx(*schemas: str, references: str = "") -> str:
    return ENVELOPE.format(schemas="\n".join(schemas), references=references)


def csdl(*bodies: str, version: str | None = "v1.0") -> Csdl:
    """A CSDL from ``microsoft.graph`` schema bodies (or whole ``Schema`` elements)."""
    schemas = [b if b.lstrip().startswith("<Schema") else schema(b) for b in bodies]
    return parse_csdl(edmx(*schemas), "test-metadata.xml", version)


ENTITY = '<EntityType Name="entity" Abstract="true"><Key><PropertyRef Name="id"/></Key>'
ENTITY += '<Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>'


def page(name: str, version: str = "v1.0") -> str:
    return f"pages/{version}/{name}.md"


def sources(name: str, versions: list[str]) -> list[dict[str, Any]]:
    return [{"path": page(name, v), "version": v, "locale": "en-US"} for v in versions]


def member(
    name: str, type_: str | None, collection: bool = False, versions: list[str] | None = None
) -> dict[str, Any]:
    found: dict[str, Any] = {"name": name, "type": type_, "collection": collection}
    if versions is not None:
        found["versions"] = versions
    return found


def typedef(
    name: str,
    *,
    kind: str = "entity",
    base: str | None = None,
    properties: tuple[dict[str, Any], ...] = (),
    relationships: tuple[dict[str, Any], ...] = (),
    versions: list[str] = V1,
) -> dict[str, Any]:
    short = name.rpartition(".")[2]
    return {
        "name": name,
        "kind": kind,
        "baseType": base,
        "versions": versions,
        "properties": list(properties),
        "relationships": list(relationships),
        "sources": sources(short.lower(), versions),
    }


def enum(name: str, *members: str | tuple[str, int], versions: list[str] = V1) -> dict[str, Any]:
    return {
        "name": name,
        "versions": versions,
        "members": [
            {"name": m, "value": None} if isinstance(m, str) else {"name": m[0], "value": m[1]}
            for m in members
        ],
        "sources": sources("enums", versions),
    }


def operation(
    op_id: str,
    *,
    binding: str | None = None,
    name: str | None = None,
    kind: str = "action",
    parameters: tuple[dict[str, Any], ...] = (),
    response: tuple[str | None, bool] = (None, False),
    paths: tuple[str, ...] = (),
    versions: list[str] = V1,
) -> dict[str, Any]:
    return {
        "id": op_id,
        "kind": kind,
        "bindingType": binding,
        "name": name,
        "versions": versions,
        "paths": [{"path": p, "versions": versions} for p in paths],
        "parameters": list(parameters),
        "response": {"status": 200, "type": response[0], "collection": response[1]},
        "sources": sources(op_id.replace(".", "-").lower(), versions),
    }


def spec(
    types: tuple[dict[str, Any], ...] = (),
    enums: tuple[dict[str, Any], ...] = (),
    operations: tuple[dict[str, Any], ...] = (),
) -> dict[str, Any]:
    return {"types": list(types), "enums": list(enums), "operations": list(operations)}


def run(
    docs: dict[str, Any],
    metadata: Csdl,
    version: str = "v1.0",
    lines: PageLines | None = None,
    examples: tuple[RequestExample, ...] = (),
) -> Alignment:
    return align(docs, version, metadata, lines, examples)


def found(alignment: Alignment, *rules: str) -> set[tuple[str, ...]]:
    """(rule, *element) of every finding, or of those of ``rules``."""
    return {(f.rule, *f.element) for f in alignment.findings if not rules or f.rule in rules}


def found_in(alignment: Alignment, *areas: str) -> set[tuple[str, ...]]:
    """(rule, *element) of the findings about elements of ``areas``."""
    return {(f.rule, *f.element) for f in alignment.findings if f.area in areas}


def of(alignment: Alignment, element: tuple[str, ...]) -> set[str]:
    """The rules found on one element."""
    return {f.rule for f in alignment.findings if f.element == element}
