"""The one registry of rule ids: every diagnostic a build reports and every change
``extractor diff`` reports, each with its severities, a line of help and an example.

Emitters write their ids as string literals (many diff ids as ``f"{kind}-added"``);
``tests/layout/test_rules.py`` finds every such site in ``extractor/`` and every rule in real
outputs, and fails on one this registry does not know. The registry feeds the rule
descriptors of ``diagnostics.sarif`` and the README's table
(``python -m extractor.rules --readme README.md`` rewrites it). It imports nothing from
the stages, so every stage may import it.
"""

from __future__ import annotations

import re

from extractor.rules.changes import CHANGE_RULES
from extractor.rules.diagnostics import DIAGNOSTIC_RULES
from extractor.rules.findings import FINDING_TABLE
from extractor.rules.rule import Kind, Rule

__all__ = [
    "CHANGE_RULES",
    "DIAGNOSTIC_RULES",
    "FINDING_RULES",
    "README_END",
    "README_START",
    "RULES",
    "Kind",
    "Rule",
    "find",
    "markdown_escaped",
    "markdown_table",
    "rule",
    "with_table",
]

FINDING_RULES: tuple[Rule, ...] = tuple(
    Rule(r.id, "finding", (r.severity,), r.help, r.example) for r in FINDING_TABLE
)
RULES: tuple[Rule, ...] = DIAGNOSTIC_RULES + CHANGE_RULES + FINDING_RULES
_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}

README_START = "<!-- rules:start -->"
README_END = "<!-- rules:end -->"
_BETWEEN = re.compile(re.escape(README_START) + r"\n.*?" + re.escape(README_END), re.DOTALL)


def find(id: str) -> Rule | None:
    """The rule with this id, or None for an id the registry does not know."""
    return _BY_ID.get(id)


def rule(id: str) -> Rule:
    """The rule with this id; a KeyError names an unregistered id."""
    found = _BY_ID.get(id)
    if found is None:
        raise KeyError(f"rule {id!r} is not in extractor/rules")
    return found


def markdown_escaped(text: str) -> str:
    """Text for a Markdown table cell: no column break, and ``<!--`` shown, not opened."""
    return text.replace("|", "\\|").replace("<", "&lt;")


def markdown_table(kind: Kind) -> str:
    """The rules of one kind as a Markdown table: rule, severities, help."""
    lines = ["| rule | severity | help |", "|---|---|---|"]
    lines += [
        f"| `{r.id}` | {' / '.join(r.severities)} | {markdown_escaped(r.help)} |"
        for r in RULES
        if r.kind == kind
    ]
    return "\n".join(lines)


def _generated() -> str:
    return (
        f"{README_START}\n"
        "<!-- written by `python -m extractor.rules --readme README.md`; edit extractor/rules -->\n"
        "\n**Diagnostic rules** (`diagnostics.json`, `diagnostics.sarif`)\n\n"
        f"{markdown_table('diagnostic')}\n"
        "\n**Change rules** (`extractor diff`)\n\n"
        f"{markdown_table('change')}\n"
        "\n**Metadata findings** (`extractor check-metadata`)\n\n"
        f"{markdown_table('finding')}\n"
        f"{README_END}"
    )


def with_table(text: str) -> str:
    """``text`` (the README) with the registry's tables between the rules markers."""
    if not _BETWEEN.search(text):
        raise ValueError(f"no {README_START} ... {README_END} block")
    return _BETWEEN.sub(lambda _: _generated(), text, count=1)
