"""What a stage tells the build engine so that work can be reused across builds.

This is the one interface between the stages and the engine: a renderer states what each
piece of its output was made from (``PieceMemo``), and fixture validation states the key of
each result it could reuse (``ResultStore``); the engine decides what to keep and supplies
the last build's pieces and results. The stages never import the engine.

Rendered pieces kept from the last build, each with the parts it was made from.

After a one-page edit the update redoes a handful of the spec's parts, but every big output
file (``spec.json``, the OpenAPI documents, the model modules, the fixtures' index) is made
from thousands of them. Each renderer cuts its files into pieces, one per part or group of
parts, and asks for a piece with ``PieceMemo.get(key, made_from, make)``: the piece of the
last build is reused when it was made from the same parts, and made again otherwise.

"The same parts" means the very same objects. The kept pieces are pickled in one pickle
with the reconciliation (``buildstate``), so a part the update did not redo comes back as
the object a piece recorded, while a redone part is a new object, whatever it holds: no part
is ever hashed or compared field by field, and a part changed in any way is never missed.
Plain values (``str``, ``int``, ``float``, ``bool``, ``None`` and tuples of them) in
``made_from`` are compared by equality: global facts a piece depends on, such as a name
given to a type.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, Protocol, TypeVar

from extractor.schema import Diagnostic, Fixture

__all__ = ["Entry", "PieceMemo", "RenderPieces", "ResultStore", "diagnostics_of"]

T = TypeVar("T")
#: Per piece key: the parts (and plain values) it was made from, and the piece.
Kept = dict[Hashable, tuple[tuple[object, ...], Any]]
_VALUES = frozenset({str, int, float, bool, type(None)})


def _same(old: Sequence[object], new: Sequence[object]) -> bool:
    if len(old) != len(new):
        return False
    for before, now in zip(old, new, strict=True):
        if before is now:
            continue
        kind = type(now)
        if type(before) is not kind:
            return False
        if kind is tuple:
            if not _same(before, now):  # type: ignore[arg-type]
                return False
        elif kind not in _VALUES or before != now:
            return False
    return True


class PieceMemo:
    """One renderer's pieces: last build's (``previous``) and this build's (``kept``)."""

    def __init__(self, previous: Kept | None = None) -> None:
        self.previous: Kept = previous or {}
        self.kept: Kept = {}
        self.made = 0

    def get(self, key: Hashable, made_from: tuple[object, ...], make: Callable[[], T]) -> T:
        """The piece under ``key``: last build's when made from the same parts, else ``make()``."""
        old = self.previous.get(key)
        if old is not None and _same(old[0], made_from):
            value: T = old[1]
        else:
            value = make()
            self.made += 1
        self.kept[key] = (made_from, value)
        return value

    def find(self, key: Hashable, made_from: tuple[object, ...]) -> Any | None:
        """Last build's piece under ``key`` if made from the same parts (pieces made in a
        batch: ``find`` each, make the missing ones together, then ``keep`` each)."""
        old = self.previous.get(key)
        if old is not None and _same(old[0], made_from):
            return old[1]
        return None

    def keep(self, key: Hashable, made_from: tuple[object, ...], value: object) -> None:
        self.kept[key] = (made_from, value)

    def canonical(self, key: Hashable, value: T) -> T:
        """``value``, or the last build's equal value itself: a large value that thousands
        of pieces are made from is then compared once, not once per piece."""
        old = self.previous.get(key)
        if old is not None and type(old[1]) is type(value) and old[1] == value:
            value = old[1]
        self.kept[key] = ((), value)
        return value


class RenderPieces:
    """Every renderer's pieces, by renderer name; ``None`` pieces render everything afresh."""

    def __init__(self, previous: dict[str, Kept] | None = None) -> None:
        self.previous = previous or {}
        self.memos: dict[str, PieceMemo] = {}

    def memo(self, name: str) -> PieceMemo:
        memo = self.memos.get(name)
        if memo is None:
            memo = self.memos[name] = PieceMemo(self.previous.get(name))
        return memo

    def kept(self) -> dict[str, Kept]:
        """This build's pieces, for the next build."""
        return {name: memo.kept for name, memo in sorted(self.memos.items())}


#: One remembered validation result: valid (True, False or None) and the diagnostics as
#: ``[rule, severity, message]``; their place comes from the fixture of this build.
Entry = tuple[bool | None, list[tuple[str, str, str]]]


class ResultStore(Protocol):
    """Validation results of one model shape kept across builds (the engine's
    ``ValidationMemo``): a fixture whose key is known is not validated again."""

    shape: str

    def key(self, fixture: Fixture) -> str: ...

    def load(self) -> dict[str, Entry]: ...

    def save(self, entries: dict[str, Entry]) -> None: ...


def diagnostics_of(entry: Entry, fixture: Fixture) -> list[Diagnostic]:
    """The remembered diagnostics, placed at this build's line of the fixture."""
    return [
        Diagnostic(
            rule=rule, severity=severity, path=fixture.source_path, line=fixture.line, message=text
        )
        for rule, severity, text in entry[1]
    ]
