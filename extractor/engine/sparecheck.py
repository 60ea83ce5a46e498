"""Check the output's spare against its record in a process of its own, while the build
starts.

Before a build stages in its spare (``outtree``), it must know what the spare holds: a stat
of each of the 45,000 files and folders its record names, 0.19 s of a one-page build on the
real corpus. Nothing in that depends on the build, while the build's first second (imports,
finding the pages, loading the kept state) leaves the second core idle: so this script,
started with the build, makes the stats then (``differing_files``, which the build also
calls itself when it has no answer). It imports only the standard library.

It prints JSON: the SHA-256 of the record it read (the build trusts the answer only for
that very record), and ``files``, the size and modification time of each file whose own
differ from the record (a file edited in place); ``files`` is null when the spare is not as
its record says (a folder added, removed or changed, a file gone or of another kind), or has
no folder times: the build then checks or walks the spare itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from collections.abc import Mapping, Sequence
from contextlib import suppress

from extractor.engine.filewriter import folders_of
from extractor.engine.subprocesses import helper_arguments


def differing_files(
    root: str, held: Mapping[str, Sequence[object]], folders: Mapping[str, int], ignore: str = ""
) -> dict[str, list[int]] | None:
    """The files under ``root`` whose size or time differ from ``held``'s (size, time, ...);
    None when the tree's shape does: a folder not as ``folders`` (relative path to time; the
    root's own is never read), a file gone or of another kind, an entry at the root other
    than ``held``'s and ``ignore``. A file or folder added, removed or renamed in a folder
    changes that folder's time, and a file written in place its own."""
    if set(folders) != {"", *folders_of(held)}:
        return None
    top = {relative.partition("/")[0] for relative in held}
    differing: dict[str, list[int]] = {}
    try:
        if set(os.listdir(root)) - {ignore} != top:
            return None
        for folder, mtime in folders.items():
            status = os.lstat(os.path.join(root, folder))
            if folder and (not stat.S_ISDIR(status.st_mode) or status.st_mtime_ns != mtime):
                return None
        for relative, entry in held.items():
            status = os.lstat(os.path.join(root, relative))
            if not stat.S_ISREG(status.st_mode):
                return None
            if status.st_size != entry[0] or status.st_mtime_ns != entry[1]:
                differing[relative] = [status.st_size, status.st_mtime_ns]
    except OSError:
        return None
    return differing


def main() -> None:
    """In the checking process: ``SPARE RECORD-NAME FOLDERS-KEY``."""
    root, record_name, folders_key = helper_arguments()
    answer: dict[str, object] = {"record": None, "files": None}
    with suppress(OSError, ValueError):
        with open(os.path.join(root, record_name), "rb") as handle:
            data = handle.read()
        answer["record"] = hashlib.sha256(data).hexdigest()
        record = json.loads(data)
        folders = record.get(folders_key) if isinstance(record, dict) else None
        if isinstance(folders, dict):
            held = {
                path: entry
                for path, entry in record.items()
                if path != folders_key and isinstance(entry, list) and len(entry) == 3
            }
            answer["files"] = differing_files(root, held, folders, record_name)
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()
