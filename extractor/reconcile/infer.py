"""Types that example bodies show (``@odata.type``) but no page defines, inferred from those
bodies, transitively; a referenced type that nothing defines or shows is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from extractor.reconcile.merge import PRIMARY_ORDER
from extractor.reconcile.names import page_response
from extractor.reconcile.pages import _Page
from extractor.reconcile.text import _diag, _sources, clean_type_name, is_primitive
from extractor.schema import Diagnostic, PageRecord, Parameter, SpecParameter, SpecTypeDef

_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,12})?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
_GUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
_INT32 = 2**31


@dataclass
class _Observed:
    """What example bodies say about one ``@odata.type``."""

    name: str
    versions: set[str] = field(default_factory=set)
    order: list[str] = field(default_factory=list)
    props: dict[str, list[Any]] = field(default_factory=dict)  # key -> [name, type, coll, vers]
    copies: dict[str, PageRecord] = field(default_factory=dict)


_WIDER = {"Edm.Int32": 0, "Edm.Int64": 1, "Edm.Double": 2}
_STRINGY = {"Edm.String", "Edm.Guid", "Edm.DateTimeOffset"}


_MIXED = "<mixed>"


def _widen(old: str | None, new: str | None) -> str | None:
    """The type that holds both observations; ``_MIXED`` when none does (left untyped)."""
    if old is None:
        return new
    if new is None or old == new:
        return old
    if old in _WIDER and new in _WIDER:
        return old if _WIDER[old] >= _WIDER[new] else new
    if old in _STRINGY and new in _STRINGY:
        return "Edm.String"
    return _MIXED


def _value_type(value: Any) -> tuple[str | None, bool]:
    """The Edm type (or ``@odata.type``) a JSON value shows, and whether it is a list."""
    if isinstance(value, list):
        for item in value:
            if item is not None and not isinstance(item, list):
                return _value_type(item)[0], True
        return None, True
    if isinstance(value, bool):
        return "Edm.Boolean", False
    if isinstance(value, int):
        return ("Edm.Int32" if -_INT32 <= value < _INT32 else "Edm.Int64"), False
    if isinstance(value, float):
        return "Edm.Double", False
    if isinstance(value, str):
        if len(value) <= 40 and _DATE_TIME.fullmatch(value):
            return "Edm.DateTimeOffset", False
        if len(value) == 36 and _GUID.fullmatch(value):
            return "Edm.Guid", False
        return "Edm.String", False
    if isinstance(value, dict):
        name, _ = clean_type_name(value.get("@odata.type"))
        return (name if name and not is_primitive(name) else None), False
    return None, False


def _walk(value: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object inside a value, without recursion (bodies may nest deeply)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(reversed(item.values()))
        elif isinstance(item, list):
            stack.extend(reversed(item))


_Occurrence = tuple[str, str, list[PageRecord], dict[str, Any]]  # name, version, copies, object


def _typed_objects(record: PageRecord) -> list[tuple[str, dict[str, Any]]]:
    """The objects of a page's examples that name their type, with that name: a qualified
    one (the wire always qualifies it; ``"@odata.type": "user"`` is a placeholder)."""
    found = []
    for example in record.examples:
        for obj in _walk(example.json_value):
            name, _ = clean_type_name(obj.get("@odata.type"))
            if name and "." in name and not is_primitive(name):
                found.append((name, obj))
    return found


def _occurrences(pages: list[_Page]) -> dict[str, list[_Occurrence]]:
    """Typed example objects keyed by casefolded type name, in a locale-independent order.

    Only the few types no page defines are inferred, so ``_observe`` reads the objects of
    those types alone.
    """
    found: dict[str, list[_Occurrence]] = {}
    for page in sorted(pages, key=lambda p: p.version != PRIMARY_ORDER[0]):
        version = page.version
        if version is None:
            continue
        for name, obj in _typed_objects(page.record):
            found.setdefault(name.casefold(), []).append((name, version, page.copies, obj))
    return found


def _observe(occurrences: list[_Occurrence]) -> _Observed:
    """What the objects of one type say about it, named as the first one spells it."""
    seen = _Observed(occurrences[0][0])
    for _, version, copies, obj in occurrences:
        seen.versions.add(version)
        for copy in copies:
            seen.copies.setdefault(copy.source.path, copy)
        for key, value in obj.items():
            if not isinstance(key, str) or not key or key.startswith("@") or "@" in key:
                continue
            value_type, collection = _value_type(value)
            prop = seen.props.get(key)
            if prop is None:
                seen.props[key] = [key, value_type, collection, {version}]
                seen.order.append(key)
            else:
                prop[1] = _widen(prop[1], value_type)
                if prop[2] != collection:  # an object here, a list there: untyped
                    prop[1] = _MIXED
                prop[3].add(version)
    return seen


def _inferred(seen: _Observed) -> SpecTypeDef:
    return SpecTypeDef(
        name=seen.name,
        kind="complex",
        inferred=True,
        properties=[
            SpecParameter(
                name=seen.props[key][0],
                type=None if seen.props[key][1] == _MIXED else seen.props[key][1],
                collection=seen.props[key][2] and seen.props[key][1] != _MIXED,
                versions=sorted(seen.props[key][3]),
            )
            for key in seen.order
        ],
        versions=sorted(seen.versions),
        sources=_sources(seen.copies.values()),
    )


def _references(pages: list[_Page], known: set[str]) -> dict[str, tuple[str, int]]:
    """Every referenced type name with its first use (path, line), in path and line order;
    ``known`` (casefolded names pages define) decides a response's type (``page_response``)."""
    uses: dict[str, tuple[str, int]] = {}

    def use(name: str | None, path: str, line: int | None) -> None:
        if not name or is_primitive(name):
            return
        where = (path, line or 0)
        if name not in uses or where < uses[name]:
            uses[name] = where

    for page in pages:
        if page.version is None:
            continue
        record, path = page.record, page.path
        params: list[Parameter] = []
        response = page_response(record, lambda name: name.casefold() in known)
        if record.operation is not None and response is not None:
            params += record.operation.parameters + record.operation.query_parameters
            use(response.type, path, None)
            use(record.operation.binding_type, path, None)
        if record.type is not None:
            params += record.type.properties + record.type.relationships
            use(record.type.base_type, path, None)
        for param in params:
            use(param.type, path, param.line)
            for alternative in param.alternatives:
                use(alternative, path, param.line)
        for example in record.examples:
            annotation = example.annotation if isinstance(example.annotation, dict) else {}
            use(clean_type_name(annotation.get("@odata.type"))[0], path, example.line)
    return uses


def _infer_types(pages: list[_Page], known: set[str]) -> tuple[list[SpecTypeDef], list[Diagnostic]]:
    """Types referenced but defined nowhere, inferred from example bodies, transitively.

    ``known`` holds casefolded names of defined types and enums.
    """
    occurrences = _occurrences(pages)
    uses = _references(pages, known)
    inferred: dict[str, SpecTypeDef] = {}
    diagnostics: list[Diagnostic] = []
    unresolved: dict[str, tuple[str, int]] = {}
    queue = sorted(uses)
    while queue:
        name = queue.pop()
        key = name.casefold()
        if key in known or key in inferred or is_primitive(name):
            continue
        if key not in occurrences:
            if name in uses and key not in unresolved:
                unresolved[key] = uses[name]
                path, line = uses[name]
                diagnostics.append(
                    _diag(
                        "unresolved-type",
                        "warning",
                        path,
                        line or None,
                        f"type {name!r} is neither defined by a page, nor an enum, nor shown "
                        "by any example's @odata.type",
                    )
                )
            continue
        typedef = _inferred(_observe(occurrences[key]))
        inferred[key] = typedef
        queue.extend(sorted({p.type for p in typedef.properties if p.type}, reverse=True))
    return sorted(inferred.values(), key=lambda t: t.name), diagnostics
