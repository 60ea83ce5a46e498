"""Rendered pieces kept from the last build, each with the parts it was made from.

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

A forked renderer's pieces come back to the parent as a pickle: ``RenderPieces.export``
writes each part as its position in a list both processes hold, and each piece reused from
the last build as a mark, and ``merge_exported`` turns them back into the parent's objects.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, NamedTuple, TypeVar

__all__ = ["PieceMemo", "RenderPieces"]

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

    def export(self, parts: Iterable[object]) -> dict[str, dict[Hashable, Any]]:
        """This build's pieces, to be pickled to a process that holds ``parts`` and the same
        last build's pieces: a part is written as its position in ``parts``, and a piece
        reused from the last build as ``None`` (the other process has it already: most of
        them, after an edit)."""
        positions = {id(part): position for position, part in enumerate(parts)}
        exported: dict[str, dict[Hashable, Any]] = {}
        for name, memo in sorted(self.memos.items()):
            entries: dict[Hashable, Any] = {}
            for key, (made_from, piece) in memo.kept.items():
                old = memo.previous.get(key)
                if old is not None and old[1] is piece:
                    entries[key] = None
                else:
                    entries[key] = (tuple(_export_value(p, positions) for p in made_from), piece)
            exported[name] = entries
        return exported

    def merge_exported(
        self, exported: dict[str, dict[Hashable, Any]], parts: Sequence[object]
    ) -> None:
        """Take the pieces another process ``export``ed as this build's."""
        for name, entries in exported.items():
            memo = self.memo(name)
            kept: Kept = {}
            for key, entry in entries.items():
                if entry is None:
                    kept[key] = memo.previous[key]
                else:
                    made_from, piece = entry
                    kept[key] = (tuple(_restore_value(p, parts) for p in made_from), piece)
            memo.kept = kept


class _Part(NamedTuple):
    """A part in an exported piece: its position in the parts both processes hold."""

    position: int


class _Unshared:
    """A part the other process does not hold: restored as an object that matches nothing."""


def _export_value(value: object, positions: dict[int, int]) -> object:
    kind = type(value)
    if kind in _VALUES:
        return value
    if kind is tuple:
        return tuple(_export_value(item, positions) for item in value)  # type: ignore[attr-defined]
    position = positions.get(id(value))
    return _Unshared() if position is None else _Part(position)


def _restore_value(value: object, parts: Sequence[object]) -> object:
    kind = type(value)
    if kind is _Part:
        return parts[value.position]  # type: ignore[attr-defined]
    if kind is tuple:
        return tuple(_restore_value(item, parts) for item in value)  # type: ignore[attr-defined]
    if kind is _Unshared:
        return object()
    return value
