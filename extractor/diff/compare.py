"""The comparison rules: operations (paths, parameters, response, permissions), types
(properties, relationships) and enums (members), and the diff entry points."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Literal

from extractor.diff.changes import (
    ChangeCollector,
    ChangeSeverity,
    comma_list,
    sort_changes,
    type_text,
)
from extractor.diff.matching import casefold, match_items, path_key
from extractor.diff.project import per_version, project_version
from extractor.gcpause import gc_paused
from extractor.schema import (
    DiffReport,
    Permissions,
    SpecEnumDef,
    SpecEnumMember,
    SpecOperation,
    SpecParameter,
    SpecRequestPath,
    SpecResponse,
    SpecTypeDef,
    UnifiedSpec,
)

_STRING = "Edm.String"


def _spec_versions(spec: UnifiedSpec) -> set[str]:
    """The versions a spec covers; a nested item is never in a version its parent is not."""
    found: set[str] = set()
    items: list[SpecOperation | SpecTypeDef | SpecEnumDef] = [
        *spec.operations,
        *spec.types,
        *spec.enums,
    ]
    for item in items:
        found.update(item.versions)
    return found


# --- parameters, properties, relationships ---------------------------------------------


def _diff_fields(
    out: ChangeCollector,
    base: list[str],
    section: str,
    kind: str,
    old: Sequence[SpecParameter],
    new: Sequence[SpecParameter],
) -> None:
    """Compare the parameters (or properties, or relationships) of one matched item."""
    pairs, removed, added = match_items(old, new, lambda p: p.name, casefold)
    for p in added:
        loc = [*base, section, p.name]
        notes = []
        if p.required:
            notes.append("required")
        if p.deprecated:
            notes.append("deprecated")
        suffix = f" ({', '.join(notes)})" if notes else ""
        severity: ChangeSeverity = "breaking" if p.required else "non-breaking"
        what = f"{kind} '{p.name}' ({type_text(p.type, p.collection)})"
        out.add(f"{kind}-added", severity, loc, f"{what} added{suffix}")
        if p.deprecated:
            out.add(f"{kind}-deprecated", "deprecation", loc, f"{kind} '{p.name}' is deprecated")
    for p in removed:
        loc = [*base, section, p.name]
        if p.deprecated:
            out.add(f"{kind}-removed", "info", loc, f"{kind} '{p.name}' removed (was deprecated)")
        else:
            out.add(f"{kind}-removed", "breaking", loc, f"{kind} '{p.name}' removed")
    for o, n in pairs:
        loc = [*base, section, n.name]
        if o.name != n.name:
            out.add(
                f"{kind}-renamed-case",
                "breaking",
                loc,
                f"{kind} '{o.name}' renamed to '{n.name}' (case only)",
            )
        _diff_field(out, loc, kind, o, n)


def _same_type(old: str, new: str) -> bool:
    """Type references differing only in case name one type: the docs spell references
    inconsistently (``WorkbookChart`` / ``workbookChart``) while the wire is the same."""
    return old.casefold() == new.casefold()


def _diff_field(
    out: ChangeCollector, loc: list[str], kind: str, o: SpecParameter, n: SpecParameter
) -> None:
    name = f"{kind} '{n.name}'"
    per_version(out, loc, o, n, lambda to, a, b: _diff_facts(to, loc, kind, name, a, b))
    out.versions(loc, name, o.versions, n.versions)
    out.description(loc, name, o.description, n.description)


def _diff_facts(
    out: ChangeCollector, loc: list[str], kind: str, name: str, o: SpecParameter, n: SpecParameter
) -> None:
    """Type, collection, required and deprecated: what one version says of a parameter."""
    if o.type is not None and n.type is not None:
        if not _same_type(o.type, n.type):
            _type_changed(out, loc, f"{kind}-type-changed", name, o, n)
        elif o.collection != n.collection:
            out.add(
                f"{kind}-collection-changed",
                "breaking",
                loc,
                f"{name} changed from {type_text(o.type, o.collection)}"
                f" to {type_text(n.type, n.collection)}",
            )
    if n.required is True and o.required is not True:
        out.add(f"{kind}-became-required", "breaking", loc, f"{name} became required")
    elif o.required is True and n.required is False:
        out.add(f"{kind}-became-optional", "non-breaking", loc, f"{name} became optional")
    if n.deprecated and not o.deprecated:
        out.add(f"{kind}-deprecated", "deprecation", loc, f"{name} is deprecated")
    elif o.deprecated and not n.deprecated:
        out.add(f"{kind}-undeprecated", "info", loc, f"{name} is no longer deprecated")


def _type_changed(
    out: ChangeCollector, loc: list[str], rule: str, name: str, o: SpecParameter, n: SpecParameter
) -> None:
    """A type change; a string documented as an enum (or back) is the same JSON: info."""
    message = (
        f"{name} type changed from {type_text(o.type, o.collection)}"
        f" to {type_text(n.type, n.collection)}"
    )
    same_wire = o.collection == n.collection and (
        (o.type == _STRING and n.type in out.enums) or (n.type == _STRING and o.type in out.enums)
    )
    if same_wire:
        out.add(rule, "info", loc, f"{message} (same JSON: enums are strings on the wire)")
    else:
        out.add(rule, "breaking", loc, message)


# --- operations ------------------------------------------------------------------------


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
        _diff_fields(out, loc, "parameters", "parameter", o.parameters, n.parameters)
        _diff_response(out, loc, o.response, n.response)
        _diff_permissions(out, loc, o, n)
        out.description(loc, f"operation '{n.id}'", o.description, n.description)


# --- types and enums -------------------------------------------------------------------


def _diff_types(
    out: ChangeCollector, old: Sequence[SpecTypeDef], new: Sequence[SpecTypeDef]
) -> None:
    """Types; what differs in a type inferred from examples says which examples exist, not
    what the API has, so those changes are info."""
    pairs, removed, added = match_items(old, new, lambda t: t.name, casefold)
    for t in added:
        out.inferred = t.inferred
        out.add("type-added", "non-breaking", ["types", t.name], f"type '{t.name}' added")
    for t in removed:
        out.inferred = t.inferred
        out.add("type-removed", "breaking", ["types", t.name], f"type '{t.name}' removed")
    for o, n in pairs:
        out.inferred = o.inferred or n.inferred
        loc = ["types", n.name]
        if o.name != n.name:
            out.add("type-renamed-case", "breaking", loc, f"type '{o.name}' renamed to '{n.name}'")
        per_version(out, loc, o, n, _diff_base)
        if o.kind != n.kind:
            out.add(
                "type-kind-changed", "info", loc, f"'{n.name}' changed from {o.kind} to {n.kind}"
            )
        out.versions(loc, f"type '{n.name}'", o.versions, n.versions)
        _diff_fields(out, loc, "properties", "property", o.properties, n.properties)
        _diff_fields(out, loc, "relationships", "relationship", o.relationships, n.relationships)
        out.description(loc, f"type '{n.name}'", o.description, n.description)
    out.inferred = False


def _diff_base(out: ChangeCollector, o: SpecTypeDef, n: SpecTypeDef) -> None:
    if o.base_type != n.base_type:
        out.add(
            "type-base-changed",
            "breaking",
            ["types", n.name],
            f"base type of '{n.name}' changed from {o.base_type or 'none'}"
            f" to {n.base_type or 'none'}",
        )


def _diff_members(
    out: ChangeCollector,
    base: list[str],
    old: Sequence[SpecEnumMember],
    new: Sequence[SpecEnumMember],
) -> None:
    pairs, removed, added = match_items(old, new, lambda m: m.name, casefold)
    for m in added:
        out.add(
            "enum-member-added",
            "non-breaking",
            [*base, "members", m.name],
            f"member '{m.name}' added",
        )
    for m in removed:
        out.add(
            "enum-member-removed",
            "breaking",
            [*base, "members", m.name],
            f"member '{m.name}' removed",
        )
    for o, n in pairs:
        loc = [*base, "members", n.name]
        if o.name != n.name:
            out.add(
                "enum-member-renamed-case",
                "breaking",
                loc,
                f"member '{o.name}' renamed to '{n.name}' (case only)",
            )
        if o.value is not None and n.value is not None and str(o.value) != str(n.value):
            out.add(
                "enum-member-value-changed",
                "breaking",
                loc,
                f"value of member '{n.name}' changed from {o.value} to {n.value}",
            )
        out.versions(loc, f"member '{n.name}'", o.versions, n.versions)
        out.description(loc, f"member '{n.name}'", o.description, n.description)


def _diff_enums(
    out: ChangeCollector, old: Sequence[SpecEnumDef], new: Sequence[SpecEnumDef]
) -> None:
    pairs, removed, added = match_items(old, new, lambda e: e.name, casefold)
    for e in added:
        out.add("enum-added", "non-breaking", ["enums", e.name], f"enum '{e.name}' added")
    for e in removed:
        out.add("enum-removed", "breaking", ["enums", e.name], f"enum '{e.name}' removed")
    for o, n in pairs:
        loc = ["enums", n.name]
        if o.name != n.name:
            out.add("enum-renamed-case", "breaking", loc, f"enum '{o.name}' renamed to '{n.name}'")
        out.versions(loc, f"enum '{n.name}'", o.versions, n.versions)
        _diff_members(out, loc, o.members, n.members)
        out.description(loc, f"enum '{n.name}'", o.description, n.description)


# --- public diff API -------------------------------------------------------------------


@gc_paused()
def diff_specs(
    old: UnifiedSpec, new: UnifiedSpec, *, include_descriptions: bool = False
) -> DiffReport:
    """Every change from ``old`` to ``new``, sorted by (location, rule)."""
    enums = {e.name for e in old.enums} | {e.name for e in new.enums}
    out = ChangeCollector(include_descriptions, _spec_versions(old) & _spec_versions(new), enums)
    _diff_operations(out, old.operations, new.operations)
    _diff_types(out, old.types, new.types)
    _diff_enums(out, old.enums, new.enums)
    return DiffReport(changes=sort_changes(out.changes))


def diff_versions(
    spec: UnifiedSpec,
    old: str = "v1.0",
    new: str = "beta",
    *,
    include_descriptions: bool = False,
) -> DiffReport:
    """What ``new`` adds, removes and changes against ``old`` within one unified spec."""
    return diff_specs(
        project_version(spec, old),
        project_version(spec, new),
        include_descriptions=include_descriptions,
    )


def has_failures(report: DiffReport, fail_on: Literal["breaking", "any"]) -> bool:
    """Whether ``--fail-on`` should exit 1: any breaking change, or any change at all."""
    if fail_on == "breaking":
        return any(c.severity == "breaking" for c in report.changes)
    return bool(report.changes)
