"""A whole build: the pages' records, the spec, every output file, written at once or checked.

``run_build`` is what ``extractor build`` and ``extractor.api.build`` run. It redoes as
little as it can (nothing when the output is current, nothing more when the changed pages
say nothing new, the last build's reconciliation updated where they feed it) and returns
what happened; it prints nothing, and bad input raises ``ExtractorError``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from extractor.engine.inputs import (
    ExtractorError,
    default_paths,
    discover_pages,
    docs_roots,
    read_records,
)
from extractor.engine.progress import ProgressBar, no_progress
from extractor.engine.timings import Lap, Timer
from extractor.read.corpus import PageFile
from extractor.schema import BuildResult, PageRecord

if TYPE_CHECKING:
    from extractor.engine.state import BuildIndex, PageEntry
    from extractor.metadata.build import BuildMetadata
    from extractor.reconcile import Reconciliation
    from extractor.reuse import Kept, RenderPieces

__all__ = ["BuildOptions", "BuildSummary", "Outcome", "run_build"]

#: ``current``: nothing changed since the last build, nothing was read; ``nothing new``: the
#: changed pages say nothing new, the output stays; ``checked``/``stale``: a check found the
#: output as the build would write it, or not; ``written``: the output was written.
Outcome = Literal["current", "nothing new", "checked", "stale", "written"]


@dataclass
class BuildOptions:
    """How to build. ``cache_dir`` None keeps no cache (``resolve_cache_dir``)."""

    jobs: int | None = None
    check: bool = False
    cache_dir: Path | None = None
    executor: str = "local"
    scheduler: str | None = None
    progress: ProgressBar = no_progress
    #: The process ends right after (the console script): the state is kept by a child
    #: handed to init at once, and the build's objects are never freed one by one.
    exiting: bool = False
    #: ``[VERSION=]FILE`` CSDL files to hold the docs against (``metadata/`` in the output);
    #: empty: those named by ``[tool.extractor] metadata`` in pyproject.toml, if any.
    metadata: tuple[str, ...] = ()
    #: Build even when no page is found (else: ``ExtractorError``, the output untouched).
    allow_empty: bool = False
    #: When another build holds the output folder or the cache: wait for it (saying so
    #: through ``waiting``), or raise ``LockBusy`` at once.
    wait: bool = True
    waiting: Callable[[str], None] | None = None


@dataclass
class BuildSummary:
    """What a build did, and the numbers the CLI prints about it."""

    out_dir: Path
    outcome: Outcome
    pages: int = 0
    #: Pages read anew rather than taken from the cache.
    computed: list[str] = field(default_factory=list)
    #: The last build's spec was updated where the changed pages feed it.
    updated: bool = False
    #: The spec, diagnostics and fixtures (None when the output was current).
    result: BuildResult | None = None
    #: Files in the output as built.
    files: int = 0
    #: With ``check``: the output's files that differ from the build's.
    stale: list[str] = field(default_factory=list)
    laps: list[Lap] = field(default_factory=list)
    #: Pages (or folders) the walk found but could not read, with why: each has an
    #: ``unreadable`` diagnostic and the rest was built; the CLI exits 3 (partial).
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    #: The build's objects, held when the process ends right after (``exiting``): freeing
    #: them one by one took 0.4 s on the real corpus, just before the process ended anyway.
    retained: tuple[object, ...] = field(default=(), repr=False, compare=False)

    @property
    def cached(self) -> int:
        return self.pages - len(self.computed)

    def lines(self) -> list[str]:
        """What a build that rendered says of itself: its pages and what the spec holds,
        then how many fixtures validate and what the strict check found."""
        from extractor.render.fixtures import strict_summary, validation_summary

        if self.result is None:
            return []
        severities = Counter(d.severity for d in self.result.diagnostics)
        spec = self.result.spec
        how = "; the spec updated where they feed it" if self.updated else ""
        counts = (
            f"pages: {self.pages} ({len(self.computed)} read, {self.cached} cached{how}); "
            f"operations: {len(spec.operations)}, types: {len(spec.types)}, "
            f"enums: {len(spec.enums)}; diagnostics: "
            + ", ".join(f"{count} {name}" for name, count in sorted(severities.items()))
        )
        fixtures = self.result.fixtures
        return [counts, validation_summary(fixtures), strict_summary(fixtures)]


def run_build(
    paths: Sequence[str | Path], out_dir: Path, options: BuildOptions | None = None
) -> BuildSummary:
    """Build the pages below ``paths`` (the default corpus when none) into ``out_dir``,
    holding the output folder's lock and the cache's (``lock``) while it runs."""
    from extractor.engine.lock import held, lock_path, sweep_temporary

    options = options or BuildOptions()
    if out_dir.exists() and not out_dir.is_dir():
        raise ExtractorError(f"{out_dir} exists and is not a directory")
    blocker = next((p for p in out_dir.parents if p.exists() and not p.is_dir()), None)
    if blocker is not None:  # fail before the build, not after it
        raise ExtractorError(f"cannot write {out_dir}: {blocker} is not a directory")
    include_files: list[PageFile] = []
    pages = discover_pages(default_paths(paths), include_files)
    if not pages and not options.allow_empty:
        named = ", ".join(str(path) for path in default_paths(paths))
        raise ExtractorError(
            f"no page (*.md, *.txt) found in {named}; {out_dir} left as it is "
            "(--allow-empty builds an empty output)"
        )
    waited: list[str] = []

    def waiting(message: str) -> None:
        waited.append(message)
        if options.waiting is not None:
            options.waiting(message)

    lock = partial(held, wait=options.wait, waiting=waiting)
    with ExitStack() as locks:
        try:
            if not options.check or out_dir.absolute().parent.is_dir():
                locks.enter_context(lock(lock_path(out_dir.absolute()), str(out_dir)))
            if options.cache_dir is not None:
                cache_lock = options.cache_dir / "lock"
                locks.enter_context(lock(cache_lock, f"the cache {options.cache_dir}"))
        except OSError as error:
            raise ExtractorError(f"cannot write {out_dir}: {error.strerror or error}") from error
        sweep_temporary()
        if waited:  # the pages may have changed while the other build ran
            include_files = []
            pages = discover_pages(default_paths(paths), include_files)
        roots = docs_roots(default_paths(paths))
        summary = _run_build(pages, include_files, out_dir, options, roots)
    summary.unreadable = [(page.display, page.problem) for page in pages if page.problem]
    return summary


def _run_build(
    pages: list[PageFile],
    include_files: list[PageFile],
    out_dir: Path,
    options: BuildOptions,
    roots: Sequence[str] = (),
) -> BuildSummary:
    from extractor.engine.output_tree import (
        SpareCheck,
        TreeWriter,
        recover_interrupted,
        stale_paths,
    )
    from extractor.engine.records import store_deferred
    from extractor.engine.rendering import render_outputs
    from extractor.engine.state import entries_of, load_index
    from extractor.engine.uptodate import (
        build_key,
        code_version,
        includes_key,
        output_is_current,
        records_key,
        remember,
        remember_alias,
        written_outputs,
    )
    from extractor.reconcile import reconciliation
    from extractor.reuse import RenderPieces

    check = options.check
    if not check:  # a killed build's leftovers go now, even if the output is up to date
        try:
            recover_interrupted(out_dir.absolute())
        except OSError as error:
            raise ExtractorError(f"cannot write {out_dir}: {error.strerror or error}") from error
    timer = Timer()
    cache = options.cache_dir
    if cache is not None:
        from extractor.render.templating import keep_compiled_templates

        keep_compiled_templates(cache / "templates")
    # checked by another process while this one starts (spare.SpareCheck)
    spare_check = SpareCheck(out_dir) if cache is not None and not check else None
    metadata = _build_metadata(options.metadata, out_dir)
    # Include files are inputs too: one edited makes the build stale and the kept state
    # foreign, and the record cache then recomputes exactly the pages that read it.
    inputs = (metadata.key if metadata is not None else "") + includes_key(include_files)
    key = build_key(pages, out_dir, inputs) if cache is not None else ""
    if key and output_is_current(cache, key, out_dir):
        if spare_check is not None:
            spare_check.close()
        return BuildSummary(out_dir, "current", len(pages))
    timer.lap("start")
    state_code = code_version() + includes_key(include_files)
    index = load_index(cache, out_dir, state_code) if cache is not None else None
    changed = index.changed(pages) if index is not None else None
    deferred: list[tuple[str, str]] = []  # cache entries, written after the output
    read = partial(
        read_records,
        jobs=options.jobs,
        cache_dir=cache,
        progress=options.progress,
        executor=options.executor,
        scheduler=options.scheduler,
        deferred=deferred,
    )
    reading = read(pages if changed is None else changed)
    digests = reading.digests
    if index is not None and changed is not None:
        new = {page.display: digest for page, digest in zip(changed, digests, strict=True)}
        digests = index.digests(pages, new)
    timer.lap("records")
    said = records_key(digests, out_dir, inputs) if cache is not None else ""
    if said and output_is_current(cache, said, out_dir):
        store_deferred(deferred)  # no state to keep: the few records now
        if spare_check is not None:
            spare_check.close()
        remember_alias(cache, said, key)
        timer.lap("records key")
        return BuildSummary(out_dir, "nothing new", len(pages), laps=timer.laps)
    parts: Reconciliation | None = None
    previous_pieces: dict[str, Kept] | None = None
    if index is not None and changed is not None:
        parts, previous_pieces = _updated(index, reading.records, pages, cache)
        keep = partial(index.updated, pages, digests)
        timer.lap("update")
    updated = parts is not None
    computed = reading.computed
    if parts is None:
        if changed is not None:  # the changed pages reach across pages: read them all
            reading = read(pages)
            computed = sorted({*computed, *reading.computed})
            timer.lap("records")
        parts = reconciliation(reading.records)
        keep = partial(entries_of, pages, reading.digests, reading.records, parts)
    result = parts.result()
    timer.lap("reconcile")
    pieces = RenderPieces(previous_pieces)
    # the timer's own list of laps: those still to come show in the summary too
    summary = BuildSummary(out_dir, "checked", len(pages), computed, updated, laps=timer.laps)
    if options.exiting:
        summary.retained = (pages, digests, reading, index, parts, keep, result, pieces)
    if check:
        files, summary.result = render_outputs(
            result, cache, pieces, metadata=metadata, roots=roots
        )
        timer.lap("render")
        summary.files = len(files)
        if options.exiting:
            summary.retained += (files,)
        summary.stale = stale_paths(files, out_dir)
        if summary.stale:
            summary.outcome = "stale"
            return summary
        remember(cache, [key, said], out_dir)
        _keep_state(cache, out_dir, state_code, keep, parts, pieces, deferred, options.exiting)
        return summary
    try:
        tree = TreeWriter(out_dir, *written_outputs(cache, out_dir), check=spare_check)
    except OSError as error:
        raise ExtractorError(f"cannot write {out_dir}: {error.strerror or error}") from error
    with tree:  # files go to disk while the rest renders
        files, summary.result = render_outputs(result, cache, pieces, tree.add, metadata, roots)
        timer.lap("render")
        try:
            written = tree.finish()
        except OSError as error:
            raise ExtractorError(f"cannot write {out_dir}: {error.strerror or error}") from error
    timer.lap("write")
    summary.outcome, summary.files = "written", len(files)
    if options.exiting:
        summary.retained += (files, written, tree)
    remember(cache, [key, said], out_dir, written, tree.folder_times)
    timer.lap("remember")
    _keep_state(cache, out_dir, state_code, keep, parts, pieces, deferred, options.exiting)
    timer.lap("keep")
    return summary


def _updated(
    index: BuildIndex, records: list[PageRecord], pages: list[PageFile], cache: Path | None
) -> tuple[Reconciliation | None, dict[str, Kept] | None]:
    """The last build's reconciliation updated with the changed pages' records (None when
    there is none or the change reaches across pages), and the pieces rendered from it."""
    from extractor.engine.records import parse_result, record_json

    kept = index.reconciliation()
    if kept is None:
        return None, None
    previous, pieces = kept
    tasks = {
        page.display: (str(page.path), page.display, str(page.root or ""), page.root_display)
        for page in pages
    }
    cache_text = str(cache) if cache is not None else None

    def load(display: str) -> PageRecord:
        task = tasks[display]
        return parse_result(task, record_json(task, cache_text), cache_text)[0]

    return previous.update(records, index.skeletons(), load), pieces


def _keep_state(
    cache: Path | None,
    out_dir: Path,
    state_code: str,
    entries: Callable[[], dict[str, PageEntry]],
    parts: Reconciliation,
    pieces: RenderPieces,
    deferred: list[tuple[str, str]],
    exiting: bool,
) -> None:
    """Keep this build's records in the cache (the entries its workers left to it) and its
    reconciliation and rendered pieces for the next build, in a detached process."""
    from extractor.engine.records import store_deferred
    from extractor.engine.state import keep_later, save_state

    if cache is not None:
        kept = pieces.kept()

        def keep() -> None:
            store_deferred(deferred)
            save_state(cache, out_dir, state_code, entries(), parts, kept)

        keep_later(cache, keep, exiting=exiting)


def _build_metadata(options: tuple[str, ...], out_dir: Path) -> BuildMetadata | None:
    """The metadata files the build reports on (``extractor.metadata.build``), read now so
    that a bad one fails the build before anything is written."""
    from extractor.metadata import MetadataError
    from extractor.metadata.build import BuildMetadata, configured

    try:
        return BuildMetadata.of(configured(options), out_dir)
    except MetadataError as error:
        raise ExtractorError(str(error)) from error
