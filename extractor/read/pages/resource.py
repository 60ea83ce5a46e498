"""Read resource pages into types, and enum pages (and enum tables anywhere) into enums."""

from __future__ import annotations

import re

from extractor.read.pages.context import PageContext, section_key
from extractor.read.pages.tables import is_member_table, read_members, read_typed_rows
from extractor.read.typeref import qualify
from extractor.schema import EnumDef, Example, Parameter, TypeDef

_TYPE_TITLE = re.compile(
    r"^\s*([A-Za-z_][\w.]*)\s+(?:resource\s+type|resource|complex\s+type|entity\s+type|type|"
    r"object)\s*$",
    re.IGNORECASE,
)
_ENUM_TITLE = re.compile(r"^\s*([A-Za-z_][\w.]*)\s+(?:enum(?:eration)?\s*(?:type)?|values)\b", re.I)
_IDENTIFIER = re.compile(r"[A-Za-z_@][\w.@]*")
_ENUM_ANCHOR = re.compile(r"^([a-z0-9_.-]+?)-(?:values|enum(?:-type)?|enumeration-values)$")
_INHERITS = re.compile(r"[Ii]nherits from \[([A-Za-z_][\w.]*)\]\(([^)]*)\)")


def _type_name(
    ctx: PageContext, title: str, slug: str | None, examples: list[Example]
) -> str | None:
    """From the resource annotation, else from a title such as ``call resource type``."""
    for example in examples:
        if example.role == "resource":
            annotation = example.annotation
            odata = str(annotation.get("@odata.type") or annotation.get("@type") or "").lstrip("#")
            if odata:
                return odata if odata.startswith("microsoft.") else qualify(odata, ctx.namespace)
    match = _TYPE_TITLE.match(title)
    if match:
        return qualify(match.group(1), ctx.namespace)
    return None


def read_type(
    ctx: PageContext, title: str, slug: str | None, description: str, examples: list[Example]
) -> TypeDef | None:
    annotation: dict[str, object] = next(
        (example.annotation for example in examples if example.role == "resource"), {}
    )
    properties: list[Parameter] = []
    relationships: list[Parameter] = []
    seen: dict[str, set[str]] = {"properties": set(), "relationships": set()}
    for index, heading in enumerate(ctx.doc.headings):
        key = section_key(heading)
        if not (key.startswith("properties") or key.startswith("relationships")):
            continue
        part = "relationships" if key.startswith("relationships") else "properties"
        target = relationships if part == "relationships" else properties
        for block in ctx.doc.section_blocks(index):
            if block.kind == "table" and block.table is not None:
                for item in read_typed_rows(ctx, block.table, positional=True):
                    if item.name not in seen[part]:
                        seen[part].add(item.name)
                        target.append(item)
    _restore_localized_names(ctx, properties, examples)
    base = annotation.get("baseType")
    base_type = str(base).lstrip("#") if base else None
    if base_type is None:
        for block in ctx.doc.blocks:
            match = _INHERITS.search(block.text) if block.kind == "paragraph" else None
            if match:
                base_type = qualify(match.group(1), ctx.namespace)
                break
    name = _type_name(ctx, title, slug, examples)
    if name is None:
        if properties or relationships:
            ctx.report(
                "type-unnamed",
                "warning",
                None,
                "a properties table, but neither an annotation nor the title names the type",
            )
        return None
    key_property = annotation.get("keyProperty")
    entity = bool(key_property) or bool(relationships) or base_type == "microsoft.graph.entity"
    return TypeDef(
        name=name,
        kind="entity" if entity else "complex",
        base_type=base_type,
        key=str(key_property) if key_property else None,
        abstract=annotation.get("abstract") is True,
        open_type=annotation.get("openType") is True,
        description=description,
        properties=properties,
        relationships=relationships,
    )


def _restore_localized_names(
    ctx: PageContext, properties: list[Parameter], examples: list[Example]
) -> None:
    """Translated property names (``标签`` for ``label``) get the JSON keys left over.

    Wire names are ASCII identifiers; when a page translated some of them, the JSON
    representation still holds the originals: the keys no property claims, in page order.
    """
    foreign = [item for item in properties if not _IDENTIFIER.fullmatch(item.name)]
    representation = next(
        (e.json_value for e in examples if e.role == "resource" and isinstance(e.json_value, dict)),
        None,
    )
    claimed = {item.name for item in properties}
    unclaimed = (
        [key for key in representation if key not in claimed and not key.startswith("@")]
        if representation is not None
        else []
    )
    if not foreign:
        return
    if len(unclaimed) != len(foreign):
        for item in foreign:
            ctx.report(
                "property-name-localized",
                "warning",
                item.line,
                f"property name {item.name!r} is not an identifier (translated?)",
            )
        return
    for item, key in zip(foreign, unclaimed, strict=True):  # both in document order
        ctx.report(
            "property-name-localized",
            "info",
            item.line,
            f"property name {item.name!r} is translated; the JSON representation names it {key!r}",
        )
        item.name = key


def _enum_name(title: str, anchor: str | None) -> str | None:
    """``callType values`` in English; ``callType 值`` with anchor ``calltype-values`` elsewhere."""
    match = _ENUM_TITLE.match(title)
    if match:
        return match.group(1)
    anchor_match = _ENUM_ANCHOR.match(anchor or "")
    if anchor_match:
        wanted = anchor_match.group(1).replace("-", "")
        for token in re.findall(r"[A-Za-z_][\w.]*", title):
            if token.lower() == wanted:
                return token
    return None


def read_enums(ctx: PageContext, title: str, page_is_enum: bool) -> list[EnumDef]:
    """Enum tables: one per enum page, or one per ``### xyz values`` section anywhere."""
    enums: list[EnumDef] = []
    names: set[str] = set()
    h1 = next((h for h in ctx.doc.headings if h.level == 1), None)
    page_name = _enum_name(title, h1.anchor if h1 else None) if page_is_enum else None
    for block in ctx.doc.blocks:
        if block.kind != "table" or block.table is None or not is_member_table(block.table):
            continue
        heading = ctx.doc.headings[block.section] if block.section >= 0 else None
        bare = _enum_name(heading.title, heading.anchor) if heading is not None else None
        if bare is None:
            bare = page_name
        if bare is None:
            ctx.report("enum-unnamed", "info", block.line, "member table without an enum name")
            continue
        name = qualify(bare, ctx.namespace)
        members = read_members(block.table)
        if not members or name in names:
            continue
        names.add(name)
        enums.append(EnumDef(name=name, members=members))
    return enums
