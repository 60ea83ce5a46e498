"""The incremental contract: a record's ``skeleton`` is what reconcile reads of it across
pages, and a change that keeps it changes only the parts of the spec that its page feeds,
which ``update_parts`` redoes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from extractor.reconcile.fixtures import _page_fixtures
from extractor.reconcile.infer import _typed_objects
from extractor.reconcile.merge import _enum, _enum_sources, _operation
from extractor.reconcile.names import resolve_fixtures, resolve_operation, resolve_type
from extractor.reconcile.pages import _Page, _page_key
from extractor.reconcile.types import _type_block
from extractor.schema import Diagnostic, PageRecord, Parameter

if TYPE_CHECKING:
    from extractor.reconcile import Reconciliation


def skeleton(record: PageRecord, inferred: frozenset[str]) -> str:
    """A hash of what reconcile reads of a record across pages: where the page is, which
    copy and which ids it gets, what it defines and what it names (with lines), and the
    example objects of the ``inferred`` types (casefolded names), but no prose and no other
    values. Two records with one skeleton feed the same parts of the spec."""
    operation, typedef = record.operation, record.type
    typed = _typed_objects(record)
    params: list[Parameter] = []
    if operation is not None:
        params += operation.parameters + operation.query_parameters
    if typedef is not None:
        params += typedef.properties + typedef.relationships
    parts = (
        record.source.path,
        record.source.locale,
        record.version,
        record.kind,
        record.slug,
        _page_key(record),
        operation
        and (
            operation.id,
            operation.binding_type,
            operation.method,
            [(p.path, sorted(p.query.items())) for p in operation.paths],
            operation.response.type,
            any(d.rule == "mixed-methods" for d in record.diagnostics),
        ),
        typedef and (typedef.name, typedef.base_type),
        [definition.name for definition in record.enums],
        [(p.type, p.alternatives, p.line) for p in params],
        [
            (
                example.id,
                example.role,
                example.line,
                example.annotation.get("@odata.type")
                if isinstance(example.annotation, dict)
                else None,
            )
            for example in record.examples
        ],
        sorted({name.casefold() for name, _ in typed}),
        [(name, obj) for name, obj in typed if name.casefold() in inferred],
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def update_parts(
    parts: Reconciliation,
    changed: Iterable[PageRecord],
    skeletons: Mapping[str, str],
    load: Callable[[str], PageRecord],
) -> Reconciliation | None:
    """``Reconciliation.update``: kept here, next to ``skeleton``, because the two make
    one contract (a change that keeps the skeletons changes only what is redone here)."""
    inferred = parts.inferred_keys()
    new: dict[int, PageRecord] = {}
    for record in changed:
        path = record.source.path
        index = parts.page_of.get(path)
        if index is None or parts.pages[index].members != 1:
            return None
        if skeletons.get(path) != skeleton(record, inferred):
            return None
        new[index] = record
    if not new:
        return parts
    pages: dict[int, _Page] = {}

    def page(index: int) -> _Page:
        if index not in pages:
            info = parts.pages[index]
            if index in new:  # a changed page has one copy
                record, copies = new[index], [new[index]]
            else:
                copies = [load(path) for path in info.copies]
                record = copies[info.copies.index(info.display)]
            pages[index] = _Page(
                info.version, info.kind, info.key, info.name, record, copies, info.op_id
            )
        return pages[index]

    updated = replace(
        parts,
        operations=dict(parts.operations),
        op_diagnostics=dict(parts.op_diagnostics),
        types=dict(parts.types),
        type_diagnostics=dict(parts.type_diagnostics),
        enums=dict(parts.enums),
        fixtures=list(parts.fixtures),
        record_diagnostics=dict(parts.record_diagnostics),
    )
    names = parts.names
    for index, record in new.items():
        info = parts.pages[index]
        fixtures = _page_fixtures(page(index), info.fixture_ids)
        updated.fixtures[index] = resolve_fixtures(fixtures, names)
        updated.record_diagnostics[info.display] = list(record.diagnostics)
        if info.version is None:
            continue
        if info.op_id is not None and index in parts.op_members[info.op_id].get(info.version, []):
            members = parts.op_members[info.op_id]
            found: list[Diagnostic] = []
            operation = _operation(
                info.op_id,
                {v: [page(i) for i in ids] for v, ids in members.items()},
                found,
                parts.type_names,
                names.defines,
            )
            operation.examples = list(parts.operations[info.op_id].examples)
            updated.operations[info.op_id] = resolve_operation(operation, names)
            updated.op_diagnostics[info.op_id] = found
        if record.type is not None:
            name = names.types[record.type.name.casefold()]
            candidates = {
                v: [page(i) for i in found] for v, found in parts.type_members[name].items()
            }
            typedef, updated.type_diagnostics[name] = _type_block(name, candidates)
            updated.types[name] = resolve_type(typedef, names)
        for key in {definition.name.casefold() for definition in record.enums}:
            name = names.enums[key]
            updated.enums[name] = _enum(name, _enum_sources(name, parts.enum_members[name], page))
    return updated
