"""OpenAPI 3.1 documents, one per API version, from the unified spec.

Each document holds only what exists in its version. Nothing in it may dangle: a type the
spec cannot resolve becomes an empty schema with a description, path templates are rewritten
into valid parameter names, and operation ids stay unique when one operation has several paths.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache, partial
from http import HTTPStatus
from typing import Any, NamedTuple

from extractor.gcpause import gc_paused
from extractor.render import yamlout
from extractor.render.templating import environment
from extractor.reuse import RenderPieces
from extractor.schema import (
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

__all__ = [
    "build_openapi",
    "dump_yaml",
    "normalize_path",
    "render_openapi",
    "render_openapi_files",
]

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


def _components(
    types: list[SpecTypeDef], enums: list[SpecEnumDef], schemas: _Schemas
) -> dict[str, tuple[SpecTypeDef | SpecEnumDef, tuple[str, ...]]]:
    """Each component's definition (the first type, else enum, of that name) and, for a
    type, the components that derive from it."""
    children: dict[str, list[str]] = {}
    for typedef in types:
        base = schemas.resolve(typedef.base_type)
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
    properties = {
        p.name: schemas.param(p)
        for p in [*item.properties, *item.relationships]
        if version in p.versions
    }
    own: dict[str, Any] = {"type": "object", "properties": properties}
    schema: dict[str, Any] = own
    base = schemas.resolve(item.base_type)
    if base is not None and base != name:
        schema = {"allOf": [{"$ref": schemas.ref(base)}, own]}
    description = item.description
    if item.base_type and base is None:
        note = f"Base type {item.base_type} is unresolved."
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

    for fixture in fixtures:  # only those with a JSON body (see _Sources.with_examples)
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
            others = also.get((template, method))
            named = None if others is None else tuple(sorted(others))
            layout[template].append(_Placed(method, op, operation_id, deprecated, named))
    return layout


def _path_item(template: str, placed: list[_Placed], source: _Sources) -> dict[str, Any]:
    _, names = normalize_path(template)
    item: dict[str, Any] = {}
    if names:
        item["parameters"] = [
            {"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in names
        ]
    for method, op, operation_id, deprecated, also in placed:
        body = _operation(op, source.version, source.schemas, source.with_examples(op))
        body["operationId"] = operation_id
        if deprecated:
            body["deprecated"] = True
        if also is not None:
            body["x-also-documented-by"] = list(also)
        item[method] = body
    return item


# --- documents --------------------------------------------------------------------------------


class _Sources(NamedTuple):
    """What one version's document is made from."""

    version: str
    operations: list[SpecOperation]
    schemas: _Schemas
    components: dict[str, tuple[SpecTypeDef | SpecEnumDef, tuple[str, ...]]]
    layout: dict[str, list[_Placed]]
    #: An operation's fixtures, by operation id, in id order.
    fixtures: dict[str, list[Fixture]]
    #: Whether a fixture's body can be an example, by ``id(fixture)``: checked once, when
    #: first asked (only the items made again ask).
    examples: dict[int, bool]

    def with_examples(self, op: SpecOperation) -> list[Fixture]:
        """The operation's fixtures whose JSON body can be an example."""
        found = []
        for fixture in self.fixtures.get(op.id, ()):
            usable = self.examples.get(id(fixture))
            if usable is None:
                usable = self.examples[id(fixture)] = _has_json_body(fixture)
            if usable:
                found.append(fixture)
        return found


def _fixtures_by_version(fixtures: list[Fixture] | None) -> dict[str, dict[str, list[Fixture]]]:
    """Each version's fixtures of an operation, by operation id, in id order."""
    grouped: dict[str, dict[str, list[Fixture]]] = {version: {} for version in VERSIONS}
    for fixture in sorted(fixtures or [], key=lambda f: f.id):
        if fixture.operation is not None and fixture.version in grouped:
            grouped[fixture.version].setdefault(fixture.operation, []).append(fixture)
    return grouped


def _sources(
    spec: UnifiedSpec,
    version: str,
    fixtures: dict[str, list[Fixture]],
    pieces: RenderPieces | None = None,
) -> _Sources:
    """With ``pieces``, the path layout is last build's when the version's operations are
    the very same objects (an edit that redid no operation): laying out 5,000 operations'
    paths was a fifth of a one-page build's render on the real corpus."""
    operations = sorted(
        (op for op in spec.operations if version in op.versions), key=lambda o: o.id
    )
    types = sorted((t for t in spec.types if version in t.versions), key=lambda t: t.name)
    enums = sorted((e for e in spec.enums if version in e.versions), key=lambda e: e.name)
    schemas = _Schemas(types, enums)
    memo = (pieces or RenderPieces()).memo(f"openapi/{version}/layout")
    layout = memo.get("layout", (tuple(operations),), partial(_path_layout, operations, version))
    return _Sources(
        version,
        operations,
        schemas,
        _components(types, enums, schemas),
        layout,
        fixtures,
        {},
    )


def _head(version: str) -> dict[str, Any]:
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": f"Microsoft Graph {version} (extracted from docs)",
            "version": version,
        },
        "servers": [{"url": f"https://graph.microsoft.com/{version}"}],
    }


def build_openapi(
    spec: UnifiedSpec, version: str, fixtures: list[Fixture] | None = None
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of one version, as plain data ready for YAML."""
    source = _sources(spec, version, _fixtures_by_version(fixtures)[version])
    schemas = source.schemas
    return {
        **_head(version),
        "paths": {
            template: _path_item(template, placed, source)
            for template, placed in source.layout.items()
        },
        "components": {
            "schemas": {
                name: _component_schema(item, descendants, version, schemas)
                for name, (item, descendants) in source.components.items()
            },
            "securitySchemes": _security_schemes(source.operations, version),
        },
    }


def dump_yaml(document: dict[str, Any]) -> str:
    """Deterministic YAML text: sorted keys, unicode kept, never folded (see ``yamlout``)."""
    return yamlout.dump(document)


def _names_digest(schemas: _Schemas) -> str:
    """What every schema reference of a version resolves to, in one value."""
    text = "\n".join(f"{key}\t{name}" for key, name in sorted(schemas.names.items()))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _mapping(key: str, entries: dict[str, bytes], pad: str) -> list[bytes]:
    """``yamlout``'s lines of ``key:`` over a mapping whose entries are written already."""
    if not entries:
        return [f"{pad}{key}: {{}}\n".encode()]
    return [f"{pad}{key}:\n".encode(), *(entries[k] for k in sorted(entries, key=str))]


def _entry(key: str, value: Any, pad: str, keys: dict[str, str]) -> bytes:
    """One mapping entry's lines, as UTF-8 (a piece is encoded once, when it is made)."""
    return (yamlout.dump_entry(key, value, pad, keys) + "\n").encode()


def _schema_entry(
    name: str,
    item: SpecTypeDef | SpecEnumDef,
    descendants: tuple[str, ...],
    version: str,
    schemas: _Schemas,
    keys: dict[str, str],
) -> bytes:
    return _entry(name, _component_schema(item, descendants, version, schemas), "    ", keys)


def _path_entry(
    template: str, placed: list[_Placed], source: _Sources, keys: dict[str, str]
) -> bytes:
    return _entry(template, _path_item(template, placed, source), "  ", keys)


def _document_body(source: _Sources, pieces: RenderPieces) -> list[bytes]:
    """The document's YAML, from one piece per component and per path item: a piece is
    made again only when something it was made from changed (see ``pieces``)."""
    version, schemas = source.version, source.schemas
    keys: dict[str, str] = {}
    names = _names_digest(schemas)
    memo = pieces.memo(f"openapi/{version}/schemas")
    components = {
        name: memo.get(
            name,
            (names, item, descendants),
            partial(_schema_entry, name, item, descendants, version, schemas, keys),
        )
        for name, (item, descendants) in source.components.items()
    }
    memo = pieces.memo(f"openapi/{version}/paths")
    paths = {}
    for template, placed in source.layout.items():
        made_from = (names,)
        for p in placed:
            fixtures = source.fixtures.get(p.op.id, ())
            made_from += ((p.method, p.op, p.operation_id, p.deprecated, p.also, *fixtures),)
        paths[template] = memo.get(
            template, made_from, partial(_path_entry, template, placed, source, keys)
        )
    security = _security_schemes(source.operations, version)
    top = {
        "components": [
            b"components:\n",
            *_mapping("schemas", components, "  "),
            _entry("securitySchemes", security, "  ", keys),
        ],
        "paths": _mapping("paths", paths, ""),
        **{key: [_entry(key, value, "", keys)] for key, value in _head(version).items()},
    }
    return [chunk for key in sorted(top) for chunk in top[key]]


_BODY = "\x00body\x00"


def render_openapi_files(
    spec: UnifiedSpec, fixtures: list[Fixture] | None = None, pieces: RenderPieces | None = None
) -> dict[str, bytes]:
    """{"openapi/v1.0.yaml": ..., "openapi/beta.yaml": ...} as UTF-8. With ``pieces`` (the
    last build's), only the pieces made from parts the update redid are written again."""
    pieces = pieces if pieces is not None else RenderPieces()
    template = environment().get_template("openapi/document.yaml.j2")
    files = {}
    with gc_paused():
        grouped = _fixtures_by_version(fixtures)
        for version in VERSIONS:
            # The template frames the body, which is joined in as bytes, not rendered in.
            frame = template.render(version=version, openapi_version=OPENAPI_VERSION, body=_BODY)
            head, tail = frame.split(_BODY)
            body = _document_body(_sources(spec, version, grouped[version], pieces), pieces)
            files[f"openapi/{version}.yaml"] = b"".join([head.encode(), *body, tail.encode()])
    return files


def render_openapi(spec: UnifiedSpec, fixtures: list[Fixture] | None = None) -> dict[str, str]:
    """``render_openapi_files`` as text."""
    return {name: text.decode() for name, text in render_openapi_files(spec, fixtures).items()}
