"""Reports of a diff: Markdown changelog, JSON (and its schema), the HTML page with its
availability matrix, and the v1.0 -> beta files ``build`` writes."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from pydantic import Field

from extractor.diff.changes import SEVERITIES, sort_changes
from extractor.diff.compare import diff_versions
from extractor.gcpause import gc_paused
from extractor.render.jsonout import pretty_json
from extractor.render.templating import environment
from extractor.schema import (
    VERSIONS,
    Change,
    DiffReport,
    Model,
    SpecEnumDef,
    SpecOperation,
    SpecTypeDef,
    UnifiedSpec,
)

SECTIONS: tuple[str, ...] = ("operations", "types", "enums")


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
    items: list[SpecOperation | SpecTypeDef | SpecEnumDef] = [
        *spec.operations,
        *spec.types,
        *spec.enums,
    ]
    for item in items:
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


def render_diff_json(report: DiffReport, revisions: dict[str, Any] | None = None) -> str:
    """``{"changes": [...], "summary": {...}}`` with sorted keys and a trailing newline; with
    ``revisions``, also the git revisions each side was read from."""
    changes = sort_changes(report.changes)
    data: dict[str, Any] = {
        "changes": [c.model_dump(mode="json", by_alias=True, exclude_none=True) for c in changes],
        "summary": summarize(DiffReport(changes=changes)),
    }
    if revisions:
        data["revisions"] = revisions
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
            "revisions": {"type": "object", "description": "old and new git revision"},
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
                    "old": {"$ref": "#/$defs/place"},
                    "new": {"$ref": "#/$defs/place"},
                    "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
                    "oldText": {"type": "string"},
                    "newText": {"type": "string"},
                },
            },
            "place": {
                "type": "object",
                "required": ["path"],
                "properties": {"path": {"type": "string"}, "line": {"type": "integer"}},
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
            "pages": _pages(c),
            "old_text": c.old_text,
            "new_text": c.new_text,
        }
        for c in changes
    ]


def _pages(change: Change) -> str:
    """``old page:line → new page:line``, where the change was placed on pages."""
    sides = []
    for place in (change.old, change.new):
        if place is None:
            sides.append("—")
        else:
            sides.append(place.path + (f":{place.line}" if place.line is not None else ""))
    return "" if change.old is None and change.new is None else " → ".join(sides)


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
