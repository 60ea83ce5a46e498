"""Parse example bodies, repairing the JSON the docs get wrong, or classify what is not JSON.

Strict ``json.loads`` runs first, so the ~97% of bodies that are valid cost nothing extra.
Only when it fails does a tolerant, single-pass parser run (a second pass, allowed to
guess where a broken string ends, runs only if the first fails). That parser keeps an
explicit stack (no recursion, so 100,000 nested brackets are fine), never backtracks, and
records every change it makes as a :class:`~extractor.schema.Repair` carrying the page
line, so a diagnostic can point at the exact spot. Bodies that are not JSON at all (CSV reports,
base64, MIME, multipart, XML, placeholders such as ``<bytes of the file>``) get a
classification instead of a value. Nothing here raises on bad input.
"""

from __future__ import annotations

import html
import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from extractor.schema import BodyKind, Repair

__all__ = [
    "REPAIR_KINDS",
    "BodyResult",
    "looks_like_json",
    "parse_body",
    "parse_lenient_object",
]

#: Every repair kind this module emits (stable ids, used in diagnostics). The first 13 are
#: the documented ones; the rest name faults found in the real corpus that fit none of them.
REPAIR_KINDS: tuple[str, ...] = (
    "trailing-comma",
    "comment",
    "single-quotes",
    "html-entity",
    "raw-newline-in-string",
    "control-char-in-string",
    "missing-comma",
    "ellipsis",
    "unquoted-key",
    "python-literal",
    "truncated",
    "bom",
    "trailing-garbage",
    # beyond the documented set
    "unquoted-value",  # a bare word/date/GUID as a value: kept as a string
    "number-format",  # 007, +1, .5, 1.: read as the number meant
    "missing-value",  # "key": , -> member dropped
    "bracket",  # mismatched or stray closing bracket
    "escaped-quotes",  # {\"a\":1}: a JSON string's content pasted as the body
    "stray-quote",  # ""word" -> "word"
    "unclosed-string",  # "text,<newline> "next": ... -> string closed at the line end
    "invalid-escape",  # "C:\path" -> backslash kept literally
    "whitespace",  # no-break / zero-width space between tokens
)


@dataclass(frozen=True)
class BodyResult:
    """What a body turned out to be: a JSON value (with repairs) or a classification."""

    kind: BodyKind
    value: Any = None
    repairs: list[Repair] = field(default_factory=list)
    error: str | None = None
    error_line: int | None = None


# --- small helpers -----------------------------------------------------------------------

_LEAD_RE = re.compile(r"[ \t\r\n\ufeff]*")
_WS_RE = re.compile(r"[ \t\r\n]*")
_UNUSUAL_WS = frozenset("\u00a0\u200b\u2009\u202f\u3000\ufeff\u2028\u2029")
_SKIPPABLE = frozenset(" \t\r\n/") | _UNUSUAL_WS
_MAX_PER_KIND = 50  # repairs listed per kind before a summary entry takes over


def _reject_constant(name: str) -> Any:
    """Make strict parsing refuse NaN/Infinity, which are not JSON."""
    raise ValueError(f"{name} is not JSON")


def looks_like_json(text: str) -> bool:
    """True when the text starts (after whitespace and a BOM) with ``{`` or ``[``."""
    pos = _LEAD_RE.match(text).end()  # type: ignore[union-attr]
    return pos < len(text) and text[pos] in "{["


_STRICT = json.JSONDecoder(parse_constant=_reject_constant)  # built once: json.loads with
# keyword arguments would build a new decoder per call


def _strict(text: str) -> tuple[bool, Any]:
    """Strict json.loads that reports failure instead of raising."""
    try:
        return True, _STRICT.decode(text)
    except (ValueError, RecursionError):
        return False, None


# --- the tolerant parser -----------------------------------------------------------------

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
_ELLIPSIS_RE = re.compile(r"(?:\.{2,}|…+)")
_BARE_RUN_RE = re.compile(r"[^,}\]\n\r/]+")
_KEY_IDENT_RE = re.compile(r"([A-Za-z_$@][\w$@.\-]*|\d+)[ \t]*(?=:)")
_LITERAL_RE = re.compile(r"(?:true|false|null|True|False|None)(?![\w$@.\-])")
_REOPEN_RE = re.compile(r',[ \t\r\n]*"[^"\n]*"[ \t]*:')
_DELIMS = frozenset(" \t\r\n,}]/")
_VALUE_START = frozenset("{[\"'-0123456789")
_IDENT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")

_PY_LITERALS: dict[str, Any] = {"True": True, "False": False, "None": None}
_LOOSE_LITERALS: dict[str, Any] = {"true": True, "false": False, "null": None, "none": None}

# parser states of a container frame
_EXPECT = 0  # after the opener or a comma: a key / an item, or the closer
_AFTER = 1  # after a member / an item: a comma or the closer

_MISSING = object()  # no value where one was due
_ELLIPSIS = object()  # `...` standing for omitted content


class _Fail(Exception):
    """Internal: the body cannot be made into JSON; carries the offending position."""

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


class _Parser:
    """Single-pass tolerant JSON parser; each character is looked at a bounded number of times."""

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
            return _MISSING, pos
        c = text[pos]
        if c in ",}]:":
            return _MISSING, pos
        opened = self.opener(pos)
        if opened is not None:
            s, end, _ = self.string(opened[1], opened[0])
            return s, end
        m = _ELLIPSIS_RE.match(text, pos)
        if m is not None and (m.end() >= n or text[m.end()] in _DELIMS):
            return _ELLIPSIS, m.end()
        if c == "-" or c.isdigit():
            m = _NUMBER_RE.match(text, pos)
            if m is not None and (m.end() >= n or text[m.end()] in _DELIMS):
                tok = m.group()
                try:
                    if "." in tok or "e" in tok or "E" in tok:
                        return float(tok), m.end()
                    return int(tok), m.end()
                except ValueError:  # more digits than int() accepts
                    self.repair("number-format", pos, "kept an over-long number as a string")
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
            return _MISSING, pos
        if _ELLIPSIS_RE.fullmatch(tok):
            return _ELLIPSIS, end
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

    # -- the driver --

    def parse(self, pos: int) -> Any:
        """Parse the container starting at ``pos`` (a ``{`` or ``[``); raise _Fail if hopeless."""
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

            if top.is_obj:
                m = _ELLIPSIS_RE.match(text, pos)
                if m is not None and (m.end() >= n or text[m.end()] in _DELIMS):
                    self.repair("ellipsis", pos, "dropped an ellipsis standing for omitted members")
                    top.soft = True
                    top.state = _EXPECT
                    pos = m.end()
                    continue
                got = self.key(pos)
                if got is None:
                    raise _Fail("expected a property name", pos)
                if top.state == _AFTER and not top.soft:
                    self.repair("missing-comma", pos, "inserted a missing comma between members")
                key, key_end = got
                pos = self.skip(key_end)
                if pos >= n or text[pos] != ":":
                    if pos >= n:
                        continue  # truncated: the loop closes everything
                    raise _Fail(f"expected ':' after the key {key!r}", pos)
                pos = self.skip(pos + 1)
                if pos < n and text[pos] in "{[":
                    child: Any = {} if text[pos] == "{" else []
                    top.container[key] = child  # type: ignore[index]
                    top.state, top.soft, top.comma_pos = _AFTER, False, -1
                    stack.append(_Frame(child, text[pos] == "{"))
                    open_counts[text[pos] == "{"] += 1
                    pos += 1
                    continue
                val, end = self.value(pos)
                if val is _ELLIPSIS:
                    self.repair("ellipsis", pos, f"dropped the member {key!r} whose value is '...'")
                    top.soft = True
                elif val is _MISSING:
                    if end >= n:
                        pos = end
                        continue
                    self.repair("missing-value", pos, f"dropped the member {key!r} with no value")
                    top.soft = True
                else:
                    top.container[key] = val  # type: ignore[index]
                    top.soft = False
                top.state, top.comma_pos = _AFTER, -1
                pos = end
                continue

            # array
            m = _ELLIPSIS_RE.match(text, pos)
            if m is not None and (m.end() >= n or text[m.end()] in _DELIMS):
                self.repair("ellipsis", pos, "dropped an ellipsis standing for omitted items")
                top.soft = True
                top.state = _EXPECT
                pos = m.end()
                continue
            if top.state == _AFTER:
                if not self.starts_item(pos):
                    raise _Fail("expected ',' or ']'", pos)
                if not top.soft:
                    self.repair("missing-comma", pos, "inserted a missing comma between items")
            if c in "{[":
                child = {} if c == "{" else []
                top.container.append(child)  # type: ignore[union-attr]
                top.state, top.soft, top.comma_pos = _AFTER, False, -1
                stack.append(_Frame(child, c == "{"))
                open_counts[c == "{"] += 1
                pos += 1
                continue
            val, end = self.value(pos)
            if val is _MISSING:
                raise _Fail("expected a value", pos)
            if val is _ELLIPSIS:
                self.repair("ellipsis", pos, "dropped an ellipsis standing for omitted items")
                top.soft = True
            else:
                top.container.append(val)  # type: ignore[union-attr]
                top.soft = False
            top.state, top.comma_pos = _AFTER, -1
            pos = end


def _tolerant(text: str, first_line: int, pos: int) -> BodyResult:
    """Run the tolerant parser from ``pos``; a failure becomes an error, never an exception.

    The first pass never guesses where a string ends; only when it fails does a second
    pass let ``&quot;:`` close a key and a line that starts a new member close a string
    left open. So valid strings that merely contain such text are never cut.
    """
    failures: list[tuple[_Fail, _Parser]] = []
    for guess in (False, True):
        parser = _Parser(text, first_line, guess)
        try:
            value = parser.parse(pos)
        except _Fail as fail:
            failures.append((fail, parser))
            continue
        return BodyResult(kind="json", value=value, repairs=parser.finish())
    fail, parser = max(failures, key=lambda item: item[0].pos)
    line = parser.line(fail.pos)
    return BodyResult(
        kind="text", error=f"unparsable JSON: {fail.message} (line {line})", error_line=line
    )


# --- classification of non-JSON bodies ---------------------------------------------------

_PLACEHOLDER_RE = re.compile(
    r"""[\[{<(]\s*[A-Za-z][^"'{}\[\]<>:,=\n]*[\]}>)]"""  # <bytes of the file>, [Binary data]
    r"|\.{3}[^\n]{1,60}\.{3}"  # ...binary data...
)
_BOUNDARY_RE = re.compile(r"--[A-Za-z0-9'()+_,./:=?-]{1,70}[ \t]*$", re.M)
_MULTIPART_RE = re.compile(r"^content-type:[ \t]*multipart/", re.I | re.M)
_HEADER_LINE_RE = re.compile(r"[A-Za-z][A-Za-z0-9-]*:(?:[ \t]|$)")
_MIME_HEADERS = frozenset(
    (
        "mime-version",
        "content-type",
        "content-transfer-encoding",
        "content-disposition",
        "from",
        "to",
        "subject",
        "received",
        "date",
        "message-id",
        "return-path",
    )
)
_XML_START_RE = re.compile(r"<(?:\?xml|[A-Za-z_][\w.:-]*)[\s>/]")
_BASE64_RE = re.compile(r"[A-Za-z0-9+/=_-]+")
_MAX_CSV_LINE = 10_000
_INNER_SPACE_RE = re.compile(r"\s")


def _csv_fields(line: str) -> int:
    """Number of comma-separated fields, ignoring commas inside double quotes."""
    if '"' not in line:
        return line.count(",") + 1
    count, quoted = 1, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            count += 1
    return count


def _is_csv(lines: list[str]) -> bool:
    """A header row of several short label fields, and data rows with the same count."""
    if not lines:
        return False
    head = lines[0].strip()
    if len(head) > _MAX_CSV_LINE:
        return False
    width = _csv_fields(head)
    if width < 2 or any(ch in head for ch in "{}[]<>=:;"):
        return False
    if any(len(f.strip()) > 60 for f in head.split(",")):
        return False
    if len(lines) == 1:  # a report's header row alone, as the docs show it
        return width >= 3 and ". " not in head
    rows = lines[1:50]
    same = sum(1 for line in rows if len(line) <= _MAX_CSV_LINE and _csv_fields(line) == width)
    return same >= max(1, int(len(rows) * 0.9))


def _is_base64(s: str, first_line: str) -> bool:
    """One long run of the base64 alphabet (possibly wrapped, possibly cut off with ...)."""
    compact = "".join(s.split())
    compact = compact.rstrip(".…")
    if len(compact) < 16 or not _BASE64_RE.fullmatch(compact):
        return False
    if _INNER_SPACE_RE.search(first_line.strip()):
        return False
    head = compact[:2000]
    return (
        any(ch.isdigit() or ch in "+/=" for ch in head)
        and any(ch.isupper() for ch in head)
        and any(ch.islower() for ch in head)
    )


def _classify(text: str) -> BodyKind:
    """Name what a non-JSON body is; cheap checks only, linear in the text."""
    s = text.strip().lstrip("\ufeff").strip()
    if not s:
        return "empty"
    sample = s[:4096]
    if "\x00" in sample:
        return "binary"
    odd = sum(1 for ch in sample if (ch < " " and ch not in "\t\r\n") or ch == "\ufffd")
    if odd * 10 > len(sample):
        return "binary"
    lines = [line.rstrip() for line in s.split("\n", 60)[:60]]
    if len(lines) == 1 and _PLACEHOLDER_RE.fullmatch(s):
        return "placeholder"
    if _BOUNDARY_RE.match(lines[0]) and (
        s.endswith("--") or any(line.lower().startswith("content-") for line in lines[1:10])
    ):
        return "multipart"
    header_names = [
        line.split(":", 1)[0].lower() for line in lines[:15] if _HEADER_LINE_RE.match(line)
    ]
    if (
        len(header_names) >= 2
        and any(name in _MIME_HEADERS for name in header_names)
        and (_HEADER_LINE_RE.match(lines[0]) or len(header_names) >= 4)
    ):
        return "mime"
    if _MULTIPART_RE.search(sample):
        return "multipart"
    if s.startswith("<?xml") or (
        _XML_START_RE.match(s) and s.endswith(">") and ("</" in s or "/>" in s)
    ):
        return "xml"
    if _is_csv([line for line in lines if line.strip()]):
        return "csv"
    if _is_base64(s, lines[0]):
        return "base64"
    return "text"


# --- public entry points -----------------------------------------------------------------


def parse_body(text: str, first_line: int = 1) -> BodyResult:
    """Parse an example body: JSON (strictly, else repaired), or classify what it is instead.

    ``first_line`` is the page line of the body's first line; repairs carry page lines.
    """
    repairs: list[Repair] = []
    if text.startswith("\ufeff"):
        repairs.append(Repair(kind="bom", line=first_line, message="removed a byte order mark"))
        text = text[1:]
    if not looks_like_json(text):
        return BodyResult(kind=_classify(text))
    ok, value = _strict(text)
    if ok:
        return BodyResult(kind="json", value=value, repairs=repairs)
    stripped = text.strip()
    if "\n" not in stripped and _PLACEHOLDER_RE.fullmatch(stripped):
        return BodyResult(kind="placeholder")
    start = _LEAD_RE.match(text).end()  # type: ignore[union-attr]
    result = _tolerant(text, first_line, start)
    if result.kind != "json":
        if not any(ch in text for ch in "\"':"):
            # No key, no string anywhere: a template such as {Vendor}/{Provider}, not JSON.
            return BodyResult(kind=_classify(text))
        return result
    return BodyResult(kind="json", value=result.value, repairs=repairs + result.repairs)


def parse_lenient_object(text: str, first_line: int = 1) -> BodyResult:
    """Parse an annotation comment's JSON object, tolerating the same faults as bodies.

    Accepts the bare object or the whole ``<!-- ... -->`` comment. Returns kind "json"
    with a dict, or kind "text" with ``error`` set.
    """
    body = text
    lead = _LEAD_RE.match(body).end()  # type: ignore[union-attr]
    if body.startswith("<!--", lead):
        body = body[:lead] + "    " + body[lead + 4 :]  # keep positions, hence lines
    end = body.rfind("-->")
    if end >= 0 and not body[end + 3 :].strip():
        body = body[:end]
    result = parse_body(body, first_line)
    if result.kind == "json" and isinstance(result.value, dict):
        return result
    if result.error is not None:
        return result
    lead = _LEAD_RE.match(body).end()  # type: ignore[union-attr]
    return BodyResult(
        kind="text",
        error="the annotation is not a JSON object",
        error_line=first_line + body.count("\n", 0, lead),
    )
