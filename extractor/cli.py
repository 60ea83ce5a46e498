"""The ``extractor`` command: thin click commands over the pipeline's stages."""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys

#: Exit codes (README, "Exit codes"): each says one thing.
EXIT_DIFFERENCE = 1  # a difference was found (--check stale, diff/check-metadata --fail-on)
EXIT_USAGE = 2  # usage or input error; nothing was written
EXIT_PARTIAL = 3  # built, but some files under the input could not be read
EXIT_BUSY = 75  # --no-wait and another build holds the output folder or the cache
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
EXIT_TERMINATED = 143  # SIGTERM (128 + SIGTERM)


def _interrupted_while_starting(_signum: int, _frame: object) -> None:
    """Ctrl-C while the modules below load (a third of a second): exit quietly, no traceback."""
    print("\nextractor: interrupted", file=sys.stderr)
    raise SystemExit(EXIT_INTERRUPTED)


class Terminated(BaseException):
    """SIGTERM, raised where the build is, so that it unwinds as for Ctrl-C: staging and
    temporary folders are removed, the previous output stays."""


def _terminate(signum: int, _frame: object) -> None:
    if os.getpid() != _MAIN_PID:  # a forked child not yet past its own set-up: end quietly
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
    raise Terminated


_MAIN_PID = os.getpid()


def _guard_startup(handler: object) -> None:
    """Install ``handler`` for SIGINT if the default one is in place (main thread only)."""
    current = signal.getsignal(signal.SIGINT)
    if current in (signal.default_int_handler, _interrupted_while_starting):
        with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
            signal.signal(signal.SIGINT, handler)  # type: ignore[arg-type]


_guard_startup(_interrupted_while_starting)

from collections.abc import Callable  # noqa: E402
from functools import partial  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, NoReturn  # noqa: E402

import click  # noqa: E402

from extractor import __version__  # noqa: E402
from extractor.engine.build import BuildOptions, BuildSummary, run_build  # noqa: E402
from extractor.engine.comparison import DiffFormat, FailOn, compare  # noqa: E402
from extractor.engine.gitpages import GitPages, parse_git_range  # noqa: E402
from extractor.engine.inputs import (  # noqa: E402
    ExtractorError,
    default_paths,
    discover_pages,
    read_records,
    resolve_cache_dir,
)
from extractor.engine.progress import terminal_progress  # noqa: E402
from extractor.engine.timings import format_laps, timings_wanted  # noqa: E402

_guard_startup(signal.default_int_handler)  # from here on click turns Ctrl-C into "Aborted!"

DEFAULT_OUTPUT = Path("output")


def _fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    click.echo(f"extractor: {message}", err=True)
    sys.exit(code)


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


def _write_or_echo(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        _fail(f"cannot write {output}: {error.strerror or error}")


class _Commands(click.Group):
    """Bad input in any command (``ExtractorError``): one line on stderr and its exit code
    (2, or 75 for a busy lock); Ctrl-C and SIGTERM: one line and 130 or 143."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ExtractorError as error:
            _fail(str(error), error.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", EXIT_INTERRUPTED)
        except Terminated:
            _fail("terminated (SIGTERM)", EXIT_TERMINATED)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
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
    pages = discover_pages(paths)
    cache = resolve_cache_dir(cache_dir, no_cache)
    records = read_records(pages, jobs, cache, terminal_progress).records
    _write_or_echo("".join(record.model_dump_json() + "\n" for record in records), output)
    _partial_input([(page.display, page.problem) for page in pages if page.problem])
    _end_of_command()


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
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Build even when no page is found (else exit 2 and the output is left as it is).",
)
@click.option(
    "--no-wait",
    is_flag=True,
    help="Exit 75 at once when another build is using the output folder or the cache "
    "(default: wait for it).",
)
@click.option(
    "--metadata",
    "metadata_files",
    multiple=True,
    metavar="[VERSION=]FILE",
    help="Also report where the docs and this CSDL metadata disagree, in metadata/ "
    "(repeatable; default: [tool.extractor] metadata in pyproject.toml).",
)
def build(
    paths: tuple[str, ...],
    out_dir: Path,
    jobs: int | None,
    check: bool,
    cache_dir: Path | None,
    no_cache: bool,
    executor: str,
    scheduler: str | None,
    allow_empty: bool,
    no_wait: bool,
    metadata_files: tuple[str, ...],
) -> None:
    """The whole pipeline: records, spec, OpenAPI, models, fixtures, diffs, diagnostics."""
    cache = resolve_cache_dir(cache_dir, no_cache)
    options = BuildOptions(
        jobs, check, cache, executor, scheduler, terminal_progress, _EXITING, metadata_files
    )
    options.allow_empty, options.wait = allow_empty, not no_wait
    options.waiting = lambda message: click.echo(f"extractor: {message}", err=True)
    done = run_build(paths, out_dir, options)
    if done.outcome == "current":
        click.echo(f"{out_dir} is up to date (nothing changed since the last build)", err=True)
        _partial(done)
        return
    if done.outcome == "nothing new":
        click.echo(f"{out_dir} is up to date (the changed pages say nothing new)", err=True)
        _timings(done)
        _partial(done)
        return
    for line in done.lines():
        click.echo(line, err=True)
    if done.outcome == "stale":
        stale = done.stale
        shown = "\n".join(f"  {path}" for path in stale[:20])
        more = f"\n  ... and {len(stale) - 20} more" if len(stale) > 20 else ""
        click.echo(f"{out_dir} is stale ({len(stale)} files differ):\n{shown}{more}", err=True)
        sys.exit(1)
    if done.outcome == "checked":
        click.echo(f"{out_dir} is up to date", err=True)
    else:
        click.echo(f"wrote {done.files} files to {out_dir}", err=True)
        _timings(done)
    _partial(done)
    _end_of_command()


def _partial(done: BuildSummary) -> None:
    _partial_input(done.unreadable)


def _partial_input(unreadable: list[tuple[str, str]]) -> None:
    """Exit 3 when files under the input could not be read (each has an ``unreadable``
    diagnostic; the rest was built)."""
    if not unreadable:
        return
    shown = "; ".join(f"{path}: {why}" for path, why in unreadable[:5])
    more = f"; and {len(unreadable) - 5} more" if len(unreadable) > 5 else ""
    count = len(unreadable)
    _fail(f"partial: {count} file(s) could not be read ({shown}{more})", EXIT_PARTIAL)


def _timings(done: BuildSummary) -> None:
    if timings_wanted():
        click.echo(format_laps(done.laps), err=True)


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
    type=click.Choice(["md", "json", "html", "github", "junit"]),
    default="md",
    show_default=True,
    help="github: GitHub Actions annotations; junit: JUnit XML for CI test reports.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "any"]),
    default=None,
    help="Exit 1 when a change of this severity (or any change) is found.",
)
@click.option(
    "--severity",
    "severities",
    multiple=True,
    type=click.Choice(["breaking", "deprecation", "non-breaking", "info"]),
    help="Report only changes of this severity (repeatable).",
)
@click.option(
    "--rule",
    "rules",
    multiple=True,
    metavar="RULE",
    help="Report only changes of this rule id; * patterns allowed (repeatable).",
)
@click.option(
    "--ignore",
    "ignore_file",
    type=click.Path(path_type=Path),
    default=None,
    help="A file of accepted changes: fingerprints, or rule and location patterns, each "
    "with a reason after #.",
)
@click.option("--include-descriptions", is_flag=True, help="Also report description changes.")
@_output_file_option("Write the report here instead of stdout.")
@_jobs_option
@_cache_option
@_no_cache_option
def diff(
    inputs: tuple[str, ...],
    versions: tuple[str, str] | None,
    output_format: DiffFormat,
    fail_on: FailOn | None,
    severities: tuple[str, ...],
    rules: tuple[str, ...],
    ignore_file: Path | None,
    include_descriptions: bool,
    output: Path | None,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    """Changes from OLD to NEW (each a spec.json, corpus paths, or a git revision REPO@REV
    with an optional SUBPATH), REV1..REV2 of the repository here, or two API versions.

    \b
    extractor diff old/spec.json new/spec.json
    extractor diff --versions v1.0 beta output/spec.json
    extractor diff ../docs@r2021-02 ../docs@r2021-08 api-reference/v1.0
    extractor diff r2021-02..r2021-08 --format github --fail-on breaking
    """
    comparing = partial(
        compare,
        versions=versions,
        include_descriptions=include_descriptions,
        jobs=jobs,
        cache_dir=resolve_cache_dir(cache_dir, no_cache),
        progress=terminal_progress,
    )
    revisions = parse_git_range(inputs[0]) if inputs and versions is None else None
    if versions is not None:
        found = comparing(default_paths(inputs))
    elif revisions is not None and len(inputs) <= 2:
        below = inputs[1] if len(inputs) == 2 else ""
        found = comparing([_at(revisions[0])], [_at(revisions[1])], subpath=below)
    elif len(inputs) == 3 and all("@" in text for text in inputs[:2]):
        found = comparing([inputs[0]], [inputs[1]], subpath=inputs[2])
    elif len(inputs) != 2:
        _fail("diff takes OLD and NEW [SUBPATH], REV1..REV2 [SUBPATH] (or --versions A B ...)")
    else:
        found = comparing([inputs[0]], [inputs[1]])
    found = found.select(severities, rules, ignore_file)
    _write_or_echo(found.render(output_format, fail_on or "breaking"), output)
    if fail_on and found.fails(fail_on):
        sys.exit(1)


def _at(pages: GitPages) -> str:
    return f"{pages.repository}@{pages.revision}"


@main.command("check-metadata")
@click.argument("metadata_file", metavar="METADATA.xml")
@click.argument("inputs", nargs=-1, metavar="[SPEC_OR_PATHS]...")
@click.option(
    "--version",
    "api_version",
    type=click.Choice(["v1.0", "beta"]),
    default=None,
    help="The API version the metadata describes, when its file name does not say.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["md", "json", "sarif", "html"]),
    default="md",
    show_default=True,
)
@click.option(
    "--fail-on",
    multiple=True,
    metavar="LEVEL|RULE",
    help="Exit 1 when a finding matches: any, warning, or a rule id (repeatable).",
)
@_output_file_option("Write the report here instead of stdout.")
@_jobs_option
@_cache_option
@_no_cache_option
def check_metadata(
    metadata_file: str,
    inputs: tuple[str, ...],
    api_version: str | None,
    output_format: str,
    fail_on: tuple[str, ...],
    output: Path | None,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    """Where the docs (a spec.json or pages) and the service's CSDL metadata disagree.

    \b
    extractor check-metadata v1.0-metadata.xml output/spec.json
    extractor check-metadata beta.xml ../docs --format html -o beta.html
    """
    from extractor.metadata import MetadataError, run_check

    if output is not None and output.is_dir():
        _fail(f"{output} is a directory, not a file")
    try:
        text, failed = run_check(
            metadata_file,
            list(inputs) or default_paths(()),
            version=api_version,
            output_format=output_format,
            report_dir=(output or Path("report")).parent,
            fail_on=fail_on,
            jobs=jobs,
            cache_dir=resolve_cache_dir(cache_dir, no_cache),
        )
    except MetadataError as error:
        _fail(str(error))
        return
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            _fail(f"cannot write {output}: {error.strerror or error}")
    if failed:
        sys.exit(1)
    _end_of_command()


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
    global _MAIN_PID
    _MAIN_PID = os.getpid()
    with contextlib.suppress(ValueError):  # not the main thread
        signal.signal(signal.SIGTERM, _terminate)
    try:
        main()
        code: object = 0
    except SystemExit as done:
        code = done.code
    except Terminated:  # outside a command (while click parsed)
        print("extractor: terminated (SIGTERM)", file=sys.stderr)
        code = EXIT_TERMINATED
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
