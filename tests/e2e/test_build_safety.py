"""Nothing lost whatever the input or the neighbour: through the real command, in a child
process. Empty inputs, two builds into one folder, a killed or terminated build."""

from __future__ import annotations

import fcntl
import filecmp
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2] / "corpus"


def command(cwd: Path, *args: str, tmp: Path | None = None) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cwd / ".cache"), "LC_ALL": "C"}
    if tmp is not None:
        env["TMPDIR"] = str(tmp)
    return [sys.executable, "-m", "extractor", *args], env


def run(cwd: Path, *args: str, tmp: Path | None = None) -> subprocess.CompletedProcess[str]:
    argv, env = command(cwd, *args, tmp=tmp)
    return subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def start(cwd: Path, *args: str, tmp: Path | None = None) -> subprocess.Popen[str]:
    argv, env = command(cwd, *args, tmp=tmp)
    return subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_interruptible,
    )


def _interruptible() -> None:
    """Ctrl-C as a terminal delivers it: a test run started in the background (CI, nohup)
    has SIGINT ignored, and a child inherits that, so the build would never see it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def same_tree(first: Path, second: Path) -> bool:
    compared = filecmp.dircmp(first, second)
    pending = [compared]
    while pending:
        here = pending.pop()
        if here.left_only or here.right_only or here.funny_files:
            return False
        _, mismatch, errors = filecmp.cmpfiles(here.left, here.right, here.common_files, False)
        if mismatch or errors:
            return False
        pending.extend(here.subdirs.values())
    return True


@pytest.fixture
def work(tmp_path: Path) -> Path:
    pages = tmp_path / "pages"
    pages.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        (pages / seed.name).write_bytes(seed.read_bytes())
    return tmp_path


@pytest.fixture
def clean(work: Path) -> Path:
    """A clean build of the pages, to compare with."""
    done = run(work, "build", "pages", "-o", "clean", "--no-cache")
    assert done.returncode == 0, done.stderr
    return work / "clean"


@pytest.mark.parametrize("kind", ["empty", "markdown-only"])
def test_no_page_leaves_the_output_untouched(work: Path, clean: Path, kind: str) -> None:
    (work / "other").mkdir()
    if kind == "markdown-only":
        (work / "other" / "a.markdown").write_text("# A\n", encoding="utf-8")
    assert run(work, "build", "pages", "-o", "out").returncode == 0
    done = run(work, "build", "other", "-o", "out")
    assert (done.returncode, done.stderr.splitlines()) == (
        2,
        [
            "extractor: no page (*.md, *.txt) found in other; out left as it is "
            "(--allow-empty builds an empty output)"
        ],
    )
    assert same_tree(work / "out", clean)
    done = run(work, "build", "other", "-o", "out", "--allow-empty")
    assert done.returncode == 0, done.stderr
    assert "pages: 0 (" in done.stderr


def test_output_folder_mode_follows_the_umask(work: Path) -> None:
    argv, env = command(work, "build", "pages", "-o", "out", "--no-cache")
    done = subprocess.run(
        argv, cwd=work, env=env, capture_output=True, umask=0o027, check=False, timeout=300
    )
    assert done.returncode == 0
    assert (work / "out").stat().st_mode & 0o777 == 0o750


def concurrent_builds(work: Path, clean: Path, tries: int) -> None:
    for attempt in range(tries):
        both = [start(work, "build", "pages", "-o", "out") for _ in range(2)]
        ended = [(build.wait(timeout=300), build.stderr.read()) for build in both]  # type: ignore[union-attr]
        assert [code for code, _ in ended] == [0, 0], (attempt, ended)
        assert same_tree(work / "out", clean), attempt
        leftovers = [p.name for p in work.iterdir() if ".out.tmp-" in p.name]
        assert leftovers == [], attempt
        for build in both:
            build.stdout.close()  # type: ignore[union-attr]
            build.stderr.close()  # type: ignore[union-attr]


def test_two_builds_into_one_folder(work: Path, clean: Path) -> None:
    concurrent_builds(work, clean, 2)


@pytest.mark.slow
def test_two_builds_into_one_folder_twenty_times(work: Path, clean: Path) -> None:
    concurrent_builds(work, clean, 20)


def hold(lock: Path) -> int:
    descriptor = os.open(lock, os.O_RDWR | os.O_CREAT)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    return descriptor


def test_no_wait_fails_fast_with_a_clear_message(work: Path, clean: Path) -> None:
    assert run(work, "build", "pages", "-o", "out").returncode == 0
    descriptor = hold(work / ".out.lock")
    try:
        done = run(work, "build", "pages", "-o", "out", "--no-wait")
    finally:
        os.close(descriptor)
    assert (done.returncode, done.stderr.splitlines()) == (
        75,
        ["extractor: another build is using out (--no-wait: not waiting)"],
    )
    assert same_tree(work / "out", clean)


def test_a_waiting_build_says_so(work: Path, clean: Path) -> None:
    descriptor = hold(work / ".out.lock")
    build = start(work, "build", "pages", "-o", "out", "--no-cache")
    time.sleep(2)
    assert build.poll() is None
    os.close(descriptor)
    _, stderr = build.communicate(timeout=300)
    assert build.returncode == 0
    assert stderr.splitlines()[0] == "extractor: waiting for another build using out to finish"
    assert same_tree(work / "out", clean)


def wait_for(condition: object, seconds: float = 60) -> bool:
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.005)
    return False


def many_pages(work: Path, copies: int = 12) -> None:
    """Enough pages that a build is still reading them when it is signalled."""
    for seed in sorted(SEEDS.glob("*.txt")):
        for copy in range(copies):
            (work / "pages" / f"c{copy}-{seed.name}").write_bytes(seed.read_bytes())


def ours(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("extractor-"))


@pytest.mark.slow
def test_kill_9_while_holding_the_lock(work: Path) -> None:
    """A build killed mid-way: no stale lock (the next one, told not to wait, runs), its
    temporary folders and staging tree are removed by the next build."""
    many_pages(work)
    tmp = work / "tmp"
    tmp.mkdir()
    for _ in range(3):
        build = start(work, "build", "pages", "-o", "out", "-j", "2", tmp=tmp)
        reading = wait_for(lambda: ours(tmp))
        build.kill()
        build.communicate()
        if reading:
            break
    assert ours(tmp), "the build ended before it could be killed"
    done = run(work, "build", "pages", "-o", "out", "--no-wait", tmp=tmp)
    assert done.returncode == 0, done.stderr
    assert ours(tmp) == []
    assert [p.name for p in work.iterdir() if p.name.startswith(".out.tmp-")] == []
    expected = run(work, "build", "pages", "-o", "fresh", "--no-cache")
    assert expected.returncode == 0
    assert same_tree(work / "out", work / "fresh")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signum", "code", "message"),
    [(signal.SIGTERM, 143, "terminated (SIGTERM)"), (signal.SIGINT, 130, "interrupted")],
)
def test_a_signal_leaves_no_temporary_folder(
    work: Path, signum: int, code: int, message: str
) -> None:
    """SIGTERM and Ctrl-C: a message, their own exit code, the previous output whole, no
    staging tree beside it and no temporary folder left."""
    many_pages(work, 120)  # 600 pages: still building when the signal comes, on a quiet machine too
    tmp = work / "tmp"
    tmp.mkdir()
    assert run(work, "build", "pages", "-o", "out", "--no-cache").returncode == 0
    before = sorted(p.name for p in (work / "out").rglob("*"))
    for _ in range(5):
        build = start(work, "build", "pages", "-o", "out", "-j", "2", "--no-cache", tmp=tmp)
        wait_for(lambda build=build: ours(tmp) or build.poll() is not None)
        build.send_signal(signum)
        _, stderr = build.communicate(timeout=300)
        if build.returncode != 0:
            break
    assert (build.returncode, stderr.splitlines()[-1]) == (code, f"extractor: {message}")
    assert ours(tmp) == []
    assert [p.name for p in work.iterdir() if ".out." in p.name] in ([], [".out.lock"])
    assert sorted(p.name for p in (work / "out").rglob("*")) == before
