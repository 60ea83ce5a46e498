"""Remember which fixtures loaded into their models, across builds.

Validating fixtures means importing the generated models, and creating ~5,000 pydantic
classes costs most of a full build's rendering. Whether a body loads into its model depends
only on the body and on the models' shape: their names, fields, types and enums, not their
docstrings. So a result is kept under a hash of the fixture's validation inputs and of the
spec without its prose (descriptions, titles, line numbers, sources, example lists), the
pipeline's code and pydantic's version. A build that changed only prose imports nothing.
The version diff is kept the same way, under a hash of what it reads of the spec.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import suppress
from functools import partial
from pathlib import Path
from typing import Any

import pydantic

from extractor.engine.records import write_atomically
from extractor.reuse import Entry, PieceMemo
from extractor.schema import Fixture, UnifiedSpec

__all__ = [
    "RenderMemo",
    "ValidationMemo",
    "diff_inputs",
    "model_shape",
]

#: Memo files kept per cache directory (one per model shape: a few corpora, a few revisions).
KEEP = 8
_PARAMETER_PROSE = {"description", "line"}
#: Prose and provenance: what neither the models' behaviour nor the version diff reads.
_PROSE: dict[str, Any] = {
    "operations": {
        "__all__": {
            "title": True,
            "description": True,
            "examples": True,
            "sources": True,
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
#: The models do not read permissions either (the version diff compares them).
_SHAPE_EXCLUDE: dict[str, Any] = {
    **_PROSE,
    "operations": {
        "__all__": {**_PROSE["operations"]["__all__"], "permissions": True, "permission_sets": True}
    },
}
_FIXTURE_INPUTS = {"id", "version", "role", "type", "collection", "operation", "body_kind", "body"}


def _spec_digest(
    spec: UnifiedSpec, label: str, exclude: dict[str, Any], pieces: PieceMemo | None
) -> str:
    """A hash of the spec's elements' hashes, each kept as a piece: after a one-page edit
    only the elements the update redid are dumped and hashed again."""
    memo = pieces or PieceMemo()
    digest = hashlib.sha256(f"{label}\0pydantic {pydantic.VERSION}\0".encode())
    for section in sorted(UnifiedSpec.model_fields):
        if section not in exclude:  # revisions: provenance, read by no model nor diff
            continue
        digest.update(f"\0{section}\0".encode())
        leave_out = exclude[section]["__all__"]
        for position, element in enumerate(getattr(spec, section)):
            made = partial(_element_digest, element, leave_out)
            digest.update(memo.get((section, position), (element,), made))
    return digest.hexdigest()


def _element_digest(element: Any, leave_out: dict[str, Any]) -> bytes:
    return hashlib.sha256(element.model_dump_json(exclude=leave_out).encode()).digest()


def model_shape(spec: UnifiedSpec, code_version: str, pieces: PieceMemo | None = None) -> str:
    """A hash of everything in the spec that the generated models' behaviour depends on."""
    return _spec_digest(spec, f"{code_version}\0models", _SHAPE_EXCLUDE, pieces)


def diff_inputs(spec: UnifiedSpec, code_version: str, pieces: PieceMemo | None = None) -> str:
    """A hash of everything in the spec that the version diff reads: all but prose and
    provenance (it compares descriptions only when asked to, and never in a build)."""
    return _spec_digest(spec, f"{code_version}\0version diff", _PROSE, pieces)


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
        payload = {"shape": self.shape, "results": dict(sorted(entries.items()))}
        write_atomically(self.file, json.dumps(payload, ensure_ascii=False))
        with suppress(OSError):
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


class RenderMemo:
    """Rendered files kept under a hash of their inputs, to reuse when nothing they depend
    on changed (an edit to a description leaves the 14 MB version diff as it was)."""

    def __init__(self, cache_dir: Path, name: str, inputs: str) -> None:
        self.folder = cache_dir / "renders"
        self.name = name
        self.inputs = inputs
        self.file = self.folder / f"{name}-{inputs}.json"

    def load(self) -> dict[str, str] | None:
        """The files, or None when they are missing, torn or foreign."""
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("inputs") != self.inputs:
            return None
        files = data.get("files")
        if not isinstance(files, dict):
            return None
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
            return None
        return files

    def save(self, files: dict[str, str]) -> None:
        """Keep these files, and only the newest ``KEEP`` sets of this name."""
        payload = {"inputs": self.inputs, "files": files}
        write_atomically(self.file, json.dumps(payload, ensure_ascii=False))
        with suppress(OSError):
            kept = sorted(
                self.folder.glob(f"{self.name}-*.json"), key=lambda p: p.stat().st_mtime_ns
            )
            for stale in kept[:-KEEP]:
                stale.unlink(missing_ok=True)
