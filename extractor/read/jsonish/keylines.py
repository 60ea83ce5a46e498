"""The page line of each key of a JSON body, so that a finding about ``$.value[0].state``
can name the line that writes ``"state"``."""

from __future__ import annotations

import bisect
import re
from typing import Any

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"(\s*:)?', re.DOTALL)


def _count_keys(value: Any) -> int:
    """How many keys a parsed value holds, nested ones included (no recursion)."""
    count = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            count += len(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def key_lines(text: str, value: Any, first_line: int) -> list[int]:
    """The page line of each key, in the order the text writes them (the order of a pre-order
    walk of ``value``, as ``json`` keeps keys in order); empty when the text's keys are not
    exactly the value's (keys repaired, duplicated or unquoted), as lines would then drift."""
    breaks = [i for i, char in enumerate(text) if char == "\n"]
    lines = [
        first_line + bisect.bisect_left(breaks, match.start())
        for match in _STRING.finditer(text)
        if match.group(1)
    ]
    return lines if len(lines) == _count_keys(value) else []
