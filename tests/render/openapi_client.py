"""Feeding documented response examples to a client that openapi-python-client generated:
each example is the body of an HTTP response from a mock transport, and the generated
endpoint module parses it as it would a real one."""

from __future__ import annotations

import importlib
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import httpx

from tests.render.openapi_checks import Example

_ENDPOINT = re.compile(r'"method": "(\w+)",\s*"url": "([^"]*)"')
_PARAM = re.compile(r"\{[^{}]*\}")


def _shape(template: str) -> str:
    return _PARAM.sub("{}", template)


def endpoint_modules(package: Path) -> dict[tuple[str, str], str]:
    """Each generated endpoint module by (method, path shape)."""
    found = {}
    for path in sorted((package / "api").glob("*/*.py")):
        match = _ENDPOINT.search(path.read_text(encoding="utf-8"))
        if match:
            module = ".".join((package.name, "api", path.parent.name, path.stem))
            found[(match.group(1), _shape(match.group(2)))] = module
    return found


def parse_examples(
    package: Path, examples: Iterable[Example]
) -> tuple[int, dict[str, str], list[str]]:
    """How many examples parsed, the exception of each that did not (by example), and the
    examples whose operation the client lacks."""
    sys.path.insert(0, str(package.parent))
    try:
        client_module = importlib.import_module(f"{package.name}.client")
        modules = endpoint_modules(package)
        parsed, failed, missing = 0, {}, []
        for example in examples:
            name = modules.get((example.method, _shape(example.template)))
            if name is None:
                missing.append(f"{example.operation_id} {example.name}")
                continue
            endpoint = importlib.import_module(name)
            body = json.dumps(example.value).encode()
            status = int(example.status)

            def reply(request: httpx.Request, status: int = status, body: bytes = body) -> Any:
                return httpx.Response(
                    status, content=body, headers={"content-type": "application/json"}
                )

            client = client_module.AuthenticatedClient(
                base_url="https://graph.example.test/v1.0",
                token="token",
                httpx_args={"transport": httpx.MockTransport(reply)},
            )
            try:
                response = client.get_httpx_client().request(example.method, "/x")
                endpoint._build_response(client=client, response=response)
                parsed += 1
            except Exception as error:  # the generated parser's own failure, reported
                failed[f"{example.operation_id} {example.name}"] = (
                    f"{type(error).__name__}: {error}"
                )
        return parsed, failed, missing
    finally:
        sys.path.remove(str(package.parent))
