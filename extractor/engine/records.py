"""Run the per-page stage over many pages: in parallel, cached, and immune to crashing workers.

A record depends only on the page's bytes, its path (a version and locale hint) and the
pipeline's code, so it is cached under a hash of exactly those. A worker process that dies
on a page (a segfault, the OOM killer) breaks the pool; the unfinished pages are run again,
halving the suspects each time, until the page that kills its worker is found and recorded
as a diagnostic while every other page still gets its record.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import json
import marshal
import os
import re
import signal
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path
from typing import NamedTuple

from extractor.gcpause import gc_running
from extractor.read.corpus import PageFile
from extractor.read.pages import build_record, error_record
from extractor.schema import PageRecord

Task = tuple[str, str]  # (filesystem path, display path)
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


def record_from_bytes(display: str, data: bytes) -> str:
    """The pure per-page function: a page's bytes to its record as JSON; never raises.

    A record that cannot be written (a value pydantic refuses) becomes an ``internal-error``
    record: an exception here would surface in the parent and cost the whole build.
    """
    try:
        return build_record(display, data).model_dump_json()
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
_PR_SET_PDEATHSIG = 1


#: In a worker: whether Ctrl-C came, and whether the worker is inside a task (``worker_task``).
_interrupted = False
_in_task = False


def _on_interrupt(_signum: int, _frame: object) -> None:
    global _interrupted
    _interrupted = True
    if _in_task:
        os._exit(1)


@contextmanager
def worker_task() -> Iterator[None]:
    """Around a task's work in a worker: Ctrl-C ends the worker at once while the task works,
    and otherwise when the next task starts, never while the pool sends a result back. A
    worker that died halfway through sending its result left the parent's pool reading the
    rest of the message for ever, and the build hung instead of stopping."""
    global _in_task
    _in_task = True
    try:
        if _interrupted:
            os._exit(1)
        yield
    finally:
        _in_task = False


def init_worker(parent: int, collect: bool = True) -> None:
    """Every worker process: quiet on Ctrl-C, and gone as soon as its parent is.

    A terminal's Ctrl-C reaches the whole group: the parent turns its KeyboardInterrupt into
    "Aborted!", while a worker blocked on its queue would print a traceback of its own; so
    a worker leaves without a word, at the first moment it safely can (``worker_task``). A
    parent killed alone (``kill -9``, the OOM killer) left its workers blocked for ever.
    """
    signal.signal(signal.SIGINT, _on_interrupt)
    if collect:  # the command turned it off, and reading pages makes cycles (gc_running)
        gc.enable()
        # A page's parse makes ~100,000 short-lived objects: collecting the youngest
        # generation every 20,000 allocations rather than 700 saved 5-8% of a page's time,
        # and the memory stays flat (the cycles are freed with the next collection).
        gc.set_threshold(20_000, 20, 20)
    with suppress(AttributeError, OSError, ValueError):  # held since the fork: see below
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    with suppress(OSError, AttributeError):  # Linux: SIGKILL this worker when the parent dies
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C back while workers are forked: a child inherits the blocked signal, so it
    cannot meet Ctrl-C before ``init_worker`` made it quiet; the parent gets it right after."""
    try:
        before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    except (AttributeError, OSError, ValueError):  # no sigmask here, or not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _crash_if_told(display: str) -> None:
    needle = os.environ.get(CRASH_ON_ENV)
    if needle and needle in display:
        os._exit(70)


def cached_record(cache_dir: str | None, display: str, data: bytes) -> str | None:
    """The cached record of these bytes at this path, if a whole one is there."""
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
    path, display = task
    _crash_if_told(display)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return _unreadable(display, error).model_dump_json(), True, None
    hit = cached_record(cache_dir, display, data)
    if hit is not None:
        return hit, False, None
    text = record_from_bytes(display, data)
    if not cache_dir:
        return text, True, None
    if store:
        store_record(cache_dir, display, data, text)
        return text, True, None
    return text, True, str(_cache_file(Path(cache_dir), display, data))


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


def _unreadable(display: str, error: OSError) -> PageRecord:
    return error_record(display, "unreadable", f"cannot read the page: {error.strerror or error}")


def _crashed(display: str) -> PageRecord:
    message = "the worker process died while reading this page"
    return error_record(display, "worker-crashed", message)


def _chunks(tasks: Sequence[Task], size: int) -> Iterator[list[Task]]:
    for start in range(0, len(tasks), size):
        yield list(tasks[start : start + size])


@contextmanager
def handover_folder(prefix: str) -> Iterator[str | None]:
    """A temporary folder for results that workers hand back through files, removed with
    what is left in it; None where no folder can be made (the results then go through the
    pool's pipe, as they did before)."""
    try:
        folder = tempfile.TemporaryDirectory(prefix=prefix, ignore_cleanup_errors=True)
    except OSError:
        yield None
        return
    with folder as name:
        yield name


#: What a worker hands back per page: the record's JSON, whether it was computed, its
#: digest, and the cache file it is still to be written to (None: written, or no cache).
Row = tuple[str, bool, str, str | None]


def _record_chunk(
    chunk: list[Task], cache_dir: str | None, handover: str | None, store: bool = True
) -> str | list[Row]:
    """A chunk's rows, written to a file in ``handover``; only the file's name goes back
    through the pool's pipe.

    A message that small is written to the pipe whole or not at all. A chunk's records (a
    few hundred KB) took many writes, and a worker killed between two of them (Ctrl-C,
    the OOM killer) left the pool's reader in the parent waiting for the rest for ever.
    A file also spares the parent's reader thread 70 MB of pipe reads, each of which
    waited for the interpreter lock while the main thread parsed records.
    """
    with worker_task():
        results = [record_json_deferring(task, cache_dir, store) for task in chunk]
        rows = [
            (text, computed, content_digest(text), pending) for text, computed, pending in results
        ]
        if handover is None:
            return rows
        try:
            handle, name = tempfile.mkstemp(dir=handover, suffix=".marshal")
            with os.fdopen(handle, "wb") as out:
                out.write(marshal.dumps(rows))
        except OSError:  # no room for the file: the rows go through the pipe after all
            return rows
        return name


def _handed_over(result: str | list[Row]) -> list[Row]:
    if isinstance(result, list):
        return result
    with open(result, "rb") as handed:
        rows: list[Row] = marshal.loads(handed.read())
    os.unlink(result)
    return rows


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
            path, display = task
            with suppress(OSError):
                data = Path(path).read_bytes()
                text = record_from_bytes(display, data)
                store_record(cache_dir, display, data, text)
                return PageRecord.model_validate_json(text), True, content_digest(text)
        failed = _failed(task[1], "", ValueError("the record did not parse"))
        return failed, True, content_digest(failed.model_dump_json())


def _run_pool(
    tasks: Sequence[Task],
    jobs: int,
    cache_dir: str | None,
    progress: Progress,
    deferred: list[tuple[str, str]] | None = None,
) -> tuple[dict[str, Result], list[Task]]:
    """Results of the tasks that finished and the tasks left when the pool broke; with
    ``deferred``, the workers leave the cache entries of the records they compute there."""
    size = max(1, min(64, len(tasks) // (jobs * 8) or 1))
    chunks = list(_chunks(tasks, size))
    with handover_folder("extractor-records-") as handover:
        pool = ProcessPoolExecutor(
            max_workers=jobs, initializer=init_worker, initargs=(os.getpid(),)
        )
        try:
            done, broken = _collect(pool, chunks, cache_dir, handover, progress, deferred)
        finally:  # after Ctrl-C, chunks not yet begun are dropped, not read to the end
            pool.shutdown(cancel_futures=True)
    left = [task for task in tasks if task[1] not in done] if broken else []
    return done, left


def _collect(
    pool: ProcessPoolExecutor,
    chunks: list[list[Task]],
    cache_dir: str | None,
    handover: str | None,
    progress: Progress,
    deferred: list[tuple[str, str]] | None = None,
) -> tuple[dict[str, Result], bool]:
    """The results of every chunk the pool finished, and whether it broke."""
    done: dict[str, Result] = {}
    broken = False
    futures: list[tuple[list[Task], Future[str | list[Row]]]] = []
    with interrupts_held():  # the first submit forks the workers
        for chunk in chunks:
            try:
                work = pool.submit(_record_chunk, chunk, cache_dir, handover, deferred is None)
                futures.append((chunk, work))
            except BrokenProcessPool:  # a worker died before every chunk was handed out
                broken = True
                break
    for chunk, future in futures:
        try:
            results = _handed_over(future.result())
        except (BrokenProcessPool, OSError, EOFError, ValueError):  # the chunk is read again
            broken = True
            continue
        for task, result in zip(chunk, results, strict=True):
            text, computed, digest, pending = result  # parsed while the workers go on
            done[task[1]] = parse_result(task, (text, computed), cache_dir, digest)
            if pending is not None and deferred is not None:
                deferred.append((pending, text))
        progress(len(chunk))
    return done, broken


def _run_isolating(
    tasks: Sequence[Task],
    jobs: int,
    cache_dir: str | None,
    progress: Progress,
    deferred: list[tuple[str, str]] | None = None,
) -> dict[str, Result]:
    """Every task's result. When a pool breaks, the tasks it left run again in new pools,
    halved until each is alone: only a page that breaks a pool of its own becomes a
    ``worker-crashed`` record (a worker the OOM killer ends costs its chunk a second run)."""
    done, left = _run_pool(tasks, jobs, cache_dir, progress, deferred)
    if not left:
        return done
    if len(tasks) == 1:  # it broke a pool of its own: this page kills its worker
        crashed = _crashed(left[0][1])
        done[left[0][1]] = (crashed, True, content_digest(crashed.model_dump_json()))
        progress(1)
        return done
    if len(left) == 1:  # tried again alone, since a pool may break for other reasons
        done.update(_run_isolating(left, jobs, cache_dir, progress, deferred))
        return done
    middle = len(left) // 2
    for half in (left[:middle], left[middle:]):
        done.update(_run_isolating(half, jobs, cache_dir, progress, deferred))
    return done


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
    tasks: list[Task] = [(str(page.path), page.display) for page in pages]
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
        results = _run_isolating(tasks, workers, cache_text, tick, deferred)
    return Extraction(
        records=[results[task[1]][0] for task in tasks],
        computed=[task[1] for task in tasks if results[task[1]][1]],
        digests=[results[task[1]][2] for task in tasks],
    )
