"""Assemble every output file in memory (``outtree`` writes them or compares them)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from extractor.diff import render_version_diff
from extractor.engine.resultcache import RenderMemo, ValidationMemo, diff_inputs, model_shape
from extractor.engine.uptodate import code_version
from extractor.engine.version_diff import VersionDiffProcess
from extractor.render.diagnostics import diagnostics_json, diagnostics_sarif, sort_diagnostics
from extractor.render.fixtures import (
    check_planned,
    check_strict,
    render_fixture_files,
    validate_fixtures,
)
from extractor.render.jsonout import pretty_json
from extractor.render.models import render_models_and_plans
from extractor.render.openapi import render_openapi_files
from extractor.render.specjson import dump_spec_bytes, spec_json_schema
from extractor.reuse import PieceMemo, RenderPieces
from extractor.schema import BuildResult

if TYPE_CHECKING:
    from extractor.metadata.build import BuildMetadata

#: Where finished files go as soon as they are rendered (``outtree.TreeWriter.add``).
Emit = Callable[[Mapping[str, str | bytes]], None]


class _VersionDiff:
    """The version diff's files, wanted at the end of the render: reused from an earlier
    build when what it reads is unchanged (the last build's pieces, else the cache), else
    rendered; in another process from ``spec.json`` when the whole output is rendered anew
    (``specside``), here otherwise (after an edit, a few pieces cost less than a process)."""

    def __init__(
        self, result: BuildResult, cache_dir: Path | None, pieces: RenderPieces, spec_json: bytes
    ) -> None:
        self.spec = result.spec
        self.files: dict[str, str] | None = None
        self.memo: RenderMemo | None = None
        self.inputs: str | None = None
        self.kept: PieceMemo | None = None
        self.elsewhere: VersionDiffProcess | None = None
        if cache_dir is not None:
            self.kept = pieces.memo("version-diff")
            self.inputs = diff_inputs(self.spec, code_version(), pieces.memo("diff-inputs"))
            self.files = self.kept.find("files", (self.inputs,))
            if self.files is None:
                self.memo = RenderMemo(cache_dir, "version-diff", self.inputs)
                self.files = self.memo.load()
        if self.files is None and not pieces.previous:
            self.elsewhere = VersionDiffProcess(spec_json)

    def result(self) -> dict[str, str]:
        files = self.files
        if files is None:
            files = self.elsewhere.result() if self.elsewhere is not None else None
            if files is None:
                files = render_version_diff(self.spec)
            if self.memo is not None:
                self.memo.save(files)
        if self.kept is not None:
            self.kept.keep("files", (self.inputs,), files)
        return files

    def close(self) -> None:
        if self.elsewhere is not None:
            self.elsewhere.close()


def render_outputs(
    result: BuildResult,
    cache_dir: Path | None = None,
    pieces: RenderPieces | None = None,
    emit: Emit | None = None,
    metadata: BuildMetadata | None = None,
    roots: Sequence[str] = (),
) -> tuple[dict[str, str | bytes], BuildResult]:
    """Every output file by relative path (text, or UTF-8 bytes), and the result with
    fixture validity filled in; each group of files also goes to ``emit`` as soon as it is
    made, so that a writer can put them on disk while the rest renders.

    ``roots`` are the docs trees the pages were found in (fixtures name pages below them).
    With a ``cache_dir``, validation results are reused from earlier builds whose models had
    the same shape. With ``pieces`` (the last build's, see ``pieces``), only the pieces made
    from parts the update redid are rendered again; the pieces of this build are left in it
    for the next one. With ``metadata``, check-metadata's reports are made last, from the
    rendered ``spec.json`` and the fixtures (``metadata/``).

    All but the version diff renders in this process. The spec side used to render in a
    forked process: on two cores that cost more than it saved (4.7-4.8 s against 4.3 s on
    the real corpus, and 2.5 s more CPU), since both processes then touch the million
    objects they share and every page either one writes to is copied (200,000 faults, 2.2 s
    of system time). The second core now writes the files (``outtree.TreeWriter``) and,
    in a whole render, makes the version diff from ``spec.json`` (``specside``).
    """
    pieces = pieces if pieces is not None else RenderPieces()
    send: Emit = emit or (lambda _files: None)
    spec_json = dump_spec_bytes(result.spec, pieces.memo("spec"))
    version_diff = _VersionDiff(result, cache_dir, pieces, spec_json)
    try:
        models, plans = render_models_and_plans(result.spec, pieces)
        send(models)
        memo = None
        shape = ""
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
        fixtures, strict_diagnostics = check_strict(
            fixtures, result.spec, shape, pieces.memo("strict")
        )
        fixture_diagnostics += strict_diagnostics
        # the most files: on disk while the rest of them and the rest of the output render
        fixture_files = render_fixture_files(fixtures, pieces.memo("fixtures"), send, roots)
        spec_side: dict[str, str | bytes] = {
            "spec.json": spec_json,
            "spec.schema.json": pieces.memo("schema").get(
                "spec.schema.json", (code_version(),), lambda: pretty_json(spec_json_schema())
            ),
        }
        spec_side.update(render_openapi_files(result.spec, result.fixtures, pieces))
        spec_side.update(version_diff.result())
    finally:
        version_diff.close()
    send(spec_side)
    result = result.model_copy(
        update={
            "fixtures": fixtures,
            "diagnostics": sort_diagnostics([*result.diagnostics, *fixture_diagnostics]),
        }
    )
    reports: dict[str, str | bytes] = {
        "diagnostics.json": diagnostics_json(result.diagnostics),
        "diagnostics.sarif": diagnostics_sarif(result.diagnostics, pieces.memo("sarif")),
    }
    if metadata is not None:
        reports.update(metadata.reports(spec_json, result.fixtures))
    send(reports)
    files: dict[str, str | bytes] = {**models, **fixture_files, **spec_side, **reports}
    return dict(sorted(files.items())), result
