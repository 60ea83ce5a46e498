"""The seeds through the whole pipeline: spec, diff, fixtures, models (issues 4, 5 and 6)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SEEDS

from extractor.diff import diff_versions
from extractor.reconcile import reconcile
from extractor.schema import BuildResult, PageRecord, SpecOperation


@pytest.fixture(scope="module")
def result(seeds: dict[str, PageRecord]) -> BuildResult:
    return reconcile(seeds.values())


def operation(result: BuildResult, op_id: str) -> SpecOperation:
    return next(op for op in result.spec.operations if op.id == op_id)


def test_redirect_versions_parameters_and_paths(result: BuildResult) -> None:
    redirect = operation(result, "call.redirect")
    assert redirect.versions == ["beta", "v1.0"]
    params = {p.name: (p.versions, p.deprecated) for p in redirect.parameters}
    assert params == {
        "targets": (["beta", "v1.0"], False),
        "timeout": (["beta", "v1.0"], False),
        "callbackUri": (["beta", "v1.0"], False),
        "maskCallee": (["beta"], False),
        "maskCaller": (["beta"], False),
        "targetDisposition": (["beta"], True),
    }
    paths = {p.path: (p.versions, p.deprecated) for p in redirect.paths}
    assert paths == {
        "/communications/calls/{call-id}/redirect": (["beta", "v1.0"], False),
        "/app/calls/{call-id}/redirect": (["beta"], True),
    }
    assert redirect.binding_type == "microsoft.graph.call"
    assert redirect.response.status == 202
    # both versions ask for the same scope: one set, in both
    assert [(s.application, s.versions) for s in redirect.permission_sets] == [
        (["Calls.Initiate.All"], ["beta", "v1.0"])
    ]


def test_older_ru_copy_loses_to_the_newer_zh_copy(result: BuildResult) -> None:
    redirect = operation(result, "call.redirect")
    v1_sources = [s for s in redirect.sources if s.version == "v1.0"]
    assert [(s.locale, Path(s.path).name) for s in v1_sources] == [
        ("zh-CN", "000_0cb95b7642379844.txt")
    ]
    conflict = [d for d in result.diagnostics if d.rule == "page-version-conflict"]
    assert len(conflict) == 1
    assert "002_23f97dc4af16424e" in conflict[0].path
    assert "000_0cb95b7642379844" in conflict[0].message


def test_transfer_beta_only_and_create_call_v1(result: BuildResult) -> None:
    assert operation(result, "call.transfer").versions == ["beta"]
    create = [op for op in result.spec.operations if op.kind == "create"]
    assert [(op.versions, op.method, op.response.type) for op in create] == [
        (["v1.0"], "POST", "microsoft.graph.call")
    ]


def test_version_diff_of_redirect(result: BuildResult) -> None:
    report = diff_versions(result.spec, "v1.0", "beta")
    redirect = {
        (c.rule, c.location[-1])
        for c in report.changes
        if c.location[:2] == ["operations", "call.redirect"]
    }
    assert ("parameter-added", "maskCallee") in redirect
    assert ("parameter-added", "maskCaller") in redirect
    assert ("parameter-added", "targetDisposition") in redirect
    assert ("parameter-deprecated", "targetDisposition") in redirect
    assert ("path-added", "/app/calls/{call-id}/redirect") in redirect
    assert ("path-deprecated", "/app/calls/{call-id}/redirect") in redirect
    assert not {name for _, name in redirect} & {"targets", "timeout", "callbackUri"}
    transfer = [c for c in report.changes if c.location == ["operations", "call.transfer"]]
    assert [c.rule for c in transfer] == ["operation-added"]


def test_every_seed_example_is_a_fixture(result: BuildResult, seeds: dict[str, PageRecord]) -> None:
    winners = [r for key, r in seeds.items() if key != "ru_redirect_2019"]
    expected = sum(len(r.examples) for r in winners)
    assert expected == 12 + 12 + 24 + 18
    assert len(result.fixtures) == expected
    assert len({f.id for f in result.fixtures}) == expected


def build(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "extractor", "build", "-o", str(out), "--no-cache", *extra],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_build_is_byte_identical_and_check_detects_staleness(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert build(first).returncode == 0
    assert build(second).returncode == 0
    assert tree(first) == tree(second)
    assert build(first, "--check").returncode == 0
    (first / "spec.json").write_text("{}", encoding="utf-8")
    stale = build(first, "--check")
    assert stale.returncode == 1
    assert "spec.json" in stale.stderr


def test_beta_only_fields_only_in_beta_models(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(out).returncode == 0
    beta = "\n".join(p.read_text() for p in (out / "models" / "beta").rglob("*.py"))
    v1 = "\n".join(p.read_text() for p in (out / "models" / "v1_0").rglob("*.py"))
    for field in ("mask_callee", "mask_caller", "target_disposition"):
        assert field in beta
        assert field not in v1
    index = json.loads((out / "fixtures" / "index.json").read_text())
    entries = index if isinstance(index, list) else index["fixtures"]
    assert len(entries) == len(list((out / "fixtures").glob("*/*/*.json")))


def test_cli_version_diff_of_the_committed_spec() -> None:
    def diff(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "extractor", "diff", "--versions", "v1.0", "beta", *args],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )

    as_json = diff("output/spec.json", "--format", "json")
    assert as_json.returncode == 0
    rules = {(c["rule"], c["location"][-1]) for c in json.loads(as_json.stdout)["changes"]}
    assert ("parameter-added", "maskCallee") in rules
    assert diff("output/spec.json", "--fail-on", "any").returncode == 1
    # the seeds' create-call page is v1.0 only: beta "removes" it, which is breaking
    breaking = {
        c["rule"] for c in json.loads(as_json.stdout)["changes"] if c["severity"] == "breaking"
    }
    assert breaking == {"operation-removed"}
    assert diff("output/spec.json", "--fail-on", "breaking").returncode == 1
    html = diff("output/spec.json", "--format", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and 'id="matrix"' in html
    from_pages = diff("corpus", "--format", "md")
    assert from_pages.returncode == 0 and "maskCallee" in from_pages.stdout


def test_changing_one_page_changes_only_the_files_that_depend_on_it(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for seed in sorted(SEEDS.iterdir()):
        (pages / seed.name).write_bytes(seed.read_bytes())

    def build_pages(out: Path) -> dict[str, bytes]:
        run = subprocess.run(
            [sys.executable, "-m", "extractor", "build", "pages", "-o", out.name, "--no-cache"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 0, run.stderr
        return tree(out)

    before = build_pages(tmp_path / "before")
    transfer = pages / "003_9aae2b038558e1dd.txt"  # beta call: transfer
    text = transfer.read_text(encoding="utf-8")
    transfer.write_text(text.replace("Transfer an active peer-to-peer call.", "Transfer a call."))
    after = build_pages(tmp_path / "after")
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert "spec.json" in changed
    assert "models/beta/operations.py" in changed  # the docstring of CallTransferRequest
    # nothing of v1.0 depends on a beta page, nor does any other page's fixture
    assert not [path for path in changed if "v1_0" in path or "v1.0" in path]
    assert not [
        path
        for path in changed
        if path.startswith("fixtures/")
        and "call-transfer" not in path
        and path != "fixtures/index.json"
    ]
