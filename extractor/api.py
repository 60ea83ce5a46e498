"""extractor from Python: what the ``extractor`` command does, as calls that return objects.

    from extractor import api

    summary = api.build(["corpus"], out_dir="output")
    records = api.extract(["corpus/000_0cb95b7642379844.txt"])
    changes = api.diff("old/spec.json", "new/spec.json")
    print(changes.render("md"))

Nothing here prints. Input that cannot be read (a missing path, a file that is not a
``spec.json``, an output folder that cannot be written, an argument out of range) raises
``ExtractorError``, with the one-line message the command would show; everything else that
goes wrong on a page becomes a diagnostic of its record, as in the command. Paths given
relative are taken from the working directory, and the paths shown in records and outputs
are relative to it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from extractor.engine.build import BuildOptions, BuildSummary, run_build
from extractor.engine.comparison import SpecDiff, compare
from extractor.engine.inputs import (
    ExtractorError,
    discover_pages,
    read_records,
    resolve_cache_dir,
)
from extractor.gcpause import gc_paused
from extractor.schema import PageRecord, UnifiedSpec

__all__ = ["BuildSummary", "ExtractorError", "SpecDiff", "build", "diff", "extract"]

#: Pages to read: one path (a page, or a folder searched for ``.md`` and ``.txt`` pages)
#: or several.
Paths = str | Path | Sequence[str | Path]
_EXECUTORS = ("local", "dask")
_VERSIONS = ("v1.0", "beta")


def build(
    paths: Paths | None = None,
    *,
    out_dir: str | Path = "output",
    check: bool = False,
    jobs: int | None = None,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    executor: str = "local",
    scheduler: str | None = None,
    allow_empty: bool = False,
    wait: bool = True,
) -> BuildSummary:
    """Build records, the unified spec, OpenAPI, models, fixtures, diffs and diagnostics of
    the pages below ``paths`` (``corpus/`` here when None) into ``out_dir``, all at once.

    ``check`` writes nothing and compares: the summary's ``outcome`` is then ``"checked"``
    or ``"stale"`` (with the differing files in ``stale``). Otherwise it is ``"written"``,
    or ``"current"``/``"nothing new"`` when the cache showed the output up to date.
    ``jobs`` worker processes read the pages (default: all cores); ``cache_dir`` keeps
    records and the build's state (default: the user cache; ``use_cache=False`` keeps none);
    ``executor="dask"`` reads them on a Dask cluster at ``scheduler``. No page found raises
    ``ExtractorError`` and leaves the output as it is, unless ``allow_empty``; when another
    build uses the output folder or the cache, this one waits for it, or with
    ``wait=False`` raises ``LockBusy`` (an ``ExtractorError``). Files under the paths that
    could not be read are in the summary's ``unreadable`` (each has a diagnostic).
    """
    _check_jobs(jobs)
    if executor not in _EXECUTORS:
        raise ExtractorError(f"executor must be one of {', '.join(_EXECUTORS)}, not {executor!r}")
    options = BuildOptions(
        jobs=jobs,
        check=check,
        cache_dir=_cache(cache_dir, use_cache),
        executor=executor,
        scheduler=scheduler,
        allow_empty=allow_empty,
        wait=wait,
    )
    with gc_paused():  # as in the command: see extractor.cli.main
        return run_build(_path_list(paths) if paths is not None else [], Path(out_dir), options)


def extract(
    paths: Paths,
    *,
    jobs: int | None = None,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
) -> list[PageRecord]:
    """One record per page below ``paths``, sorted by path (what ``extractor extract``
    writes as JSON Lines). ``jobs``, ``cache_dir`` and ``use_cache`` as for ``build``."""
    _check_jobs(jobs)
    with gc_paused():  # as in the command: see extractor.cli.main
        pages = discover_pages(_path_list(paths))
        return read_records(pages, jobs, _cache(cache_dir, use_cache)).records


def diff(
    old: Paths | UnifiedSpec,
    new: Paths | UnifiedSpec | None = None,
    *,
    versions: tuple[str, str] | None = None,
    include_descriptions: bool = False,
    jobs: int | None = None,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
) -> SpecDiff:
    """The changes from ``old`` to ``new``: each a ``spec.json``, pages to read, or a spec
    in memory. With ``versions`` (e.g. ``("v1.0", "beta")``), the changes from one API
    version to the other within ``old`` alone, and ``new`` is not given.

    The result holds the ``report`` (its ``changes``); ``render("md" | "json" | "html")``
    gives the report as ``extractor diff`` writes it, and ``fails("breaking" | "any")``
    tells whether ``--fail-on`` would exit 1.
    """
    _check_jobs(jobs)
    if versions is not None:
        if new is not None:
            raise ExtractorError("diff takes OLD alone with versions")
        if len(versions) != 2 or not set(versions) <= set(_VERSIONS):
            raise ExtractorError(f"versions are two of {', '.join(_VERSIONS)}: {versions!r}")
    elif new is None:
        raise ExtractorError("diff takes OLD and NEW (or versions)")
    with gc_paused():  # as in the command: see extractor.cli.main
        return compare(
            _source(old),
            _source(new) if new is not None else None,
            versions=versions,
            include_descriptions=include_descriptions,
            jobs=jobs,
            cache_dir=_cache(cache_dir, use_cache),
        )


def _path_list(paths: Paths) -> list[str | Path]:
    if isinstance(paths, str | Path):
        return [paths]
    return list(paths)


def _source(source: Paths | UnifiedSpec) -> UnifiedSpec | list[str | Path]:
    return source if isinstance(source, UnifiedSpec) else _path_list(source)


def _cache(cache_dir: str | Path | None, use_cache: bool) -> Path | None:
    return resolve_cache_dir(Path(cache_dir) if cache_dir is not None else None, not use_cache)


def _check_jobs(jobs: int | None) -> None:
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise ExtractorError(f"jobs must be a whole number of at least 1, not {jobs!r}")
