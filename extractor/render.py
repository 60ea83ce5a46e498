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
from extractor.fixtures import check_planned, render_fixture_files, validate_fixtures
from extractor.jsonout import pretty_json
from extractor.memo import RenderMemo, ValidationMemo, diff_inputs, model_shape
from extractor.models import BuildResult
from extractor.openapi import render_openapi_files
from extractor.outtree import as_bytes
from extractor.pieces import RenderPieces
from extractor.reconcile import dump_spec_bytes, spec_json_schema
from extractor.report import diagnostics_json, diagnostics_sarif, sort_diagnostics

#: What a forked renderer reads, instead of a pickled copy: the result, the cache folder, and
#: the pieces of the last build.
_PENDING: tuple[BuildResult, Path | None, RenderPieces] | None = None


def _render_spec_side() -> dict[str, str | bytes]:
    """The files that need the spec only: spec, schema, OpenAPI, version diff."""
    assert _PENDING is not None
    result, cache_dir, pieces = _PENDING
    files: dict[str, str | bytes] = {"spec.json": dump_spec_bytes(result.spec, pieces.memo("spec"))}
    files["spec.schema.json"] = pretty_json(spec_json_schema())
    files.update(render_openapi_files(result.spec, result.fixtures, pieces))
    files.update(_version_diff(result, cache_dir, pieces))
    return files


def _shared_parts(result: BuildResult) -> list[object]:
    """The parts both processes hold, that a forked renderer's pieces refer to."""
    spec = result.spec
    return [*spec.operations, *spec.types, *spec.enums, *result.fixtures]


def _render_spec_side_into(path: str) -> None:
    """The spec-side files, as UTF-8, and the pieces they were made of, pickled into
    ``path``. Sent back through the pool's pipe, their 75 MB took up to 0.8 s to arrive (the
    parent's reader thread waited for the GIL between 64 KB reads while its main thread
    rendered), and decoding them in the parent, only to encode them again to write them,
    0.2 s more."""
    with worker_task():
        assert _PENDING is not None
        files = {name: as_bytes(text) for name, text in _render_spec_side().items()}
        pieces = _PENDING[2].export(_shared_parts(_PENDING[0]))
        with open(path, "wb") as out:
            pickle.dump((files, pieces), out, protocol=pickle.HIGHEST_PROTOCOL)


def _spec_side(
    rendering: Future[None] | None, handover: str, result: BuildResult, pieces: RenderPieces
) -> dict[str, str | bytes]:
    """The forked renderer's files, its pieces merged into ``pieces``; rendered here when
    there is no fork, or when it died (the OOM killer) or could not write them (a full
    disk)."""
    if rendering is not None:
        try:
            rendering.result()
            with open(handover, "rb") as handed:
                files, exported = pickle.load(handed)
            pieces.merge_exported(exported, _shared_parts(result))
            return files  # type: ignore[no-any-return]
        except (BrokenProcessPool, OSError):
            pass
    return _render_spec_side()


def _version_diff(
    result: BuildResult, cache_dir: Path | None, pieces: RenderPieces
) -> dict[str, str]:
    """The version diff, reused from an earlier build when what it reads is unchanged: from
    the last build's pieces, else from the cache (a build that kept no state)."""
    if cache_dir is None:
        return render_version_diff(result.spec)
    inputs = diff_inputs(result.spec, code_version(), pieces.memo("diff-inputs"))
    kept = pieces.memo("version-diff")
    files: dict[str, str] | None = kept.find("files", (inputs,))
    if files is None:
        memo = RenderMemo(cache_dir, "version-diff", inputs)
        files = memo.load()
        if files is None:
            files = render_version_diff(result.spec)
            memo.save(files)
    kept.keep("files", (inputs,), files)
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
    result: BuildResult,
    cache_dir: Path | None = None,
    pieces: RenderPieces | None = None,
    fork: bool = True,
) -> tuple[dict[str, str | bytes], BuildResult]:
    """Every output file by relative path (text, or UTF-8 bytes), and the result with
    fixture validity filled in.

    The spec-side files (spec, OpenAPI, diff) render in a forked process while this one
    generates the models, validates the fixtures (``modelcheck``) and renders them: a fork
    shares the result without copying it. With a ``cache_dir``, validation results are
    reused from earlier builds whose models had the same shape. With ``pieces`` (the last
    build's, see ``pieces``), only the pieces made from parts the update redid are rendered
    again; the pieces of this build are left in it for the next one. (Writing files while
    rendering was tried: on two cores the writer threads slowed rendering by more than they
    saved.)

    Without ``fork`` everything renders here: when a few pieces are to be made, forking
    costs more than it saves (the fork of a process holding a million objects, the pages
    either process then touches copied on write, and the files handed back: 0.1 s of a
    one-page edit's 0.9 s render).
    """
    global _PENDING
    pieces = pieces if pieces is not None else RenderPieces()
    _PENDING = (result, cache_dir, pieces)
    with handover_folder("extractor-render-") as folder:
        pool = _fork_pool() if folder is not None and fork else None
        handover = os.path.join(folder or "", "spec-side.pickle")
        try:
            with interrupts_held():  # the submit forks the renderer
                spec_side = (
                    pool.submit(_render_spec_side_into, handover) if pool is not None else None
                )

            models, plans = render_models_and_plans(result.spec, pieces)
            memo = None
            if cache_dir is not None:
                shape = model_shape(result.spec, code_version(), pieces.memo("model-shape"))
                memo = ValidationMemo(cache_dir, shape)
            fixtures, fixture_diagnostics = validate_fixtures(
                result.fixtures,
                models,
                memo,
                lambda todo: check_planned(todo, plans),
                pieces.memo("validation"),
            )
            files: dict[str, str | bytes] = dict(models)
            files.update(render_fixture_files(fixtures, pieces.memo("fixtures")))
            files.update(_spec_side(spec_side, handover, result, pieces))
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
    files["diagnostics.sarif"] = diagnostics_sarif(result.diagnostics, pieces.memo("sarif"))
    return dict(sorted(files.items())), result
