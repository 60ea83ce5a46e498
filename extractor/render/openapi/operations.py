"""One operation of an OpenAPI document: request body, responses with the fixtures as
examples, and security; and the security schemes of the scopes a version asks for."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from http import HTTPStatus
from typing import Any

from extractor.render.openapi.paths import _method
from extractor.render.openapi.schemas import _KEY_UNSAFE, _Schemas
from extractor.schema import Fixture, Permissions, SpecOperation

AUTHORIZE_URL = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize"
TOKEN_URL = "https://login.microsoftonline.com/common/oauth2/v2.0/token"
JSON = "application/json"
_SCOPE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+")


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
            answered = responses.get(_status_key(fixture.status))
            if answered is not None:
                media = answered.setdefault("content", {}).setdefault(JSON, {"schema": {}})
                _attach(media, fixture)

    granted = op.permissions_in(version)
    if granted is None:  # the page's permissions include was not found: unknown, not none
        result["x-permissions-unknown"] = True
        return result
    security = [{"delegated": [s]} for s in _delegated(granted)]
    security += [{"application": [s]} for s in _scopes(granted.granted("application"))]
    if security:
        result["security"] = security
    return result


def _delegated(granted: Permissions | None) -> list[str]:
    """Least privileged scopes first, then the higher privileged ones: any of them grants."""
    if granted is None:
        return []
    return _scopes([*granted.granted("delegated_work"), *granted.granted("delegated_personal")])


def _application(granted: Permissions | None) -> list[str]:
    return _scopes(granted.granted("application")) if granted is not None else []


def _security_schemes(operations: list[SpecOperation], version: str) -> dict[str, Any]:
    """The scopes the operations of ``version`` ask for (a beta page may ask for others)."""
    granted = [op.permissions_in(version) for op in operations]
    delegated = sorted({s for permissions in granted for s in _delegated(permissions)})
    application = sorted({s for permissions in granted for s in _application(permissions)})
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
