"""Text in the generated code: docstrings and string literals, cleaned, escaped and wrapped
to the columns ruff counts (East Asian wide characters count twice)."""

from __future__ import annotations

import itertools
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from functools import cache, lru_cache
from json.encoder import encode_basestring

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\x85]")
_TOKEN = re.compile(r"\S+\s*|\s+")

DOC_WIDTH = 88
STRING_WIDTH = 72


@lru_cache(maxsize=1 << 16)
def _clean(text: str | None) -> str:
    text = (text or "").encode("utf-8", "replace").decode("utf-8")
    return " ".join(_CONTROL.sub(" ", text).split())  # str.split's whitespace is re's \s


def _docstring(paragraphs: Iterable[str], indent: str = "    ") -> str:
    """A triple-quoted docstring, wrapped, with backslashes and quotes escaped."""
    lines: list[str] = []
    for paragraph in paragraphs:
        wrapped = _doc_lines(paragraph)
        if not wrapped:
            continue
        if lines:
            lines.append("")
        lines.extend(wrapped)
    if not lines:
        lines = ["Undocumented."]
    if lines[-1].endswith('"'):
        lines[-1] = lines[-1][:-1] + '\\"'
    if len(lines) == 1:
        return f'"""{lines[0]}"""'
    body = "\n".join(indent + line if line else "" for line in lines[1:])
    return f'"""{lines[0]}\n{body}\n{indent}"""'


@lru_cache(maxsize=1 << 16)
def _doc_lines(paragraph: str | None) -> tuple[str, ...]:
    """One docstring paragraph, escaped and wrapped: most recur in both versions' packages."""
    text = _clean(paragraph)
    if not text:
        return ()
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return tuple(line.rstrip() for line in _pieces(text, DOC_WIDTH, cut_words=False))


def _literal(text: str) -> str:
    """A double-quoted Python string literal (JSON's escapes are all valid Python escapes);
    ``json.dumps(text, ensure_ascii=False)`` without building an encoder each time."""
    return encode_basestring(text)


@cache
def _char_width(char: str) -> int:
    """Columns of one character, remembered: the docs use a few thousand distinct ones."""
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _width(text: str) -> int:
    """Columns ``text`` takes as ruff counts them: East Asian wide characters count twice."""
    if text.isascii():
        return len(text)
    return sum(map(_char_width, text))


def _pieces(text: str, width: int, *, cut_words: bool = True) -> list[str]:
    """Cut ``text`` into pieces of at most ``width`` columns that concatenate back to it.

    Cuts fall after whitespace. A longer word is cut inside when ``cut_words`` (string
    literals: the pieces still concatenate to the same text), else it gets a piece of its own
    (docstrings: ruff accepts a long line of a single word).
    """
    pieces: list[str] = []
    current, used = "", 0
    for token in _TOKEN.findall(text):
        size = _width(token)
        if size > width and (cut_words or not token.isascii()):
            if current:
                pieces.append(current)
            # Each piece is the longest run of characters that fits (at least one), found by
            # bisecting the running widths: Chinese text is one long "word" per sentence.
            ends = list(itertools.accumulate(map(_char_width, token)))
            start, before = 0, 0
            while True:
                stop = max(bisect_right(ends, before + width, start), start + 1)
                if stop >= len(token):
                    break
                pieces.append(token[start:stop])
                start, before = stop, ends[stop - 1]
            current, used = token[start:], ends[-1] - before
            continue
        if used + size > width and current:
            pieces.append(current)
            current, used = "", 0
        current += token
        used += size
    if current or not pieces:
        pieces.append(current)
    return pieces


@lru_cache(maxsize=1 << 16)
def _string_expr(text: str) -> str:
    """A literal, or parenthesized implicit concatenation of pieces when it is long."""
    if len(text) <= STRING_WIDTH:
        return _literal(text)
    return "(\n" + "\n".join(_literal(piece) for piece in _pieces(text, STRING_WIDTH)) + "\n)"
