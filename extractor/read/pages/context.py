"""What every page reader shares: the parsed document, its identity, and a diagnostics sink."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from extractor.read.include import MissingInclude
from extractor.read.markdown import Block, Document, Heading
from extractor.schema import Diagnostic, Severity

_NON_WORD = re.compile(r"[^a-z0-9]+")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: Deepest nesting a parsed body or annotation may have: pydantic reads records back only
#: to about 200 levels, and the docs' bodies nest fewer than 20.
MAX_JSON_DEPTH = 100


def json_trouble(value: Any, max_depth: int = MAX_JSON_DEPTH) -> tuple[bool, bool]:
    """Whether a parsed value nests deeper than ``max_depth``, and whether it holds lone
    surrogates (from ``"\\ud800"`` escapes).

    Either one makes the record unwritable as JSON, and one such page would cost the whole
    build; the walk is iterative, so 10,000 levels cost no recursion.
    """
    surrogates = False
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            surrogates = surrogates or (not item.isascii() and bool(_SURROGATE.search(item)))
        elif isinstance(item, list | dict):
            if depth >= max_depth:
                return True, surrogates
            if isinstance(item, dict):
                stack.extend((key, depth) for key in item)
                stack.extend((child, depth + 1) for child in item.values())
            else:
                stack.extend((child, depth + 1) for child in item)
    return False, surrogates


def scrub_surrogates(value: Any) -> Any:
    """A copy with every lone surrogate replaced by U+FFFD (call only on shallow values)."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [scrub_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {scrub_surrogates(key): scrub_surrogates(item) for key, item in value.items()}
    return value


def section_key(heading: Heading) -> str:
    """A heading's identity in English: its anchor (English even on untranslated pages)."""
    source = heading.anchor or heading.title
    return _NON_WORD.sub("-", source.lower()).strip("-")


def clean_markdown(text: str) -> str:
    """Inline markdown reduced to what a description needs: one line, no stray whitespace."""
    return " ".join(text.replace("<br>", " ").replace("<br/>", " ").split())


@dataclass
class PageContext:
    path: str
    doc: Document
    namespace: str = "microsoft.graph"
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: Includes that were not read, at their line in the (expanded) text.
    missing_includes: list[MissingInclude] = field(default_factory=list)

    def report(self, rule: str, severity: Severity, line: int | None, message: str) -> None:
        self.diagnostics.append(
            Diagnostic(rule=rule, severity=severity, path=self.path, line=line, message=message)
        )

    def sections(self, *keys: str, exact: bool = False) -> list[int]:
        """Indexes of headings whose key is one of ``keys`` (or starts with one of them)."""
        found = []
        for index, heading in enumerate(self.doc.headings):
            key = section_key(heading)
            if any(key == wanted or (not exact and key.startswith(wanted)) for wanted in keys):
                found.append(index)
        return found

    def blocks_of(self, *keys: str, exact: bool = False) -> list[Block]:
        blocks: list[Block] = []
        seen: set[int] = set()
        for index in self.sections(*keys, exact=exact):
            for block in self.doc.section_blocks(index):
                if id(block) not in seen:
                    seen.add(id(block))
                    blocks.append(block)
        return sorted(blocks, key=lambda block: block.line)
