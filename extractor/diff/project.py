"""One version's view of a unified spec: the items, paths, parameters and members in it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TypeVar

from extractor.diff.changes import ChangeCollector, comma_list
from extractor.schema import (
    Permissions,
    SpecOperation,
    SpecParameter,
    SpecResponse,
    SpecTypeDef,
    UnifiedSpec,
)


def _in(versions: Sequence[str], version: str) -> bool:
    """Whether an item exists in ``version``; an item with no versions is in every version."""
    return not versions or version in versions


class _Versioned(Protocol):
    versions: list[str]


V = TypeVar("V", bound=_Versioned)


def _only(items: Iterable[V], version: str) -> list[V]:
    """The items in ``version``, shared with the input (they are never mutated)."""
    return [item for item in items if not item.versions or version in item.versions]  # _in, inlined


def _project_permissions(op: SpecOperation, version: str) -> Permissions | None:
    granted = op.permissions_in(version)
    if granted is None:  # unknown: the page's include was not found
        return None
    return Permissions.model_validate(granted.model_dump(exclude={"versions"}))


def _project_response(op: SpecOperation, version: str) -> SpecResponse:
    """The response documented for ``version``, else the operation's single response."""
    for response in op.responses:
        if version in response.versions:
            return response
    return op.response


def _params(params: Iterable[SpecParameter], version: str) -> list[SpecParameter]:
    """The parameters in ``version``, as it documents them (its ``overrides``)."""
    return [p.in_version(version) for p in _only(params, version)]


def project_version(spec: UnifiedSpec, version: str) -> UnifiedSpec:
    """The spec as seen in one version: only the items, paths, parameters and members in it,
    each with the version's own facts (``in_version``).

    Operations, types and enums get ``versions == [version]``; nested items keep their full
    ``versions`` (copying ~250,000 of them costs seconds on the full corpus and says nothing).
    """
    operations = [
        op.model_copy(
            update={
                "versions": [version],
                "paths": _only(op.paths, version),
                "parameters": _params(op.parameters, version),
                "query_parameters": _params(op.query_parameters, version),
                "response": _project_response(op, version),
                "responses": _only(op.responses, version),
                "permissions": _project_permissions(op, version),
                "permission_sets": _only(op.permission_sets, version),
                "sources": [s for s in op.sources if s.version in (None, version)],
            }
        )
        for op in spec.operations
        if _in(op.versions, version)
    ]
    types = [
        t.in_version(version).model_copy(
            update={
                "versions": [version],
                "properties": _params(t.properties, version),
                "relationships": _params(t.relationships, version),
                "sources": [s for s in t.sources if s.version in (None, version)],
            }
        )
        for t in spec.types
        if _in(t.versions, version)
    ]
    enums = [
        e.model_copy(
            update={
                "versions": [version],
                "members": _only(e.members, version),
                "sources": [s for s in e.sources if s.version in (None, version)],
            }
        )
        for e in spec.enums
        if _in(e.versions, version)
    ]
    return UnifiedSpec(operations=operations, types=types, enums=enums)


Facts = TypeVar("Facts", SpecParameter, SpecTypeDef)


def per_version(
    out: ChangeCollector,
    location: list[str],
    old: Facts,
    new: Facts,
    compare: Callable[[ChangeCollector, Facts, Facts], None],
) -> None:
    """``compare`` the facts of ``old`` and ``new`` in each version both document, as that
    version documents them (``in_version``); a change found in only some of those versions
    says which. Without per-version facts (no ``overrides``), one comparison."""
    common = sorted(set(old.versions) & set(new.versions))
    if not (old.overrides or new.overrides) or not common:
        compare(out, old, new)
        return
    found: dict[tuple[str, str, str], list[str]] = {}
    for version in common:
        probe = out.probe()
        compare(probe, old.in_version(version), new.in_version(version))
        for change in probe.changes:
            found.setdefault((change.rule, change.severity, change.message), []).append(version)
    for (rule, severity, message), versions in found.items():
        where = "" if versions == common else f" (in {comma_list(versions)})"
        out.add(rule, severity, location, message + where)  # type: ignore[arg-type]
