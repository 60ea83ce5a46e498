"""Double buffering: the previous output kept beside the output as a *spare*, to stage in.

When the build knows what the previous output holds (``written``, from the cache), the tree
swapped out is not deleted but kept as the spare, and the next build stages in it, changing
only the files that differ. A one-page edit then costs a walk of the spare and a few
writes, instead of 17,000 folders made and 28,000 files linked, and the 45,000 inodes of an
old tree are no longer freed on every build (on ext4 without a journal, inodes freed in the
last minutes make every new file slow to create). The first build into a folder gets its
spare from a detached low-priority process that links a copy of the new output, as the
previous output is deleted in the background.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import NamedTuple

import orjson

from extractor.engine import sparecheck
from extractor.engine.filewriter import encoded, put_file
from extractor.engine.sparecheck import differing_files
from extractor.engine.subprocesses import Helper
from extractor.engine.swap import DETACH, Files, beside, detached, discard
from extractor.engine.uptodate import (
    FOLDERS_KEY,
    FolderTimes,
    Written,
    folder_times_from,
    folders_of,
    written_from,
)

__all__ = [
    "BIG_FILE",
    "SPARE_MAP",
    "Present",
    "SpareCheck",
    "keep_as_spare",
    "make_spare_later",
    "spare_path",
    "take_spare",
    "write_files",
]

#: The spare's own record of its files, at its root; removed when the spare is used.
SPARE_MAP = ".extractor-spare.json"


def spare_path(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.spare"


#: Links a copy of the output (argv 1) into a folder (argv 2), adds the copy's folder times
#: to the record there (argv 4), then names it the spare (argv 3); the copy is removed when
#: it fails, or when a spare is already there. The folder times are taken once everything
#: is linked, so that the next build checks the spare by a stat of what the record names
#: instead of walking it (0.25-0.7 s on the real corpus); the root's own time is never read.
_SPARE_MAKER = DETACH + (
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


def take_spare(out_dir: Path) -> tuple[Path, tuple[Written, FolderTimes | None, str]] | None:
    """The spare moved to a staging name, with what it holds; None when there is none usable.

    Under the staging name, a build killed while changing it leaves only a leftover that
    ``recover_interrupted`` removes: a half-changed spare is never taken again.
    """
    spare = spare_path(out_dir)
    if not spare.is_dir() or spare.is_symlink():
        return None
    staging = beside(out_dir, "tmp")
    try:
        spare.rename(staging)  # onto the empty folder mkdtemp made
    except OSError:
        staging.rmdir()
        return None
    record = _load_map(staging)
    if record is None:  # not one of ours, or its record was lost: start afresh
        discard(staging, out_dir)
        return None
    with suppress(OSError):
        (staging / SPARE_MAP).unlink()
    return staging, record


def keep_as_spare(
    folder: Path, out_dir: Path, written: Written, folders: FolderTimes | None
) -> None:
    """Keep the tree the swap took out (the previous output, which ``written`` and
    ``folders`` describe)."""
    spare = spare_path(out_dir)
    if spare.exists():  # one a background maker finished meanwhile
        discard(spare, out_dir)
    if not _save_map(folder, written, folders):
        discard(folder, out_dir)
        return
    try:
        folder.rename(spare)
    except OSError:
        discard(folder, out_dir)


def make_spare_later(out_dir: Path, written: Written) -> None:
    """Have a detached process link a copy of the new output as the next build's spare."""
    if spare_path(out_dir).exists():
        return
    making = beside(out_dir, "spare-making")
    arguments = (str(out_dir), str(making), str(spare_path(out_dir)), str(making / SPARE_MAP))
    if not (_save_map(making, written) and detached(_SPARE_MAKER, *arguments, holding=making)):
        shutil.rmtree(making, ignore_errors=True)


class Present(NamedTuple):
    """What a reused staging tree holds: files with their size and modification time, and
    folders, by relative path."""

    files: dict[str, tuple[int, int]]
    folders: set[str]


def _walk(root: Path) -> Present:
    present = Present({}, set())
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


def _as_recorded(root: Path, held: Written, folders: FolderTimes | None) -> Present | None:
    """What a spare holds, by a stat of each file and folder its record names instead of a
    walk (which took 0.25 s on the real corpus's output, 0.7 s when its folders were no
    longer cached); None when a folder differs from the record, or the record has none:
    then the tree is walked. (``SpareCheck`` makes the same stats in another process.)"""
    if folders is None:
        return None
    differing = differing_files(str(root), held, folders)
    return None if differing is None else _present(held, folders, differing)


def _present(held: Written, folders: FolderTimes, differing: Mapping[str, list[int]]) -> Present:
    """What a tree holds: ``held``'s files at their recorded size and time but for those
    that ``differing`` says differ, and ``folders``' folders."""
    files = {relative: (entry[0], entry[1]) for relative, entry in held.items()}
    files.update({relative: (entry[0], entry[1]) for relative, entry in differing.items()})
    return Present(files, set(folders) - {""})


def _parent(relative: str) -> str:
    return relative.rpartition("/")[0]


def _prepare_folders(files: Files, root: Path, present: Present) -> set[str]:
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
BIG_FILE = 1 << 20


def write_files(
    files: Files,
    root: Path,
    previous: Path | None,
    written: Written,
    spare: tuple[Written, FolderTimes | None] | None,
    checked: Present | None = None,
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
            if len(text) >= BIG_FILE
        }
        present = Present({}, set())
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

    def present(self, record: str, held: Written, folders: FolderTimes | None) -> Present | None:
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
