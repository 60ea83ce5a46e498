"""check-metadata: where the docs and the service's own metadata (CSDL) disagree.

The metadata is evidence to hold the docs against, never an input of the spec: nothing in
this package is imported by the stages that make ``spec.json``, the models, OpenAPI or the
fixtures. ``check_metadata`` is the function to call; the CLI command and the build's
``metadata/`` outputs are thin layers over it.

    csdl.py        the CSDL file: types, enums, operations, container (aliases resolved)
    docs.py        one version's view of the spec, page lines, request examples
    align.py       types and members; enums.py, operations.py, paths.py the rest
    findings.py    findings and counts            rules.py   the rule table
    report.py      Markdown, JSON, SARIF, HTML    check.py   the functions below
    build.py       the build's hook (``--metadata``, ``[tool.extractor] metadata``)

The names below load on first use: every build asks ``build.configured`` whether it has
metadata to report on, and should not pay for the rest (50 ms) when it has none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from extractor.metadata.check import (
        Docs,
        check_metadata,
        docs_of,
        failing,
        load_docs,
        metadata_version,
        read_metadata,
        run_check,
    )
    from extractor.metadata.findings import Alignment, Finding
    from extractor.metadata.report import FORMATS, render
    from extractor.metadata.rules import RULES

__all__ = [
    "FORMATS",
    "RULES",
    "Alignment",
    "Docs",
    "Finding",
    "MetadataError",
    "check_metadata",
    "docs_of",
    "failing",
    "load_docs",
    "metadata_version",
    "read_metadata",
    "render",
    "run_check",
]


class MetadataError(ValueError):
    """Input check-metadata cannot use; the message is one line for the user (exit 2)."""


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from extractor.metadata import check, findings, report, rules

    for module in (check, findings, report, rules):
        if hasattr(module, name):
            return getattr(module, name)
    raise AttributeError(name)  # pragma: no cover: every name above is in one of them
