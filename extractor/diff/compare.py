"""The comparison rules of types (properties, relationships) and enums (members), and the
diff entry points; operations are compared in ``operations``, fields in ``fields``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from extractor.diff.changes import (
    ChangeCollector,
    sort_changes,
)
from extractor.diff.direction import Reach, combine
from extractor.diff.fields import _diff_fields
from extractor.diff.matching import casefold, match_items
from extractor.diff.operations import _diff_operations
from extractor.diff.project import per_version, project_version
from extractor.gcpause import gc_paused
from extractor.schema import (
    DiffReport,
    SpecEnumDef,
    SpecEnumMember,
    SpecOperation,
    SpecTypeDef,
    UnifiedSpec,
)


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
        per_version(out, loc, o, n, _diff_base)
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


def _diff_base(out: ChangeCollector, o: SpecTypeDef, n: SpecTypeDef) -> None:
    """A base type changed; one inserted above the old base (the wire shape is the same)
    is not breaking."""
    if o.base_type != n.base_type:
        inserted = o.base_type is not None and (
            _short(o.base_type) in out.reach[1].ancestors(n.name)
        )
        out.add(
            "type-base-changed",
            "non-breaking" if inserted else "breaking",
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
