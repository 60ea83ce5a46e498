"""Changes as every comparison records them: severities, the collector, report order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from extractor.diff.direction import Direction, Reach
from extractor.schema import Change, UnifiedSpec

ChangeSeverity = Literal["breaking", "deprecation", "non-breaking", "info"]
SEVERITIES: tuple[ChangeSeverity, ...] = ("breaking", "deprecation", "non-breaking", "info")
_SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


class ChangeCollector:
    """Collects changes; a small mutable helper local to one diff call."""

    def __init__(
        self, include_descriptions: bool, common_versions: set[str], enums: set[str]
    ) -> None:
        self.changes: list[Change] = []
        self.inferred = False  # inside a type only examples show: its changes are info
        #: where the type being compared travels (``extractor.diff.direction``); "none"
        #: outside types and for types no operation reaches: severities stay cautious
        self.direction: Direction = "none"
        self.in_operation = False  # parameters and headers: requests, said without a note
        self.reach: tuple[Reach, Reach] = (Reach(UnifiedSpec()), Reach(UnifiedSpec()))
        self.include_descriptions = include_descriptions
        self.common_versions = common_versions
        self.enums = enums

    def probe(self) -> ChangeCollector:
        """An empty collector in this one's state (direction, reach, inferred): changes
        found for one version at a time, told afterwards with the versions they hold in."""
        probe = ChangeCollector(False, set(), self.enums)
        probe.direction = self.direction
        probe.in_operation = self.in_operation
        probe.reach = self.reach
        return probe

    def add(self, rule: str, severity: ChangeSeverity, location: list[str], message: str) -> None:
        if self.inferred:
            severity = "info"
            message = f"{message} (type inferred from examples)"
        self.changes.append(
            Change(rule=rule, severity=severity, location=list(location), message=message)
        )

    def by_direction(
        self,
        rule: str,
        request: ChangeSeverity,
        response: ChangeSeverity,
        location: list[str],
        message: str,
    ) -> None:
        """A change whose severity depends on the direction of the type it is in: the
        ``request`` severity when only requests carry it, ``response`` when only responses
        do, the graver of the two otherwise (both ways, or no operation reaches it)."""
        if self.direction == "request":
            severity = request
        elif self.direction == "response":
            severity = response
        else:
            severity = min(request, response, key=lambda s: _SEVERITY_RANK[s])
        shown = self.direction != "none" and not self.in_operation
        where = f" [{self.direction}]" if shown else ""
        self.add(rule, severity, location, f"{message}{where}")

    def description(self, location: list[str], what: str, old: str, new: str) -> None:
        if self.include_descriptions and _norm_text(old) != _norm_text(new):
            self.add("description-changed", "info", location, f"description of {what} changed")
            self.changes[-1].old_text = old
            self.changes[-1].new_text = new

    def versions(
        self, location: list[str], what: str, old: Sequence[str], new: Sequence[str]
    ) -> None:
        """Report versions an item gained or lost, among versions both specs know."""
        if not old or not new:
            return
        old_set = set(old) & self.common_versions
        new_set = set(new) & self.common_versions
        if gained := sorted(new_set - old_set):
            self.add(
                "version-added", "non-breaking", location, f"{what} now in {comma_list(gained)}"
            )
        if lost := sorted(old_set - new_set):
            self.add(
                "version-removed", "breaking", location, f"{what} no longer in {comma_list(lost)}"
            )


def _norm_text(text: str) -> str:
    return " ".join(text.split())


def comma_list(items: Sequence[str]) -> str:
    return ", ".join(items)


def type_text(type_name: str | None, collection: bool) -> str:
    if type_name is None:
        return "unknown type"
    return f"Collection({type_name})" if collection else type_name


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
