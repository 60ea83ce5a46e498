"""The repairing parser proper: a single pass over containers with an explicit stack.

No recursion, so 100,000 nested brackets are fine; it never backtracks, and each repair
(missing comma, stray bracket, dropped ellipsis, ...) is recorded where it is made.
"""

from __future__ import annotations

import re
from typing import Any

from extractor.read.jsonish.scanner import (
    DELIMS,
    ELLIPSIS,
    ELLIPSIS_RE,
    MISSING,
    Scanner,
)

_REOPEN_RE = re.compile(r',[ \t\r\n]*"[^"\n]*"[ \t]*:')

# parser states of a container frame
_EXPECT = 0  # after the opener or a comma: a key / an item, or the closer
_AFTER = 1  # after a member / an item: a comma or the closer


class Unrepairable(Exception):
    """The body cannot be made into JSON; carries the offending position."""

    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


class _Frame:
    """One open container on the explicit stack."""

    __slots__ = ("comma_pos", "container", "is_obj", "soft", "state")

    def __init__(self, container: dict[str, Any] | list[Any], is_obj: bool) -> None:
        self.container = container
        self.is_obj = is_obj
        self.state = _EXPECT
        self.comma_pos = -1  # position of the last comma, -1 when none pending
        self.soft = False  # an ellipsis was just dropped: no comma complaints


class TolerantParser(Scanner):
    """Single-pass tolerant JSON parser over the tokens :class:`Scanner` reads."""

    def parse(self, pos: int) -> Any:
        """Parse the container starting at ``pos`` (a ``{`` or ``[``); raise Unrepairable
        if hopeless."""
        text, n = self.text, self.n
        root: Any = {} if text[pos] == "{" else []
        stack: list[_Frame] = [_Frame(root, isinstance(root, dict))]
        open_counts = [0, 0]  # arrays, objects
        open_counts[stack[0].is_obj] += 1
        pos += 1

        def close_top() -> None:
            frame = stack.pop()
            open_counts[frame.is_obj] -= 1
            if frame.state == _EXPECT and frame.comma_pos >= 0 and not frame.soft:
                self.repair("trailing-comma", frame.comma_pos, "removed a trailing comma")

        while True:
            pos = self.skip(pos)
            if not stack:
                if pos < n and isinstance(root, dict) and _REOPEN_RE.match(text, pos):
                    self.repair("bracket", pos, "ignored a '}' that closed the object early")
                    frame = _Frame(root, True)
                    frame.state = _AFTER
                    stack.append(frame)
                    open_counts[1] += 1
                    continue
                if pos < n:
                    snippet = text[pos : pos + 30].split("\n", 1)[0]
                    self.repair(
                        "trailing-garbage", pos, f"ignored text after the JSON: {snippet!r}"
                    )
                return root
            if pos >= n:
                self.repair("truncated", n, f"closed {len(stack)} bracket(s) left open at the end")
                return root

            top = stack[-1]
            c = text[pos]
            closer = "}" if top.is_obj else "]"

            # closers, matching or not
            if c in "}]":
                if c == closer:
                    close_top()
                    pos += 1
                elif open_counts[c == "}"] > 0:
                    self.repair("bracket", pos, f"inserted the missing {closer!r} before {c!r}")
                    while stack and ("}" if stack[-1].is_obj else "]") != c:
                        stack[-1].comma_pos = -1
                        close_top()
                    close_top()
                    pos += 1
                else:
                    self.repair("bracket", pos, f"ignored a stray {c!r}")
                    pos += 1
                if stack:
                    stack[-1].state = _AFTER
                continue

            if c == ",":
                if top.state == _EXPECT:
                    if not top.soft:
                        self.repair("trailing-comma", pos, "removed an extra comma")
                else:
                    top.state = _EXPECT
                top.comma_pos = pos
                pos += 1
                continue

            if isinstance(top.container, dict):  # as top.is_obj, but narrows the type
                m = ELLIPSIS_RE.match(text, pos)
                if m is not None and (m.end() >= n or text[m.end()] in DELIMS):
                    self.repair("ellipsis", pos, "dropped an ellipsis standing for omitted members")
                    top.soft = True
                    top.state = _EXPECT
                    pos = m.end()
                    continue
                got = self.key(pos)
                if got is None:
                    raise Unrepairable("expected a property name", pos)
                if top.state == _AFTER and not top.soft:
                    self.repair("missing-comma", pos, "inserted a missing comma between members")
                key, key_end = got
                pos = self.skip(key_end)
                if pos >= n or text[pos] != ":":
                    if pos >= n:
                        continue  # truncated: the loop closes everything
                    raise Unrepairable(f"expected ':' after the key {key!r}", pos)
                pos = self.skip(pos + 1)
                if pos < n and text[pos] in "{[":
                    child: Any = {} if text[pos] == "{" else []
                    top.container[key] = child
                    top.state, top.soft, top.comma_pos = _AFTER, False, -1
                    stack.append(_Frame(child, text[pos] == "{"))
                    open_counts[text[pos] == "{"] += 1
                    pos += 1
                    continue
                val, end = self.value(pos)
                if val is ELLIPSIS:
                    self.repair("ellipsis", pos, f"dropped the member {key!r} whose value is '...'")
                    top.soft = True
                elif val is MISSING:
                    if end >= n:
                        pos = end
                        continue
                    self.repair("missing-value", pos, f"dropped the member {key!r} with no value")
                    top.soft = True
                else:
                    top.container[key] = val
                    top.soft = False
                top.state, top.comma_pos = _AFTER, -1
                pos = end
                continue

            # array
            m = ELLIPSIS_RE.match(text, pos)
            if m is not None and (m.end() >= n or text[m.end()] in DELIMS):
                self.repair("ellipsis", pos, "dropped an ellipsis standing for omitted items")
                top.soft = True
                top.state = _EXPECT
                pos = m.end()
                continue
            if top.state == _AFTER:
                if not self.starts_item(pos):
                    raise Unrepairable("expected ',' or ']'", pos)
                if not top.soft:
                    self.repair("missing-comma", pos, "inserted a missing comma between items")
            if c in "{[":
                child = {} if c == "{" else []
                top.container.append(child)
                top.state, top.soft, top.comma_pos = _AFTER, False, -1
                stack.append(_Frame(child, c == "{"))
                open_counts[c == "{"] += 1
                pos += 1
                continue
            val, end = self.value(pos)
            if val is MISSING:
                raise Unrepairable("expected a value", pos)
            if val is ELLIPSIS:
                self.repair("ellipsis", pos, "dropped an ellipsis standing for omitted items")
                top.soft = True
            else:
                top.container.append(val)
                top.soft = False
            top.state, top.comma_pos = _AFTER, -1
            pos = end
