"""Progress over the pages a command reads: a bar on a terminal, silence elsewhere."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

__all__ = ["ProgressBar", "no_progress", "terminal_progress"]

#: Progress over a number of pages with a label: a context manager giving the function
#: to call with each count of pages done.
ProgressBar = Callable[[int, str], AbstractContextManager[Callable[[int], None]]]


@contextmanager
def no_progress(_total: int, _label: str) -> Iterator[Callable[[int], None]]:
    yield lambda _count: None


@contextmanager
def terminal_progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
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
