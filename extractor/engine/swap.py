"""The output swapped in all at once, and what a killed build left beside it cleared away.

The build is all-or-nothing: files are written into a staging directory beside the output
and swapped in with one ``renameat2(RENAME_EXCHANGE)``, so a build killed at any moment
leaves the previous output whole. Where the kernel lacks the exchange, two renames are used
and an interrupted swap is repaired at the start of the next build. Trees no longer wanted
are deleted by a detached low-priority process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import shutil
import sys
import tempfile
from contextlib import suppress
from functools import cache
from pathlib import Path

from extractor.engine.filewriter import as_bytes

__all__ = [
    "DETACH",
    "Files",
    "beside",
    "detached",
    "discard",
    "recover_interrupted",
    "stale_paths",
    "swap_in",
]

#: Output files by relative path: text, or its UTF-8 bytes where a renderer gave those.
Files = dict[str, str] | dict[str, str | bytes]


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def stale_paths(files: Files, out_dir: Path) -> list[str]:
    """Paths that differ between what the build would write and what ``out_dir`` holds."""
    differing = []
    existing = _existing_files(out_dir)
    for relative, text in files.items():
        target = out_dir / relative
        try:
            if target.read_bytes() != as_bytes(text):
                differing.append(relative)
        except OSError:
            differing.append(relative)
    differing.extend(sorted(existing - set(files)))
    return sorted(differing)


def _existing_files(out_dir: Path) -> set[str]:
    if not out_dir.is_dir():
        return set()
    return {
        path.relative_to(out_dir).as_posix()
        for path in out_dir.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def _exchange(first: Path, second: Path) -> bool:
    """Swap two directories atomically (Linux renameat2); False when unsupported."""
    library = ctypes.util.find_library("c")
    if library is None:
        return False
    libc = ctypes.CDLL(library, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return result == 0


def beside(out_dir: Path, kind: str) -> Path:
    """A new empty folder next to the output, named for what it holds (``.output.tmp-*``),
    with the mode a folder made by ``mkdir`` would have (``mkdtemp`` makes it ``0700``, and
    the staging folder becomes the output, which others may need to read)."""
    folder = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.{kind}-", dir=out_dir.parent))
    with suppress(OSError):
        folder.chmod(0o777 & ~_umask())
    return folder


@cache
def _umask() -> int:
    """The process's umask, read once (reading it means setting it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def recover_interrupted(out_dir: Path) -> None:
    """Finish or undo a swap that a killed build left half done, and drop its leftovers."""
    parent = out_dir.parent
    if not parent.is_dir():
        return
    previous = sorted(parent.glob(f".{out_dir.name}.old-*"))
    if not out_dir.exists() and previous:
        previous[-1].rename(out_dir)
        previous = previous[:-1]
    for leftover in [
        *previous,
        *parent.glob(f".{out_dir.name}.tmp-*"),  # a staging tree, maybe a spare being changed
        *parent.glob(f".{out_dir.name}.spare-making-*"),  # a spare maker that did not finish
    ]:
        if not _in_use(leftover):  # not the folder of a spare maker still at work
            discard(leftover, out_dir)
    for trash in parent.glob(f".{out_dir.name}.trash-*"):  # a deleter that did not finish
        if not _in_use(trash):
            discard(trash, out_dir)


DETACH = "import os, sys\nif os.fork():\n    os._exit(0)\nos.nice(19)\n"
_DELETER = DETACH + "import shutil\nshutil.rmtree(sys.argv[1], ignore_errors=True)\n"


def detached(script: str, *arguments: str, holding: Path | None = None) -> bool:
    """Run a short script in a detached, low-priority grandchild; False when impossible.

    Its streams are not this build's: a pipe reader (``| tee``, a CI log) would wait for it
    to end before it saw the build end. It runs in a session of its own, so it is neither a
    zombie nor in this build's process group.
    """
    held = _hold(holding) if holding is not None else None
    try:
        pid = os.posix_spawn(
            sys.executable,
            [sys.executable, "-I", "-S", "-c", script, *arguments],
            dict(os.environ),
            file_actions=[
                (os.POSIX_SPAWN_OPEN, descriptor, os.devnull, os.O_RDWR, 0)
                for descriptor in (0, 1, 2)
            ],
            setsid=True,
        )
        os.waitpid(pid, 0)
    except (AttributeError, OSError):
        return False
    finally:
        if held is not None:
            os.close(held)
    return True


def _hold(folder: Path) -> int | None:
    """A lock on ``folder`` that the detached process inherits and holds until it ends:
    the next build's clean-up leaves the folder of a live spare maker or deleter alone."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.set_inheritable(descriptor, True)
    except OSError:
        os.close(descriptor)
        return None
    return descriptor


def _in_use(folder: Path) -> bool:
    """Whether a detached process still works in ``folder`` (holds its lock, ``_hold``)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(descriptor)
    return False


def discard(folder: Path, out_dir: Path) -> None:
    """Remove a directory tree without waiting for it.

    Deleting a previous output (28,000 files, 17,000 folders on the real corpus) took
    longer than writing the new one. The tree is renamed aside, out of the way of the
    output and of the build's own names, and a detached process deletes it at low
    priority; if that process dies, the next build's ``recover_interrupted`` finds the
    leftover again.
    """
    trash = beside(out_dir, "trash")
    try:
        folder.rename(trash / "tree")
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
    if not detached(
        _DELETER, str(trash), holding=trash
    ):  # no posix_spawn here: delete in this process
        shutil.rmtree(trash, ignore_errors=True)


def swap_in(staging: Path, out_dir: Path) -> Path | None:
    """Put ``staging`` in place of ``out_dir``; the folder that now holds the previous
    output, None when there was none."""
    aside: Path | None = None
    if not out_dir.exists():
        staging.rename(out_dir)
    elif _exchange(staging, out_dir):
        aside = staging  # staging now holds the old output
    else:
        old = beside(out_dir, "old")
        old.rmdir()
        out_dir.rename(old)
        staging.rename(out_dir)
        aside = old
    return aside
