"""The Python API (``extractor.api``) on the seed pages: the command's results as objects,
nothing printed, and bad input as ``ExtractorError`` with the command's message."""

from __future__ import annotations

import glob
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, SEED_FILES, SEEDS

import extractor
from extractor import api, cli
from extractor.engine.state import keeping_marker
from extractor.read.pages import build_record
from extractor.schema import UnifiedSpec

COMMITTED = REPO / "output"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seeds in ``pages/`` of a working directory of their own."""
    shutil.copytree(SEEDS, tmp_path / "pages")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "pages"


def wait_for_state(cache: Path) -> None:
    """A build with a cache keeps its state in a detached process."""
    deadline = time.monotonic() + 60
    while glob.glob(keeping_marker(cache)) and time.monotonic() < deadline:
        time.sleep(0.05)


def test_extract_gives_each_page_its_record(pages: Path, capfd: pytest.CaptureFixture[str]) -> None:
    records = api.extract("pages", use_cache=False)
    names = sorted(SEED_FILES.values())
    assert [r.source.path for r in records] == [f"pages/{name}" for name in names]
    for record, name in zip(records, names, strict=True):
        assert record == build_record(f"pages/{name}", (pages / name).read_bytes())
    assert api.extract(["pages/" + names[0]], jobs=1, use_cache=False) == records[:1]
    assert capfd.readouterr() == ("", "")


def test_build_writes_what_the_command_writes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """No paths: ``corpus/`` here, as for the command, so the output is the committed one."""
    monkeypatch.chdir(REPO)
    out = tmp_path / "out"
    summary = api.build(out_dir=out, use_cache=False)
    assert (summary.outcome, summary.out_dir, summary.pages) == ("written", out, 5)
    assert (len(summary.computed), summary.cached, summary.updated) == (5, 0, False)
    assert tree(out) == tree(COMMITTED)
    assert summary.files == len(tree(out))
    assert summary.result is not None
    assert summary.result.spec == UnifiedSpec.model_validate_json((out / "spec.json").read_bytes())
    assert summary.lines()[0].startswith("pages: 5 (5 read, 0 cached); operations: 3")
    assert capfd.readouterr() == ("", "")

    checked = api.build(out_dir=out, check=True, use_cache=False)
    assert (checked.outcome, checked.stale) == ("checked", [])
    (out / "spec.json").write_text("{}", encoding="utf-8")
    (out / "stray.txt").write_text("", encoding="utf-8")
    stale = api.build(out_dir=out, check=True, use_cache=False)
    assert (stale.outcome, stale.stale) == ("stale", ["spec.json", "stray.txt"])


def test_a_second_build_with_a_cache_finds_the_output_current(pages: Path, tmp_path: Path) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    first = api.build("pages", out_dir=out, cache_dir=cache, jobs=1)
    wait_for_state(cache)
    assert first.outcome == "written"
    again = api.build(["pages"], out_dir=out, cache_dir=cache)
    assert (again.outcome, again.result) == ("current", None)
    edited = pages / SEED_FILES["beta_transfer"]
    edited.write_bytes(edited.read_bytes() + b"\n<!-- a comment says nothing new -->\n")
    touched = api.build("pages", out_dir=out, cache_dir=cache)
    wait_for_state(cache)
    assert touched.outcome == "nothing new"
    assert [name for name, *_ in touched.laps] == ["start", "records", "records key"]


def test_diff_of_specs_and_of_versions(capsys: pytest.CaptureFixture[str]) -> None:
    spec_json = COMMITTED / "spec.json"
    same = api.diff(spec_json, str(spec_json))
    assert (same.report.changes, same.fails("any")) == ([], False)
    versions = api.diff(spec_json, versions=("v1.0", "beta"))
    assert versions.report.changes and versions.title == "v1.0 → beta"
    assert versions.render("json") == (COMMITTED / "diff" / "v1.0-beta.json").read_text()
    for output_format in ("md", "json", "html"):
        cli.run(["diff", "--versions", "v1.0", "beta", str(spec_json), "--format", output_format])
        assert capsys.readouterr().out == versions.render(output_format)
    spec = UnifiedSpec.model_validate_json(spec_json.read_bytes())
    fewer = spec.model_copy(update={"operations": spec.operations[1:]})
    removed = api.diff(spec, fewer)
    assert removed.title == "old → new"
    assert removed.fails("any") and removed.fails("breaking")
    assert api.diff(fewer, spec).fails("breaking") is False


def test_diff_reads_pages_too(pages: Path) -> None:
    from_pages = api.diff("pages", "pages", use_cache=False)
    assert (from_pages.title, from_pages.report.changes) == ("pages → pages", [])
    by_versions = api.diff(["pages"], versions=("v1.0", "beta"), use_cache=False)
    from_spec = api.diff(COMMITTED / "spec.json", versions=("v1.0", "beta"))
    assert by_versions.report == from_spec.report


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: api.extract(["pages", "missing.md"]), "no such file or directory: missing.md"),
        (lambda: api.build("missing.md", use_cache=False), "no such file or directory: missing.md"),
        (
            lambda: api.build("pages", out_dir="pages/" + SEED_FILES["beta_transfer"]),
            f"pages/{SEED_FILES['beta_transfer']} exists and is not a directory",
        ),
        (lambda: api.build("pages", jobs=0), "jobs must be a whole number of at least 1, not 0"),
        (lambda: api.build("pages", executor="ray"), "executor must be one of local, dask"),
        (lambda: api.diff("pages"), "diff takes OLD and NEW (or versions)"),
        (lambda: api.diff("pages", versions=("v1.0", "v2")), "versions are two of v1.0, beta"),
        (lambda: api.diff("nothing.json", "pages"), "no such file or directory: nothing.json"),
        (
            lambda: api.diff("pages/broken.json", "pages", use_cache=False),
            "pages/broken.json is not a spec.json: ",
        ),
    ],
    ids=[
        "extract-missing",
        "build-missing",
        "out-is-a-file",
        "jobs",
        "executor",
        "diff-alone",
        "versions",
        "diff-missing",
        "not-a-spec",
    ],
)
def test_bad_input_raises_one_error_type(pages: Path, call: object, message: str) -> None:
    (pages / "broken.json").write_text("[]", encoding="utf-8")
    assert callable(call)
    with pytest.raises(extractor.ExtractorError) as raised:
        call()
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_the_package_loads_the_api_only_when_used() -> None:
    """Helper processes import the package: it must not import the API, nor pydantic."""
    probe = (
        "import sys, extractor\n"
        "print(sorted(m for m in ('extractor.api', 'pydantic', 'click') if m in sys.modules))\n"
        "build = extractor.build\n"
        "print('extractor.api' in sys.modules, build is extractor.api.build)\n"
        "from extractor import diff\n"
        "print(diff.__name__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines() == ["[]", "True True", "extractor.diff"]
    assert extractor.ExtractorError is api.ExtractorError
    with pytest.raises(AttributeError):
        _ = extractor.no_such_name
