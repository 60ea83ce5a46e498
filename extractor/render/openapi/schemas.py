"""Type references of an OpenAPI document as JSON Schema: never dangling, one component name
per type whatever its case, and null allowed where OData allows it.

OData's rule (CSDL ``Nullable``, default true): a property may be null unless it is a key or
the page says it is required or not nullable; a collection is never null and holds no null
items. Documented responses send ``"chatInfo": null`` and a generated client must take it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from extractor.schema import SpecEnumDef, SpecParameter, SpecTypeDef

_EDM: dict[str, dict[str, Any]] = {
    "edm.string": {"type": "string"},
    "edm.boolean": {"type": "boolean"},
    "edm.byte": {"type": "integer", "format": "uint8"},
    "edm.sbyte": {"type": "integer", "format": "int8"},
    "edm.int16": {"type": "integer", "format": "int16"},
    "edm.int32": {"type": "integer", "format": "int32"},
    "edm.int64": {"type": "integer", "format": "int64"},
    "edm.single": {"type": "number", "format": "float"},
    "edm.double": {"type": "number", "format": "double"},
    "edm.decimal": {"type": "number", "format": "decimal"},
    "edm.datetimeoffset": {"type": "string", "format": "date-time"},
    "edm.datetime": {"type": "string", "format": "date-time"},
    "edm.date": {"type": "string", "format": "date"},
    "edm.timeofday": {"type": "string", "format": "time"},
    "edm.duration": {"type": "string", "format": "duration"},
    "edm.guid": {"type": "string", "format": "uuid"},
    "edm.binary": {"type": "string", "format": "base64url"},
    "edm.stream": {"type": "string", "format": "base64url"},
    "edm.json": {},
    "edm.untyped": {},
}

_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
NULL: dict[str, Any] = {"type": "null"}


def component_name(name: str) -> str:
    """A components key (``^[a-zA-Z0-9.\\-_]+$``) for a type name."""
    return _KEY_UNSAFE.sub("_", name) or "_"


def _spelling_rank(name: str) -> tuple[bool, str]:
    """Which spelling of names equal but for case names the component: OData's camelCase
    (``displayAs`` before ``DisplayAs``), then the first in code-point order."""
    local = name.rsplit(".", 1)[-1]
    return (not local[:1].islower(), name)


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` that also takes null: ``type`` lists gain ``"null"``, a reference or a
    choice becomes ``anyOf`` with ``{"type": "null"}``; a schema that takes anything stays."""
    kind = schema.get("type")
    if isinstance(kind, str) and "enum" not in schema:
        return {**schema, "type": [kind, "null"]}
    if isinstance(kind, list):
        return schema if "null" in kind else {**schema, "type": [*kind, "null"]}
    if "anyOf" in schema:
        options = schema["anyOf"]
        return schema if NULL in options else {**schema, "anyOf": [*options, NULL]}
    if "$ref" in schema:
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        return {"anyOf": [{"$ref": schema["$ref"]}, NULL], **rest}
    return schema


def page_schema(item: dict[str, Any]) -> dict[str, Any]:
    """One page of a list: its items under ``value``, the next page under
    ``@odata.nextLink`` (a delta's last page has ``@odata.deltaLink`` instead)."""
    return {
        "type": "object",
        "title": "Collection response",
        "properties": {
            "value": {"type": "array", "items": item},
            "@odata.nextLink": {"type": ["string", "null"]},
            "@odata.deltaLink": {"type": ["string", "null"]},
            "@odata.count": {"type": ["integer", "null"], "format": "int64"},
            "@odata.context": {"type": ["string", "null"]},
        },
    }


def lineage(name: str, types: Mapping[str, SpecTypeDef], version: str) -> list[str]:
    """``name`` and its base types, nearest first (casefolded), as ``version`` has them;
    ``types`` by casefolded name. A base no type of ``types`` defines ends the chain."""
    chain: list[str] = []
    current = types.get(name.casefold())
    key = name.casefold()
    while key not in chain:
        chain.append(key)
        if current is None:
            break
        base = current.in_version(version).base_type
        if not base:
            break
        key = base.casefold()
        current = types.get(key)
    return chain


class _Schemas:
    """Type references of one version turned into JSON Schema, never dangling. Names that
    differ only by case are one component (``names`` maps each casefolded name to it)."""

    def __init__(
        self, types: list[SpecTypeDef], enums: list[SpecEnumDef], version: str | None = None
    ) -> None:
        #: Parameters and members are rendered as this version documents them (``in_version``).
        self.version = version
        self.names: dict[str, str] = {}
        spellings: dict[str, list[str]] = {}
        every = [t.name for t in types] + [e.name for e in enums]
        for name in every:
            spellings.setdefault(component_name(name).casefold(), []).append(name)
        for name in every:
            chosen = min(spellings[component_name(name).casefold()], key=_spelling_rank)
            self.names.setdefault(name.casefold(), component_name(chosen))
        self.by_name = {t.name.casefold(): t for t in types}
        #: The page component (``{value, @odata.nextLink}``) of each listed component.
        self.pages: dict[str, str] = {}

    def resolve(self, name: str | None) -> str | None:
        return self.names.get(name.casefold()) if name else None

    def ref(self, name: str) -> str:
        return f"#/components/schemas/{name}"

    def single(self, name: str | None) -> dict[str, Any]:
        if not name:
            return {}
        primitive = _EDM.get(name.casefold())
        if primitive is not None:
            return dict(primitive)
        component = self.resolve(name)
        if component is not None:
            return {"$ref": self.ref(component)}
        return {"description": f"Unresolved type {name}."}

    def of(
        self,
        name: str | None,
        collection: bool = False,
        alternatives: Iterable[str] = (),
        description: str = "",
        null: bool = False,
    ) -> dict[str, Any]:
        """A value of type ``name``: null too when ``null`` and not a collection."""
        options = [a for a in dict.fromkeys([name or "", *alternatives]) if a]
        if len(options) > 1:
            schema: dict[str, Any] = {"anyOf": [self.single(o) for o in options]}
        else:
            schema = self.single(name)
        if collection:
            schema = {"type": "array", "items": schema}
        elif null:
            schema = nullable(schema)
        if description:
            schema["description"] = description
        return schema

    def param(self, param: SpecParameter, key: bool = False) -> dict[str, Any]:
        """A property or parameter under OData's nullability (see the module's docstring)."""
        if self.version is not None:
            param = param.in_version(self.version)
        null = not key and not param.required and param.nullable is not False
        schema = self.of(param.type, param.collection, param.alternatives, param.description, null)
        if param.deprecated:
            schema["deprecated"] = True
        if param.read_only:
            schema["readOnly"] = True
        return schema

    def is_value(self, name: str) -> bool:
        """Whether OData sends a value of ``name`` wrapped as ``{"value": ...}`` when an
        operation returns one: a primitive or an enum member (not an object)."""
        folded = name.casefold()
        if folded in _EDM:
            return folded != "edm.stream"
        return self.resolve(name) is not None and folded not in self.by_name

    def page(self, item: dict[str, Any]) -> dict[str, Any]:
        """One page of a list of ``item``: the shared page component of a listed component,
        else the page written out."""
        target = item.get("$ref", "")
        page = self.pages.get(target.rsplit("/", 1)[-1]) if target else None
        return {"$ref": self.ref(page)} if page else page_schema(item)

    def keys(self, typedef: SpecTypeDef) -> frozenset[str]:
        """The key properties of a type: its own and its base types' (``entity.id``)."""
        found: set[str] = set()
        seen: set[str] = set()
        current: SpecTypeDef | None = typedef
        while current is not None and current.name.casefold() not in seen:
            seen.add(current.name.casefold())
            if current.key:
                found.update(k.strip() for k in current.key.split(",") if k.strip())
            base = current.base_type
            current = self.by_name.get(base.casefold()) if base else None
        return frozenset(found)
