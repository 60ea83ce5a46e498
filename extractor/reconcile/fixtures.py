"""Every example of a page's chosen copy as a fixture, with ids unique across pages (so they
depend on the pages before) and requests paired with their responses.
"""

from __future__ import annotations

import hashlib

from extractor.reconcile.pages import _Page
from extractor.reconcile.text import _safe_id_part, _truthy, clean_type_name
from extractor.schema import Example, Fixture

#: The version part of the fixture ids of a page without a version.
UNVERSIONED = "unversioned"


def _fixture_type(example: Example, page: _Page) -> tuple[str | None, bool]:
    annotation = example.annotation if isinstance(example.annotation, dict) else {}
    name, collection = clean_type_name(annotation.get("@odata.type"))
    if name:
        return name, collection or _truthy(annotation.get("isCollection", False))
    body = example.json_value
    if isinstance(body, dict):
        name, collection = clean_type_name(body.get("@odata.type"))
        if name:
            return name, collection
    operation = page.record.operation
    if operation is not None:
        # An action's request body holds its parameters, not its binding type: the
        # fixture's `operation` names the request model instead.
        creates = operation.kind in ("create", "update") and not operation.parameters
        if example.role == "request" and creates and operation.response.type:
            return operation.response.type, False  # the body of a create is the entity
        if example.role == "response" and operation.response.type:
            return operation.response.type, operation.response.collection
    return None, False


_LABEL_MAX = 120


def _bounded(label: str) -> str:
    """A label short enough for a file name (ids of deep intune paths run to 260
    characters): a long one keeps its start and gets a digest of the whole."""
    if len(label) <= _LABEL_MAX:
        return label
    digest = hashlib.blake2b(label.encode(), digest_size=4).hexdigest()
    return f"{label[: _LABEL_MAX - 9]}-{digest}"


def fixture_label(page: _Page) -> str:
    """What a page's fixtures are filed under: its operation's id, the type or enums it
    defines (without ``microsoft.graph.``), else its name. Like operation ids, the label
    names what the page documents, so every copy of the page, in any locale and with or
    without anchors, files its examples under one name."""
    if page.op_id is not None:
        return _bounded(_safe_id_part(page.op_id))
    record = page.record
    if page.kind == "resource" and record.type is not None:
        return _bounded(_safe_id_part(record.type.name.removeprefix("microsoft.graph.")))
    if page.kind == "enum" and record.enums:
        names = sorted({e.name.removeprefix("microsoft.graph.") for e in record.enums})
        return _bounded(_safe_id_part(",".join(names)))
    return _bounded(page.name)


def _fixture_ids(pages: list[_Page]) -> list[list[str]]:
    """Each page's fixture ids, ``<version>/<label>/<example>``, unique across pages: the
    pages of one operation share a label, so later pages' examples may get a ``-2``."""
    taken: set[str] = set()
    suffixes: dict[str, int] = {}
    every: dict[int, list[str]] = {}
    order = sorted(range(len(pages)), key=lambda i: (pages[i].version or "", pages[i].rank))
    for position in order:
        page = pages[position]
        prefix = f"{page.version or UNVERSIONED}/{fixture_label(page)}/"
        ids: list[str] = []
        for index, example in enumerate(page.record.examples):
            base = prefix + _safe_id_part(example.id or f"example-{index + 1}")
            fixture_id, n = base, suffixes.get(base, 1)
            while fixture_id in taken:
                n += 1
                fixture_id = f"{base}-{n}"
            suffixes[base] = n
            taken.add(fixture_id)
            ids.append(fixture_id)
        every[position] = ids
    return [every[position] for position in range(len(pages))]


def _page_fixtures(page: _Page, ids: list[str]) -> list[Fixture]:
    """Every example of a page's chosen copy, with request/response pairs."""
    record = page.record
    pairs: dict[int, int] = {}
    pending: int | None = None
    for index, example in enumerate(record.examples):
        if example.role == "request":
            pending = index
        elif example.role == "response" and pending is not None:
            pairs[pending], pairs[index] = index, pending
            pending = None
    fixtures = []
    for index, example in enumerate(record.examples):
        fixture_type, collection = _fixture_type(example, page)
        http = example.http
        annotation = example.annotation if isinstance(example.annotation, dict) else {}
        body = example.json_value
        if body is None and example.body_kind != "json":
            body = example.raw_body
        fixtures.append(
            Fixture(
                id=ids[index],
                file=f"fixtures/{ids[index]}.json",
                page=page.name,
                version=page.version,
                locale=record.source.locale,
                role=example.role,
                type=fixture_type,
                collection=collection,
                operation=page.op_id,
                method=http.method if http else None,
                url=http.url if http else None,
                status=http.status if http else None,
                headers=list(http.headers) if http else [],
                body_kind=example.body_kind,
                body=body,
                raw_body=example.raw_body,
                source_path=record.source.path,
                line=example.line,
                key_lines=list(example.key_lines),
                repaired=bool(example.repairs),
                repairs=list(example.repairs),
                truncated=_truthy(annotation.get("truncated", False)) or example.truncated,
                annotation=annotation,
                pair=ids[pairs[index]] if index in pairs else None,
            )
        )
    return fixtures
