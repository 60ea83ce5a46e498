"""Request-body models of the actions, functions, creates and updates that list parameters:
``call.redirect`` → ``CallRedirectRequest`` in the version's ``operations`` module."""

from __future__ import annotations

from functools import partial

from extractor.render.models.classes import _fields
from extractor.render.models.text import _clean, _docstring
from extractor.render.models.views import ClassView, _present, _Version
from extractor.reuse import RenderPieces
from extractor.schema import SpecOperation, UnifiedSpec

REQUEST_KINDS = frozenset({"action", "function", "create", "update"})


def _request_classes(
    spec: UnifiedSpec,
    view: _Version,
    version: str,
    all_versions: list[str],
    scope: str,
    pieces: RenderPieces,
) -> list[ClassView]:
    memo = pieces.memo(f"models/{version}/requests")
    classes: list[ClassView] = []
    for op in spec.operations:
        if op.kind not in REQUEST_KINDS or not _present(op.versions, version, all_versions):
            continue
        made = partial(_request_class, view, op, version, all_versions)
        cls = memo.get(op.id, (scope, op), made)
        if cls is not None:
            classes.append(cls)
    classes.sort(key=lambda c: c.name)
    return classes


def _request_class(
    view: _Version, op: SpecOperation, version: str, all_versions: list[str]
) -> ClassView | None:
    """The request-body model of one operation; None when it lists no parameter here."""
    op_versions = op.versions or all_versions
    params = [p for p in op.parameters if _present(p.versions, version, op_versions)]
    if not params:
        return None
    needs: set[str] = set()
    fields, _ = _fields(view, params, op_versions, {"@odata.type": "odata_type"}, needs)
    present = [p for p in op.paths if _present(p.versions, version, op_versions)]
    paths = [p.path for p in sorted(present, key=lambda p: p.deprecated)]  # live ones first
    where = f"`{op.method} {paths[0]}`" if op.method and paths else f"`{op.id}`"
    title = _clean(op.title)
    paragraphs = [
        op.description or title,
        f"Request body of `{op.id}` ({op.kind}): {where}.",
    ]
    return ClassView(
        name=view.names.requests[op.id],
        base="GraphModel",
        docstring=_docstring(paragraphs),
        graph_type=None,
        fields=fields,
        module="operations",
        needs=needs,
        operation=op.id,
    )
