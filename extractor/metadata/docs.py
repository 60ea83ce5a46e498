"""The docs as check-metadata reads them: one version of the spec, lines, request examples.

``DocsView`` is one version's view of the spec, made from the JSON form of ``spec.json``:
reading a built spec.json with orjson and keeping only what is compared takes a third of
the time of validating it into the spec's models (0.35 s against 1 s on the real corpus,
the biggest share of a run), and a spec in memory is dumped to the same form.

``spec.json`` names each element's pages (``sources``) but no lines below the page (reconcile
drops them: they differ between locales). When the pages themselves were read, their records
give the lines of every parameter, property, relationship, request path and section; this
module keeps just those, by page path. Request examples come from the build's fixtures: in
memory, or from the ``fixtures/`` folder beside a built ``spec.json``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from extractor.schema import Fixture, PageRecord


def path_key(path: str) -> str:
    """A request path without its whitespace, as reconcile matches paths."""
    return "".join(path.split())


@dataclass(slots=True)
class _Lines:
    first: int | None = None  # the H1
    members: dict[str, int] = field(default_factory=dict)  # "parameters/name" ... casefolded
    paths: dict[str, int] = field(default_factory=dict)
    sections: dict[str, int] = field(default_factory=dict)  # title casefolded


class PageLines:
    """The line of each documented element, by page path and element, from page records."""

    def __init__(self, records: Iterable[PageRecord]) -> None:
        self._pages: dict[str, _Lines] = {}
        for record in records:
            lines = _Lines(record.sections[0].line if record.sections else None)
            for section in record.sections:
                lines.sections.setdefault(section.title.strip().casefold(), section.line)
            operation, typedef = record.operation, record.type
            if operation is not None:
                self._note(lines, "parameters", operation.parameters)
                for request_path in operation.paths:
                    if request_path.line is not None:
                        lines.paths.setdefault(path_key(request_path.path), request_path.line)
            if typedef is not None:
                self._note(lines, "properties", typedef.properties)
                self._note(lines, "relationships", typedef.relationships)
            self._pages[record.source.path] = lines

    @staticmethod
    def _note(lines: _Lines, kind: str, items: Sequence[object]) -> None:
        for item in items:
            line = getattr(item, "line", None)
            if line is not None:
                lines.members.setdefault(f"{kind}/{getattr(item, 'name', '').casefold()}", line)

    def page(self, path: str | None) -> int | None:
        found = self._pages.get(path) if path is not None else None
        return found.first if found is not None else None

    def member(self, path: str | None, kind: str, name: str) -> int | None:
        """A parameter's, property's or relationship's row; else the page's H1."""
        found = self._pages.get(path) if path is not None else None
        if found is None:
            return None
        return found.members.get(f"{kind}/{name.casefold()}", found.first)

    def request_path(self, path: str | None, request_path: str) -> int | None:
        found = self._pages.get(path) if path is not None else None
        if found is None:
            return None
        return found.paths.get(path_key(request_path), found.first)

    def section(self, path: str | None, *titles: str) -> int | None:
        """The first of ``titles`` that heads a section of the page; else its H1."""
        found = self._pages.get(path) if path is not None else None
        if found is None:
            return None
        for title in titles:
            line = found.sections.get(title.casefold())
            if line is not None:
                return line
        return found.first


class SpecError(ValueError):
    """The spec is not shaped as spec.json: the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class DocsMember:
    """A parameter, property or relationship as the docs give it."""

    name: str
    type: str | None
    collection: bool = False
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DocsType:
    name: str
    kind: str
    base_type: str | None
    page: str | None
    properties: tuple[DocsMember, ...] = ()
    relationships: tuple[DocsMember, ...] = ()


@dataclass(frozen=True, slots=True)
class DocsEnum:
    name: str
    page: str | None
    members: tuple[tuple[str, object], ...] = ()  # (name, value)


@dataclass(frozen=True, slots=True)
class DocsOperation:
    id: str
    kind: str
    binding_type: str | None
    name: str | None
    page: str | None
    paths: tuple[str, ...] = ()
    parameters: tuple[DocsMember, ...] = ()
    response_type: str | None = None
    response_collection: bool = False


@dataclass(frozen=True)
class DocsView:
    """One version of the spec: its types (those read from pages), enums and operations,
    each with the page it was read from (the first copy of that version)."""

    version: str
    types: dict[str, DocsType]
    enums: tuple[DocsEnum, ...]
    operations: tuple[DocsOperation, ...]

    @classmethod
    def of(cls, spec: Mapping[str, Any], version: str) -> DocsView:
        """The view of ``spec`` (spec.json's JSON form) in ``version``; ``SpecError`` when
        it is not shaped so."""
        try:
            return cls._of(spec, version)
        except (KeyError, TypeError, AttributeError, ValueError) as error:
            raise SpecError(f"not a spec.json ({type(error).__name__}: {error})") from error

    @classmethod
    def _of(cls, spec: Mapping[str, Any], version: str) -> DocsView:
        def here(item: Mapping[str, Any]) -> bool:
            return not item.get("versions") or version in item["versions"]

        def page(item: Mapping[str, Any]) -> str | None:
            sources = item.get("sources") or []
            chosen = next((s for s in sources if s.get("version") == version), None)
            chosen = chosen or (sources[0] if sources else None)
            return str(chosen["path"]) if chosen is not None else None

        def members(items: Iterable[Mapping[str, Any]]) -> tuple[DocsMember, ...]:
            return tuple(
                DocsMember(
                    str(m["name"]),
                    m.get("type"),
                    bool(m.get("collection")),
                    tuple(m.get("alternatives") or ()),
                )
                for m in items
                if here(m)
            )

        def response(op: Mapping[str, Any]) -> Mapping[str, Any]:
            found = (r for r in op.get("responses") or () if version in r.get("versions", ()))
            return next(found, None) or op.get("response") or {}

        types = {
            t["name"]: DocsType(
                t["name"],
                t.get("kind", "complex"),
                t.get("baseType"),
                page(t),
                members(t.get("properties") or ()),
                members(t.get("relationships") or ()),
            )
            for t in spec.get("types", ())
            if here(t) and not t.get("inferred")
        }
        enums = tuple(
            DocsEnum(
                e["name"],
                page(e),
                tuple((m["name"], m.get("value")) for m in e.get("members") or () if here(m)),
            )
            for e in spec.get("enums", ())
            if here(e)
        )
        operations = tuple(
            DocsOperation(
                op["id"],
                op.get("kind", "other"),
                op.get("bindingType"),
                op.get("name"),
                page(op),
                tuple(p["path"] for p in op.get("paths") or () if here(p)),
                members(op.get("parameters") or ()),
                response(op).get("type"),
                bool(response(op).get("collection")),
            )
            for op in spec.get("operations", ())
            if here(op)
        )
        return cls(version, types, enums, operations)


@dataclass(frozen=True, slots=True)
class RequestExample:
    """The top-level names a request example of an operation sends in its JSON body."""

    operation: str
    version: str
    page: str
    line: int
    keys: tuple[str, ...]


def examples_from_fixtures(fixtures: Iterable[Fixture]) -> list[RequestExample]:
    return [
        RequestExample(f.operation, f.version, f.source_path, f.line, tuple(f.body))
        for f in fixtures
        if f.role == "request"
        and f.operation is not None
        and f.version is not None
        and isinstance(f.body, dict)
    ]


def examples_beside(
    spec_json: Path, wanted: Collection[object], version: str | None = None
) -> list[RequestExample]:
    """The JSON request examples of the ``wanted`` operations (in ``version``, or all) from
    a build's ``fixtures/`` folder next to its ``spec.json``, reading only their files;
    none when the folder is not there."""
    folder = spec_json.parent
    try:
        index = orjson.loads((folder / "fixtures" / "index.json").read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return []
    found = []
    for entry in index if isinstance(index, list) else []:
        if not isinstance(entry, dict) or entry.get("role") != "request":
            continue
        if entry.get("bodyKind") != "json" or version not in (None, entry.get("version")):
            continue
        if entry.get("operation") not in wanted or not isinstance(entry.get("file"), str):
            continue
        # relative to fixtures/ (older builds: to the build's root)
        file = folder / "fixtures" / entry["file"]
        if not file.is_file() and entry["file"].startswith("fixtures/"):
            file = folder / entry["file"]
        try:
            fixture = orjson.loads(file.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            continue
        body = fixture.get("body") if isinstance(fixture, dict) else None
        if isinstance(body, dict) and isinstance(fixture.get("version"), str):
            found.append(
                RequestExample(
                    str(entry["operation"]),
                    fixture["version"],
                    str(fixture.get("sourcePath", "")),
                    int(fixture.get("line") or 0),
                    tuple(body),
                )
            )
    return found
