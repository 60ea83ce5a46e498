"""Where each change is in the docs: the page and line on the old and the new side.

The spec names the pages each operation, type and enum was read from (``sources``); the
pages' records have the lines of parameters, properties, paths and the page's title. A
change is placed on the page of the version its member is documented in (v1.0 first), and
the other side on the same version's page where there is one, so an added property points
at the old page's type (where it is missing) and the new page's row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from extractor.schema import Change, PageRecord, Place, UnifiedSpec

_VERSION_ORDER = {"v1.0": 0, "beta": 1, None: 2}


@dataclass
class PageLines:
    """The lines one page's record knows: its title, and members by (section, name)."""

    title: int | None = None
    members: dict[tuple[str, str], int] = field(default_factory=dict)


def page_lines(records: Sequence[PageRecord]) -> dict[str, PageLines]:
    """Lines of every page, by the path the spec's sources name it by."""
    found: dict[str, PageLines] = {}
    for record in records:
        lines = PageLines(title=record.sections[0].line if record.sections else None)
        op = record.operation
        if op is not None:
            for section, items in (
                ("parameters", op.parameters),
                ("queryParameters", op.query_parameters),
            ):
                for p in items:
                    if p.line is not None:
                        lines.members.setdefault((section, p.name.casefold()), p.line)
            for path in op.paths:
                if path.line is not None:
                    lines.members.setdefault(("paths", path.path.casefold()), path.line)
        if record.type is not None:
            for section, items in (
                ("properties", record.type.properties),
                ("relationships", record.type.relationships),
            ):
                for p in items:
                    if p.line is not None:
                        lines.members.setdefault((section, p.name.casefold()), p.line)
        found[record.source.path] = lines
    return found


class Locator:
    """Pages of one side: the spec's items' sources and the pages' lines."""

    def __init__(self, spec: UnifiedSpec, lines: dict[str, PageLines], prefix: str = "") -> None:
        self.lines = lines
        self.prefix = prefix
        self.sources: dict[tuple[str, str], list[tuple[str | None, str]]] = {}
        for section, items in (
            ("operations", spec.operations),
            ("types", spec.types),
            ("enums", spec.enums),
        ):
            for item in items:
                name = str(getattr(item, "id", None) or getattr(item, "name", None) or "")
                pages = sorted(
                    ((s.version, s.path) for s in item.sources),
                    key=lambda vp: (_VERSION_ORDER.get(vp[0], 2), vp[1]),
                )
                self.sources[(section, name.casefold())] = pages

    def place(
        self, location: Sequence[str], version: str | None
    ) -> tuple[Place | None, str | None, bool]:
        """The page and line of a location, preferring ``version``'s page; and the version
        used, and whether the member itself (not only its item) was found."""
        if len(location) < 2:
            return None, None, False
        pages = self.sources.get((location[0], location[1].casefold()), [])
        if not pages:
            return None, None, False
        member = (location[2], location[3].casefold()) if len(location) >= 4 else None
        ordered = sorted(pages, key=lambda vp: vp[0] != version) if version else pages
        if member is not None:
            for v, path in ordered:
                line = self.lines.get(path, PageLines()).members.get(member)
                if line is not None:
                    return Place(path=self.prefix + path, line=line), v, True
        v, path = ordered[0]
        return (
            Place(path=self.prefix + path, line=self.lines.get(path, PageLines()).title),
            v,
            False,
        )


def locate(changes: list[Change], old: Locator, new: Locator) -> None:
    """Set each change's ``old`` and ``new`` place (where known) and its fingerprint."""
    for change in changes:
        loc = change.location
        new_place, new_version, new_exact = new.place(loc, None)
        old_place, old_version, old_exact = old.place(loc, new_version)
        if old_exact and not new_exact and old_version != new_version:
            new_place, _, _ = new.place(loc, old_version)
        change.old = old_place
        change.new = new_place
        change.fingerprint = fingerprint(change)


def fingerprint(change: Change) -> str:
    """A stable id of a change: its rule and location (not the message, nor the lines,
    which move when a page is edited elsewhere); what an ignore file names."""
    text = "\0".join([change.rule, *change.location])
    return hashlib.sha256(text.encode()).hexdigest()[:16]
