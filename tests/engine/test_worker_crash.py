"""A page that kills its worker process costs that page only, never the build.

The test-only hook ``EXTRACTOR_TEST_CRASH_ON=<text>`` makes a worker ``os._exit(70)`` on any
page whose display path contains the text, as a segfault or the OOM killer would. The
extraction runs in a child process (``python -m extractor``, ``-j 2``): were the hook ever
reached in the parent, it would end that child, not the test run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from extractor.engine import pool
from extractor.engine.records import CRASH_ON_ENV, extract_records
from extractor.read.corpus import discover

SEEDS = Path(__file__).resolve().parents[2] / "corpus"
COPIES = 5  # 5 seeds x 5 copies = 25 pages


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """25 pages (the seeds, each under five names) in a folder of their own."""
    root = tmp_path_factory.mktemp("crash")
    folder = root / "pages"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        for copy in range(COPIES):
            (folder / f"p{copy}-{seed.stem}.md").write_bytes(seed.read_bytes())
    return root


def run(cwd: Path, crash_on: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != CRASH_ON_ENV}
    env["XDG_CACHE_HOME"] = str(cwd / ".cache")
    if crash_on is not None:
        env[CRASH_ON_ENV] = crash_on
    return subprocess.run(
        [sys.executable, "-m", "extractor", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def records(done: subprocess.CompletedProcess[str]) -> dict[str, dict]:
    assert (done.returncode, "Traceback" in done.stderr) == (0, False), done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    return {record["source"]["path"]: record for record in lines}


@pytest.fixture(scope="module")
def undisturbed(pages: Path) -> dict[str, dict]:
    return records(run(pages, None, "extract", "pages", "-j", "2", "--no-cache"))


def crashed(record: dict) -> list[tuple[str, str, str]]:
    return [
        (d["rule"], d["severity"], d["path"])
        for d in record["diagnostics"]
        if d["rule"] == "worker-crashed"
    ]


def test_the_hook_is_inert_unless_set(undisturbed: dict[str, dict]) -> None:
    assert len(undisturbed) == 25
    assert [path for path, record in undisturbed.items() if crashed(record)] == []


def test_one_page_that_kills_its_worker(pages: Path, undisturbed: dict[str, dict]) -> None:
    victim = "pages/p3-002_23f97dc4af16424e.md"
    got = records(run(pages, "p3-002_", "extract", "pages", "-j", "2", "--no-cache"))
    assert sorted(got) == sorted(undisturbed)  # every page still has its record, in order
    assert crashed(got[victim]) == [("worker-crashed", "error", victim)]
    assert got[victim]["examples"] == [] and got[victim]["operation"] is None
    assert {path: record for path, record in got.items() if path != victim} == {
        path: record for path, record in undisturbed.items() if path != victim
    }


def test_several_pages_that_kill_their_workers(pages: Path, undisturbed: dict[str, dict]) -> None:
    """Five victims spread over the list: bisection finds each, and only those."""
    got = records(run(pages, "004_2dd", "extract", "pages", "-j", "2", "--no-cache"))
    victims = sorted(path for path in got if "004_2dd" in path)
    assert len(victims) == COPIES
    assert sorted(path for path, record in got.items() if crashed(record)) == victims
    for path in set(undisturbed) - set(victims):
        assert got[path] == undisturbed[path]


def test_a_build_with_a_crashing_page_finishes(pages: Path) -> None:
    done = run(pages, "p1-000_", "build", "pages", "-o", "out", "-j", "2", "--no-cache")
    assert (done.returncode, "Traceback" in done.stderr) == (0, False), done.stderr
    assert "pages: 25 (" in done.stderr
    diagnostics = json.loads((pages / "out" / "diagnostics.json").read_text())["diagnostics"]
    assert [(d["rule"], d["path"]) for d in diagnostics if d["rule"] == "worker-crashed"] == [
        ("worker-crashed", "pages/p1-000_0cb95b7642379844.md")
    ]
    spec = json.loads((pages / "out" / "spec.json").read_text())
    sources = {s["path"] for op in spec["operations"] for s in op["sources"]}
    assert "pages/p1-000_0cb95b7642379844.md" not in sources
    assert "pages/p2-000_0cb95b7642379844.md" in sources


class BreakingPool:
    """Runs chunks in this process; the chunk holding the victim breaks the pool, as a dying
    worker does: its future fails, and every later ``submit`` raises BrokenProcessPool."""

    def __init__(self, victim: str, **options: object) -> None:
        self.victim, self.broken = victim, False

    def shutdown(self, **options: object) -> None:
        return None

    def submit(self, work: Any, chunk: list[tuple[str, ...]], *arguments: Any) -> Future:
        if self.broken:
            raise BrokenProcessPool("a child process terminated abruptly")
        future: Future = Future()
        if any(self.victim in task[1] for task in chunk):
            self.broken = True
            future.set_exception(BrokenProcessPool("a child process terminated abruptly"))
        else:
            future.set_result(work(chunk, *arguments))
        return future


@pytest.mark.parametrize("victim", ["p0-000_", "p2-002_", "p4-004_"])
def test_a_pool_that_breaks_while_chunks_are_handed_out(
    pages: Path, victim: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker dying before every chunk was submitted made ``submit`` raise out of the build
    (seen under load: exit 1 with a BrokenProcessPool traceback)."""
    monkeypatch.chdir(pages)
    monkeypatch.setattr(
        pool,
        "ProcessPoolExecutor",
        lambda **options: BreakingPool(victim, **options),
    )
    records, computed, _ = extract_records(discover(["pages"]), jobs=2, cache_dir=None)
    assert len(records) == len(computed) == 25
    hit = [r.source.path for r in records if any(d.rule == "worker-crashed" for d in r.diagnostics)]
    assert hit == [path for path in (r.source.path for r in records) if victim in path]
    assert len(hit) == 1
    assert all(r.examples for r in records if r.source.path not in hit)


def test_the_version_diff_is_rendered_here_when_its_process_dies(
    seeds: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A whole render makes the version diff in a process of its own; were it killed (the
    OOM killer), or unable to start, the build renders the diff itself, to the same bytes."""
    from extractor.engine import rendering as render
    from extractor.engine import subprocesses as helpers
    from extractor.engine import version_diff as specside
    from extractor.engine.output_tree import as_bytes
    from extractor.reconcile import reconcile

    result = reconcile(seeds.values())
    expected = {name: as_bytes(text) for name, text in render.render_outputs(result)[0].items()}
    monkeypatch.setattr(helpers, "_BOOT", "import os; os._exit(70)")
    files, _ = render.render_outputs(result)
    assert {name: as_bytes(text) for name, text in files.items()} == expected

    def no_folder(**_options: object) -> None:
        raise OSError(28, "No space left on device")

    # specside's own module reference: ruff, in codegen, still gets its folder
    monkeypatch.setattr(specside, "tempfile", SimpleNamespace(mkdtemp=no_folder))
    files, _ = render.render_outputs(result)
    assert {name: as_bytes(text) for name, text in files.items()} == expected


def test_without_a_temporary_folder_results_come_through_the_pipes(
    pages: Path, seeds: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records are handed back through files in a temporary folder; where none can be made,
    they take the pool's pipes, and nothing else changes."""
    from extractor.engine import rendering as render
    from extractor.engine.output_tree import as_bytes
    from extractor.reconcile import reconcile

    monkeypatch.chdir(pages)
    found = discover(["pages"])
    expected, _, _ = extract_records(found, jobs=2, cache_dir=None)
    result = reconcile(seeds.values())
    rendered = {name: as_bytes(text) for name, text in render.render_outputs(result)[0].items()}

    def no_folder(**_options: object) -> None:
        raise OSError(28, "No space left on device")

    # the pool's own module reference: ruff, in codegen, still gets its folder
    monkeypatch.setattr(pool, "tempfile", SimpleNamespace(TemporaryDirectory=no_folder))
    with pool.handover_folder("extractor-test-") as folder:
        assert folder is None
    assert extract_records(found, jobs=2, cache_dir=None)[0] == expected
    files, _ = render.render_outputs(result)
    assert {name: as_bytes(text) for name, text in files.items()} == rendered


def test_a_chunk_whose_handed_over_file_is_gone_is_read_again(
    pages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker's file removed before the parent read it (a temporary-folder cleaner): the
    chunk's pages are read again, in a new pool, and none is lost."""
    monkeypatch.chdir(pages)
    found = discover(["pages"])
    expected, _, _ = extract_records(found, jobs=2, cache_dir=None)
    handed_over = pool._handed_over
    calls: list[object] = []

    def first_one_gone(result: Any) -> Any:
        calls.append(result)
        if len(calls) == 1 and isinstance(result, str):
            os.unlink(result)
        return handed_over(result)

    monkeypatch.setattr(pool, "_handed_over", first_one_gone)
    records, _, _ = extract_records(found, jobs=2, cache_dir=None)
    assert records == expected
    assert len(calls) > len(found) // 3  # the chunks, and the lost one's pages again
