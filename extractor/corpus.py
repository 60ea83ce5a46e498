"""Find the page files a user named: files as given, directories searched recursively."""

from __future__ import annotations

import os
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


def discover(paths: Iterable[str | Path]) -> list[PageFile]:
    """Every page below the given paths, sorted by display path, each once."""
    found: dict[str, PageFile] = {}
    for given in paths:
        path = Path(given)
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.is_file()
        except OSError as error:
            raise InputError(f"cannot read {given}: {error.strerror or error}") from error
        if not exists:
            raise InputError(f"no such file or directory: {given}")
        candidates = _walk(path) if is_dir else [path]
        for candidate in candidates:
            if not os.access(candidate, os.R_OK):
                raise InputError(f"cannot read {candidate}: permission denied")
            page = PageFile(path=candidate, display=display_path(candidate))
            found.setdefault(page.display, page)
    return [found[key] for key in sorted(found)]
