"""A build killed at any moment leaves its output directory whole: the old build or the new one.

The seeds are built into DIR; then a build of 300 real pages into the same DIR is killed
(SIGKILL to its whole process group, as the OOM killer or a lost machine would) at several
moments: while reading pages, while rendering, as soon as its staging directory appears,
and a little after that, around the swap. DIR must then equal, byte for byte, exactly one of
the two complete builds, never a mix; and the next normal build must succeed and leave no
staging or old directory behind. Ctrl-C must end a build with a short message, no traceback,
and the previous output intact. ``write_tree`` and ``recover_interrupted`` are also tried on
their own, with a crash between the two renames of the path used without renameat2.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractor.engine import swap
from extractor.engine.output_tree import recover_interrupted, write_tree

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "corpus"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
ZH_CN = CORPUS / "zh-CN" / "api-reference"
PAGES = 300

Snapshot = dict[str, bytes]

pytestmark = pytest.mark.slow


def snapshot(folder: Path) -> Snapshot:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def leftovers(out_dir: Path) -> list[str]:
    """Staging or moved-aside directories a build left beside ``out_dir``."""
    return sorted(
        name
        for name in os.listdir(out_dir.parent)
        if name.startswith((f".{out_dir.name}.tmp-", f".{out_dir.name}.old-"))
    )


def start(cwd: Path, source: str, out: str) -> subprocess.Popen[bytes]:
    """A build in a process group of its own (so that a signal reaches its workers too)."""
    return subprocess.Popen(
        [sys.executable, "-m", "extractor", "build", source, "-o", out, "--no-cache", "-j", "2"],
        cwd=cwd,
        env={**os.environ, "XDG_CACHE_HOME": str(cwd / ".cache")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def finish(process: subprocess.Popen[bytes], timeout: float, doing: str) -> bytes:
    """The build's stderr once it ended; a build that hangs fails the test, killed with its
    workers rather than left behind."""
    try:
        return process.communicate(timeout=timeout)[1]
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"the build still ran {timeout} s after {doing}")


def build(cwd: Path, source: str, out: str) -> None:
    process = start(cwd, source, out)
    stderr = finish(process, 600, "it started")
    assert process.returncode == 0, stderr.decode()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """300 real pages, the seeds, and the bytes of both complete builds."""
    if not ZH_CN.is_dir():
        pytest.skip("the real corpus (../shared/corpus) is not here")
    root = tmp_path_factory.mktemp("atomic")
    pages = root / "pages"
    for version in ("v1.0", "beta"):
        for kind in ("api", "resources"):
            for page in sorted((ZH_CN / version / kind).glob("*.md"))[: PAGES // 4]:
                target = pages / version / kind / page.name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(page, target)
    shutil.copytree(SEEDS, root / "seeds")
    build(root, "pages", "new")
    build(root, "seeds", "old")
    yield {"root": root, "new": snapshot(root / "new"), "old": snapshot(root / "old")}


def kill_group(process: subprocess.Popen[bytes], signum: int) -> bool:
    """Signal the build and its workers; False when it had already finished."""
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        return False
    return True


def wait_for_staging(process: subprocess.Popen[bytes], out_dir: Path) -> bool:
    """Poll until the build's staging directory appears (False if it ended first)."""
    prefix = f".{out_dir.name}.tmp-"
    while process.poll() is None:
        if any(name.startswith(prefix) for name in os.listdir(out_dir.parent)):
            return True
        time.sleep(0.001)
    return False


MOMENTS = [
    ("reading", 0.2),
    ("reading", 0.5),
    ("reading", 1.0),
    ("late", 1.4),
    ("staging", 0.0),
    ("staging", 0.02),
    ("staging", 0.05),
    ("staging", 0.1),
    ("staging", 0.2),
    ("staging", 0.4),
]


def test_a_killed_build_leaves_the_old_or_the_new_output(site: dict[str, object]) -> None:
    root = site["root"]
    assert isinstance(root, Path)
    old, new = site["old"], site["new"]
    assert old != new and len(new) > len(old)  # type: ignore[arg-type]
    out = root / "DIR"
    outcomes = []
    for phase, delay in MOMENTS:
        build(root, "seeds", "DIR")  # the normal build: succeeds, and cleans what a kill left
        assert (snapshot(out) == old, leftovers(out)) == (True, [])
        process = start(root, "pages", "DIR")
        if phase == "staging":
            seen = wait_for_staging(process, out)
            time.sleep(delay)
        else:
            seen = False
            time.sleep(delay)
        killed = kill_group(process, signal.SIGKILL)
        process.communicate(timeout=60)
        state = snapshot(out) if out.is_dir() else None
        if state is None:  # killed between the two renames of the fallback: next build repairs
            recover_interrupted(out)
            state = snapshot(out)
        assert state in (old, new), f"DIR is a mix after a kill at {phase}+{delay}s"
        outcomes.append((phase, delay, killed, seen, "new" if state == new else "old"))
    print("kill outcomes (phase, delay, killed, staging seen, DIR):", *outcomes, sep="\n  ")
    build(root, "seeds", "DIR")
    assert (snapshot(out) == old, leftovers(out)) == (True, [])
    assert ("reading", 0.2, True, False, "old") in outcomes
    assert any(phase == "staging" and killed and seen for phase, _, killed, seen, _ in outcomes)


def wait_for_workers(process: subprocess.Popen[bytes]) -> None:
    """Poll until the build has forked its first worker, or ended."""
    while process.poll() is None and len(live_members(process.pid)) < 2:
        time.sleep(0.005)


def live_members(group: int) -> list[int]:
    """Processes of a process group that are still alive (zombies wait for a reaper only)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, _, pgrp = stat[stat.rindex(")") + 2 :].split()[:3]
        if int(pgrp) == group and state not in ("Z", "X"):
            members.append(int(entry.name))
    return sorted(members)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_workers_die_with_a_build_killed_alone(site: dict[str, object]) -> None:
    """``kill -9`` of the build only (the OOM killer picks one process): its workers, blocked
    on their queues, lived on for ever; now the kernel ends them with their parent."""
    root = site["root"]
    assert isinstance(root, Path)
    build(root, "seeds", "ALONE")
    process = start(root, "pages", "ALONE")
    time.sleep(0.4)
    while len(live_members(process.pid)) < 2:  # wait for workers (reading or rendering)
        assert process.poll() is None, "the build ended before it started a worker"
        time.sleep(0.01)
    process.kill()
    process.communicate(timeout=60)
    deadline = time.monotonic() + 10
    while live_members(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = live_members(process.pid)
    for pid in survivors:  # do not leave them behind when the test fails
        os.kill(pid, signal.SIGKILL)
    assert survivors == []
    assert snapshot(root / "ALONE") == site["old"]


def test_ctrl_c_ends_a_build_quietly_and_keeps_the_old_output(site: dict[str, object]) -> None:
    """SIGINT to the process group, as a terminal sends it: workers see it too."""
    root = site["root"]
    assert isinstance(root, Path)
    out = root / "INT"
    moments = [
        ("reading", 0.05),
        ("reading", 0.3),
        ("reading", 0.5),
        ("reading", 1.0),
        ("staging", 0.0),
    ]
    for phase, delay in moments:
        build(root, "seeds", "INT")
        process = start(root, "pages", "INT")
        if phase == "staging":
            wait_for_staging(process, out)
        else:  # Ctrl-C while the interpreter itself starts prints Python's traceback, not ours
            wait_for_workers(process)
        time.sleep(delay)
        kill_group(process, signal.SIGINT)
        text = finish(process, 120, f"Ctrl-C at {phase}+{delay}s").decode()
        assert "Traceback" not in text and "Exception ignored" not in text, (
            f"{phase}+{delay}s:\n{text}"
        )
        state = snapshot(out)
        if state == site["new"]:  # the swap was done: exit 0, or the signal at the very end
            assert process.returncode in (0, 130, -signal.SIGINT), text
        else:
            assert state == site["old"], f"DIR is a mix after Ctrl-C at {phase}+{delay}s"
            assert process.returncode == 130, text
            assert text.rstrip().endswith("extractor: interrupted"), text
    build(root, "seeds", "INT")
    assert leftovers(out) == []


# --- write_tree and recover_interrupted on their own ------------------------------------------

OLD = {"spec.json": "old\n", "models/a.py": "A = 1\n"}
NEW = {"spec.json": "new\n", "fixtures/x.json": "{}\n"}


def texts(folder: Path) -> dict[str, str]:
    return {name: data.decode() for name, data in snapshot(folder).items()}


class Crash(BaseException):
    """Stands for the process dying at this very point."""


def test_fallback_swap_interrupted_between_the_renames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_tree(OLD, out)
    monkeypatch.setattr(swap, "_exchange", lambda first, second: False)
    real_rename = Path.rename

    def rename(self: Path, target: Path) -> Path:
        if self.name.startswith(".out.tmp-"):  # the second rename: staging into place
            raise Crash
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(Crash):
        write_tree(NEW, out)
    monkeypatch.undo()
    assert texts(out) == OLD  # put back at once, not only by the next build
    assert leftovers(out) == []
    write_tree(NEW, out)
    assert (texts(out), leftovers(out)) == (NEW, [])


def test_the_previous_output_is_deleted_in_the_background(tmp_path: Path) -> None:
    """The old tree is renamed aside at once and gone soon after; a leftover trash folder
    (its deleter killed) is removed by the next build."""
    out = tmp_path / "out"
    write_tree(OLD, out)
    write_tree(NEW, out)
    assert texts(out) == NEW
    deadline = time.monotonic() + 30
    while list(tmp_path.glob(".out.trash-*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sorted(os.listdir(tmp_path)) == ["out"]
    stale = tmp_path / ".out.trash-killed" / "tree" / "deep"
    stale.mkdir(parents=True)
    (stale / "file.json").write_text("{}")
    recover_interrupted(out)
    while list(tmp_path.glob(".out.trash-*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert (sorted(os.listdir(tmp_path)), texts(out)) == (["out"], NEW)


CHILD = """
import os, sys
from pathlib import Path
from extractor.engine import output_tree as outtree, swap
files, out, stop = {NEW!r}, Path(sys.argv[1]), sys.argv[2]
real_exchange = swap._exchange
def exchange(first, second):
    if stop != "exchange":
        return False  # the kernel lacks renameat2: two renames
    if real_exchange(first, second):
        os._exit(9)  # swapped: the old output now sits in the staging directory
    raise SystemExit("renameat2 is not supported here")
swap._exchange = exchange
real_rename, real_discard = Path.rename, outtree.discard
def rename(self, target):
    if self.name.startswith(".out.tmp-") and stop == "between":
        os._exit(9)  # the old output is aside, the new one not yet in place
    return real_rename(self, target)
def discard(folder, out_dir):
    if ".out.old-" in str(folder) and stop == "after":
        os._exit(9)  # the new output is in place, the old one not yet removed
    return real_discard(folder, out_dir)
Path.rename, outtree.discard = rename, discard
outtree.write_tree(files, out)
"""


@pytest.mark.parametrize(
    ("stop", "before_recovery"),
    [("between", None), ("after", NEW), ("exchange", NEW)],
    ids=["between-renames", "before-removing-old", "after-exchange"],
)
def test_a_process_killed_mid_swap_is_repaired_by_recover_interrupted(
    tmp_path: Path, stop: str, before_recovery: dict[str, str] | None
) -> None:
    """The process really dies (os._exit): no except clause runs, only the next build helps."""
    out = tmp_path / "out"
    write_tree(OLD, out)
    code = CHILD.replace("{NEW!r}", repr(NEW))
    done = subprocess.run(
        [sys.executable, "-c", code, str(out), stop], capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 9, done.stderr.decode()
    assert (texts(out) if out.exists() else None) == before_recovery
    assert leftovers(out) != []
    recover_interrupted(out)
    assert (texts(out), leftovers(out)) == (before_recovery or OLD, [])
    write_tree(NEW, out)
    assert (texts(out), leftovers(out)) == (NEW, [])


def test_files_the_previous_output_holds_unchanged_are_linked(tmp_path: Path) -> None:
    """Only what changed is written; a file someone edited since is written again."""
    out = tmp_path / "out"
    before = {"same.json": "{}\n", "changed.json": "[1]\n", "edited.json": "[2]\n"}
    written = write_tree(before, out)
    for relative, (size, mtime, digest) in written.items():
        status = (out / relative).stat()
        assert (size, mtime) == (status.st_size, status.st_mtime_ns)
        assert digest == hashlib.sha256(before[relative].encode()).hexdigest()
    inodes = {relative: (out / relative).stat().st_ino for relative in before}
    (out / "edited.json").write_text("[3]\n", encoding="utf-8")  # by hand, same size
    after = {"same.json": "{}\n", "changed.json": "[4, 5]\n", "edited.json": "[2]\n"}
    write_tree(after, out, written)
    assert texts(out) == after
    assert (out / "same.json").stat().st_ino == inodes["same.json"]
    assert (out / "changed.json").stat().st_ino != inodes["changed.json"]
    assert (out / "edited.json").stat().st_ino != inodes["edited.json"]


def test_clean_up_leaves_the_folder_of_a_live_detached_process(tmp_path: Path) -> None:
    """A spare maker or deleter still at work holds its folder (it inherits a lock on it):
    the next build's clean-up touches only folders whose process is gone."""
    from extractor.engine.swap import DETACH, detached, recover_interrupted

    out = tmp_path / "out"
    out.mkdir()
    live, gone = tmp_path / ".out.spare-making-live", tmp_path / ".out.spare-making-gone"
    live.mkdir()
    gone.mkdir()
    assert detached(DETACH + "import time\ntime.sleep(3)\n", holding=live)
    recover_interrupted(out)
    assert live.is_dir()
    assert not gone.exists()
