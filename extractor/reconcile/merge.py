"""One spec item per operation and enum from its v1.0 and beta pages, and the parameter merge
types share (``types``): v1.0 leads, beta adds what only it has, every part lists the
versions that document it, and a parameter's facts are each version's own (``overrides``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from extractor.reconcile.names import page_response
from extractor.reconcile.pages import _Page
from extractor.reconcile.text import _diag, _sources, _text, normalize_text
from extractor.reconcile.typenames import TypeNames, binding_of, resolved
from extractor.schema import (
    Diagnostic,
    EnumDef,
    Operation,
    PageRecord,
    Parameter,
    ParameterFacts,
    Permissions,
    ResponseInfo,
    SpecEnumDef,
    SpecEnumMember,
    SpecLine,
    SpecOperation,
    SpecParameter,
    SpecPermissions,
    SpecRequestPath,
    SpecResponse,
)

#: Versions in order of authority: scalar fields come from the first one that has them.
PRIMARY_ORDER: tuple[str, ...] = ("v1.0", "beta")


def _by_version(items: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(version, items[version]) for version in PRIMARY_ORDER if version in items]


#: Where one version's parameter was read: the page's path and the parameter.
Sourced = tuple[str, Parameter]


def _merge_parameters(
    per_version: dict[str, list[Sourced]],
    owner: str,
    what: str,
    rule: str,
    diagnostics: list[Diagnostic],
    *,
    origins: bool = False,
) -> list[SpecParameter]:
    """Merge by name, ignoring case, in v1.0's document order with beta-only ones appended.

    The name is v1.0's spelling unless only beta has it, and so is the description unless
    v1.0's is empty. Type, collection, alternatives and flags are each version's own: the
    top-level fields are the primary version's (v1.0 where it has the parameter) and
    ``overrides`` holds another version's where they differ; a flag or type one version
    leaves unstated (``nullable`` None, an empty type cell) is the other's. Types differing
    only in case are one type (references are spelled canonically later), not reported.
    With ``origins``, each version's page and line are kept (a type's members, which come
    from several pages).
    """
    order: list[str] = []
    entries: dict[str, dict[str, Sourced]] = {}
    for version, params in _by_version(per_version):
        for sourced in params:
            key = sourced[1].name.casefold()
            if key not in entries:
                entries[key] = {}
                order.append(key)
            entries[key].setdefault(version, sourced)
    merged: list[SpecParameter] = []
    for key in order:
        found = entries[key]
        versions = [version for version, _ in _by_version(found)]
        primary = found[versions[0]][1]
        if "v1.0" in found and "beta" in found:
            v1, beta = found["v1.0"][1], found["beta"][1]
            if _type_key(v1) != _type_key(beta):
                diagnostics.append(
                    _diag(
                        rule,
                        "info",
                        found["beta"][0],
                        beta.line,
                        f"{owner}: {what} {primary.name!r} is {_type_text(v1)} in v1.0 "
                        f"({found['v1.0'][0]}) but {_type_text(beta)} in beta; each version "
                        "keeps its own",
                    )
                )
        facts = _version_facts({v: found[v][1] for v in versions})
        top = facts[versions[0]]
        overrides: dict[tuple[Any, ...], ParameterFacts] = {}
        for version in versions[1:]:
            if _facts_key(facts[version]) != _facts_key(top):
                same = overrides.setdefault(_facts_key(facts[version]), facts[version])
                if same is not facts[version]:
                    same.versions.append(version)
        merged.append(
            SpecParameter(
                name=primary.name,
                **top.model_dump(exclude={"versions"}),
                description=_text(found[v][1].description for v in versions),
                line=None,
                versions=sorted(found),
                overrides=sorted(overrides.values(), key=lambda o: o.versions),
                origins=[
                    SpecLine(path=found[v][0], version=v, line=found[v][1].line)
                    for v in sorted(found)
                ]
                if origins
                else [],
            )
        )
    return merged


_OPTIONAL_FACTS = ("required", "read_only", "nullable")


def _version_facts(params: dict[str, Parameter]) -> dict[str, ParameterFacts]:
    """Each version's facts (in primary order); a flag or type a version leaves unstated is
    the first other version's that states it."""
    facts: dict[str, ParameterFacts] = {}
    for version, param in params.items():
        fact = ParameterFacts(
            versions=[version],
            type=param.type,
            collection=param.collection,
            alternatives=list(param.alternatives),
            deprecated=param.deprecated,
            required=param.required,
            read_only=param.read_only,
            nullable=param.nullable,
        )
        for name in _OPTIONAL_FACTS:
            if getattr(fact, name) is None:
                stated = (getattr(p, name) for p in params.values())
                setattr(fact, name, next((value for value in stated if value is not None), None))
        typed = next((p for p in params.values() if p.type is not None), None)
        if fact.type is None and not fact.alternatives and typed is not None:
            fact.type, fact.collection = typed.type, typed.collection  # an empty type cell
            fact.alternatives = list(typed.alternatives)
        facts[version] = fact
    return facts


def _facts_key(facts: ParameterFacts) -> tuple[Any, ...]:
    """What makes two versions' facts the same: type names compared ignoring case."""
    return (
        (facts.type or "").casefold(),
        facts.collection,
        tuple(a.casefold() for a in facts.alternatives),
        facts.deprecated,
        facts.required,
        facts.read_only,
        facts.nullable,
    )


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
            key = (
                "".join(request_path.path.split()) + "?" + repr(sorted(request_path.query.items()))
            )
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
                query=dict(primary.query),
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


def _permission_key(permissions: Permissions | None) -> tuple[tuple[str, ...], ...]:
    dumped = permissions.model_dump() if permissions is not None else {}
    return tuple(tuple(dumped[name]) for name in sorted(dumped))


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


def _all_deprecated(paths: list[SpecRequestPath]) -> bool:
    """Deprecated when every path of its own is (a path fixing a query is another's)."""
    own = [p for p in paths if not p.query] or paths
    return bool(own) and all(p.deprecated for p in own)


def _together(operations: list[Operation]) -> Operation:
    """Several pages' operations as one: the first's, with every page's paths and parameters
    (matched by name, ignoring case, the first page's kept)."""
    first = operations[0]
    if len(operations) == 1:
        return first

    def union(attr: str, key: Callable[[Any], Any]) -> list[Any]:
        seen: dict[Any, Any] = {}
        for operation in operations:
            for item in getattr(operation, attr):
                seen.setdefault(key(item), item)
        return list(seen.values())

    return first.model_copy(
        update={
            "paths": union("paths", lambda p: ("".join(p.path.split()), tuple(p.query.items()))),
            "parameters": union("parameters", lambda p: p.name.casefold()),
            "query_parameters": union("query_parameters", lambda p: p.name.casefold()),
        }
    )


def _operation(
    op_id: str,
    members: dict[str, list[_Page]],
    diagnostics: list[Diagnostic],
    names: TypeNames | None = None,
    defined: Callable[[str], bool] | None = None,
) -> SpecOperation:
    """One operation from the pages of each version that document it (the first speaks);
    with ``defined`` (whether a page defines a type of that name), a response type the prose
    names and nothing defines yields to the annotation's."""
    pages = {version: found[0] for version, found in members.items()}
    ops: dict[str, Operation] = {}
    for version, found in members.items():
        operations: list[Operation] = []
        for page in found:
            operation = page.record.operation
            assert operation is not None  # only a page with an operation has an op_id
            response = page_response(page.record, defined) if defined is not None else None
            if response is not None and response is not operation.response:
                operation = operation.model_copy(update={"response": response})
            operations.append(operation)
        ops[version] = resolved(_together(operations), version, names or {})
    primary = ops.get("v1.0") or ops["beta"]
    paths = _merge_paths(ops)
    parameters = _merge_parameters(
        {v: [(pages[v].path, p) for p in op.parameters] for v, op in ops.items()},
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
        {v: op for v, op in ops.items() if op.permissions is not None},
        lambda op: _permission_key(op.permissions),
        lambda op: SpecPermissions.model_validate(
            op.permissions.model_dump() if op.permissions else {}
        ),
    )
    query_parameters = _merge_parameters(
        {v: [(pages[v].path, p) for p in op.query_parameters] for v, op in ops.items()},
        op_id,
        "query parameter",
        "parameter-type-differs",
        diagnostics,
    )
    headers = _merge_named({v: op.headers for v, op in ops.items()}, lambda h: h.name)
    return SpecOperation(
        id=op_id,
        kind=primary.kind,
        binding_type=binding_of(ops, names or {}),
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
        permissions=_fresh(primary.permissions) if primary.permissions is not None else None,
        permission_sets=sorted(permission_sets.values(), key=lambda s: s.versions),
        versions=sorted(ops),
        deprecated=_all_deprecated(paths),
        sources=_sources(c for found in members.values() for p in found for c in p.copies),
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


def _enum_sources(
    name: str, members: dict[str, list[int]], page: Callable[[int], _Page]
) -> dict[str, _EnumSource]:
    sources: dict[str, _EnumSource] = {}
    for version, indexes in members.items():
        found = sources.setdefault(version, _EnumSource())
        for index in indexes:
            member = page(index)
            for definition in member.record.enums:
                if definition.name.casefold() == name.casefold():
                    found.definitions.append((member.first_path, definition))
            found.copies.extend(member.copies)
    return sources
