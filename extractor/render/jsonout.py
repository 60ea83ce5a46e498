"""Pretty JSON as ``json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)`` writes it.

With ``indent`` CPython's json falls back to its pure-Python encoder, which spends seconds on
``spec.json`` and the fixtures. orjson writes the same text (two-space indent, ``": "`` and
``","`` separators, ``[]``/``{}`` when empty, keys sorted by code point as UTF-8 bytes sort,
only ``"``, ``\\`` and C0 controls escaped) for plain JSON data, so it is used whenever the
value is provably plain, and ``json.dumps`` otherwise:

- orjson refuses ints beyond 64 bits, lone surrogates, non-``str`` keys and nesting deeper
  than 254: ``json.dumps`` writes those (or raises what it raises);
- floats are formatted differently (``1e-05`` against ``0.00001``; ``NaN`` against ``null``),
  and types orjson knows but ``json`` does not (dataclasses, enums, ``datetime``) or reads
  differently (subclasses) would change the text: any object that is not exactly a ``dict``,
  ``list``, ``tuple``, ``str``, ``int``, ``bool`` or ``None`` sends the value to ``json.dumps``.
"""

from __future__ import annotations

import gc
import json
from typing import Any

import orjson

_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
_PLAIN = frozenset({dict, list, tuple, str, int, bool, type(None)})


def pretty_json(value: Any) -> str:
    """Sorted keys, two-space indent, UTF-8 kept, trailing newline: as ``json.dumps`` does."""
    text = _orjson(value)
    if text is None:
        return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return text.decode()


def pretty_json_bytes(value: Any) -> bytes:
    """``pretty_json``'s text as UTF-8, without decoding what orjson writes as bytes; a lone
    surrogate, which UTF-8 cannot hold, raises ``UnicodeEncodeError``."""
    text = _orjson(value)
    if text is None:
        return pretty_json(value).encode("utf-8")
    return text


def _orjson(value: Any) -> bytes | None:
    """orjson's text, when it is the text ``json.dumps`` writes (see above); else None."""
    try:
        text = orjson.dumps(value, option=_OPTIONS)
    except orjson.JSONEncodeError:
        return None
    return text if _is_plain(value) else None


def _is_plain(value: Any) -> bool:
    """Whether every object in ``value`` has one of the plain types, level by level.

    ``gc.get_referents`` lists a container's items (a dict's values, and its keys unless
    all are exact ``str``) in C, several times faster than a Python walk; atoms have none.
    Only levels of plain objects are expanded, and orjson has already bounded the depth.
    """
    level = [value]
    while level:
        if not _PLAIN.issuperset(map(type, level)):
            return False
        level = gc.get_referents(*level)
    return True
