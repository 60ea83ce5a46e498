"""Component schemas of an OpenAPI document: type references as JSON Schema, never dangling,
and each type's or enum's component with its discriminator."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from extractor.schema import SpecEnumDef, SpecParameter, SpecResponse, SpecTypeDef

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
    "edm.binary": {"type": "string", "format": "binary"},
    "edm.stream": {"type": "string", "format": "binary"},
    "edm.json": {},
    "edm.untyped": {},
}


_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def component_name(name: str) -> str:
    """A components key (``^[a-zA-Z0-9.\\-_]+$``) for a type name."""
    return _KEY_UNSAFE.sub("_", name) or "_"


class _Schemas:
    """Type references of one version turned into JSON Schema, never dangling; parameters
    and types as that version documents them (``in_version``)."""

    def __init__(
        self, types: list[SpecTypeDef], enums: list[SpecEnumDef], version: str | None = None
    ) -> None:
        self.version = version
        self.names: dict[str, str] = {}
        items: list[SpecTypeDef | SpecEnumDef] = [*types, *enums]
        for item in items:
            self.names.setdefault(item.name.casefold(), component_name(item.name))

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
    ) -> dict[str, Any]:
        options = [a for a in dict.fromkeys([name or "", *alternatives]) if a]
        if len(options) > 1:
            schema: dict[str, Any] = {"anyOf": [self.single(o) for o in options]}
        else:
            schema = self.single(name)
        if collection:
            schema = {"type": "array", "items": schema}
        if description:
            schema["description"] = description
        return schema

    def param(self, param: SpecParameter) -> dict[str, Any]:
        if self.version is not None:
            param = param.in_version(self.version)
        schema = self.of(param.type, param.collection, param.alternatives, param.description)
        if param.deprecated:
            schema["deprecated"] = True
        if param.read_only:
            schema["readOnly"] = True
        return schema

    def response(self, response: SpecResponse) -> dict[str, Any] | None:
        if not response.type:
            return None
        item = self.single(response.type)
        if not response.collection:
            return item
        return {
            "type": "object",
            "properties": {
                "value": {"type": "array", "items": item},
                "@odata.nextLink": {"type": "string"},
            },
        }


def _components(
    types: list[SpecTypeDef], enums: list[SpecEnumDef], schemas: _Schemas
) -> dict[str, tuple[SpecTypeDef | SpecEnumDef, tuple[str, ...]]]:
    """Each component's definition (the first type, else enum, of that name) and, for a
    type, the components that derive from it."""
    children: dict[str, list[str]] = {}
    for typedef in types:
        base = schemas.resolve(_facts(typedef, schemas).base_type)
        if base is not None and base != component_name(typedef.name):
            children.setdefault(base, []).append(component_name(typedef.name))
    found: dict[str, tuple[SpecTypeDef | SpecEnumDef, tuple[str, ...]]] = {}
    for typedef in types:
        name = component_name(typedef.name)
        if name not in found:
            found[name] = (typedef, tuple(_descendants(name, children)))
    for enum in enums:
        found.setdefault(component_name(enum.name), (enum, ()))
    return found


def _component_schema(
    item: SpecTypeDef | SpecEnumDef,
    descendants: tuple[str, ...],
    version: str,
    schemas: _Schemas,
) -> dict[str, Any]:
    if isinstance(item, SpecEnumDef):
        members = [m.name for m in item.members if version in m.versions]
        enum_schema: dict[str, Any] = {"type": "string", "enum": list(dict.fromkeys(members))}
        if item.description:
            enum_schema["description"] = item.description
        return enum_schema
    name = component_name(item.name)
    facts = _facts(item, schemas)
    properties = {
        p.name: schemas.param(p)
        for p in [*item.properties, *item.relationships]
        if version in p.versions
    }
    own: dict[str, Any] = {"type": "object", "properties": properties}
    schema: dict[str, Any] = own
    base = schemas.resolve(facts.base_type)
    if base is not None and base != name:
        schema = {"allOf": [{"$ref": schemas.ref(base)}, own]}
    description = item.description
    if facts.base_type and base is None:
        note = f"Base type {facts.base_type} is unresolved."
        description = f"{description}\n\n{note}" if description else note
    if description:
        schema["description"] = description
    if descendants:
        properties["@odata.type"] = {"type": "string"}
        schema["discriminator"] = {
            "propertyName": "@odata.type",
            "mapping": {f"#{d}": schemas.ref(d) for d in sorted([name, *descendants])},
        }
    if item.inferred:
        schema["x-inferred"] = True
    return schema


def _facts(typedef: SpecTypeDef, schemas: _Schemas) -> SpecTypeDef:
    """The type's own facts (base type, flags) in the schemas' version."""
    return typedef.in_version(schemas.version) if schemas.version is not None else typedef


def _descendants(name: str, children: dict[str, list[str]]) -> list[str]:
    found: set[str] = set()
    stack = list(children.get(name, []))
    while stack:
        child = stack.pop()
        if child in found or child == name:
            continue
        found.add(child)
        stack.extend(children.get(child, []))
    return sorted(found)
