"""What a user names (pages, specs, a cache) turned into what the stages read.

Shared by the command line and the Python API: both report bad input as ``ExtractorError``,
whose message is one line fit to show as it is (the CLI prints ``extractor: <message>`` and
exits 2).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from extractor.engine.progress import ProgressBar, no_progress
from extractor.engine.records import Extraction, default_cache_dir, extract_records
from extractor.read.corpus import InputError, PageFile, discover
from extractor.schema import UnifiedSpec

__all__ = [
    "DEFAULT_CORPUS",
    "ExtractorError",
    "default_paths",
    "discover_pages",
    "docs_roots",
    "load_spec",
    "read_records",
    "resolve_cache_dir",
]

DEFAULT_CORPUS = Path("corpus")


class ExtractorError(Exception):
    """Input that cannot be read, or an output location that cannot be written; the message
    is one line, without a traceback's worth of detail. ``exit_code``: what the CLI exits
    with (2: usage or input error)."""

    exit_code = 2


def resolve_cache_dir(cache_dir: Path | None, no_cache: bool) -> Path | None:
    """The cache folder to use: None when none is kept, the user cache when none is named."""
    if no_cache:
        return None
    return cache_dir or default_cache_dir()


def discover_pages(
    paths: Sequence[str | Path], includes: list[PageFile] | None = None
) -> list[PageFile]:
    """The pages below ``paths``; the include files found go to ``includes`` when given."""
    try:
        return discover(paths, includes)
    except InputError as error:
        raise ExtractorError(str(error)) from error


def default_paths(paths: Sequence[str | Path]) -> list[str | Path]:
    """The paths given, else ``corpus/`` here, else the corpus installed with the package."""
    if paths:
        return list(paths)
    if DEFAULT_CORPUS.is_dir():
        return [str(DEFAULT_CORPUS)]
    embedded = Path(__file__).resolve().parents[1] / "corpus"
    if embedded.is_dir():
        return [str(embedded)]
    raise ExtractorError("no PATH given and no corpus/ directory here")


def docs_roots(paths: Sequence[str | Path]) -> tuple[str, ...]:
    """The docs trees named, as pages' paths start with them: fixtures name their page by
    its path below its tree."""
    from extractor.read.corpus import display_path

    return tuple(sorted({display_path(Path(p)) for p in paths if Path(p).is_dir()}))


def read_records(
    pages: list[PageFile],
    jobs: int | None,
    cache_dir: Path | None,
    progress: ProgressBar = no_progress,
    executor: str = "local",
    scheduler: str | None = None,
    deferred: list[tuple[str, str]] | None = None,
) -> Extraction:
    with progress(len(pages), "reading pages") as tick:
        return extract_records(
            pages,
            jobs=jobs,
            cache_dir=cache_dir,
            progress=tick,
            executor=executor,
            scheduler=scheduler,
            deferred=deferred,
        )


def load_spec(
    source: Sequence[str | Path],
    jobs: int | None,
    cache_dir: Path | None,
    progress: ProgressBar = no_progress,
) -> UnifiedSpec:
    """A ``spec.json`` given alone, else the spec of the pages below the paths."""
    from extractor.reconcile import reconcile

    if len(source) == 1 and str(source[0]).endswith(".json") and Path(source[0]).is_file():
        try:
            return UnifiedSpec.model_validate_json(Path(source[0]).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            message = f"{source[0]} is not a spec.json: {str(error).splitlines()[0]}"
            raise ExtractorError(message) from error
    records = read_records(discover_pages(source), jobs, cache_dir, progress).records
    return reconcile(records).spec
