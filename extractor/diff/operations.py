"""The comparison of operations: paths, parameters, query parameters, headers, response
and permissions."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from extractor.diff.changes import ChangeCollector, comma_list, type_text
from extractor.diff.fields import _diff_fields, _same_type
from extractor.diff.matching import casefold, match_items, path_key
from extractor.schema import Header, Permissions, SpecOperation, SpecRequestPath, SpecResponse


def _diff_paths(
    out: ChangeCollector,
    base: list[str],
    old: Sequence[SpecRequestPath],
    new: Sequence[SpecRequestPath],
) -> None:
    pairs, removed, added = match_items(old, new, lambda p: p.path, path_key)
    for p in added:
        loc = [*base, "paths", p.path]
        if p.deprecated:
            out.add("path-added", "non-breaking", loc, f"path '{p.path}' added (deprecated)")
            out.add("path-deprecated", "deprecation", loc, f"path '{p.path}' is deprecated")
        else:
            out.add("path-added", "non-breaking", loc, f"path '{p.path}' added")
    for p in removed:
        loc = [*base, "paths", p.path]
        if p.deprecated:
            out.add("path-removed", "info", loc, f"path '{p.path}' removed (was deprecated)")
        else:
            out.add("path-removed", "breaking", loc, f"path '{p.path}' removed")
    for o, n in pairs:
        loc = [*base, "paths", n.path]
        if o.path != n.path:
            out.add("path-changed", "info", loc, f"path '{o.path}' now written '{n.path}'")
        if n.deprecated and not o.deprecated:
            out.add("path-deprecated", "deprecation", loc, f"path '{n.path}' is deprecated")
        elif o.deprecated and not n.deprecated:
            out.add("path-undeprecated", "info", loc, f"path '{n.path}' is no longer deprecated")
        out.versions(loc, f"path '{n.path}'", o.versions, n.versions)


def _header_key(header: Header) -> str:
    return header.name


def _diff_headers(
    out: ChangeCollector, base: list[str], old: Sequence[Header], new: Sequence[Header]
) -> None:
    """Request headers (names compare without case, as HTTP's do)."""
    pairs, removed, added = match_items(old, new, _header_key, casefold)
    for h in added:
        loc = [*base, "headers", h.name]
        if h.required:
            out.add("header-added", "breaking", loc, f"header '{h.name}' added (required)")
        else:
            out.add("header-added", "non-breaking", loc, f"header '{h.name}' added")
    for h in removed:
        out.add("header-removed", "info", [*base, "headers", h.name], f"header '{h.name}' removed")
    for o, n in pairs:
        loc = [*base, "headers", n.name]
        if n.required is True and o.required is False:
            out.add("header-became-required", "breaking", loc, f"header '{n.name}' became required")
        elif o.required is True and n.required is False:
            out.add(
                "header-became-optional", "non-breaking", loc, f"header '{n.name}' became optional"
            )


_PERMISSION_FIELDS: tuple[tuple[str, str], ...] = (
    ("delegated_work", "delegatedWork"),
    ("delegated_personal", "delegatedPersonal"),
    ("application", "application"),
)


_FIELD_OF = {wire: field for field, wire in _PERMISSION_FIELDS}


def _split(permissions: Permissions) -> bool:
    """Whether the permissions come from a table with a higher privileged column in use."""
    return any(getattr(permissions, f"{field}_higher") for field, _ in _PERMISSION_FIELDS)


def _permission_changes(
    old: Permissions | None, new: Permissions | None
) -> Iterator[tuple[str, str, str]]:
    """(``added``, ``removed`` or ``moved``, wire name of the kind, scope) for each scope that
    differs; a scope moving between the least and higher privileged columns is ``moved``.
    Unknown permissions (an include not found) are not compared."""
    if old is None or new is None:
        return
    # A 2021 table keeps all scopes in one column: a move is told only between two split tables.
    split = _split(old) and _split(new)
    for field, wire in _PERMISSION_FIELDS:
        old_set = set(old.granted(field))
        new_set = set(new.granted(field))
        for name in sorted(new_set - old_set):
            yield "added", wire, name
        for name in sorted(old_set - new_set):
            yield "removed", wire, name
        old_higher = set(getattr(old, f"{field}_higher"))
        new_higher = set(getattr(new, f"{field}_higher"))
        for name in sorted((old_set & new_set) & (old_higher ^ new_higher) if split else ()):
            if name not in getattr(old, field) or name not in getattr(new, field):
                yield "moved", wire, name


def _diff_permissions(
    out: ChangeCollector, base: list[str], old: SpecOperation, new: SpecOperation
) -> None:
    """Scopes added or removed, compared version by version where both specs document
    several versions of the operation (a scope beta alone gained is named as beta's)."""
    shared = sorted(set(old.versions) & set(new.versions))
    if len(shared) < 2:  # one version each: a version diff, or a one-version corpus
        pairs = {"": (old.permissions, new.permissions)}
    else:
        pairs = {v: (old.permissions_in(v), new.permissions_in(v)) for v in shared}
    found: dict[tuple[str, str, str], list[str]] = {}
    for version, (before, after) in pairs.items():
        for change in _permission_changes(before, after):
            found.setdefault(change, []).append(version)
    for (how, wire, name), versions in found.items():
        where = "" if len(versions) == len(pairs) else f" in {comma_list(versions)}"
        said = how
        if how == "moved":
            after = pairs[versions[0]][1]
            higher = after is not None and name in getattr(after, f"{_FIELD_OF[wire]}_higher")
            said = "moved to higher privileged" if higher else "moved to least privileged"
        out.add(
            f"permission-{how}",  # permission-added, permission-removed, permission-moved
            "info",
            [*base, "permissions", wire, name],
            f"permission '{name}' ({wire}) {said}{where}",
        )


def _diff_response(
    out: ChangeCollector, base: list[str], old: SpecResponse, new: SpecResponse
) -> None:
    if old.status is not None and new.status is not None and old.status != new.status:
        out.add(
            "response-status-changed",
            "breaking",
            [*base, "response", "status"],
            f"response status changed from {old.status} to {new.status}",
        )
    if (
        old.type is not None
        and new.type is not None
        and (not _same_type(old.type, new.type) or old.collection != new.collection)
    ):
        out.add(
            "response-type-changed",
            "breaking",
            [*base, "response", "type"],
            f"response type changed from {type_text(old.type, old.collection)}"
            f" to {type_text(new.type, new.collection)}",
        )


def _diff_operations(
    out: ChangeCollector, old: Sequence[SpecOperation], new: Sequence[SpecOperation]
) -> None:
    pairs, removed, added = match_items(old, new, lambda op: op.id, casefold)
    for op in added:
        loc = ["operations", op.id]
        method = f" ({op.method})" if op.method else ""
        dep = " (deprecated)" if op.deprecated else ""
        out.add("operation-added", "non-breaking", loc, f"operation '{op.id}'{method} added{dep}")
        if op.deprecated:
            out.add(
                "operation-deprecated", "deprecation", loc, f"operation '{op.id}' is deprecated"
            )
    for op in removed:
        loc = ["operations", op.id]
        if op.deprecated:
            out.add(
                "operation-removed", "info", loc, f"operation '{op.id}' removed (was deprecated)"
            )
        else:
            out.add("operation-removed", "breaking", loc, f"operation '{op.id}' removed")
    for o, n in pairs:
        if o is n:  # one object in both specs (an updated reconciliation's unchanged part)
            continue
        loc = ["operations", n.id]
        if o.id != n.id:
            out.add("operation-renamed-case", "info", loc, f"operation '{o.id}' now named '{n.id}'")
        if n.deprecated and not o.deprecated:
            out.add("operation-deprecated", "deprecation", loc, f"operation '{n.id}' is deprecated")
        elif o.deprecated and not n.deprecated:
            out.add(
                "operation-undeprecated", "info", loc, f"operation '{n.id}' is no longer deprecated"
            )
        if o.method and n.method and o.method.upper() != n.method.upper():
            out.add(
                "method-changed",
                "breaking",
                [*loc, "method"],
                f"method changed from {o.method.upper()} to {n.method.upper()}",
            )
        out.versions(loc, f"operation '{n.id}'", o.versions, n.versions)
        _diff_paths(out, loc, o.paths, n.paths)
        out.direction, out.in_operation = "request", True
        _diff_fields(out, loc, "parameters", "parameter", o.parameters, n.parameters)
        _diff_fields(
            out, loc, "queryParameters", "query-parameter", o.query_parameters, n.query_parameters
        )
        _diff_headers(out, loc, o.headers, n.headers)
        out.direction, out.in_operation = "none", False
        _diff_response(out, loc, o.response, n.response)
        _diff_permissions(out, loc, o, n)
        out.description(loc, f"operation '{n.id}'", o.description, n.description)
