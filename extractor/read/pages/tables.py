"""Read the docs' tables by what their columns mean, in English or in the page's locale.

Header rows vary (``Property | Type | Description``, ``Parameter name | Value``,
``Member | Value``, ``属性 | 类型 | 说明``), so each column is mapped to a role by keyword
and tables are read by role, never by position alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.read.markdown import Table
from extractor.read.pages.context import PageContext, clean_markdown
from extractor.read.typeref import parse_type_cell
from extractor.schema import EnumMember, Parameter

_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "permission-type": ("permission type", "权限类型", "тип разрешения", "tipo de permissão"),
    "name": (
        "property",
        "property name",
        "parameter",
        "parameter name",
        "name",
        "relationship",
        "relationship name",
        "query parameter",
        "header",
        "attribute",
        "属性",
        "参数",
        "名称",
        "关系",
        "标头",
        "свойство",
        "параметр",
        "имя",
        "название",
        "связь",
        "отношение",
        "заголовок",
        "propriedade",
        "parâmetro",
        "nome",
        "relação",
        "relacionamento",
        "cabeçalho",
    ),
    "member": ("member", "member name", "成员", "элемент", "член", "membro"),
    "type": ("type", "类型", "тип", "tipo", "data type"),
    "value": ("value", "int value", "type value", "值", "значение", "valor"),
    "description": (
        "description",
        "说明",
        "描述",
        "описание",
        "descrição",
        "remarks",
        "notes",
    ),
    "required": ("required", "必需", "必选", "обязательный", "obrigatório", "required?"),
}
_WORD_TO_ROLE = {word: role for role, words in _ROLE_WORDS.items() for word in words}
# No bracket inside, possessive quantifiers: a cell of 100,000 ``[`` stays linear.
_LINK = re.compile(r"\[([^\[\]]*+)\]\([^)\[\]]*+\)")
_DEPRECATED = re.compile(
    r"^\W*deprecated\b|\(deprecated\)|\b(?:is|are|has been|now) deprecated\b", re.IGNORECASE
)
_IDENTIFIER = re.compile(r"@?[A-Za-z_][\w.@-]*")
#: A name cell such as ``autoAdmittedUsers (deprecated)``.
_DEPRECATED_NAME = re.compile(r"\(\s*deprecated\s*\)|\bdeprecated\b", re.IGNORECASE)
_REQUIRED_WORDS = re.compile(r"^\s*(required|optional)\b", re.IGNORECASE)


def _normalize_header(cell: str) -> str:
    text = cell.replace("\u00a0", " ").replace("*", "").replace("`", "").strip().lower()
    return " ".join(text.split())


@dataclass(frozen=True)
class Columns:
    roles: dict[str, int]

    def get(self, row: list[str], role: str) -> str:
        index = self.roles.get(role)
        if index is None or index >= len(row):
            return ""
        return row[index]


def column_roles(table: Table) -> Columns:
    roles: dict[str, int] = {}
    for index, cell in enumerate(table.header):
        role = _WORD_TO_ROLE.get(_normalize_header(cell))
        if role is None and _normalize_header(cell).startswith("permission"):
            role = "permissions" if roles.get("permission-type") is not None else "permission-type"
        if role is not None and role not in roles:
            roles[role] = index
    return Columns(roles)


def is_permission_table(table: Table) -> bool:
    return "permission-type" in column_roles(table).roles


def is_member_table(table: Table) -> bool:
    roles = column_roles(table).roles
    if "member" in roles:
        return True
    return set(roles) <= {"value", "description"} and "value" in roles and "type" not in roles


def is_typed_table(table: Table) -> bool:
    roles = column_roles(table).roles
    return "name" in roles and "type" in roles


def _type_shaped(ctx: PageContext, cell: str) -> bool:
    """A cell that can only be a type: a primitive, ``Json``, a link, or a collection."""
    if "](" in cell or "collection" in cell.lower():
        return True
    ref, problem = parse_type_cell(cell, ctx.namespace)
    return problem is None and ref.type is not None and not ref.type.startswith("microsoft.")


def cells_look_typed(ctx: PageContext, table: Table) -> bool:
    """Rows of names and types under a header that does not say so (``Method | Return Type``
    over a properties table): most first cells are identifiers and most second cells types."""
    if len(table.header) < 2 or not table.rows:
        return False
    good = sum(
        1
        for row in table.rows
        if len(row) >= 2 and _IDENTIFIER.fullmatch(clean_name(row[0])) and _type_shaped(ctx, row[1])
    )
    return good * 5 >= len(table.rows) * 4


def clean_name(cell: str) -> str:
    """A parameter or property name from its cell: no emphasis, code ticks, links or escapes."""
    text = _LINK.sub(r"\1", cell)
    for mark in ("**", "`", "*", "\\"):
        text = text.replace(mark, "")
    text = text.replace("<br>", " ").strip()
    if text.lower().endswith(("(optional)", "(required)")):  # a scan: r"\s*\(...\)\s*$" is
        text = text[: -len("(optional)")].rstrip()  # quadratic on a cell of spaces
    words = text.split(maxsplit=1)
    return words[0] if words else ""


def required_flag(columns: Columns, row: list[str], description: str) -> bool | None:
    cell = columns.get(row, "required").strip().lower().strip("*. ")
    if cell:
        if cell in ("yes", "true", "required", "y", "是", "да", "sim"):
            return True
        if cell in ("no", "false", "optional", "n", "否", "нет", "não"):
            return False
    match = _REQUIRED_WORDS.match(description)
    if match:
        return match.group(1).lower() == "required"
    lowered = description.lower()
    if "required." in lowered or lowered.endswith("required"):
        return True
    if "optional." in lowered or lowered.endswith("optional"):
        return False
    return None


def is_deprecated(description: str) -> bool:
    """Deprecation is marked in prose: ``(Deprecated) ...``, ``This parameter is deprecated``."""
    return bool(_DEPRECATED.search(description))


def _deprecated_name_cell(cell: str, name: str) -> bool:
    """``autoAdmittedUsers (deprecated)``: a mark beside the name (a property may be *named*
    ``deprecated``)."""
    rest = _LINK.sub(r"\1", cell).replace(name, "", 1)
    return bool(_DEPRECATED_NAME.search(rest))


def _flag(description: str, word: str) -> bool | None:
    return True if word in description.lower() else None


_BOLD = re.compile(r"^\s*(\*\*|__)[^*_]+\1\s*$")


def _group_label(row: list[str]) -> bool:
    """``|**Device management**|``: a bold cell alone heads the rows below it, no member."""
    return bool(row) and bool(_BOLD.match(row[0])) and not any(cell.strip() for cell in row[1:])


def _continuation(name_cell: str, type_cell: str) -> bool:
    """A line that goes on with the row above (a line break inside its description cell):
    no type, and words where a name stands ("The value 0 (zero) means ...|")."""
    plain = _LINK.sub(r"\1", name_cell).replace("**", "").replace("`", "").strip()
    return not type_cell.strip() and not _IDENTIFIER.fullmatch(plain)


_NOT_NULLABLE = re.compile(
    r"\b(?:not|non)[\s-]*nullable\b|\bcannot be null\b|\bmust not be null\b", re.IGNORECASE
)


def _nullable(description: str) -> bool | None:
    """What the description says of null: ``Not nullable.`` is False (it also holds the
    word ``nullable``), ``Nullable.`` True, silence None."""
    if _NOT_NULLABLE.search(description):
        return False
    return _flag(description, "nullable")


#: "For each property in the **singleValueExtendedProperties** collection, specify ...".
_FOR_EACH = re.compile(r"^\W*for each\b[^.]*?\bin the \**`?([A-Za-z_]\w*)`?\**", re.IGNORECASE)


def _items_of_collections(items: list[Parameter]) -> list[Parameter]:
    """Rows that describe the items of another row's collection ("For each property in the
    **p** collection, ... Required.") are not required of the body itself."""
    names = {item.name for item in items}
    for item in items:
        match = _FOR_EACH.match(item.description)
        if match and match.group(1) in names and match.group(1) != item.name and item.required:
            item.required = None
    return items


def read_typed_rows(ctx: PageContext, table: Table, *, positional: bool = False) -> list[Parameter]:
    """Rows of a ``Name | Type | Description`` table as parameters (or properties).

    ``positional`` reads an unrecognised header (``Method | Return Type`` over a properties
    table) as name, type, description, for sections where nothing else can stand.
    """
    columns = column_roles(table)
    if positional and not is_typed_table(table):
        ctx.report(
            "table-header-unexpected",
            "info",
            table.line,
            f"header {' | '.join(table.header)!r} read as name | type | description",
        )
        columns = Columns({"name": 0, "type": 1, "description": 2})
    items: list[Parameter] = []
    for row, line in zip(table.rows, table.row_lines, strict=False):
        name = clean_name(columns.get(row, "name"))
        if not name or set(name) <= {"-", ":"} or _group_label(row):
            continue
        type_cell = columns.get(row, "type")
        if items and _continuation(columns.get(row, "name"), type_cell):
            more = clean_markdown(" ".join(cell for cell in row if cell.strip()))
            items[-1].description = f"{items[-1].description} {more}".strip()
            continue
        ref, problem = parse_type_cell(type_cell, ctx.namespace)
        if problem:
            ctx.report(
                "type-cell",
                "info" if ref.type else "warning",
                line,
                f"{name}: {problem} ({type_cell.strip()!r})",
            )
        description = clean_markdown(columns.get(row, "description"))
        name_cell = columns.get(row, "name")
        items.append(
            Parameter(
                name=name,
                type=ref.type,
                collection=ref.collection,
                alternatives=ref.alternatives,
                deprecated=is_deprecated(description) or _deprecated_name_cell(name_cell, name),
                required=required_flag(columns, row, description),
                read_only=_flag(description, "read-only"),
                nullable=_nullable(description),
                description=description,
                line=line,
            )
        )
    return _items_of_collections(items)


def read_members(table: Table) -> list[EnumMember]:
    columns = column_roles(table)
    members: list[EnumMember] = []
    name_role = "member" if "member" in columns.roles else "value"
    for row in table.rows:
        name = clean_name(columns.get(row, name_role))
        if not name:
            continue
        raw_value = columns.get(row, "value").strip() if name_role == "member" else ""
        value: int | str | None = None
        if raw_value:
            value = int(raw_value) if re.fullmatch(r"-?\d+", raw_value) else raw_value
        members.append(
            EnumMember(
                name=name,
                value=value,
                description=clean_markdown(columns.get(row, "description")),
            )
        )
    return members
