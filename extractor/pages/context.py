"""What every page reader shares: the parsed document, its identity, and a diagnostics sink."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.markdown import Block, Document, Heading
from extractor.models import Diagnostic, Severity

_NON_WORD = re.compile(r"[^a-z0-9]+")


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
