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


@dataclass(frozen=True, slots=True)
class PageFile:
    path: Path
    display: str  # the path as diagnostics, records and sources show it


def display_path(path: Path) -> str:
    """Relative to the working directory when below it, so outputs do not leak machine paths."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _walk(root: Path) -> Iterable[Path]:
    def fail(error: OSError) -> None:
        raise InputError(f"cannot read {error.filename or root}: {error.strerror or error}")

    for folder, subfolders, files in os.walk(root, onerror=fail, followlinks=False):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(files):
            if name.endswith(PAGE_SUFFIXES) and not name.startswith("."):
                yield Path(folder) / name


def _check_page(path: Path) -> None:
    """A page must be a regular file we may read: reading a FIFO would block the build forever,
    and a symlink loop or a dangling link should be named as such, not as a permission."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from error
    if not stat.S_ISREG(mode):
        raise InputError(f"cannot read {path}: not a regular file")
    if not os.access(path, os.R_OK):
        raise InputError(f"cannot read {path}: permission denied")


def discover(paths: Iterable[str | Path]) -> list[PageFile]:
    """Every page below the given paths, sorted by display path, each once."""
    found: dict[str, PageFile] = {}
    for given in paths:
        path = Path(given)
        try:
            is_dir = stat.S_ISDIR(path.stat().st_mode)
        except FileNotFoundError as error:
            raise InputError(f"no such file or directory: {given}") from error
        except OSError as error:  # a symlink loop, a file used as a folder, ...
            raise InputError(f"cannot read {given}: {error.strerror or error}") from error
        if not is_dir:
            _check_page(path)
            found.setdefault(display_path(path), PageFile(path=path, display=display_path(path)))
            continue
        root = display_path(path)  # resolved once; pages below keep the path they were found at
        for candidate in _walk(path):
            _check_page(candidate)
            relative = candidate.relative_to(path).as_posix()
            display = relative if root == "." else f"{root}/{relative}"
            found.setdefault(display, PageFile(path=candidate, display=display))
    return [found[key] for key in sorted(found)]
