"""Reconcile page records of every locale and version into one unified spec.

A record is one page of one version in one locale. This stage groups the records into pages,
keeps one copy of each page (the newest docs, preferring English text), merges v1.0 and beta
into one item per operation, type and enum with the versions each part exists in, infers the
types that only examples show, and turns every example into a fixture. It is pure: records in,
a ``BuildResult`` out, nothing printed and nothing raised for bad input.

The steps, in the order they run: ``pages`` (which records are one page, and the copy read),
``fixtures`` (examples to fixtures), ``merge`` (v1.0 and beta into one item), ``infer``
(types only examples show); ``text`` holds the small helpers they share, and ``update`` the
incremental contract (``skeleton``, and redoing the parts that changed pages feed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from extractor.gcpause import gc_paused
from extractor.reconcile.fixtures import _fixture_ids, _page_fixtures
from extractor.reconcile.infer import _infer_types
from extractor.reconcile.merge import _enum, _enum_sources, _operation
from extractor.reconcile.names import (
    Names,
    canonical,
    resolve_fixtures,
    resolve_operation,
    resolve_type,
)
from extractor.reconcile.pages import _pages
from extractor.reconcile.text import _diag
from extractor.reconcile.typenames import TypeNames, type_names
from extractor.reconcile.types import _type_block
from extractor.reconcile.update import skeleton, update_parts
from extractor.schema import (
    BuildResult,
    Diagnostic,
    Fixture,
    PageRecord,
    SpecEnumDef,
    SpecOperation,
    SpecTypeDef,
    UnifiedSpec,
)

__all__ = [
    "Reconciliation",
    "reconcile",
    "reconciliation",
    "skeleton",
]


@dataclass
class _PageInfo:
    """What a reconciliation keeps of a page to redo its part without the other records."""

    version: str | None
    kind: str
    key: str
    name: str
    display: str  # the chosen copy's path
    copies: list[str]  # the paths of the copies that say the same (the chosen one included)
    op_id: str | None
    members: int
    fixture_ids: list[str]


@dataclass
class Reconciliation:
    """The spec's parts by what they were made from, so that ``update`` can redo only the
    parts that read a changed page; ``result`` assembles them as ``reconcile`` returns them.

    A change that keeps a page's ``skeleton`` (what the parts read across pages: identities,
    ids, type names, references) changes the parts that page feeds and nothing else.
    """

    pages: list[_PageInfo]
    page_of: dict[str, int]  # the chosen copy's path: its page
    names: Names  # every type and enum name's spelling
    op_members: dict[str, dict[str, list[int]]]  # operation id: version: pages, first speaks
    type_names: TypeNames  # each version's type names, as operations' types resolve (merge)
    type_members: dict[str, dict[str, list[int]]]  # type (its spelling): version: pages
    enum_members: dict[str, dict[str, list[int]]]
    operations: dict[str, SpecOperation]
    op_diagnostics: dict[str, list[Diagnostic]]
    types: dict[str, SpecTypeDef]
    type_diagnostics: dict[str, list[Diagnostic]]
    enums: dict[str, SpecEnumDef]
    inferred: list[SpecTypeDef]
    fixtures: list[list[Fixture]]  # by page
    page_diagnostics: list[Diagnostic]  # grouping, versions and inference: cross-page
    record_diagnostics: dict[str, list[Diagnostic]]

    def result(self) -> BuildResult:
        fixtures = sorted((f for page in self.fixtures for f in page), key=lambda f: f.id)
        diagnostics = [
            *self.page_diagnostics,
            *(d for op_id in sorted(self.op_diagnostics) for d in self.op_diagnostics[op_id]),
            *(d for name in sorted(self.type_diagnostics) for d in self.type_diagnostics[name]),
            *(d for path in sorted(self.record_diagnostics) for d in self.record_diagnostics[path]),
        ]
        unique = {
            (d.path, d.line or 0, d.rule, d.message, d.severity, d.line is None): d
            for d in diagnostics
        }
        types = sorted([*self.types.values(), *self.inferred], key=lambda t: t.name)
        return BuildResult(
            spec=UnifiedSpec(
                operations=[self.operations[op_id] for op_id in sorted(self.operations)],
                types=types,
                enums=[self.enums[name] for name in sorted(self.enums)],
            ),
            fixtures=fixtures,
            diagnostics=[unique[key] for key in sorted(unique)],
        )

    def inferred_keys(self) -> frozenset[str]:
        """Casefolded names of the types inferred from examples (see ``skeleton``)."""
        return frozenset(t.name.casefold() for t in self.inferred)

    def update(
        self,
        changed: Iterable[PageRecord],
        skeletons: Mapping[str, str],
        load: Callable[[str], PageRecord],
    ) -> Reconciliation | None:
        """This reconciliation with changed pages' new records, redoing only the parts
        they feed. ``skeletons`` holds the skeletons of the records it was made from, and
        ``load`` gives the record of an unchanged page, by path. ``None`` when a
        change reaches across pages (a new or removed page, an id, a type name, a
        reference, several copies of a page, an example of an inferred type): then only a
        whole ``reconcile`` gives the right answer."""
        return update_parts(self, changed, skeletons, load)


@gc_paused()
def reconciliation(records: Iterable[PageRecord]) -> Reconciliation:
    """The spec's parts from page records of any locale (see ``Reconciliation``)."""
    records = list(records)
    pages, page_diagnostics = _pages(records)
    for page in pages:
        if page.version is None and page.kind in {"api", "resource", "enum"}:
            page_diagnostics.append(
                _diag(
                    "page-without-version",
                    "info",
                    page.path,
                    None,
                    "no API version could be determined; the page is left out of the spec",
                )
            )
    fixture_ids = _fixture_ids(pages)
    versioned = [(page.version, page) for page in pages if page.version is not None]
    names = Names(
        types=canonical(p.record.type.name for _, p in versioned if p.record.type is not None),
        enums=canonical(e.name for _, p in versioned for e in p.record.enums),
    )
    known = set(names.types) | set(names.enums)
    inferred, found = _infer_types([page for _, page in versioned], known)
    page_diagnostics.extend(found)
    names.inferred = {t.name.casefold(): t.name for t in inferred}
    for typedef in inferred:
        resolve_type(typedef, names)
    fixtures = [
        resolve_fixtures(_page_fixtures(page, ids), names)
        for page, ids in zip(pages, fixture_ids, strict=True)
    ]
    index_of = {id(page): index for index, page in enumerate(pages)}

    op_members: dict[str, dict[str, list[int]]] = {}
    for version, page in versioned:
        if page.op_id is not None:
            op_members.setdefault(page.op_id, {}).setdefault(version, []).append(index_of[id(page)])
    for by_version in op_members.values():
        for indexes in by_version.values():
            indexes.sort(key=lambda index: (pages[index].rank, index))
    examples: dict[str, list[str]] = {}
    for page_fixtures in fixtures:
        for fixture in page_fixtures:
            if fixture.operation is not None and fixture.version is not None:
                examples.setdefault(fixture.operation, []).append(fixture.id)
    operations: dict[str, SpecOperation] = {}
    op_diagnostics: dict[str, list[Diagnostic]] = {}
    spelled = type_names(page for _, page in versioned)
    for op_id in sorted(op_members):
        found = []
        members = {v: [pages[i] for i in idx] for v, idx in op_members[op_id].items()}
        operation = _operation(op_id, members, found, spelled, names.defines)
        operation = resolve_operation(operation, names)
        operation.examples = sorted(examples.get(op_id, []))
        operations[op_id], op_diagnostics[op_id] = operation, found

    type_members: dict[str, dict[str, list[int]]] = {}
    enum_members: dict[str, dict[str, list[int]]] = {}
    for version, page in versioned:
        index = index_of[id(page)]
        if page.record.type is not None:
            name = names.types[page.record.type.name.casefold()]
            type_members.setdefault(name, {}).setdefault(version, []).append(index)
        for key in dict.fromkeys(definition.name.casefold() for definition in page.record.enums):
            enum_members.setdefault(names.enums[key], {}).setdefault(version, []).append(index)
    types: dict[str, SpecTypeDef] = {}
    type_diagnostics: dict[str, list[Diagnostic]] = {}
    for name in sorted(type_members):
        candidates = {v: [pages[i] for i in found] for v, found in type_members[name].items()}
        typedef, type_diagnostics[name] = _type_block(name, candidates)
        types[name] = resolve_type(typedef, names)
    enums = {
        name: _enum(name, _enum_sources(name, enum_members[name], pages.__getitem__))
        for name in sorted(enum_members)
    }
    infos = [
        _PageInfo(
            page.version,
            page.kind,
            page.key,
            page.name,
            page.path,
            [copy.source.path for copy in page.copies],
            page.op_id,
            page.members,
            ids,
        )
        for page, ids in zip(pages, fixture_ids, strict=True)
    ]
    page_of = {page.path: index for index, page in enumerate(pages)}
    record_diagnostics: dict[str, list[Diagnostic]] = {}
    for record in records:
        record_diagnostics.setdefault(record.source.path, []).extend(record.diagnostics)
    return Reconciliation(
        pages=infos,
        page_of=page_of,
        names=names,
        op_members=op_members,
        type_names=spelled,
        type_members=type_members,
        enum_members=enum_members,
        operations=operations,
        op_diagnostics=op_diagnostics,
        types=types,
        type_diagnostics=type_diagnostics,
        enums=enums,
        inferred=inferred,
        fixtures=fixtures,
        page_diagnostics=page_diagnostics,
        record_diagnostics=record_diagnostics,
    )


def reconcile(records: Iterable[PageRecord]) -> BuildResult:
    """The unified spec, the fixtures and every diagnostic, from page records of any locale."""
    return reconciliation(records).result()
