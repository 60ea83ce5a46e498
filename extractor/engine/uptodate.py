"""Skip a build whose inputs, code and output are exactly as the last build left them.

The per-page cache makes records cheap, but reconciling and rendering 11,000 pages still
costs far more than checking that nothing changed. A build is keyed by every page's path
and file status and by the whole pipeline (code and templates); after writing, the output
files' sizes and modification times are remembered under that key, as make does. A build
with the same key whose output still matches does nothing. A second key, from the pages'
records, catches pages whose bytes changed but whose content did not.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import orjson

from extractor import __version__
from extractor.engine.filewriter import folders_of
from extractor.engine.records import PACKAGE_DIR, digest_files, write_atomically
from extractor.read.corpus import PageFile, Status, status_facts
from extractor.render.templating import templates_dir

#: What a build wrote into an output directory, by relative path: the size, the
#: modification time and the SHA-256 of each file.
Written = dict[str, tuple[int, int, str]]
#: Folders' modification times (ns) by relative path, the root as "".
FolderTimes = dict[str, int]
#: In a ``Written``'s JSON form, the key (no file's path) of its tree's ``FolderTimes``.
FOLDERS_KEY = ""


@cache
def code_version() -> str:
    """A hash of all the pipeline's code and templates: any change makes builds stale."""
    templates = templates_dir()
    code = digest_files(list(PACKAGE_DIR.rglob("*.py")), PACKAGE_DIR)
    return f"{__version__}+{code}+{digest_files(list(templates.rglob('*.j2')), templates)}"


def build_key(pages: list[PageFile], out_dir: Path, inputs: str = "") -> str:
    """A build key from the pages' paths and file status, as make and git's index do.

    Size, modification and change times and inode change whenever a file's bytes do (the
    change time cannot be set back), and reading them costs a stat, where hashing every
    page read 150 MB. A page touched without being changed gets a new key, but its record
    stays the same, and ``records_key`` then skips the build. ``inputs`` keys the build's
    other inputs (the metadata files of ``--metadata``), empty when there are none.
    """
    digest = hashlib.sha256(code_version().encode())
    digest.update(str(out_dir.absolute()).encode())
    if inputs:
        digest.update(f"\0inputs\0{inputs}".encode())
    for page in pages:
        digest.update(page.display.encode())
        facts = page.status or _status(page.path)
        digest.update(f"\0{facts}\0".encode() if facts else b"\0unreadable\0")
    return digest.hexdigest()


def includes_key(files: list[PageFile]) -> str:
    """A key of the include files' paths and status; empty when the tree has none."""
    if not files:
        return ""
    digest = hashlib.sha256()
    for file in files:
        digest.update(f"{file.display}\0{file.status}\0".encode())
    return f"+includes:{digest.hexdigest()}"


def _status(path: Path) -> Status | None:
    try:
        return status_facts(os.stat(path))
    except OSError:
        return None


def records_key(digests: list[str], out_dir: Path, inputs: str = "") -> str:
    """A build key from what the pages say (their records' ``content_digest``) rather than
    their bytes: a page edited without changing what it says (a comment, trailing spaces)
    keeps this key, so its build is skipped once its record is known."""
    digest = hashlib.sha256(f"records\0{code_version()}\0{out_dir.absolute()}".encode())
    if inputs:
        digest.update(f"\0inputs\0{inputs}".encode())
    for record_digest in digests:
        digest.update(record_digest.encode())
    return digest.hexdigest()


def _snapshot(out_dir: Path) -> dict[str, dict[str, Any]]:
    """Every file's size and modification time, and every folder's modification time."""
    files: dict[str, list[int]] = {}
    folders: dict[str, int] = {}
    root = str(out_dir)
    for folder, _, names in os.walk(root):
        prefix = folder[len(root) + 1 :]
        folders[prefix] = os.stat(folder).st_mtime_ns
        for name in names:
            status = os.stat(os.path.join(folder, name))
            files[f"{prefix}/{name}" if prefix else name] = [status.st_size, status.st_mtime_ns]
    return {"files": files, "folders": folders}


def _folder_times(out_dir: Path, files: Iterable[str]) -> dict[str, int]:
    folders = {"", *folders_of(files)}
    return {folder: os.stat(os.path.join(out_dir, folder)).st_mtime_ns for folder in folders}


def _unchanged_since(out_dir: Path, remembered: dict[str, Any]) -> bool:
    """Whether the tree is as remembered, by a stat of each remembered file and folder.

    No listing is needed: a file or folder added, removed or renamed anywhere changes its
    folder's modification time, and a file written in place its own. (Walking the 17,000
    folders of the corpus's output took 0.33 s; the stats take 0.14 s.)
    """
    root = str(out_dir)
    for folder, mtime in remembered["folders"].items():
        status = os.stat(os.path.join(root, folder))
        if not stat.S_ISDIR(status.st_mode) or status.st_mtime_ns != mtime:
            return False
    for relative, (size, mtime) in remembered["files"].items():
        status = os.stat(os.path.join(root, relative))
        if not stat.S_ISREG(status.st_mode):
            return False
        if (status.st_size, status.st_mtime_ns) != (size, mtime):
            return False
    return True


def _manifest(cache_dir: Path, key: str) -> Path:
    return cache_dir / "builds" / f"{key}.json"


def output_is_current(cache_dir: Path | None, key: str, out_dir: Path) -> bool:
    """True when the last build with this key wrote ``out_dir`` and nobody touched it since."""
    if cache_dir is None or not out_dir.is_dir():
        return False
    try:
        remembered = json.loads(_manifest(cache_dir, key).read_text(encoding="utf-8"))
        return (
            isinstance(remembered, dict)
            and bool(remembered.get("files"))
            and _unchanged_since(out_dir, remembered)
        )
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return False


def remember(
    cache_dir: Path | None,
    keys: Iterable[str],
    out_dir: Path,
    written: Written | None = None,
    folders: FolderTimes | None = None,
) -> None:
    """Note that builds with these keys left ``out_dir`` as it is now; ``written``, what a
    build just wrote there (size, modification time, SHA-256 of each file), spares a walk
    over the tree and lets the next build link what it leaves unchanged; ``folders``, the
    times of its folders (root included) when the writer knows them, a stat of each."""
    wanted = [key for key in keys if key]
    if cache_dir is None or not wanted:
        return
    snapshot: dict[str, Any]
    try:
        if written is not None:
            snapshot = {
                "files": {path: [size, mtime] for path, (size, mtime, _) in written.items()},
                "folders": folders if folders is not None else _folder_times(out_dir, written),
            }
        else:
            snapshot = _snapshot(out_dir)
    except OSError:
        return
    text = _json(snapshot)
    for key in wanted:
        write_atomically(_manifest(cache_dir, key), text)
    if written is not None:
        entries: dict[str, Any] = {path: list(entry) for path, entry in written.items()}
        entries[FOLDERS_KEY] = snapshot["folders"]
        write_atomically(_written_file(cache_dir, out_dir), _json(entries))


def _json(data: dict[str, Any]) -> str:
    """Compact JSON with sorted keys; orjson writes 28,000 entries in a tenth of the time."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()


def remember_alias(cache_dir: Path | None, known: str, key: str) -> None:
    """Note that a build with ``key`` leaves the output as the build with ``known`` did
    (the manifest is copied: walking the output again to remember it took a third of a
    second)."""
    if cache_dir is None or not key:
        return
    try:
        text = _manifest(cache_dir, known).read_text(encoding="utf-8")
    except OSError:
        return
    write_atomically(_manifest(cache_dir, key), text)


def _written_file(cache_dir: Path, out_dir: Path) -> Path:
    name = hashlib.sha256(str(out_dir.absolute()).encode()).hexdigest()
    return cache_dir / "builds" / f"written-{name}.json"


def written_outputs(
    cache_dir: Path | None, out_dir: Path
) -> tuple[Written | None, FolderTimes | None]:
    """What the last build into ``out_dir`` wrote: size, modification time and SHA-256,
    and the times of its folders just after (None when unknown); None without a cache (so
    nothing is remembered for the next build either)."""
    if cache_dir is None:
        return None, None
    try:
        data = json.loads(_written_file(cache_dir, out_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, None
    return written_from(data) or {}, folder_times_from(data)


def folder_times_from(data: object) -> FolderTimes | None:
    """The ``FolderTimes`` in a ``Written``'s JSON form, if it holds them whole."""
    times = data.get(FOLDERS_KEY) if isinstance(data, dict) else None
    if not isinstance(times, dict):
        return None
    if not all(isinstance(key, str) and type(value) is int for key, value in times.items()):
        return None
    return times


def written_from(data: object) -> Written | None:
    """A ``Written`` from its JSON form, without the entries that do not fit it; None
    when ``data`` is not a mapping at all."""
    if not isinstance(data, dict):
        return None
    written: Written = {}
    for path, entry in data.items():
        if (
            isinstance(entry, list)
            and len(entry) == 3
            and all(isinstance(part, int) for part in entry[:2])
            and isinstance(entry[2], str)
        ):
            written[path] = (entry[0], entry[1], entry[2])
    return written
