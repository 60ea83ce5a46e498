"""Read resource pages into types, and enum pages (and enum tables anywhere) into enums."""

from __future__ import annotations

import re

from extractor.read.markdown import Heading, Table
from extractor.read.pages.context import PageContext, section_key
from extractor.read.pages.tables import (
    cells_look_typed,
    is_member_table,
    is_permission_table,
    is_typed_table,
    read_members,
    read_typed_rows,
)
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
#: "Inherits from [entity](..)", "This type will inherit from [x]", "Derived from [x]",
#: "derives from [x]", "is derived from [**x**]", "is a subtype of [x]", "This creates a
#: subclass from [x]", "Inherits from base
#: class [x]", "It is derived from microsoft.graph.x": the link (or bracketed or qualified
#: name) right after the phrase names the base ("types inherit from this type" names none).
_INHERITS = re.compile(
    r"\b(?:inherits?|inherited|derives?|derived|subtype|subclass)\s+(?:from|of)\s+(?:the\s+)?"
    r"(?:base\s+(?:class|type|resource|entity)\s+(?:type\s+)?)?"
    r"(?:\[\s*\**\s*([A-Za-z_][\w.]*)\s*\**\s*\](?:\([^)]*\))?"
    r"|\b(microsoft\.graph\.[A-Za-z_][\w.]*\w))",
    re.IGNORECASE,
)
#: Where the words about a type start: a sentence, or a clause after a comma ("Used to
#: create a mail threat assessment, derived from [x]").
_CLAUSE = re.compile(r"[.:;!?]\s|,\s*")
#: A sub-heading that names what its tables describe: "Properties of a token lifetime policy
#: definition" describes the policy's JSON definition, not the type's members.
_SUBJECT = re.compile(r"^\s*properties\s+of\s+(?:an?\s+|the\s+)?(.+?)\s*$", re.IGNORECASE)
_EXAMPLE_HEADING = re.compile(r"^\s*examples?\b", re.IGNORECASE)
_MEMBER_SECTIONS = ("properties", "relationships")


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


def _headings_above(ctx: PageContext, section: int) -> list[Heading]:
    """The headings a block sits under, outermost first (the H1 left out)."""
    headings = ctx.doc.headings
    chain: list[Heading] = []
    level = 99
    for index in range(section, -1, -1):
        heading = headings[index]
        if heading.level < level:
            if heading.level > 1:
                chain.append(heading)
            level = heading.level
    chain.reverse()
    return chain


#: Words that may stand before "inherits from" when the sentence is about the page's type.
_SELF_WORDS = frozenset(
    {"this", "the", "it", "is", "a", "an", "type", "resource", "entity", "complex", "object"}
    | {"class", "will", "which", "also", "creates"}  # "This creates a subclass from [x]"
)


_ABSTRACT_SELF = _SELF_WORDS | {"represents", "defines"}


def _base_from_prose(ctx: PageContext, type_name: str | None) -> str | None:
    """The base a paragraph names for the page's own type ("This type inherits from [x]",
    "The **drive** resource is derived from [baseItem]"); a sentence about something else
    ("All the session controls inherit from [x]") names none."""
    own = _squashed(type_name.rsplit(".", 1)[-1]) if type_name else ""
    for block in ctx.doc.blocks:
        if block.kind != "paragraph":
            continue
        for match in _INHERITS.finditer(block.text):
            clause = _CLAUSE.split(block.text[: match.start()])[-1]
            words = re.findall(r"[\w-]+", clause.replace("*", " "))
            if all(w.lower() in _SELF_WORDS or _squashed(w) == own for w in words):
                return qualify(match.group(1) or match.group(2), ctx.namespace)
    return None


#: "This is an abstract type", "An abstract base class containing ...", "The **dataSource**
#: entity is an abstract base class", "This complex type is abstract".
_ABSTRACT = re.compile(r"\babstract\b", re.IGNORECASE)


def _abstract_from_prose(ctx: PageContext, type_name: str | None) -> bool:
    """Whether a paragraph says the page's own type is abstract; a sentence about something
    else ("derived from the [extension] abstract type", "This superclass is abstract") does
    not."""
    own = _squashed(type_name.rsplit(".", 1)[-1]) if type_name else ""
    for block in ctx.doc.blocks:
        if block.kind != "paragraph":
            continue
        for match in _ABSTRACT.finditer(block.text):
            clause = _CLAUSE.split(block.text[: match.start()])[-1]
            words = re.findall(r"[\w-]+", clause.replace("*", " "))
            if all(w.lower() in _ABSTRACT_SELF or _squashed(w) == own for w in words):
                return True
    return False


#: "The **autoAdmittedUsers** property is deprecated.", "The **producers** and
#: **contributors** properties are deprecated." ("will be deprecated" is not yet).
_DEPRECATED_NOTE = re.compile(
    r"\bthe\s+((?:\*\*[\w.@]+\*\*(?:\s*,\s*|\s+and\s+|\s+))+)propert(?:y|ies)\s+"
    r"(?:is|are|has\s+been|have\s+been)\s+(?:now\s+)?deprecated\b",
    re.IGNORECASE,
)


def _deprecated_in_notes(ctx: PageContext, members: list[Parameter]) -> None:
    """Members a note or paragraph says are deprecated, marked so."""
    named: set[str] = set()
    for block in ctx.doc.blocks:
        if block.kind in ("paragraph", "note", "list"):
            for match in _DEPRECATED_NOTE.finditer(block.text):
                named.update(n.casefold() for n in re.findall(r"\*\*([\w.@]+)\*\*", match[1]))
    for member in members:
        if member.name.casefold() in named:
            member.deprecated = True


def _squashed(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _other_subject(chain: list[Heading], type_name: str | None) -> Heading | None:
    """The heading that says its tables describe something other than the type, if any."""
    bare = _squashed(type_name.rsplit(".", 1)[-1]) if type_name else None
    for heading in chain:
        if _EXAMPLE_HEADING.match(heading.title):
            return heading
        match = _SUBJECT.match(heading.title)
        if match and _squashed(match.group(1)) != bare:
            return heading
    return None


def _member_tables(ctx: PageContext, type_name: str | None) -> list[tuple[str, Table, bool]]:
    """Each table of the page that lists the type's members: (part, table, positional).

    A table is a member table because of its header (a name and a type column) or, under a
    Properties or Relationships heading, because its cells are names and types; where it sits
    otherwise does not matter (``controlScore`` has its table under the H1, ``sitePage``
    under "Page Content"). A table under such a heading that is neither, or under a sub-heading
    about something else, is not read, and an info diagnostic names it.
    """
    tables: list[tuple[str, Table, bool]] = []
    for block in ctx.doc.blocks:
        table = block.table
        if block.kind != "table" or table is None:
            continue
        chain = _headings_above(ctx, block.section) if block.section >= 0 else []
        keys = [section_key(heading) for heading in chain]
        nearest = next((k for k in reversed(keys) if k.startswith(_MEMBER_SECTIONS)), None)
        header = table.header[0].strip("* ").lower() if table.header else ""
        if nearest is not None:  # the heading says which, even over a mislabelled header
            part = "relationships" if nearest.startswith("relationships") else "properties"
        else:
            part = "relationships" if header.startswith("relationship") else "properties"
        typed = is_typed_table(table)
        if not typed and nearest is None:
            continue  # not a member table, and nothing says it should be one
        if not typed and (is_member_table(table) or is_permission_table(table)):
            continue  # an enum's members (read as an enum) or permissions
        other = _other_subject(chain, type_name)
        positional = not typed and cells_look_typed(ctx, table)
        if other is not None or not (typed or positional):
            where = f"under {other.title!r}" if other is not None else f"under {chain[-1].title!r}"
            ctx.report(
                "table-not-members",
                "info",
                table.line,
                f"table {' | '.join(table.header)!r} {where} is not read as the type's members",
            )
            continue
        tables.append((part, table, positional))
    return tables


def read_type(
    ctx: PageContext, title: str, slug: str | None, description: str, examples: list[Example]
) -> TypeDef | None:
    annotation: dict[str, object] = next(
        (example.annotation for example in examples if example.role == "resource"), {}
    )
    name = _type_name(ctx, title, slug, examples)
    properties: list[Parameter] = []
    relationships: list[Parameter] = []
    seen: dict[str, set[str]] = {"properties": set(), "relationships": set()}
    for part, table, positional in _member_tables(ctx, name):
        target = relationships if part == "relationships" else properties
        for item in read_typed_rows(ctx, table, positional=positional):
            if item.name not in seen[part]:
                seen[part].add(item.name)
                target.append(item)
    _restore_localized_names(ctx, properties, examples)
    _deprecated_in_notes(ctx, [*properties, *relationships])
    base = annotation.get("baseType")
    base_type = str(base).lstrip("#") if base else None
    if base_type is None:
        base_type = _base_from_prose(ctx, name)
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
        abstract=annotation.get("abstract") is True or _abstract_from_prose(ctx, name),
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
