"""Records and operations to reconcile, built as the pages stage would build them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from extractor.schema import (
    Example,
    Operation,
    PageRecord,
    Parameter,
    Permissions,
    RequestPath,
    ResponseInfo,
    SourceInfo,
    TypeDef,
)

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

LOCALE_DIRS = {
    "zh-CN": "zh-CN",
    "ru-RU": "samples/ru-RU-communications",
    "pt-BR": "samples/pt-BR-communications",
}


def record(
    name: str,
    version: str | None = "v1.0",
    kind: str = "api",
    locale: str = "zh-CN",
    commit: str | None = "c0ffee",
    handoff: str | None = "08/27/2021",
    language: str = "en",
    path: str | None = None,
    **fields: Any,
) -> PageRecord:
    """A record as the pages stage would build it for ``<locale dir>/<version>/<kind>/name.md``."""
    folder = "api" if kind == "api" else "resources"
    if path is None:
        path = f"{LOCALE_DIRS.get(locale, locale)}/api-reference/{version}/{folder}/{name}.md"
    return PageRecord(
        source=SourceInfo(
            path=path, sha256="0" * 64, locale=locale, sourcegitcommit=commit, lasthandoff=handoff
        ),
        version=version,
        kind=kind,
        slug=name,
        title=fields.pop("title", name),
        language=language,
        **fields,
    )


def redirect_op(version: str, **overrides: Any) -> Operation:
    """``call: redirect`` as its v1.0 and beta pages describe it (beta adds three parameters)."""
    params = [
        Parameter(
            name="targets", type="microsoft.graph.invitationParticipantInfo", collection=True
        ),
        Parameter(name="timeout", type="Edm.Int32", line=40),
        Parameter(name="callbackUri", type="Edm.String", line=41),
    ]
    paths = [RequestPath(path="/communications/calls/{id}/redirect", line=30)]
    if version == "beta":
        params.insert(
            1,
            Parameter(
                name="targetDisposition",
                type="Edm.String",
                deprecated=True,
                description="(Deprecated) The possible values are: `default`.",
            ),
        )
        params[2] = Parameter(name="timeout", type="Edm.Int64", line=52)
        params[3] = Parameter(name="callbackURI", type="Edm.String", description="beta text")
        params += [
            Parameter(name="maskCallee", type="Edm.Boolean"),
            Parameter(name="maskCaller", type="Edm.Boolean"),
        ]
        paths.insert(0, RequestPath(path="/app/calls/{id}/redirect", deprecated=True, line=29))
    data: dict[str, Any] = {
        "id": "call.redirect",
        "kind": "action",
        "binding_type": "microsoft.graph.call",
        "name": "redirect",
        "title": "call: redirect",
        "description": f"Redirect an incoming call ({version}).",
        "method": "POST",
        "paths": paths,
        "parameters": params,
        "response": ResponseInfo(status=202),
        "permissions": Permissions(application=["Calls.Initiate.All"]),
    }
    data.update(overrides)
    return Operation(**data)


def example(example_id: str, role: str, line: int, body: Any = None, **fields: Any) -> Example:
    return Example(id=example_id, role=role, line=line, json=body, **fields)


def spec_without_sources(result: Any) -> dict[str, Any]:
    data = result.spec.model_dump(mode="json")
    for group in ("operations", "types", "enums"):
        for item in data[group]:
            item.pop("sources")
            for part in ("properties", "relationships", "parameters", "queryParameters"):
                for member in item.get(part, ()):
                    member.pop("origins")  # each locale's page and line
    return data


def redirect_pair() -> list[PageRecord]:
    return [
        record("call-redirect", version="v1.0", operation=redirect_op("v1.0")),
        record(
            "call-redirect",
            version="beta",
            operation=redirect_op(
                "beta",
                permissions=Permissions(application=["Calls.Initiate.All", "Calls.X"]),
                response=ResponseInfo(status=200, type="microsoft.graph.call"),
            ),
        ),
    ]


def call_type(version: str) -> TypeDef:
    props = [
        Parameter(name="state", type="microsoft.graph.callState"),
        Parameter(name="source", type="microsoft.graph.participantInfo", line=20),
    ]
    if version == "beta":
        props.append(Parameter(name="transcription", type="microsoft.graph.callTranscriptionInfo"))
        props[0] = Parameter(name="State", type="microsoft.graph.callState", deprecated=True)
    return TypeDef(
        name="microsoft.graph.call",
        kind="entity",
        base_type="microsoft.graph.entity" if version == "v1.0" else None,
        description=f"A call ({version}).",
        properties=props,
        relationships=[
            Parameter(name="participants", type="microsoft.graph.participant", collection=True)
        ],
    )
