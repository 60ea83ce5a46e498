"""OpenAPI 3.1 documents, one per API version, from the unified spec.

Each document holds only what exists in its version. Nothing in it may dangle: a type the
spec cannot resolve becomes an empty schema with a description, path templates are rewritten
into valid parameter names, and operation ids stay unique when one operation has several paths.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from http import HTTPStatus
from typing import Any

from extractor import yamlout
from extractor.gcpause import gc_paused
from extractor.models import (
    VERSIONS,
    Fixture,
    Permissions,
    SpecEnumDef,
    SpecOperation,
    SpecParameter,
    SpecResponse,
    SpecTypeDef,
    UnifiedSpec,
)
from extractor.templating import environment

__all__ = ["build_openapi", "dump_yaml", "normalize_path", "render_openapi"]

OPENAPI_VERSION = "3.1.0"
AUTHORIZE_URL = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize"
TOKEN_URL = "https://login.microsoftonline.com/common/oauth2/v2.0/token"
JSON = "application/json"
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

_TOKENS = re.compile(r"\{([^{}]*)\}|[{}]|[^{}]+")
_PARAM_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SCOPE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+")
_URL_PREFIX = re.compile(r"https?://[^/\s]*", re.IGNORECASE)
_VERSION_PREFIX = re.compile(r"/(?:v1\.0|beta)(?=/|$)", re.IGNORECASE)
_SLASHES = re.compile(r"/{2,}")
_TEMPLATE_PARAM = re.compile(r"\{[^{}]*\}")


# --- paths ------------------------------------------------------------------------------------


def normalize_path(raw: str) -> tuple[str, list[str]]:
    """A valid OpenAPI path template and its parameter names, in order.

    Drops host, version prefix and query string; ``{id | userPrincipalName}`` becomes
    ``{id-or-userPrincipalName}``; stray braces and whitespace outside braces go; a name used
    twice gets ``-2``. One regex pass, so unbalanced input stays linear.
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
        while unique in used:
            n += 1
            unique = f"{name}-{n}"
        counts[name] = n
        used.add(unique)
        names.append(unique)
        parts.append("{" + unique + "}")
    path = _SLASHES.sub("/", "/" + "".join(parts))
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return path, tuple(names)


def _shape(template: str) -> str:
    """Templates that differ only in parameter names are one OpenAPI path."""
    return _TEMPLATE_PARAM.sub("{}", template)


# --- schemas ----------------------------------------------------------------------------------


def component_name(name: str) -> str:
    """A components key (``^[a-zA-Z0-9.\\-_]+$``) for a type name."""
    return _KEY_UNSAFE.sub("_", name) or "_"


class _Schemas:
    """Type references of one version turned into JSON Schema, never dangling."""

    def __init__(self, types: list[SpecTypeDef], enums: list[SpecEnumDef]) -> None:
        self.names: dict[str, str] = {}
        for item in [*types, *enums]:
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


def _type_schemas(
    types: list[SpecTypeDef], version: str, schemas: _Schemas
) -> dict[str, dict[str, Any]]:
    children: dict[str, list[str]] = {}
    for typedef in types:
        base = schemas.resolve(typedef.base_type)
        if base is not None and base != component_name(typedef.name):
            children.setdefault(base, []).append(component_name(typedef.name))
    result: dict[str, dict[str, Any]] = {}
    for typedef in types:
        name = component_name(typedef.name)
        if name in result:
            continue
        properties = {
            p.name: schemas.param(p)
            for p in [*typedef.properties, *typedef.relationships]
            if version in p.versions
        }
        own: dict[str, Any] = {"type": "object", "properties": properties}
        schema: dict[str, Any] = own
        base = schemas.resolve(typedef.base_type)
        if base is not None and base != name:
            schema = {"allOf": [{"$ref": schemas.ref(base)}, own]}
        description = typedef.description
        if typedef.base_type and base is None:
            note = f"Base type {typedef.base_type} is unresolved."
            description = f"{description}\n\n{note}" if description else note
        if description:
            schema["description"] = description
        descendants = _descendants(name, children)
        if descendants:
            properties["@odata.type"] = {"type": "string"}
            schema["discriminator"] = {
                "propertyName": "@odata.type",
                "mapping": {f"#{d}": schemas.ref(d) for d in sorted([name, *descendants])},
            }
        if typedef.inferred:
            schema["x-inferred"] = True
        result[name] = schema
    return result


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


# --- operations -------------------------------------------------------------------------------


def _scopes(values: Iterable[str]) -> list[str]:
    """Scope names in table order, without "Not supported" and other prose."""
    return list(_scope_names(tuple(values)))


@lru_cache(maxsize=1 << 12)
def _scope_names(values: tuple[str, ...]) -> tuple[str, ...]:
    """``_scopes``, remembered: a few hundred permission tables recur on thousands of pages."""
    found: dict[str, None] = {}
    for value in values:
        for scope in _SCOPE.findall(value or ""):
            found.setdefault(scope, None)
    return tuple(found)


def _method(op: SpecOperation) -> str | None:
    method = (op.method or "").strip().lower() or _KIND_METHOD.get(op.kind, "")
    return method if method in METHODS else None


def _status_key(status: int | None) -> str:
    return str(status) if status is not None and 100 <= status <= 599 else "200"


def _reason(status: str) -> str:
    try:
        return HTTPStatus(int(status)).phrase
    except ValueError:
        return "Success"


def _example_key(fixture_id: str) -> str:
    return _KEY_UNSAFE.sub("_", fixture_id)


MAX_EXAMPLE_DEPTH = 64


def _has_json_body(fixture: Fixture) -> bool:
    """A JSON body shallow enough for the YAML writer, which recurses per level."""
    if fixture.body is None:
        return False
    if fixture.body_kind != "json" and isinstance(fixture.body, str):
        return False
    return _shallow(fixture.body, MAX_EXAMPLE_DEPTH)


def _shallow(value: Any, limit: int) -> bool:
    """Whether no dict or list lies ``limit`` levels deep, walking one level at a time."""
    level = [value]
    for _ in range(limit):
        containers = [item for item in level if isinstance(item, (dict, list))]
        if not containers:
            return True
        level = []
        for item in containers:
            level.extend(item.values() if isinstance(item, dict) else item)
    return not any(isinstance(item, (dict, list)) for item in level)


def _attach(media: dict[str, Any], fixture: Fixture) -> None:
    examples = media.setdefault("examples", {})
    key, n = _example_key(fixture.id), 1
    while key in examples:
        n += 1
        key = f"{_example_key(fixture.id)}-{n}"
    examples[key] = {"summary": fixture.id, "value": fixture.body}


def _operation(
    op: SpecOperation,
    version: str,
    schemas: _Schemas,
    fixtures: list[Fixture],
) -> dict[str, Any]:
    method = _method(op)
    result: dict[str, Any] = {}
    if op.title:
        result["summary"] = op.title
    if op.description:
        result["description"] = op.description
    params = [p for p in op.parameters if version in p.versions]
    listed = [r for r in op.responses if version in r.versions]
    if not listed and version in op.response.versions:
        listed = [op.response]
    returned = next((r.type for r in listed if r.type), None)
    body: dict[str, Any] | None = None
    if method in {"post", "put", "patch"}:
        if params:
            body = {
                "type": "object",
                "properties": {p.name: schemas.param(p) for p in params},
            }
            required = sorted({p.name for p in params if p.required})
            if required:
                body["required"] = required
        elif op.kind == "create" and (returned or op.binding_type):
            # The created entity is what the response returns; the binding may be its parent.
            body = schemas.single(returned or op.binding_type)
        elif op.kind == "update" and (op.binding_type or returned):
            body = schemas.single(op.binding_type or returned)
    if body is not None:
        result["requestBody"] = {"required": True, "content": {JSON: {"schema": body}}}

    responses: dict[str, Any] = {}
    for response in listed:
        key = _status_key(response.status)
        if key in responses:
            continue
        entry: dict[str, Any] = {"description": _reason(key)}
        schema = schemas.response(response)
        if schema is not None:
            entry["content"] = {JSON: {"schema": schema}}
        responses[key] = entry
    if not responses:
        responses["200"] = {"description": "Success"}
    result["responses"] = responses

    for fixture in fixtures:  # only those with a JSON body (see build_openapi)
        if fixture.role == "request" and "requestBody" in result:
            _attach(result["requestBody"]["content"][JSON], fixture)
        elif fixture.role == "response":
            entry = responses.get(_status_key(fixture.status))
            if entry is not None:
                media = entry.setdefault("content", {}).setdefault(JSON, {"schema": {}})
                _attach(media, fixture)

    granted = op.permissions_in(version)
    security = [{"delegated": [s]} for s in _delegated(granted)]
    security += [{"application": [s]} for s in _scopes(granted.application)]
    if security:
        result["security"] = security
    return result


def _delegated(granted: Permissions) -> list[str]:
    return _scopes([*granted.delegated_work, *granted.delegated_personal])


def _security_schemes(operations: list[SpecOperation], version: str) -> dict[str, Any]:
    """The scopes the operations of ``version`` ask for (a beta page may ask for others)."""
    granted = [op.permissions_in(version) for op in operations]
    delegated = sorted({s for permissions in granted for s in _delegated(permissions)})
    application = sorted({s for permissions in granted for s in _scopes(permissions.application)})
    return {
        "delegated": {
            "type": "oauth2",
            "description": "Delegated permissions (work or school, or personal account).",
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": AUTHORIZE_URL,
                    "tokenUrl": TOKEN_URL,
                    "scopes": {s: s for s in delegated},
                }
            },
        },
        "application": {
            "type": "oauth2",
            "description": "Application permissions.",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": TOKEN_URL,
                    "scopes": {s: s for s in application},
                }
            },
        },
    }


def _paths(
    operations: list[SpecOperation],
    version: str,
    schemas: _Schemas,
    fixtures: dict[str, list[Fixture]],
) -> dict[str, Any]:
    """Path items: templates with one shape merge under the smallest spelling."""
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

    items: dict[str, dict[str, Any]] = {}
    used_ids: set[str] = {op.id for op, *_ in placements}
    placed: dict[str, int] = {}
    for op, method, shape, deprecated in placements:
        template = spellings[shape]
        item = items.get(template)
        if item is None:
            _, names = normalize_path(template)
            item = items[template] = {}
            if names:
                item["parameters"] = [
                    {"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
                    for n in names
                ]
        if method in item:
            also = item[method].setdefault("x-also-documented-by", [])
            if op.id not in also and op.id != item[method]["operationId"]:
                also.append(op.id)
            continue
        count = placed.get(op.id, 0) + 1
        placed[op.id] = count
        operation_id = op.id
        if count > 1:
            operation_id = f"{op.id}_{count}"
            while operation_id in used_ids:
                operation_id += "_"
        used_ids.add(operation_id)
        body = _operation(op, version, schemas, fixtures.get(op.id, []))
        body["operationId"] = operation_id
        if deprecated or op.deprecated:
            body["deprecated"] = True
        item[method] = body
    for item in items.values():
        for value in item.values():
            if isinstance(value, dict) and "x-also-documented-by" in value:
                value["x-also-documented-by"].sort()
    return items


# --- documents --------------------------------------------------------------------------------


def build_openapi(
    spec: UnifiedSpec, version: str, fixtures: list[Fixture] | None = None
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of one version, as plain data ready for YAML."""
    operations = sorted(
        (op for op in spec.operations if version in op.versions), key=lambda o: o.id
    )
    types = sorted((t for t in spec.types if version in t.versions), key=lambda t: t.name)
    enums = sorted((e for e in spec.enums if version in e.versions), key=lambda e: e.name)
    schemas = _Schemas(types, enums)
    by_operation: dict[str, list[Fixture]] = {}
    for fixture in sorted(fixtures or [], key=lambda f: f.id):
        # The body check runs once here, not once per path of the fixture's operation.
        if fixture.operation is not None and fixture.version == version and _has_json_body(fixture):
            by_operation.setdefault(fixture.operation, []).append(fixture)

    components = _type_schemas(types, version, schemas)
    for enum in enums:
        name = component_name(enum.name)
        if name in components:
            continue
        members = [m.name for m in enum.members if version in m.versions]
        schema: dict[str, Any] = {"type": "string", "enum": list(dict.fromkeys(members))}
        if enum.description:
            schema["description"] = enum.description
        components[name] = schema

    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": f"Microsoft Graph {version} (extracted from docs)",
            "version": version,
        },
        "servers": [{"url": f"https://graph.microsoft.com/{version}"}],
        "paths": _paths(operations, version, schemas, by_operation),
        "components": {
            "schemas": components,
            "securitySchemes": _security_schemes(operations, version),
        },
    }


def dump_yaml(document: dict[str, Any]) -> str:
    """Deterministic YAML text: sorted keys, unicode kept, never folded (see ``yamlout``)."""
    return yamlout.dump(document)


@gc_paused()
def render_openapi(spec: UnifiedSpec, fixtures: list[Fixture] | None = None) -> dict[str, str]:
    """{"openapi/v1.0.yaml": ..., "openapi/beta.yaml": ...}"""
    template = environment().get_template("openapi/document.yaml.j2")
    files = {}
    for version in VERSIONS:
        document = build_openapi(spec, version, fixtures)
        files[f"openapi/{version}.yaml"] = template.render(
            version=version, openapi_version=document["openapi"], body=dump_yaml(document)
        )
    return files
