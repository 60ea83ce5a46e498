"""Pause the cyclic garbage collector while a renderer builds its outputs."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused", "gc_running"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside (also usable as a decorator).

    The renderers build hundreds of thousands of short-lived dicts, lists and models and no
    reference cycles, so refcounting frees everything; meanwhile every full collection would
    walk all of them again (a third of the version diff's time on the real corpus).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def gc_running() -> Iterator[None]:
    """Cyclic collection on inside, whatever the caller chose: reading a page makes cycles
    (BeautifulSoup's trees link both ways), and thousands of pages would pile them up."""
    enabled = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not enabled:
            gc.disable()
