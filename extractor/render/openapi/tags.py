"""Where an operation belongs and where it is documented: its tag, from the entity set or
singleton its path starts at and the navigation it takes next (``users``, ``users.messages``,
``communications.calls``), and its page's public URL.

A tag is what generators group by (openapi-python-client writes one module per tag) and
what the per-tag documents are cut along, so it is read from the path alone: the same path
always lands in the same tag.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath

from extractor.schema import SpecOperation

DOCS_URL = "https://learn.microsoft.com/graph/api/{page}?view={view}"
VIEWS = {"v1.0": "graph-rest-1.0", "beta": "graph-rest-beta"}
_CALL = re.compile(r"\(.*$")
_TAG_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
#: A docs page's file name (the seed files' hashed names are not one).
_PAGE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")


def _segments(template: str) -> list[str]:
    """The literal segments of a path template: parameters, casts and key segments skipped,
    function calls without their arguments (``reminderView(...)`` is ``reminderView``)."""
    found = []
    for raw in template.strip("/").split("/"):
        segment = _CALL.sub("", raw.split(":", 1)[0]).strip()
        if not segment or segment.startswith("{") or segment.startswith("$"):
            continue
        if segment.casefold().startswith("microsoft.graph."):
            continue  # a type cast narrows the set; it does not name a new one
        found.append(segment)
    return found


def path_tag(template: str, kinds: Iterable[str]) -> str:
    """The entity set or singleton, then the navigation property below it; actions and
    functions called on the set itself (``/users/delta``) stay in the set's tag. One tag
    per path: ``kinds`` are those of the operations at the path."""
    segments = _segments(template)
    if not segments:
        return "root"
    tag = segments[0]
    if len(segments) > 1:
        own_call = len(segments) == 2 and all(k in ("action", "function") for k in kinds)
        if not own_call:
            tag = f"{tag}.{segments[1]}"
    return _TAG_UNSAFE.sub("-", tag).strip("-") or "root"


def tag_description(tag: str) -> str:
    first, _, second = tag.partition(".")
    if tag == "root":
        return "Operations at the service root."
    if second:
        return f"Operations on {second} under /{first}."
    return f"Operations on /{first}, its items and their actions and functions."


def external_docs(op: SpecOperation, version: str) -> dict[str, str] | None:
    """The public page of ``op`` in ``version``: the page's file name is its address; a
    file not named as a docs page (a seed) has none."""
    for source in op.sources:
        page = PurePosixPath(source.path.replace("\\", "/")).stem
        if source.version == version and _PAGE_NAME.fullmatch(page):
            page = page.lower()
            return {
                "description": f"{op.title or op.id} ({version} reference)",
                "url": DOCS_URL.format(page=page, view=VIEWS.get(version, "graph-rest-1.0")),
            }
    return None
