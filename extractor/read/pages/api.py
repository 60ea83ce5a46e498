"""Read an API page into an operation: paths, permissions, headers, parameters, response.

The request syntax (``request``), query parameters (``query``), response (``response``) and
kind and id (``naming``) have modules of their own; this one reads the tables and puts the
operation together."""

from __future__ import annotations

import re

from extractor.read.include import fills_element
from extractor.read.pages.context import PageContext, clean_markdown
from extractor.read.pages.naming import classify, operation_id
from extractor.read.pages.query import merge_query, read_query_parameters
from extractor.read.pages.request import RequestSyntax, read_request_syntax
from extractor.read.pages.response import read_response
from extractor.read.pages.tables import (
    column_roles,
    is_permission_table,
    is_typed_table,
    read_typed_rows,
)
from extractor.schema import Example, Header, Operation, Parameter, Permissions

_PERMISSION_NONE = re.compile(
    r"^\s*(not\s+(supported|applicable|available)|none|n/a|不支持|不适用)", re.I
)
_PERMISSION_SPLIT = re.compile(r"[,，;]|<\s*/?\s*br\s*/?\s*>", re.I)


def _permission_cell(cell: str) -> list[str]:
    """The scopes of one cell: comma, semicolon or ``<br>`` (``</br>``) separated."""
    if _PERMISSION_NONE.match(cell):
        return []
    items = (item.strip().strip("`*.\\ ") for item in _PERMISSION_SPLIT.split(cell))
    return [item for item in items if item and not _PERMISSION_NONE.match(item)]


def _permission_target(label: str) -> str | None:
    if any(word in label for word in ("personal", "个人", "личн", "pessoa")):
        return "delegated_personal"
    if any(word in label for word in ("application", "应用", "прилож", "aplicativo")):
        return "application"
    if any(word in label for word in ("delegated", "委派", "делег", "delega")):
        return "delegated_work"
    return None


def _higher_column(header: list[str]) -> int | None:
    """Today's third column, ``Higher privileged permissions``."""
    for index, cell in enumerate(header):
        if index >= 2 and "higher" in cell.lower():
            return index
    return None


def _permissions(ctx: PageContext) -> Permissions | None:
    """The first permissions table's scopes; None when there is none and the include that
    would hold it was not found (unknown, not "none needed")."""
    permissions = Permissions()
    for block in ctx.doc.blocks:
        if block.kind != "table" or block.table is None or not is_permission_table(block.table):
            continue
        higher = _higher_column(block.table.header)
        for row in block.table.rows:
            target = _permission_target(row[0].lower()) if len(row) >= 2 else None
            if target is None:
                continue
            columns = [(target, row[1])]
            if higher is not None and higher < len(row):
                columns.append((f"{target}_higher", row[higher]))
            for field, cell in columns:
                listed: list[str] = getattr(permissions, field)
                seen = set(listed)
                for value in _permission_cell(cell):
                    if value not in seen:
                        seen.add(value)
                        listed.append(value)
        return permissions  # the first permissions table is the operation's
    if any(fills_element(item.name, item.target) for item in ctx.missing_includes):
        return None
    return permissions


def _headers(ctx: PageContext) -> list[Header]:
    headers: list[Header] = []
    for block in ctx.blocks_of("request-headers", "optional-request-headers"):
        if block.kind != "table" or block.table is None:
            continue
        columns = column_roles(block.table)
        for row in block.table.rows:
            name = row[0].strip().strip("`*_")  # `x`, **x**, _x_ if row else ""
            if not name or name.lower() in ("none", "none.", "无"):
                continue
            description = clean_markdown(
                columns.get(row, "description")
                or columns.get(row, "value")
                or (row[1] if len(row) > 1 else "")
            )
            lowered = description.lower()
            required = (
                True
                if "required" in lowered or "必需" in description
                else (False if "optional" in lowered or "可选" in description else None)
            )
            headers.append(Header(name=name, description=description, required=required))
    return headers


def _parameters(ctx: PageContext) -> list[Parameter]:
    parameters: list[Parameter] = []
    seen: set[str] = set()
    for block in ctx.blocks_of("request-body", "function-parameters", "parameters"):
        if block.kind == "table" and block.table is not None and is_typed_table(block.table):
            for parameter in read_typed_rows(ctx, block.table):
                if parameter.name not in seen:
                    seen.add(parameter.name)
                    parameters.append(parameter)
    return parameters


def _parameters_with(found: list[Parameter], arguments: list[Parameter]) -> list[Parameter]:
    """The page's parameter tables, then the function parameters only its URLs give."""
    known = {parameter.name.casefold() for parameter in found}
    return found + [a for a in arguments if a.name.casefold() not in known]


def _called(examples: list[Example], method: str | None) -> list[str]:
    """The paths the page's example requests of the operation's method call."""
    return [
        example.http.path
        for example in examples
        if example.role == "request"
        and example.http is not None
        and example.http.path
        and example.http.method == method
    ]


def read_operation(
    ctx: PageContext,
    title: str,
    slug: str | None,
    description: str,
    examples: list[Example],
    syntax: RequestSyntax,
) -> Operation:
    method, paths = syntax.method, syntax.paths
    response = read_response(ctx, examples)
    kind, binding, name = classify(title, method, paths, response, ctx.namespace)
    fallback_slug = slug or re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "operation"
    return Operation(
        id=operation_id(
            kind, method, paths, fallback_slug, _called(examples, method), binding, name
        ),
        kind=kind,
        binding_type=binding,
        name=name,
        title=title,
        description=description,
        method=method,
        paths=paths,
        parameters=_parameters_with(_parameters(ctx), syntax.arguments),
        query_parameters=merge_query(read_query_parameters(ctx), syntax.query),
        headers=_headers(ctx),
        response=response,
        permissions=_permissions(ctx),
    )


__all__ = ["RequestSyntax", "read_operation", "read_request_syntax"]
