"""Type names as the pages that define them spell them, for what operations name: their
binding, response and parameters (``Message`` is ``message``; the link text ``Range`` of
``[Range](../resources/range.md)`` is the ``workbookRange`` that page defines)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from extractor.schema import Operation

if TYPE_CHECKING:
    from extractor.reconcile.pages import _Page

#: The versions in order of authority (merge's ``PRIMARY_ORDER``).
_ORDER: tuple[str, ...] = ("v1.0", "beta")


#: A version's documented type names by casefolded full and short name, and the file stems
#: of its resource pages: (version, key) -> type name.
TypeNames = Mapping[tuple[str, str], str]


def type_names(pages: Iterable[_Page]) -> dict[tuple[str, str], str]:
    """What ``_operation`` resolves type names with: each version's types by full and short
    name, then by the file stem of the resource page defining them (``range.md`` defines
    ``workbookRange``, and pages link it as ``[Range](../resources/range.md)``)."""
    names: dict[tuple[str, str], str] = {}
    stems: dict[tuple[str, str], str] = {}
    for page in pages:
        typedef = page.record.type
        if page.version is None or typedef is None:
            continue
        names.setdefault((page.version, typedef.name.casefold()), typedef.name)
        names.setdefault((page.version, typedef.name.rsplit(".", 1)[-1].casefold()), typedef.name)
        stem = page.path.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0].casefold()
        stems.setdefault((page.version, stem), typedef.name)
    return {**stems, **names}


def resolved(operation: Operation, version: str, names: TypeNames) -> Operation:
    """The operation's type names (binding, response, parameters) spelled as the page that
    defines them spells them (``Message`` -> ``message``), and one no page of its version
    defines read as the type of the resource page named like it: pages write the page's
    name (``Range: clear``, ``[Range](../resources/range.md)``) for the type it defines
    (``workbookRange``)."""
    if not names:
        return operation

    def resolve(name: str | None) -> str | None:
        if not name or name.startswith("Edm."):
            return name
        known = names.get((version, name.casefold()))  # spelled as its page spells it
        if known is not None:
            return known
        return names.get((version, name.rsplit(".", 1)[-1].casefold()), name)

    update: dict[str, Any] = {}
    binding = resolve(operation.binding_type)
    if binding != operation.binding_type:
        update["binding_type"] = binding
    response = resolve(operation.response.type)
    if response != operation.response.type:
        update["response"] = operation.response.model_copy(update={"type": response})
    parameters = [
        p if resolve(p.type) == p.type else p.model_copy(update={"type": resolve(p.type)})
        for p in operation.parameters
    ]
    if any(new is not old for new, old in zip(parameters, operation.parameters, strict=True)):
        update["parameters"] = parameters
    return operation.model_copy(update=update) if update else operation


def binding_of(ops: dict[str, Operation], names: TypeNames) -> str | None:
    """The type the operation is bound to: the first version's that a page defines (a
    beta title may name the type that v1.0's path only hints at), else the first's."""
    ordered = [(v, ops[v]) for v in _ORDER if v in ops]
    bindings = [(v, op.binding_type) for v, op in ordered if op.binding_type]
    known = [b for v, b in bindings if (v, b.casefold()) in names]
    return known[0] if known else (bindings[0][1] if bindings else None)
