"""One spec type from every page that defines it, in every version.

Intune's pages redefine shared types with a member or two (``intune-devices-user.md`` says
``user`` has ``id`` and ``managedDevices``), so a type is often defined by several pages of
one version. Its own page (named after it, else one whose resource annotation declares it,
with the most members) gives the title, description, base type, key and flags; its members
are the union over all its pages, each with the page and line it was read from. Across
versions, each version keeps its own facts (``overrides``; see ``merge._merge_parameters``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from extractor.reconcile.merge import PRIMARY_ORDER, Sourced, _merge_parameters, _type_text
from extractor.reconcile.pages import _Page
from extractor.reconcile.text import _diag, _sources, _text
from extractor.schema import Diagnostic, SpecTypeDef, TypeDef, TypeFacts

_PARTS = ("properties", "relationships")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def _squashed(text: str) -> str:
    return _NOT_ALNUM.sub("", text.casefold())


def _named_after(page: _Page, name: str) -> bool:
    """Whether the page's file is named after the type: ``user.md`` for ``microsoft.graph.user``,
    ``callrecords-session.md`` for ``microsoft.graph.callRecords.session``."""
    stem = page.path.replace("\\", "/").rpartition("/")[2].rpartition(".")[0] or page.path
    short = name.rpartition(".")[2]
    namespaced = name.removeprefix("microsoft.graph.")
    return _squashed(stem) in {_squashed(short), _squashed(namespaced)}


def _annotation(page: _Page) -> dict[str, Any]:
    """The page's resource example's annotation (empty without one)."""
    for example in page.record.examples:
        if example.role == "resource" and isinstance(example.annotation, dict):
            return example.annotation
    return {}


def _declares(page: _Page, name: str) -> bool:
    """Whether the page's resource example's annotation names the type."""
    declared = str(_annotation(page).get("@odata.type", "")).strip().lstrip("#")
    return declared.casefold() == name.casefold()


def _size(page: _Page) -> int:
    typedef = page.record.type
    return len(typedef.properties) + len(typedef.relationships) if typedef is not None else 0


def own_first(name: str, pages: list[_Page]) -> list[_Page]:
    """The pages that define a type in one version, its own page first, then by path."""
    return sorted(
        pages,
        key=lambda p: (
            p.kind != "resource",
            not _named_after(p, name),
            not _declares(p, name),
            -_size(p),
            p.first_path,
            p.name,
        ),
    )


@dataclass
class _Defined:
    """A type as one version's pages define it together."""

    own: TypeDef
    stated: set[str]  # the flags (abstract, open_type) the own page states, true or false
    kind: str
    description: str
    key: str | None
    members: dict[str, list[Sourced]] = field(default_factory=dict)


def _one_version(
    name: str, version: str, pages: list[_Page], diagnostics: list[Diagnostic]
) -> _Defined:
    """The union of the members the pages list, the own page's first; a member another page
    types differently keeps the own page's type, with a warning."""
    defs: list[tuple[_Page, TypeDef]] = []
    for page in pages:
        assert page.record.type is not None  # only the pages that define the type
        defs.append((page, page.record.type))
    own_page, own = defs[0]
    annotation = _annotation(own_page)
    defined = _Defined(
        own=own,
        stated={
            flag
            for flag, key in (("abstract", "abstract"), ("open_type", "openType"))
            if key in annotation or getattr(own, flag)
        },
        kind="entity" if any(d.kind == "entity" for _, d in defs) else own.kind,
        description=_text(d.description for _, d in defs),
        key=next((d.key for _, d in defs if d.key), None),
        members={part: [] for part in _PARTS},
    )
    seen: dict[str, tuple[str, Sourced]] = {}
    for page, typedef in defs:
        added = 0
        for part in _PARTS:
            for param in getattr(typedef, part):
                first = seen.get(param.name.casefold())
                if first is None:
                    seen[param.name.casefold()] = (part, (page.path, param))
                    defined.members[part].append((page.path, param))
                    added += 1
                elif first[1][0] != page.path:
                    _conflict(name, version, param, page.path, first[1], diagnostics)
        if page is not own_page:
            diagnostics.append(
                _diag(
                    "duplicate-type",
                    "info",
                    page.path,
                    None,
                    f"type {name!r} in {version} is defined by its own page {own_page.path} and "
                    f"by this page too; this page's members are merged into it ({added} added)",
                )
            )
    return defined


def _conflict(
    name: str,
    version: str,
    param: Any,
    path: str,
    first: Sourced,
    diagnostics: list[Diagnostic],
) -> None:
    kept_path, kept = first
    if (param.type or "").casefold() == (kept.type or "").casefold() and (
        param.collection == kept.collection
    ):
        return
    diagnostics.append(
        _diag(
            "member-type-conflict",
            "warning",
            path,
            param.line,
            f"{name} ({version}): {param.name!r} is {_type_text(param)} here but "
            f"{_type_text(kept)} on {kept_path}; keeping {_type_text(kept)}",
        )
    )


def _type_facts(defined: dict[str, _Defined]) -> tuple[TypeFacts, list[TypeFacts]]:
    """The primary version's base type and flags, and each other version's where they
    differ; a version whose page names no base type, or whose annotation leaves a flag out
    (and whose prose does not say it), takes the other version's."""
    versions = [v for v in PRIMARY_ORDER if v in defined]
    stated = next((defined[v].own.base_type for v in versions if defined[v].own.base_type), None)

    def flag(version: str, name: str) -> bool:
        for source in [version, *versions]:
            if name in defined[source].stated:
                return bool(getattr(defined[source].own, name))
        return False

    facts = {
        v: TypeFacts(
            versions=[v],
            base_type=defined[v].own.base_type or stated,
            abstract=flag(v, "abstract"),
            open_type=flag(v, "open_type"),
        )
        for v in versions
    }

    def key(fact: TypeFacts) -> tuple[str, bool, bool]:
        return (fact.base_type or "").casefold(), fact.abstract, fact.open_type

    top = facts[versions[0]]
    overrides: dict[tuple[str, bool, bool], TypeFacts] = {}
    for version in versions[1:]:
        if key(facts[version]) != key(top):
            same = overrides.setdefault(key(facts[version]), facts[version])
            if same is not facts[version]:
                same.versions.append(version)
    return top, sorted(overrides.values(), key=lambda o: o.versions)


def _type_block(
    name: str, candidates: dict[str, list[_Page]]
) -> tuple[SpecTypeDef, list[Diagnostic]]:
    """A type from the pages that define it (in any version), with what merging found."""
    diagnostics: list[Diagnostic] = []
    defined: dict[str, _Defined] = {}
    for version in sorted(candidates):
        pages = own_first(name, candidates[version])
        defined[version] = _one_version(name, version, pages, diagnostics)
    primary = next(defined[v] for v in (*PRIMARY_ORDER, *sorted(defined)) if v in defined)
    top, overrides = _type_facts(defined)
    members = {
        part: _merge_parameters(
            {v: d.members[part] for v, d in defined.items()},
            name,
            what,
            "property-type-differs",
            diagnostics,
            origins=True,
        )
        for part, what in (("properties", "property"), ("relationships", "relationship"))
    }
    ordered = [defined[v] for v in PRIMARY_ORDER if v in defined]
    return (
        SpecTypeDef(
            name=name,
            kind="entity" if primary.kind == "entity" else "complex",
            base_type=top.base_type,
            key=next((d.key for d in ordered if d.key), None),
            abstract=top.abstract,
            open_type=top.open_type,
            description=_text(d.description for d in ordered),
            inferred=False,
            overrides=overrides,
            properties=members["properties"],
            relationships=members["relationships"],
            versions=sorted(defined),
            sources=_sources(c for found in candidates.values() for p in found for c in p.copies),
        ),
        diagnostics,
    )
