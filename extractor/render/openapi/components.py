"""Component schemas of an OpenAPI document: each type and enum (one per name whatever its
case), the ``{value, @odata.nextLink}`` page of each listed type, and OData's error body.

A type's discriminator maps ``#microsoft.graph.x`` (the ``@odata.type`` a response carries)
to each of its descendants' schemas; the mapping's values are strings, so a mock server that
follows every ``$ref`` is not led through every descendant (``docs/openapi.md``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from extractor.render.openapi.schemas import NULL, _Schemas, component_name, lineage
from extractor.schema import SpecEnumDef, SpecTypeDef

ERROR = "microsoft.graph.ODataErrors.ODataError"
PAGE_SUFFIX = "CollectionResponse"


class Component(NamedTuple):
    """What one component schema is made from: its definitions (more than one when names
    differ only by case), its descendants, its key properties (its own and inherited), and
    the properties its base types declare, which it does not declare again."""

    items: tuple[SpecTypeDef | SpecEnumDef, ...]
    descendants: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    inherited: tuple[str, ...] = ()


def _inherited(typedef: SpecTypeDef, version: str, schemas: _Schemas) -> tuple[str, ...]:
    """The property and relationship names of the base types in ``version``: pages often
    repeat a base's rows in a derived type's table, and a derived type that declared them
    again (OData does not let it) breaks generators that merge ``allOf`` (``None | str
    can't be merged with str`` when the two pages disagree on nullability)."""
    names: set[str] = set()
    for key in lineage(typedef.name, schemas.by_name, version)[1:]:
        base = schemas.by_name.get(key)
        if base is None:
            break
        names.update(
            p.name for p in [*base.properties, *base.relationships] if version in p.versions
        )
    return tuple(sorted(names))


def _components(
    types: list[SpecTypeDef], enums: list[SpecEnumDef], schemas: _Schemas, version: str
) -> dict[str, Component]:
    """Each component's definitions (types before enums of one name) and, for a type, the
    components that derive from it."""
    children: dict[str, list[str]] = {}
    for typedef in types:
        own = schemas.resolve(typedef.name)
        base = schemas.resolve(typedef.base_type)
        if base is not None and own is not None and base != own:
            children.setdefault(base, []).append(own)
    grouped: dict[str, list[SpecTypeDef | SpecEnumDef]] = {}
    every: list[SpecTypeDef | SpecEnumDef] = [*types, *enums]
    for item in every:
        name = schemas.resolve(item.name) or component_name(item.name)
        grouped.setdefault(name, []).append(item)
    found: dict[str, Component] = {}
    for name in sorted(grouped):
        # The definition spelled as the component comes first: its members lead, its
        # description is the component's.
        items = sorted(grouped[name], key=lambda i: component_name(i.name) != name)
        first = items[0]
        if isinstance(first, SpecTypeDef):
            items = [i for i in items if isinstance(i, SpecTypeDef)]
            found[name] = Component(
                tuple(items),
                tuple(_descendants(name, children)),
                tuple(sorted(schemas.keys(first))),
                _inherited(first, version, schemas),
            )
        else:
            found[name] = Component(tuple(items))
    return found


def _enum_schema(items: tuple[SpecEnumDef, ...], version: str) -> dict[str, Any]:
    members: dict[str, str] = {}
    for item in items:
        for member in item.members:
            if version in member.versions and member.name not in members:
                members[member.name] = member.description
    schema: dict[str, Any] = {"type": "string"}
    if members:
        schema["enum"] = list(members)
        values = []
        for name, description in members.items():
            value = {"value": name, "name": name}
            if description:
                value["description"] = description
            values.append(value)
        schema["x-ms-enum"] = {
            "name": items[0].name.rsplit(".", 1)[-1],
            "modelAsString": False,
            "values": values,
        }
    if items[0].description:
        schema["description"] = items[0].description
    _also_named(schema, items)
    return schema


def _also_named(schema: dict[str, Any], items: tuple[SpecTypeDef | SpecEnumDef, ...]) -> None:
    """Records the other spellings one component stands for."""
    others = sorted({i.name for i in items} - {items[0].name})
    if others:
        schema["x-also-named"] = others


def _any_json(typedefs: list[SpecTypeDef]) -> bool:
    """Graph's ``Json`` type, documented with no member: values are any JSON (a workbook
    range's ``values`` are arrays of arrays), so the schema constrains nothing, as the
    models and the strict check take it."""
    return all(t.name.rsplit(".", 1)[-1].casefold() == "json" for t in typedefs) and not any(
        t.properties or t.relationships for t in typedefs
    )


def _component_schema(component: Component, version: str, schemas: _Schemas) -> dict[str, Any]:
    first = component.items[0]
    if isinstance(first, SpecEnumDef):
        enums = tuple(i for i in component.items if isinstance(i, SpecEnumDef))
        return _enum_schema(enums, version)
    typedefs = [i for i in component.items if isinstance(i, SpecTypeDef)]
    name = schemas.resolve(first.name) or component_name(first.name)
    if _any_json(typedefs):
        return {"description": first.description or "Any JSON value.", "x-ms-json": True}
    properties: dict[str, Any] = {}
    for typedef in typedefs:
        for prop, navigation in [
            *((p, False) for p in typedef.properties),
            *((p, True) for p in typedef.relationships),
        ]:
            if version not in prop.versions or prop.name in properties:
                continue
            if prop.name in component.inherited:
                continue
            schema = schemas.param(prop, key=prop.name in component.keys)
            if navigation:
                schema["x-ms-navigationProperty"] = True
            properties[prop.name] = schema
    base = schemas.resolve(first.base_type)
    if base is None or base == name:
        # Any object of a response may say its type (``#microsoft.graph.x``); derived
        # types inherit this, so a discriminator finds it.
        properties.setdefault("@odata.type", {"type": "string"})
    own: dict[str, Any] = {"type": "object", "properties": properties}
    schema = own
    if base is not None and base != name:
        schema = {"allOf": [{"$ref": schemas.ref(base)}, own]}
    description = first.description
    if first.base_type and base is None:
        note = f"Base type {first.base_type} is unresolved."
        description = f"{description}\n\n{note}" if description else note
    if description:
        schema["description"] = description
    if component.descendants:
        schema["discriminator"] = {
            "propertyName": "@odata.type",
            "mapping": {f"#{d}": schemas.ref(d) for d in sorted([name, *component.descendants])},
        }
    if first.inferred:
        schema["x-inferred"] = True
    _also_named(schema, tuple(typedefs))
    return schema


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


def page_name(component: str, taken: set[str]) -> str:
    """The page component of a listed type: ``microsoft.graph.userCollectionResponse``,
    suffixed further should a type already be named so (ignoring case)."""
    name = f"{component}{PAGE_SUFFIX}"
    while name.casefold() in taken:
        name += "_"
    return name


def error_schemas() -> dict[str, Any]:
    """OData's JSON error body (OData JSON Format 4.01, section 21.1), as Graph sends it."""
    prefix = "#/components/schemas/microsoft.graph.ODataErrors."
    return {
        ERROR: {
            "type": "object",
            "required": ["error"],
            "properties": {"error": {"$ref": f"{prefix}MainError"}},
        },
        "microsoft.graph.ODataErrors.MainError": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "target": {"type": ["string", "null"]},
                "details": {"type": "array", "items": {"$ref": f"{prefix}ErrorDetails"}},
                "innerError": {"anyOf": [{"$ref": f"{prefix}InnerError"}, NULL]},
            },
        },
        "microsoft.graph.ODataErrors.ErrorDetails": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "target": {"type": ["string", "null"]},
            },
        },
        "microsoft.graph.ODataErrors.InnerError": {
            "type": "object",
            "description": "Service-specific details (request-id, date, client-request-id).",
            "additionalProperties": True,
        },
    }
