"""``spec.json`` and its JSON Schema, written from the unified spec."""

from __future__ import annotations

from functools import partial
from typing import Any

from extractor.gcpause import gc_paused
from extractor.render.jsonout import pretty_json_bytes
from extractor.reuse import PieceMemo
from extractor.schema import UnifiedSpec

__all__ = ["dump_spec", "dump_spec_bytes", "spec_json_schema"]


def spec_json_schema() -> dict[str, Any]:
    """JSON Schema of ``spec.json``, straight from the pydantic models (camelCase names)."""
    schema = UnifiedSpec.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Unified Microsoft Graph spec (spec.json)",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def dump_spec(spec: UnifiedSpec, pieces: PieceMemo | None = None) -> str:
    """``spec.json`` text: sorted keys, two-space indent, UTF-8 kept, trailing newline."""
    return dump_spec_bytes(spec, pieces).decode("utf-8")


def dump_spec_bytes(spec: UnifiedSpec, pieces: PieceMemo | None = None) -> bytes:
    """``dump_spec``'s text as UTF-8, written element by element, each indented into place,
    as one ``pretty_json`` of the whole spec would write it. With ``pieces``, the elements
    that are the same objects as in the last build keep the text they had. A dump builds
    ~1M dicts and lists, which cyclic collections would traverse over and over.
    """
    memo = pieces or PieceMemo()
    out = [b"{"]
    with gc_paused():
        sections = [s for s in sorted(UnifiedSpec.model_fields) if s != "revisions"]
        if spec.revisions:  # only a spec read from git knows them: other bytes stay as they were
            sections = sorted([*sections, "revisions"])
        for number, section in enumerate(sections):
            elements: list[Any] = getattr(spec, section)
            out.append(f'{"," if number else ""}\n  "{section}": ['.encode())
            for position, element in enumerate(elements):
                out.append(b"\n" if position == 0 else b",\n")
                out.append(
                    memo.get((section, position), (element,), partial(_element_json, element))
                )
            out.append(b"\n  ]" if elements else b"]")
    out.append(b"\n}\n")
    return b"".join(out)


def _element_json(element: Any) -> bytes:
    """One element of a spec list as ``dump_spec`` places it: indented four spaces."""
    text = pretty_json_bytes(element.model_dump(mode="json", by_alias=True))
    return b"    " + text[:-1].replace(b"\n", b"\n    ")
