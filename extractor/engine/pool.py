"""Read many pages in worker processes, immune to workers that crash or are interrupted.

A worker process that dies on a page (a segfault, the OOM killer) breaks the pool; the
unfinished pages are run again, halving the suspects each time, until the page that kills
its worker is found and recorded as a diagnostic while every other page still gets its
record. Ctrl-C ends the workers quietly, and never while one hands a result back.
"""

from __future__ import annotations

import ctypes
import gc
import marshal
import os
import signal
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress

from extractor.engine.lock import temporary_prefix
from extractor.engine.records import (
    Progress,
    Result,
    Task,
    content_digest,
    parse_result,
    record_json_deferring,
)
from extractor.read.pages import error_record
from extractor.schema import PageRecord

__all__ = ["handover_folder", "init_worker", "interrupts_held", "run_isolating", "worker_task"]

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
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the pool ends its workers with SIGTERM
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
    with handover_folder(temporary_prefix("records")) as handover:
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


def run_isolating(
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
        done.update(run_isolating(left, jobs, cache_dir, progress, deferred))
        return done
    middle = len(left) // 2
    for half in (left[:middle], left[middle:]):
        done.update(run_isolating(half, jobs, cache_dir, progress, deferred))
    return done
