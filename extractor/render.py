"""Assemble every output file in memory, then write the tree atomically or compare it.

The build is all-or-nothing: files are written into a temporary directory beside the output
and swapped in with one ``renameat2(RENAME_EXCHANGE)``, so a build killed at any moment
leaves the previous output whole. Where the kernel lacks the exchange, two renames are used
and an interrupted swap is repaired at the start of the next build.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import multiprocessing
import os
import shutil
import stat
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path

from extractor.buildcache import Written, code_version
from extractor.codegen import render_models
from extractor.diff import render_version_diff
from extractor.extract import init_worker, interrupts_held
from extractor.fixtures import Checker, check_fixtures, render_fixtures, validate_fixtures
from extractor.jsonout import pretty_json
from extractor.memo import Entry, RenderMemo, ValidationMemo, diff_inputs, model_shape
from extractor.models import BuildResult, Diagnostic, Fixture
from extractor.openapi import render_openapi
from extractor.reconcile import dump_spec, spec_json_schema
from extractor.report import diagnostics_json, diagnostics_sarif, sort_diagnostics

Files = dict[str, str]
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


#: What a forked renderer reads, instead of a pickled copy: the result and the cache folder.
_PENDING: tuple[BuildResult, Path | None] | None = None


def _render_spec_side() -> Files:
    """The files that need the spec only: spec, schema, OpenAPI, version diff."""
    assert _PENDING is not None
    result, cache_dir = _PENDING
    files: Files = {"spec.json": dump_spec(result.spec)}
    files["spec.schema.json"] = pretty_json(spec_json_schema())
    files.update(render_openapi(result.spec, result.fixtures))
    files.update(_version_diff(result, cache_dir))
    return files


def _version_diff(result: BuildResult, cache_dir: Path | None) -> Files:
    """The version diff, reused from an earlier build when what it reads is unchanged."""
    if cache_dir is None:
        return render_version_diff(result.spec)
    memo = RenderMemo(cache_dir, "version-diff", diff_inputs(result.spec, code_version()))
    files = memo.load()
    if files is None:
        files = render_version_diff(result.spec)
        memo.save(files)
    return files


def _fork_pool() -> ProcessPoolExecutor | None:
    """A one-worker pool forked from this process, where the platform can fork."""
    if "fork" not in multiprocessing.get_all_start_methods() or (os.cpu_count() or 1) < 2:
        return None
    return ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("fork"),
        initializer=init_worker,  # quiet on Ctrl-C, gone with this process
        initargs=(os.getpid(), False),  # renderers make no cycles: no collection
    )


_SHARE: tuple[list[Fixture], Files] | None = None  # what a forked validator reads


def _check_share() -> tuple[list[Entry], list[Diagnostic]]:
    assert _SHARE is not None
    return check_fixtures(*_SHARE)


def _shared_checker(models: Files) -> Checker:
    """Validate v1.0 fixtures in a forked process while this one validates the rest.

    Each side imports only the models it needs, and creating their classes is most of
    the cost, so the two versions' imports run side by side.
    """

    def check(todo: list[Fixture]) -> tuple[list[Entry], list[Diagnostic]]:
        global _SHARE
        first = [f for f in todo if f.version == "v1.0"]
        rest = [f for f in todo if f.version != "v1.0"]
        pool = _fork_pool() if first and rest else None
        if pool is None:
            return check_fixtures(todo, models)
        _SHARE = (first, models)
        try:
            with interrupts_held():  # the submit forks the validator
                future = pool.submit(_check_share)
            rest_entries, rest_failures = check_fixtures(rest, models)
            first_entries, first_failures = future.result()
        finally:
            _SHARE = None
            pool.shutdown()
        firsts, rests = iter(first_entries), iter(rest_entries)
        entries = [next(firsts) if f.version == "v1.0" else next(rests) for f in todo]
        failures = {(d.path, d.message): d for d in [*first_failures, *rest_failures]}
        return entries, [failures[key] for key in sorted(failures)]

    return check


def render_outputs(result: BuildResult, cache_dir: Path | None = None) -> tuple[Files, BuildResult]:
    """Every output file by relative path, and the result with fixture validity filled in.

    The spec-side files (spec, OpenAPI, diff) render in a forked process while this one
    generates the models and validates the fixtures (v1.0 in one more fork): a fork shares
    the result without copying it. With a ``cache_dir``, validation results are reused
    from earlier builds whose models had the same shape. (Writing files while rendering
    was tried: on two cores the writer threads slowed rendering by more than they saved.)
    """
    global _PENDING
    _PENDING = (result, cache_dir)
    pool = _fork_pool()
    try:
        with interrupts_held():  # the submit forks the renderer
            spec_side = pool.submit(_render_spec_side) if pool is not None else None
        models = render_models(result.spec)
        memo = None
        if cache_dir is not None:
            memo = ValidationMemo(cache_dir, model_shape(result.spec, code_version()))
        fixtures, fixture_diagnostics = validate_fixtures(
            result.fixtures, models, memo, _shared_checker(models)
        )
        files: Files = dict(models)
        files.update(render_fixtures(fixtures))
        files.update(spec_side.result() if spec_side is not None else _render_spec_side())
    finally:
        _PENDING = None
        if pool is not None:
            pool.shutdown()
    result = result.model_copy(
        update={
            "fixtures": fixtures,
            "diagnostics": sort_diagnostics([*result.diagnostics, *fixture_diagnostics]),
        }
    )
    files["diagnostics.json"] = diagnostics_json(result.diagnostics)
    files["diagnostics.sarif"] = diagnostics_sarif(result.diagnostics)
    return dict(sorted(files.items())), result


def stale_paths(files: Files, out_dir: Path) -> list[str]:
    """Paths that differ between what the build would write and what ``out_dir`` holds."""
    differing = []
    existing = _existing_files(out_dir)
    for relative, text in files.items():
        target = out_dir / relative
        try:
            if target.read_bytes() != text.encode("utf-8"):
                differing.append(relative)
        except OSError:
            differing.append(relative)
    differing.extend(sorted(existing - set(files)))
    return sorted(differing)


def _existing_files(out_dir: Path) -> set[str]:
    if not out_dir.is_dir():
        return set()
    return {
        path.relative_to(out_dir).as_posix()
        for path in out_dir.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def _exchange(first: Path, second: Path) -> bool:
    """Swap two directories atomically (Linux renameat2); False when unsupported."""
    library = ctypes.util.find_library("c")
    if library is None:
        return False
    libc = ctypes.CDLL(library, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return result == 0


def recover_interrupted(out_dir: Path) -> None:
    """Finish or undo a swap that a killed build left half done, and drop its leftovers."""
    parent = out_dir.parent
    if not parent.is_dir():
        return
    previous = sorted(parent.glob(f".{out_dir.name}.old-*"))
    if not out_dir.exists() and previous:
        previous[-1].rename(out_dir)
        previous = previous[:-1]
    for leftover in [*previous, *parent.glob(f".{out_dir.name}.tmp-*")]:
        _discard(leftover, out_dir)
    for trash in parent.glob(f".{out_dir.name}.trash-*"):  # a deleter that did not finish
        _discard(trash, out_dir)


_DELETER = (
    "import os, shutil, sys\n"
    "if os.fork():\n"
    "    os._exit(0)\n"
    "os.nice(19)\n"
    "shutil.rmtree(sys.argv[1], ignore_errors=True)\n"
)


def _discard(folder: Path, out_dir: Path) -> None:
    """Remove a directory tree without waiting for it.

    Deleting the previous output (28,000 files, 17,000 folders on the real corpus) took
    longer than writing the new one. The tree is renamed aside, out of the way of the
    output and of the build's own names, and a detached process deletes it at low
    priority; if that process dies, the next build's ``recover_interrupted`` finds the
    leftover again.
    """
    trash = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.trash-", dir=out_dir.parent))
    try:
        folder.rename(trash / "tree")
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
    try:  # a grandchild in a session of its own: no zombie, and not in this build's group
        pid = os.posix_spawn(
            sys.executable,
            [sys.executable, "-I", "-S", "-c", _DELETER, str(trash)],
            dict(os.environ),
            # not this build's output streams: a pipe reader (``| tee``, a CI log) would
            # wait for the deletion to end before it sees the build end
            file_actions=[
                (os.POSIX_SPAWN_OPEN, descriptor, os.devnull, os.O_RDWR, 0)
                for descriptor in (0, 1, 2)
            ],
            setsid=True,
        )
        os.waitpid(pid, 0)
    except (AttributeError, OSError):  # no posix_spawn here: delete in this process
        shutil.rmtree(trash, ignore_errors=True)


def _unchanged(path: Path, remembered: tuple[int, int, str] | None, digest: str) -> bool:
    """Whether ``path`` still holds what a build wrote with this digest (nobody touched it)."""
    if remembered is None or remembered[2] != digest:
        return False
    try:
        status = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(status.st_mode) and (status.st_size, status.st_mtime_ns) == remembered[:2]


def _write_files(files: Files, root: Path, previous: Path | None, written: Written) -> Written:
    """Each folder made once, then the files written by a few threads: on overlay and
    network filesystems every create is a round trip, and the threads overlap them.

    A file the previous output holds unchanged is hard-linked from there instead: after a
    one-page edit that is nearly all of them, and a link writes no data.
    """
    for folder in sorted({os.path.dirname(relative) for relative in files} - {""}):
        (root / folder).mkdir(parents=True, exist_ok=True)

    def write(items: list[tuple[str, str]]) -> Written:
        done: Written = {}
        for relative, text in items:
            data = text.encode("utf-8")
            digest = hashlib.sha256(data).hexdigest()
            target = root / relative
            linked = False
            if previous is not None and _unchanged(
                previous / relative, written.get(relative), digest
            ):
                with suppress(OSError):  # no hard links on this filesystem: write it
                    os.link(previous / relative, target)
                    linked = True
            if not linked:
                with open(target, "wb") as handle:
                    handle.write(data)
            status = os.stat(target)  # kept by the swap: a rename changes no file's times
            done[relative] = (status.st_size, status.st_mtime_ns, digest)
        return done

    items = list(files.items())
    chunks = [items[start : start + 64] for start in range(0, len(items), 64)]
    result: Written = {}
    with ThreadPoolExecutor(max_workers=4) as pool:
        for done in pool.map(write, chunks):
            result.update(done)
    return result


def write_tree(files: Files, out_dir: Path, written: Written | None = None) -> Written:
    """Write all files into a fresh directory, then swap it in for ``out_dir`` in one step.

    ``written`` is what the last build wrote there: files it still holds unchanged are
    linked, not written again (and keep their modification times). Returns the same for
    this build: the size, modification time and SHA-256 of every file.
    """
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    recover_interrupted(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        previous = out_dir if written and out_dir.is_dir() else None
        result = _write_files(files, staging, previous, written or {})
        if not out_dir.exists():
            staging.rename(out_dir)
        elif _exchange(staging, out_dir):
            _discard(staging, out_dir)  # staging now holds the old output
        else:
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
            old.rmdir()
            out_dir.rename(old)
            staging.rename(out_dir)
            _discard(old, out_dir)
        return result
    except BaseException:  # Ctrl-C or a failed rename: put the previous output back now
        shutil.rmtree(staging, ignore_errors=True)
        with suppress(OSError):
            recover_interrupted(out_dir)
        raise
