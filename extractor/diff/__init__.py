"""Changes between two unified specs, or between two versions of one spec, and their reports.

Every change carries a stable rule id (``parameter-added``), a severity a CI job can fail on,
a location users' scripts can match (``["operations", "call.redirect", "parameters", "x"]``)
and a message for humans. Design decisions worth knowing:

* An item added already deprecated gives two changes at the same location: ``<kind>-added``
  (non-breaking, message ends in "(deprecated)") and ``<kind>-deprecated`` (deprecation), so
  both are found by rule in the JSON output.
* Removing something that was deprecated in the old spec is ``info``, not ``breaking``.
* A name that changed only in case (``ConferenceId`` -> ``conferenceId``) is ONE change,
  ``<kind>-renamed-case``, and the pair is then compared like any matched item.
* Paths match ignoring case, placeholder names (``{id}`` vs ``{call-id}``), a
  ``https://graph.microsoft.com/<version>`` origin and a trailing slash; a spelling
  difference is ``path-changed`` (info), as Graph resolves both.
* ``Edm.String`` documented as an enum (or back) is ``<kind>-type-changed`` with severity
  info: the JSON on the wire is the same.
* An unknown side (type, status, method or value ``None``) never makes a change: it means
  the page did not say, not that the API changed.
* Items present in both specs whose ``versions`` differ give ``version-added`` /
  ``version-removed``, counted only over versions both specs know about (so the projected
  views of ``diff_versions`` never produce them).
"""

from extractor.diff.changes import SEVERITIES, ChangeSeverity, sort_changes
from extractor.diff.compare import diff_specs, diff_versions, has_failures
from extractor.diff.project import project_version
from extractor.diff.report import (
    SECTIONS,
    VERSION_DIFF_STEM,
    AvailabilityMatrix,
    AvailabilityRow,
    availability_matrix,
    diff_json_schema,
    render_diff_html,
    render_diff_json,
    render_diff_markdown,
    render_version_diff,
    summarize,
)

__all__ = [
    "SECTIONS",
    "SEVERITIES",
    "VERSION_DIFF_STEM",
    "AvailabilityMatrix",
    "AvailabilityRow",
    "ChangeSeverity",
    "availability_matrix",
    "diff_json_schema",
    "diff_specs",
    "diff_versions",
    "has_failures",
    "project_version",
    "render_diff_html",
    "render_diff_json",
    "render_diff_markdown",
    "render_version_diff",
    "sort_changes",
    "summarize",
]
