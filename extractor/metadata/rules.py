"""check-metadata's rules as the registry lists them (``extractor/rules/findings.py``)."""

from __future__ import annotations

from extractor.rules.findings import (
    AREAS,
    FINDING_TABLE,
    FINDINGS_BY_ID,
    Area,
    FindingRule,
    Severity,
)

Rule = FindingRule
RULES = FINDING_TABLE
RULES_BY_ID = FINDINGS_BY_ID

__all__ = ["AREAS", "RULES", "RULES_BY_ID", "Area", "Rule", "Severity"]
