"""The per-page stage on a Dask cluster: page bytes fan out, records come back.

The client reads the pages and the cache, so workers need no shared filesystem; reconcile
and render stay on the client, so the output is byte-identical to a local build.
Needs the optional extra: ``pip install 'extractor[dask]'``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from extractor.engine.records import (
    PageInput,
    Result,
    Task,
    cached_record,
    page_input,
    parse_result,
    record_from_bytes,
    store_record,
)


def _records_of(batch: list[PageInput]) -> list[str]:
    return [record_from_bytes(given.display, given.data, given.tree) for given in batch]


def run_on_dask(
    tasks: Sequence[Task],
    scheduler: str | None,
    cache_dir: str | None,
    progress: Callable[[int], None],
    batch_size: int = 64,
) -> dict[str, Result]:
    """Records (JSON) by display path, the misses computed by the cluster at ``scheduler``."""
    try:
        from distributed import Client, as_completed
    except ImportError as error:  # pragma: no cover - depends on the extra
        raise RuntimeError("the dask executor needs: pip install 'extractor[dask]'") from error

    results: dict[str, Result] = {}
    misses: list[PageInput] = []
    task_of = {task[1]: task for task in tasks}
    for task in tasks:
        given = page_input(task, Path(task[0]).read_bytes())
        hit = cached_record(cache_dir, given.display, given.key)
        if hit is not None:
            results[given.display] = parse_result(task, (hit, False), cache_dir)
            progress(1)
        else:
            misses.append(given)
    batches = [misses[start : start + batch_size] for start in range(0, len(misses), batch_size)]
    with Client(scheduler) if scheduler else Client(processes=False) as client:
        futures = {client.submit(_records_of, batch, pure=False): batch for batch in batches}
        for future in as_completed(futures):
            batch = futures[future]
            for given, text in zip(batch, future.result(), strict=True):
                store_record(cache_dir, given.display, given.key, text)
                results[given.display] = parse_result(
                    task_of[given.display], (text, True), cache_dir
                )
            progress(len(batch))
    return results
