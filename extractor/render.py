"""Assemble every output file in memory (``outtree`` writes them or compares them)."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from extractor.buildcache import code_version
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
