"""The reconcile stage as a whole: diagnostics, ordering, spec.json, and the real corpus."""

from __future__ import annotations

import gc
import json
import random

import jsonschema
import pytest

from extractor.reconcile import reconcile
from extractor.render.specjson import dump_spec, spec_json_schema
from extractor.schema import Diagnostic, Operation
from tests.reconcile.builders import (
    CORPUS,
    call_type,
    example,
    record,
    redirect_pair,
    spec_without_sources,
)


def test_reconcile_leaves_the_garbage_collector_as_it_found_it() -> None:
    assert gc.isenabled()
    reconcile(redirect_pair())
    assert gc.isenabled()
    gc.disable()
    try:
        reconcile(redirect_pair())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_diagnostics_of_records_are_kept_and_sorted() -> None:
    def d(path: str, line: int | None, rule: str) -> Diagnostic:
        return Diagnostic(rule=rule, severity="warning", path=path, line=line, message="m")

    a = record(
        "a",
        path="a.md",
        diagnostics=[d("a.md", 9, "z"), d("a.md", None, "y")],
        operation=Operation(id="a.get", method="GET"),
    )
    b = record(
        "b",
        path="b.md",
        diagnostics=[d("b.md", 2, "x"), d("a.md", 3, "w")],
        operation=Operation(id="b.get", method="GET"),
    )
    result = reconcile([b, a, a])
    assert [(x.path, x.line, x.rule) for x in result.diagnostics] == [
        ("a.md", None, "y"),
        ("a.md", 3, "w"),
        ("a.md", 9, "z"),
        ("b.md", 2, "x"),
    ]


def test_output_does_not_depend_on_input_order() -> None:
    records = [
        *redirect_pair(),
        record("call", "v1.0", "resource", type=call_type("v1.0")),
        record("call", "beta", "resource", type=call_type("beta"), locale="ru-RU"),
        record("call", "beta", "resource", type=call_type("beta")),
        record(
            "x",
            "beta",
            operation=Operation(id="x.y"),
            examples=[
                example(
                    "r", "request", 1, {"@odata.type": "#microsoft.graph.participantInfo", "a": 1}
                )
            ],
        ),
    ]
    expected = reconcile(records).model_dump_json()
    rng = random.Random(7)
    for _ in range(5):
        rng.shuffle(records)
        assert reconcile(records).model_dump_json() == expected


def test_dump_spec_is_sorted_json_that_the_schema_accepts() -> None:
    result = reconcile(redirect_pair())
    text = dump_spec(result.spec)
    assert text.endswith("}\n")
    data = json.loads(text)
    assert list(data) == ["enums", "operations", "types"]
    operation = data["operations"][0]
    assert list(operation) == sorted(operation)
    assert operation["bindingType"] == "microsoft.graph.call"
    assert operation["queryParameters"] == []
    assert dump_spec(reconcile(list(reversed(redirect_pair()))).spec) == text
    schema = spec_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.validate(data, schema)
    data["operations"][0]["versions"] = "v1.0"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_nothing_to_reconcile() -> None:
    result = reconcile([])
    assert result.spec.operations == [] and result.fixtures == [] and result.diagnostics == []


def test_unversioned_api_pages_stay_out_of_the_spec() -> None:
    result = reconcile([record("x", version=None, operation=Operation(id="x.y"))])
    assert result.spec.operations == []
    assert [d.rule for d in result.diagnostics] == ["page-without-version"]


@pytest.mark.slow
def test_real_locales_reconcile_to_one_spec() -> None:
    """The communications pages in zh-CN, ru-RU and pt-BR give one spec (sources aside)."""
    pages = pytest.importorskip("extractor.read.pages")
    build_record = getattr(pages, "build_record", None)
    if build_record is None or not CORPUS.is_dir():
        pytest.skip("extractor.read.pages.build_record or the corpus is not available")
    specs = []
    ru_root = CORPUS / "samples" / "ru-RU-communications"
    for root in (ru_root, CORPUS / "samples" / "pt-BR-communications", CORPUS / "zh-CN"):
        # the zh-CN copies of the very pages the samples hold
        files = [root / p.relative_to(ru_root) for p in sorted(ru_root.rglob("*.md"))]
        records = [build_record(str(p.relative_to(CORPUS)), p.read_bytes()) for p in files]
        specs.append(spec_without_sources(reconcile(records)))
    assert specs[0] == specs[1]
    assert specs[0] == specs[2]
    assert len(specs[0]["operations"]) >= 40


@pytest.mark.slow
def test_real_older_snapshot_loses_to_the_newer_one() -> None:
    """zh-CN communications pages of 2021-02 beside the same files of 2021-08."""
    pages = pytest.importorskip("extractor.read.pages")
    build_record = getattr(pages, "build_record", None)
    old_root = CORPUS / "samples" / "zh-CN-communications-2021-02"
    if build_record is None or not old_root.is_dir():
        pytest.skip("extractor.read.pages.build_record or the corpus is not available")
    old = sorted(old_root.rglob("*.md"))
    new = [CORPUS / "zh-CN" / p.relative_to(old_root) for p in old]
    records = [build_record(str(p.relative_to(CORPUS)), p.read_bytes()) for p in old + new]
    changed = sum(
        a.source.sourcegitcommit != b.source.sourcegitcommit
        for a, b in zip(records[: len(old)], records[len(old) :], strict=True)
    )
    result = reconcile(records)
    conflicts = [d for d in result.diagnostics if d.rule == "page-version-conflict"]
    # Two changed pages changed identity too: an enum page gained an enum (its identity is
    # its enum names), and onlinemeeting-get dropped its /communications path, the path its
    # operation id came from (communications.onlineMeetings.get -> me.onlineMeetings.get).
    assert len(conflicts) == changed - 2 == 94
    assert all(d.path.startswith("samples/zh-CN-communications-2021-02/") for d in conflicts)
    for operation in result.spec.operations:
        assert operation.versions == sorted({s.version for s in operation.sources})
