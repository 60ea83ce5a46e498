"""Pages read straight from git objects: ``REPO@REV [SUBPATH]`` or ``REV1..REV2``.

No checkout and no worktree: ``git ls-tree -r`` names each page's blob, and only the blobs
whose records are not cached are read, in one ``git cat-file --batch``. A record is cached
under (pipeline version, path, blob id): the path is the page's path in the repository (what
a record's version and locale hints are read from), so two revisions that share a page share
its record, and a second diff that shares a revision reads only the pages that changed.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from extractor.engine.records import (
    _looks_whole,
    pipeline_version,
    record_from_bytes,
    write_atomically,
)
from extractor.read.corpus import PAGE_SUFFIXES
from extractor.schema import PageRecord, SpecRevision

__all__ = ["GitPages", "GitSourceError", "parse_git_source", "read_git_records"]

_RANGE = re.compile(r"^(?P<a>[^.\s][^\s]*?)\.\.(?P<b>[^.\s][^\s]*)$")


class GitSourceError(Exception):
    """A repository or revision that cannot be read; one line, fit to show."""


@dataclass
class Revision:
    """One revision as read: its pages' records and blob ids (by path), and its facts."""

    records: list[PageRecord]
    blobs: list[str]
    revision: SpecRevision


@dataclass(frozen=True)
class GitPages:
    """Pages of one revision: the repository, the revision as named, the folder below."""

    repository: str
    revision: str
    subpath: str = ""


def _is_repository(path: str) -> bool:
    return Path(path).is_dir() and _git(path, "rev-parse", "--git-dir", check=False) is not None


def parse_git_source(text: str, subpath: str = "") -> GitPages | None:
    """``REPO@REV`` as pages of a git revision; None when ``text`` names no repository."""
    repository, at, revision = text.rpartition("@")
    if not at or not repository or not revision or not _is_repository(repository):
        return None
    return GitPages(repository, revision, subpath.strip("/"))


def parse_git_range(
    text: str, subpath: str = "", cwd: str = "."
) -> tuple[GitPages, GitPages] | None:
    """``REV1..REV2`` against the repository of the working directory."""
    found = _RANGE.match(text)
    if found is None or not _is_repository(cwd):
        return None
    root = _git(cwd, "rev-parse", "--show-toplevel")
    assert root is not None
    top = root.decode().strip()
    return GitPages(top, found["a"], subpath.strip("/")), GitPages(
        top, found["b"], subpath.strip("/")
    )


def _git(
    repository: str, *args: str, check: bool = True, data: bytes | None = None
) -> bytes | None:
    try:
        done = subprocess.run(
            ["git", "-C", repository, *args],
            input=data,
            capture_output=True,
            check=False,
        )
    except OSError as error:
        raise GitSourceError(f"cannot run git: {error.strerror or error}") from error
    if done.returncode != 0:
        if not check:
            return None
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitSourceError(
            f"git {args[0]} in {repository}: {message[-1] if message else 'failed'}"
        )
    return done.stdout


def resolve(source: GitPages) -> str:
    """The commit a revision names."""
    out = _git(
        source.repository,
        "rev-parse",
        "--verify",
        "--quiet",
        f"{source.revision}^{{commit}}",
        check=False,
    )
    if not out:
        raise GitSourceError(f"{source.repository}: no revision {source.revision!r}")
    return out.decode().strip()


def list_pages(source: GitPages, commit: str) -> list[tuple[str, str]]:
    """(path in the repository, blob id) of every page below the subpath, sorted by path."""
    args = ["ls-tree", "-r", "-z", "--full-tree", commit]
    if source.subpath:
        args += ["--", source.subpath]
    out = _git(source.repository, *args)
    assert out is not None
    pages = []
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, path_bytes = entry.partition(b"\t")
        mode, kind, blob = meta.decode().split()
        path = path_bytes.decode("utf-8", "surrogateescape")
        hidden = any(part.startswith(".") for part in path.split("/"))
        if kind == "blob" and mode != "120000" and path.endswith(PAGE_SUFFIXES) and not hidden:
            pages.append((path, blob))
    if source.subpath and not pages:
        raise GitSourceError(
            f"{source.repository}@{source.revision}: no pages below {source.subpath}"
        )
    return sorted(pages)


def read_blobs(repository: str, blobs: Sequence[str]) -> dict[str, bytes]:
    """The bytes of each blob, in one ``git cat-file --batch``."""
    if not blobs:
        return {}
    out = _git(repository, "cat-file", "--batch", data="".join(f"{b}\n" for b in blobs).encode())
    assert out is not None
    found: dict[str, bytes] = {}
    at = 0
    for blob in blobs:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        if len(header) != 3:
            raise GitSourceError(f"{repository}: blob {blob} missing")
        size = int(header[2])
        found[blob] = out[end + 1 : end + 1 + size]
        at = end + 1 + size + 1
    return found


def _cache_file(cache_dir: Path, path: str, blob: str) -> Path:
    key = hashlib.sha256(f"{pipeline_version()}\0{path}\0git-blob:{blob}".encode()).hexdigest()
    return cache_dir / pipeline_version() / "git" / key[:2] / f"{key}.json"


def _cached(cache_dir: Path | None, path: str, blob: str) -> str | None:
    if cache_dir is None:
        return None
    with suppress(OSError, UnicodeDecodeError):
        text = _cache_file(cache_dir, path, blob).read_text(encoding="utf-8")
        if _looks_whole(text, path):
            return text
    return None


def _records_of(item: tuple[str, bytes]) -> str:
    return record_from_bytes(item[0], item[1])


def read_git_records(
    sources: Sequence[GitPages],
    jobs: int | None,
    cache_dir: Path | None,
    tick: Callable[[int], None] = lambda _n: None,
) -> list[Revision]:
    """The records of each revision's pages (sorted by path) and the revision's facts; a
    page shared by several revisions (same path, same blob) is read once, and is the same
    record object in each (what ``Reconciliation.update`` and the diff take as unchanged)."""
    listed = []
    for source in sources:
        commit = resolve(source)
        listed.append((source, commit, list_pages(source, commit)))
    texts: dict[tuple[str, str], str] = {}
    missing: dict[str, set[tuple[str, str]]] = {}
    for source, _commit, pages in listed:
        for path, blob in pages:
            if (path, blob) in texts:
                continue
            hit = _cached(cache_dir, path, blob)
            if hit is not None:
                texts[(path, blob)] = hit
            else:
                missing.setdefault(source.repository, set()).add((path, blob))
    for repository, wanted in missing.items():
        ordered = sorted(wanted)
        data = read_blobs(repository, sorted({blob for _, blob in ordered}))
        items = [(path, data[blob]) for path, blob in ordered]
        for (path, blob), text in zip(ordered, _compute(items, jobs), strict=True):
            texts[(path, blob)] = text
            if cache_dir is not None:
                write_atomically(_cache_file(cache_dir, path, blob), text)
    parsed: dict[tuple[str, str], PageRecord] = {}
    results = []
    for source, commit, pages in listed:
        records = []
        for page in pages:  # a page two revisions share is one record object
            if page not in parsed:
                parsed[page] = PageRecord.model_validate_json(texts[page])
            records.append(parsed[page])
        tick(len(pages))
        revision = SpecRevision(
            repository=source.repository,
            revision=source.revision,
            commit=commit,
            subpath=source.subpath,
        )
        results.append(Revision(records, [blob for _, blob in pages], revision))
    return results


def _compute(items: list[tuple[str, bytes]], jobs: int | None) -> list[str]:
    workers = jobs or os.cpu_count() or 1
    if workers <= 1 or len(items) < 16:
        return [_records_of(item) for item in items]
    chunk = max(1, len(items) // (workers * 8))
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(_records_of, items, chunksize=chunk))
