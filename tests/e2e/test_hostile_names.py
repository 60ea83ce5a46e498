"""Names from page content become fixture files: through the real command, hostile names
(300 characters, Windows device names, leading dashes, case-only twins) give portable,
distinct files, and index.json says which id is in which file."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "corpus" / "001_62bb142bd2d8a852.txt"
RESERVED = re.compile(r"(?i)^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\.|$)")


def hostile(anchor: str, example: str) -> str:
    text = SEED.read_text(encoding="utf-8")
    text = text.replace('name="call-redirect"', f'name="{anchor}"')
    return text.replace('"name": "call-redirect-1"', f'"name": "{example}"')


def test_hostile_names_give_portable_distinct_files(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    variants = {
        "long.md": ("a" * 300, "x" * 300),
        "longer.md": ("a" * 301, "x" * 299 + "y"),
        "device.md": ("CON", "nul.txt"),
        "aux.md": ("aux", "COM1"),
        "dash.md": ("-rf", "--help"),
        "case.md": ("Call-Redirect", "Call-Redirect-1"),
        "same.md": ("call-redirect", "call-redirect-1"),
    }
    for name, (anchor, example) in variants.items():
        (pages / name).write_text(hostile(anchor, example), encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / ".cache")}
    done = subprocess.run(
        [sys.executable, "-m", "extractor", "build", "pages", "-o", "out", "--no-cache"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out"
    every = [path.relative_to(out).as_posix() for path in out.rglob("*")]
    lowered = [path.lower() for path in every]
    assert len(set(lowered)) == len(lowered), sorted(
        path for path in every if lowered.count(path.lower()) > 1
    )
    segments = {segment for path in every for segment in path.split("/")}
    assert max(len(segment) for segment in segments) <= 128 + len(".yaml")
    assert [s for s in segments if s.startswith("-") or RESERVED.match(s)] == []
    index = json.loads((out / "fixtures" / "index.json").read_text(encoding="utf-8"))
    files = {entry["id"]: entry["file"] for entry in index}
    assert all((out / "fixtures" / file).is_file() for file in files.values())  # below fixtures/
    assert len(set(files.values())) == len(files)
    long_ids = [fixture_id for fixture_id in files if "x" * 300 in fixture_id]
    assert long_ids, sorted(files)
