"""Run the per-page stage over many pages, each page's record cached.

A record depends only on the page's bytes, its path (a version and locale hint) and the
pipeline's code, so it is cached under a hash of exactly those. Pages are read here, on
Dask, or in a pool of worker processes that survives workers crashing (``pool``).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Sequence
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import NamedTuple

from extractor.gcpause import gc_running
from extractor.read.corpus import PageFile
from extractor.read.include import IncludeTree, decode_include, expand_includes
from extractor.read.pages import build_record, error_record
from extractor.schema import PageRecord

#: (filesystem path, display path, docs tree's filesystem path, docs tree as displayed); the
#: tree is "" for a page read alone (its includes are then all missing).
Task = tuple[str, str, str, str]
Progress = Callable[[int], None]


# The modules a record depends on: a change to any of them invalidates cached records,
# while changes to reconcile or the renderers leave the per-page cache valid.
PACKAGE_DIR = Path(__file__).resolve().parents[1]
_RECORD_MODULES = (
    "read",
    "schema.py",
)


@cache
def pipeline_version() -> str:
    """The package version plus a hash of the per-page code, so a code change invalidates."""
    from extractor import __version__

    sources = [PACKAGE_DIR / name for name in _RECORD_MODULES]
    files = [
        path
        for source in sources
        for path in ([source] if source.is_file() else source.rglob("*.py"))
    ]
    return f"{__version__}+{digest_files(files, PACKAGE_DIR)[:12]}"


def digest_files(files: Sequence[Path], root: Path) -> str:
    """One hash of some files' paths (relative to ``root``) and contents, in path order."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "extractor"


def _cache_file(cache_dir: Path, display: str, data: bytes) -> Path:
    key = hashlib.sha256()
    key.update(pipeline_version().encode())
    key.update(b"\0")
    key.update(display.encode())
    key.update(b"\0")
    key.update(data)
    digest = key.hexdigest()
    return cache_dir / pipeline_version() / digest[:2] / f"{digest}.json"


_INCLUDE_BYTES = re.compile(rb"\[!INCLUDE", re.IGNORECASE)


def tree_loader(root: str) -> Callable[[str], bytes | None]:
    """The one door to include files: a root-relative path inside ``root`` (after symbolic
    links too) to its bytes; None for anything else."""
    real_root = os.path.realpath(root)

    def load(relative: str) -> bytes | None:
        target = os.path.realpath(os.path.join(real_root, relative))
        if os.path.commonpath([real_root, target]) != real_root or not os.path.isfile(target):
            return None
        with suppress(OSError):
            return Path(target).read_bytes()
        return None

    return load


class _Served(dict[str, bytes | None]):
    """Include files read once, served again to the record (picklable, for Dask)."""

    def __call__(self, relative: str) -> bytes | None:
        return self.get(relative)


def _nothing(_relative: str) -> bytes | None:
    return None


class PageInput(NamedTuple):
    """What a page's record is made of: its bytes, the include files it reads (the tree
    serves them from memory), and the bytes its cache entry is keyed on."""

    display: str
    data: bytes
    tree: IncludeTree | None
    key: bytes


def page_input(task: Task, data: bytes) -> PageInput:
    """The page's includes, read once here: the cache key must know them before the record
    is made (editing an include changes the key of exactly the pages that use it)."""
    path, display, root, root_display = task
    if not root:
        return PageInput(display, data, None, data)
    page = Path(os.path.relpath(path, root)).as_posix()
    if not _INCLUDE_BYTES.search(data):
        return PageInput(display, data, IncludeTree(page, root_display, _nothing), data)
    expanded = expand_includes(decode_include(data), page, root_display, tree_loader(root))
    files = dict(zip(expanded.reads, map(expanded.loaded.get, expanded.reads), strict=True))
    key = hashlib.sha256(data)
    for relative, content in files.items():
        key.update(b"\0" + relative.encode() + b"\0")
        key.update(hashlib.sha256(content).digest() if content is not None else b"missing")
    return PageInput(display, data, IncludeTree(page, root_display, _Served(files)), key.digest())


def record_from_bytes(display: str, data: bytes, tree: IncludeTree | None = None) -> str:
    """The pure per-page function: a page's bytes to its record as JSON; never raises.

    A record that cannot be written (a value pydantic refuses) becomes an ``internal-error``
    record: an exception here would surface in the parent and cost the whole build.
    """
    try:
        return build_record(display, data, tree).model_dump_json()
    except Exception as error:
        return _failed(display, hashlib.sha256(data).hexdigest(), error).model_dump_json()


def _failed(display: str, sha: str, error: Exception) -> PageRecord:
    message = str(error).splitlines()[0][:300] if str(error) else ""
    return error_record(
        display,
        "internal-error",
        f"the record could not be written: {type(error).__name__}: {message}",
        sha,
    )


#: Test-only fault injection: a worker reading a page whose display path contains this
#: text dies on the spot (exit status 70), as a segfault or the OOM killer would kill it.
#: Inert unless the variable is set; tests/engine/test_worker_crash.py sets it.
CRASH_ON_ENV = "EXTRACTOR_TEST_CRASH_ON"


def _crash_if_told(display: str) -> None:
    needle = os.environ.get(CRASH_ON_ENV)
    if needle and needle in display:
        os._exit(70)


def cached_record(cache_dir: str | None, display: str, data: bytes) -> str | None:
    """The cached record of these bytes at this path, if a whole one is there (``data``: a
    page's ``PageInput.key``, its bytes when it includes nothing)."""
    if not cache_dir:
        return None
    with suppress(OSError, UnicodeDecodeError):
        text = _cache_file(Path(cache_dir), display, data).read_text(encoding="utf-8")
        if _looks_whole(text, display):
            return text
    return None


def store_record(cache_dir: str | None, display: str, data: bytes, text: str) -> None:
    if cache_dir:
        write_atomically(_cache_file(Path(cache_dir), display, data), text)


def record_json(task: Task, cache_dir: str | None) -> tuple[str, bool]:
    """The record of one page as JSON, and whether it was computed (not read from cache)."""
    text, computed, _ = record_json_deferring(task, cache_dir, store=True)
    return text, computed


def record_json_deferring(
    task: Task, cache_dir: str | None, store: bool
) -> tuple[str, bool, str | None]:
    """``record_json``; unless ``store``, a computed record is not written to the cache here
    but its cache file is named, for the caller to write later (``store_deferred``)."""
    path, display = task[:2]
    _crash_if_told(display)
    try:
        data = read_page(path)
    except OSError as error:
        return _unreadable(display, error).model_dump_json(), True, None
    given = page_input(task, data)
    hit = cached_record(cache_dir, display, given.key)
    if hit is not None:
        return hit, False, None
    text = record_from_bytes(display, data, given.tree)
    if not cache_dir:
        return text, True, None
    if store:
        store_record(cache_dir, display, given.key, text)
        return text, True, None
    return text, True, str(_cache_file(Path(cache_dir), display, given.key))


def store_deferred(entries: Sequence[tuple[str, str]]) -> None:
    """Write cache entries a build deferred: (cache file, record JSON) pairs."""
    for target, text in entries:
        write_atomically(Path(target), text)


_RECORD_HEAD = '{"source":{"path":'
_STRING = json.JSONDecoder()


def _looks_whole(text: str, display: str) -> bool:
    """A cache entry is used only if it is a record of this very page (not torn or foreign).

    Only the head is read here (a record's JSON begins with its source path): parsing the
    whole entry twice cost a fifth of a cached build. An entry that passes but does not
    parse is recomputed by ``parse_result``.
    """
    if not (text.startswith(_RECORD_HEAD) and text.endswith("}")):
        return False
    try:
        path, _ = _STRING.raw_decode(text, len(_RECORD_HEAD))
    except ValueError:
        return False
    return path == display


def write_atomically(target: Path, text: str) -> None:
    """Replace ``target`` whole or not at all; a cache that cannot be written is no error."""
    with suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(target)


def read_page(path: str) -> bytes:
    """A page's bytes; a FIFO or device fails at once (opened without blocking) instead of
    holding the build for ever."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with open(descriptor, "rb", closefd=True) as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return handle.read()


def _unreadable(display: str, error: OSError) -> PageRecord:
    return error_record(display, "unreadable", f"cannot read the page: {error.strerror or error}")


_PAGE_HASH_FIELD = re.compile(r',"sha256":"[0-9a-f]*"')


def content_digest(text: str) -> str:
    """A hash of a record's JSON without the page's hash: what the page says, not its bytes.

    The output is a function of the records and the code alone, and no output reads a
    page's hash (it only breaks ties between copies of one path, which a build never has),
    so pages edited without changing what they say keep their digests.
    """
    digest = hashlib.sha256()
    found = _PAGE_HASH_FIELD.search(text, 0, 8192)
    if found is None:
        digest.update(text.encode())
    else:
        digest.update(text[: found.start()].encode())
        digest.update(text[found.end() :].encode())
    return digest.hexdigest()


#: A page's record, whether it was computed (not read from the cache), and its content digest.
Result = tuple[PageRecord, bool, str]


class Extraction(NamedTuple):
    """Records of pages sorted by path, the paths computed rather than cached, and each
    record's ``content_digest``."""

    records: list[PageRecord]
    computed: list[str]
    digests: list[str]


def parse_result(
    task: Task, result: tuple[str, bool], cache_dir: str | None, digest: str | None = None
) -> Result:
    """The record of a worker's JSON; a cached entry that does not parse is recomputed."""
    text, computed = result
    try:
        return PageRecord.model_validate_json(text), computed, digest or content_digest(text)
    except ValueError:
        if not computed:  # a damaged cache entry with a whole-looking head
            path, display = task[:2]
            with suppress(OSError):
                given = page_input(task, Path(path).read_bytes())
                text = record_from_bytes(display, given.data, given.tree)
                store_record(cache_dir, display, given.key, text)
                return PageRecord.model_validate_json(text), True, content_digest(text)
        failed = _failed(task[1], "", ValueError("the record did not parse"))
        return failed, True, content_digest(failed.model_dump_json())


def extract_records(
    pages: Sequence[PageFile],
    *,
    jobs: int | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    deferred: list[tuple[str, str]] | None = None,
) -> Extraction:
    """Records of the pages (sorted by path), the paths computed rather than cached, and
    the records' content digests.

    With ``deferred``, pages read in a process pool are not written to the cache by the
    workers: their entries are added to that list, (cache file, record JSON), for the build
    to write once its output is out (``store_deferred``, in the process that keeps its
    state).
    Writing 11,000 entries was a tenth of a cold build on the real corpus, and none of its
    output depends on them."""
    tasks: list[Task] = [
        (str(page.path), page.display, str(page.root or ""), page.root_display) for page in pages
    ]
    tick: Progress = progress or (lambda _count: None)
    cache_text = str(cache_dir) if cache_dir else None
    workers = jobs or os.cpu_count() or 1
    if not cache_text:
        deferred = None
    if executor == "dask":
        from extractor.engine.dask_executor import run_on_dask

        with gc_running():  # without a scheduler, pages are read in this very process
            results = run_on_dask(tasks, scheduler, cache_text, tick)
    elif workers <= 1 or len(tasks) < 8:
        results = {}
        with gc_running():
            for task in tasks:
                results[task[1]] = parse_result(task, record_json(task, cache_text), cache_text)
                tick(1)
    else:
        from extractor.engine.pool import run_isolating

        results = run_isolating(tasks, workers, cache_text, tick, deferred)
    return Extraction(
        records=[results[task[1]][0] for task in tasks],
        computed=[task[1] for task in tasks if results[task[1]][1]],
        digests=[results[task[1]][2] for task in tasks],
    )
