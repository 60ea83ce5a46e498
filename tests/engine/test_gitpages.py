"""Pages read from git objects: revisions diffed without a checkout, records cached by blob,
the outputs CI reads (GitHub Actions annotations, JUnit XML read by junitparser)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import main
from extractor.engine import gitpages
from extractor.engine.comparison import compare
from extractor.engine.gitpages import GitPages, list_pages, parse_git_source, read_git_records

SEED = Path(__file__).resolve().parents[2] / "corpus" / "003_9aae2b038558e1dd.txt"
PAGE = "api-reference/beta/api/call-transfer.md"


def git(repo: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Two revisions of call-transfer.md: ``one`` as seeded, ``two`` without ``clientContext``."""
    root = tmp_path / "docs"
    (root / "api-reference/beta/api").mkdir(parents=True)
    text = SEED.read_text(encoding="utf-8")
    (root / PAGE).write_text(text, encoding="utf-8")
    (root / "notes.txt.bin").write_text("not a page", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "one")
    git(root, "tag", "one")
    lines = [line for line in text.splitlines(keepends=True) if "bb142-142" not in line]
    (root / PAGE).write_text("".join(lines), encoding="utf-8")
    git(root, "commit", "-qam", "two")
    git(root, "tag", "two")
    (root / PAGE).write_text("dirty work tree: never read", encoding="utf-8")
    return root


def test_revisions_are_read_from_objects_and_placed_on_their_lines(
    repo: Path, tmp_path: Path
) -> None:
    found = compare([f"{repo}@one"], [f"{repo}@two"], cache_dir=tmp_path / "cache", jobs=1)
    (change,) = [c for c in found.report.changes if c.location[-1] == "clientContext"]
    assert (change.rule, change.severity) == ("parameter-removed", "breaking")
    assert change.old is not None and change.old.path == f"one:{PAGE}" and change.old.line == 56
    assert change.new is not None and change.new.path == f"two:{PAGE}"
    assert found.revisions is not None
    assert found.revisions["new"].commit == git(repo, "rev-parse", "two").strip()
    assert found.spec.revisions[0].revision == "two"


def test_a_second_diff_reads_only_the_changed_pages(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    read: list[list[str]] = []
    real = gitpages.read_blobs

    def counting(repository: str, blobs: list[str]) -> dict[str, bytes]:
        read.append(list(blobs))
        return real(repository, blobs)

    monkeypatch.setattr(gitpages, "read_blobs", counting)
    read_git_records([GitPages(str(repo), "one")], 1, cache)
    read_git_records([GitPages(str(repo), "one"), GitPages(str(repo), "two")], 1, cache)
    assert [len(blobs) for blobs in read] == [1, 1]  # the second read only two's page


def test_sources_subpaths_and_bad_revisions(repo: Path) -> None:
    assert parse_git_source(f"{repo}@one") == GitPages(str(repo), "one")
    assert parse_git_source("no/such/dir@one") is None
    assert [
        p
        for p, _ in list_pages(
            GitPages(str(repo), "one"), gitpages.resolve(GitPages(str(repo), "one"))
        )
    ] == [PAGE]
    with pytest.raises(gitpages.GitSourceError, match="no revision 'three'"):
        gitpages.resolve(GitPages(str(repo), "three"))
    result = CliRunner().invoke(main, ["diff", f"{repo}@one", f"{repo}@three"])
    assert result.exit_code == 2 and "no revision 'three'" in result.output
    result = CliRunner().invoke(main, ["diff", f"{repo}@one", f"{repo}@two", "api-reference/v1.0"])
    assert result.exit_code == 2 and "no pages below api-reference/v1.0" in result.output


def test_cli_range_filters_ignore_file_and_ci_outputs(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from junitparser import Failure, JUnitXml

    monkeypatch.chdir(repo)
    runner = CliRunner()
    args = ["diff", "one..two", "--no-cache", "-j", "1"]
    result = runner.invoke(main, [*args, "--format", "json", "--severity", "breaking"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [c["rule"] for c in report["changes"]] == ["parameter-removed"]
    assert report["revisions"]["old"]["revision"] == "one"
    fingerprint = report["changes"][0]["fingerprint"]

    github = runner.invoke(main, [*args, "--format", "github", "--rule", "parameter-*"]).output
    assert (
        github.startswith(f"::error file={PAGE},line=")
        and "title=parameter-removed (breaking)::" in github
    )

    out = tmp_path / "junit.xml"
    assert (
        runner.invoke(
            main, [*args, "--format", "junit", "-o", str(out), "--fail-on", "breaking"]
        ).exit_code
        == 1
    )
    suites = list(JUnitXml.fromfile(str(out)))
    cases = [case for suite in suites for case in suite]
    failed = [case for case in cases if any(isinstance(r, Failure) for r in case.result)]
    assert [case.name for case in failed] == ["parameter-removed parameters/clientContext"]
    assert failed[0].result[0].type == "parameter-removed"

    ignore = tmp_path / "ignore.txt"
    ignore.write_text(f"{fingerprint}  # removed on purpose\n", encoding="utf-8")
    result = runner.invoke(
        main, [*args, "--ignore", str(ignore), "--fail-on", "breaking", "--severity", "breaking"]
    )
    assert result.exit_code == 0 and "No changes." in result.output
    ignore.write_text("parameter-* operations/*/parameters/clientContext\n", encoding="utf-8")
    result = runner.invoke(main, [*args, "--ignore", str(ignore)])
    assert result.exit_code == 2 and "needs a reason" in result.output
