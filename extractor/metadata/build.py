"""check-metadata inside ``extractor build``: ``metadata/<version>.{md,json,sarif,html}``.

The files come from ``--metadata FILE`` (repeatable) or, when no option names any, from
``metadata = [...]`` under ``[tool.extractor]`` in the nearest ``pyproject.toml`` from the
working directory up (paths relative to it). An entry is a path, or ``VERSION=PATH`` when
the file's name does not say its API version. The reports are made from the ``spec.json``
the build has just rendered and from its fixtures, after everything else: nothing of the
metadata flows back into any other output.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from extractor.metadata import MetadataError

if TYPE_CHECKING:
    from extractor.metadata.csdl import Csdl
    from extractor.schema import Fixture

FOLDER = "metadata"
VERSIONS = ("v1.0", "beta")
#: A TOML key named metadata, in any of TOML's spellings (bare, quoted, dotted).
_METADATA_KEY = re.compile(rb"""\bmetadata["']?\s*=""")


def configured(options: Sequence[str], start: Path | None = None) -> list[str]:
    """The metadata entries of a build: the options', else the project's pyproject.toml's
    (as paths relative to the working directory). Every build asks: a pyproject.toml
    with no key named ``metadata`` is not parsed (importing tomllib costs 20 ms)."""
    if options:
        return list(options)
    folder = (start or Path.cwd()).absolute()
    for candidate in (folder, *folder.parents):
        project = candidate / "pyproject.toml"
        if project.is_file():
            return _from_pyproject(project)
    return []


def _from_pyproject(project: Path) -> list[str]:
    try:
        text = project.read_bytes()
        if not _METADATA_KEY.search(text):
            return []
        import tomllib

        data = tomllib.loads(text.decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:  # TOMLDecodeError too
        raise MetadataError(f"cannot read {project}: {error}") from error
    entries = data.get("tool", {}).get("extractor", {}).get("metadata", [])
    if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
        raise MetadataError(f"{project}: [tool.extractor] metadata must be a list of paths")
    base = project.parent
    found = []
    for entry in entries:
        version, equals, path = entry.partition("=")
        if equals and version in VERSIONS:
            found.append(f"{version}={os.path.relpath(base / path)}")
        else:
            found.append(os.path.relpath(base / entry))
    return found


@dataclass(frozen=True)
class BuildMetadata:
    """The metadata files of a build, read once it starts (a bad file fails it before any
    page is read), and the part of the build's key they make."""

    files: tuple[tuple[str, Csdl], ...]
    key: str
    out_dir: Path

    @classmethod
    def of(cls, entries: Sequence[str], out_dir: Path) -> BuildMetadata | None:
        if not entries:
            return None
        from extractor.metadata.check import metadata_version, read_metadata

        files: dict[str, Csdl] = {}
        digest = hashlib.sha256(b"metadata")
        for entry in entries:
            version, equals, path = entry.partition("=")
            if not (equals and version in VERSIONS):
                version, path = "", entry
            csdl = read_metadata(path)
            chosen = metadata_version(csdl, version or None, f"name it VERSION={path}")
            if chosen in files:
                raise MetadataError(
                    f"two metadata files for {chosen}: {files[chosen].source}, {path}"
                )
            files[chosen] = csdl
            status = os.stat(path)
            digest.update(f"\0{chosen}\0{Path(path).absolute()}\0{status.st_size}".encode())
            digest.update(f"\0{status.st_mtime_ns}\0{status.st_ctime_ns}\0{status.st_ino}".encode())
        return cls(tuple(sorted(files.items())), digest.hexdigest(), out_dir)

    def reports(self, spec_json: bytes, fixtures: Sequence[Fixture]) -> dict[str, str]:
        """Every report of every file, by path in the output."""
        import orjson

        from extractor.metadata.check import Docs, check_metadata
        from extractor.metadata.docs import examples_from_fixtures
        from extractor.metadata.report import FORMATS, render

        docs = Docs(orjson.loads(spec_json), None, examples_from_fixtures(fixtures))
        folder = self.out_dir / FOLDER
        files = {}
        for version, csdl in self.files:
            alignment = check_metadata(csdl, docs, version)
            for output_format in FORMATS:
                files[f"{FOLDER}/{version}.{output_format}"] = render(
                    alignment, output_format, folder
                )
        return files
