"""Findings and counts: what an alignment of the docs with the metadata hands to the reports.

A finding is one disagreement about one element, with the page (and line, when known) of
what the docs say; a tally counts the elements of one category on each side, how many were
matched and how many of those agree in every respect checked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from extractor.metadata.rules import AREAS, RULES_BY_ID, Area, Severity

#: The categories the summary counts, in report order.
CATEGORIES = (
    "types",
    "baseTypes",
    "members",
    "enums",
    "enumMembers",
    "operations",
    "parameters",
    "returnTypes",
    "entitySets",
    "singletons",
    "navigation",
)


def area_of(element: tuple[str, ...]) -> Area:
    kind = element[0] if element else ""
    detail = element[2] if len(element) > 2 else ""
    if kind == "types":
        return "members" if detail in ("properties", "relationships") else "types"
    if kind == "operations":
        return "parameters" if detail == "parameters" else "operations"
    if kind == "enums":
        return "enums"
    return "paths"


#: Categories counted on one side only: base types and return types are compared per
#: matched pair (``docs`` counts the pairs); entity sets, singletons and their navigation
#: properties are the metadata's, reached or not by the docs' request paths.
ONE_SIDED = {
    "baseTypes": "docs",
    "returnTypes": "docs",
    "entitySets": "metadata",
    "singletons": "metadata",
    "navigation": "metadata",
}


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    element: tuple[str, ...]
    page: str | None
    line: int | None
    docs: str
    metadata: str
    message: str

    @property
    def severity(self) -> Severity:
        return RULES_BY_ID[self.rule].severity

    @property
    def area(self) -> Area:
        """The area of the element (a rule such as ``string-for-enum`` serves members and
        parameters alike)."""
        return area_of(self.element)

    def sort_key(self) -> tuple[Any, ...]:
        return (AREAS.index(self.area), self.element, self.rule, self.page or "", self.line or 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "area": self.area,
            "element": list(self.element),
            "page": self.page,
            "line": self.line,
            "docs": self.docs,
            "metadata": self.metadata,
            "message": self.message,
        }


@dataclass(slots=True)
class Tally:
    """One category's counts: elements on each side (``docs``, ``metadata``), those the
    other side has too (``docsFound``, ``metadataFound``; they differ where inheritance
    matches one element with another type's), the docs' elements found that agree in every
    respect checked (``agreeing``), and of the found ones whose type both sides give
    (``typed``), those with the very same type (``typesAgree``)."""

    docs: int = 0
    docs_found: int = 0
    metadata: int = 0
    metadata_found: int = 0
    agreeing: int = 0
    typed: int = 0
    types_agree: int = 0

    def to_json(self, sides: str = "both") -> dict[str, int]:
        """The counts of the sides a category counts (see ``ONE_SIDED``)."""
        data: dict[str, int] = {}
        if sides != "metadata":
            data.update(docs=self.docs, docsFound=self.docs_found, agreeing=self.agreeing)
        if sides != "docs":
            data.update(metadata=self.metadata, metadataFound=self.metadata_found)
        if self.typed:
            data.update(typed=self.typed, typesAgree=self.types_agree)
        return data


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _f1(tally: Tally) -> float | None:
    precision = _ratio(tally.docs_found, tally.docs)
    recall = _ratio(tally.metadata_found, tally.metadata)
    if not precision or not recall:
        return 0.0 if precision is not None and recall is not None else None
    return round(2 * precision * recall / (precision + recall), 4)


@dataclass
class Alignment:
    """The findings and counts of one version of the docs against one metadata file."""

    version: str
    metadata: str
    findings: list[Finding] = field(default_factory=list)
    tallies: dict[str, Tally] = field(default_factory=lambda: {c: Tally() for c in CATEGORIES})
    notes: list[str] = field(default_factory=list)

    def add(
        self,
        rule: str,
        element: tuple[str, ...],
        where: tuple[str | None, int | None],
        docs: str,
        metadata: str,
        message: str,
    ) -> None:
        self.findings.append(Finding(rule, element, where[0], where[1], docs, metadata, message))

    def sorted(self) -> list[Finding]:
        return sorted(self.findings, key=Finding.sort_key)

    def rates(self) -> dict[str, float | None]:
        t = self.tallies
        return {
            "typeNameF1": _f1(t["types"]),
            "baseTypeAgreement": _ratio(t["baseTypes"].agreeing, t["baseTypes"].docs_found),
            "memberNameF1": _f1(t["members"]),
            "memberTypeAccuracy": _ratio(t["members"].types_agree, t["members"].typed),
            "enumNameF1": _f1(t["enums"]),
            "enumMemberF1": _f1(t["enumMembers"]),
            "operationNameF1": _f1(t["operations"]),
            "parameterNameF1": _f1(t["parameters"]),
            "parameterTypeAccuracy": _ratio(t["parameters"].types_agree, t["parameters"].typed),
            "returnTypeAgreement": _ratio(t["returnTypes"].agreeing, t["returnTypes"].docs_found),
            "entitySetReach": _ratio(t["entitySets"].metadata_found, t["entitySets"].metadata),
            "singletonReach": _ratio(t["singletons"].metadata_found, t["singletons"].metadata),
            "navigationReach": _ratio(t["navigation"].metadata_found, t["navigation"].metadata),
        }

    def summary(self) -> dict[str, Any]:
        findings = self.findings
        by_area: dict[str, Counter[str]] = {area: Counter() for area in AREAS}
        for finding in findings:
            by_area[finding.area][finding.rule] += 1
        return {
            "version": self.version,
            "metadata": self.metadata,
            "total": len(findings),
            "bySeverity": dict(sorted(Counter(f.severity for f in findings).items())),
            "byRule": dict(sorted(Counter(f.rule for f in findings).items())),
            "byArea": {area: dict(sorted(by_area[area].items())) for area in AREAS},
            "categories": {
                name: self.tallies[name].to_json(ONE_SIDED.get(name, "both")) for name in CATEGORIES
            },
            "rates": self.rates(),
            "notes": list(self.notes),
        }
