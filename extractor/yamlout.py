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
from typing import Any

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_RESERVED = frozenset(
    {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "nan", "inf"}
)
_NOT_YAML_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    """YAML escapes what it would fold or reject; a lone surrogate has no escape: U+FFFD."""
    code = ord(match.group(0))
    return "\ufffd" if 0xD800 <= code <= 0xDFFF else f"\\u{code:04x}"


def _string(text: str) -> str:
    quoted = json.dumps(text, ensure_ascii=False)
    return (
        _NOT_YAML_PRINTABLE.sub(_escape, quoted) if _NOT_YAML_PRINTABLE.search(quoted) else quoted
    )


def _key(key: Any) -> str:
    text = str(key)
    if _PLAIN_KEY.fullmatch(text) and text.lower() not in _RESERVED:
        return text
    return _string(text)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _string(value)
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


def _emit(value: dict[str, Any] | list[Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        for key in sorted(value, key=str):
            item = value[key]
            if isinstance(item, dict | list | tuple) and item:
                out.append(f"{pad}{_key(key)}:")
                _emit(item if isinstance(item, dict) else list(item), indent + 2, out)
            else:
                out.append(f"{pad}{_key(key)}: {_scalar(item)}")
        return
    for item in value:
        if isinstance(item, dict | list | tuple) and item:
            nested: list[str] = []
            _emit(item if isinstance(item, dict) else list(item), indent + 2, nested)
            nested[0] = f"{pad}- {nested[0][indent + 2 :]}"
            out.extend(nested)
        else:
            out.append(f"{pad}- {_scalar(item)}")


def dump(document: Any) -> str:
    """YAML text of a JSON-shaped value: sorted keys, block style, one trailing newline."""
    if not isinstance(document, dict | list | tuple) or not document:
        return _scalar(document) + "\n"
    out: list[str] = []
    _emit(document if isinstance(document, dict) else list(document), 0, out)
    return "\n".join(out) + "\n"
