"""The comparison of an item's fields: parameters, query parameters, properties and
relationships, with direction-aware severities and moves to and from a base type."""

from __future__ import annotations

from collections.abc import Sequence

from extractor.diff.changes import ChangeCollector, ChangeSeverity, type_text
from extractor.diff.matching import casefold, match_items
from extractor.diff.project import per_version
from extractor.schema import SpecParameter

_STRING = "Edm.String"


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
    per_version(out, loc, o, n, lambda to, a, b: _diff_facts(to, loc, kind, name, a, b))
    out.versions(loc, name, o.versions, n.versions)
    out.description(loc, name, o.description, n.description)


def _diff_facts(
    out: ChangeCollector, loc: list[str], kind: str, name: str, o: SpecParameter, n: SpecParameter
) -> None:
    """Type, collection, required, nullable, read-only and deprecated: what one version says
    of a parameter or member."""
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
