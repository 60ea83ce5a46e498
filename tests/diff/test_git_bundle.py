"""Acceptance on the communications docs repository (three revisions in a git bundle): the
changes from r2021-02 to r2021-08, each checked by reading both revisions of the page
(``git show r2021-02:api-reference/v1.0/api/call-transfer.md`` line 52 is the
``clientContext`` row, gone in r2021-08; ``call-answer.md`` line 54 of r2021-08 is the new
``participantCapacity`` row; beta ``onlinemeeting.md`` line 44 of r2021-08 reads
``autoAdmittedUsers (deprecated)``, line 37 of r2021-02 had no such mark)."""

from __future__ import annotations

import subprocess

import pytest
from conftest import SHARED_CORPUS

from extractor.engine.comparison import compare
from extractor.schema import Change

pytestmark = pytest.mark.slow
BUNDLE = SHARED_CORPUS / "git" / "communications.bundle"


@pytest.fixture(scope="module")
def changes(tmp_path_factory: pytest.TempPathFactory) -> list[Change]:
    if not BUNDLE.is_file():
        pytest.skip(f"{BUNDLE} not present")
    clone = tmp_path_factory.mktemp("bundle") / "comm"
    subprocess.run(["git", "clone", "-q", str(BUNDLE), str(clone)], check=True)
    cache = tmp_path_factory.mktemp("cache")
    found = compare([f"{clone}@r2021-02"], [f"{clone}@r2021-08"], cache_dir=cache, jobs=2)
    assert found.revisions is not None and found.revisions["old"].revision == "r2021-02"
    return found.report.changes


def at(
    changes: list[Change], *location: str
) -> list[tuple[str, str, str | None, int | None, str | None, int | None]]:
    return [
        (
            c.rule,
            c.severity,
            c.old.path if c.old else None,
            c.old.line if c.old else None,
            c.new.path if c.new else None,
            c.new.line if c.new else None,
        )
        for c in changes
        if tuple(c.location) == location
    ]


def test_call_answer_gains_participant_capacity(changes: list[Change]) -> None:
    assert at(changes, "operations", "call.answer", "parameters", "participantCapacity") == [
        (
            "parameter-added",
            "non-breaking",
            "r2021-02:api-reference/v1.0/api/call-answer.md",
            15,
            "r2021-08:api-reference/v1.0/api/call-answer.md",
            54,
        )
    ]


def test_call_transfer_loses_client_context(changes: list[Change]) -> None:
    assert at(changes, "operations", "call.transfer", "parameters", "clientContext") == [
        (
            "parameter-removed",
            "breaking",
            "r2021-02:api-reference/v1.0/api/call-transfer.md",
            52,
            "r2021-08:api-reference/v1.0/api/call-transfer.md",
            15,
        )
    ]


def test_auto_admitted_users_deprecated(changes: list[Change]) -> None:
    location = ("types", "microsoft.graph.onlineMeeting", "properties", "autoAdmittedUsers")
    assert at(changes, *location) == [
        (
            "property-deprecated",
            "deprecation",
            "r2021-02:api-reference/beta/resources/onlinemeeting.md",
            37,
            "r2021-08:api-reference/beta/resources/onlinemeeting.md",
            44,
        )
    ]


def test_every_change_has_pages_and_a_fingerprint(changes: list[Change]) -> None:
    assert changes
    for change in changes:
        assert change.fingerprint and len(change.fingerprint) == 16
        assert change.old is not None or change.new is not None
