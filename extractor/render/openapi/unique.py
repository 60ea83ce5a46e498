"""The renderer's safety net for names that tools fold together: operation ids equal but for
case (``servicePrincipals.list`` and ``servicePrincipals.List`` are one Python function, one
file on a case-insensitive disk), ids with characters a URL or an identifier cannot hold, and
a check of a finished document that tests and users can run.

Operation ids are derived upstream (the operations' own ids); this only steps in when that
derivation still lets two collide, so a stable id keeps its spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._~-]+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def safe_operation_id(value: str) -> str:
    """``value`` with each run of characters outside ``[A-Za-z0-9._~-]`` as one ``_``."""
    return _ID_UNSAFE.sub("_", value).strip("_") or "operation"


def folded(name: str) -> str:
    """A name as generators fold it into a class or function name: letters and digits,
    case aside (``tables.$.add`` and ``tables.add`` are both ``TablesAdd``)."""
    return _NOT_ALNUM.sub("", name.casefold())


def unique_ids(wanted: Iterable[str]) -> list[str]:
    """Each wanted id made URL-safe and unique ignoring case, in order: the first keeps its
    spelling, a later one gets ``_2``, ``_3``... (the first free one)."""
    used: set[str] = set()
    result = []
    for value in wanted:
        base = safe_operation_id(value)
        name, n = base, 1
        while folded(name) in used:
            n += 1
            name = f"{base}_{n}"
        used.add(folded(name))
        result.append(name)
    return result


def _operations(document: dict[str, Any]) -> Iterable[tuple[str, str, dict[str, Any]]]:
    for template, item in document.get("paths", {}).items():
        for method in METHODS:
            if isinstance(item.get(method), dict):
                yield template, method, item[method]


def _resolve(document: dict[str, Any], param: dict[str, Any]) -> dict[str, Any]:
    ref = param.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/parameters/"):
        found = document.get("components", {}).get("parameters", {}).get(ref.rsplit("/", 1)[-1])
        return found if isinstance(found, dict) else param
    return param


def name_clashes(document: dict[str, Any]) -> list[str]:
    """What a generator or a case-insensitive file system would fold together: operation
    ids or schema names equal ignoring case and punctuation, and an operation that has two
    parameters of one name (ignoring case and where they go: a generated function's
    arguments clash)."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for template, method, operation in _operations(document):
        op_id = str(operation.get("operationId", ""))
        if folded(op_id) in seen:
            other = seen[folded(op_id)]
            problems.append(f"operationId {op_id!r} ({method} {template}) clashes with {other!r}")
        seen.setdefault(folded(op_id), op_id)
        item = document["paths"][template]
        params = [*item.get("parameters", []), *operation.get("parameters", [])]
        names: set[str] = set()
        for param in params:
            name = str(_resolve(document, param).get("name", "")).lstrip("$").casefold()
            if name in names:
                problems.append(f"{method} {template} has two parameters named {name!r}")
            names.add(name)
    schemas: dict[str, str] = {}
    for name in document.get("components", {}).get("schemas", {}):
        if folded(name) in schemas:
            problems.append(f"schema {name!r} clashes with {schemas[folded(name)]!r}")
        schemas.setdefault(folded(name), name)
    return problems
