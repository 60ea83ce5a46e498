"""Assemble every output file in memory (``outtree`` writes them or compares them)."""

from __future__ import annotations

import multiprocessing
import os
import pickle
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from extractor.buildcache import code_version
from extractor.codegen import render_models_and_plans
from extractor.diff import render_version_diff
from extractor.extract import handover_folder, init_worker, interrupts_held, worker_task
from extractor.fixtures import check_planned, render_fixtures, validate_fixtures
from extractor.jsonout import pretty_json
from extractor.memo import RenderMemo, ValidationMemo, diff_inputs, model_shape
from extractor.models import BuildResult
from extractor.openapi import render_openapi
from extractor.reconcile import dump_spec, spec_json_schema
from extractor.report import diagnostics_json, diagnostics_sarif, sort_diagnostics

Files = dict[str, str]


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


def _render_spec_side_into(path: str) -> None:
    """The spec-side files, as UTF-8, pickled into ``path``. Sent back through the pool's
    pipe, their 75 MB took up to 0.8 s to arrive (the parent's reader thread waited for
    the GIL between 64 KB reads while its main thread rendered), and decoding them in the
    parent, only to encode them again to write them, 0.2 s more."""
    with worker_task():
        files = {name: text.encode("utf-8") for name, text in _render_spec_side().items()}
        with open(path, "wb") as out:
            pickle.dump(files, out, protocol=pickle.HIGHEST_PROTOCOL)


def _spec_side(rendering: Future[None] | None, handover: str) -> Files | dict[str, bytes]:
    """The forked renderer's files; rendered here when there is no fork, or when it died (the
    OOM killer) or could not write them (a full disk)."""
    if rendering is not None:
        try:
            rendering.result()
            with open(handover, "rb") as handed:
                files: dict[str, bytes] = pickle.load(handed)
            return files
        except (BrokenProcessPool, OSError):
            pass
    return _render_spec_side()


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


def render_outputs(
    result: BuildResult, cache_dir: Path | None = None
) -> tuple[dict[str, str | bytes], BuildResult]:
    """Every output file by relative path (text, or UTF-8 bytes where the forked process
    rendered it), and the result with fixture validity filled in.

    The spec-side files (spec, OpenAPI, diff) render in a forked process while this one
    generates the models, validates the fixtures (``modelcheck``) and renders them: a fork
    shares the result without copying it. With a ``cache_dir``, validation results are
    reused from earlier builds whose models had the same shape. (Writing files while rendering
    was tried: on two cores the writer threads slowed rendering by more than they saved.)
    """
    global _PENDING
    _PENDING = (result, cache_dir)
    with handover_folder("extractor-render-") as folder:
        pool = _fork_pool() if folder is not None else None
        handover = os.path.join(folder or "", "spec-side.pickle")
        try:
            with interrupts_held():  # the submit forks the renderer
                spec_side = (
                    pool.submit(_render_spec_side_into, handover) if pool is not None else None
                )
            models, plans = render_models_and_plans(result.spec)
            memo = None
            if cache_dir is not None:
                memo = ValidationMemo(cache_dir, model_shape(result.spec, code_version()))
            fixtures, fixture_diagnostics = validate_fixtures(
                result.fixtures, models, memo, lambda todo: check_planned(todo, plans)
            )
            files: dict[str, str | bytes] = dict(models)
            files.update(render_fixtures(fixtures))
            files.update(_spec_side(spec_side, handover))
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
