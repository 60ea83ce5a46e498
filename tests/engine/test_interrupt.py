"""Ctrl-C stops a build, and a killed worker costs a retry, whatever the workers are doing.

A worker used to leave on Ctrl-C at once, even halfway through sending a chunk's records
back: the pool's reader in the parent then waited for the rest of that message for ever,
and the build hung (one run in 25 under load). Now a worker leaves at once only while it
works on a task; otherwise it finishes sending and leaves when the next task starts. And
the records go back through a file, the pipe carrying only its name: a message too short
to be cut, so a worker the OOM killer ends at any moment cannot hang the build either.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import ZH_CN, need_corpus


def run_script(source: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(source), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        start_new_session=True,  # its own process group: a group-wide Ctrl-C stays inside
    )


def test_ctrl_c_between_tasks_ends_the_worker_when_the_next_task_starts() -> None:
    done = run_script(
        """
        import os, signal
        from extractor.engine.pool import init_worker, worker_task
        init_worker(os.getppid(), collect=False)
        os.kill(os.getpid(), signal.SIGINT)  # as if the worker were sending a result
        print("still sending", flush=True)
        with worker_task():
            print("next task ran", flush=True)
        """
    )
    assert (done.returncode, done.stdout, done.stderr) == (1, "still sending\n", "")


def test_ctrl_c_during_a_task_ends_the_worker_at_once() -> None:
    done = run_script(
        """
        import os, signal
        from extractor.engine.pool import init_worker, worker_task
        init_worker(os.getppid(), collect=False)
        with worker_task():
            os.kill(os.getpid(), signal.SIGINT)
            print("task went on", flush=True)
        """
    )
    assert (done.returncode, done.stdout, done.stderr) == (1, "", "")


STALL_THEN = """
import ctypes, multiprocessing, os, signal, sys, time
import extractor.engine.pool as pool
import extractor.engine.records as extract
from extractor.read.corpus import discover

pages = discover([sys.argv[1]])[:600]
parse, record_chunk = pool.parse_result, pool._record_chunk
finished = multiprocessing.Value("i", 0)  # chunks the workers finished, in shared memory
libc = ctypes.PyDLL(None)  # its calls keep the GIL: the pool's threads read nothing meanwhile
first = [True]

def counted_chunk(*args, **kwargs):
    rows = record_chunk(*args, **kwargs)
    with finished.get_lock():
        finished.value += 1
    return rows

def stalled(*args, **kwargs):
    if first[0]:
        first[0] = False
        # both workers past a chunk since the first result came back, which the parent has
        # not read: a wait for that, not for a time, however loaded the machine
        count, deadline = finished.get_obj(), time.monotonic() + {patience}
        target = count.value + 2
        while count.value < target and time.monotonic() < deadline:
            libc.usleep(1000)
        {action}
    return parse(*args, **kwargs)

pool.parse_result, pool._record_chunk = stalled, counted_chunk
try:
    records, _, _ = extract.extract_records(pages, jobs=2, cache_dir=None)
except KeyboardInterrupt:
    print("interrupted", flush=True)
    sys.exit(3)
crashed = [r for r in records if any(d.rule == "worker-crashed" for d in r.diagnostics)]
print(len(records), "records,", len(crashed), "crashed", flush=True)
"""
#: Seconds a test waits for the workers before it goes on anyway, and for the whole script.
PATIENCE, TIMEOUT = 60, 300


def stall_then(action: str) -> subprocess.CompletedProcess[str]:
    """600 real pages read by two workers; once both are past a chunk that the parent's pool
    has not read, ``action``."""
    need_corpus()
    script = STALL_THEN.replace("{patience}", str(PATIENCE)).replace("{action}", action)
    return run_script(script, str(ZH_CN / "beta" / "resources"), timeout=TIMEOUT)


def test_workers_killed_while_they_hand_records_back_cost_a_retry() -> None:
    """The workers die (SIGKILL, as the OOM killer sends it) once both are past a chunk and
    the parent's pool has read nothing: one of them sending, the other waiting for the next
    chunk or reading it. Their chunks are read again, in a new pool."""
    kill = "[os.kill(child.pid, signal.SIGKILL) for child in multiprocessing.active_children()]"
    done = stall_then(kill)
    assert (done.returncode, done.stdout) == (0, "600 records, 0 crashed\n"), done.stderr


def test_ctrl_c_while_workers_send_records_stops_the_extraction() -> None:
    """The same moment, and Ctrl-C reaches the whole group."""
    done = stall_then("os.killpg(os.getpgrp(), signal.SIGINT)")
    assert (done.returncode, done.stdout) == (3, "interrupted\n"), done.stderr
