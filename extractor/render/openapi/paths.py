"""Paths of an OpenAPI document: valid path templates, the method each operation goes under,
and which operation goes under which path and method with which operation id."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

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


def _path_layout(operations: list[SpecOperation], version: str) -> dict[str, list[_Placed]]:
    """Which operation goes under which path and method, and its operation id: templates
    with one shape merge under the smallest spelling. Cheap, so made afresh every build;
    the items' contents are what ``render_openapi`` keeps."""
    placements: list[tuple[SpecOperation, str, str, bool]] = []
    spellings: dict[str, str] = {}
    for op in operations:
        method = _method(op)
        if method is None:
            continue
        paths = [p for p in op.paths if version in p.versions]
        for request_path in sorted(paths, key=lambda p: p.deprecated):
            template, _ = normalize_path(request_path.path)
            shape = _shape(template)
            spellings[shape] = min(spellings.get(shape, template), template)
            placements.append((op, method, shape, request_path.deprecated))

    items: dict[str, dict[str, tuple[SpecOperation, str, bool]]] = {}
    also: dict[tuple[str, str], list[str]] = {}
    used_ids: set[str] = {op.id for op, *_ in placements}
    placed: dict[str, int] = {}
    for op, method, shape, deprecated in placements:
        template = spellings[shape]
        item = items.setdefault(template, {})
        if method in item:  # the first operation keeps the method, the others are named
            others = also.setdefault((template, method), [])
            if op.id not in others and op.id != item[method][1]:
                others.append(op.id)
            continue
        count = placed.get(op.id, 0) + 1
        placed[op.id] = count
        operation_id = op.id
        if count > 1:
            operation_id = f"{op.id}_{count}"
            while operation_id in used_ids:
                operation_id += "_"
        used_ids.add(operation_id)
        item[method] = (op, operation_id, deprecated or op.deprecated)
    layout: dict[str, list[_Placed]] = {}
    for template, item in items.items():
        layout[template] = []
        for method, (op, operation_id, deprecated) in item.items():
            listed = also.get((template, method))
            named = None if listed is None else tuple(sorted(listed))
            layout[template].append(_Placed(method, op, operation_id, deprecated, named))
    return layout
