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
from extractor.diff.direction import Reach, combine
from extractor.diff.matching import casefold, match_items, path_key
from extractor.diff.project import project_version
from extractor.gcpause import gc_paused
from extractor.schema import (
    DiffReport,
    Header,
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
    owner: tuple[str, str] | None = None,
) -> None:
    """Compare the parameters (or properties, or relationships) of one matched item;
    ``owner`` (the type's old and new name) lets a member that moved to or from a base
    type be told from one added or removed."""
    pairs, removed, added = match_items(old, new, lambda p: p.name, casefold)
    for p in added:
        loc = [*base, section, p.name]
        came_from = out.reach[0].inherited(owner[0], p.name) if owner else None
        if came_from is not None:
            out.add(
                "property-moved-from-base"
                if kind == "property"
                else "relationship-moved-from-base",
                "info",
                loc,
                f"{kind} '{p.name}' now declared here, no longer inherited from {came_from}",
            )
            continue
        notes = []
        if p.required:
            notes.append("required")
        if p.deprecated:
            notes.append("deprecated")
        suffix = f" ({', '.join(notes)})" if notes else ""
        what = f"{kind} '{p.name}' ({type_text(p.type, p.collection)})"
        if p.required and owner:
            out.by_direction(
                f"{kind}-added", "breaking", "non-breaking", loc, f"{what} added{suffix}"
            )
        else:
            severity: ChangeSeverity = "breaking" if p.required else "non-breaking"
            out.add(f"{kind}-added", severity, loc, f"{what} added{suffix}")
        if p.deprecated:
            out.add(f"{kind}-deprecated", "deprecation", loc, f"{kind} '{p.name}' is deprecated")
    for p in removed:
        loc = [*base, section, p.name]
        moved_to = out.reach[1].inherited(owner[1], p.name) if owner else None
        if moved_to is not None:
            out.add(
                "property-moved-to-base" if kind == "property" else "relationship-moved-to-base",
                "info",
                loc,
                f"{kind} '{p.name}' now inherited from base type {moved_to} (same JSON)",
            )
        elif p.deprecated:
            out.add(f"{kind}-removed", "info", loc, f"{kind} '{p.name}' removed (was deprecated)")
        elif owner:
            out.by_direction(
                f"{kind}-removed", "non-breaking", "breaking", loc, f"{kind} '{p.name}' removed"
            )
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
        out.by_direction(
            f"{kind}-became-required", "breaking", "non-breaking", loc, f"{name} became required"
        )
    elif o.required is True and n.required is False:
        out.by_direction(
            f"{kind}-became-optional", "non-breaking", "breaking", loc, f"{name} became optional"
        )
    if o.nullable is not None and n.nullable is not None and o.nullable != n.nullable:
        if n.nullable:
            out.by_direction(
                f"{kind}-became-nullable",
                "non-breaking",
                "breaking",
                loc,
                f"{name} became nullable",
            )
        else:
            out.by_direction(
                f"{kind}-became-non-nullable",
                "breaking",
                "non-breaking",
                loc,
                f"{name} is no longer nullable",
            )
    if o.read_only is not None and n.read_only is not None and o.read_only != n.read_only:
        if n.read_only:
            out.by_direction(
                f"{kind}-became-read-only", "breaking", "info", loc, f"{name} became read-only"
            )
        else:
            out.add(
                f"{kind}-became-writable", "non-breaking", loc, f"{name} is no longer read-only"
            )
    if n.deprecated and not o.deprecated:
        out.add(f"{kind}-deprecated", "deprecation", loc, f"{name} is deprecated")
    elif o.deprecated and not n.deprecated:
        out.add(f"{kind}-undeprecated", "info", loc, f"{name} is no longer deprecated")
    out.versions(loc, name, o.versions, n.versions)
    out.description(loc, name, o.description, n.description)


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


def _permission_fields(permissions: Permissions) -> list[tuple[str, str]]:
    """(field, wire name) of each column of scopes: whatever lists of names ``Permissions``
    has (the delegated and application columns today; least/higher columns when the model
    gains them), so new columns are compared without a change here."""
    found = []
    for field, info in type(permissions).model_fields.items():
        if field == "versions":
            continue
        value = getattr(permissions, field)
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            found.append((field, info.alias or field))
    return found


def _permission_changes(old: Permissions, new: Permissions) -> Iterator[tuple[str, str, str]]:
    """(``added`` or ``removed``, wire name of the kind, scope) for each scope that differs."""
    for field, wire in _permission_fields(new):
        if field not in type(old).model_fields:
            continue
        old_set = set(getattr(old, field))
        new_set = set(getattr(new, field))
        for name in sorted(new_set - old_set):
            yield "added", wire, name
        for name in sorted(old_set - new_set):
            yield "removed", wire, name


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
        out.add(
            f"permission-{how}",
            "info",
            [*base, "permissions", wire, name],
            f"permission '{name}' ({wire}) {how}{where}",
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
        if o is n:
            continue
        out.inferred = o.inferred or n.inferred
        out.direction = combine(out.reach[0].of(o.name), out.reach[1].of(n.name))
        loc = ["types", n.name]
        if o.name != n.name:
            out.add("type-renamed-case", "breaking", loc, f"type '{o.name}' renamed to '{n.name}'")
        if o.base_type != n.base_type:
            inserted = o.base_type is not None and (
                _short(o.base_type) in out.reach[1].ancestors(n.name)
            )
            out.add(
                "type-base-changed",
                "non-breaking" if inserted else "breaking",
                loc,
                f"base type of '{n.name}' changed from {o.base_type or 'none'}"
                f" to {n.base_type or 'none'}",
            )
        if o.kind != n.kind:
            out.add(
                "type-kind-changed", "info", loc, f"'{n.name}' changed from {o.kind} to {n.kind}"
            )
        out.versions(loc, f"type '{n.name}'", o.versions, n.versions)
        owner = (o.name, n.name)
        _diff_fields(out, loc, "properties", "property", o.properties, n.properties, owner)
        _diff_fields(
            out, loc, "relationships", "relationship", o.relationships, n.relationships, owner
        )
        out.description(loc, f"type '{n.name}'", o.description, n.description)
    out.inferred = False
    out.direction = "none"


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1].casefold()


def _diff_members(
    out: ChangeCollector,
    base: list[str],
    old: Sequence[SpecEnumMember],
    new: Sequence[SpecEnumMember],
) -> None:
    pairs, removed, added = match_items(old, new, lambda m: m.name, casefold)
    for m in added:
        out.by_direction(
            "enum-member-added",
            "non-breaking",
            "breaking",
            [*base, "members", m.name],
            f"member '{m.name}' added",
        )
    for m in removed:
        out.by_direction(
            "enum-member-removed",
            "breaking",
            "non-breaking",
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
        if o is n:
            continue
        loc = ["enums", n.name]
        if o.name != n.name:
            out.add("enum-renamed-case", "breaking", loc, f"enum '{o.name}' renamed to '{n.name}'")
        out.versions(loc, f"enum '{n.name}'", o.versions, n.versions)
        out.direction = combine(out.reach[0].of(o.name), out.reach[1].of(n.name))
        _diff_members(out, loc, o.members, n.members)
        out.direction = "none"
        out.description(loc, f"enum '{n.name}'", o.description, n.description)


# --- public diff API -------------------------------------------------------------------


@gc_paused()
def diff_specs(
    old: UnifiedSpec, new: UnifiedSpec, *, include_descriptions: bool = False
) -> DiffReport:
    """Every change from ``old`` to ``new``, sorted by (location, rule)."""
    enums = {e.name for e in old.enums} | {e.name for e in new.enums}
    out = ChangeCollector(include_descriptions, _spec_versions(old) & _spec_versions(new), enums)
    out.reach = (Reach(old), Reach(new))
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
