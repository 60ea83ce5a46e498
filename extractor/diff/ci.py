"""Reports for CI: GitHub Actions workflow commands and JUnit XML.

GitHub Actions turns ``::error file=F,line=L,title=T::message`` lines in a step's output into
annotations on the file; JUnit XML is what CI systems (Jenkins, GitLab, Azure, test report
actions) show as test results. A breaking change is an error (a failed test case), a
deprecation a warning, others a notice (a passing case). A page read from git is named by its
path in the repository, which is where the annotation belongs.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from extractor.diff.changes import sort_changes
from extractor.schema import Change, Place

_LEVEL = {"breaking": "error", "deprecation": "warning"}


def _file(place: Place | None) -> str | None:
    if place is None:
        return None
    return place.path.split(":", 1)[1] if ":" in place.path else place.path


def _data(text: str) -> str:
    """A workflow command's message: ``%``, CR and LF escaped."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A workflow command's property value: also ``:`` and ``,``."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(changes: Sequence[Change]) -> str:
    """One workflow command per change, on the new page (the old one for a removal)."""
    lines = []
    for change in sort_changes(changes):
        level = _LEVEL.get(change.severity, "notice")
        place = change.new if change.new is not None and change.new.line else change.old
        props = []
        path = _file(place)
        if path:
            props.append(f"file={_property(path)}")
            if place is not None and place.line is not None:
                props.append(f"line={place.line}")
        props.append(f"title={_property(f'{change.rule} ({change.severity})')}")
        where = "/".join(change.location)
        lines.append(f"::{level} {','.join(props)}::{_data(f'{where}: {change.message}')}")
    return "".join(f"{line}\n" for line in lines)


def render_junit(changes: Sequence[Change], title: str, fail_on: str = "breaking") -> str:
    """A test suite with one case per change; breaking changes (any, with ``fail_on="any"``)
    fail, with the rule as the failure's type and the pages in its text."""
    ordered = sort_changes(changes)
    failed = [c for c in ordered if fail_on == "any" or c.severity == "breaking"]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name={quoteattr("extractor diff")} tests="{len(ordered)}"'
        f' failures="{len(failed)}" errors="0">',
        f'  <testsuite name={quoteattr(title)} tests="{len(ordered)}"'
        f' failures="{len(failed)}" errors="0" skipped="0">',
    ]
    failing = {id(c) for c in failed}
    for change in ordered:
        classname = ".".join(change.location[:2])
        name = f"{change.rule} {'/'.join(change.location[2:])}".strip()
        head = f"    <testcase classname={quoteattr(classname)} name={quoteattr(name)}"
        if id(change) not in failing:
            out.append(f"{head}>")
            out.append(f"      <system-out>{escape(_details(change))}</system-out>")
            out.append("    </testcase>")
            continue
        out.append(f"{head}>")
        out.append(
            f"      <failure message={quoteattr(change.message)}"
            f" type={quoteattr(change.rule)}>{escape(_details(change))}</failure>"
        )
        out.append("    </testcase>")
    out += ["  </testsuite>", "</testsuites>", ""]
    return "\n".join(out)


def _details(change: Change) -> str:
    lines = [f"{change.severity}: {change.message}"]
    for side, place in (("old", change.old), ("new", change.new)):
        if place is not None:
            at = f":{place.line}" if place.line is not None else ""
            lines.append(f"{side}: {place.path}{at}")
    if change.fingerprint:
        lines.append(f"fingerprint: {change.fingerprint}")
    return "\n".join(lines)
