"""Skip a build whose inputs, code and output are exactly as the last build left them.

The per-page cache makes records cheap, but reconciling and rendering 11,000 pages still
costs far more than checking that nothing changed. A build is keyed by the hash of every
page's bytes and path and of the whole pipeline (code and templates); after writing, the
output files' sizes and modification times are remembered under that key, as make does.
A build with the same key whose output still matches does nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any

from extractor import __version__
from extractor.corpus import PageFile
from extractor.extract import PACKAGE_DIR, digest_files
from extractor.models import PageRecord
from extractor.templating import templates_dir


@cache
def code_version() -> str:
    """A hash of all the pipeline's code and templates: any change makes builds stale."""
    templates = templates_dir()
    code = digest_files(list(PACKAGE_DIR.rglob("*.py")), PACKAGE_DIR)
    return f"{__version__}+{code}+{digest_files(list(templates.rglob('*.j2')), templates)}"


def build_key(pages: list[PageFile], out_dir: Path) -> str:
    digest = hashlib.sha256(code_version().encode())
    digest.update(str(out_dir.absolute()).encode())
    for page in pages:
        digest.update(page.display.encode())
        digest.update(b"\0")
        try:
            digest.update(hashlib.sha256(page.path.read_bytes()).digest())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()


def records_key(records: list[PageRecord], out_dir: Path) -> str:
    """A build key from what the pages say rather than their bytes.

    The output is a function of the records and the code alone, and no output reads a
    page's hash (it only breaks ties between copies of one path, which a build never
    has). A page edited without changing what it says (a comment, trailing spaces) keeps
    this key, so its build is skipped once its record is known.
    """
    digest = hashlib.sha256(f"records\0{code_version()}\0{out_dir.absolute()}".encode())
    for record in records:
        digest.update(record.model_dump_json(exclude=_PAGE_HASH).encode())
        digest.update(b"\0")
    return digest.hexdigest()


_PAGE_HASH: dict[str, Any] = {"source": {"sha256"}}


def _snapshot(out_dir: Path) -> dict[str, list[int]]:
    snapshot: dict[str, list[int]] = {}
    root = str(out_dir)
    for folder, _, files in os.walk(root):
        prefix = folder[len(root) + 1 :]
        for name in files:
            status = os.stat(os.path.join(folder, name))
            key = f"{prefix}/{name}" if prefix else name
            snapshot[key] = [status.st_size, status.st_mtime_ns]
    return snapshot


def _manifest(cache_dir: Path, key: str) -> Path:
    return cache_dir / "builds" / f"{key}.json"


def output_is_current(cache_dir: Path | None, key: str, out_dir: Path) -> bool:
    """True when the last build with this key wrote ``out_dir`` and nobody touched it since."""
    if cache_dir is None or not out_dir.is_dir():
        return False
    try:
        remembered = json.loads(_manifest(cache_dir, key).read_text(encoding="utf-8"))
        return bool(remembered) and remembered == _snapshot(out_dir)
    except (OSError, ValueError):
        return False


def remember(cache_dir: Path | None, keys: Iterable[str], out_dir: Path) -> None:
    """Note that builds with these keys left ``out_dir`` as it is now."""
    wanted = [key for key in keys if key]
    if cache_dir is None or not wanted:
        return
    with suppress(OSError):
        snapshot = json.dumps(_snapshot(out_dir), sort_keys=True)
        for key in wanted:
            target = _manifest(cache_dir, key)
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(snapshot, encoding="utf-8")
            temporary.replace(target)
