"""Expand ``[!INCLUDE [name](path)]`` lines the way the docs build does, without I/O.

The engine hands in a loader that serves only files inside the docs tree named on the
command line; this module resolves paths (relative to the file that includes), follows
nested includes, skips includes inside comments and fences, and keeps for every line of
the expanded text where it came from, so diagnostics point where a writer would edit.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from extractor.schema import Diagnostic, PageRecord

#: Root-relative posix path -> the file's bytes; None when there is no such file.
Loader = Callable[[str], bytes | None]

_INCLUDE = re.compile(r"^[ \t]*\[!INCLUDE\s*\[([^\]]*)\]\(\s*<?([^)\s>]+)>?\s*\)\s*\][ \t]*$", re.I)
_ANY_INCLUDE = re.compile(r"\[!INCLUDE", re.I)
_FENCE = re.compile(r"^\s*(```|~~~)")
_FRONT = re.compile(r"\A---[ \t]*\n(?:.*\n)*?---[ \t]*\n")
MAX_DEPTH = 10


@dataclass(frozen=True)
class MissingInclude:
    """An include that could not be expanded, where the page (or include) says it."""

    name: str
    target: str
    path: str  # display path of the file holding the include line
    line: int  # its line there
    page_line: int  # the line of the expanded text it stands at


@dataclass
class Expanded:
    text: str
    #: Per line of ``text`` (1-based, index 0 unused): (display path, line) it came from.
    origins: list[tuple[str, int]] | None = None  # None: every line is the page's own
    #: Per line of ``text``: the page line it stands at (an included line: its include's).
    page_lines: list[int] | None = None
    missing: list[MissingInclude] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: Root-relative paths asked of the loader, in order: the page's record depends on them.
    reads: list[str] = field(default_factory=list)
    #: What the loader gave for each of ``reads``.
    loaded: dict[str, bytes | None] = field(default_factory=dict)


def decode_include(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _display(root: str, rel: str) -> str:
    return rel if root in ("", ".") else f"{root}/{rel}"


def resolve(including: str, target: str) -> str | None:
    """The root-relative path ``target`` names from the file ``including`` (root-relative);
    None when it leaves the tree (or is absolute or a URL)."""
    if target.startswith(("/", "\\")) or "://" in target or re.match(r"^[A-Za-z]:", target):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(including), target))
    if joined == ".." or joined.startswith("../") or joined == ".":
        return None
    return joined


def fills_element(name: str, target: str) -> bool:
    """Whether the include holds something extractor reads (a permissions table): a missing
    one is then a warning, and the element is marked unknown."""
    return "permission" in name.lower() or "/permissions/" in target.lower()


def _not_content(target: str) -> bool:
    """Code snippets of the tabbed examples: not page content, never looked for."""
    return "/snippets/" in f"/{target.lower()}"


def expand_includes(text: str, page: str, root: str, load: Loader) -> Expanded:
    """``text`` (the page at root-relative ``page``, its tree shown as ``root``) with its
    includes expanded; a page without includes comes back as it is."""
    if not _ANY_INCLUDE.search(text):
        return Expanded(text)
    result = Expanded(text)
    cache = result.loaded

    def fetch(rel: str) -> bytes | None:
        if rel not in cache:
            result.reads.append(rel)
            cache[rel] = load(rel)
        return cache[rel]

    lines: list[str] = []
    origins: list[tuple[str, int]] = [("", 0)]
    page_lines: list[int] = [0]
    page_display = _display(root, page)

    def walk(
        body: str, rel: str, display: str, stack: list[str], page_line: int | None, offset: int
    ) -> None:
        in_comment = False
        fence: str | None = None
        for index, line in enumerate(body.split("\n"), 1):
            number = index + offset
            at = page_line if page_line is not None else number
            match = None if in_comment or fence else _INCLUDE.match(line)
            if fence is not None:
                if line.strip().startswith(fence):
                    fence = None
            elif not in_comment and (opened := _FENCE.match(line)):
                fence = opened.group(1)
            else:
                in_comment = _comment_state(line, in_comment)
            if match is None:
                lines.append(line)
                origins.append((display, number))
                page_lines.append(at)
                continue
            name, target = match.group(1), match.group(2)
            if _not_content(target):
                lines.append(line)
                origins.append((display, number))
                page_lines.append(at)
                continue
            resolved = resolve(rel, target)
            reason = ""
            data: bytes | None = None
            if resolved is None:
                reason = "it leaves the docs tree"
            elif resolved in stack:
                reason = "it includes itself (a loop)"
            elif len(stack) > MAX_DEPTH:
                reason = f"includes nest deeper than {MAX_DEPTH}"
            else:
                data = fetch(resolved)
                if data is None:
                    reason = "no such file in the docs tree"
            if data is None or resolved is None:
                loop = "loop" in reason
                if loop or fills_element(name, target):  # a missing note is a fact of life
                    result.diagnostics.append(
                        Diagnostic(
                            rule="include-loop" if loop else "include-missing",
                            severity="warning",
                            path=display,
                            line=number,
                            message=f"include {target!r} not read: {reason}",
                        )
                    )
                result.missing.append(MissingInclude(name, target, display, number, len(lines) + 1))
                lines.append(line)
                origins.append((display, number))
                page_lines.append(at)
                continue
            included = decode_include(data)
            front = _FRONT.match(included)
            skipped = included[: front.end()].count("\n") if front else 0
            body_text = included[front.end() :] if front else included
            body_text = body_text.removesuffix("\n")
            walk(body_text, resolved, _display(root, resolved), [*stack, resolved], at, skipped)

    walk(text, page, page_display, [page], None, 0)
    result.text = "\n".join(lines)
    result.origins = origins
    result.page_lines = page_lines
    return result


def _comment_state(line: str, inside: bool) -> bool:
    """Whether an HTML comment is open after ``line``."""
    position = 0
    while True:
        if inside:
            end = line.find("-->", position)
            if end < 0:
                return True
            inside, position = False, end + 3
        else:
            start = line.find("<!--", position)
            if start < 0:
                return False
            inside, position = True, start + 4


@dataclass(frozen=True)
class IncludeTree:
    """Where a page lies in the docs tree: its root-relative path, the tree as displayed,
    and the loader that serves the tree's files."""

    page: str
    root: str
    load: Loader


def relocate(record: PageRecord, expanded: Expanded) -> None:
    """Lines of the expanded text back to the files they came from: a diagnostic keeps the
    include's path and line; other lines (sections, paths, examples) name the page, so an
    included line stands at its include's line there."""
    origins, page_lines = expanded.origins, expanded.page_lines
    if origins is None or page_lines is None:
        return
    last = len(page_lines) - 1

    def page_line(line: int) -> int:
        return page_lines[line]

    stack: list[Any] = [record]
    while stack:
        item = stack.pop()
        if isinstance(item, Diagnostic):
            if item.line is not None and item.path == record.source.path and item.line <= last:
                item.path, item.line = origins[item.line]
            continue
        if isinstance(item, BaseModel):
            for name in type(item).model_fields:
                value = getattr(item, name)
                if name.endswith("line") and isinstance(value, int) and 0 < value <= last:
                    setattr(item, name, page_line(value))
                elif isinstance(value, BaseModel | list):
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(child for child in item if isinstance(child, BaseModel | list))
