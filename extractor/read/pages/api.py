"""Read an API page into an operation: paths, permissions, headers, parameters, response."""

from __future__ import annotations

import re

from extractor.read.httpblock import parse_request_lines, split_url
from extractor.read.include import fills_element
from extractor.read.markdown import Block
from extractor.read.pages.context import PageContext, clean_markdown
from extractor.read.pages.tables import (
    column_roles,
    is_permission_table,
    is_typed_table,
    read_typed_rows,
)
from extractor.read.typeref import parse_type_cell, qualify
from extractor.schema import (
    Example,
    Header,
    Operation,
    OperationKind,
    Parameter,
    Permissions,
    RequestPath,
    ResponseInfo,
)

_BOUND_TITLE = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*[:：]\s*([A-Za-z_]\w*)")
_DEPRECATED_PATH_NOTE = re.compile(
    r"`(/[^`\s]*)`\s*(?:path|paths|endpoint|route)s?\s+(?:is|are|has been)\s+deprecated",
    re.IGNORECASE,
)
_COLLECTION_OF = re.compile(r"^\s*Collection\(\s*#?([\w.]+)\s*\)\s*$", re.IGNORECASE)
#: "a [callRecording](...) collection": the word after the link, as today's pages say it.
_COLLECTION_AFTER = re.compile(r"^\s*(?:objects?\s+|resources?\s+)?collection\b", re.I)
_STATUS_IN_TEXT = re.compile(r"`\s*(\d{3})\b[^`]*`")
#: Words before a response type's link that make it a collection ("a list of [user](...)").
_COLLECTION_WORDS = ("collection", "list of", "array of", "集合")
#: After a type's link: another type it may be instead ("[user] and/or [group] objects").
_ALTERNATIVE = re.compile(r"\s*(?:objects?\s+)?(?:and/or|or)\s+(?:an?\s+)?\[", re.IGNORECASE)
#: Words before a type's link that name what the response is expanded with, not the response.
_EXPANDED_WITH = re.compile(r"(?:expanded|extended) with (?:the |a |an )?(?:matching )?$")
_STATUS_RETURNED = re.compile(r"returns?\s+(?:an?\s+)?`\s*(\d{3})\b[^`]*`", re.IGNORECASE)
# No bracket inside, possessive quantifiers: a run of ``[a](`` without ``)`` stays linear.
_LINK = re.compile(r"\[([^\[\]]++)\]\(([^)\s\[\]]*+)[^)\[\]]*+\)")
_KIND_WORDS: dict[str, OperationKind] = {
    "create": "create",
    "add": "create",
    "post": "create",
    "upload": "create",
    "get": "get",
    "read": "get",
    "retrieve": "get",
    "list": "list",
    "update": "update",
    "patch": "update",
    "edit": "update",
    "replace": "update",
    "delete": "delete",
    "remove": "delete",
}
_METHOD_KIND: dict[OperationKind, set[str]] = {  # the HTTP methods each kind may use
    "create": {"POST", "PUT"},
    "get": {"GET"},
    "list": {"GET"},
    "update": {"PATCH", "PUT", "POST"},
    "delete": {"DELETE", "POST"},
}
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


def _request_paths(ctx: PageContext) -> tuple[str | None, list[RequestPath], set[int]]:
    sections = ctx.sections("http-request")
    blocks: list[Block] = []
    for index in sections[:1]:
        blocks = ctx.doc.section_blocks(index)
    method: str | None = None
    paths: list[RequestPath] = []
    seen_paths: set[str] = set()
    consumed: set[int] = set()
    deprecated_prefixes: list[str] = []
    for block in blocks:
        if block.kind in ("note", "paragraph", "list"):
            deprecated_prefixes += _DEPRECATED_PATH_NOTE.findall(block.text)
        if block.kind != "fence" or block.fence is None:
            continue
        lines, problems = parse_request_lines(block.fence.content, block.fence.content_line)
        for problem in problems:
            ctx.report("request-line", "info", block.line, problem)
        if not lines:
            continue
        consumed.add(block.line)
        for request in lines:
            if method is None:
                method = request.method
            elif request.method != method:
                ctx.report(
                    "mixed-methods",
                    "info",
                    request.line,
                    f"request lines use {method} and {request.method}",
                )
            path = request.path
            if path.lower().startswith(("http://", "https://")):
                _, _, bare, query = split_url(path)
                path = bare + (f"?{query}" if query else "")
                ctx.report(
                    "request-line-full-url",
                    "info",
                    request.line,
                    f"the request syntax gives a full URL; read as {path}",
                )
            if path not in seen_paths:
                seen_paths.add(path)
                paths.append(RequestPath(path=path, line=request.line))
    for item in paths:
        item.deprecated = any(
            item.path == prefix or item.path.startswith(prefix.rstrip("/") + "/")
            for prefix in deprecated_prefixes
        )
    if sections and not paths:
        ctx.report(
            "no-request-path",
            "warning",
            ctx.doc.headings[sections[0]].line,
            "the HTTP request section lists no request line",
        )
    return method, paths, consumed


def _headers(ctx: PageContext) -> list[Header]:
    headers: list[Header] = []
    for block in ctx.blocks_of("request-headers", "optional-request-headers"):
        if block.kind != "table" or block.table is None:
            continue
        columns = column_roles(block.table)
        for row in block.table.rows:
            name = row[0].strip().strip("`*") if row else ""
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


def _response_text(ctx: PageContext) -> str:
    """Prose of the page's own Response section (level 2), else of every Response section."""
    indexes = ctx.sections("response", exact=True)
    top = [index for index in indexes if ctx.doc.headings[index].level <= 2]
    blocks = [block for index in (top or indexes) for block in ctx.doc.section_blocks(index)]
    return " ".join(block.text for block in blocks if block.kind in ("paragraph", "note", "list"))


def _response(ctx: PageContext, examples: list[Example]) -> ResponseInfo:
    response = ResponseInfo()
    text = _response_text(ctx)
    returned = _STATUS_RETURNED.search(text)
    example_status = next(
        (e.http.status for e in examples if e.role == "response" and e.http and e.http.status),
        None,
    )
    any_code = _STATUS_IN_TEXT.search(text)
    response.statuses = sorted({int(found.group(1)) for found in _STATUS_RETURNED.finditer(text)})
    if returned:
        response.status = int(returned.group(1))
    elif example_status is not None:
        response.status = example_status
    elif any_code:
        response.status = int(any_code.group(1))
    anchor = returned or any_code
    rest = text[anchor.end() if anchor else 0 :]
    for match in _LINK.finditer(rest):
        if "resources/" not in match.group(2) and not match.group(2).endswith(".md"):
            continue
        before = rest[: match.start()].lower()[-40:]
        if _EXPANDED_WITH.search(before):
            continue  # "the object expanded with the matching [extendedProperty]": not the body
        ref, _ = parse_type_cell(match.group(0), ctx.namespace)
        if ref.type and not ref.type.startswith("Edm."):
            if _ALTERNATIVE.match(rest, match.end()):  # "[user] and/or [group]": no one type
                response.collection = any(word in before for word in _COLLECTION_WORDS)
                break
            response.type = ref.type
            after = rest[match.end() :]
            near = after[:16].lower().split(".")[0]  # "a [user](...) object collection"
            response.collection = any(
                word in part for part in (before, near) for word in _COLLECTION_WORDS
            ) or bool(_COLLECTION_AFTER.match(after))
            break
    for example in examples:
        if example.role != "response":
            continue
        odata = str(example.annotation.get("@odata.type", "")).strip().lstrip("#")
        listed = _COLLECTION_OF.fullmatch(odata)
        if listed:  # "Collection(microsoft.graph.callRecording)", "Collection(Edm.String)"
            odata = listed.group(1).strip().lstrip("#")
        qualified = (odata if "." in odata else qualify(odata, ctx.namespace)) if odata else ""
        if odata and odata.lower() != "microsoft.graph.none" and response.type is None:
            response.type = qualified
            response.collection = bool(listed or example.annotation.get("isCollection"))
        elif listed and response.type is not None and response.type.lower() == qualified.lower():
            response.collection = True
        break
    return response


def _kind_and_binding(
    title: str, slug: str | None, method: str | None, namespace: str
) -> tuple[OperationKind, str | None, str | None]:
    bound = _BOUND_TITLE.match(title)
    if bound and bound.group(1).lower() not in _KIND_WORDS:
        kind: OperationKind = "function" if method == "GET" else "action"
        return kind, qualify(bound.group(1), namespace), bound.group(2)
    words = re.findall(r"[a-z]+", title.lower()) or re.findall(r"[a-z]+", (slug or "").lower())
    for word in words[:1]:
        candidate = _KIND_WORDS.get(word)
        if candidate and (method is None or method in _METHOD_KIND[candidate]):
            return candidate, None, None
    return "other", None, None


_LITERAL_KEY = re.compile(r"[0-9a-fA-F-]{16,}|\d+|[0-9a-f]{8}-[0-9a-f-]+", re.IGNORECASE)


_CAST = re.compile(r"microsoft\.graph\.([A-Za-z_]\w*)", re.IGNORECASE)


def path_stem(path: str) -> str:
    """``/groups/{id}/members/$ref`` -> ``groups.members.$ref``: the path without its keys."""
    words = []
    for segment in path.split("?", 1)[0].split("/"):
        word = segment.split("(", 1)[0].strip().strip(":")
        if word and not word.startswith(("{", "<")) and not _LITERAL_KEY.fullmatch(word):
            cast = _CAST.fullmatch(word)
            if cast:  # ``Microsoft.Graph.AgentIdentity``, as ``microsoft.graph.agentIdentity``
                word = f"microsoft.graph.{cast.group(1)[:1].lower()}{cast.group(1)[1:]}"
            words.append(word.replace(" ", ""))
    return ".".join(words)


def operation_id(
    kind: OperationKind,
    binding: str | None,
    name: str | None,
    slug: str,
    method: str | None = None,
    paths: list[RequestPath] | None = None,
) -> str:
    """``call.redirect`` for bound actions; ``<path words>.<kind>`` for the rest.

    Slugs (the H1 anchors) repeat across unrelated pages (``list-members`` for groups, teams
    and channels), while the first live request path says exactly what is operated on.
    """
    if binding and name:
        short = binding.removeprefix("microsoft.graph.")
        return f"{short}.{name}"
    live = [item for item in paths or [] if not item.deprecated] or list(paths or [])
    stem = path_stem(live[0].path) if live else ""
    if not stem:
        return slug
    suffix = kind if kind != "other" else (method or "other").lower()
    return f"{stem}.{suffix}"


def read_operation(
    ctx: PageContext,
    title: str,
    slug: str | None,
    description: str,
    examples: list[Example],
    syntax: tuple[str | None, list[RequestPath]],
) -> Operation:
    method, paths = syntax
    kind, binding, name = _kind_and_binding(title, slug, method, ctx.namespace)
    fallback_slug = slug or re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "operation"
    return Operation(
        id=operation_id(kind, binding, name, fallback_slug, method, paths),
        kind=kind,
        binding_type=binding,
        name=name,
        title=title,
        description=description,
        method=method,
        paths=paths,
        parameters=_parameters(ctx),
        headers=_headers(ctx),
        response=_response(ctx, examples),
        permissions=_permissions(ctx),
    )


def read_request_syntax(ctx: PageContext) -> tuple[str | None, list[RequestPath], set[int]]:
    """Method and paths of the HTTP request section, and the lines of the fences read."""
    return _request_paths(ctx)
