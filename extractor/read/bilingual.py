"""Split machine-translated pages into their English and localized halves.

Each translated sentence is a pair of spans: the localized text, then the English original
inside ``sxs-lookup``. The English half never holds a newline or a nested span, while the
localized half may span lines (even table rows), so replacing a segment by its English
can remove newlines: ``original_line`` maps English-text lines back to the page's lines.

The scan is linear: opener, separator and closer positions are found once and paired
with two pointers, so 100,000 unclosed spans cost no more than 100,000 closed ones.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

_OPENER = re.compile(r'<span data-ttu-id="([0-9a-f]{5}-p?\d+)">')
_SEPARATOR = '</span><span class="sxs-lookup"><span data-stu-id="'
_CLOSER = "</span></span>"
_MARKERS = ("sxs-lookup", "data-ttu-id", "data-stu-id")


@dataclass(frozen=True, slots=True)
class Segment:
    id: str
    localized: str
    english: str
    line: int  # page line where the segment starts


@dataclass(frozen=True, slots=True)
class BilingualText:
    english: str
    segments: list[Segment]
    malformed_lines: list[int]  # page lines of span openers that did not form a segment
    _shift_at: list[int] = field(repr=False)  # English lines after which lines shift
    _shift_by: list[int] = field(repr=False)  # cumulative newlines removed up to there

    @property
    def has_english(self) -> bool:
        return bool(self.segments)

    def original_line(self, english_line: int) -> int:
        """The page line (1-based) of a 1-based line of the English text."""
        index = bisect_left(self._shift_at, english_line) - 1
        return english_line + (self._shift_by[index] if index >= 0 else 0)

    def localized_text(self, original: str) -> str:
        """The page with every segment replaced by its localized half."""
        return split_segments(original, pick_localized=True).english


def _find_all(text: str, needle: str) -> list[int]:
    positions: list[int] = []
    start = text.find(needle)
    while start != -1:
        positions.append(start)
        start = text.find(needle, start + len(needle))
    return positions


def split_segments(text: str, *, pick_localized: bool = False) -> BilingualText:
    """Replace every sxs segment by its English half (or its localized half)."""
    if "data-ttu-id" not in text:
        return BilingualText(text, [], [], [], [])
    separators = _find_all(text, _SEPARATOR)
    closers = _find_all(text, _CLOSER)
    openers = list(_OPENER.finditer(text))
    pieces: list[str] = []
    segments: list[Segment] = []
    malformed: list[int] = []
    shift_at: list[int] = []
    shift_by: list[int] = []
    removed = 0
    consumed = 0  # text[:consumed] has been emitted
    page_line = 1  # page line at position `consumed`
    out_line = 1  # English line at position `consumed`

    cursor_pos, cursor_line = 0, 1  # forward-only: openers come in order

    def line_of(position: int) -> int:
        nonlocal cursor_pos, cursor_line
        cursor_line += text.count("\n", cursor_pos, position)
        cursor_pos = position
        return cursor_line

    for index, opener in enumerate(openers):
        if opener.start() < consumed:
            continue
        seg_id = opener.group(1)
        local_start = opener.end()
        next_opener = openers[index + 1].start() if index + 1 < len(openers) else len(text)
        sep_index = bisect_left(separators, local_start)
        sep = separators[sep_index] if sep_index < len(separators) else -1
        id_tail = f'{seg_id}">'
        english_start = sep + len(_SEPARATOR) + len(id_tail)
        if sep == -1 or sep > next_opener or not text.startswith(id_tail, sep + len(_SEPARATOR)):
            malformed.append(line_of(opener.start()))
            continue
        close_index = bisect_left(closers, english_start)
        close = closers[close_index] if close_index < len(closers) else -1
        english = text[english_start:close] if close != -1 else ""
        if close == -1 or "\n" in english or "<span" in english:
            malformed.append(line_of(opener.start()))
            continue
        localized = text[local_start:sep]
        before = text[consumed : opener.start()]
        newlines_before = before.count("\n")
        page_line += newlines_before
        out_line += newlines_before
        pieces.append(before)
        pieces.append(localized if pick_localized else english)
        segments.append(Segment(seg_id, localized, english, page_line))
        lost = localized.count("\n")
        if not pick_localized and lost:
            removed += lost
            shift_at.append(out_line)
            shift_by.append(removed)
        page_line += lost
        consumed = close + len(_CLOSER)
    pieces.append(text[consumed:])
    return BilingualText("".join(pieces), segments, malformed, shift_at, shift_by)


def leftover_markers(text: str) -> list[str]:
    """Which sxs markers survive in English text (there should be none outside code)."""
    return [marker for marker in _MARKERS if marker in text]


__all__ = ["BilingualText", "Segment", "leftover_markers", "split_segments"]
