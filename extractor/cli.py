"""The ``extractor`` command: thin click commands over the pipeline's stages."""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import time


def _interrupted_while_starting(_signum: int, _frame: object) -> None:
    """Ctrl-C while the modules below load (a third of a second): exit quietly, no traceback."""
    print("\nAborted!", file=sys.stderr)
    raise SystemExit(1)  # as click exits on "Aborted!"


def _guard_startup(handler: object) -> None:
    """Install ``handler`` for SIGINT if the default one is in place (main thread only)."""
    current = signal.getsignal(signal.SIGINT)
    if current in (signal.default_int_handler, _interrupted_while_starting):
        with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
            signal.signal(signal.SIGINT, handler)  # type: ignore[arg-type]


_guard_startup(_interrupted_while_starting)

from collections import Counter  # noqa: E402
from collections.abc import Callable, Iterator, Sequence  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from functools import partial  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING, Any  # noqa: E402

import click  # noqa: E402

from extractor import __version__  # noqa: E402
from extractor.engine.records import Extraction, default_cache_dir, extract_records  # noqa: E402
from extractor.read.corpus import InputError, PageFile, discover  # noqa: E402
from extractor.schema import BuildResult, PageRecord, UnifiedSpec  # noqa: E402

if TYPE_CHECKING:
    from extractor.engine.state import BuildIndex, PageEntry
    from extractor.reconcile import Reconciliation
    from extractor.reuse import Kept, RenderPieces

_guard_startup(signal.default_int_handler)  # from here on click turns Ctrl-C into "Aborted!"

DEFAULT_CORPUS = Path("corpus")
DEFAULT_OUTPUT = Path("output")


def _fail(message: str) -> None:
    click.echo(f"extractor: {message}", err=True)
    sys.exit(2)


@contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on long runs when stderr is a terminal; silence otherwise."""
    if total < 200 or not sys.stderr.isatty():
        yield lambda _count: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda count: bar.advance(task, count)


def _cache_dir(cache_dir: Path | None, no_cache: bool) -> Path | None:
    if no_cache:
        return None
    return cache_dir or default_cache_dir()


def _discover(paths: Sequence[str | Path]) -> list[PageFile]:
    try:
        return discover(paths)
    except InputError as error:
        _fail(str(error))
        raise AssertionError from error  # unreachable: _fail exits


def _records(
    pages: list[PageFile],
    jobs: int | None,
    cache_dir: Path | None,
    executor: str = "local",
    scheduler: str | None = None,
    deferred: list[tuple[str, str]] | None = None,
) -> Extraction:
    with _progress(len(pages), "reading pages") as tick:
        return extract_records(
            pages,
            jobs=jobs,
            cache_dir=cache_dir,
            progress=tick,
            executor=executor,
            scheduler=scheduler,
            deferred=deferred,
        )


def _docs_roots(paths: Sequence[str]) -> tuple[str, ...]:
    """The docs trees named on the command line, as pages' paths start with them: fixtures
    name their page by its path below its tree."""
    from extractor.read.corpus import display_path

    return tuple(sorted({display_path(Path(p)) for p in paths if Path(p).is_dir()}))


def _default_paths(paths: tuple[str, ...]) -> list[str]:
    if paths:
        return list(paths)
    if DEFAULT_CORPUS.is_dir():
        return [str(DEFAULT_CORPUS)]
    embedded = Path(__file__).resolve().parent / "corpus"
    if embedded.is_dir():
        return [str(embedded)]
    _fail("no PATH given and no corpus/ directory here")
    return []


_jobs_option = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for reading pages (default: all cores).",
)
_cache_option = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where per-page records are cached (default: the user cache directory).",
)
_no_cache_option = click.option(
    "--no-cache", is_flag=True, help="Neither read nor write the cache."
)


def _output_file_option(help_text: str) -> Callable[[Any], Any]:
    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path),  # not dir_okay=False: click's error would be 4 lines
        metavar="FILE",
        default=None,
        help=help_text,
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="extractor")
@click.pass_context
def main(context: click.Context) -> None:
    """Turn Microsoft Graph API reference pages into records, a unified spec, OpenAPI,
    pydantic models, test fixtures, version diffs and diagnostics."""
    # A command builds millions of long-lived objects (records, spec, fixtures) and no
    # garbage cycles worth collecting, while every full collection walks all of them: with
    # the collector on, parsing the cached records alone took four times as long. It is
    # off for the command (workers that read pages turn it back on) and back on after it.
    # Turning it back on is left out when the process ends right after (``entry``): the
    # first collection would walk every object the command made, a third of a second.
    if gc.isenabled():
        gc.disable()
        if not _EXITING:
            context.call_on_close(gc.enable)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@_output_file_option("Write JSON Lines here instead of stdout.")
@_jobs_option
@_cache_option
@_no_cache_option
def extract(
    paths: tuple[str, ...],
    output: Path | None,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    """One JSON record per page (JSON Lines, sorted by path)."""
    if output is not None and output.is_dir():
        _fail(f"{output} is a directory, not a file")
    records = _records(_discover(paths), jobs, _cache_dir(cache_dir, no_cache)).records
    lines = "".join(record.model_dump_json() + "\n" for record in records)
    if output is None:
        click.echo(lines, nl=False)
    else:
        try:
            output.write_text(lines, encoding="utf-8")
        except OSError as error:
            _fail(f"cannot write {output}: {error.strerror or error}")
    _end_of_command()


def build_result(records: list[PageRecord]) -> BuildResult:
    from extractor.reconcile import reconcile

    return reconcile(records)


@main.command()
@click.argument("paths", nargs=-1)
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="Output directory.",
)
@_jobs_option
@click.option(
    "--check",
    is_flag=True,
    help="Build in memory, write nothing; exit 1 when the output directory is stale.",
)
@_cache_option
@_no_cache_option
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where per-page work runs.",
)
@click.option("--scheduler", default=None, help="Dask scheduler address (with --executor dask).")
def build(
    paths: tuple[str, ...],
    out_dir: Path,
    jobs: int | None,
    check: bool,
    cache_dir: Path | None,
    no_cache: bool,
    executor: str,
    scheduler: str | None,
) -> None:
    """The whole pipeline: records, spec, OpenAPI, models, fixtures, diffs, diagnostics."""
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
        output_is_current,
        records_key,
        remember,
        remember_alias,
        written_outputs,
    )
    from extractor.reconcile import reconciliation
    from extractor.reuse import RenderPieces

    if out_dir.exists() and not out_dir.is_dir():
        _fail(f"{out_dir} exists and is not a directory")
    blocker = next((p for p in out_dir.parents if p.exists() and not p.is_dir()), None)
    if blocker is not None:  # fail before the build, not after it
        _fail(f"cannot write {out_dir}: {blocker} is not a directory")
    if not check:  # a killed build's leftovers go now, even if the output is up to date
        try:
            recover_interrupted(out_dir.absolute())
        except OSError as error:
            _fail(f"cannot write {out_dir}: {error.strerror or error}")
    timer = _Timer()
    cache = _cache_dir(cache_dir, no_cache)
    if cache is not None:
        from extractor.render.templating import keep_compiled_templates

        keep_compiled_templates(cache / "templates")
    # checked by another process while this one starts (outtree.SpareCheck)
    spare_check = SpareCheck(out_dir) if cache is not None and not check else None
    given = _default_paths(paths)
    pages = _discover(given)
    roots = _docs_roots(given)
    key = build_key(pages, out_dir) if cache is not None else ""
    if key and output_is_current(cache, key, out_dir):
        if spare_check is not None:
            spare_check.close()
        click.echo(f"{out_dir} is up to date (nothing changed since the last build)", err=True)
        return
    timer.lap("start")
    index = load_index(cache, out_dir, code_version()) if cache is not None else None
    changed = index.changed(pages) if index is not None else None
    deferred: list[tuple[str, str]] = []  # cache entries, written after the output
    reading = _records(
        pages if changed is None else changed, jobs, cache, executor, scheduler, deferred
    )
    digests = reading.digests
    if index is not None and changed is not None:
        new = {page.display: digest for page, digest in zip(changed, digests, strict=True)}
        digests = index.digests(pages, new)
    timer.lap("records")
    said = records_key(digests, out_dir) if cache is not None else ""
    if said and output_is_current(cache, said, out_dir):
        store_deferred(deferred)  # no state to keep: the few records now
        if spare_check is not None:
            spare_check.close()
        remember_alias(cache, said, key)
        timer.lap("records key")
        click.echo(f"{out_dir} is up to date (the changed pages say nothing new)", err=True)
        timer.report()
        return
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
            reading = _records(pages, jobs, cache, executor, scheduler, deferred)
            computed = sorted({*computed, *reading.computed})
            timer.lap("records")
        parts = reconciliation(reading.records)
        keep = partial(entries_of, pages, reading.digests, reading.records, parts)
    result = parts.result()
    timer.lap("reconcile")
    pieces = RenderPieces(previous_pieces)
    if check:
        files, result = render_outputs(result, cache, pieces, roots=roots)
        timer.lap("render")
        _summary(len(pages), computed, result, updated)
        stale = stale_paths(files, out_dir)
        if stale:
            shown = "\n".join(f"  {path}" for path in stale[:20])
            more = f"\n  ... and {len(stale) - 20} more" if len(stale) > 20 else ""
            click.echo(f"{out_dir} is stale ({len(stale)} files differ):\n{shown}{more}", err=True)
            sys.exit(1)
        remember(cache, [key, said], out_dir)
        _keep_state(cache, out_dir, keep, parts, pieces, deferred)
        click.echo(f"{out_dir} is up to date", err=True)
        _end_of_command()
        return
    try:
        tree = TreeWriter(out_dir, *written_outputs(cache, out_dir), check=spare_check)
    except OSError as error:
        _fail(f"cannot write {out_dir}: {error.strerror or error}")
    with tree:  # files go to disk while the rest renders
        files, result = render_outputs(result, cache, pieces, tree.add, roots)
        timer.lap("render")
        try:
            written = tree.finish()
        except OSError as error:
            _fail(f"cannot write {out_dir}: {error.strerror or error}")
    timer.lap("write")
    _summary(len(pages), computed, result, updated)
    remember(cache, [key, said], out_dir, written, tree.folder_times)
    timer.lap("remember")
    _keep_state(cache, out_dir, keep, parts, pieces, deferred)
    timer.lap("keep")
    click.echo(f"wrote {len(files)} files to {out_dir}", err=True)
    timer.report()
    _end_of_command()


class _Timer:
    """Stage times on stderr when EXTRACTOR_TIMINGS is set (the benchmark reads them): wall
    seconds, then the CPU seconds this process and its waited-for children spent, user and
    system, which tell a stage that waits from one that works on both cores."""

    def __init__(self) -> None:
        self.enabled = bool(os.environ.get("EXTRACTOR_TIMINGS"))
        self.last = time.perf_counter()
        self.last_cpu = self._cpu()
        self.laps: list[tuple[str, float, float, float]] = []

    @staticmethod
    def _cpu() -> tuple[float, float]:
        times = os.times()
        return times.user + times.children_user, times.system + times.children_system

    def lap(self, name: str) -> None:
        now, cpu = time.perf_counter(), self._cpu()
        user, system = (cpu[0] - self.last_cpu[0], cpu[1] - self.last_cpu[1])
        self.laps.append((name, now - self.last, user, system))
        self.last, self.last_cpu = now, cpu

    def report(self) -> None:
        if self.enabled:
            click.echo(
                "timings: "
                + ", ".join(
                    f"{name} {seconds:.2f}s ({user:.1f}u+{system:.1f}s)"
                    for name, seconds, user, system in self.laps
                ),
                err=True,
            )


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
    paths = {page.display: str(page.path) for page in pages}
    cache_text = str(cache) if cache is not None else None

    def load(display: str) -> PageRecord:
        task = (paths[display], display)
        return parse_result(task, record_json(task, cache_text), cache_text)[0]

    return previous.update(records, index.skeletons(), load), pieces


def _keep_state(
    cache: Path | None,
    out_dir: Path,
    entries: Callable[[], dict[str, PageEntry]],
    parts: Reconciliation,
    pieces: RenderPieces,
    deferred: list[tuple[str, str]],
) -> None:
    """Keep this build's records in the cache (the entries its workers left to it) and its
    reconciliation and rendered pieces for the next build, in a detached process."""
    from extractor.engine.records import store_deferred
    from extractor.engine.state import keep_later, save_state
    from extractor.engine.uptodate import code_version

    if cache is not None:
        kept = pieces.kept()

        def keep() -> None:
            store_deferred(deferred)
            save_state(cache, out_dir, code_version(), entries(), parts, kept)

        keep_later(cache, keep, exiting=_EXITING)


def _summary(pages: int, computed: list[str], result: BuildResult, updated: bool) -> None:
    from extractor.render.fixtures import strict_summary, validation_summary

    severities = Counter(d.severity for d in result.diagnostics)
    spec = result.spec
    how = "; the spec updated where they feed it" if updated else ""
    click.echo(
        f"pages: {pages} ({len(computed)} read, {pages - len(computed)} cached{how}); "
        f"operations: {len(spec.operations)}, types: {len(spec.types)}, "
        f"enums: {len(spec.enums)}; diagnostics: "
        + ", ".join(f"{count} {name}" for name, count in sorted(severities.items())),
        err=True,
    )
    click.echo(validation_summary(result.fixtures), err=True)
    click.echo(strict_summary(result.fixtures), err=True)


def _load_spec(source: Sequence[str], jobs: int | None, cache_dir: Path | None) -> UnifiedSpec:
    if len(source) == 1 and source[0].endswith(".json") and Path(source[0]).is_file():
        try:
            return UnifiedSpec.model_validate_json(Path(source[0]).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            _fail(f"{source[0]} is not a spec.json: {str(error).splitlines()[0]}")
    records = _records(_discover(source), jobs, cache_dir).records
    return build_result(records).spec


@main.command()
@click.argument("inputs", nargs=-1)
@click.option(
    "--versions",
    nargs=2,
    type=click.Choice(["v1.0", "beta"]),
    default=None,
    help="Compare two API versions within one spec or corpus (e.g. v1.0 beta).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["md", "json", "html"]),
    default="md",
    show_default=True,
)
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "any"]),
    default=None,
    help="Exit 1 when a change of this severity (or any change) is found.",
)
@click.option("--include-descriptions", is_flag=True, help="Also report description changes.")
@_output_file_option("Write the report here instead of stdout.")
@_jobs_option
@_cache_option
@_no_cache_option
def diff(
    inputs: tuple[str, ...],
    versions: tuple[str, str] | None,
    output_format: str,
    fail_on: str | None,
    include_descriptions: bool,
    output: Path | None,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    """Changes from OLD to NEW (each a spec.json or corpus paths), or between two versions.

    \b
    extractor diff old/spec.json new/spec.json
    extractor diff --versions v1.0 beta output/spec.json
    extractor diff ../docs-2021-02 ../docs-2021-08 --format json --fail-on breaking
    """
    from extractor import diff as diffing

    cache = _cache_dir(cache_dir, no_cache)
    if versions is not None:
        spec = _load_spec(list(inputs) or _default_paths(()), jobs, cache)
        report = diffing.diff_versions(
            spec, versions[0], versions[1], include_descriptions=include_descriptions
        )
        title = f"{versions[0]} → {versions[1]}"
        matrix_spec = spec
    else:
        if len(inputs) != 2:
            _fail("diff takes OLD and NEW (or --versions A B [SPEC_OR_PATHS])")
        old = _load_spec([inputs[0]], jobs, cache)
        new = _load_spec([inputs[1]], jobs, cache)
        report = diffing.diff_specs(old, new, include_descriptions=include_descriptions)
        title = f"{inputs[0]} → {inputs[1]}"
        matrix_spec = new
    if output_format == "json":
        text = diffing.render_diff_json(report)
    elif output_format == "html":
        text = diffing.render_diff_html(report, title, diffing.availability_matrix(matrix_spec))
    else:
        text = diffing.render_diff_markdown(report, title)
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            _fail(f"cannot write {output}: {error.strerror or error}")
    if fail_on and diffing.has_failures(report, fail_on):  # type: ignore[arg-type]
        sys.exit(1)


def run(argv: list[str] | None = None) -> Any:
    """Entry point for tests: run the CLI in-process without exiting the interpreter."""
    return main.main(args=argv, standalone_mode=False)


#: Set by ``entry``: the process ends when the command does.
_EXITING = False


def entry() -> None:
    """The console script: the command, then an immediate exit.

    Tearing down an interpreter that holds a build's millions of objects took over a
    second, after everything was written and closed; so, as mypy does, the process ends
    without it once the output streams are flushed.
    """
    global _EXITING
    _EXITING = True
    try:
        main()
        code: object = 0
    except SystemExit as done:
        code = done.code
    if isinstance(code, str):  # sys.exit("message")
        print(code, file=sys.stderr)
        code = 1
    _exit(code if isinstance(code, int) else 0 if code is None else 1)


def _exit(code: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
            stream.flush()
    os._exit(code)


def _end_of_command() -> None:
    """In the console script, end the process where a command's work ends: returning would
    free the build's millions of objects one by one (0.4 s), just before ``entry`` ends
    the process anyway."""
    if _EXITING:
        _exit(0)


if __name__ == "__main__":  # pragma: no cover
    entry()
