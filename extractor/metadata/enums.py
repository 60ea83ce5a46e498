"""Enums: the docs' enums and their members against the metadata's.

Members are matched by name (exactly, else ignoring case); a value is compared when the docs
give one. Whether an enum is a flags enum matters for members that use it (see
``align.Context.collection_agrees``), not here: the docs do not say it.
"""

from __future__ import annotations

from extractor.metadata.align import Context, Where
from extractor.metadata.docs import DocsEnum
from extractor.metadata.findings import Tally


def align_enums(context: Context) -> None:
    csdl, out = context.csdl, context.out
    tally, members = context.tally("enums"), context.tally("enumMembers")
    tally.metadata = len(csdl.enums)
    matched: set[str] = set()
    for docs in context.docs.enums:
        tally.docs += 1
        page = docs.page
        short = docs.name.rpartition(".")[2]
        where = context.section_line(page, f"{short} values", short)
        element = ("enums", docs.name)
        found, spelling = context.resolve(docs.name)
        if found is None or found in csdl.types:
            out.add(
                "type-kind-differs" if found else "enum-not-in-metadata",
                element,
                where,
                f"enum {docs.name}",
                f"{csdl.types[found].kind} type {found}" if found else "no enum of that name",
                f"{docs.name} is a structured type in the metadata"
                if found
                else f"{docs.name} is not in the metadata",
            )
            continue
        tally.docs_found += 1
        matched.add(found)
        if spelling is not None:
            out.add(spelling, element, where, docs.name, found, f"the metadata names it {found}")
        else:
            tally.agreeing += 1
        _enum_members(context, docs, found, where, members)
    tally.metadata_found = len(matched)
    for name in sorted(set(csdl.enums) - matched):
        out.add(
            "metadata-enum-not-in-docs",
            ("enums", name),
            (None, None),
            "no page defines it",
            f"enum {name}",
            f"no page of {context.version} defines {name}",
        )


def _enum_members(context: Context, docs: DocsEnum, name: str, where: Where, tally: Tally) -> None:
    out, meta = context.out, context.csdl.enums[name]
    values = {m.name: m for m in meta.members}
    folded = {m.name.casefold(): m for m in reversed(meta.members)}
    listed: set[str] = set()
    for member, value in docs.members:
        tally.docs += 1
        element = ("enums", docs.name, "members", member)
        found = values.get(member) or folded.get(member.casefold())
        if found is None:
            out.add(
                "enum-member-not-in-metadata",
                element,
                where,
                member,
                f"not a member of {name}",
                f"{name} has no member {member}",
            )
            continue
        tally.docs_found += 1
        listed.add(found.name)
        before = len(out.findings)
        if found.name != member:
            out.add(
                "enum-member-name-case",
                element,
                where,
                member,
                found.name,
                f"the metadata spells it {found.name}",
            )
        said = _int(value)
        if said is not None and found.value is not None and said != found.value:
            out.add(
                "enum-member-value-differs",
                element,
                where,
                str(said),
                str(found.value),
                f"{member} is {said} in the docs, {found.value} in the metadata",
            )
        tally.agreeing += len(out.findings) == before
    tally.metadata += len(meta.members)
    tally.metadata_found += len(listed)
    for declared in meta.members:
        if declared.name not in listed:
            out.add(
                "enum-member-missing",
                ("enums", docs.name, "members", declared.name),
                where,
                "not listed",
                f"member {declared.name} = {declared.value}",
                f"the metadata's {name} has {declared.name}; the docs do not list it",
            )


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None
