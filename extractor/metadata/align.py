"""The docs of one version held against one metadata file, element by element.

``align`` is a pure function of the spec, the version and the CSDL (plus, when the pages were
read, their lines and request examples). Names are matched exactly first and ignoring case
second, and a case-only difference is a finding of its own. Inheritance counts on both sides:
a member the docs list on a type agrees when the metadata declares it on that type or any of
its base types, and a member the metadata declares on a type is documented when the page of
that type, or of any base type the docs name, lists it.

This module aligns types and members; ``enums``, ``operations`` and ``paths`` do the rest.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from extractor.metadata.csdl import Csdl, Member, StructuredType, TypeRef
from extractor.metadata.docs import (
    DocsMember,
    DocsType,
    DocsView,
    PageLines,
    RequestExample,
)
from extractor.metadata.findings import Alignment, Tally
from extractor.schema import UnifiedSpec

Where = tuple[str | None, int | None]
EDM_STRING = "Edm.String"


def align(
    spec: UnifiedSpec | Mapping[str, Any],
    version: str,
    csdl: Csdl,
    lines: PageLines | None = None,
    examples: Iterable[RequestExample] = (),
) -> Alignment:
    """Every disagreement between the spec's ``version`` and ``csdl``, and the counts;
    ``spec`` is the spec or its JSON form (as spec.json holds it)."""
    from extractor.metadata.enums import align_enums
    from extractor.metadata.operations import align_operations
    from extractor.metadata.paths import align_paths

    data = spec.model_dump(mode="json", by_alias=True) if isinstance(spec, UnifiedSpec) else spec
    context = Context(DocsView.of(data, version), version, csdl, lines)
    if lines is None:
        context.out.notes.append(
            "lines: the spec carries the page of each element but no line below it; "
            "run on the pages for lines"
        )
    align_types(context)
    align_enums(context)
    align_paths(context)  # first: it finds the operations the docs' paths reach
    align_operations(context, [e for e in examples if e.version == version])
    return context.out


@dataclass
class Context:
    """One alignment's inputs, indexes and output."""

    docs: DocsView
    version: str
    csdl: Csdl
    lines: PageLines | None
    out: Alignment = field(init=False)
    #: member name (casefolded): the metadata types declaring it
    declared: dict[str, list[str]] = field(init=False, default_factory=dict)
    #: last part of a name (casefolded): the metadata types and enums named so
    short_names: dict[str, list[str]] = field(init=False, default_factory=dict)
    #: metadata type: the page of the docs type matched with it
    type_pages: dict[str, str | None] = field(init=False, default_factory=dict)
    #: metadata operation (binding, name): a docs operation whose path reaches it, with
    #: its page and line and the path (see ``paths``)
    reached_operations: dict[tuple[str, str], tuple[str, Where, str]] = field(
        init=False, default_factory=dict
    )
    #: docs operation id: the metadata operations (binding, name) its request paths reach
    path_operations: dict[str, set[tuple[str, str]]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.out = Alignment(self.version, self.csdl.source)
        for name, typedef in sorted(self.csdl.types.items()):
            for member in typedef.members:
                self.declared.setdefault(member.name.casefold(), []).append(name)
        for name in sorted([*self.csdl.types, *self.csdl.enums]):
            self.short_names.setdefault(name.rpartition(".")[2].casefold(), []).append(name)

    def tally(self, category: str) -> Tally:
        return self.out.tallies[category]

    def page_line(self, page: str | None) -> Where:
        return page, self.lines.page(page) if self.lines is not None else None

    def member_line(self, page: str | None, kind: str, name: str) -> Where:
        return page, self.lines.member(page, kind, name) if self.lines is not None else None

    def section_line(self, page: str | None, *titles: str) -> Where:
        return page, self.lines.section(page, *titles) if self.lines is not None else None

    def resolve(self, name: str) -> tuple[str | None, str | None]:
        """The metadata's type or enum for a docs name, and the rule its spelling breaks:
        exact, else ignoring case (``type-name-case``), else the one type of that name in
        another namespace (``type-namespace-differs``)."""
        found = self.csdl.find(name)
        if found is not None:
            return found, None if found == name else "type-name-case"
        others = self.short_names.get(name.rpartition(".")[2].casefold(), [])
        if len(others) == 1:
            return others[0], "type-namespace-differs"
        return None, None

    def type_rule(
        self, docs: str | None, alternatives: Sequence[str], meta: TypeRef, differs: str
    ) -> str | None:
        """The rule a docs type breaks against the metadata's (None when they agree);
        ``differs`` is the area's own rule for types that are simply not the same."""
        candidates = [docs, *alternatives] if docs is not None else list(alternatives)
        underlying = self.csdl.type_definitions.get(meta.name)
        if meta.name in candidates or (underlying is not None and underlying in candidates):
            return None
        if docs is None:
            return "docs-type-missing"
        if meta.name.casefold() in {c.casefold() for c in candidates}:
            return "type-ref-case"
        if docs == EDM_STRING and meta.name in self.csdl.enums:
            return "string-for-enum"
        if docs.rpartition(".")[2].casefold() == meta.name.rpartition(".")[2].casefold():
            return "type-ref-namespace"
        return differs

    def compare_types(
        self,
        tally: Tally,
        element: tuple[str, ...],
        where: Where,
        item: DocsMember,
        meta: TypeRef,
        differs: str,
        collection_differs: str,
    ) -> None:
        """The type and collection findings on a matched member or parameter, counted in
        ``tally`` when the docs give a type."""
        said = type_text(item.type, item.collection)
        rule = self.type_rule(item.type, item.alternatives, meta, differs)
        collection = self.collection_agrees(item.collection, meta)
        if item.type is not None:
            tally.typed += 1
            tally.types_agree += rule is None and collection
        message = f"{item.name} is {said} in the docs, {meta} in the metadata"
        if rule is not None:
            self.out.add(rule, element, where, said, str(meta), message)
        if not collection:
            self.out.add(collection_differs, element, where, said, str(meta), message)

    def collection_agrees(self, docs: bool, meta: TypeRef) -> bool:
        """A flags enum holds a set of values in one: the docs may call it a collection."""
        if docs == meta.collection:
            return True
        enum = self.csdl.enums.get(meta.name)
        return docs and enum is not None and enum.flags


_KINDS = {"properties": "property", "relationships": "relationship"}


def closest(name: str, candidates: Iterable[str], prefix: str = "; closest: ") -> str:
    """A hint for a name one side lacks: the other side's nearest name (a plural, a typo,
    another case), so that a reader sees the two findings are one difference."""
    folded = {candidate.casefold(): candidate for candidate in candidates}
    found = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.88)
    return f"{prefix}{folded[found[0]]}" if found else ""


def twin(name: str, names: Mapping[str, object], prefix: str = "; closest: ") -> str:
    """The other side's name for a type that differs by a plural ``s`` (``items`` and
    ``item``): the two findings are then one difference."""
    for other in (name + "s", name.removesuffix("s")):
        if other != name and other in names:
            return f"{prefix}{other}"
    return ""


def type_text(name: str | None, collection: bool) -> str:
    shown = name or "(no type)"
    return f"Collection({shown})" if collection else shown


# --- types and members -------------------------------------------------------------------


def align_types(context: Context) -> None:
    csdl, out = context.csdl, context.out
    matched: set[str] = set()
    tally = context.tally("types")
    tally.metadata = len(csdl.types)
    for name in sorted(context.docs.types):
        docs = context.docs.types[name]
        tally.docs += 1
        page = docs.page
        where = context.page_line(page)
        element = ("types", name)
        found, spelling = context.resolve(name)
        if found is None or found in csdl.enums:
            out.add(
                "type-kind-differs" if found else "type-not-in-metadata",
                element,
                where,
                f"{docs.kind} type {name}",
                f"enum {found}"
                if found
                else "no entity, complex or enum type of that name" + twin(name, csdl.types),
                f"{name} is an enum in the metadata" if found else f"{name} is not in the metadata",
            )
            continue
        tally.docs_found += 1
        matched.add(found)
        context.type_pages.setdefault(found, page)
        meta = csdl.types[found]
        findings = len(out.findings)
        if spelling is not None:
            out.add(spelling, element, where, name, found, f"the metadata names this type {found}")
        if docs.kind != meta.kind:
            out.add(
                "type-kind-differs",
                element,
                where,
                f"{docs.kind} type",
                f"{meta.kind} type",
                f"{name} is an {docs.kind} type in the docs, a {meta.kind} type in the metadata",
            )
        if len(out.findings) == findings:
            tally.agreeing += 1
        _base_type(context, docs, meta, where)
        _members(context, docs, meta, page)
    tally.metadata_found = len(matched)
    for name in sorted(set(csdl.types) - matched):
        out.add(
            "metadata-type-not-in-docs",
            ("types", name),
            (None, None),
            "no page defines it" + twin(name, context.docs.types, "; a page defines "),
            f"{csdl.types[name].kind} type {name}",
            f"no page of {context.version} defines {name}",
        )


def _base_type(context: Context, docs: DocsType, meta: StructuredType, where: Where) -> None:
    tally = context.tally("baseTypes")
    tally.docs += 1
    tally.docs_found += 1
    said, base = docs.base_type, meta.base_type
    element = ("types", docs.name, "baseType")
    if said == base:
        tally.agreeing += 1
        return
    if said is None:
        rule, message = "base-type-not-in-docs", f"the page names no base type; the metadata {base}"
    elif base is None:
        rule, message = "base-type-not-in-metadata", f"the metadata's {meta.name} has no base type"
    elif said.casefold() == base.casefold():
        rule, message = "type-ref-case", f"the metadata spells the base type {base}"
    else:
        rule = "base-type-differs"
        further = " (a base type further up)" if said in context.csdl.ancestors(base) else ""
        message = f"the page names {said}{further}, the metadata {base}"
    context.out.add(rule, element, where, said or "(none)", base or "(none)", message)


def _docs_chain(context: Context, docs: DocsType) -> list[DocsType]:
    """The docs type and the documented base types its pages name, most derived first."""
    chain = [docs]
    base = context.docs.types.get(docs.base_type or "")
    while base is not None and base not in chain:
        chain.append(base)
        base = context.docs.types.get(base.base_type or "")
    return chain


def _members(context: Context, docs: DocsType, meta: StructuredType, page: str | None) -> None:
    csdl, out, tally = context.csdl, context.out, context.tally("members")
    available = csdl.members_of(meta.name)
    folded = {name.casefold(): name for name in reversed(list(available))}
    listed: list[tuple[str, DocsMember]] = [
        *(("properties", p) for p in docs.properties),
        *(("relationships", p) for p in docs.relationships),
    ]
    documented = {
        m.name.casefold(): m.name
        for t in _docs_chain(context, docs)
        for m in (*t.properties, *t.relationships)
    }
    # hints pair what one side lacks with what the other side has unmatched
    unlisted = [name for name in available if name.casefold() not in documented]
    unknown = [name for key, name in documented.items() if key not in folded]
    for kind, member in listed:
        tally.docs += 1
        element = ("types", docs.name, kind, member.name)
        where = context.member_line(page, kind, member.name)
        found = available.get(member.name) or available.get(folded.get(member.name.casefold(), ""))
        if found is None:
            owners = context.declared.get(member.name.casefold(), [])
            elsewhere = f"; declared on {', '.join(owners[:3])}" if owners else ""
            out.add(
                "docs-member-not-in-metadata",
                element,
                where,
                f"{_KINDS[kind]} {member.name}: {type_text(member.type, member.collection)}",
                f"not on {meta.name} or its base types{elsewhere}{closest(member.name, unlisted)}",
                f"{docs.name} lists {member.name}; the metadata has no such member",
            )
            continue
        tally.docs_found += 1
        if _compare_member(context, element, where, kind, member, *found):
            tally.agreeing += 1
    for declared in meta.members:
        tally.metadata += 1
        if declared.name.casefold() in documented:
            tally.metadata_found += 1
            continue
        kind = "relationships" if declared.navigation else "properties"
        out.add(
            "metadata-member-not-in-docs",
            ("types", docs.name, kind, declared.name),
            context.section_line(page, kind.capitalize(), "Properties"),
            "not listed" + closest(declared.name, unknown, "; the page lists "),
            f"{'navigation property' if declared.navigation else 'property'} "
            f"{declared.name}: {declared.type}",
            f"the metadata declares {declared.name} on {meta.name}; the page does not list it",
        )


def _compare_member(
    context: Context,
    element: tuple[str, ...],
    where: Where,
    kind: str,
    member: DocsMember,
    meta: Member,
    owner: str,
) -> bool:
    """Findings on one matched member; True when there are none."""
    out, tally = context.out, context.tally("members")
    before = len(out.findings)
    if member.name != meta.name:
        out.add(
            "member-name-case",
            element,
            where,
            member.name,
            meta.name,
            f"the metadata spells it {meta.name} (on {owner})",
        )
    if kind == "properties" and meta.navigation:
        out.add(
            "property-is-navigation",
            element,
            where,
            "listed under Properties",
            f"navigation property on {owner}",
            f"{meta.name} is a navigation property of {owner}, a relationship",
        )
    elif kind == "relationships" and not meta.navigation:
        out.add(
            "relationship-is-property",
            element,
            where,
            "listed under Relationships",
            f"structural property on {owner}",
            f"{meta.name} is a structural property of {owner}, not a relationship",
        )
    context.compare_types(
        tally, element, where, member, meta.type, "member-type-differs", "member-collection-differs"
    )
    return len(out.findings) == before
