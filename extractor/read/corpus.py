"""Find the page files a user named: files as given, directories searched recursively."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PAGE_SUFFIXES = (".md", ".txt")


class InputError(Exception):
    """Input the user named cannot be read; the CLI turns it into one line and exit 2."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


#: What ``buildcache.build_key`` reads of a page file: size, modification and change times, inode.
Status = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class PageFile:
    path: Path
    display: str  # the path as diagnostics, records and sources show it
    status: Status | None = None  # as the page was found (None: not read yet)
    #: Why the walk could not read it (a dangling link, a FIFO, no permission): the page
    #: still goes to the reader, which gives it an ``unreadable`` record, and the rest builds.
    problem: str | None = None
    #: The docs tree the page was found in (the folder named, or a named file's folder), and
    #: that folder as displayed: its includes are resolved within it and nowhere else.
    root: Path | None = None
    root_display: str = ""


#: Pages are never read from a folder of this name: its files are read when pages include them.
INCLUDES_FOLDER = "includes"


def display_path(path: Path) -> str:
    """Relative to the working directory when below it, so outputs do not leak machine paths."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


Found = list[tuple[str, str, Status | None, str | None]]


def _pages_below(folder: str, relative: str, found: Found, includes: Found | None = None) -> None:
    """Add (path, path below the root, status, problem) of each page file to ``found``, in the order
    ``os.walk`` gives them: a folder's pages by name, then its sub-folders by name. Names
    starting with a dot are skipped, and so are folders reached through symbolic links. One
    ``scandir`` per folder and one ``stat`` per page: the search was 0.3 s of each build of
    11,000 pages. A folder or page that cannot be read is kept with its problem: one
    unreadable file must not stop the whole build. Files below an ``includes`` folder go to
    ``includes`` instead (when given): they are not pages, but a page's record depends on them."""
    try:
        with os.scandir(folder) as scanned:
            entries = sorted(scanned, key=lambda entry: entry.name)
    except OSError as error:
        if not relative:  # the folder the user named
            where = error.filename or folder
            raise InputError(f"cannot read {where}: {error.strerror or error}") from error
        found.append((folder, relative, None, f"cannot read the folder: {error.strerror}"))
        return
    folders = []
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        below = f"{relative}/{name}" if relative else name
        if entry.is_dir(follow_symlinks=False):
            folders.append((entry.path, below))
        elif name.endswith(PAGE_SUFFIXES) and not _linked_folder(entry):
            try:
                found.append((entry.path, below, _page_status(entry.path, entry), None))
            except InputError as error:
                found.append((entry.path, below, None, error.reason))
    for path, below in folders:
        if below.rsplit("/", 1)[-1] == INCLUDES_FOLDER:
            if includes is not None:
                _pages_below(path, below, includes, None)
            continue
        _pages_below(path, below, found, includes)


def _linked_folder(entry: os.DirEntry[str]) -> bool:
    """A symbolic link to a folder, which is not searched (as ``os.walk`` without
    ``followlinks``); a link that cannot be followed is a page, named as such when read."""
    try:
        return entry.is_symlink() and entry.is_dir()
    except OSError:  # a loop of links
        return False


def _page_status(path: str, entry: os.DirEntry[str] | None = None) -> Status:
    """A page must be a regular file we may read: reading a FIFO would block the build forever,
    and a symlink loop or a dangling link should be named as such, not as a permission."""
    try:
        status = entry.stat() if entry is not None else os.stat(path)  # the entry's is cached
    except OSError as error:
        reason = str(error.strerror or error)
        raise InputError(f"cannot read {path}: {reason}", reason) from error
    if not stat.S_ISREG(status.st_mode):
        raise InputError(f"cannot read {path}: not a regular file", "not a regular file")
    if not os.access(path, os.R_OK):
        raise InputError(f"cannot read {path}: permission denied", "permission denied")
    return status_facts(status)


def status_facts(status: os.stat_result) -> Status:
    return status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino


def discover(paths: Iterable[str | Path], includes: list[PageFile] | None = None) -> list[PageFile]:
    """Every page below the given paths, sorted by display path, each once; the files below
    ``includes`` folders are added to ``includes`` (when given), not taken as pages."""
    found: dict[str, PageFile] = {}
    extra: dict[str, PageFile] = {}
    for given in paths:
        path = Path(given)
        try:
            is_dir = stat.S_ISDIR(path.stat().st_mode)
        except FileNotFoundError as error:
            raise InputError(f"no such file or directory: {given}") from error
        except OSError as error:  # a symlink loop, a file used as a folder, ...
            raise InputError(f"cannot read {given}: {error.strerror or error}") from error
        if not is_dir:
            status = _page_status(os.fspath(path))
            display = display_path(path)
            parent = path.parent
            page = PageFile(path, display, status, None, parent, display_path(parent))
            found.setdefault(display, page)
            continue
        root = display_path(path)  # resolved once; pages below keep the path they were found at
        below: Found = []
        included: Found = []
        _pages_below(os.fspath(path), "", below, included)
        for candidate, relative, found_status, problem in below:
            display = relative if root == "." else f"{root}/{relative}"
            page = PageFile(Path(candidate), display, found_status, problem, path, root)
            found.setdefault(display, page)
        for candidate, relative, found_status, problem in included:
            display = relative if root == "." else f"{root}/{relative}"
            page = PageFile(Path(candidate), display, found_status, problem, path, root)
            extra.setdefault(display, page)
    if includes is not None:
        includes.extend(extra[key] for key in sorted(extra))
    return [found[key] for key in sorted(found)]
