"""Type references spelled exactly as the type or enum they name.

Pages write references as their link text (``[ItemReference](itemreference.md)``) while the
type is ``itemReference``; a reference is looked up ignoring case and written as the name
the spec defines. One name defined in several spellings (v1.0's ``orgcontact`` page, beta's
``orgContact``) is one type, spelled the Graph way: camelCase (a capital first letter is a
title's, an all-lowercase name a file name's). A reference that names nothing defined or
inferred is kept as written; ``infer`` reports it as ``unresolved-type``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from extractor.reconcile.text import _truthy, clean_type_name, is_primitive
from extractor.schema import (
    Fixture,
    PageRecord,
    ResponseInfo,
    SpecOperation,
    SpecParameter,
    SpecTypeDef,
)


def _rank(name: str) -> tuple[bool, int, str]:
    short = name.rpartition(".")[2]
    return short[:1].isupper(), -sum(ch.isupper() for ch in name), name


def canonical(names: Iterable[str]) -> dict[str, str]:
    """Each name's spelling, by its casefolded form: the camelCase one where spellings
    differ (``itemPreviewInfo`` over ``ItemPreviewInfo``, ``orgContact`` over ``orgcontact``)."""
    spellings: dict[str, set[str]] = {}
    for name in names:
        spellings.setdefault(name.casefold(), set()).add(name)
    return {key: min(found, key=_rank) for key, found in spellings.items()}


@dataclass
class Names:
    """The spelling of every type and enum of the spec, by casefolded name; a type wins
    over an enum of the same name, as in the OpenAPI components."""

    types: dict[str, str] = field(default_factory=dict)
    enums: dict[str, str] = field(default_factory=dict)
    inferred: dict[str, str] = field(default_factory=dict)

    def __call__(self, name: str | None) -> str | None:
        if not name:
            return name
        key = name.casefold()
        return self.types.get(key) or self.inferred.get(key) or self.enums.get(key) or name

    def defines(self, name: str) -> bool:
        """Whether a page defines a type or enum of that name (any case)."""
        key = name.casefold()
        return key in self.types or key in self.enums


def page_response(record: PageRecord, defined: Callable[[str], bool]) -> ResponseInfo | None:
    """The page's response (None without an operation); when the prose names a type nothing
    ``defined`` ("a list of [used](insights-used.md) items") and the response example's
    annotation one that is (``microsoft.graph.usedInsight``), the annotation's type."""
    if record.operation is None:
        return None
    response = record.operation.response
    if not response.type or is_primitive(response.type) or defined(response.type):
        return response
    example = next((e for e in record.examples if e.role == "response"), None)
    annotation = example.annotation if example is not None else {}
    if not isinstance(annotation, dict):
        return response
    declared, collection = clean_type_name(annotation.get("@odata.type"))
    if declared is None or is_primitive(declared) or not defined(declared):
        return response
    listed = collection or _truthy(annotation.get("isCollection", False))
    return response.model_copy(update={"type": declared, "collection": listed})


def _parameter(param: SpecParameter, names: Names) -> None:
    param.type = names(param.type)
    param.alternatives = [names(a) or a for a in param.alternatives]
    for facts in param.overrides:
        facts.type = names(facts.type)
        facts.alternatives = [names(a) or a for a in facts.alternatives]


def resolve_type(typedef: SpecTypeDef, names: Names) -> SpecTypeDef:
    """The type with its base type and members' types spelled canonically (in place)."""
    typedef.base_type = names(typedef.base_type)
    for facts in typedef.overrides:
        facts.base_type = names(facts.base_type)
    for param in [*typedef.properties, *typedef.relationships]:
        _parameter(param, names)
    return typedef


def resolve_operation(operation: SpecOperation, names: Names) -> SpecOperation:
    """The operation with its binding, parameter and response types spelled canonically."""
    operation.binding_type = names(operation.binding_type)
    for param in [*operation.parameters, *operation.query_parameters]:
        _parameter(param, names)
    for response in [operation.response, *operation.responses]:
        response.type = names(response.type)
    return operation


def resolve_fixtures(fixtures: list[Fixture], names: Names) -> list[Fixture]:
    for fixture in fixtures:
        fixture.type = names(fixture.type)
    return fixtures
