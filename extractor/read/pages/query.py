"""Query parameters an API page documents: the rows of its query-parameter tables, and the
OData system options its sentences say the method supports (``$select``, ``$filter``, ...).

A sentence that names an option without saying the method lacks it (``does not support
`$select```, ``no support for `$search```) counts as support; a sentence that names none
(``This method supports the OData query parameters``) adds nothing: the spec says what the
page says, and the page does not say which.
"""

from __future__ import annotations

import re

from extractor.read.httpblock.templates import ODATA_OPTIONS
from extractor.read.markdown import Table
from extractor.read.pages.context import PageContext, clean_markdown, section_key
from extractor.read.pages.tables import clean_name, column_roles, required_flag
from extractor.read.typeref import parse_type_cell
from extractor.schema import Parameter

QUERY_SECTIONS = (
    "query-parameters",
    "optional-query-parameters",
    "odata-query-parameters",
    "optional-odata-query-parameters",
)
_OPTION = re.compile(
    r"\$(" + "|".join(ODATA_OPTIONS) + r")\b|`(" + "|".join(ODATA_OPTIONS) + r")`",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\bnot\s+(?:currently\s+|yet\s+)?(?:be\s+)?support|n't\s+support|\bno\s+support"
    r"|\bunsupported\b|\bnot\s+(?:be\s+)?(?:available|allowed|applicable)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`*(\[])|\n+")
_REQUIRED_LEAD = re.compile(r"\brequired\s+query\s+parameters?\b", re.IGNORECASE)
_NAME = re.compile(r"\$?[A-Za-z_][\w.-]*")
_OPTION_TYPES = {"$top": "Edm.Int32", "$skip": "Edm.Int32", "$count": "Edm.Boolean"}


def option_parameter(name: str, line: int | None = None, description: str = "") -> Parameter:
    """An OData system option as a query parameter, typed as OData types it."""
    return Parameter(
        name=name,
        type=_OPTION_TYPES.get(name, "Edm.String"),
        required=False,
        description=description,
        line=line,
    )


def canonical_name(name: str) -> str:
    """``$skipToken`` -> ``$skiptoken``; other names as written."""
    if name.startswith("$"):
        return ODATA_OPTIONS.get(name[1:].lower(), name)
    return name


def _table_rows(ctx: PageContext, table: Table, required: bool | None) -> list[Parameter]:
    """Rows of a table whose first column names parameters (``Name | Value | Description``,
    ``Query parameter | Type | Description``); other tables in the section (values of a
    parameter, vendors for ``$filter``) are not parameters."""
    columns = column_roles(table)
    if columns.roles.get("name") != 0:
        return []
    type_role = "type" if "type" in columns.roles else "value"
    found: list[Parameter] = []
    for row, line in zip(table.rows, table.row_lines, strict=False):
        name = clean_name(columns.get(row, "name"))
        if len(name) > 2 and name[0] == name[-1] == "_":
            name = name[1:-1]  # ``_format_``: emphasis
        if not _NAME.fullmatch(name):
            continue
        name = canonical_name(name)
        description = clean_markdown(columns.get(row, "description"))
        ref, _ = parse_type_cell(columns.get(row, type_role), ctx.namespace)
        flag = required_flag(columns, row, description)
        parameter = option_parameter(name, line, description) if name in _OPTION_TYPES else None
        found.append(
            Parameter(
                name=name,
                type=ref.type or (parameter.type if parameter else None),
                collection=ref.collection,
                required=flag if flag is not None else required,
                description=description,
                line=line,
            )
        )
    return found


def _sentence_options(text: str) -> list[str]:
    """Options the text says are supported, in the order it names them."""
    names: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        if _NEGATION.search(sentence):
            continue
        for match in _OPTION.finditer(sentence):
            name = ODATA_OPTIONS[(match.group(1) or match.group(2)).lower()]
            if name not in names:
                names.append(name)
    return names


_OTHER_TOPICS = re.compile(r"header|body|response|example|permission", re.IGNORECASE)


def _other_topic(ctx: PageContext, section: int) -> bool:
    """A subsection about something else than query parameters (its headers, its body)."""
    if not 0 <= section < len(ctx.doc.headings):
        return False
    return bool(_OTHER_TOPICS.search(section_key(ctx.doc.headings[section])))


def read_query_parameters(ctx: PageContext) -> list[Parameter]:
    """The query parameters of the page's query-parameter sections, tables first."""
    found: dict[str, Parameter] = {}
    options: list[tuple[str, int]] = []
    for index in ctx.sections(*QUERY_SECTIONS):
        key = ctx.doc.headings[index].title
        required: bool | None = False if "optional" in key.lower() else None
        for block in ctx.doc.section_blocks(index):
            if block.section != index and _other_topic(ctx, block.section):
                continue  # "### Optional request headers" under the query section
            if block.kind in ("paragraph", "list", "note"):
                if _REQUIRED_LEAD.search(block.text) and not _NEGATION.search(block.text):
                    required = True
                options += [(name, block.line) for name in _sentence_options(block.text)]
            elif block.kind == "table" and block.table is not None:
                for parameter in _table_rows(ctx, block.table, required):
                    found.setdefault(parameter.name.casefold(), parameter)
    for name, line in options:
        found.setdefault(name.casefold(), option_parameter(name, line))
    return list(found.values())


def merge_query(documented: list[Parameter], from_lines: list[Parameter]) -> list[Parameter]:
    """The section's parameters, completed by the request lines': a name only a request
    line gives is added, and a line's ``required`` fills in where the section says nothing."""
    merged = {parameter.name.casefold(): parameter for parameter in documented}
    order = list(merged)
    for parameter in from_lines:
        name = canonical_name(parameter.name)
        key = name.casefold()
        if key not in merged:
            base = option_parameter(name, parameter.line) if name.startswith("$") else None
            merged[key] = (base or parameter).model_copy(
                update={"name": name, "required": parameter.required}
            )
            order.append(key)
        elif merged[key].required is None:
            merged[key] = merged[key].model_copy(update={"required": parameter.required})
    return [merged[key] for key in order]
