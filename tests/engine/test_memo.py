"""The version diff is reused when what it reads of the spec is unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from extractor.diff import render_version_diff
from extractor.engine.resultcache import RenderMemo, diff_inputs
from extractor.reconcile import reconcile
from extractor.schema import PageRecord, SpecSource, UnifiedSpec


@pytest.fixture(scope="module")
def spec(seeds: dict[str, PageRecord]) -> UnifiedSpec:
    return reconcile(seeds.values()).spec


def reworded(spec: UnifiedSpec) -> UnifiedSpec:
    """The spec with every description, title, line, source and example list changed."""
    data: dict[str, Any] = spec.model_dump()
    source = SpecSource(path="elsewhere.md", version="beta").model_dump()

    def rewrite(value: Any) -> None:
        if isinstance(value, dict):
            for key in list(value):
                if key in ("description", "title"):
                    value[key] = f"Said otherwise: {value[key]}"
                elif key == "line":
                    value[key] = 999
                elif key == "sources":
                    value[key] = [source]
                elif key == "examples":
                    value[key] = ["another/example"]
                else:
                    rewrite(value[key])
        elif isinstance(value, list):
            for item in value:
                rewrite(item)

    rewrite(data)
    return UnifiedSpec.model_validate(data)


def test_prose_changes_neither_the_diff_nor_its_key(spec: UnifiedSpec) -> None:
    """What makes reusing the diff sound: it reads nothing the key leaves out."""
    other = reworded(spec)
    assert other != spec
    assert diff_inputs(other, "code") == diff_inputs(spec, "code")
    assert render_version_diff(other) == render_version_diff(spec)


def test_what_the_diff_reads_changes_its_key(spec: UnifiedSpec) -> None:
    key = diff_inputs(spec, "code")
    retyped = spec.model_copy(deep=True)
    operation = next(op for op in retyped.operations if op.parameters)
    operation.parameters[0].type = "Edm.Guid"
    assert diff_inputs(retyped, "code") != key
    reallowed = spec.model_copy(deep=True)
    reallowed.operations[0].permissions.application = ["Calls.Everything"]
    assert diff_inputs(reallowed, "code") != key  # the diff compares permissions
    assert diff_inputs(spec, "other code") != key


def test_render_memo_round_trip_and_damage(tmp_path: Path) -> None:
    memo = RenderMemo(tmp_path, "version-diff", "abc")
    assert memo.load() is None
    files = {"diff/v1.0-beta.md": "# Diff\n", "diff/v1.0-beta.json": "{}\n"}
    memo.save(files)
    assert memo.load() == files
    assert RenderMemo(tmp_path, "version-diff", "def").load() is None
    damaged = ("{not json", '{"inputs": "other", "files": {}}', '{"inputs": "abc", "files": 1}')
    for damage in damaged:
        memo.file.write_text(damage, encoding="utf-8")
        assert memo.load() is None
