"""One operation of an OpenAPI document: parameters, request body, responses with the
documented examples, errors, paging, security, tag and the page it comes from."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, NamedTuple

from extractor.render.openapi.parameters import operation_parameters
from extractor.render.openapi.paths import _method
from extractor.render.openapi.schemas import _KEY_UNSAFE, _Schemas
from extractor.render.openapi.security import operation_security
from extractor.render.openapi.tags import external_docs
from extractor.render.openapi.widen import related
from extractor.schema import Fixture, SpecOperation, SpecResponse

JSON = "application/json"
BINARY = "application/octet-stream"
ERROR_RESPONSE = {"$ref": "#/components/responses/error"}
ERROR_SCHEMA = "#/components/schemas/microsoft.graph.ODataErrors.ODataError"
PAGEABLE = {"nextLinkName": "@odata.nextLink", "operationName": "listMore"}
MAX_EXAMPLE_DEPTH = 64


class Placement(NamedTuple):
    """Where one operation is written: its path template and parameters, its id, and
    whether that path is the deprecated one (with the live paths to use instead)."""

    template: str
    path_names: list[str]
    operation_id: str
    deprecated: bool
    tag: str
    instead: tuple[str, ...] = ()


def _status_key(status: int | None) -> str:
    return str(status) if status is not None and 100 <= status <= 599 else "200"


def _reason(status: str) -> str:
    try:
        return HTTPStatus(int(status)).phrase
    except ValueError:
        return "Success"


def _example_key(fixture_id: str) -> str:
    return _KEY_UNSAFE.sub("_", fixture_id)


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


def _request_body(
    op: SpecOperation, method: str | None, version: str, schemas: _Schemas, returned: str | None
) -> dict[str, Any] | None:
    if method not in {"post", "put", "patch"}:
        return None
    params = [p for p in op.parameters if version in p.versions]
    if params:
        body: dict[str, Any] = {
            "type": "object",
            "properties": {p.name: schemas.param(p) for p in params},
        }
        required = sorted({p.name for p in params if p.required})
        if required:
            body["required"] = required
        return body
    if op.kind == "create" and (returned or op.binding_type):
        # The created entity is what the response returns; the binding may be its parent.
        return schemas.single(returned or op.binding_type)
    if op.kind == "update" and (op.binding_type or returned):
        return schemas.single(op.binding_type or returned)
    return None


def _content(response: SpecResponse, schemas: _Schemas) -> dict[str, Any] | None:
    """A response's media type and schema: a list is a page (``{value, @odata.nextLink}``)."""
    if not response.type:
        return None
    if response.type.casefold() == "edm.stream" and not response.collection:
        return {BINARY: {"schema": {"type": "string", "format": "binary"}}}
    item = schemas.single(response.type)
    if response.collection:
        return {JSON: {"schema": schemas.page(item)}}
    if schemas.is_value(response.type):
        # OData wraps a returned primitive or enum value: {"value": ...}.
        return {JSON: {"schema": {"type": "object", "properties": {"value": item}}}}
    return {JSON: {"schema": item}}


def _responses(
    op: SpecOperation, version: str, schemas: _Schemas, fixtures: list[Fixture]
) -> tuple[dict[str, Any], bool]:
    """The documented responses with their examples, and whether one is a page of a list.
    An example whose status the page's response section does not list still is documented:
    it gets the status with the operation's response schema."""
    listed = [r for r in op.responses if version in r.versions]
    if not listed and version in op.response.versions:
        listed = [op.response]
    responses: dict[str, Any] = {}
    pageable = False
    for response in listed:
        key = _status_key(response.status)
        if key in responses:
            continue
        entry: dict[str, Any] = {"description": _reason(key)}
        content = _content(response, schemas)
        if content is not None:
            entry["content"] = content
            pageable = pageable or response.collection
        responses[key] = entry
    if not responses:
        responses["200"] = {"description": "Success"}
    for fixture in fixtures:
        if fixture.role != "response":
            continue
        key = _status_key(fixture.status)
        if key not in responses and key[0] in "45":
            responses[key] = {
                "description": _reason(key),
                "content": {JSON: {"schema": {"$ref": ERROR_SCHEMA}}},
            }
        if key not in responses and key[0] == "2":
            model = next((r for r in responses.values() if "content" in r), None)
            responses[key] = {"description": _reason(key)}
            if model is not None:
                responses[key]["content"] = {
                    media: {"schema": value["schema"]} for media, value in model["content"].items()
                }
        answered = responses.get(key)
        if answered is None:
            continue
        content = answered.setdefault("content", {})
        if BINARY in content and JSON not in content:
            continue
        if not _answers(fixture, listed, version, schemas):
            continue  # the example of another path of the page (``.../workingHours``)
        _attach(content.setdefault(JSON, {"schema": {}}), fixture)
    responses["4XX"] = dict(ERROR_RESPONSE)
    responses["5XX"] = dict(ERROR_RESPONSE)
    return responses, pageable


def _answers(fixture: Fixture, listed: list[SpecResponse], version: str, schemas: _Schemas) -> bool:
    """Whether a response example shows what the operation answers: its annotation names
    no documented type, or one that is (or derives from, or is a base of) a type a response
    of its status names. An example annotated with another documented type shows another
    request of its page (``GET /me/mailboxSettings/workingHours`` on Get mailboxSettings)."""
    if not fixture.type or fixture.type.casefold() not in schemas.by_name:
        return True  # no annotation, or one naming no documented type: nothing to go by
    named = [r.type for r in listed if r.type and r.status == fixture.status] or [
        r.type for r in listed if r.type
    ]
    if not named:
        return True
    return any(related(fixture.type, name, schemas.by_name, version) for name in named)


def _deprecation(op: SpecOperation, placement: Placement) -> dict[str, Any] | None:
    if not (placement.deprecated or op.deprecated):
        return None
    if op.deprecated:
        text = "The docs deprecate this operation."
    else:
        text = "The docs list this request path as deprecated."
    if placement.instead:
        text += " Use " + ", ".join(placement.instead) + " instead."
    return {"description": text}


def _operation(
    op: SpecOperation,
    version: str,
    schemas: _Schemas,
    fixtures: list[Fixture],
    placement: Placement,
) -> dict[str, Any]:
    """The operation object (the shared query parameters it refers to are written once,
    in the document's components)."""
    method = _method(op)
    result: dict[str, Any] = {
        "operationId": placement.operation_id,
        "summary": op.title or op.id,
        "tags": [placement.tag],
    }
    if op.description:
        result["description"] = op.description
    docs = external_docs(op, version)
    if docs is not None:
        result["externalDocs"] = docs
    parameters = operation_parameters(op, version, schemas, placement.path_names)
    if parameters:
        result["parameters"] = parameters

    listed = [r for r in op.responses if version in r.versions] or [op.response]
    returned = next((r.type for r in listed if r.type), None)
    body = _request_body(op, method, version, schemas, returned)
    if body is not None:
        result["requestBody"] = {"required": True, "content": {JSON: {"schema": body}}}
        for fixture in fixtures:  # only those with a JSON body (see _Sources.with_examples)
            if fixture.role == "request":
                _attach(result["requestBody"]["content"][JSON], fixture)
    result["responses"], pageable = _responses(op, version, schemas, fixtures)
    if pageable:
        result["x-ms-pageable"] = dict(PAGEABLE)
    if op.permissions_in(version) is None:  # the permissions include was not found
        result["x-permissions-unknown"] = True
    else:
        result["security"], result["x-ms-permissions"] = operation_security(op, version)
    deprecation = _deprecation(op, placement)
    if deprecation is not None:
        result["deprecated"] = True
        result["x-ms-deprecation"] = deprecation
    return result
