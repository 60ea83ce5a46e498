"""Pairing the items of two specs: by exact key, then by a loose key (case, path spelling)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_GRAPH_ORIGIN = re.compile(r"^https?://[^/\s]+/(?:v1\.0|beta)(?=/)", re.IGNORECASE)

T = TypeVar("T")


def match_items(
    old: Sequence[T], new: Sequence[T], key: Callable[[T], str], loose: Callable[[str], str]
) -> tuple[list[tuple[T, T]], list[T], list[T]]:
    """Pair items by exact key, then leftovers by a loose key; return pairs, removed, added.

    A duplicate key within one side keeps its first item (reconcile should not produce any).
    """
    old_by: dict[str, T] = {}
    for item in old:
        old_by.setdefault(key(item), item)
    new_by: dict[str, T] = {}
    for item in new:
        new_by.setdefault(key(item), item)
    pairs = [(old_by[k], new_by[k]) for k in sorted(old_by.keys() & new_by.keys())]
    old_left: dict[str, list[str]] = {}
    for k in sorted(old_by.keys() - new_by.keys()):
        old_left.setdefault(loose(k), []).append(k)
    new_left: dict[str, list[str]] = {}
    for k in sorted(new_by.keys() - old_by.keys()):
        new_left.setdefault(loose(k), []).append(k)
    removed: list[T] = []
    added: list[T] = []
    for lk, old_keys in old_left.items():
        new_keys = new_left.pop(lk, [])
        for ok, nk in zip(old_keys, new_keys, strict=False):
            pairs.append((old_by[ok], new_by[nk]))
        removed.extend(old_by[k] for k in old_keys[len(new_keys) :])
        added.extend(new_by[k] for k in new_keys[len(old_keys) :])
    for new_keys in new_left.values():
        added.extend(new_by[k] for k in new_keys)
    return pairs, removed, added


def casefold(name: str) -> str:
    return name.casefold()


def path_key(path: str) -> str:
    """Paths Graph resolves alike: any case or placeholder name, with or without the origin
    and a trailing slash."""
    key = _PLACEHOLDER.sub("{}", _GRAPH_ORIGIN.sub("", path.strip())).casefold()
    return key.rstrip("/") or key
