"""One build at a time per output folder and per cache, and temporary folders of gone builds.

Two builds into one folder used to discard each other's staging trees (each build's
start-up clean-up took the other's live folder for a killed build's leftover). A build now
holds an advisory ``flock`` on ``.<output>.lock`` beside the output and on ``lock`` in the
cache while it runs: the kernel lets go of it when the process ends, however it ends, so a
killed build never leaves a stale lock, and whatever a build finds beside the output while
it holds the lock was left by a build that is gone.

Temporary folders outside the output (``$TMPDIR/extractor-*``) carry the pid of the build
that made them: the next build removes those whose build no longer runs.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from extractor.engine.inputs import ExtractorError

__all__ = ["LockBusy", "held", "lock_path", "sweep_temporary", "temporary_prefix"]


class LockBusy(ExtractorError):
    """Another build holds the lock and the build was told not to wait (``--no-wait``)."""

    exit_code = 75  # EX_TEMPFAIL: try again later


def lock_path(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.lock"


@contextmanager
def held(
    path: Path, what: str, wait: bool = True, waiting: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (made if missing) for the block; when another
    process holds it, wait (saying so through ``waiting``) or raise ``LockBusy``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise LockBusy(f"another build is using {what} (--no-wait: not waiting)") from None
            if waiting is not None:
                waiting(f"waiting for another build using {what} to finish")
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        _HELD.append(descriptor)
        try:
            yield
        finally:
            _HELD.remove(descriptor)
    finally:
        os.close(descriptor)


#: Descriptors of the locks held here: a forked child that outlives the build (it keeps
#: the build's state) closes its copies, so that the next build need not wait for it.
_HELD: list[int] = []


def release_in_child() -> None:
    for descriptor in _HELD:
        with suppress(OSError):
            os.close(descriptor)
    _HELD.clear()


def temporary_prefix(kind: str) -> str:
    """``extractor-<kind>-<pid>-``: a temporary folder's name says which process made it."""
    return f"extractor-{kind}-{os.getpid()}-"


_OURS = re.compile(r"extractor-[a-z]+-(\d+)-")


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's: running
        return True
    return True


def sweep_temporary(folder: str | None = None) -> list[str]:
    """Remove the temporary folders of builds that no longer run (killed by SIGKILL, the OOM
    killer); the names removed. A folder whose pid runs again (reused) is left alone: only
    ever a gone build's folder is touched."""
    root = folder or tempfile.gettempdir()
    removed: list[str] = []
    try:
        names = os.listdir(root)
    except OSError:
        return removed
    for name in names:
        found = _OURS.match(name)
        if found is None or _running(int(found.group(1))):
            continue
        path = os.path.join(root, name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(name)
    return removed
