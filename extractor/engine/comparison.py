"""Two specs compared, or two API versions within one: what ``extractor diff`` and
``extractor.api.diff`` run, each side a ``spec.json``, pages to read, or a spec in memory."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from extractor.engine.inputs import ExtractorError, discover_pages, load_spec, read_records
from extractor.engine.progress import ProgressBar, no_progress
from extractor.schema import DiffReport, SpecRevision, UnifiedSpec

if TYPE_CHECKING:
    from extractor.diff.places import PageLines
    from extractor.engine.gitpages import Revision

__all__ = ["DiffFormat", "FailOn", "Source", "SpecDiff", "compare"]

#: A spec in memory, or paths: one ``spec.json``, or pages and folders of pages.
Source = UnifiedSpec | Sequence[str | Path]
DiffFormat = Literal["md", "json", "html", "github", "junit"]
FailOn = Literal["breaking", "any"]


@dataclass
class SpecDiff:
    """The changes found, with the report's title and the spec whose availability matrix
    the HTML report shows (the newer one)."""

    report: DiffReport
    title: str
    spec: UnifiedSpec
    #: changes an ignore file accepted (``select``): not in ``report``
    ignored: int = 0
    #: the git revisions of the old and the new side, when read from git
    revisions: dict[str, SpecRevision] | None = None

    def select(
        self,
        severities: Sequence[str] = (),
        rules: Sequence[str] = (),
        ignore_file: Path | None = None,
    ) -> SpecDiff:
        """The diff with only the changes of these severities and rules (``*`` patterns),
        less those the ignore file accepts (``extractor.diff.filters``)."""
        from extractor.diff.filters import IgnoreFileError, parse_ignore_file, select

        try:
            entries = parse_ignore_file(ignore_file) if ignore_file is not None else []
        except IgnoreFileError as error:
            raise ExtractorError(str(error)) from error
        kept, ignored = select(self.report.changes, severities, rules, entries)
        return SpecDiff(
            DiffReport(changes=kept), self.title, self.spec, len(ignored), self.revisions
        )

    def render(self, output_format: DiffFormat = "md", fail_on: FailOn = "breaking") -> str:
        """The report as Markdown, JSON, a standalone HTML page, GitHub Actions workflow
        commands or JUnit XML (where ``fail_on`` says which changes fail)."""
        from extractor import diff as diffing
        from extractor.diff import ci

        if output_format == "github":
            return ci.render_github(self.report.changes)
        if output_format == "junit":
            return ci.render_junit(self.report.changes, self.title, fail_on)
        if output_format == "json":
            revisions = {
                side: revision.model_dump(mode="json", by_alias=True)
                for side, revision in (self.revisions or {}).items()
            }
            return diffing.render_diff_json(self.report, revisions or None)
        if output_format == "html":
            matrix = diffing.availability_matrix(self.spec)
            return diffing.render_diff_html(self.report, self.title, matrix)
        return diffing.render_diff_markdown(self.report, self.title)

    def fails(self, fail_on: FailOn) -> bool:
        """Whether a change of this severity (``breaking``), or ``any`` change, was found."""
        from extractor import diff as diffing

        return diffing.has_failures(self.report, fail_on)


def compare(
    old: Source,
    new: Source | None = None,
    *,
    versions: tuple[str, str] | None = None,
    include_descriptions: bool = False,
    jobs: int | None = None,
    cache_dir: Path | None = None,
    progress: ProgressBar = no_progress,
    subpath: str = "",
) -> SpecDiff:
    """Changes from ``old`` to ``new``; with ``versions``, from one version to the other
    within ``old`` alone. A side may name a git revision, ``REPO@REV`` (``subpath`` then
    limits the pages to a folder); each change is placed on its pages where they were read."""
    from extractor import diff as diffing
    from extractor.diff.places import Locator, locate

    sides = [s for s in (old, new) if s is not None]
    loaded = _load_all(sides, jobs, cache_dir, progress, subpath)
    if versions is not None:
        spec, _lines = loaded[0]
        report = diffing.diff_versions(
            spec, versions[0], versions[1], include_descriptions=include_descriptions
        )
        # not placed on pages: the report stays the build's diff/v1.0-beta.json, byte for byte
        return SpecDiff(report, f"{versions[0]} → {versions[1]}", spec)
    if new is None:
        raise TypeError("compare() needs NEW, or versions")
    (before, old_lines), (after, new_lines) = loaded
    report = diffing.diff_specs(before, after, include_descriptions=include_descriptions)
    locate(
        report.changes,
        Locator(before, old_lines or {}, _prefix(before)),
        Locator(after, new_lines or {}, _prefix(after)),
    )
    title = f"{_name(old, before, 'old')} → {_name(new, after, 'new')}"
    revisions = {
        side: spec.revisions[0]
        for side, spec in (("old", before), ("new", after))
        if spec.revisions
    }
    return SpecDiff(report, title, after, revisions=revisions or None)


Loaded = tuple[UnifiedSpec, "dict[str, PageLines] | None"]


def _load_all(
    sources: Sequence[Source],
    jobs: int | None,
    cache_dir: Path | None,
    progress: ProgressBar,
    subpath: str,
) -> list[Loaded]:
    """Each side's spec, and its pages' lines when pages were read. Git revisions are read
    together, so a page two revisions share is read once."""
    from extractor.diff.places import page_lines
    from extractor.engine.gitpages import GitSourceError, parse_git_source, read_git_records
    from extractor.reconcile import reconcile

    found: dict[int, Loaded] = {}
    git = {}
    for number, source in enumerate(sources):
        if isinstance(source, UnifiedSpec):
            found[number] = (source, None)
            continue
        named = parse_git_source(str(source[0]), subpath) if len(source) == 1 else None
        if named is not None:
            git[number] = named
        elif len(source) == 1 and str(source[0]).endswith(".json") and Path(source[0]).is_file():
            found[number] = (load_spec(source, jobs, cache_dir, progress), None)
        else:
            records = read_records(discover_pages(source), jobs, cache_dir, progress).records
            found[number] = (reconcile(records).spec, page_lines(records))
    if git:
        try:
            with progress(0, "reading revisions") as tick:
                read = read_git_records(list(git.values()), jobs, cache_dir, tick)
        except GitSourceError as error:
            raise ExtractorError(str(error)) from error
        for number, spec, lines in _reconciled(read):
            found[list(git)[number]] = (spec, lines)
    return [found[number] for number in range(len(sources))]


def _reconciled(read: Sequence[Revision]) -> list[tuple[int, UnifiedSpec, dict[str, PageLines]]]:
    """Each revision's spec. A revision with the pages of the one before (same paths) is
    the one before's reconciliation updated with the pages whose blob differs, when their
    changes stay within their pages (``Reconciliation.update``); else reconciled whole."""
    from extractor.diff.places import page_lines
    from extractor.reconcile import reconciliation
    from extractor.reconcile.update import skeleton

    done: list[tuple[int, UnifiedSpec, dict[str, PageLines]]] = []
    previous = None
    for number, revision in enumerate(read):
        records = revision.records
        parts = None
        if previous is not None and [r.source.path for r in previous[0].records] == [
            r.source.path for r in records
        ]:
            before, old_parts = previous
            changed = [
                (old, new)
                for old, new in zip(before.records, records, strict=True)
                if old is not new
            ]
            inferred = old_parts.inferred_keys()
            skeletons = {old.source.path: skeleton(old, inferred) for old, _ in changed}
            by_path = {r.source.path: r for r in records}
            parts = old_parts.update([new for _, new in changed], skeletons, by_path.__getitem__)
        if parts is None:
            parts = reconciliation(records)
        spec = parts.result().spec
        spec.revisions = [revision.revision]
        done.append((number, spec, page_lines(records)))
        previous = (revision, parts)
    return done


def _prefix(spec: UnifiedSpec) -> str:
    """Pages read from git are named ``REV:path``, as ``git show`` takes them."""
    return f"{spec.revisions[0].revision}:" if spec.revisions else ""


def _name(source: Source, spec: UnifiedSpec, otherwise: str) -> str:
    if spec.revisions:
        rev = spec.revisions[0]
        below = f" {rev.subpath}" if rev.subpath else ""
        return f"{rev.repository}@{rev.revision} ({rev.commit[:12]}){below}"
    if isinstance(source, UnifiedSpec):
        return otherwise
    return " ".join(str(path) for path in source)
