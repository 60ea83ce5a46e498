"""One response schema for every page that documents a request.

Several pages may document one path and method, each answering another derived type of one
entity (``POST .../settings`` answered with a Boolean, an Integer or a String setting
instance). The path and method have one response schema, so it is the nearest type all the
answers derive from, and each page's example, carrying its ``@odata.type``, fits it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from extractor.schema import SpecOperation, SpecResponse, SpecTypeDef


def _lineage(name: str, types: Mapping[str, SpecTypeDef], version: str) -> list[str]:
    """``name`` and its base types, nearest first (casefolded), as ``version`` has them."""
    chain: list[str] = []
    current = types.get(name.casefold())
    key = name.casefold()
    while key not in chain:
        chain.append(key)
        if current is None:
            break
        base = current.in_version(version).base_type
        if not base:
            break
        key = base.casefold()
        current = types.get(key)
    return chain


def common_type(names: Iterable[str], types: Mapping[str, SpecTypeDef], version: str) -> str | None:
    """The nearest type every one of ``names`` is or derives from (None when there is none)."""
    chains = [_lineage(name, types, version) for name in dict.fromkeys(names)]
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

    mine = answers(op)
    theirs = [r for other in others for r in answers(other)]
    if not theirs:
        return op
    changed: list[SpecResponse] = []
    for response in mine:
        alike = [
            r.type
            for r in theirs
            if r.type and r.status == response.status and r.collection == response.collection
        ]
        if not response.type or not alike or all(t == response.type for t in alike):
            changed.append(response)
            continue
        common = common_type([response.type, *alike], types, version)
        changed.append(response if common is None else response.model_copy(update={"type": common}))
    if all(new is old for new, old in zip(changed, mine, strict=True)):
        return op
    first = changed[0]
    return op.model_copy(
        update={
            "responses": [r for r in op.responses if r not in mine] + changed
            if op.responses
            else op.responses,
            "response": first if op.response in mine else op.response,
        }
    )


def related(one: str, other: str, types: Mapping[str, SpecTypeDef], version: str) -> bool:
    """Whether one of the two types is, or derives from, the other."""
    return other.casefold() in _lineage(one, types, version) or one.casefold() in _lineage(
        other, types, version
    )
