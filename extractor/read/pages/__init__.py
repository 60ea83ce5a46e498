"""Bytes of one page to its record: identity from content, then the reader for its kind.

``build_record`` never raises: a page that defeats every rule still gives a record, with a
diagnostic saying what went wrong, so one broken page never costs the others.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from extractor.read.bilingual import BilingualText, leftover_markers, split_segments
from extractor.read.include import IncludeTree, expand_includes, relocate
from extractor.read.markdown import Document, parse_document
from extractor.read.pages.api import RequestSyntax, read_operation, read_request_syntax
from extractor.read.pages.context import PageContext, clean_markdown, scrub_surrogates, section_key
from extractor.read.pages.examples import read_examples
from extractor.read.pages.resource import read_enums, read_type
from extractor.schema import Diagnostic, PageKind, PageRecord, Section, SourceInfo

_DOC_TYPES: tuple[tuple[str, PageKind], ...] = (
    ("api", "api"),
    ("resource", "resource"),
    ("enum", "enum"),
    ("conceptual", "conceptual"),
)
_NAMESPACE = re.compile(r"(?:^|[\s:：])(microsoft\.graph(?:\.[A-Za-z_]\w*)*)\s*$")
_VERSION_IN_URL = re.compile(r"graph\.microsoft\.com/(v1\.0|beta)/")
_PATH_VERSION = re.compile(r"(?:^|/)(v1\.0|beta)/")
_LOCALE_IN_PATH = re.compile(r"(?:^|/)(?:microsoft-graph-docs\.)?([a-z]{2}-[A-Z]{2})(?:/|$)")


def build_record(path: str, data: bytes, tree: IncludeTree | None = None) -> PageRecord:
    """The record of one page; any internal failure becomes an error diagnostic. With
    ``tree``, the page's includes are expanded from the docs tree it lies in."""
    sha = hashlib.sha256(data).hexdigest()
    try:
        return _build(path, data, sha, tree)
    except Exception as error:  # last line of defence: the page still gives a record
        return error_record(
            path, "internal-error", f"page could not be read: {type(error).__name__}: {error}", sha
        )


def error_record(path: str, rule: str, message: str, sha: str = "") -> PageRecord:
    """The record of a page that could not be read: nothing but an error diagnostic."""
    return PageRecord(
        source=SourceInfo(path=path, sha256=sha),
        diagnostics=[
            Diagnostic(rule=rule, severity="error", path=path, line=None, message=message)
        ],
    )


def _decode(path: str, data: bytes, diagnostics: list[Diagnostic]) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        diagnostics.append(
            Diagnostic(
                rule="invalid-utf8",
                severity="warning",
                path=path,
                line=line,
                message=f"not valid UTF-8 at byte {error.start}; undecodable bytes replaced",
            )
        )
        text = data.decode("utf-8", errors="replace")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        diagnostics.append(
            Diagnostic(
                rule="nul-bytes",
                severity="warning",
                path=path,
                line=line,
                message="NUL bytes in the page; removed",
            )
        )
        text = text.replace("\x00", "")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _kind(front: dict[str, Any], doc: Document, ctx: PageContext) -> PageKind:
    doc_type = str(front.get("doc_type") or "").strip()
    lowered = doc_type.lower()
    keys = {section_key(heading) for heading in doc.headings}
    for prefix, kind in _DOC_TYPES:
        if lowered.startswith(prefix):
            if lowered != f"{prefix}pagetype":
                ctx.report("doc-type-misspelt", "info", 1, f"doc_type {doc_type!r} read as {kind}")
            if kind == "api" and "http-request" not in keys and "properties" in keys:
                ctx.report(
                    "doc-type-contradicted",
                    "info",
                    1,
                    "doc_type says api, but the page has properties and no HTTP request; "
                    "read as resource",
                )
                return "resource"
            return kind
    inferred: PageKind = "unknown"
    if "http-request" in keys:
        inferred = "api"
    elif "properties" in keys or "json-representation" in keys:
        inferred = "resource"
    elif "members" in keys or any(key.endswith("-values") for key in keys):
        inferred = "enum"
    elif doc.headings:
        inferred = "conceptual"
    message = f"doc_type {doc_type!r} unknown" if doc_type else "no doc_type"
    ctx.report("doc-type-missing", "info", 1, f"{message}; read as {inferred} from its sections")
    return inferred


def _version(path: str, text: str, ctx: PageContext) -> str | None:
    """Beta disclaimer and example URLs say it; the folder is the tie-breaker and wins."""
    content: str | None = None
    if "beta-disclaimer" in text:
        content = "beta"
    else:
        counts = {"v1.0": 0, "beta": 0}
        for match in _VERSION_IN_URL.finditer(text):
            counts[match.group(1)] += 1
        if counts["v1.0"] != counts["beta"]:
            content = "v1.0" if counts["v1.0"] > counts["beta"] else "beta"
    hint_match = _PATH_VERSION.search(path.replace("\\", "/"))
    hint = hint_match.group(1) if hint_match else None
    if hint and content and hint != content:
        ctx.report(
            "version-conflict",
            "info",
            None,
            f"the folder says {hint} but the content says {content}; using {hint}",
        )
    version = hint or content
    if version is None:
        ctx.report(
            "version-unknown",
            "warning",
            None,
            "no beta disclaimer, example URL or folder says which version this is",
        )
    return version


def _namespace(doc: Document) -> str:
    for block in doc.blocks[:12]:
        if block.kind == "paragraph":
            match = _NAMESPACE.search(block.text.strip().split("\n")[0])
            if match:
                return match.group(1)
    return "microsoft.graph"


def _description(doc: Document) -> str:
    """The first real paragraph under the title: not the namespace, an include or a note."""
    h1 = next((index for index, heading in enumerate(doc.headings) if heading.level == 1), None)
    for block in doc.blocks:
        if block.kind == "heading" and block.heading is not None and block.heading.level > 1:
            break
        if block.kind != "paragraph" or (h1 is not None and block.section < h1):
            continue
        text = block.text.strip()
        if not text or text.startswith("[!INCLUDE") or _NAMESPACE.search(text.split("\n")[0]):
            continue
        return clean_markdown(text)
    return ""


def _locale(front: dict[str, Any], path: str) -> str | None:
    locale = front.get("ms.contentlocale")
    if isinstance(locale, str) and locale.strip():
        return locale.strip()
    match = _LOCALE_IN_PATH.search(path.replace("\\", "/"))
    return match.group(1) if match else None


def _build(path: str, data: bytes, sha: str, tree: IncludeTree | None = None) -> PageRecord:
    early: list[Diagnostic] = []
    text = _decode(path, data, early)
    expanded = expand_includes(text, tree.page, tree.root, tree.load) if tree is not None else None
    if expanded is not None:
        text = expanded.text
    bilingual: BilingualText = split_segments(text)
    doc = parse_document(bilingual.english, bilingual.original_line)
    ctx = PageContext(path=path, doc=doc, diagnostics=early)
    if expanded is not None:
        ctx.missing_includes = expanded.missing
    for line in bilingual.malformed_lines:
        ctx.report("segment-malformed", "warning", line, "a translated span has no English half")
    for marker in leftover_markers(bilingual.english):
        ctx.report("segment-leftover", "warning", None, f"{marker!r} survives in the English text")
    for problem in doc.problems:
        ctx.report(problem.rule, problem.severity, problem.line, problem.message)

    front = _front_matter(doc.front_matter, ctx)
    locale = _locale(front, path)
    language = "en"
    if not bilingual.has_english and locale and not locale.lower().startswith("en"):
        language = locale
        ctx.report(
            "no-english",
            "warning",
            None,
            f"no English text in this {locale} page; prose is recorded in {locale}",
        )
    ctx.namespace = _namespace(doc)
    kind = _kind(front, doc, ctx)
    version = _version(path, text, ctx)
    h1 = next((heading for heading in doc.headings if heading.level == 1), None)
    if h1 is None:
        ctx.report("no-title", "warning", None, "the page has no H1 title")
    title = clean_markdown(h1.title) if h1 else str(front.get("title") or "")
    slug = _slug(title) if h1 else None
    description = _description(doc)

    syntax = read_request_syntax(ctx) if kind == "api" else RequestSyntax()
    examples = read_examples(ctx, syntax.fences)
    operation = (
        read_operation(ctx, title, slug, description, examples, syntax) if kind == "api" else None
    )
    type_def = read_type(ctx, title, slug, description, examples) if kind == "resource" else None
    enums = read_enums(ctx, title, kind == "enum") if kind in ("enum", "resource") else []
    if kind == "resource" and type_def is not None and not type_def.properties:
        has_table = any(
            block.kind == "table" and block.table is not None and block.table.rows
            for index in ctx.sections("properties")
            for block in doc.section_blocks(index)
        )
        if has_table:
            ctx.report("no-properties", "warning", None, "a properties section but no property")

    source = SourceInfo(
        path=path,
        sha256=sha,
        locale=locale,
        sourcegitcommit=_text_or_none(front.get("ms.sourcegitcommit")),
        lasthandoff=_text_or_none(front.get("ms.lasthandoff")),
    )
    record = PageRecord(
        source=source,
        version=version,
        kind=kind,
        slug=slug,
        title=title,
        language=language,
        namespace=ctx.namespace,
        description=description,
        front_matter=front,
        sections=[
            Section(title=clean_markdown(h.title), level=h.level, anchor=h.anchor, line=h.line)
            for h in doc.headings
        ],
        operation=operation,
        type=type_def,
        enums=enums,
        examples=examples,
        diagnostics=sorted(ctx.diagnostics, key=lambda d: (d.line or 0, d.rule, d.message)),
    )
    if expanded is not None:
        relocate(record, expanded)  # then the include's own findings, already placed
        record.diagnostics = sorted(
            [*record.diagnostics, *expanded.diagnostics],
            key=lambda d: (d.line or 0, d.rule, d.message),
        )
    return record


def _slug(title: str) -> str | None:
    """The page's name from its English title (``List calendarView`` -> ``list-calendarview``),
    as the docs make anchors: the same whether or not the page carries ``<a name>`` anchors
    (localized pages do, English ones do not); None for a title with no ASCII word."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or None


def _text_or_none(value: Any) -> str | None:
    return str(value).strip() if value not in (None, "") else None


_FRONT_MATTER_DEPTH = 20
_FRONT_MATTER_VALUES = 1_000  # per key: YAML aliases turn ten lines into a billion values


class _Unplain(Exception):
    """A front matter value too deep, too large or cyclic (YAML anchors) to keep."""


def _front_matter(raw: dict[str, Any], ctx: PageContext) -> dict[str, Any]:
    """Front matter as JSON can hold it; a value that cannot be kept is dropped, with a warning."""
    front: dict[str, Any] = {}
    for key, value in raw.items():
        try:
            front[scrub_surrogates(str(key))] = _plain(value, 0, [_FRONT_MATTER_VALUES])
        except _Unplain:
            ctx.report(
                "front-matter-invalid",
                "warning",
                1,
                f"front matter {str(key)[:80]!r}: nested too deep, too large or cyclic; dropped",
            )
    return front


def _plain(value: Any, depth: int, budget: list[int]) -> Any:
    """A front matter value as JSON can hold it (YAML dates become ISO strings)."""
    budget[0] -= 1
    if budget[0] < 0 or depth > _FRONT_MATTER_DEPTH:
        raise _Unplain
    if isinstance(value, int | float | bool) or value is None:
        return value
    if isinstance(value, list):
        return [_plain(item, depth + 1, budget) for item in value]
    if isinstance(value, dict):
        return {
            str(_plain(key, depth + 1, budget)): _plain(item, depth + 1, budget)
            for key, item in value.items()
        }
    return scrub_surrogates(str(value))


__all__ = ["build_record", "error_record"]
