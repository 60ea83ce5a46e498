"""Changes between two unified specs, or between two versions of one spec, and their reports.

Every change carries a stable rule id (``parameter-added``), a severity a CI job can fail on,
a location users' scripts can match (``["operations", "call.redirect", "parameters", "x"]``)
and a message for humans. Design decisions worth knowing:

* An item added already deprecated gives two changes at the same location: ``<kind>-added``
  (non-breaking, message ends in "(deprecated)") and ``<kind>-deprecated`` (deprecation), so
  both are found by rule in the JSON output.
* Removing something that was deprecated in the old spec is ``info``, not ``breaking``.
* A name that changed only in case (``ConferenceId`` -> ``conferenceId``) is ONE change,
  ``<kind>-renamed-case``, and the pair is then compared like any matched item.
* Paths match ignoring case, placeholder names (``{id}`` vs ``{call-id}``), a
  ``https://graph.microsoft.com/<version>`` origin and a trailing slash; a spelling
  difference is ``path-changed`` (info), as Graph resolves both.
* ``Edm.String`` documented as an enum (or back) is ``<kind>-type-changed`` with severity
  info: the JSON on the wire is the same.
* An unknown side (type, status, method or value ``None``) never makes a change: it means
  the page did not say, not that the API changed.
* Items present in both specs whose ``versions`` differ give ``version-added`` /
  ``version-removed``, counted only over versions both specs know about (so the projected
  views of ``diff_versions`` never produce them).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Literal, Protocol, TypeVar

from pydantic import Field

from extractor.gcpause import gc_paused
from extractor.render.jsonout import pretty_json
from extractor.render.templating import environment
from extractor.schema import (
    VERSIONS,
    Change,
    DiffReport,
    Model,
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

ChangeSeverity = Literal["breaking", "deprecation", "non-breaking", "info"]
SEVERITIES: tuple[ChangeSeverity, ...] = ("breaking", "deprecation", "non-breaking", "info")
SECTIONS: tuple[str, ...] = ("operations", "types", "enums")
_SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_GRAPH_ORIGIN = re.compile(r"^https?://[^/\s]+/(?:v1\.0|beta)(?=/)", re.IGNORECASE)
_STRING = "Edm.String"

T = TypeVar("T")


# --- availability matrix ---------------------------------------------------------------


class AvailabilityRow(Model):
    """One operation, type or enum and the versions it exists in."""

    section: str
    name: str
    versions: list[str] = Field(default_factory=list)
    availability: str  # "both", "<version>-only", "unknown", or versions joined by "+"
    label: str


class AvailabilityMatrix(Model):
    """What exists in which version; columns are oldest first (``v1.0``, ``beta``)."""

    columns: list[str] = Field(default_factory=list)
    rows: list[AvailabilityRow] = Field(default_factory=list)


def _columns(spec: UnifiedSpec) -> list[str]:
    """The known versions plus any other the spec mentions, stable release first."""
    seen = set(VERSIONS)
    for item in [*spec.operations, *spec.types, *spec.enums]:
        seen.update(item.versions)
    known = [v for v in ("v1.0", "beta") if v in seen]
    return known + sorted(seen - set(known))


def _availability(versions: Sequence[str], columns: Sequence[str]) -> tuple[str, str]:
    present = [c for c in columns if c in versions]
    if not present:
        return "unknown", "unknown"
    if len(present) == len(columns) > 1:
        return ("both", "both") if len(columns) == 2 else ("all-versions", "all versions")
    if len(present) == 1:
        return f"{present[0]}-only", f"{present[0]} only"
    return "+".join(present), " + ".join(present)


def availability_matrix(spec: UnifiedSpec) -> AvailabilityMatrix:
    """Every operation, type and enum with the versions it exists in, for the HTML report."""
    columns = _columns(spec)
    rows: list[AvailabilityRow] = []
    groups: list[tuple[str, list[tuple[str, list[str]]]]] = [
        ("operations", [(op.id, op.versions) for op in spec.operations]),
        ("types", [(t.name, t.versions) for t in spec.types]),
        ("enums", [(e.name, e.versions) for e in spec.enums]),
    ]
    for section, items in groups:
        for name, versions in sorted(items, key=lambda item: item[0]):
            slug, label = _availability(versions, columns)
            rows.append(
                AvailabilityRow(
                    section=section,
                    name=name,
                    versions=sorted(set(versions)),
                    availability=slug,
                    label=label,
                )
            )
    return AvailabilityMatrix(columns=columns, rows=rows)


# --- projection ------------------------------------------------------------------------


def _in(versions: Sequence[str], version: str) -> bool:
    """Whether an item exists in ``version``; an item with no versions is in every version."""
    return not versions or version in versions


class _Versioned(Protocol):
    versions: list[str]


V = TypeVar("V", bound=_Versioned)


def _only(items: Iterable[V], version: str) -> list[V]:
    """The items in ``version``, shared with the input (they are never mutated)."""
    return [item for item in items if not item.versions or version in item.versions]  # _in, inlined


def _project_permissions(op: SpecOperation, version: str) -> Permissions:
    granted = op.permissions_in(version)
    return Permissions(
        delegated_work=granted.delegated_work,
        delegated_personal=granted.delegated_personal,
        application=granted.application,
    )


def _project_response(op: SpecOperation, version: str) -> SpecResponse:
    """The response documented for ``version``, else the operation's single response."""
    for response in op.responses:
        if version in response.versions:
            return response
    return op.response


def project_version(spec: UnifiedSpec, version: str) -> UnifiedSpec:
    """The spec as seen in one version: only the items, paths, parameters and members in it.

    Operations, types and enums get ``versions == [version]``; nested items keep their full
    ``versions`` (copying ~250,000 of them costs seconds on the full corpus and says nothing).
    """
    operations = [
        op.model_copy(
            update={
                "versions": [version],
                "paths": _only(op.paths, version),
                "parameters": _only(op.parameters, version),
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
        t.model_copy(
            update={
                "versions": [version],
                "properties": _only(t.properties, version),
                "relationships": _only(t.relationships, version),
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


# --- matching --------------------------------------------------------------------------


def _match(
    old: Sequence[T], new: Sequence[T], key: Callable[[T], str], loose: Callable[[str], str]
) -> tuple[list[tuple[T, T]], list[T], list[T]]:
    """Pair items by exact key, then leftovers by a loose key; return pairs, removed, added.

    A duplicate key within one side keeps its first item (reconcile should not produce any).
    """
    old_by: dict[str, T] = {}
    for item in old:
        old_by.setdefault(key(item), item)
    new_by: dict[str, T] = {}
    for item in new:
        new_by.setdefault(key(item), item)
    pairs = [(old_by[k], new_by[k]) for k in sorted(old_by.keys() & new_by.keys())]
    old_left: dict[str, list[str]] = {}
    for k in sorted(old_by.keys() - new_by.keys()):
        old_left.setdefault(loose(k), []).append(k)
    new_left: dict[str, list[str]] = {}
    for k in sorted(new_by.keys() - old_by.keys()):
        new_left.setdefault(loose(k), []).append(k)
    removed: list[T] = []
    added: list[T] = []
    for lk, old_keys in old_left.items():
        new_keys = new_left.pop(lk, [])
        for ok, nk in zip(old_keys, new_keys, strict=False):
            pairs.append((old_by[ok], new_by[nk]))
        removed.extend(old_by[k] for k in old_keys[len(new_keys) :])
        added.extend(new_by[k] for k in new_keys[len(old_keys) :])
    for new_keys in new_left.values():
        added.extend(new_by[k] for k in new_keys)
    return pairs, removed, added


def _casefold(name: str) -> str:
    return name.casefold()


def _path_key(path: str) -> str:
    """Paths Graph resolves alike: any case or placeholder name, with or without the origin
    and a trailing slash."""
    key = _PLACEHOLDER.sub("{}", _GRAPH_ORIGIN.sub("", path.strip())).casefold()
    return key.rstrip("/") or key


# --- change helpers --------------------------------------------------------------------


class _Out:
    """Collects changes; a small mutable helper local to one diff call."""

    def __init__(
        self, include_descriptions: bool, common_versions: set[str], enums: set[str]
    ) -> None:
        self.changes: list[Change] = []
        self.inferred = False  # inside a type only examples show: its changes are info
        self.include_descriptions = include_descriptions
        self.common_versions = common_versions
        self.enums = enums

    def add(self, rule: str, severity: ChangeSeverity, location: list[str], message: str) -> None:
        if self.inferred:
            severity = "info"
            message = f"{message} (type inferred from examples)"
        self.changes.append(
            Change(rule=rule, severity=severity, location=list(location), message=message)
        )

    def description(self, location: list[str], what: str, old: str, new: str) -> None:
        if self.include_descriptions and _norm_text(old) != _norm_text(new):
            self.add("description-changed", "info", location, f"description of {what} changed")

    def versions(
        self, location: list[str], what: str, old: Sequence[str], new: Sequence[str]
    ) -> None:
        """Report versions an item gained or lost, among versions both specs know."""
        if not old or not new:
            return
        old_set = set(old) & self.common_versions
        new_set = set(new) & self.common_versions
        if gained := sorted(new_set - old_set):
            self.add("version-added", "non-breaking", location, f"{what} now in {_and(gained)}")
        if lost := sorted(old_set - new_set):
            self.add("version-removed", "breaking", location, f"{what} no longer in {_and(lost)}")


def _norm_text(text: str) -> str:
    return " ".join(text.split())


def _and(items: Sequence[str]) -> str:
    return ", ".join(items)


def _type_text(type_name: str | None, collection: bool) -> str:
    if type_name is None:
        return "unknown type"
    return f"Collection({type_name})" if collection else type_name


def _spec_versions(spec: UnifiedSpec) -> set[str]:
    """The versions a spec covers; a nested item is never in a version its parent is not."""
    found: set[str] = set()
    for item in [*spec.operations, *spec.types, *spec.enums]:
        found.update(item.versions)
    return found


# --- parameters, properties, relationships ---------------------------------------------


def _diff_fields(
    out: _Out,
    base: list[str],
    section: str,
    kind: str,
    old: Sequence[SpecParameter],
    new: Sequence[SpecParameter],
) -> None:
    """Compare the parameters (or properties, or relationships) of one matched item."""
    pairs, removed, added = _match(old, new, lambda p: p.name, _casefold)
    for p in added:
        loc = [*base, section, p.name]
        notes = []
        if p.required:
            notes.append("required")
        if p.deprecated:
            notes.append("deprecated")
        suffix = f" ({', '.join(notes)})" if notes else ""
        severity: ChangeSeverity = "breaking" if p.required else "non-breaking"
        what = f"{kind} '{p.name}' ({_type_text(p.type, p.collection)})"
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


def _diff_field(out: _Out, loc: list[str], kind: str, o: SpecParameter, n: SpecParameter) -> None:
    name = f"{kind} '{n.name}'"
    if o.type is not None and n.type is not None:
        if not _same_type(o.type, n.type):
            _type_changed(out, loc, f"{kind}-type-changed", name, o, n)
        elif o.collection != n.collection:
            out.add(
                f"{kind}-collection-changed",
                "breaking",
                loc,
                f"{name} changed from {_type_text(o.type, o.collection)}"
                f" to {_type_text(n.type, n.collection)}",
            )
    if n.required is True and o.required is not True:
        out.add(f"{kind}-became-required", "breaking", loc, f"{name} became required")
    elif o.required is True and n.required is False:
        out.add(f"{kind}-became-optional", "non-breaking", loc, f"{name} became optional")
    if n.deprecated and not o.deprecated:
        out.add(f"{kind}-deprecated", "deprecation", loc, f"{name} is deprecated")
    elif o.deprecated and not n.deprecated:
        out.add(f"{kind}-undeprecated", "info", loc, f"{name} is no longer deprecated")
    out.versions(loc, name, o.versions, n.versions)
    out.description(loc, name, o.description, n.description)


def _type_changed(
    out: _Out, loc: list[str], rule: str, name: str, o: SpecParameter, n: SpecParameter
) -> None:
    """A type change; a string documented as an enum (or back) is the same JSON: info."""
    message = (
        f"{name} type changed from {_type_text(o.type, o.collection)}"
        f" to {_type_text(n.type, n.collection)}"
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
    out: _Out, base: list[str], old: Sequence[SpecRequestPath], new: Sequence[SpecRequestPath]
) -> None:
    pairs, removed, added = _match(old, new, lambda p: p.path, _path_key)
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


def _permission_changes(old: Permissions, new: Permissions) -> Iterator[tuple[str, str, str]]:
    """(``added`` or ``removed``, wire name of the kind, scope) for each scope that differs."""
    for field, wire in _PERMISSION_FIELDS:
        old_set = set(getattr(old, field))
        new_set = set(getattr(new, field))
        for name in sorted(new_set - old_set):
            yield "added", wire, name
        for name in sorted(old_set - new_set):
            yield "removed", wire, name


def _diff_permissions(out: _Out, base: list[str], old: SpecOperation, new: SpecOperation) -> None:
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
        where = "" if len(versions) == len(pairs) else f" in {_and(versions)}"
        out.add(
            f"permission-{how}",
            "info",
            [*base, "permissions", wire, name],
            f"permission '{name}' ({wire}) {how}{where}",
        )


def _diff_response(out: _Out, base: list[str], old: SpecResponse, new: SpecResponse) -> None:
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
            f"response type changed from {_type_text(old.type, old.collection)}"
            f" to {_type_text(new.type, new.collection)}",
        )


def _diff_operations(out: _Out, old: Sequence[SpecOperation], new: Sequence[SpecOperation]) -> None:
    pairs, removed, added = _match(old, new, lambda op: op.id, _casefold)
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


def _diff_types(out: _Out, old: Sequence[SpecTypeDef], new: Sequence[SpecTypeDef]) -> None:
    """Types; what differs in a type inferred from examples says which examples exist, not
    what the API has, so those changes are info."""
    pairs, removed, added = _match(old, new, lambda t: t.name, _casefold)
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
        if o.base_type != n.base_type:
            out.add(
                "type-base-changed",
                "breaking",
                loc,
                f"base type of '{n.name}' changed from {o.base_type or 'none'}"
                f" to {n.base_type or 'none'}",
            )
        if o.kind != n.kind:
            out.add(
                "type-kind-changed", "info", loc, f"'{n.name}' changed from {o.kind} to {n.kind}"
            )
        out.versions(loc, f"type '{n.name}'", o.versions, n.versions)
        _diff_fields(out, loc, "properties", "property", o.properties, n.properties)
        _diff_fields(out, loc, "relationships", "relationship", o.relationships, n.relationships)
        out.description(loc, f"type '{n.name}'", o.description, n.description)
    out.inferred = False


def _diff_members(
    out: _Out, base: list[str], old: Sequence[SpecEnumMember], new: Sequence[SpecEnumMember]
) -> None:
    pairs, removed, added = _match(old, new, lambda m: m.name, _casefold)
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


def _diff_enums(out: _Out, old: Sequence[SpecEnumDef], new: Sequence[SpecEnumDef]) -> None:
    pairs, removed, added = _match(old, new, lambda e: e.name, _casefold)
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


def _sort_key(change: Change) -> tuple[tuple[str, ...], str, int, str]:
    return (
        tuple(change.location),
        change.rule,
        _SEVERITY_RANK.get(change.severity, len(SEVERITIES)),
        change.message,
    )


def sort_changes(changes: Iterable[Change]) -> list[Change]:
    """Changes in report order: by location, then rule (then severity and message, for ties)."""
    return sorted(changes, key=_sort_key)


@gc_paused()
def diff_specs(
    old: UnifiedSpec, new: UnifiedSpec, *, include_descriptions: bool = False
) -> DiffReport:
    """Every change from ``old`` to ``new``, sorted by (location, rule)."""
    enums = {e.name for e in old.enums} | {e.name for e in new.enums}
    out = _Out(include_descriptions, _spec_versions(old) & _spec_versions(new), enums)
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


# --- summaries and rendering -----------------------------------------------------------


def summarize(report: DiffReport) -> dict[str, Any]:
    """Counts by severity (all four, zeros included) and by rule (rules present only)."""
    by_severity = {s: 0 for s in SEVERITIES}
    for change in report.changes:
        by_severity[change.severity] = by_severity.get(change.severity, 0) + 1
    by_rule = Counter(c.rule for c in report.changes)
    return {
        "total": len(report.changes),
        "bySeverity": by_severity,
        "byRule": dict(sorted(by_rule.items())),
    }


def render_diff_json(report: DiffReport) -> str:
    """``{"changes": [...], "summary": {...}}`` with sorted keys and a trailing newline."""
    changes = sort_changes(report.changes)
    data = {
        "changes": [c.model_dump(mode="json", by_alias=True) for c in changes],
        "summary": summarize(DiffReport(changes=changes)),
    }
    return pretty_json(data)


def diff_json_schema() -> dict[str, Any]:
    """JSON Schema (2020-12) of what ``render_diff_json`` prints."""
    count = {"type": "integer", "minimum": 0}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/microsoftgraph/extractor/diff.schema.json",
        "title": "Diff report",
        "description": "Changes from one spec (or API version) to another.",
        "type": "object",
        "required": ["changes"],
        "properties": {
            "changes": {"type": "array", "items": {"$ref": "#/$defs/change"}},
            "summary": {
                "type": "object",
                "required": ["total", "bySeverity", "byRule"],
                "properties": {
                    "total": count,
                    "bySeverity": {
                        "type": "object",
                        "properties": {s: count for s in SEVERITIES},
                        "required": list(SEVERITIES),
                        "additionalProperties": False,
                    },
                    "byRule": {
                        "type": "object",
                        "propertyNames": {"$ref": "#/$defs/rule"},
                        "additionalProperties": count,
                    },
                },
            },
        },
        "$defs": {
            "rule": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
            "change": {
                "type": "object",
                "required": ["rule", "severity", "location", "message"],
                "properties": {
                    "rule": {"$ref": "#/$defs/rule"},
                    "severity": {"enum": list(SEVERITIES)},
                    "location": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                    "message": {"type": "string"},
                },
            },
        },
    }


_BADGES = {
    "breaking": "🔴 **breaking**",
    "deprecation": "🟠 **deprecation**",
    "non-breaking": "🟢 **non-breaking**",
    "info": "🔵 **info**",
}
_SECTION_TITLES = {"operations": "Operations", "types": "Types", "enums": "Enums"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
_BACKTICKS = re.compile("`+")


def _md_escape(text: str) -> str:
    """Escape what markdown would otherwise render inside a bullet or table cell."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_code(text: str) -> str:
    """A code span that survives backticks inside ``text``."""
    longest = max(map(len, _BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _groups(changes: Sequence[Change]) -> list[dict[str, Any]]:
    """Changes grouped by section, then by item (``location[:2]``), in report order."""
    sections: dict[str, dict[str, list[Change]]] = {}
    for change in changes:
        section = change.location[0] if change.location else "spec"
        item = change.location[1] if len(change.location) > 1 else ""
        sections.setdefault(section, {}).setdefault(item, []).append(change)
    order = [s for s in SECTIONS if s in sections] + sorted(set(sections) - set(SECTIONS))
    result = []
    for section in order:
        items = sections[section]
        result.append(
            {
                "key": section,
                "title": _SECTION_TITLES.get(section, section.capitalize()),
                "items": [{"name": name, "changes": _rows(items[name])} for name in sorted(items)],
            }
        )
    return result


def _rows(changes: Sequence[Change]) -> list[dict[str, Any]]:
    return [
        {
            "rule": c.rule,
            "severity": c.severity,
            "badge": _BADGES.get(c.severity, c.severity),
            "location": c.location,
            "where": " › ".join(c.location[2:]),
            "message": c.message,
        }
        for c in changes
    ]


def render_diff_markdown(report: DiffReport, title: str) -> str:
    """A changelog: counts at the top, then one heading per operation, type and enum."""
    changes = sort_changes(report.changes)
    summary = summarize(DiffReport(changes=changes))
    env = environment()
    template = env.get_template("diff/report.md.j2")
    return template.render(
        title=title,
        summary=summary,
        severities=[(s, _BADGES[s], summary["bySeverity"][s]) for s in SEVERITIES],
        groups=_groups(changes),
        md=_md_escape,
        code=_md_code,
    )


def render_diff_html(report: DiffReport, title: str, matrix: AvailabilityMatrix) -> str:
    """One self-contained page: the availability matrix and the changes, both filterable."""
    changes = sort_changes(report.changes)
    summary = summarize(DiffReport(changes=changes))
    present = {row.availability: row.label for row in matrix.rows}
    options = [("all", "all")]
    if len(matrix.columns) == 2:
        options.append(("both", "both"))
    elif len(matrix.columns) > 2:
        options.append(("all-versions", "all versions"))
    options += [(f"{c}-only", f"{c} only") for c in matrix.columns]
    options += sorted((slug, label) for slug, label in present.items() if slug not in dict(options))
    template = environment().get_template("diff/report.html.j2")
    return template.render(
        title=title,
        summary=summary,
        severities=list(SEVERITIES),
        changes=[
            {
                **row,
                "index": i,
                "location_text": " › ".join(row["location"]),
                "location_json": json.dumps(row["location"], ensure_ascii=False),
            }
            for i, row in enumerate(_rows(changes), start=1)
        ],
        columns=matrix.columns,
        matrix_rows=[
            {
                "section": row.section,
                "name": row.name,
                "availability": row.availability,
                "label": row.label,
                "cells": [(c, "✓" if c in row.versions else "—") for c in matrix.columns],
            }
            for row in matrix.rows
        ],
        availability_options=options,
    )


VERSION_DIFF_STEM = "diff/v1.0-beta"


@gc_paused()
def render_version_diff(spec: UnifiedSpec) -> dict[str, str]:
    """The ``build`` outputs for v1.0 -> beta: Markdown, JSON and HTML."""
    report = diff_versions(spec, "v1.0", "beta")
    title = "Microsoft Graph API: beta compared with v1.0"
    return {
        f"{VERSION_DIFF_STEM}.md": render_diff_markdown(report, title),
        f"{VERSION_DIFF_STEM}.json": render_diff_json(report),
        f"{VERSION_DIFF_STEM}.html": render_diff_html(report, title, availability_matrix(spec)),
    }
