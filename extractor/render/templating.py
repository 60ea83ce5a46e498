"""One Jinja environment for every renderer, finding templates in a checkout or a wheel."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

_PACKAGE_DIR = Path(__file__).resolve().parents[1]


def templates_dir() -> Path:
    """The repository's top-level ``templates/`` in a checkout, else the copy inside the wheel."""
    checkout = _PACKAGE_DIR.parent / "templates"
    if checkout.is_dir() and (_PACKAGE_DIR.parent / "pyproject.toml").is_file():
        return checkout
    return _PACKAGE_DIR / "templates"


def keep_compiled_templates(folder: Path) -> None:
    """Keep compiled templates in ``folder`` (under a build's cache), keyed by each
    template's source: compiling them again was 30 ms of every build."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # no room in the cache: compile them, as without one
    environment().bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=jinja2.select_autoescape(["html", "html.j2"]),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
