"""Turn a page's English markdown into a flat, line-numbered document.

markdown-it-py finds the block structure (headings, tables, fences, HTML comments, notes);
its inline pass is switched off because the pages need only raw cell and paragraph source,
which keeps parsing well under the cost of a full CommonMark parse. Table rows are split
here rather than by markdown-it, because the docs put unescaped pipes inside backticks.
Every line number in the document is a line of the original page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from extractor.read.jsonish import parse_lenient_object
from extractor.read.tablerule import TABLE_INTERRUPTS, table_span

BlockKind = Literal["heading", "tab", "paragraph", "table", "fence", "note", "list", "html", "rule"]

_ANCHOR = re.compile(r'<a\s+name\s*=\s*"([^"]*)"\s*>\s*</a>', re.IGNORECASE)
_TAB_MARKER = re.compile(r"^\[[^\]]*\]\(#tab/[^)]*\)\s*$")
_FRONT_MATTER_LINE = re.compile(r"^([A-Za-z_][\w.\-]*)\s*:\s?(.*)$")
# libyaml's safe loader when present: the pure-Python one was a quarter of a page's time.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# libyaml recurses in C: front matter nested ~30,000 deep (``[[[[...``, ``- - - ...``)
# overflows the stack and kills the process. Real front matter is under 1 KB; anything
# larger (nesting at most ~5,000 deep here) goes to the pure-Python loader, whose
# RecursionError is caught like any YAML error.
_C_YAML_MAX = 10_000
_KNOWN_KEYS = (
    "title",
    "description",
    "author",
    "ms.author",
    "localization_priority",
    "ms.localizationpriority",
    "ms.prod",
    "doc_type",
    "ms.topic",
    "ms.date",
    "ms.custom",
    "ms.openlocfilehash",
    "ms.sourcegitcommit",
    "ms.translationtype",
    "ms.contentlocale",
    "ms.lasthandoff",
    "ms.locfileid",
    "ms.reviewer",
    "ms.subservice",
    "ms.service",
)
_KNOWN_KEY = re.compile(
    r"(?:^|(?<=\s))(" + "|".join(re.escape(key) for key in _KNOWN_KEYS) + r")\s*[:：]\s*"
)


@dataclass(slots=True)
class Heading:
    level: int
    title: str
    anchor: str | None
    line: int


@dataclass(slots=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    line: int
    row_lines: list[int]


@dataclass(slots=True)
class Fence:
    info: str
    content: str
    line: int
    content_line: int
    end_line: int
    annotation: dict[str, Any] | None = None
    annotation_line: int | None = None
    annotation_error: str | None = None
    prose_between: bool = False


@dataclass(slots=True)
class Block:
    kind: BlockKind
    line: int
    end_line: int
    text: str = ""
    heading: Heading | None = None
    table: Table | None = None
    fence: Fence | None = None
    section: int = -1  # index of the enclosing real heading in Document.headings


@dataclass(slots=True)
class Problem:
    rule: str
    severity: Literal["error", "warning", "info"]
    line: int | None
    message: str


@dataclass(slots=True)
class Document:
    front_matter: dict[str, Any]
    headings: list[Heading]
    blocks: list[Block]
    page_annotations: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    _by_section: tuple[int, int, dict[int, list[int]]] | None = field(
        default=None, repr=False, compare=False
    )

    def section_blocks(self, heading_index: int) -> list[Block]:
        """Blocks under a heading, down to the next heading of the same or a higher level.

        Block positions are indexed by section once, so asking for every one of 100,000
        sections costs what the blocks cost, not blocks times sections.
        """
        level = self.headings[heading_index].level
        end = len(self.headings)
        for later in range(heading_index + 1, len(self.headings)):
            if self.headings[later].level <= level:
                end = later
                break
        index = self._by_section
        if index is None or index[0] != id(self.blocks) or index[1] != len(self.blocks):
            by_section: dict[int, list[int]] = {}
            for position, block in enumerate(self.blocks):
                by_section.setdefault(block.section, []).append(position)
            index = self._by_section = (id(self.blocks), len(self.blocks), by_section)
        by_section = index[2]
        positions = sorted(
            position
            for section in range(heading_index, end)
            for position in by_section.get(section, ())
        )
        return [self.blocks[position] for position in positions]


@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": True}).enable("table").use(front_matter_plugin)
    parser.disable(["inline", "text_join"])
    # The same tables as markdown-it's rule, as their line spans only (see tablerule).
    parser.block.ruler.at("table", table_span, {"alt": list(TABLE_INTERRUPTS)})
    return parser


def split_table_row(line: str, columns: int | None = None) -> list[str]:
    """Cells of a pipe-table row; pipes inside backticks stay put when that fits the header."""
    cells = _split_cells(line, respect_code=False)
    if columns is not None and len(cells) > columns:
        cells = _split_cells(line, respect_code=True)
        if len(cells) > columns >= 1:
            cells = [*cells[: columns - 1], " | ".join(cells[columns - 1 :])]
    return cells


def _split_cells(line: str, *, respect_code: bool) -> list[str]:
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    if "\\|" not in text and not (respect_code and "`" in text):  # the common case: plain split
        return [
            html.unescape(cell.strip()) if "&" in cell else cell.strip() for cell in text.split("|")
        ]
    cells: list[str] = []
    current: list[str] = []
    in_code = False
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] == "|":
            current.append("|")
            index += 2
            continue
        if char == "`" and respect_code:
            in_code = not in_code
        elif char == "|" and not in_code:
            cells.append("".join(current).strip())
            current = []
            index += 1
            continue
        current.append(char)
        index += 1
    cells.append("".join(current).strip())
    return [html.unescape(cell) if "&" in cell else cell for cell in cells]


def parse_front_matter(raw: str) -> tuple[dict[str, Any], str | None]:
    """YAML front matter; when strict YAML fails (TABs, stray quotes), a line-wise read."""
    try:
        loader = _YAML_LOADER if len(raw) <= _C_YAML_MAX else yaml.SafeLoader
        loaded = yaml.load(raw, Loader=loader)
    except Exception as error:  # YAMLError, but also ValueError (2021-02-30), RecursionError
        fields: dict[str, Any] = {}
        for line in raw.splitlines():
            known = list(_KNOWN_KEY.finditer(line))
            if known:  # one line may hold several fields (spans flattened the front matter)
                for index, match in enumerate(known):
                    end = known[index + 1].start() if index + 1 < len(known) else len(line)
                    fields.setdefault(match.group(1), line[match.end() : end].strip().strip("'\""))
                continue
            pair = _FRONT_MATTER_LINE.match(line)
            if pair:
                fields.setdefault(pair.group(1), pair.group(2).strip().strip("'\""))
        first_line = str(error).splitlines()[0] if str(error) else "invalid YAML"
        return fields, first_line
    if isinstance(loaded, dict):
        return {str(key): value for key, value in loaded.items()}, None
    if loaded is None:
        return {}, None
    return {}, "front matter is not a mapping"


def _strip_closing_hashes(title: str) -> str:
    """Drop a closing ``  ##`` run; a plain scan, as ``\\s+#+\\s*$`` is quadratic on spaces."""
    stripped = title.rstrip()
    body = stripped.rstrip("#")
    if body != stripped and body[-1:].isspace():
        return body.rstrip()
    return title


def _heading(inline: str, level: int, line: int) -> Heading:
    anchor_match = _ANCHOR.search(inline)
    anchor = anchor_match.group(1) if anchor_match else None
    title = _strip_closing_hashes(_ANCHOR.sub("", inline)).strip()
    return Heading(level=level, title=title, anchor=anchor, line=line)


def _annotation_json(content: str) -> str | None:
    """The JSON inside an HTML comment that holds an annotation, else None."""
    body = content.strip()
    if not body.startswith("<!--"):
        return None
    end = body.rfind("-->")
    inner = body[4:end] if end != -1 else body[4:]
    inner = inner.strip()
    return inner if inner.startswith("{") else None


_SWALLOWED = re.compile(r"^(?:#{1,6}\s|<!--\s*\{|<!--\s*$)")


def _swallowed_fence_cuts(tokens: list[Token], lines: list[str]) -> list[int]:
    """Blank lines where an unclosed fence should have ended: a heading or annotation follows.

    A fence opened without a closer swallows the rest of the section (headings, annotations,
    the next example); turning the blank line before the first swallowed heading or annotation
    into a closer gives back the structure a reader sees, without moving any line.
    """
    cuts = []
    for token in tokens:
        if token.type != "fence" or token.map is None:
            continue
        body_start = token.map[0] + 1
        for offset, line in enumerate(token.content.split("\n")[1:], start=1):
            number = body_start + offset
            if _SWALLOWED.match(line) and number - 1 < len(lines) and not lines[number - 1].strip():
                cuts.append(number - 1)
                break
    return cuts


def parse_document(english: str, line_of: Callable[[int], int] | None = None) -> Document:
    """Parse English markdown; ``line_of`` maps 1-based text lines to page lines."""
    to_page: Callable[[int], int] = line_of or (lambda line: line)
    lines = english.split("\n")
    tokens = _parser().parse(english)
    doc = Document(front_matter={}, headings=[], blocks=[])
    cuts = _swallowed_fence_cuts(tokens, lines)
    if cuts:
        for cut in cuts:
            lines[cut] = "```"
            doc.problems.append(
                Problem(
                    "fence-unclosed",
                    "warning",
                    to_page(cut + 1),
                    "a fence runs into the next heading or annotation; closed it here",
                )
            )
        tokens = _parser().parse("\n".join(lines))
    pending: tuple[dict[str, Any] | None, int, str | None] | None = None
    prose_since_annotation = False
    stack_kinds: list[str] = []
    container_start: list[int] = []

    for index, token in enumerate(tokens):
        kind = token.type
        if kind in ("blockquote_open", "bullet_list_open", "ordered_list_open"):
            stack_kinds.append(kind)
            container_start.append(len(doc.blocks))
            continue
        if kind in ("blockquote_close", "bullet_list_close", "ordered_list_close"):
            opened = stack_kinds.pop() if stack_kinds else kind
            start = container_start.pop() if container_start else len(doc.blocks)
            if not stack_kinds:
                _fold_container(doc, start, "note" if opened == "blockquote_open" else "list")
            continue
        if token.map is None:
            continue
        first = to_page(token.map[0] + 1)
        last = to_page(max(token.map[1], token.map[0] + 1))
        if kind == "front_matter":
            doc.front_matter, problem = parse_front_matter(token.content)
            if problem:
                doc.problems.append(
                    Problem("front-matter-invalid", "warning", first, f"front matter: {problem}")
                )
        elif kind == "heading_open":
            inline = tokens[index + 1].content if index + 1 < len(tokens) else ""
            heading = _heading(inline, int(token.tag[1:]), first)
            if _TAB_MARKER.match(heading.title):
                doc.blocks.append(_block(doc, "tab", first, last, heading.title))
                continue
            doc.headings.append(heading)
            block = _block(doc, "heading", first, last, heading.title)
            block.heading = heading
            doc.blocks.append(block)
            pending = None
        elif kind == "paragraph_open":
            inline = tokens[index + 1].content if index + 1 < len(tokens) else ""
            doc.blocks.append(_block(doc, "paragraph", first, last, inline))
            if pending is not None and not inline.lstrip().startswith("[!INCLUDE"):
                prose_since_annotation = True
        elif kind == "table_open":
            table = _table(lines, token.map[0], token.map[1], to_page)
            block = _block(doc, "table", first, last, "")
            block.table = table
            doc.blocks.append(block)
        elif kind in ("fence", "code_block"):
            if kind == "code_block":
                continue
            fence = Fence(
                info=token.info.strip(),
                content=token.content,
                line=first,
                content_line=to_page(token.map[0] + 2),
                end_line=last,
            )
            if pending is not None:
                fence.annotation, fence.annotation_line, fence.annotation_error = pending
                fence.prose_between = prose_since_annotation
                pending = None
            block = _block(doc, "fence", first, last, token.content)
            block.fence = fence
            doc.blocks.append(block)
        elif kind == "html_block":
            raw_json = _annotation_json(token.content)
            doc.blocks.append(_block(doc, "html", first, last, token.content))
            if raw_json is None:
                if "<!--" in token.content and "-->" not in token.content:
                    doc.problems.append(
                        Problem("comment-unclosed", "warning", first, "HTML comment never closed")
                    )
                continue
            if "-->" not in token.content:
                doc.problems.append(
                    Problem("comment-unclosed", "warning", first, "annotation comment never closed")
                )
            parsed = parse_lenient_object(raw_json, first)
            value = parsed.value if isinstance(parsed.value, dict) else None
            error = parsed.error if value is None else None
            if value is None and error is None:
                error = "annotation is not a JSON object"
            if value is not None and str(value.get("type", "")).lower() == "#page.annotation":
                doc.page_annotations.append(value)
                continue
            pending = (value, first, error)
            prose_since_annotation = False
        elif kind == "hr":
            doc.blocks.append(_block(doc, "rule", first, last, ""))
    return doc


def _block(doc: Document, kind: BlockKind, line: int, end_line: int, text: str) -> Block:
    return Block(kind=kind, line=line, end_line=end_line, text=text, section=len(doc.headings) - 1)


def _fold_container(doc: Document, start: int, kind: BlockKind) -> None:
    """Collapse a note or list into one block; its fences and tables stay blocks of their own."""
    inner = doc.blocks[start:]
    prose = [block for block in inner if block.kind == "paragraph"]
    kept = [block for block in inner if block.kind != "paragraph"]
    if not prose:
        return
    folded = Block(
        kind=kind,
        line=prose[0].line,
        end_line=prose[-1].end_line,
        text="\n".join(block.text for block in prose),
        section=prose[0].section,
    )
    doc.blocks[start:] = [folded, *kept]


def _table(lines: list[str], start: int, end: int, to_page: Callable[[int], int]) -> Table:
    header = split_table_row(lines[start]) if start < len(lines) else []
    rows: list[list[str]] = []
    row_lines: list[int] = []
    for number in range(start + 2, min(end, len(lines))):
        raw = lines[number]
        if not raw.strip():
            continue
        rows.append(split_table_row(raw, len(header) or None))
        row_lines.append(to_page(number + 1))
    return Table(header=header, rows=rows, line=to_page(start + 1), row_lines=row_lines)


__all__ = [
    "Block",
    "Document",
    "Fence",
    "Heading",
    "Problem",
    "Table",
    "parse_document",
    "parse_front_matter",
    "split_table_row",
]
