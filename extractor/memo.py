"""Remember which fixtures loaded into their models, across builds.

Validating fixtures means importing the generated models, and creating ~5,000 pydantic
classes costs most of a full build's rendering. Whether a body loads into its model depends
only on the body and on the models' shape: their names, fields, types and enums, not their
docstrings. So a result is kept under a hash of the fixture's validation inputs and of the
spec without its prose (descriptions, titles, line numbers, sources, example lists), the
pipeline's code and pydantic's version. A build that changed only prose imports nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import suppress
from pathlib import Path
from typing import Any

import pydantic

from extractor.models import Diagnostic, Fixture, UnifiedSpec

__all__ = ["Entry", "ValidationMemo", "diagnostics_of", "model_shape"]

#: Memo files kept per cache directory (one per model shape: a few corpora, a few revisions).
KEEP = 8
_PARAMETER_PROSE = {"description", "line"}
_SHAPE_EXCLUDE: dict[str, Any] = {
    "operations": {
        "__all__": {
            "title": True,
            "description": True,
            "examples": True,
            "sources": True,
            "permissions": True,
            "headers": {"__all__": {"description"}},
            "paths": {"__all__": {"line"}},
            "parameters": {"__all__": _PARAMETER_PROSE},
        }
    },
    "types": {
        "__all__": {
            "description": True,
            "sources": True,
            "properties": {"__all__": _PARAMETER_PROSE},
            "relationships": {"__all__": _PARAMETER_PROSE},
        }
    },
    "enums": {
        "__all__": {
            "description": True,
            "sources": True,
            "members": {"__all__": {"description"}},
        }
    },
}
_FIXTURE_INPUTS = {"id", "version", "role", "type", "collection", "operation", "body_kind", "body"}

#: One remembered result: valid (True, False or None) and the diagnostics as
#: ``[rule, severity, message]``; their place comes from the fixture of this build.
Entry = tuple[bool | None, list[tuple[str, str, str]]]


def model_shape(spec: UnifiedSpec, code_version: str) -> str:
    """A hash of everything in the spec that the generated models' behaviour depends on."""
    digest = hashlib.sha256(f"{code_version}\0pydantic {pydantic.VERSION}\0".encode())
    digest.update(spec.model_dump_json(exclude=_SHAPE_EXCLUDE).encode())
    return digest.hexdigest()


class ValidationMemo:
    """Validation results of one model shape, read from and written to ``cache_dir``."""

    def __init__(self, cache_dir: Path, shape: str) -> None:
        self.folder = cache_dir / "validation"
        self.shape = shape
        self.file = self.folder / f"{shape}.json"

    def key(self, fixture: Fixture) -> str:
        digest = hashlib.sha256(self.shape.encode())
        digest.update(fixture.model_dump_json(include=_FIXTURE_INPUTS).encode())
        return digest.hexdigest()

    def load(self) -> dict[str, Entry]:
        """The remembered results; nothing when the file is missing, torn or foreign."""
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("shape") != self.shape:
            return {}
        entries = data.get("results")
        if not isinstance(entries, dict):
            return {}
        loaded: dict[str, Entry] = {}
        for key, value in entries.items():
            entry = _entry(value)
            if entry is not None:
                loaded[key] = entry
        return loaded

    def save(self, entries: dict[str, Entry]) -> None:
        """Replace the memo atomically and drop the oldest memo files beyond ``KEEP``."""
        with suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = self.file.with_suffix(f".{os.getpid()}.tmp")
            payload = {"shape": self.shape, "results": dict(sorted(entries.items()))}
            temporary.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
            temporary.replace(self.file)
            memos = sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
            for stale in memos[:-KEEP]:
                stale.unlink(missing_ok=True)


def _entry(value: Any) -> Entry | None:
    """A well-formed entry, or None for anything else (a foreign or damaged memo)."""
    if not (isinstance(value, list) and len(value) == 2):
        return None
    valid, found = value
    if valid not in (True, False, None) or not isinstance(found, list):
        return None
    diagnostics = []
    for item in found:
        if not isinstance(item, list) or len(item) != 3:
            return None
        if not all(isinstance(part, str) for part in item):
            return None
        diagnostics.append((item[0], item[1], item[2]))
    return valid, diagnostics


def diagnostics_of(entry: Entry, fixture: Fixture) -> list[Diagnostic]:
    """The remembered diagnostics, placed at this build's line of the fixture."""
    return [
        Diagnostic(
            rule=rule, severity=severity, path=fixture.source_path, line=fixture.line, message=text
        )
        for rule, severity, text in entry[1]
    ]
