"""Check the output's spare against its record in a process of its own, while the build
starts.

Before a build stages in its spare (``outtree``), it must know what the spare holds: a stat
of each of the 45,000 files and folders its record names, 0.19 s of a one-page build on the
real corpus. Nothing in that depends on the build, while the build's first second (imports,
finding the pages, loading the kept state) leaves the second core idle: so this script,
started with the build, makes the stats then. It imports only the standard library.

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
from contextlib import suppress


def differing_files(
    root: str, record: dict[str, object], record_name: str, folders_key: str
) -> dict[str, list[int]] | None:
    """The files whose size or time differ from ``record``; None when the tree's shape does."""
    folders = record.get(folders_key)
    if not isinstance(folders, dict):
        return None
    held = {
        path: entry
        for path, entry in record.items()
        if path != folders_key and isinstance(entry, list) and len(entry) == 3
    }
    wanted = {""}
    for relative in held:
        folder = relative.rpartition("/")[0]
        while folder and folder not in wanted:
            wanted.add(folder)
            folder = folder.rpartition("/")[0]
    if set(folders) != wanted:
        return None
    top = {relative.partition("/")[0] for relative in held}
    differing: dict[str, list[int]] = {}
    try:
        if set(os.listdir(root)) - {record_name} != top:
            return None
        for folder, mtime in folders.items():
            status = os.lstat(os.path.join(root, folder))
            if folder and (not stat.S_ISDIR(status.st_mode) or status.st_mtime_ns != mtime):
                return None
        for relative, entry in held.items():
            status = os.lstat(os.path.join(root, relative))
            if not stat.S_ISREG(status.st_mode):
                return None
            if [status.st_size, status.st_mtime_ns] != entry[:2]:
                differing[relative] = [status.st_size, status.st_mtime_ns]
    except OSError:
        return None
    return differing


def main(root: str, record_name: str, folders_key: str) -> None:
    answer: dict[str, object] = {"record": None, "files": None}
    with suppress(OSError, ValueError):
        with open(os.path.join(root, record_name), "rb") as handle:
            data = handle.read()
        answer["record"] = hashlib.sha256(data).hexdigest()
        record = json.loads(data)
        if isinstance(record, dict):
            answer["files"] = differing_files(root, record, record_name, folders_key)
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()


if __name__ == "__main__":  # python -I -S sparecheck.py SPARE RECORD FOLDERS-KEY BUILD
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from extractor.helpers import follow_build

    follow_build(int(sys.argv[4]))
    main(*sys.argv[1:4])
