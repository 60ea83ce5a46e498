"""One response schema for every page that documents a request.

Several pages may document one path and method, each answering another derived type of one
entity (``POST .../settings`` answered with a Boolean, an Integer or a String setting
instance). The path and method have one response schema, so it is the nearest type all the
answers derive from, and each page's example, carrying its ``@odata.type``, fits it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from extractor.render.openapi.schemas import lineage
from extractor.schema import SpecOperation, SpecResponse, SpecTypeDef


def common_type(names: Iterable[str], types: Mapping[str, SpecTypeDef], version: str) -> str | None:
    """The nearest type every one of ``names`` is or derives from (None when there is none)."""
    chains = [lineage(name, types, version) for name in dict.fromkeys(names)]
    if not chains:
        return None
    shared = set(chains[0]).intersection(*chains[1:])
    for key in chains[0]:
        if key in shared:
            found = types.get(key)
            return found.name if found is not None else None
    return None


def widened(
    op: SpecOperation,
    others: Iterable[SpecOperation],
    version: str,
    types: Mapping[str, SpecTypeDef],
) -> SpecOperation:
    """``op`` answering the nearest common type of its own and ``others``' responses in
    ``version`` (same status and collection), where they differ; else ``op`` itself."""

    def answers(o: SpecOperation) -> list[SpecResponse]:
        return [r for r in o.responses if version in r.versions] or [o.response]

    theirs = [r for other in others for r in answers(other)]

    def wider(response: SpecResponse) -> SpecResponse:
        alike = [
            r.type
            for r in theirs
            if r.type and r.status == response.status and r.collection == response.collection
        ]
        if not response.type or all(t == response.type for t in alike):
            return response
        common = common_type([response.type, *alike], types, version)
        return response if common is None else response.model_copy(update={"type": common})

    pairs = [(r, wider(r)) for r in answers(op)]
    if all(new is old for old, new in pairs):
        return op
    changed = {id(old): new for old, new in pairs}
    return op.model_copy(
        update={
            "responses": [changed.get(id(r), r) for r in op.responses],
            "response": changed.get(id(op.response), op.response),
        }
    )


def related(one: str, other: str, types: Mapping[str, SpecTypeDef], version: str) -> bool:
    """Whether one of the two types is, or derives from, the other."""
    return other.casefold() in lineage(one, types, version) or one.casefold() in lineage(
        other, types, version
    )
