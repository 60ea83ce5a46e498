"""Read resource pages into types, and enum pages (and enum tables anywhere) into enums."""

from __future__ import annotations

import re

from extractor.models import EnumDef, Example, TypeDef
from extractor.pages.context import PageContext, section_key
from extractor.pages.tables import is_member_table, read_members, read_typed_rows
from extractor.typeref import qualify

_TYPE_TITLE = re.compile(
    r"^\s*([A-Za-z_][\w.]*)\s+(?:resource\s+type|resource|complex\s+type|entity\s+type|type|"
    r"object)\b",
    re.IGNORECASE,
)
_ENUM_TITLE = re.compile(r"^\s*([A-Za-z_][\w.]*)\s+(?:enum(?:eration)?\s*(?:type)?|values)\b", re.I)
_INHERITS = re.compile(r"[Ii]nherits from \[([A-Za-z_][\w.]*)\]\(([^)]*)\)")


def _type_name(ctx: PageContext, title: str, slug: str | None, examples: list[Example]) -> str:
    for example in examples:
        if example.role == "resource":
            annotation = example.annotation
            odata = str(annotation.get("@odata.type") or annotation.get("@type") or "").lstrip("#")
            if odata:
                return odata if odata.startswith("microsoft.") else qualify(odata, ctx.namespace)
    match = _TYPE_TITLE.match(title)
    if match:
        return qualify(match.group(1), ctx.namespace)
    first_word = (slug or title or "unknown").split("-")[0].split()[0]
    return qualify(first_word, ctx.namespace)


def read_type(
    ctx: PageContext, title: str, slug: str | None, description: str, examples: list[Example]
) -> TypeDef:
    annotation: dict[str, object] = next(
        (example.annotation for example in examples if example.role == "resource"), {}
    )
    properties = []
    relationships = []
    for index, heading in enumerate(ctx.doc.headings):
        key = section_key(heading)
        if not (key.startswith("properties") or key.startswith("relationships")):
            continue
        target = relationships if key.startswith("relationships") else properties
        for block in ctx.doc.section_blocks(index):
            if block.kind == "table" and block.table is not None:
                for item in read_typed_rows(ctx, block.table, positional=True):
                    if all(existing.name != item.name for existing in target):
                        target.append(item)
    base = annotation.get("baseType")
    base_type = str(base).lstrip("#") if base else None
    if base_type is None:
        for block in ctx.doc.blocks:
            match = _INHERITS.search(block.text) if block.kind == "paragraph" else None
            if match:
                base_type = qualify(match.group(1), ctx.namespace)
                break
    key = annotation.get("keyProperty")
    entity = bool(key) or bool(relationships) or base_type == "microsoft.graph.entity"
    return TypeDef(
        name=_type_name(ctx, title, slug, examples),
        kind="entity" if entity else "complex",
        base_type=base_type,
        key=str(key) if key else None,
        abstract=annotation.get("abstract") is True,
        open_type=annotation.get("openType") is True,
        description=description,
        properties=properties,
        relationships=relationships,
    )


def read_enums(ctx: PageContext, title: str, page_is_enum: bool) -> list[EnumDef]:
    """Enum tables: one per enum page, or one per ``### xyz values`` section anywhere."""
    enums: list[EnumDef] = []
    for block in ctx.doc.blocks:
        if block.kind != "table" or block.table is None or not is_member_table(block.table):
            continue
        heading = ctx.doc.headings[block.section] if block.section >= 0 else None
        name_source = heading.title if heading is not None else title
        match = _ENUM_TITLE.match(name_source)
        if match is None and page_is_enum and len(ctx.doc.headings) > 0:
            match = _ENUM_TITLE.match(title)
        if match is None:
            ctx.report("enum-unnamed", "info", block.line, "member table without an enum name")
            continue
        name = qualify(match.group(1), ctx.namespace)
        members = read_members(block.table)
        if not members or any(existing.name == name for existing in enums):
            continue
        enums.append(EnumDef(name=name, members=members))
    return enums
