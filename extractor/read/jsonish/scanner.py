"""The tolerant parser's reading of single tokens: strings, scalars and keys, each repaired
where the docs get it wrong, plus the bookkeeping that records every repair with its page line.

The container driver (:mod:`extractor.read.jsonish.tolerant`) builds on :class:`Scanner`.
"""

from __future__ import annotations

import html
import math
import re
from bisect import bisect_right
from typing import Any

from extractor.schema import Repair

_WS_RE = re.compile(r"[ \t\r\n]*")
_UNUSUAL_WS = frozenset("\u00a0\u200b\u2009\u202f\u3000\ufeff\u2028\u2029")
_SKIPPABLE = frozenset(" \t\r\n/") | _UNUSUAL_WS
_MAX_PER_KIND = 50  # repairs listed per kind before a summary entry takes over

_DQ, _SQ, _ENT, _ESC = 0, 1, 2, 3  # string openers: "  '  &quot;  \"
_RUNS = {
    _DQ: re.compile(r'[^"\\&\x00-\x1f]+'),
    _SQ: re.compile(r"[^'\\&\x00-\x1f]+"),
    _ENT: re.compile(r'[^"\\&\x00-\x1f]+'),
    _ESC: re.compile(r"[^\\&\x00-\x1f]+"),
}
_SIMPLE_ESCAPES = {
    '"': '"',
    "\\": "\\",
    "/": "/",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
}
_HEX4_RE = re.compile(r"[0-9a-fA-F]{4}")
_ENT_COLON_RE = re.compile(r"&quot;[ \t]*:")
# What a line must look like for an unterminated string before it to end at its newline.
_NEXT_MEMBER_RE = re.compile(r'[ \t]*"[^"\n]*"[ \t]*:')
_NUMBER_RE = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LOOSE_NUMBER_RE = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
ELLIPSIS_RE = re.compile(r"(?:\.{2,}|…+)")
_BARE_RUN_RE = re.compile(r"[^,}\]\n\r/]+")
_KEY_IDENT_RE = re.compile(r"([A-Za-z_$@][\w$@.\-]*|\d+)[ \t]*(?=:)")
_LITERAL_RE = re.compile(r"(?:true|false|null|True|False|None)(?![\w$@.\-])")
DELIMS = frozenset(" \t\r\n,}]/")
_VALUE_START = frozenset("{[\"'-0123456789")
_IDENT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")

_PY_LITERALS: dict[str, Any] = {"True": True, "False": False, "None": None}
_LOOSE_LITERALS: dict[str, Any] = {"true": True, "false": False, "null": None, "none": None}

MISSING = object()  # no value where one was due
ELLIPSIS = object()  # `...` standing for omitted content


class Scanner:
    """Tokens and repair bookkeeping; each character is looked at a bounded number of times."""

    def __init__(self, text: str, first_line: int, guess: bool = False) -> None:
        self.text = text
        self.guess = guess  # enable the heuristics that could misread a fault-free string
        self.n = len(text)
        self.first_line = first_line
        self.repairs: list[Repair] = []
        self._seen: set[tuple[str, int]] = set()
        self._per_kind: dict[str, int] = {}
        self._omitted: dict[str, tuple[int, int]] = {}  # kind -> (count, first line)
        self._newlines: list[int] | None = None

    # -- bookkeeping --

    def line(self, pos: int) -> int:
        """1-based page line of a text position (newline table built on first use)."""
        if self._newlines is None:
            text = self.text
            out: list[int] = []
            i = text.find("\n")
            while i >= 0:
                out.append(i)
                i = text.find("\n", i + 1)
            self._newlines = out
        return self.first_line + bisect_right(self._newlines, pos - 1)

    def repair(self, kind: str, pos: int, message: str) -> None:
        """Record a repair once per kind and line, and at most _MAX_PER_KIND per kind.

        A long faulty line gives one entry; a body with thousands of faulty lines gives
        a bounded list plus one summary entry (see :meth:`finish`).
        """
        line = self.line(min(max(pos, 0), self.n))
        if (kind, line) in self._seen:
            return
        self._seen.add((kind, line))
        count = self._per_kind.get(kind, 0)
        if count >= _MAX_PER_KIND:
            omitted, first = self._omitted.get(kind, (0, line))
            self._omitted[kind] = (omitted + 1, first)
            return
        self._per_kind[kind] = count + 1
        self.repairs.append(Repair(kind=kind, line=line, message=message))

    def finish(self) -> list[Repair]:
        """The repairs, with one summary per kind whose entries were capped."""
        out = list(self.repairs)
        for kind, (omitted, first) in sorted(self._omitted.items()):
            out.append(
                Repair(kind=kind, line=first, message=f"and {omitted} more from this line on")
            )
        return out

    def skip(self, pos: int) -> int:
        """Skip whitespace and comments (recording the comments and odd spaces)."""
        text, n = self.text, self.n
        if pos < n and text[pos] not in _SKIPPABLE:
            return pos
        while True:
            pos = _WS_RE.match(text, pos).end()  # type: ignore[union-attr]
            if pos >= n:
                return pos
            c = text[pos]
            if c == "/" and pos + 1 < n:
                nxt = text[pos + 1]
                if nxt == "/":
                    self.repair("comment", pos, "removed a // comment")
                    end = text.find("\n", pos)
                    pos = n if end < 0 else end
                    continue
                if nxt == "*":
                    end = text.find("*/", pos + 2)
                    if end < 0:
                        self.repair("comment", pos, "removed an unclosed /* comment")
                        return n
                    self.repair("comment", pos, "removed a /* */ comment")
                    pos = end + 2
                    continue
            if c in _UNUSUAL_WS:
                self.repair("whitespace", pos, f"treated U+{ord(c):04X} as a space")
                pos += 1
                continue
            return pos

    # -- tokens --

    def string(self, pos: int, mode: int) -> tuple[str, int, bool]:
        """Read a string whose opener ended at ``pos``; returns (value, end, had_raw_newline)."""
        text, n = self.text, self.n
        run = _RUNS[mode]
        parts: list[str] = []
        start = pos
        raw_newline = False
        while True:
            m = run.match(text, pos)
            if m is not None:
                parts.append(m.group())
                pos = m.end()
            if pos >= n:
                self.repair("truncated", n, "closed a string cut off by the end of the body")
                return "".join(parts), pos, raw_newline
            c = text[pos]
            if c == '"':  # only reached in the DQ and ENT modes
                if mode == _DQ and pos == start and pos + 1 < n and text[pos + 1] in _IDENT_CHARS:
                    self.repair("stray-quote", pos, 'removed a doubled opening quote ("")')
                    pos += 1
                    continue
                return "".join(parts), pos + 1, raw_newline
            if c == "'":  # only reached in the SQ mode
                return "".join(parts), pos + 1, raw_newline
            if c == "&":
                if text.startswith("&quot;", pos):
                    if mode == _ENT:
                        return "".join(parts), pos + 6, raw_newline
                    if self.guess and mode == _DQ and _ENT_COLON_RE.match(text, pos):
                        self.repair("html-entity", pos, "read &quot; as the closing quote of a key")
                        return "".join(parts), pos + 6, raw_newline
                parts.append("&")
                pos += 1
                continue
            if c == "\\":
                if mode == _ESC:
                    if text.startswith('\\"', pos):
                        return "".join(parts), pos + 2, raw_newline
                    if text.startswith('\\\\\\"', pos):
                        parts.append('"')
                        pos += 4
                        continue
                pos = self._escape(pos, mode, parts)
                continue
            if c in "\r\n":
                nxt_line = pos + 2 if text.startswith("\r\n", pos) else pos + 1
                if self.guess and not raw_newline and _NEXT_MEMBER_RE.match(text, nxt_line):
                    self.repair("unclosed-string", pos, "closed a string left open at the line end")
                    value = "".join(parts).rstrip()
                    value = value.removesuffix(",").rstrip()
                    return value, pos, raw_newline
                self.repair("raw-newline-in-string", pos, "kept a raw line break inside a string")
                raw_newline = True
                parts.append(c)
                pos += 1
                continue
            # any other control character
            self.repair("control-char-in-string", pos, f"kept raw U+{ord(c):04X} inside a string")
            parts.append(c)
            pos += 1

    def _escape(self, pos: int, mode: int, parts: list[str]) -> int:
        """Decode one backslash escape at ``pos`` exactly as json does; tolerate bad ones."""
        text, n = self.text, self.n
        if pos + 1 >= n:
            parts.append("\\")
            return pos + 1
        nxt = text[pos + 1]
        simple = _SIMPLE_ESCAPES.get(nxt)
        if simple is not None:
            parts.append(simple)
            return pos + 2
        if nxt == "u" and _HEX4_RE.match(text, pos + 2):
            cp = int(text[pos + 2 : pos + 6], 16)
            pos += 6
            if (
                0xD800 <= cp <= 0xDBFF
                and text.startswith("\\u", pos)
                and _HEX4_RE.match(text, pos + 2)
            ):
                low = int(text[pos + 2 : pos + 6], 16)
                if 0xDC00 <= low <= 0xDFFF:
                    cp = 0x10000 + (((cp - 0xD800) << 10) | (low - 0xDC00))
                    pos += 6
            parts.append(chr(cp))
            return pos
        if nxt == "'":
            if mode != _SQ:
                self.repair("invalid-escape", pos, "read \\' as '")
            parts.append("'")
            return pos + 2
        self.repair("invalid-escape", pos, f"kept the backslash of an invalid escape \\{nxt}")
        parts.append("\\")
        return pos + 1

    def opener(self, pos: int) -> tuple[int, int] | None:
        """If a string starts at ``pos``, return (mode, position after the opener)."""
        text = self.text
        c = text[pos]
        if c == '"':
            return _DQ, pos + 1
        if c == "'":
            self.repair("single-quotes", pos, "read a single-quoted string")
            return _SQ, pos + 1
        if c == "&" and text.startswith("&quot;", pos):
            self.repair("html-entity", pos, "read &quot; as a quote")
            return _ENT, pos + 6
        if c == "\\" and text.startswith('\\"', pos):
            self.repair("escaped-quotes", pos, 'read \\" outside a string as a quote')
            return _ESC, pos + 2
        return None

    def value(self, pos: int) -> tuple[Any, int]:
        """Read a scalar at ``pos`` (containers are handled by the caller)."""
        text, n = self.text, self.n
        if pos >= n:
            return MISSING, pos
        c = text[pos]
        if c in ",}]:":
            return MISSING, pos
        opened = self.opener(pos)
        if opened is not None:
            s, end, _ = self.string(opened[1], opened[0])
            return s, end
        m = ELLIPSIS_RE.match(text, pos)
        if m is not None and (m.end() >= n or text[m.end()] in DELIMS):
            return ELLIPSIS, m.end()
        if c == "-" or c.isdigit():
            m = _NUMBER_RE.match(text, pos)
            if m is not None and (m.end() >= n or text[m.end()] in DELIMS):
                tok = m.group()
                try:
                    if "." in tok or "e" in tok or "E" in tok:
                        number = float(tok)
                        if math.isinf(number):  # 1e999: no float holds it
                            raise OverflowError
                        return number, m.end()
                    return int(tok), m.end()
                except ValueError:  # more digits than int() accepts
                    self.repair("number-format", pos, "kept an over-long number as a string")
                    return tok, m.end()
                except OverflowError:
                    message = f"kept {tok} as written (a string): it is not a finite number"
                    self.repair("number-format", pos, message)
                    return tok, m.end()
        m = _LITERAL_RE.match(text, pos)
        if m is not None and c in "tfn":
            return {"true": True, "false": False, "null": None}[m.group()], m.end()
        return self.bare(pos)

    def bare(self, pos: int) -> tuple[Any, int]:
        """Read an unquoted value up to the next delimiter and decide what it meant."""
        text, n = self.text, self.n
        end = pos
        while True:
            m = _BARE_RUN_RE.match(text, end)
            if m is not None:
                end = m.end()
            if end < n and text[end] == "/":
                nxt = text[end + 1 : end + 2]
                if nxt == "*" or (nxt == "/" and (end == pos or text[end - 1] in " \t")):
                    break
                end += 1
                continue
            break
        tok = text[pos:end].rstrip(" \t")
        if not tok:
            return MISSING, pos
        if ELLIPSIS_RE.fullmatch(tok):
            return ELLIPSIS, end
        if tok in _PY_LITERALS:
            self.repair("python-literal", pos, f"read Python {tok} as JSON")
            return _PY_LITERALS[tok], end
        if tok.lower() in _LOOSE_LITERALS:
            self.repair("python-literal", pos, f"read {tok} as a JSON literal")
            return _LOOSE_LITERALS[tok.lower()], end
        if _LOOSE_NUMBER_RE.fullmatch(tok):
            try:
                number: Any = (
                    float(tok) if any(ch in tok for ch in ".eE") else int(tok.lstrip("+") or "0")
                )
            except ValueError:
                number = None
            if isinstance(number, float) and math.isinf(number):
                number = None  # no float holds it: not read as a number
            if number is not None:
                self.repair("number-format", pos, f"read {tok} as the number {number}")
                return number, end
        if "&" in tok:
            decoded = html.unescape(tok)
            if decoded != tok:
                self.repair("html-entity", pos, "decoded HTML entities in an unquoted value")
                tok = decoded
        if tok.endswith('"') and len(tok) > 1:
            tok = tok[:-1]
            self.repair("unquoted-value", pos, "added the missing opening quote of a string")
        else:
            self.repair("unquoted-value", pos, "read an unquoted value as a string")
        return tok, end

    def key(self, pos: int) -> tuple[str, int] | None:
        """Read an object key at ``pos``, or None when nothing key-like is there."""
        opened = self.opener(pos)
        if opened is not None:
            k, end, raw_newline = self.string(opened[1], opened[0])
            if raw_newline and k != k.strip():
                k = k.strip()
            return k, end
        m = _KEY_IDENT_RE.match(self.text, pos)
        if m is not None:
            self.repair("unquoted-key", pos, f"quoted the bare key {m.group(1)}")
            return m.group(1), m.end()
        return None

    def starts_item(self, pos: int) -> bool:
        """Does an array item clearly start here (used to detect a missing comma)?"""
        text = self.text
        c = text[pos]
        if c in _VALUE_START:
            return True
        if c == "&":
            return text.startswith("&quot;", pos)
        return _LITERAL_RE.match(text, pos) is not None
