"""``diagnostics.sarif`` is SARIF 2.1.0 that code scanning can place: every result names a page
that exists (relative to where the build ran) and a line inside it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from sarif_pydantic import Level, Sarif

from extractor import rules
from extractor.render.diagnostics import diagnostics_sarif
from extractor.schema import Diagnostic, PageRecord

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
ZH_CN = CORPUS / "zh-CN" / "api-reference"
REAL_PAGES = [  # pages with warnings and infos of many rules, in both versions
    "v1.0/api/call-redirect.md",
    "beta/api/call-redirect.md",
    "beta/api/call-transfer.md",
    "v1.0/resources/call.md",
    "beta/resources/call.md",
    "v1.0/api/user-list.md",
    "beta/api/driveitem-createuploadsession.md",
]


def located(log: Sarif, base: Path) -> list[tuple[Path, int | None, str, str]]:
    """(file, line, rule, level) of every result, the file resolved as a consumer would."""
    found = []
    for run in log.runs:
        for result in run.results or []:
            assert result.locations and len(result.locations) == 1
            physical = result.locations[0].physical_location
            assert physical is not None and physical.artifact_location is not None
            uri = physical.artifact_location.uri
            assert uri is not None
            if physical.artifact_location.uri_base_id is None:
                parsed = urlparse(uri)
                assert parsed.scheme == "file"
                target = Path(unquote(parsed.path))
            else:
                assert physical.artifact_location.uri_base_id == "SRCROOT"
                assert "://" not in uri and " " not in uri
                target = base / unquote(uri)
            line = physical.region.start_line if physical.region else None
            found.append((target, line, result.rule_id or "", str(result.level.value)))
    return found


def assert_points_into_real_files(log: Sarif, base: Path) -> None:
    for target, line, rule, _ in located(log, base):
        assert target.is_file(), (rule, target)
        if line is not None:
            count = len(target.read_bytes().replace(b"\r\n", b"\n").split(b"\n"))
            assert 1 <= line <= count, (rule, target, line, count)


def test_diagnostics_sarif_round_trips_through_sarif_pydantic(tmp_path: Path) -> None:
    pages = tmp_path / "docs"
    pages.mkdir()
    (pages / "a b.md").write_text("# one\ntwo\nthree\n")
    (pages / "调用.md").write_text("# one\n")
    absolute = tmp_path / "elsewhere.md"
    absolute.write_text("x\n")
    diagnostics = [
        Diagnostic(rule="no-title", severity="warning", path="docs/a b.md", message="no H1"),
        Diagnostic(rule="type-cell", severity="info", path="docs/a b.md", line=3, message="m"),
        Diagnostic(rule="unreadable", severity="error", path="docs/调用.md", line=1, message="e"),
        Diagnostic(rule="no-title", severity="warning", path=str(absolute), line=1, message="n"),
    ]
    text = diagnostics_sarif(diagnostics)
    data = json.loads(text)
    assert data["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert data["version"] == "2.1.0"
    log = Sarif.model_validate_json(text)
    assert log.version == "2.1.0"
    [run] = log.runs
    assert run.tool.driver.name == "extractor"
    assert [rule.id for rule in run.tool.driver.rules or []] == [
        "no-title",
        "type-cell",
        "unreadable",
    ]
    results = run.results or []
    assert [(r.rule_id, r.rule_index, r.level) for r in results] == [  # sorted by path, line
        ("no-title", 0, Level.WARNING),
        ("no-title", 0, Level.WARNING),
        ("type-cell", 1, Level.NOTE),
        ("unreadable", 2, Level.ERROR),
    ]
    uris = [r.locations[0].physical_location.artifact_location.uri for r in results]  # type: ignore[index,union-attr]
    assert uris == [
        "file://" + str(absolute),
        "docs/a%20b.md",
        "docs/a%20b.md",
        "docs/%E8%B0%83%E7%94%A8.md",
    ]
    assert [line for _, line, _, _ in located(log, tmp_path)] == [1, None, 3, 1]
    assert_points_into_real_files(log, tmp_path)


def test_rule_descriptors_carry_the_registrys_help() -> None:
    diagnostics = [
        Diagnostic(rule="no-title", severity="warning", path="a.md", message="no H1"),
        Diagnostic(rule="not-registered", severity="info", path="a.md", message="m"),
    ]
    log = Sarif.model_validate_json(diagnostics_sarif(diagnostics))
    known, unknown = log.runs[0].tool.driver.rules or []
    registered = rules.rule("no-title")
    assert known.short_description is not None and known.full_description is not None
    assert known.short_description.text == registered.summary
    assert known.full_description.text == registered.help
    assert known.help is not None and known.help.text and known.help.markdown
    assert registered.example in known.help.text and registered.example in known.help.markdown
    assert (unknown.id, unknown.full_description, unknown.help) == ("not-registered", None, None)


def test_no_diagnostics_is_still_a_valid_log() -> None:
    log = Sarif.model_validate_json(diagnostics_sarif([]))
    assert (log.version, len(log.runs), log.runs[0].results) == ("2.1.0", 1, [])


@pytest.mark.slow
def test_a_real_build_writes_sarif_that_points_at_the_pages(tmp_path: Path) -> None:
    if not ZH_CN.is_dir():
        pytest.skip("the real corpus (../shared/corpus) is not here")
    for relative in REAL_PAGES:
        target = tmp_path / "docs" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ZH_CN / relative, target)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / ".cache")}
    done = subprocess.run(
        [sys.executable, "-m", "extractor", "build", "docs", "-o", "out", "--no-cache"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "out" / "diagnostics.sarif").read_text(encoding="utf-8")
    log = Sarif.model_validate_json(text)
    assert log.version == "2.1.0"
    found = located(log, tmp_path)
    assert_points_into_real_files(log, tmp_path)
    # The same findings as diagnostics.json, one result each, in the same order.
    listed = json.loads((tmp_path / "out" / "diagnostics.json").read_text())["diagnostics"]
    assert [(tmp_path / d["path"], d["line"], d["rule"]) for d in listed] == [
        (target, line, rule) for target, line, rule, _ in found
    ]
    assert len(found) >= 10
    assert any(line is not None for _, line, _, _ in found)
    assert {level for _, _, _, level in found} <= {"error", "warning", "note"}


@pytest.mark.slow
def test_every_finding_on_the_zh_cn_corpus_is_placeable(zh_cn_records: list[PageRecord]) -> None:
    """Every finding on 11,214 pages: a page that exists and a line inside it."""
    diagnostics = [d for record in zh_cn_records for d in record.diagnostics]
    log = Sarif.model_validate_json(diagnostics_sarif(diagnostics))
    assert_points_into_real_files(log, Path.cwd())
    assert len(log.runs[0].results or []) == len({d.model_dump_json() for d in diagnostics})
    assert len(zh_cn_records) == 11_214
