"""Rendered pieces kept from the last build are reused only when made from the very same
parts, and a build that reuses them writes exactly what a build that renders everything
writes."""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from test_update import _TWO_COPIES, _parts, _prose_edit

from extractor.engine.output_tree import as_bytes
from extractor.engine.rendering import render_outputs
from extractor.reconcile import Reconciliation, reconcile
from extractor.render.diagnostics import diagnostics_sarif
from extractor.render.openapi import render_openapi, render_openapi_files
from extractor.reuse import PieceMemo, RenderPieces
from extractor.schema import Diagnostic, PageRecord, SpecTypeDef


class Part:
    """A part of the spec as pieces see it: any object, compared by identity."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> bool:  # equal parts are still not the same part
        return isinstance(other, Part) and other.name == self.name

    __hash__ = None  # type: ignore[assignment]


def test_a_piece_is_reused_only_when_made_from_the_same_parts() -> None:
    a, b = Part("a"), Part("b")
    last = PieceMemo()
    assert last.get("k", (a, "v1", 3, (b, None)), lambda: "made from a") == "made from a"
    memo = PieceMemo(last.kept)
    made: list[str] = []

    def make(text: str) -> Any:
        return lambda: made.append(text) or text

    assert memo.get("k", (a, "v1", 3, (b, None)), make("again")) == "made from a"
    assert not made and memo.made == 0
    for changed in [
        (Part("a"), "v1", 3, (b, None)),  # an equal but new part: made again
        (a, "v2", 3, (b, None)),  # a plain value that differs
        (a, "v1", 3.0, (b, None)),  # an equal value of another type
        (a, "v1", 3, (b,)),  # a nested tuple of another length
        (a, "v1", 3),  # fewer parts
    ]:
        assert PieceMemo(last.kept).get("k", changed, make("again")) == "again", changed
    values = PieceMemo(last.kept)  # plain values are compared by equality, not identity
    assert values.get("k", (a, "".join(["v", "1"]), 3, (b, None)), make("x")) == "made from a"


def test_only_the_pieces_asked_for_are_kept_for_the_next_build() -> None:
    a = Part("a")
    last = PieceMemo()
    last.get("old", (a,), lambda: 1)
    last.keep("batch", (a,), 2)
    memo = PieceMemo(last.kept)
    assert memo.find("batch", (a,)) == 2
    assert memo.find("batch", (Part("a"),)) is None
    assert memo.find("missing", (a,)) is None
    memo.get("new", (a,), lambda: 3)
    assert set(memo.kept) == {"new"}  # found is not kept: the caller keeps what it uses


def test_a_canonical_value_is_last_builds_object_when_equal() -> None:
    last = PieceMemo()
    first = last.canonical("scope", ("a", "b"))
    memo = PieceMemo(last.kept)
    assert memo.canonical("scope", tuple(["a", "b"])) is first
    assert memo.canonical("scope", ("a", "c")) == ("a", "c")
    assert PieceMemo(last.kept).canonical("scope", ["a", "b"]) == ["a", "b"]  # another type


def _files(rendered: dict[str, str | bytes]) -> dict[str, bytes]:
    return {name: as_bytes(content) for name, content in rendered.items()}


def _as_kept(state: object) -> Any:
    """A round trip through pickle, as the build's state makes one."""
    return pickle.loads(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))


def test_a_render_from_kept_pieces_is_a_whole_render(seeds: dict[str, PageRecord]) -> None:
    """For each page edited alone (and all at once), rendering from the last build's pieces
    after the update gives every file byte for byte, and most pieces are reused."""
    records = list(seeds.values())
    parts, skeletons = _parts(records)
    pieces = RenderPieces()
    first, _ = render_outputs(parts.result(), None, pieces)
    assert _files(first) == _files(render_outputs(reconcile(records))[0])
    kept_state = (parts, pieces.kept())
    by_path = {r.source.path: r for r in records}
    single = [record for key, record in seeds.items() if key not in _TWO_COPIES]
    for changed in [[record] for record in single] + [single]:
        last_parts, last_pieces = _as_kept(kept_state)
        edited = [_prose_edit(record) for record in changed]
        updated = last_parts.update(edited, skeletons, by_path.__getitem__)
        assert updated is not None
        result = updated.result()
        again = RenderPieces(last_pieces)
        files, validated = render_outputs(result, None, again)
        whole, whole_validated = render_outputs(result)
        assert _files(files) == _files(whole), [r.source.path for r in changed]
        assert validated == whole_validated
        assert _files(files) != _files(first)
        assert again.kept().keys() == pieces.kept().keys()
        if len(changed) == 1:
            total = sum(len(kept) for kept in again.kept().values())
            made = sum(memo.made for memo in again.memos.values())
            assert 0 < made < total / 4, changed[0].source.path


def _rendered_again(
    spec: Any, fixtures: Any, last: RenderPieces
) -> tuple[RenderPieces, dict[str, bytes]]:
    """The OpenAPI documents of ``spec`` from ``last``'s pieces, held to a whole render."""
    again = RenderPieces(last.kept())
    files = render_openapi_files(spec, fixtures, again)
    assert {name: data.decode() for name, data in files.items()} == render_openapi(spec, fixtures)
    return again, files


def test_openapi_pieces_are_remade_only_for_what_changed(seeds: dict[str, PageRecord]) -> None:
    result = reconcile(seeds.values())
    last = RenderPieces()
    files = render_openapi_files(result.spec, result.fixtures, last)
    assert {name: text.decode() for name, text in files.items()} == render_openapi(
        result.spec, result.fixtures
    )
    same = RenderPieces(last.kept())
    assert render_openapi_files(result.spec, result.fixtures, same) == files
    assert all(memo.made == 0 for memo in same.memos.values())
    assert {name for name in same.memos} == {
        f"openapi/{version}/{kind}"
        for version in ("beta", "v1.0")
        for kind in ("layout", "paths", "schemas")
    }

    # one type redone by an update: only its component schema is made again
    typedef = next(t for t in result.spec.types if "v1.0" in t.versions and t.properties)
    redone = typedef.model_copy(update={"description": "Described again."})
    types = [redone if t is typedef else t for t in result.spec.types]
    spec = result.spec.model_copy(update={"types": types})
    changed, text = _rendered_again(spec, result.fixtures, last)
    made = {name: memo.made for name, memo in changed.memos.items()}
    assert made == {
        "openapi/beta/layout": 0,
        "openapi/beta/paths": 0,
        "openapi/beta/schemas": int("beta" in typedef.versions),
        "openapi/v1.0/layout": 0,
        "openapi/v1.0/paths": 0,
        "openapi/v1.0/schemas": 1,
    }
    assert "Described again." in text["openapi/v1.0.yaml"].decode()

    # one operation redone: the paths are laid out again in its versions
    operation = next(op for op in result.spec.operations if "v1.0" in op.versions)
    again = operation.model_copy(update={"description": "Described again."})
    operations = [again if op is operation else op for op in result.spec.operations]
    spec = result.spec.model_copy(update={"operations": operations})
    relaid, _ = _rendered_again(spec, result.fixtures, last)
    for version in ("beta", "v1.0"):
        assert relaid.memo(f"openapi/{version}/layout").made == int(version in again.versions)

    # a type added changes what names resolve to: every piece is made again
    added = SpecTypeDef(name="microsoft.graph.addedForTheTest", versions=["v1.0"])
    spec = result.spec.model_copy(update={"types": [*result.spec.types, added]})
    renamed = RenderPieces(last.kept())
    render_openapi_files(spec, result.fixtures, renamed)
    assert renamed.memo("openapi/v1.0/schemas").made == len(
        renamed.memo("openapi/v1.0/schemas").kept
    )


@pytest.mark.parametrize("line", [None, 7])
def test_sarif_from_kept_results_is_the_same(line: int | None) -> None:
    diagnostics = [
        Diagnostic(rule="b-rule", severity="warning", path="pages/a b.md", line=line, message="m"),
        Diagnostic(rule="a-rule", severity="info", path="/abs/page.md", line=3, message="n"),
    ]
    last = PieceMemo()
    text = diagnostics_sarif(diagnostics, last)
    assert text == diagnostics_sarif(diagnostics)
    again = PieceMemo(last.kept)
    assert diagnostics_sarif(diagnostics, again) == text and again.made == 0
    # a new rule shifts the rule indexes: those results, and the log's rules, are made again
    more = [*diagnostics, Diagnostic(rule="0-rule", severity="error", path="p", message="x")]
    shifted = PieceMemo(last.kept)
    assert diagnostics_sarif(more, shifted) == diagnostics_sarif(more)
    assert shifted.made == 3 + 1


def test_models_come_back_from_a_pickle_whole(seeds: dict[str, PageRecord]) -> None:
    """The state pickles a million models as class and fields (``Model.__reduce__``)."""
    result = reconcile(seeds.values())
    again = _as_kept(result)
    assert again == result
    assert again.model_dump_json() == result.model_dump_json()
    op = again.spec.operations[0]
    copied = op.model_copy(update={"title": "Copied"})
    assert copied.title == "Copied" and copied.model_fields_set == {"title"}
    assert type(op).model_validate(op.model_dump()) == op


@pytest.mark.slow
def test_renders_from_kept_pieces_after_real_edits_are_whole_renders(
    zh_cn_records: list[PageRecord], zh_cn_reconciliation: Reconciliation
) -> None:
    """zh-CN: after random edits of one or two pages, the render from the last build's
    pieces is byte for byte the render of everything, and remakes a sliver of the pieces."""
    import random

    records = zh_cn_records
    parts, skeletons = _parts(records, zh_cn_reconciliation)
    pieces = RenderPieces()
    render_outputs(parts.result(), None, pieces)
    kept_state = pickle.dumps((parts, pieces.kept()), protocol=pickle.HIGHEST_PROTOCOL)
    by_path = {r.source.path: r for r in records}
    rng = random.Random(11)
    for _ in range(3):
        last_parts, last_pieces = pickle.loads(kept_state)
        edited = [_prose_edit(r) for r in rng.sample(records, rng.choice([1, 2]))]
        updated = last_parts.update(edited, skeletons, by_path.__getitem__)
        assert updated is not None
        result = updated.result()
        again = RenderPieces(last_pieces)
        files, _ = render_outputs(result, None, again)
        whole, _ = render_outputs(result)
        assert _files(files) == _files(whole), [r.source.path for r in edited]
        total = sum(len(kept) for kept in again.kept().values())
        assert sum(memo.made for memo in again.memos.values()) < total / 100
