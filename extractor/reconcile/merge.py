"""One spec item per operation, type and enum from its v1.0 and beta pages: v1.0 leads, beta
adds what only it has, and every part lists the versions that document it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from extractor.reconcile.pages import _Page
from extractor.reconcile.text import _diag, _sources, _text, normalize_text
from extractor.schema import (
    Diagnostic,
    EnumDef,
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
    SpecTypeDef,
    TypeDef,
)

#: Versions in order of authority: scalar fields come from the first one that has them.
PRIMARY_ORDER: tuple[str, ...] = ("v1.0", "beta")


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


def _response_key(response: ResponseInfo) -> tuple[int, str, bool, tuple[int, ...]]:
    statuses = tuple(response.statuses)
    return (response.status or 0, response.type or "", response.collection, statuses)


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
    ops: dict[str, Operation] = {}
    for version, page in pages.items():
        assert page.record.operation is not None  # only a page with an operation has an op_id
        ops[version] = page.record.operation
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
            status=op.response.status,
            type=op.response.type,
            collection=op.response.collection,
            statuses=list(op.response.statuses),
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
    query_parameters = _merge_parameters(
        {v: (pages[v].path, op.query_parameters) for v, op in ops.items()},
        op_id,
        "query parameter",
        "parameter-type-differs",
        diagnostics,
    )
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
        query_parameters=query_parameters,
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
    defs: dict[str, TypeDef] = {}
    for version, page in pages.items():
        assert page.record.type is not None  # the pages that define the type
        defs[version] = page.record.type
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


def _documented(page: _Page) -> int:
    """How many members a page documents for its type: the fullest page of a type defines it
    (``user.md``, not the part of ``user`` that ``intune-shared-user.md`` shows)."""
    typedef = page.record.type
    return len(typedef.properties) + len(typedef.relationships) if typedef is not None else 0


def _type_block(
    name: str, candidates: dict[str, list[_Page]]
) -> tuple[SpecTypeDef, list[Diagnostic]]:
    """A type from the pages that define it, one per version, the one documenting the most
    members first; the others are reported."""
    diagnostics: list[Diagnostic] = []
    chosen: dict[str, _Page] = {}
    for version, found in candidates.items():
        found = sorted(
            found, key=lambda p: (p.kind != "resource", -_documented(p), p.first_path, p.name)
        )
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
