"""``extractor build --metadata`` and ``[tool.extractor] metadata``: the reports land in
``metadata/``, and nothing else of the output changes by a single byte."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_meta_cli import METADATA, SEEDS


def build(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cwd / ".cache"), "LC_ALL": "C"}
    return subprocess.run(
        [sys.executable, "-m", "extractor", "build", str(SEEDS), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("build")
    (folder / "v1.0-metadata.xml").write_text(METADATA, encoding="utf-8")
    (folder / "metadata.xml").write_text(METADATA, encoding="utf-8")
    return folder


REPORTS = {
    f"metadata/{v}.{ext}" for v in ("beta", "v1.0") for ext in ("md", "json", "sarif", "html")
}


def test_metadata_changes_no_other_output(workdir: Path) -> None:
    plain = build(workdir, "-o", "plain", "--no-cache")
    assert plain.returncode == 0, plain.stderr
    done = build(
        workdir,
        "-o",
        "checked",
        "--no-cache",
        "--metadata",
        "v1.0-metadata.xml",
        "--metadata",
        "beta=metadata.xml",
    )
    assert done.returncode == 0, done.stderr
    without, with_metadata = tree(workdir / "plain"), tree(workdir / "checked")
    assert set(with_metadata) - set(without) == REPORTS
    assert {name: with_metadata[name] for name in without} == without
    report = json.loads(with_metadata["metadata/v1.0.json"])
    assert report["summary"]["version"] == "v1.0"
    assert report["summary"]["metadata"] == "v1.0-metadata.xml"
    redirect = {f["element"][-1] for f in report["findings"] if f["element"][1] == "call.redirect"}
    assert redirect == {"routingPolicies"}  # from the v1.0 page's request example
    html = with_metadata["metadata/v1.0.html"].decode()
    assert "../../" in html  # links to the pages relative to the report


def test_the_project_names_the_files_and_the_key_follows_them(workdir: Path) -> None:
    project = workdir / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        '[tool.extractor]\nmetadata = ["../v1.0-metadata.xml"]\n', encoding="utf-8"
    )
    cache = ["--cache-dir", str(workdir / "cache")]
    first = build(project, "-o", "out", *cache)
    assert first.returncode == 0, first.stderr
    assert {p for p in tree(project / "out") if p.startswith("metadata/")} == {
        f"metadata/v1.0.{ext}" for ext in ("md", "json", "sarif", "html")
    }
    again = build(project, "-o", "out", *cache)
    assert "up to date" in again.stderr
    (project / "pyproject.toml").write_text("[tool.extractor]\n", encoding="utf-8")
    dropped = build(project, "-o", "out", *cache)  # no metadata now: another build key
    assert dropped.returncode == 0 and "up to date" not in dropped.stderr
    assert not (project / "out" / "metadata").exists()
    checked = build(project, "-o", "out", "--check", "--metadata", "../v1.0-metadata.xml", *cache)
    assert checked.returncode == 1  # the output lacks the reports


def test_bad_metadata_fails_the_build_before_it_starts(workdir: Path) -> None:
    done = build(workdir, "-o", "never", "--no-cache", "--metadata", "metadata.xml")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        "extractor: cannot tell the API version of metadata.xml (its name says neither v1.0 "
        "nor beta): name it VERSION=metadata.xml"
    ]
    assert not (workdir / "never").exists()
    done = build(
        workdir,
        "-o",
        "never",
        "--no-cache",
        "--metadata",
        "v1.0-metadata.xml",
        "--metadata",
        "v1.0=metadata.xml",
    )
    assert done.stderr.splitlines() == [
        "extractor: two metadata files for v1.0: v1.0-metadata.xml, metadata.xml"
    ]
