"""Checks of a finished OpenAPI document that the tool tests share: every documented
example against its schema, with references resolved in the document itself."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DOC = "urn:openapi-document"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class Example(NamedTuple):
    operation_id: str
    method: str
    template: str
    status: str
    name: str
    value: Any
    pointer: str
    summary: str = ""  # the fixture id the example is


def response_examples(document: dict[str, Any]) -> Iterator[Example]:
    """Each JSON response example, with the JSON pointer of its media type object."""
    for template, item in document.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            for status, response in op.get("responses", {}).items():
                media = response.get("content", {}).get("application/json")
                if not media:
                    continue
                escaped = template.replace("~", "~0").replace("/", "~1")
                pointer = f"#/paths/{escaped}/{method}/responses/{status}/content/application~1json"
                for name, example in media.get("examples", {}).items():
                    yield Example(
                        op["operationId"],
                        method,
                        template,
                        status,
                        name,
                        example.get("value"),
                        pointer,
                        str(example.get("summary", "")),
                    )


class Checker:
    """Validates examples against schemas of one document (draft 2020-12, OpenAPI 3.1's)."""

    def __init__(self, document: dict[str, Any], formats: bool = False) -> None:
        resource = Resource(contents=document, specification=DRAFT202012)
        self.registry = Registry().with_resource(DOC, resource)
        self.document = document
        self.formats = FormatChecker() if formats else None

    def errors(self, example: Example) -> list[str]:
        schema = {"$ref": f"{DOC}{example.pointer}/schema"}
        validator = Draft202012Validator(
            schema, registry=self.registry, format_checker=self.formats
        )
        return [_leaf(e) for e in validator.iter_errors(example.value)]


def _leaf(error: Any) -> str:
    """The error that says why: inside ``anyOf`` (a nullable reference), the failing branch
    other than ``null``."""
    while error.context:
        branches = [
            e for e in error.context if e.validator != "type" or e.validator_value != "null"
        ]
        if not branches:
            break
        error = max(branches, key=lambda e: len(e.absolute_path))
    path = "/".join(map(str, error.absolute_path))
    return f"{path}: {error.validator}: {error.message[:160]}"
