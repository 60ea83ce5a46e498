"""Write the output tree all at once, or compare it with what is there.

The build is all-or-nothing: files are written into a staging directory beside the output
and swapped in with one ``renameat2(RENAME_EXCHANGE)``, so a build killed at any moment
leaves the previous output whole. Where the kernel lacks the exchange, two renames are used
and an interrupted swap is repaired at the start of the next build.

Double buffering: when the build knows what the previous output holds (``written``, from
the cache), the tree swapped out is not deleted but kept beside the output as a *spare*,
and the next build stages in it, changing only the files that differ. A one-page edit then
costs a walk of the spare and a few writes, instead of 17,000 folders made and 28,000
files linked, and the 45,000 inodes of an old tree are no longer freed on every build
(on ext4 without a journal, inodes freed in the last minutes make every new file slow to
create). The first build into a folder gets its spare from a detached low-priority process
that links a copy of the new output, as the previous output is deleted in the background.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import marshal
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import NamedTuple

import orjson

from extractor.engine import filewriter, sparecheck
from extractor.engine.filewriter import as_bytes, encoded, put_file, write_batch
from extractor.engine.sparecheck import differing_files
from extractor.engine.subprocesses import Helper
from extractor.engine.uptodate import (
    FOLDERS_KEY,
    FolderTimes,
    Written,
    folder_times_from,
    folders_of,
    written_from,
)

#: Output files by relative path: text, or its UTF-8 bytes where a renderer gave those.
Files = dict[str, str] | dict[str, str | bytes]


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
#: The spare's own record of its files, at its root; removed when the spare is used.
SPARE_MAP = ".extractor-spare.json"


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


def _beside(out_dir: Path, kind: str) -> Path:
    """A new empty folder next to the output, named for what it holds (``.output.tmp-*``)."""
    return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.{kind}-", dir=out_dir.parent))


def spare_path(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.spare"


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
        _discard(leftover, out_dir)
    for trash in parent.glob(f".{out_dir.name}.trash-*"):  # a deleter that did not finish
        _discard(trash, out_dir)


_DETACH = "import os, sys\nif os.fork():\n    os._exit(0)\nos.nice(19)\n"
_DELETER = _DETACH + "import shutil\nshutil.rmtree(sys.argv[1], ignore_errors=True)\n"
#: Links a copy of the output (argv 1) into a folder (argv 2), adds the copy's folder times
#: to the record there (argv 4), then names it the spare (argv 3); the copy is removed when
#: it fails, or when a spare is already there. The folder times are taken once everything
#: is linked, so that the next build checks the spare by a stat of what the record names
#: instead of walking it (0.25-0.7 s on the real corpus); the root's own time is never read.
_SPARE_MAKER = _DETACH + (
    "import json, shutil\n"
    "source, making, spare, record = sys.argv[1:5]\n"
    "try:\n"
    "    folders = []\n"
    "    for folder, _, names in os.walk(source):\n"
    "        relative = os.path.relpath(folder, source)\n"
    "        target = os.path.join(making, relative) if relative != '.' else making\n"
    "        if relative != '.':\n"
    "            os.mkdir(target)\n"
    "            folders.append((relative.replace(os.sep, '/'), target))\n"
    "        for name in names:\n"
    "            os.link(os.path.join(folder, name), os.path.join(target, name))\n"
    "    times = {folder: os.lstat(target).st_mtime_ns for folder, target in folders}\n"
    "    with open(record, encoding='utf-8') as handle:\n"
    "        held = json.load(handle)\n"
    f"    held[{FOLDERS_KEY!r}] = {{'': 0, **times}}\n"
    "    with open(record, 'w', encoding='utf-8') as handle:\n"
    "        json.dump(held, handle)\n"
    "    os.rename(making, spare)\n"
    "except (OSError, ValueError):\n"
    "    shutil.rmtree(making, ignore_errors=True)\n"
)


def _detached(script: str, *arguments: str) -> bool:
    """Run a short script in a detached, low-priority grandchild; False when impossible.

    Its streams are not this build's: a pipe reader (``| tee``, a CI log) would wait for it
    to end before it saw the build end. It runs in a session of its own, so it is neither a
    zombie nor in this build's process group.
    """
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
    return True


def _discard(folder: Path, out_dir: Path) -> None:
    """Remove a directory tree without waiting for it.

    Deleting a previous output (28,000 files, 17,000 folders on the real corpus) took
    longer than writing the new one. The tree is renamed aside, out of the way of the
    output and of the build's own names, and a detached process deletes it at low
    priority; if that process dies, the next build's ``recover_interrupted`` finds the
    leftover again.
    """
    trash = _beside(out_dir, "trash")
    try:
        folder.rename(trash / "tree")
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
    if not _detached(_DELETER, str(trash)):  # no posix_spawn here: delete in this process
        shutil.rmtree(trash, ignore_errors=True)


def _save_map(folder: Path, written: Written, folders: FolderTimes | None = None) -> bool:
    record: dict[str, object] = dict(written)
    if folders is not None:
        record[FOLDERS_KEY] = folders
    try:
        (folder / SPARE_MAP).write_bytes(orjson.dumps(record, option=orjson.OPT_SORT_KEYS))
    except OSError:
        return False
    return True


def _load_map(folder: Path) -> tuple[Written, FolderTimes | None, str] | None:
    """What a spare holds, by its own record, its folders' times if recorded, and the
    record's SHA-256; None when the record is missing or damaged (an entry that does not fit
    is left out: that file is written again)."""
    try:
        raw = (folder / SPARE_MAP).read_bytes()
        data = orjson.loads(raw)
    except (OSError, orjson.JSONDecodeError):
        return None
    held = written_from(data)
    if held is None:
        return None
    return held, folder_times_from(data), hashlib.sha256(raw).hexdigest()


def _take_spare(out_dir: Path) -> tuple[Path, tuple[Written, FolderTimes | None, str]] | None:
    """The spare moved to a staging name, with what it holds; None when there is none usable.

    Under the staging name, a build killed while changing it leaves only a leftover that
    ``recover_interrupted`` removes: a half-changed spare is never taken again.
    """
    spare = spare_path(out_dir)
    if not spare.is_dir() or spare.is_symlink():
        return None
    staging = _beside(out_dir, "tmp")
    try:
        spare.rename(staging)  # onto the empty folder mkdtemp made
    except OSError:
        staging.rmdir()
        return None
    record = _load_map(staging)
    if record is None:  # not one of ours, or its record was lost: start afresh
        _discard(staging, out_dir)
        return None
    with suppress(OSError):
        (staging / SPARE_MAP).unlink()
    return staging, record


def _keep_as_spare(
    folder: Path, out_dir: Path, written: Written, folders: FolderTimes | None
) -> None:
    """Keep the tree the swap took out (the previous output, which ``written`` and
    ``folders`` describe)."""
    spare = spare_path(out_dir)
    if spare.exists():  # one a background maker finished meanwhile
        _discard(spare, out_dir)
    if not _save_map(folder, written, folders):
        _discard(folder, out_dir)
        return
    try:
        folder.rename(spare)
    except OSError:
        _discard(folder, out_dir)


def _make_spare_later(out_dir: Path, written: Written) -> None:
    """Have a detached process link a copy of the new output as the next build's spare."""
    if spare_path(out_dir).exists():
        return
    making = _beside(out_dir, "spare-making")
    arguments = (str(out_dir), str(making), str(spare_path(out_dir)), str(making / SPARE_MAP))
    if not (_save_map(making, written) and _detached(_SPARE_MAKER, *arguments)):
        shutil.rmtree(making, ignore_errors=True)


class _Present(NamedTuple):
    """What a reused staging tree holds: files with their size and modification time, and
    folders, by relative path."""

    files: dict[str, tuple[int, int]]
    folders: set[str]


def _walk(root: Path) -> _Present:
    present = _Present({}, set())
    pending = [("", str(root))]
    while pending:
        relative, folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                path = f"{relative}/{entry.name}" if relative else entry.name
                if entry.is_dir(follow_symlinks=False):
                    present.folders.add(path)
                    pending.append((path, entry.path))
                else:
                    status = entry.stat(follow_symlinks=False)
                    present.files[path] = (status.st_size, status.st_mtime_ns)
    return present


def _as_recorded(root: Path, held: Written, folders: FolderTimes | None) -> _Present | None:
    """What a spare holds, by a stat of each file and folder its record names instead of a
    walk (which took 0.25 s on the real corpus's output, 0.7 s when its folders were no
    longer cached); None when a folder differs from the record, or the record has none:
    then the tree is walked. (``SpareCheck`` makes the same stats in another process.)"""
    if folders is None:
        return None
    differing = differing_files(str(root), held, folders)
    return None if differing is None else _present(held, folders, differing)


def _present(held: Written, folders: FolderTimes, differing: Mapping[str, list[int]]) -> _Present:
    """What a tree holds: ``held``'s files at their recorded size and time but for those
    that ``differing`` says differ, and ``folders``' folders."""
    files = {relative: (entry[0], entry[1]) for relative, entry in held.items()}
    files.update({relative: (entry[0], entry[1]) for relative, entry in differing.items()})
    return _Present(files, set(folders) - {""})


def _parent(relative: str) -> str:
    return relative.rpartition("/")[0]


def _prepare_folders(files: Files, root: Path, present: _Present) -> set[str]:
    """Make ``root``'s folders exactly those the files need, and remove files not wanted;
    the folders whose entries this changed (their modification times did).

    Whatever stands in the way goes first: a file where a folder is needed, a folder where
    a file goes.
    """
    wanted = folders_of(files)
    touched: set[str] = set()
    for relative in sorted(present.folders & files.keys()):
        shutil.rmtree(root / relative, ignore_errors=True)
        touched.add(_parent(relative))
        inside = relative + "/"
        for gone in [path for path in present.files if path.startswith(inside)]:
            del present.files[gone]
        present.folders.difference_update(
            {path for path in present.folders if path == relative or path.startswith(inside)}
        )
    for relative in [path for path in present.files if path in wanted or path not in files]:
        os.unlink(root / relative)
        touched.add(_parent(relative))
        del present.files[relative]
    for relative in sorted(present.folders - wanted, reverse=True):  # deepest first
        with suppress(OSError):  # not empty: something the walk did not see appeared
            os.rmdir(root / relative)
        touched.add(_parent(relative))
    for relative in sorted(wanted - present.folders):  # parents first
        os.mkdir(root / relative)
        touched.update((relative, _parent(relative)))
    return touched


#: Files hashed beside the rest (characters or bytes).
_BIG_FILE = 1 << 20


def _write_files(
    files: Files,
    root: Path,
    previous: Path | None,
    written: Written,
    spare: tuple[Written, FolderTimes | None] | None,
    checked: _Present | None = None,
) -> tuple[Written, FolderTimes | None]:
    """Write the files into ``root`` (a fresh folder, or the spare when ``spare`` says what
    it holds), a few threads at a time: on overlay and network filesystems every create is a
    round trip, and the threads overlap them. Also the times of ``root``'s folders but its
    own, when the spare's were known to be as recorded: those this left alone keep them
    (a stat of each of the 17,000 folders was a third of remembering a build).

    A file is kept from the spare when it holds the same bytes as the new file and as the
    previous output (so its modification time stays right for make-like readers); else it is
    hard-linked from the previous output when that holds it unchanged; else it is written.
    Files are never changed in place: the spare's may be links of the output's.
    """
    with ThreadPoolExecutor(max_workers=2) as hashing:
        # SHA-256 lets go of the GIL: the big files (90 MB of 157 on the real corpus) are
        # hashed on the other core meanwhile.
        big = {
            relative: hashing.submit(encoded, text)
            for relative, text in files.items()
            if len(text) >= _BIG_FILE
        }
        present = _Present({}, set())
        times_known = False
        if spare is not None:
            recorded = checked or _as_recorded(root, *spare)
            times_known = recorded is not None and spare[1] is not None
            present = recorded or _walk(root)
        touched = _prepare_folders(files, root, present)
        hashed = {relative: future.result() for relative, future in big.items()}
    held = spare[0] if spare is not None else {}
    result: Written = {}
    todo: list[tuple[str, bytes | memoryview, str, bool]] = []
    for relative, text in files.items():
        data, digest = hashed.get(relative) or encoded(text)
        here = present.files.get(relative)
        kept, before = held.get(relative), written.get(relative)
        if (
            here is not None
            and kept is not None
            and kept == (*here, digest)
            and before is not None
            and before[2] == digest
        ):
            result[relative] = kept
        else:
            todo.append((relative, data, digest, here is not None))

    prior = str(previous) if previous is not None else None

    def write(items: list[tuple[str, bytes | memoryview, str, bool]]) -> Written:
        return {
            relative: put_file(str(root), relative, data, digest, stands, prior, written)
            for relative, data, digest, stands in items
        }

    chunks = [todo[start : start + 64] for start in range(0, len(todo), 64)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        for done in pool.map(write, chunks):
            result.update(done)
    if not times_known or spare is None or spare[1] is None:
        return result, None
    touched.update(_parent(relative) for relative, *_ in todo)
    recorded_times = spare[1]
    times: FolderTimes = {}
    for folder in folders_of(files):
        if folder in touched or folder not in recorded_times:
            times[folder] = os.stat(os.path.join(root, folder)).st_mtime_ns
        else:
            times[folder] = recorded_times[folder]
    return result, times


class SpareCheck:
    """The spare checked against its record by another process as the build starts
    (``sparecheck``): by the time the build writes, it knows what the spare holds without
    0.19 s of stats of its own. Its answer counts only for the very record the build then
    takes the spare with, and where there is none the build checks as before."""

    def __init__(self, out_dir: Path) -> None:
        self._helper: Helper | None = None
        spare = spare_path(out_dir.absolute())
        if spare.is_dir() and not spare.is_symlink():
            arguments = [str(spare), SPARE_MAP, FOLDERS_KEY]
            self._helper = Helper(sparecheck.__name__, arguments, isolated=True)

    def present(self, record: str, held: Written, folders: FolderTimes | None) -> _Present | None:
        """What the spare holds, if the check read the record whose SHA-256 is ``record``
        and found the spare as it says (but for files edited in place, whose stats it gives)."""
        helper, self._helper = self._helper, None
        output = helper.answer() if helper is not None else None
        if output is None or folders is None:
            return None
        try:
            answer = orjson.loads(output)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(answer, dict) or answer.get("record") != record:
            return None
        differing = answer.get("files")
        if not isinstance(differing, dict) or not all(
            relative in held
            and isinstance(entry, list)
            and len(entry) == 2
            and all(type(n) is int for n in entry)
            for relative, entry in differing.items()
        ):
            return None
        return _present(held, folders, differing)

    def close(self) -> None:
        helper, self._helper = self._helper, None
        if helper is not None:
            helper.end()


class TreeWriter:
    """A build's output tree, written into a staging folder as the build hands files over
    (``add``), then swapped in for the output in one step (``finish``); used as a context
    manager, so that a build that fails or is interrupted leaves no staging tree behind.

    When the staging folder is fresh (a first build into a folder, or a build that keeps no
    cache), a writer process (``filewriter``) writes each batch of files as soon as it is
    added, on the second core while the build renders the rest: on the real corpus the
    1.5-2.7 s of writing that followed rendering shrank to what is added last. Each batch
    goes over as one file (``filewriter.write_batch``), so the build never waits on a pipe;
    files of a megabyte or more are written here, one copy into the page cache rather than
    two. Should that process fail to start or die, the files are written here at
    ``finish``. When the build
    stages in the spare, files are only collected and written at ``finish``, since which of
    them to write depends on all of them.

    ``written`` is what the last build wrote there (None when the build keeps no cache):
    files it still holds unchanged are linked, not written again (and keep their
    modification times), and the tree swapped out becomes the next build's spare.
    ``folders``, the times of its folders just after, spare that build a walk of the spare.
    """

    def __init__(
        self,
        out_dir: Path,
        written: Written | None = None,
        folders: FolderTimes | None = None,
        check: SpareCheck | None = None,
    ) -> None:
        self.out_dir = out_dir.absolute()
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        recover_interrupted(self.out_dir)
        self.written = written
        self.folders = folders
        taken = _take_spare(self.out_dir) if written is not None else None
        self.spare: tuple[Written, FolderTimes | None] | None = None
        self.checked: _Present | None = None  # what the spare holds, by ``check``
        if taken is None:
            self.staging = _beside(self.out_dir, "tmp")
            if check is not None:
                check.close()
        else:
            self.staging, (held, spare_folders, record) = taken
            self.spare = (held, spare_folders)
            if check is not None:
                self.checked = check.present(record, held, spare_folders)
        self.previous = self.out_dir if written and self.out_dir.is_dir() else None
        self.collected: dict[str, str | bytes] = {}
        self._handover: str | None = None
        self._writer: Helper | None = None
        self._written_here: Written = {}  # the big files, written by this process
        #: After ``finish``, the output's folders' times, when known without a stat of each.
        self.folder_times: FolderTimes | None = None
        if self.spare is None:
            self._writer = self._start_writer()

    def _start_writer(self) -> Helper | None:
        try:
            self._handover = tempfile.mkdtemp(prefix="extractor-files-")
            written_file = ""
            if self.previous is not None and self.written:
                written_file = os.path.join(self._handover, "written.marshal")
                with open(written_file, "wb") as handle:
                    marshal.dump(self.written, handle)
        except OSError:  # no folder for the batches: write here
            return None
        arguments = [str(self.staging), str(self.previous or ""), written_file]
        writer = Helper(filewriter.__name__, arguments, isolated=True, takes_input=True)
        return writer if writer.process is not None else None

    def add(self, files: Mapping[str, str | bytes]) -> None:
        """Files of the output by relative path; a path added again replaces the file."""
        if self._writer is not None and not self.collected.keys().isdisjoint(files):
            self._stop_writer()  # written twice, by two processes: all of it at ``finish``
        self.collected.update(files)
        if self._writer is None or self._handover is None:
            return
        small = []
        try:
            for relative, content in files.items():
                if len(content) < _BIG_FILE:
                    small.append((relative, as_bytes(content)))
                else:  # one copy into the page cache here, rather than two via the writer
                    self._put_here(relative, content)
            handle, batch = tempfile.mkstemp(dir=self._handover, suffix=".batch")
            with os.fdopen(handle, "wb", buffering=1 << 20) as out:
                write_batch(out, small)
            stdin = self._writer.process.stdin if self._writer.process is not None else None
            assert stdin is not None
            stdin.write(batch.encode() + b"\n")
            stdin.flush()
        except (OSError, ValueError):  # the writer is gone or the disk full: write at finish
            self._stop_writer()

    def _put_here(self, relative: str, content: str | bytes) -> None:
        folder = relative.rpartition("/")[0]
        if folder:
            os.makedirs(self.staging / folder, exist_ok=True)
        data, digest = encoded(content)
        prior = str(self.previous) if self.previous is not None else None
        self._written_here[relative] = put_file(
            str(self.staging), relative, data, digest, False, prior, self.written or {}
        )

    def _stop_writer(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.end()
        if self._handover is not None:
            shutil.rmtree(self._handover, ignore_errors=True)
            self._handover = None

    def _writer_result(self) -> Written | None:
        """What the writer process wrote, once it has written everything; None if it died."""
        if self._writer is None:
            return None
        output = self._writer.answer()  # its input closed: no more batches
        self._stop_writer()
        try:
            result = marshal.loads(output) if output is not None else None
        except (ValueError, EOFError, TypeError):
            return None
        if not isinstance(result, dict):
            return None
        result.update(self._written_here)
        return result if result.keys() == self.collected.keys() else None

    def finish(self) -> Written:
        """Wait for the files, swap the staging tree in; the size, modification time and
        SHA-256 of every file written (what ``written`` is for the next build)."""
        result = self._writer_result()
        times = None
        if result is None:
            if self.spare is None:  # the writer died halfway: start the folder afresh
                shutil.rmtree(self.staging, ignore_errors=True)
                self.staging.mkdir()
            result, times = _write_files(
                self.collected,
                self.staging,
                self.previous,
                self.written or {},
                self.spare,
                self.checked,
            )
        self._swap(result)
        if times is not None:
            with suppress(OSError):
                self.folder_times = {"": os.stat(self.out_dir).st_mtime_ns, **times}
        return result

    def _swap(self, result: Written) -> None:
        out_dir, staging, written = self.out_dir, self.staging, self.written
        aside: Path | None = None
        if not out_dir.exists():
            staging.rename(out_dir)
        elif _exchange(staging, out_dir):
            aside = staging  # staging now holds the old output
        else:
            old = _beside(out_dir, "old")
            old.rmdir()
            out_dir.rename(old)
            staging.rename(out_dir)
            aside = old
        if aside is not None and written:
            _keep_as_spare(aside, out_dir, written, self.folders)
        elif aside is not None:
            _discard(aside, out_dir)
        if written is not None and not spare_path(out_dir).exists():
            _make_spare_later(out_dir, result)

    def __enter__(self) -> TreeWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_rest: object) -> None:
        if kind is None:
            return
        # Ctrl-C, a failed render or a failed rename: drop the staging tree, and put the
        # previous output back if the swap was cut short
        self._stop_writer()
        shutil.rmtree(self.staging, ignore_errors=True)
        with suppress(OSError):
            recover_interrupted(self.out_dir)


def write_tree(
    files: Files,
    out_dir: Path,
    written: Written | None = None,
    folders: FolderTimes | None = None,
) -> Written:
    """Write all files into a staging directory, then swap it in for ``out_dir`` in one step
    (``TreeWriter``, given every file at once)."""
    with TreeWriter(out_dir, written, folders) as writer:
        writer.add(files)
        return writer.finish()
