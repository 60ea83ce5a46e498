"""Docs revision diff: zh-CN communications pages of 2021-02 against the same pages of 2021-08.

Every change asserted here was checked by reading both revisions of the page:
- call-answer.md (v1.0 and beta) gained the `participantCapacity` request-body row;
- call-transfer.md lost its `clientContext` row (it survives only in the examples' JSON);
- audioconferencing.md renamed `ConferenceId` to `conferenceId`;
- beta onlinemeeting.md gained `allowMeetingChat` (type meetingChatMode);
- beta callrecords-pstncalllogrow.md gained `callDurationSource`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SHARED_CORPUS, need_corpus

from extractor.diff import diff_specs, render_diff_markdown
from extractor.read.pages import build_record
from extractor.reconcile import reconcile
from extractor.render.specjson import dump_spec
from extractor.schema import UnifiedSpec

pytestmark = pytest.mark.slow
OLD_ROOT = SHARED_CORPUS / "samples" / "zh-CN-communications-2021-02"


def spec_of(files: list[Path]) -> UnifiedSpec:
    return reconcile([build_record(p.as_posix(), p.read_bytes()) for p in files]).spec


@pytest.fixture(scope="module")
def specs() -> tuple[UnifiedSpec, UnifiedSpec]:
    need_corpus()
    old = sorted(OLD_ROOT.rglob("*.md"))
    new = [SHARED_CORPUS / "zh-CN" / p.relative_to(OLD_ROOT) for p in old]
    return spec_of(old), spec_of(new)


def test_changelog_holds_the_verified_changes(specs: tuple[UnifiedSpec, UnifiedSpec]) -> None:
    report = diff_specs(*specs)
    found = {(c.rule, "/".join(c.location)) for c in report.changes}
    assert ("parameter-added", "operations/call.answer/parameters/participantCapacity") in found
    assert ("parameter-removed", "operations/call.transfer/parameters/clientContext") in found
    assert (
        "property-renamed-case",
        "types/microsoft.graph.audioConferencing/properties/conferenceId",
    ) in found
    assert (
        "property-added",
        "types/microsoft.graph.onlineMeeting/properties/allowMeetingChat",
    ) in found
    assert (
        "property-added",
        "types/microsoft.graph.callRecords.pstnCallLogRow/properties/callDurationSource",
    ) in found
    renamed = [c for c in report.changes if c.rule == "property-renamed-case"]
    assert [c.severity for c in renamed] == ["breaking"]
    # a case rename is one change, never an add plus a remove
    assert not any(
        c.location[-1] in ("ConferenceId", "conferenceId") and c.rule != "property-renamed-case"
        for c in report.changes
    )
    markdown = render_diff_markdown(report, "2021-02 → 2021-08")
    for name in ("participantCapacity", "clientContext", "conferenceId", "allowMeetingChat"):
        assert name in markdown


def test_cli_diff_of_two_spec_files(specs: tuple[UnifiedSpec, UnifiedSpec], tmp_path: Path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(dump_spec(specs[0]), encoding="utf-8")
    new.write_text(dump_spec(specs[1]), encoding="utf-8")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "extractor",
            "diff",
            str(old),
            str(new),
            "--format",
            "json",
            "--fail-on",
            "breaking",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1  # clientContext was removed: breaking
    changes = json.loads(run.stdout)["changes"]
    assert {"rule", "severity", "location", "message"} <= set(changes[0])
    same = subprocess.run(
        [sys.executable, "-m", "extractor", "diff", str(new), str(new), "--fail-on", "any"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert same.returncode == 0
