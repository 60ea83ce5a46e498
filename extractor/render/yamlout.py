"""A fast, deterministic YAML writer for JSON-shaped data (the OpenAPI documents).

PyYAML's emitter, even the C one, spends most of a full build writing the OpenAPI
documents (30 MB with their examples). JSON-shaped data needs little of YAML: block
mappings with sorted keys, block sequences, and scalars. Strings are written as JSON
string literals, which are valid YAML double-quoted scalars, once the few characters that
YAML does not accept unescaped (C1 controls, line separators, BOM), and
lone surrogates, which no encoding can write, become U+FFFD are escaped too.
"""

from __future__ import annotations

import json
import re
from json.encoder import encode_basestring
from typing import Any

__all__ = ["dump", "dump_entry"]

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_RESERVED = frozenset(
    {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "nan", "inf"}
)
_NOT_YAML_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
#: A tuple, not ``dict | list | tuple``: ``isinstance`` checks it three times faster.
_CONTAINERS = (dict, list, tuple)


def _escape(match: re.Match[str]) -> str:
    """YAML escapes what it would fold or reject; a lone surrogate has no escape: U+FFFD."""
    code = ord(match.group(0))
    return "\ufffd" if 0xD800 <= code <= 0xDFFF else f"\\u{code:04x}"


def _string(text: str) -> str:
    """``json.dumps(text, ensure_ascii=False)``, but without building an encoder each time."""
    quoted = encode_basestring(text)
    if quoted.isascii() and "\x7f" not in quoted:
        return quoted
    return _NOT_YAML_PRINTABLE.sub(_escape, quoted)


def _key(text: str) -> str:
    if _PLAIN_KEY.fullmatch(text) and text.lower() not in _RESERVED:
        return text
    return _string(text)


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = json.dumps(value)
        mantissa, exponent, power = text.partition("e")
        if exponent and "." not in mantissa:  # YAML 1.1 resolves floats only with a dot
            text = f"{mantissa}.0e{power}"
        return text
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list | tuple):
        return "[]"
    return _string(str(value))


def _emit(
    value: dict[Any, Any] | list[Any] | tuple[Any, ...],
    pad: str,
    out: list[str],
    keys: dict[str, str],
) -> None:
    """Lines of a non-empty container indented by ``pad``; ``keys`` caches written keys (the
    same few hundred names recur hundreds of thousands of times in an OpenAPI document)."""
    inner = pad + "  "
    if isinstance(value, dict):
        for key in sorted(value, key=str):
            item = value[key]
            text = str(key)
            written = keys.get(text)
            if written is None:
                written = keys[text] = _key(text)
            if isinstance(item, _CONTAINERS) and item:
                out.append(f"{pad}{written}:")
                _emit(item, inner, out, keys)
            else:
                out.append(f"{pad}{written}: {_scalar(item)}")
        return
    for item in value:
        if isinstance(item, _CONTAINERS) and item:
            first = len(out)
            _emit(item, inner, out, keys)
            out[first] = f"{pad}- {out[first][len(inner) :]}"
        else:
            out.append(f"{pad}- {_scalar(item)}")


def dump(document: Any) -> str:
    """YAML text of a JSON-shaped value: sorted keys, block style, one trailing newline."""
    if not isinstance(document, _CONTAINERS) or not document:
        return _scalar(document) + "\n"
    out: list[str] = []
    _emit(document, "", out, {})
    return "\n".join(out) + "\n"


def dump_entry(key: str, value: Any, pad: str = "", keys: dict[str, str] | None = None) -> str:
    """The lines ``dump`` writes for the entry ``key: value`` of a mapping at indent ``pad``,
    without a trailing newline. The entries of a mapping, written one by one and joined with
    newlines in ``sorted(keys, key=str)`` order, are the mapping's text: a big document can be
    written, and kept, in pieces. ``keys`` is the spelling cache to share between pieces."""
    out: list[str] = []
    _emit({key: value}, pad, out, {} if keys is None else keys)
    return "\n".join(out)
