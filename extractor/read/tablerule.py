"""A pipe-table block rule for markdown-it-py that finds where each table starts and ends,
and nothing more.

The page reader needs only a table's line span: it splits the rows itself, because the docs
put unescaped pipes inside backticks (``markdown.split_table_row``). markdown-it's own GFM
table rule also cuts every row into cells and pushes five tokens per cell, which was a fifth
of a page's parse on the real corpus. This rule accepts exactly the tables that rule accepts
(same delimiter row, same header cell count, same terminators, same cap on padded cells) and
pushes only ``table_open`` (its ``map`` the table's lines) and ``table_close``. A test holds
its tables and every other token to the stock rule's on generated markdown and real pages.
"""

from __future__ import annotations

import re

from markdown_it.common.utils import MD_TRIM_CHARS
from markdown_it.rules_block import StateBlock

#: A delimiter row, after the line's indent: ``|``, ``-`` or ``:`` first, only those and
#: spaces or tabs after; a ``-`` followed by a space would be a list item instead.
_DELIMITER_ROW = re.compile(r"(?:[|:][-:| \t]|-[-:|])[-:| \t]*")
_DELIMITER_CELL = re.compile(r":?-+:?")
#: markdown-it stops a table whose short rows would need more padded cells than this.
_MAX_PADDED_CELLS = 0x10000
#: Rules whose start ends a table (markdown-it ends tables as it ends blockquotes).
TERMINATORS_OF = "blockquote"
#: The blocks a table may interrupt, as markdown-it registers its own table rule.
TABLE_INTERRUPTS = ("paragraph", "reference")


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def cell_count(row: str) -> int:
    """How many cells markdown-it sees in a trimmed row: split at pipes not preceded by a
    backslash, less an empty first and an empty last piece."""
    if not row:
        return 0
    count = 1 + row.count("|") - row.count("\\|")
    if row.startswith("|"):
        count -= 1
    if count and row.endswith("|") and not row.endswith("\\|"):
        count -= 1
    return count


def _delimiter_cells(row: str) -> int:
    """How many aligned columns a delimiter row declares; 0 when it is not one."""
    if not _DELIMITER_ROW.fullmatch(row):
        return 0
    pieces = row.split("|")
    last = len(pieces) - 1
    columns = 0
    for position, piece in enumerate(pieces):
        cell = piece.strip(MD_TRIM_CHARS)
        if not cell:
            if position in (0, last):
                continue
            return 0
        if not _DELIMITER_CELL.fullmatch(cell):
            return 0
        columns += 1
    return columns


def table_span(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's block-rule signature: whether a table starts at ``start``; unless
    ``silent``, push it as ``table_open``/``table_close`` and move past it."""
    delimiter = start + 1
    if delimiter + 1 > end:
        return False
    if state.sCount[delimiter] < state.blkIndent or state.is_code_block(delimiter):
        return False
    columns = _delimiter_cells(_line(state, delimiter))
    if not columns:
        return False
    header = _line(state, start).strip(MD_TRIM_CHARS)
    if "|" not in header or state.is_code_block(start):
        return False
    if cell_count(header) != columns:
        return False
    if silent:
        return True

    parent_type = state.parentType
    state.parentType = "table"
    terminators = state.md.block.ruler.getRules(TERMINATORS_OF)
    opening = state.push("table_open", "table", 1)
    padded = 0
    line = start + 2
    while line < end:
        if state.sCount[line] < state.blkIndent:
            break
        if any(terminates(state, line, end, True) for terminates in terminators):
            break
        row = _line(state, line).strip(MD_TRIM_CHARS)
        if not row or state.is_code_block(line):
            break
        padded += columns - cell_count(row)
        if padded > _MAX_PADDED_CELLS:
            break
        line += 1
    opening.map = [start, line]
    state.push("table_close", "table", -1)
    state.parentType = parent_type
    state.line = line
    return True


__all__ = ["TABLE_INTERRUPTS", "cell_count", "table_span"]
