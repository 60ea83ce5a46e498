"""Paths of an OpenAPI document: valid path templates, the method each operation goes under,
and which operation owns each path and method, with which operation id."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import NamedTuple

from extractor.read.pages.naming import primary_path, slot_id
from extractor.render.openapi.unique import folded
from extractor.schema import SpecOperation

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
_KIND_METHOD = {
    "action": "post",
    "create": "post",
    "function": "get",
    "get": "get",
    "list": "get",
    "update": "patch",
    "delete": "delete",
}

_TOKENS = re.compile(r"\{([^{}]*)\}|[{}]|[^{}]+")
_PARAM_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
_URL_PREFIX = re.compile(r"https?://[^/\s]*", re.IGNORECASE)
_VERSION_PREFIX = re.compile(r"/(?:v1\.0|beta)(?=/|$)", re.IGNORECASE)
_SLASHES = re.compile(r"/{2,}")
_TEMPLATE_PARAM = re.compile(r"\{[^{}]*\}")


def normalize_path(raw: str) -> tuple[str, list[str]]:
    """A valid OpenAPI path template and its parameter names, in order.

    Drops host, version prefix and query string; ``{id | userPrincipalName}`` becomes
    ``{id-or-userPrincipalName}``; stray braces and whitespace outside braces go; a name used
    twice (ignoring case) gets ``-2``. One regex pass, so unbalanced input stays linear.
    """
    path, names = _normalized(raw)
    return path, list(names)


@lru_cache(maxsize=1 << 15)
def _normalized(raw: str) -> tuple[str, tuple[str, ...]]:
    """``normalize_path``, remembered: both documents, and each merged path, ask again."""
    text = raw.strip()
    match = _URL_PREFIX.match(text)
    if match:
        text = text[match.end() :]
    text = text.split("?", 1)[0].split("#", 1)[0]
    match = _VERSION_PREFIX.match(text)
    if match:
        text = text[match.end() :]
    parts: list[str] = []
    names: list[str] = []
    used: set[str] = set()
    counts: dict[str, int] = {}
    for token in _TOKENS.finditer(text):
        inner = token.group(1)
        if inner is None:
            piece = token.group(0)
            if piece not in ("{", "}"):
                parts.append("".join(piece.split()))
            continue
        alternatives = [a.strip() for a in inner.split("|") if a.strip()]
        name = _PARAM_UNSAFE.sub("-", "-or-".join(alternatives)).strip("-") or "param"
        unique, n = name, counts.get(name, 1)
        while unique.casefold() in used:  # {Id} and {id} are one argument of a client
            n += 1
            unique = f"{name}-{n}"
        counts[name] = n
        used.add(unique.casefold())
        names.append(unique)
        parts.append("{" + unique + "}")
    path = _SLASHES.sub("/", "/" + "".join(parts))
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return path, tuple(names)


def _shape(template: str) -> str:
    """Templates that differ only in parameter names are one OpenAPI path."""
    return _TEMPLATE_PARAM.sub("{}", template)


def _method(op: SpecOperation) -> str | None:
    method = (op.method or "").strip().lower() or _KIND_METHOD.get(op.kind, "")
    return method if method in METHODS else None


class _Placed(NamedTuple):
    """An operation under one method of a path item, and what placing it there decided."""

    method: str
    op: SpecOperation
    operation_id: str
    deprecated: bool
    #: Other operations documented at the same path and method (``None``: the key is absent).
    also: tuple[str, ...] | None


class _Claim(NamedTuple):
    op: SpecOperation
    path: str  # as the spec writes it
    template: str
    deprecated: bool


def _owner_rank(claim: _Claim, primaries: dict[int, str | None]) -> tuple[bool, bool, int, str]:
    """Which claim of one path and method owns it: the operation this path names (its
    primary path, the one its id comes from), then a live path, then the operation with
    fewest paths (the most specific page), then by id. ``primaries`` keeps each
    operation's primary shape (an operation merged from 127 pages has hundreds of paths)."""
    op = claim.op
    if id(op) not in primaries:
        primary = primary_path(list(op.paths))
        primaries[id(op)] = (
            _shape(normalize_path(primary.path)[0]).casefold() if primary is not None else None
        )
    named = primaries[id(op)] == _shape(claim.template).casefold()
    return (not named, claim.deprecated, len(op.paths), op.id)


def _unique(ids: dict[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    """Operation ids unique ignoring case and punctuation (as generators fold them): a clash
    (rare: the words of two paths differ only in where a placeholder stands, or a page's
    stray ``$`` segment) gets a short digest of its method and path shape, so an
    id never depends on the order or number of its neighbours."""
    seen: dict[str, int] = {}
    for value in ids.values():
        seen[folded(value)] = seen.get(folded(value), 0) + 1
    unique = {}
    for (method, shape), value in ids.items():
        if seen[folded(value)] > 1:
            digest = hashlib.blake2b(f"{method} {shape}".encode(), digest_size=3).hexdigest()
            value = f"{value}-{digest}"
        unique[(method, shape)] = value
    return unique


def _path_layout(operations: list[SpecOperation], version: str) -> dict[str, list[_Placed]]:
    """Which operation goes under which path and method, and its operation id.

    A path that fixes a query (``/users?$expand=manager``) is a way to call another
    operation and claims nothing; templates with one shape, ignoring case, are one path,
    spelled the smallest way. The operationId of a path and method is made by the scheme
    that makes the spec's ids (``slot_id``: the path's words and the kind), from the
    owner's own spelling of the path, so it never depends on the other paths; it is the
    owner's id at its primary path, but for an action or function bound to a type, whose
    spec id is ``<binding>.<name>``."""
    claims: dict[tuple[str, str], list[_Claim]] = {}
    spellings: dict[str, str] = {}
    for op in operations:
        verb = _method(op)
        if verb is None:
            continue
        for request_path in op.paths:
            if version not in request_path.versions or request_path.query:
                continue
            template, _ = normalize_path(request_path.path)
            shape = _shape(template).casefold()
            spellings[shape] = min(spellings.get(shape, template), template)
            claim = _Claim(op, request_path.path, template, request_path.deprecated)
            claims.setdefault((verb, shape), []).append(claim)
    owners: dict[tuple[str, str], _Claim] = {}
    ids: dict[tuple[str, str], str] = {}
    primaries: dict[int, str | None] = {}
    for (method, shape), found in claims.items():
        owner = found[0] if len(found) == 1 else min(found, key=lambda c: _owner_rank(c, primaries))
        owners[(method, shape)] = owner
        ids[(method, shape)] = slot_id(owner.path, owner.op.kind, owner.op.method) or owner.op.id
    ids = _unique(ids)
    layout: dict[str, list[_Placed]] = {}
    for (method, shape), owner in sorted(owners.items(), key=lambda item: item[0][1]):
        others = sorted({c.op.id for c in claims[(method, shape)]} - {owner.op.id})
        layout.setdefault(spellings[shape], []).append(
            _Placed(
                method,
                owner.op,
                ids[(method, shape)],
                owner.deprecated or owner.op.deprecated,
                tuple(others) if others else None,
            )
        )
    return layout
