"""Reconcile page records of every locale and version into one unified spec.

A record is one page of one version in one locale. This stage groups the records into pages,
keeps one copy of each page (the newest docs, preferring English text), merges v1.0 and beta
into one item per operation, type and enum with the versions each part exists in, infers the
types that only examples show, and turns every example into a fixture. It is pure: records in,
a ``BuildResult`` out, nothing printed and nothing raised for bad input.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import PurePosixPath
from typing import Any, TypeVar

from extractor.gcpause import gc_paused
from extractor.schema import (
    BuildResult,
    Diagnostic,
    EnumDef,
    Example,
    Fixture,
    Operation,
    PageRecord,
    Parameter,
    Permissions,
    ResponseInfo,
    SpecEnumDef,
    SpecEnumMember,
    SpecOperation,
    SpecParameter,
    SpecPermissions,
    SpecRequestPath,
    SpecResponse,
    SpecSource,
    SpecTypeDef,
    TypeDef,
    UnifiedSpec,
)

__all__ = [
    "Reconciliation",
    "reconcile",
    "reconciliation",
    "skeleton",
]

#: Versions in order of authority: scalar fields come from the first one that has them.
PRIMARY_ORDER: tuple[str, ...] = ("v1.0", "beta")
UNVERSIONED = "unversioned"

_LOCALE_IN_URL = re.compile(
    r"(https?://[^\s/()\[\]<>\"']+|\]\()/(?:[A-Za-z]{2}-[A-Za-z]{2}|zh-han[st])(?=/)", re.IGNORECASE
)
_SPACE_RUN = re.compile(r"[ \t\u00a0]+")
_BLANK_RUN = re.compile(r"\n{3,}")
_COLLECTION_OF = re.compile(r"Collection\(([^()]*)\)", re.IGNORECASE)
_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,12})?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
_GUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
_UNSAFE_ID_CHARS = re.compile(r"[^A-Za-z0-9._~-]+")
_INT32 = 2**31


# --- small pure helpers -------------------------------------------------------------------


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


def clean_type_name(value: Any) -> tuple[str | None, bool]:
    """A type as annotations and bodies write it (``#microsoft.graph.x``, ``Collection(x)``)."""
    if not isinstance(value, str):
        return None, False
    name = value.strip().lstrip("#").strip()
    collection = False
    match = _COLLECTION_OF.fullmatch(name)
    if match:
        name, collection = match.group(1).strip().lstrip("#"), True
    if not _TYPE_NAME.fullmatch(name) or name.rsplit(".", 1)[-1].casefold() == "none":
        return None, collection  # "microsoft.graph.None" says: no body; "call-transfer" is no type
    return name, collection


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


# --- page identity ------------------------------------------------------------------------


@dataclass
class _Page:
    """One page of one version: the copy we read and every copy that says the same."""

    version: str | None
    kind: str
    key: str
    name: str
    record: PageRecord
    copies: list[PageRecord]
    op_id: str | None = None
    members: int = 1  # records read for this page, the copies left out included

    @property
    def path(self) -> str:
        return self.record.source.path

    @property
    def first_path(self) -> str:
        return min(copy.source.path for copy in self.copies)


def _page_key(record: PageRecord) -> str:
    if record.kind == "api" and record.operation is not None:
        return record.operation.id
    if record.kind == "resource" and record.type is not None:
        return record.type.name
    if record.kind == "enum" and record.enums:
        return ",".join(sorted(enum.name for enum in record.enums))
    return _page_name(record)


def _pick_copies(
    copies: list[PageRecord],
) -> tuple[PageRecord, list[PageRecord], list[Diagnostic]]:
    """The copy to read, the copies with the same docs, and conflicts between commits.

    Copies with one ``sourcegitcommit`` are the same docs in other locales; otherwise the copy
    handed off last wins (ties: the larger path) and each older copy gets a warning.
    """
    by_commit: dict[str | None, list[PageRecord]] = {}
    for copy in copies:
        by_commit.setdefault(copy.source.sourcegitcommit, []).append(copy)
    diagnostics: list[Diagnostic] = []
    if len(by_commit) == 1:
        winners = copies
    else:
        newest = _extreme(copies, lambda r: (_handoff(r), *_identity(r)), largest=True)
        winners = by_commit[newest.source.sourcegitcommit]
        for copy in copies:
            if copy.source.sourcegitcommit == newest.source.sourcegitcommit:
                continue
            diagnostics.append(
                _diag(
                    "page-version-conflict",
                    "warning",
                    copy.source.path,
                    None,
                    f"{copy.source.path} (commit {copy.source.sourcegitcommit}, handed off "
                    f"{copy.source.lasthandoff}) is older than {newest.source.path} (commit "
                    f"{newest.source.sourcegitcommit}, handed off {newest.source.lasthandoff}); "
                    "using the newer page",
                )
            )
    chosen = _extreme(
        winners,
        lambda r: (r.language != "en", len(r.diagnostics), r.source.locale or "", *_identity(r)),
    )
    return chosen, winners, diagnostics


def _identity(record: PageRecord) -> tuple[str, str, str]:
    return record.source.path, record.source.sourcegitcommit or "", record.source.sha256


def _extreme(records: list[PageRecord], key: Any, largest: bool = False) -> PageRecord:
    """The min (or max) record by ``key``; full ties fall back to the record's JSON.

    Real ties (one file read twice) are identical records; the fallback only keeps the
    result independent of input order whatever the input.
    """
    if len(records) == 1:  # most pages have one copy
        return records[0]
    pick = max if largest else min
    best = pick(key(r) for r in records)
    tied = [r for r in records if key(r) == best]
    return tied[0] if len(tied) == 1 else pick(tied, key=lambda r: r.model_dump_json())


def _file_name(record: PageRecord) -> str:
    """The path's last part, as ``PurePosixPath`` names it; building one per record is slow."""
    path = record.source.path.replace("\\", "/")
    name = path.rpartition("/")[2]
    return name if name not in ("", ".") else PurePosixPath(path).name


def _stem(record: PageRecord) -> str:
    return _safe_id_part(PurePosixPath(record.source.path.replace("\\", "/")).stem)


_MAX_LOCALE_MERGE = 16


def _split_copies(copies: list[PageRecord]) -> list[list[PageRecord]]:
    """Records with one identity that are really one page, in a locale-independent order.

    Pages of one locale with different file names are different pages, even when their
    content gives them one identity (``list-members`` is the H1 anchor of many pages). Copies
    sharing a file name are the same page; so are file-name clusters of disjoint locales
    (seed files carry no page name). The locale merge is bounded so it stays linear.
    """
    by_file: dict[str, list[PageRecord]] = {}
    for copy in copies:
        by_file.setdefault(_file_name(copy), []).append(copy)
    clusters = [by_file[name] for name in sorted(by_file)]
    if len(clusters) == 1 or len(clusters) > _MAX_LOCALE_MERGE:
        return clusters
    merged: list[tuple[set[str | None], list[PageRecord]]] = []
    for cluster in clusters:
        locales = {copy.source.locale for copy in cluster}
        for seen, members in merged:
            if not seen & locales:
                seen |= locales
                members.extend(cluster)
                break
        else:
            merged.append((locales, list(cluster)))
    return [members for _, members in merged]


def _unique_ops(group: list[_Page], version: str, key: str) -> list[Diagnostic]:
    """Operation ids unique in a version: the first page by path keeps the id.

    Info, not a warning: most are one request documented once per derived type (intune's
    ``POST /deviceManagement/deviceConfigurations`` has a page for each configuration type).

    The others get ``<id>~<slug>``, or ``<id>~<file stem>`` when the slug is shared too.
    """
    group.sort(key=lambda p: (p.first_path, p.name))
    names = [p.name for p in group]
    taken = {key}
    diagnostics = []
    first = group[0]
    for page in group[1:]:
        label = page.name if names.count(page.name) == 1 else _stem(page.record)
        op_id, n = f"{key}~{label}", 1
        while op_id in taken:
            n += 1
            op_id = f"{key}~{label}-{n}"
        taken.add(op_id)
        page.op_id = op_id
        diagnostics.append(
            _diag(
                "duplicate-operation-id",
                "info",
                page.path,
                None,
                f"operation id {key!r} in {version} is also claimed by {first.path}; "
                f"this page's operation is renamed {op_id!r}",
            )
        )
    return diagnostics


_BRACED = re.compile(r"\{[^{}]*\}")


def _signature(page: _Page) -> set[tuple[str, str]]:
    """(method, path shape) pairs: what an operation is, whatever a page calls it."""
    operation = page.record.operation
    if operation is None:
        return set()
    method = (operation.method or "").upper()
    shapes = set()
    for request_path in operation.paths:
        path = "".join(request_path.path.split("?", 1)[0].split()).lower().rstrip("/")
        shapes.add((method, _BRACED.sub("{}", path)))
    return shapes


def _match_versions(pages: list[_Page]) -> list[Diagnostic]:
    """Join a v1.0-only and a beta-only operation that share a method and path.

    Pages name some operations differently in each version (``get-chart`` and
    ``get-workbookchart``); a one-to-one match on (method, path) makes them one operation,
    under the id of the form ``binding.name`` when one has it, else v1.0's.
    """
    ids: dict[str, dict[str, _Page]] = {"v1.0": {}, "beta": {}}
    for page in pages:
        if page.op_id is not None and page.version in ids:
            ids[page.version][page.op_id] = page
    only = {
        version: {i: p for i, p in ids[version].items() if i not in ids[other]}
        for version, other in (("v1.0", "beta"), ("beta", "v1.0"))
    }
    index: dict[str, dict[tuple[str, str], set[str]]] = {"v1.0": {}, "beta": {}}
    for version, found in only.items():
        for op_id, page in found.items():
            for element in _signature(page):
                index[version].setdefault(element, set()).add(op_id)

    def partners(version: str, other: str, op_id: str) -> set[str]:
        return {
            partner
            for element in _signature(only[version][op_id])
            for partner in index[other].get(element, ())
        }

    diagnostics = []
    for v1_id in sorted(only["v1.0"]):
        matches = partners("v1.0", "beta", v1_id)
        if len(matches) != 1:
            continue
        beta_id = matches.pop()
        if partners("beta", "v1.0", beta_id) != {v1_id}:
            continue
        merged = beta_id if "." in beta_id and "." not in v1_id else v1_id
        v1_page, beta_page = only["v1.0"][v1_id], only["beta"][beta_id]
        v1_page.op_id = beta_page.op_id = merged
        renamed = beta_page if merged == v1_id else v1_page
        diagnostics.append(
            _diag(
                "operation-id-differs",
                "info",
                renamed.path,
                None,
                f"v1.0 names this operation {v1_id!r} ({v1_page.path}) and beta {beta_id!r}; "
                f"same method and path, merged as {merged!r}",
            )
        )
    return diagnostics


def _pages(records: list[PageRecord]) -> tuple[list[_Page], list[Diagnostic]]:
    """Group records into pages, pick one copy each, and make operation ids unique."""
    groups: dict[tuple[str, str, str], dict[str, list[PageRecord]]] = {}
    for record in records:
        group = (record.version or "", record.kind, _page_key(record))
        groups.setdefault(group, {}).setdefault(_page_name(record), []).append(record)
    pages: list[_Page] = []
    diagnostics: list[Diagnostic] = []
    for (version, kind, key), by_name in sorted(groups.items()):
        group_pages: list[_Page] = []
        for name, same_name in sorted(by_name.items()):
            for copies in _split_copies(same_name):
                chosen, winners, found = _pick_copies(copies)
                diagnostics.extend(found)
                page = _Page(version or None, kind, key, name, chosen, winners)
                page.members = len(copies)
                if kind == "api" and chosen.operation is not None:
                    page.op_id = chosen.operation.id
                group_pages.append(page)
        if len(group_pages) > 1 and kind == "api" and group_pages[0].op_id is not None:
            diagnostics += _unique_ops(group_pages, version, key)
        pages.extend(group_pages)
    pages.sort(key=lambda p: (p.version or "", p.kind, p.key, p.name, _file_name(p.record)))
    diagnostics += _match_versions(pages)
    return pages, diagnostics


# --- fixtures -------------------------------------------------------------------------------


def _fixture_type(example: Example, page: _Page) -> tuple[str | None, bool]:
    annotation = example.annotation if isinstance(example.annotation, dict) else {}
    name, collection = clean_type_name(annotation.get("@odata.type"))
    if name:
        return name, collection or _truthy(annotation.get("isCollection", False))
    body = example.json_value
    if isinstance(body, dict):
        name, collection = clean_type_name(body.get("@odata.type"))
        if name:
            return name, collection
    operation = page.record.operation
    if operation is not None:
        # An action's request body holds its parameters, not its binding type: the
        # fixture's `operation` names the request model instead.
        creates = operation.kind in ("create", "update") and not operation.parameters
        if example.role == "request" and creates and operation.response.type:
            return operation.response.type, False  # the body of a create is the entity
        if example.role == "response" and operation.response.type:
            return operation.response.type, operation.response.collection
    return None, False


def _fixture_ids(pages: list[_Page]) -> list[list[str]]:
    """Each page's fixture ids, unique across pages: they depend on the pages before."""
    taken: set[str] = set()
    suffixes: dict[str, int] = {}
    every: list[list[str]] = []
    for page in pages:
        prefix = f"{page.version or UNVERSIONED}/{page.name}/"
        ids: list[str] = []
        for index, example in enumerate(page.record.examples):
            base = prefix + _safe_id_part(example.id or f"example-{index + 1}")
            fixture_id, n = base, suffixes.get(base, 1)
            while fixture_id in taken:
                n += 1
                fixture_id = f"{base}-{n}"
            suffixes[base] = n
            taken.add(fixture_id)
            ids.append(fixture_id)
        every.append(ids)
    return every


def _page_fixtures(page: _Page, ids: list[str]) -> list[Fixture]:
    """Every example of a page's chosen copy, with request/response pairs."""
    record = page.record
    pairs: dict[int, int] = {}
    pending: int | None = None
    for index, example in enumerate(record.examples):
        if example.role == "request":
            pending = index
        elif example.role == "response" and pending is not None:
            pairs[pending], pairs[index] = index, pending
            pending = None
    fixtures = []
    for index, example in enumerate(record.examples):
        fixture_type, collection = _fixture_type(example, page)
        http = example.http
        annotation = example.annotation if isinstance(example.annotation, dict) else {}
        body = example.json_value
        if body is None and example.body_kind != "json":
            body = example.raw_body
        fixtures.append(
            Fixture(
                id=ids[index],
                file=f"fixtures/{ids[index]}.json",
                page=page.name,
                version=page.version,
                locale=record.source.locale,
                role=example.role,
                type=fixture_type,
                collection=collection,
                operation=page.op_id,
                method=http.method if http else None,
                url=http.url if http else None,
                status=http.status if http else None,
                headers=list(http.headers) if http else [],
                body_kind=example.body_kind,
                body=body,
                raw_body=example.raw_body,
                source_path=record.source.path,
                line=example.line,
                repaired=bool(example.repairs),
                repairs=list(example.repairs),
                truncated=_truthy(annotation.get("truncated", False)) or example.truncated,
                annotation=annotation,
                pair=ids[pairs[index]] if index in pairs else None,
            )
        )
    return fixtures


# --- merging v1.0 and beta ------------------------------------------------------------------


def _by_version(items: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(version, items[version]) for version in PRIMARY_ORDER if version in items]


def _merge_parameters(
    per_version: dict[str, tuple[str, list[Parameter]]],
    owner: str,
    what: str,
    rule: str,
    diagnostics: list[Diagnostic],
) -> list[SpecParameter]:
    """Merge by name, ignoring case, in v1.0's document order with beta-only ones appended.

    The name is v1.0's spelling unless only beta has it; type and flags come from v1.0 when it
    has the parameter, and so does the description unless v1.0's is empty. ``deprecated`` is
    beta's flag when beta has the parameter (the newest docs say what is deprecated now), else
    v1.0's: equivalently, deprecated in every version that has it or in beta. Lines are
    dropped: they differ between locales. Types differing only in case are not reported.
    """
    order: list[str] = []
    entries: dict[str, dict[str, Parameter]] = {}
    for version, (_, params) in _by_version(per_version):
        for param in params:
            key = param.name.casefold()
            if key not in entries:
                entries[key] = {}
                order.append(key)
            entries[key].setdefault(version, param)
    merged: list[SpecParameter] = []
    for key in order:
        found = entries[key]
        primary = found.get("v1.0") or found["beta"]
        beta = found.get("beta")
        v1 = found.get("v1.0")
        if v1 is not None and beta is not None and _type_key(v1) != _type_key(beta):
            diagnostics.append(
                _diag(
                    rule,
                    "info",
                    per_version["beta"][0],
                    beta.line,
                    f"{owner}: {what} {primary.name!r} is {_type_text(v1)} in v1.0 "
                    f"({per_version['v1.0'][0]}) but {_type_text(beta)} in beta; keeping v1.0's",
                )
            )
        merged.append(
            SpecParameter(
                name=primary.name,
                type=primary.type,
                collection=primary.collection,
                alternatives=list(primary.alternatives),
                deprecated=beta.deprecated if beta is not None else primary.deprecated,
                required=primary.required,
                read_only=primary.read_only,
                nullable=primary.nullable,
                description=_text(p.description for p in (v1, beta) if p is not None),
                line=None,
                versions=sorted(found),
            )
        )
    return merged


def _type_key(param: Parameter) -> tuple[str, bool]:
    """Type names differing only in case (``mediaPrompt``/``MediaPrompt``) are one type."""
    return (param.type or "").casefold(), param.collection


def _type_text(param: Parameter) -> str:
    return f"{param.type} collection" if param.collection else str(param.type)


def _merge_paths(per_version: dict[str, Operation]) -> list[SpecRequestPath]:
    """Paths matched ignoring whitespace; ``deprecated`` follows the parameter rule."""
    order: list[str] = []
    entries: dict[str, dict[str, Any]] = {}
    for version, operation in _by_version(per_version):
        for request_path in operation.paths:
            key = "".join(request_path.path.split())
            if key not in entries:
                entries[key] = {}
                order.append(key)
            entries[key].setdefault(version, request_path)
    merged = []
    for key in order:
        found = entries[key]
        primary = found.get("v1.0") or found["beta"]
        beta = found.get("beta")
        merged.append(
            SpecRequestPath(
                path=primary.path.strip(),
                deprecated=beta.deprecated if beta is not None else primary.deprecated,
                line=None,
                versions=sorted(found),
            )
        )
    return merged


def _merge_named(
    per_version: dict[str, list[Any]], name: Any
) -> list[tuple[Any, list[str], list[Any]]]:
    """Items of several versions matched by ``name(item)`` ignoring case.

    Each match gives the primary item (v1.0's, else beta's), its versions, and every
    version's item in primary order.
    """
    order: list[str] = []
    entries: dict[str, dict[str, Any]] = {}
    for version, items in _by_version(per_version):
        for item in items:
            key = str(name(item)).casefold()
            if key not in entries:
                entries[key] = {}
                order.append(key)
            entries[key].setdefault(version, item)
    return [
        (
            entries[key].get("v1.0") or entries[key]["beta"],
            sorted(entries[key]),
            [item for _, item in _by_version(entries[key])],
        )
        for key in order
    ]


_Flat = TypeVar("_Flat", SpecResponse, Permissions)


def _fresh(model: _Flat) -> _Flat:
    """A deep copy of a model of scalars and lists, rebuilt from its dump: faster than deepcopy."""
    return type(model).model_validate(model.model_dump())


_Versioned = TypeVar("_Versioned", SpecResponse, SpecPermissions)


def _response_key(response: ResponseInfo) -> tuple[int, str, bool]:
    return (response.status or 0, response.type or "", response.collection)


def _per_version(
    ops: dict[str, Operation],
    key: Callable[[Operation], Any],
    make: Callable[[Operation], _Versioned],
) -> dict[Any, _Versioned]:
    """Each distinct part (by ``key``) of the versions' operations, made once from the first
    version that has it, with the sorted versions that document it."""
    found: dict[Any, _Versioned] = {}
    for version, op in _by_version(ops):
        part = key(op)
        if part not in found:
            found[part] = make(op)
        found[part].versions.append(version)
    for item in found.values():
        item.versions.sort()
    return found


def _operation(op_id: str, pages: dict[str, _Page], diagnostics: list[Diagnostic]) -> SpecOperation:
    ops: dict[str, Operation] = {v: p.record.operation for v, p in pages.items()}  # type: ignore[misc]
    primary = ops.get("v1.0") or ops["beta"]
    paths = _merge_paths(ops)
    parameters = _merge_parameters(
        {v: (pages[v].path, op.parameters) for v, op in ops.items()},
        op_id,
        "parameter",
        "parameter-type-differs",
        diagnostics,
    )
    responses = _per_version(
        ops,
        lambda op: _response_key(op.response),
        lambda op: SpecResponse(
            status=op.response.status, type=op.response.type, collection=op.response.collection
        ),
    )
    main_key = _response_key(primary.response)
    permission_sets = _per_version(
        ops,
        lambda op: (
            tuple(op.permissions.delegated_work),
            tuple(op.permissions.delegated_personal),
            tuple(op.permissions.application),
        ),
        lambda op: SpecPermissions(
            delegated_work=list(op.permissions.delegated_work),
            delegated_personal=list(op.permissions.delegated_personal),
            application=list(op.permissions.application),
        ),
    )
    query = _merge_named({v: op.query_parameters for v, op in ops.items()}, lambda q: q)
    headers = _merge_named({v: op.headers for v, op in ops.items()}, lambda h: h.name)
    return SpecOperation(
        id=op_id,
        kind=primary.kind,
        binding_type=primary.binding_type,
        name=primary.name,
        title=_text(op.title for _, op in _by_version(ops)),
        description=_text(op.description for _, op in _by_version(ops)),
        method=primary.method,
        paths=paths,
        parameters=parameters,
        query_parameters=[q for q, _, _ in query],
        headers=[
            h.model_copy(update={"description": normalize_text(h.description)})
            for h, _, _ in headers
        ],
        response=_fresh(responses[main_key]),
        responses=[responses[key] for key in sorted(responses)],
        permissions=_fresh(primary.permissions),
        permission_sets=sorted(permission_sets.values(), key=lambda s: s.versions),
        versions=sorted(ops),
        deprecated=bool(paths) and all(p.deprecated for p in paths),
        sources=_sources(c for p in pages.values() for c in p.copies),
    )


def _type(name: str, pages: dict[str, _Page], diagnostics: list[Diagnostic]) -> SpecTypeDef:
    defs: dict[str, TypeDef] = {v: p.record.type for v, p in pages.items()}  # type: ignore[misc]
    primary = defs.get("v1.0") or defs["beta"]
    merged: dict[str, list[SpecParameter]] = {}
    for attr, what in (("properties", "property"), ("relationships", "relationship")):
        merged[attr] = _merge_parameters(
            {v: (pages[v].path, getattr(d, attr)) for v, d in defs.items()},
            name,
            what,
            "property-type-differs",
            diagnostics,
        )
    return SpecTypeDef(
        name=name,
        kind=primary.kind,
        base_type=primary.base_type,
        key=primary.key,
        abstract=primary.abstract,
        open_type=primary.open_type,
        description=_text(d.description for _, d in _by_version(defs)),
        inferred=False,
        properties=merged["properties"],
        relationships=merged["relationships"],
        versions=sorted(defs),
        sources=_sources(c for p in pages.values() for c in p.copies),
    )


@dataclass
class _EnumSource:
    definitions: list[tuple[str, EnumDef]] = field(default_factory=list)
    copies: list[PageRecord] = field(default_factory=list)


def _enum(name: str, per_version: dict[str, _EnumSource]) -> SpecEnumDef:
    """Members merged by name; several pages of one version add members to the first's."""
    members: dict[str, list[Any]] = {}
    descriptions: dict[str, str] = {}
    for version, found in per_version.items():
        ordered = sorted(found.definitions, key=lambda item: item[0])
        members[version] = [m for _, definition in ordered for m in definition.members]
        descriptions[version] = next((d.description for _, d in ordered if d.description), "")
    merged = _merge_named(members, lambda m: m.name)
    description = _text(text for _, text in _by_version(descriptions))
    return SpecEnumDef(
        name=name,
        description=normalize_text(description),
        members=[
            SpecEnumMember(
                name=member.name,
                value=member.value,
                description=_text(m.description for m in every),
                versions=versions,
            )
            for member, versions, every in merged
        ],
        versions=sorted(per_version),
        sources=_sources(c for found in per_version.values() for c in found.copies),
    )


# --- type inference from examples -----------------------------------------------------------


@dataclass
class _Observed:
    """What example bodies say about one ``@odata.type``."""

    name: str
    versions: set[str] = field(default_factory=set)
    order: list[str] = field(default_factory=list)
    props: dict[str, list[Any]] = field(default_factory=dict)  # key -> [name, type, coll, vers]
    copies: dict[str, PageRecord] = field(default_factory=dict)


_WIDER = {"Edm.Int32": 0, "Edm.Int64": 1, "Edm.Double": 2}
_STRINGY = {"Edm.String", "Edm.Guid", "Edm.DateTimeOffset"}


_MIXED = "<mixed>"


def _widen(old: str | None, new: str | None) -> str | None:
    """The type that holds both observations; ``_MIXED`` when none does (left untyped)."""
    if old is None:
        return new
    if new is None or old == new:
        return old
    if old in _WIDER and new in _WIDER:
        return old if _WIDER[old] >= _WIDER[new] else new
    if old in _STRINGY and new in _STRINGY:
        return "Edm.String"
    return _MIXED


def _value_type(value: Any) -> tuple[str | None, bool]:
    """The Edm type (or ``@odata.type``) a JSON value shows, and whether it is a list."""
    if isinstance(value, list):
        for item in value:
            if item is not None and not isinstance(item, list):
                return _value_type(item)[0], True
        return None, True
    if isinstance(value, bool):
        return "Edm.Boolean", False
    if isinstance(value, int):
        return ("Edm.Int32" if -_INT32 <= value < _INT32 else "Edm.Int64"), False
    if isinstance(value, float):
        return "Edm.Double", False
    if isinstance(value, str):
        if len(value) <= 40 and _DATE_TIME.fullmatch(value):
            return "Edm.DateTimeOffset", False
        if len(value) == 36 and _GUID.fullmatch(value):
            return "Edm.Guid", False
        return "Edm.String", False
    if isinstance(value, dict):
        name, _ = clean_type_name(value.get("@odata.type"))
        return (name if name and not is_primitive(name) else None), False
    return None, False


def _walk(value: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object inside a value, without recursion (bodies may nest deeply)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(reversed(item.values()))
        elif isinstance(item, list):
            stack.extend(reversed(item))


_Occurrence = tuple[str, str, list[PageRecord], dict[str, Any]]  # name, version, copies, object


def _typed_objects(record: PageRecord) -> list[tuple[str, dict[str, Any]]]:
    """The objects of a page's examples that name their type, with that name."""
    found = []
    for example in record.examples:
        for obj in _walk(example.json_value):
            name, _ = clean_type_name(obj.get("@odata.type"))
            if name and not is_primitive(name):
                found.append((name, obj))
    return found


def _occurrences(pages: list[_Page]) -> dict[str, list[_Occurrence]]:
    """Typed example objects keyed by casefolded type name, in a locale-independent order.

    Only the few types no page defines are inferred, so ``_observe`` reads the objects of
    those types alone.
    """
    found: dict[str, list[_Occurrence]] = {}
    for page in sorted(pages, key=lambda p: p.version != PRIMARY_ORDER[0]):
        version = page.version
        if version is None:
            continue
        for name, obj in _typed_objects(page.record):
            found.setdefault(name.casefold(), []).append((name, version, page.copies, obj))
    return found


def _observe(occurrences: list[_Occurrence]) -> _Observed:
    """What the objects of one type say about it, named as the first one spells it."""
    seen = _Observed(occurrences[0][0])
    for _, version, copies, obj in occurrences:
        seen.versions.add(version)
        for copy in copies:
            seen.copies.setdefault(copy.source.path, copy)
        for key, value in obj.items():
            if not isinstance(key, str) or not key or key.startswith("@") or "@" in key:
                continue
            value_type, collection = _value_type(value)
            prop = seen.props.get(key)
            if prop is None:
                seen.props[key] = [key, value_type, collection, {version}]
                seen.order.append(key)
            else:
                prop[1] = _widen(prop[1], value_type)
                if prop[2] != collection:  # an object here, a list there: untyped
                    prop[1] = _MIXED
                prop[3].add(version)
    return seen


def _inferred(seen: _Observed) -> SpecTypeDef:
    return SpecTypeDef(
        name=seen.name,
        kind="complex",
        inferred=True,
        properties=[
            SpecParameter(
                name=seen.props[key][0],
                type=None if seen.props[key][1] == _MIXED else seen.props[key][1],
                collection=seen.props[key][2] and seen.props[key][1] != _MIXED,
                versions=sorted(seen.props[key][3]),
            )
            for key in seen.order
        ],
        versions=sorted(seen.versions),
        sources=_sources(seen.copies.values()),
    )


def _references(pages: list[_Page]) -> dict[str, tuple[str, int]]:
    """Every referenced type name with its first use (path, line), in path and line order."""
    uses: dict[str, tuple[str, int]] = {}

    def use(name: str | None, path: str, line: int | None) -> None:
        if not name or is_primitive(name):
            return
        where = (path, line or 0)
        if name not in uses or where < uses[name]:
            uses[name] = where

    for page in pages:
        if page.version is None:
            continue
        record, path = page.record, page.path
        params: list[Parameter] = []
        if record.operation is not None:
            params += record.operation.parameters
            use(record.operation.response.type, path, None)
        if record.type is not None:
            params += record.type.properties + record.type.relationships
        for param in params:
            use(param.type, path, param.line)
            for alternative in param.alternatives:
                use(alternative, path, param.line)
        for example in record.examples:
            annotation = example.annotation if isinstance(example.annotation, dict) else {}
            use(clean_type_name(annotation.get("@odata.type"))[0], path, example.line)
    return uses


def _infer_types(pages: list[_Page], known: set[str]) -> tuple[list[SpecTypeDef], list[Diagnostic]]:
    """Types referenced but defined nowhere, inferred from example bodies, transitively.

    ``known`` holds casefolded names of defined types and enums.
    """
    occurrences = _occurrences(pages)
    uses = _references(pages)
    inferred: dict[str, SpecTypeDef] = {}
    diagnostics: list[Diagnostic] = []
    unresolved: dict[str, tuple[str, int]] = {}
    queue = sorted(uses)
    while queue:
        name = queue.pop()
        key = name.casefold()
        if key in known or key in inferred or is_primitive(name):
            continue
        if key not in occurrences:
            if name in uses and key not in unresolved:
                unresolved[key] = uses[name]
                path, line = uses[name]
                diagnostics.append(
                    _diag(
                        "unresolved-type",
                        "warning",
                        path,
                        line or None,
                        f"type {name!r} is neither defined by a page, nor an enum, nor shown "
                        "by any example's @odata.type",
                    )
                )
            continue
        typedef = _inferred(_observe(occurrences[key]))
        inferred[key] = typedef
        queue.extend(sorted({p.type for p in typedef.properties if p.type}, reverse=True))
    return sorted(inferred.values(), key=lambda t: t.name), diagnostics


# --- the stage ------------------------------------------------------------------------------


@dataclass
class _PageInfo:
    """What a reconciliation keeps of a page to redo its part without the other records."""

    version: str | None
    kind: str
    key: str
    name: str
    display: str  # the chosen copy's path
    copies: list[str]  # the paths of the copies that say the same (the chosen one included)
    op_id: str | None
    members: int
    fixture_ids: list[str]


@dataclass
class Reconciliation:
    """The spec's parts by what they were made from, so that ``update`` can redo only the
    parts that read a changed page; ``result`` assembles them as ``reconcile`` returns them.

    A change that keeps a page's ``skeleton`` (what the parts read across pages: identities,
    ids, type names, references) changes the parts that page feeds and nothing else.
    """

    pages: list[_PageInfo]
    page_of: dict[str, int]  # the chosen copy's path: its page
    op_members: dict[str, dict[str, int]]  # operation id: version: page
    type_members: dict[str, dict[str, list[int]]]  # type: version: pages defining it
    enum_members: dict[str, dict[str, list[int]]]
    operations: dict[str, SpecOperation]
    op_diagnostics: dict[str, list[Diagnostic]]
    types: dict[str, SpecTypeDef]
    type_diagnostics: dict[str, list[Diagnostic]]
    enums: dict[str, SpecEnumDef]
    inferred: list[SpecTypeDef]
    fixtures: list[list[Fixture]]  # by page
    page_diagnostics: list[Diagnostic]  # grouping, versions and inference: cross-page
    record_diagnostics: dict[str, list[Diagnostic]]

    def result(self) -> BuildResult:
        fixtures = sorted((f for page in self.fixtures for f in page), key=lambda f: f.id)
        diagnostics = [
            *self.page_diagnostics,
            *(d for op_id in sorted(self.op_diagnostics) for d in self.op_diagnostics[op_id]),
            *(d for name in sorted(self.type_diagnostics) for d in self.type_diagnostics[name]),
            *(d for path in sorted(self.record_diagnostics) for d in self.record_diagnostics[path]),
        ]
        unique = {
            (d.path, d.line or 0, d.rule, d.message, d.severity, d.line is None): d
            for d in diagnostics
        }
        types = sorted([*self.types.values(), *self.inferred], key=lambda t: t.name)
        return BuildResult(
            spec=UnifiedSpec(
                operations=[self.operations[op_id] for op_id in sorted(self.operations)],
                types=types,
                enums=[self.enums[name] for name in sorted(self.enums)],
            ),
            fixtures=fixtures,
            diagnostics=[unique[key] for key in sorted(unique)],
        )

    def inferred_keys(self) -> frozenset[str]:
        """Casefolded names of the types inferred from examples (see ``skeleton``)."""
        return frozenset(t.name.casefold() for t in self.inferred)

    def update(
        self,
        changed: Iterable[PageRecord],
        skeletons: Mapping[str, str],
        load: Callable[[str], PageRecord],
    ) -> Reconciliation | None:
        """This reconciliation with changed pages' new records, redoing only the parts
        they feed. ``skeletons`` holds the skeletons of the records it was made from, and
        ``load`` gives the record of an unchanged page, by path. ``None`` when a
        change reaches across pages (a new or removed page, an id, a type name, a
        reference, several copies of a page, an example of an inferred type): then only a
        whole ``reconcile`` gives the right answer."""
        inferred = self.inferred_keys()
        new: dict[int, PageRecord] = {}
        for record in changed:
            path = record.source.path
            index = self.page_of.get(path)
            if index is None or self.pages[index].members != 1:
                return None
            if skeletons.get(path) != skeleton(record, inferred):
                return None
            new[index] = record
        if not new:
            return self
        pages: dict[int, _Page] = {}

        def page(index: int) -> _Page:
            if index not in pages:
                info = self.pages[index]
                if index in new:  # a changed page has one copy
                    record, copies = new[index], [new[index]]
                else:
                    copies = [load(path) for path in info.copies]
                    record = copies[info.copies.index(info.display)]
                pages[index] = _Page(
                    info.version, info.kind, info.key, info.name, record, copies, info.op_id
                )
            return pages[index]

        updated = replace(
            self,
            operations=dict(self.operations),
            op_diagnostics=dict(self.op_diagnostics),
            types=dict(self.types),
            type_diagnostics=dict(self.type_diagnostics),
            enums=dict(self.enums),
            fixtures=list(self.fixtures),
            record_diagnostics=dict(self.record_diagnostics),
        )
        for index, record in new.items():
            info = self.pages[index]
            updated.fixtures[index] = _page_fixtures(page(index), info.fixture_ids)
            updated.record_diagnostics[info.display] = list(record.diagnostics)
            if info.version is None:
                continue
            if info.op_id is not None and self.op_members[info.op_id].get(info.version) == index:
                members = self.op_members[info.op_id]
                found: list[Diagnostic] = []
                operation = _operation(info.op_id, {v: page(i) for v, i in members.items()}, found)
                operation.examples = list(self.operations[info.op_id].examples)
                updated.operations[info.op_id] = operation
                updated.op_diagnostics[info.op_id] = found
            if record.type is not None:
                name = record.type.name
                candidates = {
                    v: [page(i) for i in found] for v, found in self.type_members[name].items()
                }
                updated.types[name], updated.type_diagnostics[name] = _type_block(name, candidates)
            for name in {definition.name for definition in record.enums}:
                updated.enums[name] = _enum(
                    name, _enum_sources(name, self.enum_members[name], page)
                )
        return updated


def _type_block(
    name: str, candidates: dict[str, list[_Page]]
) -> tuple[SpecTypeDef, list[Diagnostic]]:
    """A type from the pages that define it, one per version; the others are reported."""
    diagnostics: list[Diagnostic] = []
    chosen: dict[str, _Page] = {}
    for version, found in candidates.items():
        found = sorted(found, key=lambda p: (p.kind != "resource", p.first_path, p.name))
        chosen[version] = found[0]
        for other in found[1:]:
            diagnostics.append(
                _diag(
                    "duplicate-type",
                    "warning",
                    other.path,
                    None,
                    f"type {name!r} in {version} is also defined by {found[0].path}; "
                    "keeping that definition",
                )
            )
    return _type(name, chosen, diagnostics), diagnostics


def _enum_sources(
    name: str, members: dict[str, list[int]], page: Callable[[int], _Page]
) -> dict[str, _EnumSource]:
    sources: dict[str, _EnumSource] = {}
    for version, indexes in members.items():
        found = sources.setdefault(version, _EnumSource())
        for index in indexes:
            member = page(index)
            for definition in member.record.enums:
                if definition.name == name:
                    found.definitions.append((member.first_path, definition))
            found.copies.extend(member.copies)
    return sources


def skeleton(record: PageRecord, inferred: frozenset[str]) -> str:
    """A hash of what reconcile reads of a record across pages: where the page is, which
    copy and which ids it gets, what it defines and what it names (with lines), and the
    example objects of the ``inferred`` types (casefolded names), but no prose and no other
    values. Two records with one skeleton feed the same parts of the spec."""
    operation, typedef = record.operation, record.type
    typed = _typed_objects(record)
    params: list[Parameter] = []
    if operation is not None:
        params += operation.parameters
    if typedef is not None:
        params += typedef.properties + typedef.relationships
    parts = (
        record.source.path,
        record.source.locale,
        record.version,
        record.kind,
        record.slug,
        _page_key(record),
        operation
        and (
            operation.id,
            operation.method,
            [p.path for p in operation.paths],
            operation.response.type,
        ),
        typedef and typedef.name,
        [definition.name for definition in record.enums],
        [(p.type, p.alternatives, p.line) for p in params],
        [
            (
                example.id,
                example.role,
                example.line,
                example.annotation.get("@odata.type")
                if isinstance(example.annotation, dict)
                else None,
            )
            for example in record.examples
        ],
        sorted({name.casefold() for name, _ in typed}),
        [(name, obj) for name, obj in typed if name.casefold() in inferred],
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@gc_paused()
def reconciliation(records: Iterable[PageRecord]) -> Reconciliation:
    """The spec's parts from page records of any locale (see ``Reconciliation``)."""
    records = list(records)
    pages, page_diagnostics = _pages(records)
    for page in pages:
        if page.version is None and page.kind in {"api", "resource", "enum"}:
            page_diagnostics.append(
                _diag(
                    "page-without-version",
                    "info",
                    page.path,
                    None,
                    "no API version could be determined; the page is left out of the spec",
                )
            )
    fixture_ids = _fixture_ids(pages)
    fixtures = [_page_fixtures(page, ids) for page, ids in zip(pages, fixture_ids, strict=True)]
    index_of = {id(page): index for index, page in enumerate(pages)}
    versioned = [p for p in pages if p.version is not None]

    op_members: dict[str, dict[str, int]] = {}
    for page in versioned:
        if page.op_id is not None:
            op_members.setdefault(page.op_id, {}).setdefault(page.version, index_of[id(page)])  # type: ignore[arg-type]
    examples: dict[str, list[str]] = {}
    for page_fixtures in fixtures:
        for fixture in page_fixtures:
            if fixture.operation is not None and fixture.version is not None:
                examples.setdefault(fixture.operation, []).append(fixture.id)
    operations: dict[str, SpecOperation] = {}
    op_diagnostics: dict[str, list[Diagnostic]] = {}
    for op_id in sorted(op_members):
        found: list[Diagnostic] = []
        members = {v: pages[i] for v, i in op_members[op_id].items()}
        operation = _operation(op_id, members, found)
        operation.examples = sorted(examples.get(op_id, []))
        operations[op_id], op_diagnostics[op_id] = operation, found

    type_members: dict[str, dict[str, list[int]]] = {}
    enum_members: dict[str, dict[str, list[int]]] = {}
    for page in versioned:
        index = index_of[id(page)]
        if page.record.type is not None:
            by_version = type_members.setdefault(page.record.type.name, {})
            by_version.setdefault(page.version, []).append(index)  # type: ignore[arg-type]
        for name in dict.fromkeys(definition.name for definition in page.record.enums):
            enum_members.setdefault(name, {}).setdefault(page.version, []).append(index)  # type: ignore[arg-type]
    types: dict[str, SpecTypeDef] = {}
    type_diagnostics: dict[str, list[Diagnostic]] = {}
    for name in sorted(type_members):
        candidates = {v: [pages[i] for i in found] for v, found in type_members[name].items()}
        types[name], type_diagnostics[name] = _type_block(name, candidates)
    enums = {
        name: _enum(name, _enum_sources(name, enum_members[name], pages.__getitem__))
        for name in sorted(enum_members)
    }

    known = {name.casefold() for name in types} | {name.casefold() for name in enums}
    inferred, found = _infer_types(versioned, known)
    page_diagnostics.extend(found)
    infos = [
        _PageInfo(
            page.version,
            page.kind,
            page.key,
            page.name,
            page.path,
            [copy.source.path for copy in page.copies],
            page.op_id,
            page.members,
            ids,
        )
        for page, ids in zip(pages, fixture_ids, strict=True)
    ]
    page_of = {page.path: index for index, page in enumerate(pages)}
    record_diagnostics: dict[str, list[Diagnostic]] = {}
    for record in records:
        record_diagnostics.setdefault(record.source.path, []).extend(record.diagnostics)
    return Reconciliation(
        pages=infos,
        page_of=page_of,
        op_members=op_members,
        type_members=type_members,
        enum_members=enum_members,
        operations=operations,
        op_diagnostics=op_diagnostics,
        types=types,
        type_diagnostics=type_diagnostics,
        enums=enums,
        inferred=inferred,
        fixtures=fixtures,
        page_diagnostics=page_diagnostics,
        record_diagnostics=record_diagnostics,
    )


def reconcile(records: Iterable[PageRecord]) -> BuildResult:
    """The unified spec, the fixtures and every diagnostic, from page records of any locale."""
    return reconciliation(records).result()
