"""Two specs compared, or two API versions within one: what ``extractor diff`` and
``extractor.api.diff`` run, each side a ``spec.json``, pages to read, or a spec in memory."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from extractor.engine.inputs import load_spec
from extractor.engine.progress import ProgressBar, no_progress
from extractor.schema import DiffReport, UnifiedSpec

__all__ = ["DiffFormat", "FailOn", "Source", "SpecDiff", "compare"]

#: A spec in memory, or paths: one ``spec.json``, or pages and folders of pages.
Source = UnifiedSpec | Sequence[str | Path]
DiffFormat = Literal["md", "json", "html"]
FailOn = Literal["breaking", "any"]


@dataclass
class SpecDiff:
    """The changes found, with the report's title and the spec whose availability matrix
    the HTML report shows (the newer one)."""

    report: DiffReport
    title: str
    spec: UnifiedSpec

    def render(self, output_format: DiffFormat = "md") -> str:
        """The report as Markdown, JSON or a standalone HTML page."""
        from extractor import diff as diffing

        if output_format == "json":
            return diffing.render_diff_json(self.report)
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
) -> SpecDiff:
    """Changes from ``old`` to ``new``; with ``versions``, from one version to the other
    within ``old`` alone."""
    from extractor import diff as diffing

    def spec_of(source: Source) -> UnifiedSpec:
        if isinstance(source, UnifiedSpec):
            return source
        return load_spec(source, jobs, cache_dir, progress)

    if versions is not None:
        spec = spec_of(old)
        report = diffing.diff_versions(
            spec, versions[0], versions[1], include_descriptions=include_descriptions
        )
        return SpecDiff(report, f"{versions[0]} → {versions[1]}", spec)
    if new is None:
        raise TypeError("compare() needs NEW, or versions")
    before, after = spec_of(old), spec_of(new)
    report = diffing.diff_specs(before, after, include_descriptions=include_descriptions)
    return SpecDiff(report, f"{_name(old, 'old')} → {_name(new, 'new')}", after)


def _name(source: Source, otherwise: str) -> str:
    if isinstance(source, UnifiedSpec):
        return otherwise
    return " ".join(str(path) for path in source)
