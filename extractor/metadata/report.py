"""An alignment as users read it: Markdown, JSON, SARIF 2.1.0 (code scanning) and HTML.

Every rendering is deterministic (findings sorted, no timestamps). Findings point at the
page and line of what the docs say; one about an element only the metadata has points at the
page of its owner when one is documented, else (in SARIF, which needs a place) at the
metadata file itself.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

import orjson

from extractor import __version__
from extractor.diff.report import _md_code, _md_escape
from extractor.metadata.findings import CATEGORIES, Alignment, Finding
from extractor.metadata.rules import AREAS, RULES, RULES_BY_ID
from extractor.render.diagnostics import SARIF_SCHEMA, _artifact
from extractor.render.jsonout import pretty_json
from extractor.render.templating import environment

FORMATS = ("md", "json", "sarif", "html")
_JSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
#: SARIF's level of each severity.
_LEVELS = {"warning": "warning", "info": "note"}
_RATE_LABELS = {
    "typeNameF1": "type names (F1)",
    "baseTypeAgreement": "base types agreeing",
    "memberNameF1": "member names (F1)",
    "memberTypeAccuracy": "member types agreeing",
    "enumNameF1": "enum names (F1)",
    "enumMemberF1": "enum members (F1)",
    "operationNameF1": "actions and functions (F1)",
    "parameterNameF1": "parameter names (F1)",
    "parameterTypeAccuracy": "parameter types agreeing",
    "returnTypeAgreement": "return types agreeing",
    "entitySetReach": "entity sets reached",
    "singletonReach": "singletons reached",
    "navigationReach": "first-level navigation reached",
}


def render(alignment: Alignment, output_format: str, report_dir: Path | None = None) -> str:
    """The report in one of ``FORMATS``; ``report_dir`` is where an HTML report will be
    written, so that its links to pages are relative to it."""
    if output_format == "json":
        return render_json(alignment)
    if output_format == "sarif":
        return render_sarif(alignment)
    if output_format == "html":
        return render_html(alignment, report_dir)
    return render_markdown(alignment)


def _title(alignment: Alignment) -> str:
    return f"Docs ({alignment.version}) against {alignment.metadata}"


def render_json(alignment: Alignment) -> str:
    """Sorted keys, two-space indent. orjson directly: the rates are floats, for which
    ``pretty_json`` falls back to the standard library's encoder (0.7 s here)."""
    payload = {
        "summary": alignment.summary(),
        "findings": [finding.to_json() for finding in alignment.sorted()],
    }
    return orjson.dumps(payload, option=_JSON_OPTIONS).decode()


def _place(finding: Finding) -> str:
    if finding.page is None:
        return ""
    return f"{finding.page}:{finding.line}" if finding.line else finding.page


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _context(alignment: Alignment) -> dict[str, Any]:
    summary = alignment.summary()
    return {
        "title": _title(alignment),
        "summary": summary,
        "categories": [(name, summary["categories"][name]) for name in CATEGORIES],
        "rates": [(_RATE_LABELS[key], _percent(value)) for key, value in summary["rates"].items()],
        "rules": [
            (rule, RULES_BY_ID[rule].severity, RULES_BY_ID[rule].help, count)
            for rule, count in sorted(summary["byRule"].items(), key=lambda item: -item[1])
        ],
    }


def render_markdown(alignment: Alignment) -> str:
    """Counts and rates first, then the findings grouped by area."""
    findings = alignment.sorted()
    groups = [
        (area, [f for f in findings if f.area == area])
        for area in AREAS
        if any(f.area == area for f in findings)
    ]
    return (
        environment()
        .get_template("metadata/report.md.j2")
        .render(
            **_context(alignment),
            groups=groups,
            place=_place,
            md=_md_escape,
            code=_md_code,
        )
    )


def _href(page: str, line: int | None, report_dir: Path | None) -> str:
    """A link to a page (at its line, as GitHub and most viewers anchor lines)."""
    anchor = f"#L{line}" if line else ""
    path = Path(page)
    if report_dir is not None:
        try:
            relative = os.path.relpath(path.absolute(), report_dir.absolute())
            return quote(PurePosixPath(*Path(relative).parts).as_posix()) + anchor
        except ValueError:  # another drive
            pass
    if path.is_absolute():
        return path.as_uri() + anchor
    return quote(PurePosixPath(*path.parts).as_posix()) + anchor


def render_html(alignment: Alignment, report_dir: Path | None = None) -> str:
    """One self-contained page: counts, rates and the findings, filterable by area, rule,
    severity, page and text. Everything from pages and metadata is escaped by Jinja."""
    findings = alignment.sorted()
    rows = [
        {
            "index": number,
            "rule": f.rule,
            "severity": f.severity,
            "area": f.area,
            "element": " › ".join(f.element),
            "page": f.page or "",
            "place": _place(f),
            "href": _href(f.page, f.line, report_dir) if f.page else "",
            "docs": f.docs,
            "metadata": f.metadata,
            "message": f.message,
        }
        for number, f in enumerate(findings, start=1)
    ]
    return (
        environment()
        .get_template("metadata/report.html.j2")
        .render(
            **_context(alignment),
            rows=rows,
            areas=[area for area in AREAS if any(f.area == area for f in findings)],
            rule_ids=sorted({f.rule for f in findings}),
            pages=sorted({f.page for f in findings if f.page}),
        )
    )


def render_sarif(alignment: Alignment) -> str:
    """One SARIF run with every rule of the table (stable indexes); each result carries the
    element as a logical location and a fingerprint of rule and element, so that code
    scanning follows an alert across edits that move its line."""
    from sarif_pydantic import (
        Level,
        Location,
        LogicalLocation,
        Message,
        PhysicalLocation,
        Region,
        ReportingConfiguration,
        ReportingDescriptor,
        Result,
        Run,
        Sarif,
        Tool,
        ToolDriver,
    )

    index = {rule.id: position for position, rule in enumerate(RULES)}
    results = []
    for finding in alignment.sorted():
        page = finding.page or alignment.metadata
        region = Region(start_line=finding.line) if finding.page and finding.line else None
        element = "/".join(finding.element)
        text = f"{finding.message} (docs: {finding.docs}; metadata: {finding.metadata})"
        result = Result(
            rule_id=finding.rule,
            rule_index=index[finding.rule],
            level=Level(_LEVELS[finding.severity]),
            message=Message(text=text),
            locations=[
                Location(
                    physical_location=PhysicalLocation(
                        artifact_location=_artifact(page), region=region
                    ),
                    logical_locations=[
                        LogicalLocation(fully_qualified_name=element, kind="member")
                    ],
                )
            ],
            partial_fingerprints={
                "elementHash/v1": hashlib.sha256(
                    f"{alignment.version}\0{finding.rule}\0{element}".encode()
                ).hexdigest()
            },
        )
        results.append(result)
    log = Sarif(
        version="2.1.0",
        schema_uri=SARIF_SCHEMA,
        runs=[
            Run(
                tool=Tool(
                    driver=ToolDriver(
                        name="extractor check-metadata",
                        version=__version__,
                        rules=[
                            ReportingDescriptor(
                                id=rule.id,
                                name=rule.id,
                                short_description=Message(text=rule.help),
                                full_description=Message(
                                    text=f"{rule.help} Example: {rule.example}"
                                ),
                                default_configuration=ReportingConfiguration(
                                    level=Level(_LEVELS[rule.severity])
                                ),
                            )
                            for rule in RULES
                        ],
                    )
                ),
                results=results,
            )
        ],
    )
    data: dict[str, Any] = log.model_dump(mode="json", by_alias=True, exclude_none=True)
    if "schemaUri" in data:
        data["$schema"] = data.pop("schemaUri")
    return pretty_json(data)
