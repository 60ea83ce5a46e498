"""Page identity: which records are one page, which copy of it is read (the newest docs,
preferring English text), and the operation id each page gets (``ids``): one operation for
the pages that document one request, and one id for an operation that v1.0 and beta name
differently.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from extractor.reconcile.ids import match_versions, settle_ids, type_bases
from extractor.reconcile.text import _diag, _handoff, _page_name
from extractor.schema import Diagnostic, PageRecord


@dataclass
class _Page:
    """One page of one version: the copy we read and every copy that says the same."""

    version: str | None
    kind: str
    key: str
    name: str
    record: PageRecord
    copies: list[PageRecord]
    op_id: str | None = None
    members: int = 1  # records read for this page, the copies left out included
    rank: int = 0  # among the pages of one operation in one version: 0 speaks for it

    @property
    def path(self) -> str:
        return self.record.source.path

    @property
    def first_path(self) -> str:
        return min(copy.source.path for copy in self.copies)


def _page_key(record: PageRecord) -> str:
    if record.kind == "api" and record.operation is not None:
        return record.operation.id
    if record.kind == "resource" and record.type is not None:
        return record.type.name
    if record.kind == "enum" and record.enums:
        return ",".join(sorted(enum.name for enum in record.enums))
    return _page_name(record)


def _pick_copies(
    copies: list[PageRecord],
) -> tuple[PageRecord, list[PageRecord], list[Diagnostic]]:
    """The copy to read, the copies with the same docs, and conflicts between commits.

    Copies with one ``sourcegitcommit`` are the same docs in other locales; otherwise the copy
    handed off last wins (ties: the larger path) and each older copy gets a warning.
    """
    by_commit: dict[str | None, list[PageRecord]] = {}
    for copy in copies:
        by_commit.setdefault(copy.source.sourcegitcommit, []).append(copy)
    diagnostics: list[Diagnostic] = []
    if len(by_commit) == 1:
        winners = copies
    else:
        newest = _extreme(copies, lambda r: (_handoff(r), *_identity(r)), largest=True)
        winners = by_commit[newest.source.sourcegitcommit]
        for copy in copies:
            if copy.source.sourcegitcommit == newest.source.sourcegitcommit:
                continue
            diagnostics.append(
                _diag(
                    "page-version-conflict",
                    "warning",
                    copy.source.path,
                    None,
                    f"{copy.source.path} (commit {copy.source.sourcegitcommit}, handed off "
                    f"{copy.source.lasthandoff}) is older than {newest.source.path} (commit "
                    f"{newest.source.sourcegitcommit}, handed off {newest.source.lasthandoff}); "
                    "using the newer page",
                )
            )
    chosen = _extreme(
        winners,
        lambda r: (r.language != "en", len(r.diagnostics), r.source.locale or "", *_identity(r)),
    )
    return chosen, winners, diagnostics


def _identity(record: PageRecord) -> tuple[str, str, str]:
    return record.source.path, record.source.sourcegitcommit or "", record.source.sha256


def _extreme(records: list[PageRecord], key: Any, largest: bool = False) -> PageRecord:
    """The min (or max) record by ``key``; full ties fall back to the record's JSON.

    Real ties (one file read twice) are identical records; the fallback only keeps the
    result independent of input order whatever the input.
    """
    if len(records) == 1:  # most pages have one copy
        return records[0]
    pick = max if largest else min
    best = pick(key(r) for r in records)
    tied = [r for r in records if key(r) == best]
    return tied[0] if len(tied) == 1 else pick(tied, key=lambda r: r.model_dump_json())


def _file_name(record: PageRecord) -> str:
    """The path's last part, as ``PurePosixPath`` names it; building one per record is slow."""
    path = record.source.path.replace("\\", "/")
    name = path.rpartition("/")[2]
    return name if name not in ("", ".") else PurePosixPath(path).name


_MAX_LOCALE_MERGE = 16


def _split_copies(copies: list[PageRecord]) -> list[list[PageRecord]]:
    """Records with one identity that are really one page, in a locale-independent order.

    Pages of one locale with different file names are different pages, even when their
    content gives them one identity (``list-members`` is the H1 anchor of many pages). Copies
    sharing a file name are the same page; so are file-name clusters of disjoint locales
    (seed files carry no page name). The locale merge is bounded so it stays linear.
    """
    by_file: dict[str, list[PageRecord]] = {}
    for copy in copies:
        by_file.setdefault(_file_name(copy), []).append(copy)
    clusters = [by_file[name] for name in sorted(by_file)]
    if len(clusters) == 1 or len(clusters) > _MAX_LOCALE_MERGE:
        return clusters
    merged: list[tuple[set[str | None], list[PageRecord]]] = []
    for cluster in clusters:
        locales = {copy.source.locale for copy in cluster}
        for seen, members in merged:
            if not seen & locales:
                seen |= locales
                members.extend(cluster)
                break
        else:
            merged.append((locales, list(cluster)))
    return [members for _, members in merged]


def _pages(records: list[PageRecord]) -> tuple[list[_Page], list[Diagnostic]]:
    """Group records into pages, pick one copy each, and make operation ids unique."""
    groups: dict[tuple[str, str, str], dict[str, list[PageRecord]]] = {}
    for record in records:
        group = (record.version or "", record.kind, _page_key(record))
        groups.setdefault(group, {}).setdefault(_page_name(record), []).append(record)
    pages: list[_Page] = []
    diagnostics: list[Diagnostic] = []
    bases = type_bases(records)
    taken = {(version, key.casefold()) for version, kind, key in groups if kind == "api"}
    for (version, kind, key), by_name in sorted(groups.items()):
        group_pages: list[_Page] = []
        for name, same_name in sorted(by_name.items()):
            for copies in _split_copies(same_name):
                chosen, winners, found = _pick_copies(copies)
                diagnostics.extend(found)
                page = _Page(version or None, kind, key, name, chosen, winners)
                page.members = len(copies)
                if kind == "api" and chosen.operation is not None:
                    page.op_id = chosen.operation.id
                group_pages.append(page)
        if len(group_pages) > 1 and kind == "api" and group_pages[0].op_id is not None:
            used = {name for v, name in taken if v == version}
            diagnostics += settle_ids(group_pages, version, key, bases, used)
            taken |= {(version, name) for name in used}
        pages.extend(group_pages)
    pages.sort(key=lambda p: (p.version or "", p.kind, p.key, p.name, _file_name(p.record)))
    types = {r.type.name.casefold() for r in records if r.type is not None}
    diagnostics += match_versions(pages, types)
    return pages, diagnostics
