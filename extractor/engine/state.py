"""Keep a build's reconciliation, so that the next build redoes only what changed pages feed.

After a build, the spec's parts (``reconcile.Reconciliation``) are kept in the cache with an
index of the pages they were made from: each page's file status (as ``build_key`` reads it),
its record's ``content_digest`` and its record's ``skeleton``. The next build into the same
output directory reads the index (a few MB), finds the pages whose status changed, reads
only those, and asks the reconciliation to update the parts they feed. Anything it cannot
update exactly (an added or removed page, a changed id, type name or reference) makes it a
whole build, so the output is the same either way.

The index and the reconciliation are two files that carry one token: a pair written by two
builds at once is never mixed. Both are pickles of this package's own classes, in the
user's own cache, keyed by the code's version; anything that does not load is ignored.
Keeping them takes about a second on the real corpus, so a detached process does it after
the build has written its output (``keep_later``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import secrets
import signal
import sys
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from extractor.engine.lock import release_in_child
from extractor.read.corpus import PageFile, Status
from extractor.reconcile import Reconciliation, skeleton
from extractor.reuse import Kept
from extractor.schema import PageRecord

__all__ = [
    "BuildIndex",
    "PageEntry",
    "entries_of",
    "keep_later",
    "keeping_marker",
    "load_index",
    "save_state",
]

#: Per page path: its file status when read, its record's content digest and skeleton.
PageEntry = tuple[Status | None, str, str]
_SAVING = ".saving-"
_KEEPING = ".keeping-"


@dataclass
class BuildIndex:
    """What the last build read: enough to tell which pages changed, without the spec."""

    token: str
    entries: dict[str, PageEntry]
    file: Path  # the reconciliation this index describes

    def changed(self, pages: Sequence[PageFile]) -> list[PageFile] | None:
        """The pages whose file changed since; None when pages were added or removed."""
        if len(pages) != len(self.entries):
            return None
        changed = []
        for page in pages:
            entry = self.entries.get(page.display)
            if entry is None:
                return None
            if page.status is None or entry[0] != page.status:
                changed.append(page)
        return changed

    def digests(self, pages: Sequence[PageFile], new: dict[str, str]) -> list[str]:
        """Every page's content digest, in page order, with ``new`` ones replacing."""
        return [new.get(page.display) or self.entries[page.display][1] for page in pages]

    def skeletons(self) -> dict[str, str]:
        return {display: entry[2] for display, entry in self.entries.items()}

    def updated(self, pages: Sequence[PageFile], digests: Sequence[str]) -> dict[str, PageEntry]:
        """The entries after an update: new statuses and digests; skeletons stay (an update
        is only made when every changed page kept its skeleton)."""
        return {
            page.display: (page.status, digest, self.entries[page.display][2])
            for page, digest in zip(pages, digests, strict=True)
        }

    def reconciliation(self) -> tuple[Reconciliation, dict[str, Kept]] | None:
        """The reconciliation saved with this index, and the rendered pieces made from it;
        None when it is missing, torn, foreign, or from another build than the index."""
        try:
            with open(self.file, "rb") as handle:
                token, reconciliation, pieces = pickle.load(handle)
        except Exception:  # a damaged pickle raises anything
            return None
        if (
            token != self.token
            or not isinstance(reconciliation, Reconciliation)
            or not isinstance(pieces, dict)
        ):
            return None
        return reconciliation, pieces


def entries_of(
    pages: Sequence[PageFile],
    digests: Sequence[str],
    records: Sequence[PageRecord],
    reconciliation: Reconciliation,
) -> dict[str, PageEntry]:
    """The entries of a whole build: each page's status, content digest and skeleton."""
    inferred = reconciliation.inferred_keys()
    return {
        page.display: (page.status, digest, skeleton(record, inferred))
        for page, digest, record in zip(pages, digests, records, strict=True)
    }


def _paths(cache_dir: Path, out_dir: Path) -> tuple[Path, Path]:
    name = hashlib.sha256(str(out_dir.absolute()).encode()).hexdigest()
    folder = cache_dir / "states"
    return folder / f"{name}.index", folder / f"{name}.reconciliation"


def load_index(cache_dir: Path, out_dir: Path, code: str) -> BuildIndex | None:
    """The index of the last build into ``out_dir`` with this code; None when there is none."""
    index_file, reconciliation_file = _paths(cache_dir, out_dir)
    try:
        with open(index_file, "rb") as handle:
            saved_code, token, entries = pickle.load(handle)
    except Exception:  # a damaged pickle raises anything
        return None
    if saved_code != code or not isinstance(entries, dict):
        return None
    return BuildIndex(token, entries, reconciliation_file)


def save_state(
    cache_dir: Path,
    out_dir: Path,
    code: str,
    entries: dict[str, PageEntry],
    reconciliation: Reconciliation,
    pieces: dict[str, Kept],
) -> None:
    """Write the reconciliation with the pieces rendered from it, then its index, each whole
    or not at all. One pickle holds both, so that a piece's parts come back as the very
    objects of the reconciliation (see ``pieces``)."""
    index_file, reconciliation_file = _paths(cache_dir, out_dir)
    token = secrets.token_hex(16)
    with suppress(OSError):
        index_file.parent.mkdir(parents=True, exist_ok=True)
        _write(reconciliation_file, (token, reconciliation, pieces))
        _write(index_file, (code, token, entries))


def _write(target: Path, value: object) -> None:
    temporary = target.with_name(f"{target.name}{_SAVING}{os.getpid()}")
    try:
        with open(temporary, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(target)
    finally:
        with suppress(OSError):
            temporary.unlink()


def keeping_marker(cache_dir: Path) -> str:
    """A glob that matches while a detached process is still keeping a state: a benchmark
    or a test waits for it to end before the next build."""
    return str(cache_dir / "states" / f"{_KEEPING}*")


def keep_later(cache_dir: Path, keep: Callable[[], None], exiting: bool = False) -> None:
    """Run ``keep`` in a detached grandchild forked from this process, so that the build
    ends without waiting for it; here and now where the platform cannot fork.

    The grandchild has its own session and no stream of this build's: a pipe reader
    (``| tee``, a CI log) would otherwise wait for it too. A grandchild that dies only
    leaves the previous state, or none: the next build is then a whole one. When this
    process is ``exiting`` right after (the console script), a child is enough: it is
    handed to init at once, with no zombie to leave, and a fork of a build holding a
    million objects is spared (0.02-0.05 s).
    """
    marker = cache_dir / "states" / f"{_KEEPING}{secrets.token_hex(8)}"
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        return  # no room in the cache: nothing could be kept anyway
    if not hasattr(os, "fork"):
        _keep_then_unmark(keep, marker)
        return
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        child = os.fork()
    except OSError:
        _keep_then_unmark(keep, marker)
        return
    if child:
        if not exiting:
            with suppress(ChildProcessError):
                os.waitpid(child, 0)
        return
    try:  # the child: start the grandchild, then leave at once
        release_in_child()  # the next build need not wait for the state
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the build's: nothing to unwind
        os.setsid()
        if not exiting and os.fork():
            os._exit(0)
        null = os.open(os.devnull, os.O_RDWR)
        for descriptor in (0, 1, 2):
            os.dup2(null, descriptor)
        with suppress(OSError):
            os.nice(10)
        _keep_then_unmark(keep, marker)
    finally:
        os._exit(0)


def _keep_then_unmark(keep: Callable[[], None], marker: Path) -> None:
    try:
        keep()
    finally:
        with suppress(OSError):
            marker.unlink()
