"""Qualified OData names: primitives to ``Edm.*``, sub-namespace casing, and what a link's
target file says about the type it names."""

from __future__ import annotations

import re

_EDM_NAMES = [
    "Binary",
    "Boolean",
    "Byte",
    "Date",
    "DateTimeOffset",
    "Decimal",
    "Double",
    "Duration",
    "Guid",
    "Int16",
    "Int32",
    "Int64",
    "SByte",
    "Single",
    "Stream",
    "String",
    "TimeOfDay",
    "Untyped",
    "Geography",
    "GeographyPoint",
    "Geometry",
]

PRIMITIVES: dict[str, str] = {name.lower(): f"Edm.{name}" for name in _EDM_NAMES} | {
    "bool": "Edm.Boolean",
    "int": "Edm.Int32",
    "integer": "Edm.Int32",
    "long": "Edm.Int64",
    "short": "Edm.Int16",
    "number": "Edm.Double",
    "numeric": "Edm.Double",
    "float": "Edm.Double",
    "datetime": "Edm.DateTimeOffset",
    "timestamp": "Edm.DateTimeOffset",
    "url": "Edm.String",
    "uri": "Edm.String",
    "str": "Edm.String",
}

JSON_TYPE = "microsoft.graph.Json"
JSON_NAMES = frozenset({"json", "object", "jsonobject", "microsoft.graph.json"})

# Lowercase file-name prefix / namespace segment -> the sub-namespace as Graph spells it.
SUBNAMESPACES: dict[str, str] = {
    "callrecords": "callRecords",
    "ediscovery": "ediscovery",
    "externalconnectors": "externalConnectors",
    "managedtenants": "managedTenants",
    "termstore": "termStore",
    "windowsupdates": "windowsUpdates",
}

# A type name as written: dotted identifiers, maybe after a ``#``.
NAME_RE = re.compile(r"#?[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


def _canonical_namespace(namespace: str) -> str:
    """``microsoft.graph.termstore`` -> ``microsoft.graph.termStore``; empty -> graph."""
    parts = [p for p in namespace.strip().split(".") if p]
    if len(parts) < 2 or [p.lower() for p in parts[:2]] != ["microsoft", "graph"]:
        return ".".join(parts) if parts else "microsoft.graph"
    tail = [SUBNAMESPACES.get(p.lower(), p) for p in parts[2:]]
    return ".".join(["microsoft", "graph", *tail])


def qualify(name: str, namespace: str = "microsoft.graph") -> str:
    """The fully qualified OData name of ``name`` as written on a page of ``namespace``.

    Primitives become ``Edm.*``; ``microsoft.*`` names are kept (sub-namespace casing
    fixed); other dotted names (``callRecords.session``) go under ``microsoft.graph``;
    bare names go under ``namespace``.
    """
    n = name.strip().lstrip("#")
    low = n.lower()
    if low.startswith("edm."):
        return PRIMITIVES.get(low[4:], "Edm." + n[4:])
    if low in PRIMITIVES:
        return PRIMITIVES[low]
    if low in JSON_NAMES:
        return JSON_TYPE
    if low.startswith("microsoft."):
        return _canonical_namespace(n)
    if "." in n:
        ns, _, short = n.rpartition(".")
        return _canonical_namespace("microsoft.graph." + ns) + "." + short
    return _canonical_namespace(namespace) + "." + n


def link_namespace(target: str | None) -> str | None:
    """The namespace a link target implies, or None when it implies nothing."""
    if not target:
        return None
    t = target.split("#", 1)[0].split("?", 1)[0].rstrip("/")
    stem = t.rsplit("/", 1)[-1]
    if stem.lower().endswith(".md"):
        stem = stem[:-3]
    if not stem:
        return None
    prefix = stem.split("-", 1)[0].lower()
    if "-" in stem and prefix in SUBNAMESPACES:
        return "microsoft.graph." + SUBNAMESPACES[prefix]
    return "microsoft.graph"


def name_from_target(target: str | None) -> str | None:
    """A type name guessed from a link's file name, for link texts that are not names."""
    if not target:
        return None
    stem = target.split("#", 1)[0].split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    if stem.lower().endswith(".md"):
        stem = stem[:-3]
    parts = stem.split("-")
    if parts[0].lower() in SUBNAMESPACES:
        parts = parts[1:]
    elif parts[0].lower() == "intune" and len(parts) > 2:
        parts = parts[2:]
    name = "".join(parts)
    return name if NAME_RE.fullmatch(name) else None
