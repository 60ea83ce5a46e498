"""The "HTTP request" sections of an API page: the method, the request paths as templates,
and what the request lines' query strings and function-call arguments say.

Every "HTTP request" section is read (``drive-get`` has one per way to reach a drive). A
query string is never part of a path: a placeholder value (``?startDateTime={start}``) is a
query parameter, required when every request line carries it; a value the page writes out
(``?$expand=manager``) is either an example of an optional parameter, when the page also
gives the path without it, or a value the path fixes (``RequestPath.query``): the page then
shows how to call another operation, and the path is no slot of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.read.httpblock import parse_request_lines, split_url
from extractor.read.httpblock.templates import Argument, QueryItem, query_items, template_path
from extractor.read.markdown import Block
from extractor.read.pages.context import PageContext, section_key
from extractor.schema import Parameter, RequestPath

# A path in backticks, then a word for "deprecated" before the sentence ends: pages without
# English say it in their language (``/app`` 路径已弃用, является устаревшим, foi preterido).
_DEPRECATED_PATH_NOTE = re.compile(
    r"`(/[^`\s]*)`[^`.。;；]{0,40}?"
    r"(?:deprecated|弃用|棄用|устарев|preterid|obsolet|descontinuad|veraltet|非推奨)",
    re.IGNORECASE,
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EXAMPLE_SECTIONS = ("example", "request", "response")


@dataclass
class RequestSyntax:
    """What the HTTP request sections say; ``fences`` are the lines of the fences read as
    syntax only (a fence annotated as an example request stays an example as well)."""

    method: str | None = None
    paths: list[RequestPath] = field(default_factory=list)
    query: list[Parameter] = field(default_factory=list)
    arguments: list[Parameter] = field(default_factory=list)
    fences: set[int] = field(default_factory=set)


@dataclass
class _Line:
    method: str
    path: str
    items: list[QueryItem]
    line: int

    @property
    def fixed(self) -> dict[str, str]:
        return {item.name: item.value for item in self.items if not item.free}


def _argument_type(argument: Argument) -> str | None:
    sample = argument.sample
    if sample is None:
        return None
    if argument.quoted:
        return "Edm.String"
    if sample.lower() in ("true", "false"):
        return "Edm.Boolean"
    if sample.lstrip("-").isdigit():
        return "Edm.Int32"
    return "Edm.Date" if _DATE.fullmatch(sample) else None


def _read_lines(ctx: PageContext, syntax: RequestSyntax) -> tuple[list[_Line], list[str]]:
    """Every request line of every HTTP request section, and the paths notes deprecate."""
    lines: list[_Line] = []
    notes: list[str] = []
    for block in _syntax_blocks(ctx):
        if block.kind in ("note", "paragraph", "list"):
            notes += _DEPRECATED_PATH_NOTE.findall(block.text)
        if block.kind != "fence" or block.fence is None:
            continue
        requests, problems = parse_request_lines(block.fence.content, block.fence.content_line)
        for problem in problems:
            ctx.report("request-line", "info", block.line, problem)
        if not requests:
            continue
        annotation = block.fence.annotation or {}
        if str(annotation.get("blockType", "")).strip().lower() != "request":
            syntax.fences.add(block.line)
        for request in requests:
            lines.append(_line(ctx, request.method, request.path, request.line, syntax))
    return lines, [template_path(note).path for note in notes]


def _syntax_blocks(ctx: PageContext) -> list[Block]:
    """The blocks of every HTTP request section; on a page without one (``site-get`` gives
    its paths under "Get the tenant's root site" and the like), the fences outside the
    examples that hold request lines and nothing else."""
    sections = ctx.sections("http-request")
    if sections:
        return [block for index in sections for block in ctx.doc.section_blocks(index)]
    found = []
    for block in ctx.doc.blocks:
        if block.kind != "fence" or block.fence is None or block.section < 0:
            continue
        key = section_key(ctx.doc.headings[block.section])
        role = str((block.fence.annotation or {}).get("blockType", "")).strip().lower()
        if key.startswith(_EXAMPLE_SECTIONS) or role in ("request", "response"):
            continue
        requests, problems = parse_request_lines(block.fence.content, block.fence.content_line)
        if requests and not problems:
            found.append(block)
    return found


def _line(ctx: PageContext, method: str, written: str, line: int, syntax: RequestSyntax) -> _Line:
    path, query = written, None
    if written.lower().startswith(("http://", "https://")):
        _, _, path, query = split_url(written)
        ctx.report(
            "request-line-full-url",
            "info",
            line,
            f"the request syntax gives a full URL; read as {path}{'?' + query if query else ''}",
        )
    else:
        path, mark, rest = written.partition("?")
        query = rest if mark else None
    template = template_path(path)
    if template.samples:
        ctx.report(
            "path-sample-value",
            "info",
            line,
            f"the request path {path.strip()!r} gives sample values "
            f"({', '.join(template.samples)}); read as {template.path}",
        )
    known = {argument.name.casefold() for argument in syntax.arguments}
    for argument in template.arguments:
        if argument.name.casefold() not in known:
            known.add(argument.name.casefold())
            syntax.arguments.append(
                Parameter(name=argument.name, type=_argument_type(argument), line=line)
            )
    return _Line(method, template.path, query_items(query), line)


def read_request_syntax(ctx: PageContext) -> RequestSyntax:
    """Method, paths, query parameters and URL arguments of the HTTP request sections."""
    syntax = RequestSyntax()
    lines, deprecated_prefixes = _read_lines(ctx, syntax)
    for line in lines:
        if syntax.method is None:
            syntax.method = line.method
        elif line.method != syntax.method:
            ctx.report(
                "mixed-methods",
                "info",
                line.line,
                f"request lines use {syntax.method} and {line.method}; "
                f"the {line.method} line is left out",
            )
    own = [line for line in lines if line.method == syntax.method]
    syntax.paths = _paths(own)
    for item in syntax.paths:
        item.deprecated = any(
            item.path == prefix or item.path.startswith(prefix.rstrip("/") + "/")
            for prefix in deprecated_prefixes
        )
    syntax.query = _query_parameters(own)
    sections = ctx.sections("http-request")
    if sections and not syntax.paths:
        ctx.report(
            "no-request-path",
            "warning",
            ctx.doc.headings[sections[0]].line,
            "the HTTP request section lists no request line",
        )
    return syntax


def _paths(lines: list[_Line]) -> list[RequestPath]:
    """One path per template, plus one per fixed query of a template never given plain."""
    plain = {line.path for line in lines if not line.fixed}
    paths: list[RequestPath] = []
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    for line in lines:
        fixed = {} if line.path in plain else line.fixed
        key = (line.path, tuple(sorted(fixed.items())))
        if key not in seen:
            seen.add(key)
            paths.append(
                RequestPath(path=line.path, query=dict(sorted(fixed.items())), line=line.line)
            )
    return paths


def _query_parameters(lines: list[_Line]) -> list[Parameter]:
    """The query items the caller chooses: placeholders (required when every plain line
    carries one), and values given on a path the page also gives plain (examples of
    optional parameters)."""
    plain = [line for line in lines if not line.fixed]
    given_plain = {line.path for line in plain}
    found: dict[str, Parameter] = {}
    for line in lines:
        for item in line.items:
            if not item.free and line.path not in given_plain:
                continue  # fixed on a path of another operation
            key = item.name.casefold()
            if key in found:
                continue
            everywhere = bool(plain) and all(
                any(other.name.casefold() == key and other.free for other in each.items)
                for each in plain
            )
            found[key] = Parameter(
                name=item.name, type=_placeholder_type(item), required=everywhere, line=line.line
            )
    return list(found.values())


_PRIMITIVE_PLACEHOLDERS = {"boolean": "Edm.Boolean", "string": "Edm.String", "int32": "Edm.Int32"}


def _placeholder_type(item: QueryItem) -> str | None:
    """``requiresReview:{Boolean}`` names its type in the placeholder."""
    if not item.free:
        return None
    return _PRIMITIVE_PLACEHOLDERS.get(item.value.strip("{}").strip().lower())
