"""Issue acceptance on the whole real corpus: every page gives a complete record."""

from __future__ import annotations

import json

import pytest

from extractor.schema import PageRecord

pytestmark = pytest.mark.slow

MARKERS = ("sxs-lookup", "data-ttu-id", "data-stu-id")


def json_looking_share(records: list[PageRecord]) -> tuple[int, int]:
    looking = parsed = 0
    for record in records:
        for example in record.examples:
            if example.body_kind == "json":
                looking += 1
                parsed += 1
            elif example.raw_body and example.raw_body.lstrip().startswith(("{", "[")):
                looking += 1
    return parsed, looking


def http_section_share(records: list[PageRecord]) -> tuple[int, int]:
    with_section = with_path = 0
    for record in records:
        if record.kind != "api" or record.operation is None:
            continue
        if any((s.anchor or "").startswith("http-request") for s in record.sections):
            with_section += 1
            with_path += bool(record.operation.paths)
    return with_path, with_section


def resource_tables_have_properties(records: list[PageRecord]) -> list[str]:
    return [
        record.source.path
        for record in records
        if record.kind == "resource"
        and record.type is not None
        and not record.type.properties
        and any(d.rule == "no-properties" for d in record.diagnostics)
    ]


def test_zh_cn_every_page_gives_a_record(zh_cn_records: list[PageRecord]) -> None:
    assert len(zh_cn_records) == 11_214
    assert not [r for r in zh_cn_records if any(d.rule == "internal-error" for d in r.diagnostics)]
    kinds = {
        kind: sum(r.kind == kind for r in zh_cn_records) for kind in ("api", "resource", "enum")
    }
    # 22 pages say apiPageType but hold properties and no HTTP request: read as resources
    assert kinds["api"] >= 7_060 and kinds["resource"] >= 3_380 and kinds["enum"] >= 600
    assert sum(r.version == "beta" for r in zh_cn_records) >= 7_000


def test_zh_cn_no_markers_survive(zh_cn_records: list[PageRecord]) -> None:
    for record in zh_cn_records:
        text = record.model_dump_json(exclude={"examples"})
        assert not any(marker in text for marker in MARKERS), record.source.path


def test_zh_cn_json_bodies_parse(zh_cn_records: list[PageRecord]) -> None:
    parsed, looking = json_looking_share(zh_cn_records)
    assert looking > 12_000
    assert parsed / looking >= 0.996


def test_zh_cn_api_pages_have_paths(zh_cn_records: list[PageRecord]) -> None:
    with_path, with_section = http_section_share(zh_cn_records)
    assert with_section > 7_000
    assert with_path / with_section >= 0.99


def test_zh_cn_resource_tables_give_properties(zh_cn_records: list[PageRecord]) -> None:
    assert resource_tables_have_properties(zh_cn_records) == []


def test_samples_hold_the_same(sample_records: dict[str, list[PageRecord]]) -> None:
    expected = {
        "pt-BR-communications": 222,
        "ru-RU-communications": 222,
        "zh-CN-communications-2021-02": 204,
        "zh-CN-communications-2023": 217,
    }
    assert {name: len(records) for name, records in sample_records.items()} == expected
    for name, records in sample_records.items():
        parsed, looking = json_looking_share(records)
        assert parsed / looking >= 0.996, name
        with_path, with_section = http_section_share(records)
        assert with_path / with_section >= 0.99, name
        assert resource_tables_have_properties(records) == [], name
        for record in records:
            text = record.model_dump_json(exclude={"examples"})
            assert not any(marker in text for marker in MARKERS), record.source.path


def test_2023_pages_without_english_still_give_structure(
    sample_records: dict[str, list[PageRecord]],
) -> None:
    records = {
        r.source.path.rsplit("api-reference/", 1)[1]: r
        for r in sample_records["zh-CN-communications-2023"]
    }
    redirect = records["beta/api/call-redirect.md"]
    assert redirect.language == "zh-CN"
    assert any(d.rule == "no-english" for d in redirect.diagnostics)
    assert redirect.operation is not None
    # the same as the 2021 pages' though the title's colon is a full-width one
    assert redirect.operation.id == "call.redirect"
    assert (redirect.operation.kind, redirect.operation.name) == ("action", "redirect")
    assert {p.path for p in redirect.operation.paths} >= {
        "/communications/calls/{call-id}/redirect"
    }
    names = [p.name for p in redirect.operation.parameters]
    assert {"targets", "timeout", "maskCallee", "maskCaller"} <= set(names)
    assert redirect.examples
    call = records["v1.0/resources/call.md"]
    assert call.type is not None and len(call.type.properties) >= 15
    assert json.loads(call.model_dump_json())["type"]["name"] == "microsoft.graph.call"
