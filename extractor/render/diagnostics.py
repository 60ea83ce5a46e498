"""Diagnostics as users read them: JSON for scripts, SARIF 2.1.0 for code scanning.

SARIF's rule descriptors carry each rule's help from the registry (``extractor.rules``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import partial
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from extractor import __version__, rules
from extractor.render.jsonout import pretty_json
from extractor.reuse import PieceMemo
from extractor.schema import Diagnostic

if TYPE_CHECKING:
    from sarif_pydantic import ArtifactLocation, ReportingDescriptor

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: SARIF's level of each severity.
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    unique = {d.model_dump_json(): d for d in diagnostics}
    return sorted(
        unique.values(), key=lambda d: (d.path, d.line or 0, d.rule, d.severity, d.message)
    )


def diagnostics_json(diagnostics: Iterable[Diagnostic]) -> str:
    ordered = sort_diagnostics(diagnostics)
    payload = {
        "diagnostics": [d.model_dump(mode="json") for d in ordered],
        "summary": {
            "bySeverity": dict(sorted(Counter(d.severity for d in ordered).items())),
            "byRule": dict(sorted(Counter(d.rule for d in ordered).items())),
            "total": len(ordered),
        },
    }
    return pretty_json(payload)


def _artifact(path: str) -> ArtifactLocation:
    """A page as SARIF names it: a URI reference, percent-encoded (spaces, CJK names).

    Relative paths (the usual case: pages below the working directory) are relative to
    SRCROOT; an absolute path becomes a ``file:`` URI, which SARIF forbids to carry a base.
    """
    from sarif_pydantic import ArtifactLocation

    posix = PurePosixPath(path.replace("\\", "/"))
    if posix.is_absolute():
        return ArtifactLocation(uri="file://" + quote(posix.as_posix()))
    return ArtifactLocation(uri=quote(posix.as_posix()), uri_base_id="SRCROOT")


def _result(diagnostic: Diagnostic, rule_index: int) -> dict[str, Any]:
    from sarif_pydantic import Level, Location, Message, PhysicalLocation, Region, Result

    region = Region(start_line=diagnostic.line) if diagnostic.line else None
    location = Location(
        physical_location=PhysicalLocation(
            artifact_location=_artifact(diagnostic.path),
            region=region,
        )
    )
    result = Result(
        rule_id=diagnostic.rule,
        rule_index=rule_index,
        level=Level(_LEVELS[diagnostic.severity]),
        message=Message(text=diagnostic.message),
        locations=[location],
    )
    return result.model_dump(mode="json", by_alias=True, exclude_none=True)


def _descriptor(rule_id: str) -> ReportingDescriptor:
    """A rule as code scanning shows it: what it means, what to do, an example."""
    from sarif_pydantic import Message, ReportingDescriptor

    known = rules.find(rule_id)
    if known is None:  # the registry's tests keep this from happening
        return ReportingDescriptor(id=rule_id, name=rule_id)
    return ReportingDescriptor(
        id=rule_id,
        name=rule_id,
        short_description=Message(text=known.summary),
        full_description=Message(text=known.help),
        help=Message(
            text=f"{known.help}\nExample: {known.example}",
            markdown=f"{rules.markdown_escaped(known.help)}\n\nExample: `{known.example}`",
        ),
    )


def _log(rule_ids: tuple[str, ...]) -> dict[str, Any]:
    """The SARIF log around the results, which are left empty."""
    from sarif_pydantic import Run, Sarif, Tool, ToolDriver

    log = Sarif(
        version="2.1.0",
        schema_uri=SARIF_SCHEMA,
        runs=[
            Run(
                tool=Tool(
                    driver=ToolDriver(
                        name="extractor",
                        version=__version__,
                        rules=[_descriptor(rule) for rule in rule_ids],
                    )
                ),
                results=[],
            )
        ],
    )
    data: dict[str, Any] = log.model_dump(mode="json", by_alias=True, exclude_none=True)
    if "schemaUri" in data:
        data["$schema"] = data.pop("schemaUri")
    return data


def diagnostics_sarif(diagnostics: Iterable[Diagnostic], pieces: PieceMemo | None = None) -> str:
    """One SARIF run; each result points at the page file and line, as code scanning wants.

    The SARIF models (sarif-pydantic) check what is written. With ``pieces`` (the last
    build's), a result whose diagnostic and rule index are the same is reused, not built and
    checked again (25 microseconds each), and so is the log around them: a build that makes
    no new result does not even import the models (30 ms)."""
    memo = pieces if pieces is not None else PieceMemo()
    ordered = sort_diagnostics(diagnostics)
    rule_ids = tuple(sorted({d.rule for d in ordered}))
    index = {rule: position for position, rule in enumerate(rule_ids)}
    results = [
        memo.get(
            (d.path, d.line, d.rule, d.severity, d.message),
            (index[d.rule],),
            partial(_result, d, index[d.rule]),
        )
        for d in ordered
    ]
    log = memo.get(("log",), (rule_ids,), partial(_log, rule_ids))
    (run,) = log["runs"]
    return pretty_json({**log, "runs": [{**run, "results": results}]})
