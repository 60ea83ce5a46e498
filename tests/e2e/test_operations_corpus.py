"""Operations on the whole zh-CN corpus (issue 22's acceptance): who owns each OpenAPI path
and method, query parameters, return types against the service's metadata, ids that a plain
English rendering of the corpus gives alike, and paths as templates."""

from __future__ import annotations

import gc
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import pytest

from extractor.engine.records import extract_records
from extractor.read.bilingual import split_segments
from extractor.read.corpus import discover
from extractor.read.httpblock.templates import is_sample_value, split_top
from extractor.reconcile import reconcile
from extractor.render.openapi import build_openapi, normalize_path
from extractor.render.openapi.paths import _path_layout, _shape
from extractor.schema import BuildResult, PageRecord, SpecOperation
from tests.conftest import REPO, ZH_CN

pytestmark = pytest.mark.slow

METADATA = REPO.parent / "shared" / "metadata"


@pytest.fixture(scope="module")
def zh(zh_cn_records: list[PageRecord]) -> BuildResult:
    return reconcile(zh_cn_records)


def in_version(result: BuildResult, version: str) -> list[SpecOperation]:
    return sorted(
        (op for op in result.spec.operations if version in op.versions), key=lambda o: o.id
    )


# --- 1. every path and method belongs to the page that documents that path ----------------


@pytest.mark.parametrize("version", ["v1.0", "beta"])
def test_every_slot_belongs_to_an_operation_documenting_that_path(
    zh: BuildResult, version: str
) -> None:
    layout = _path_layout(in_version(zh, version), version)
    for template, placed in layout.items():
        shape = _shape(template).casefold()
        for slot in placed:
            own = [
                p
                for p in slot.op.paths
                if version in p.versions
                and not p.query
                and _shape(normalize_path(p.path)[0]).casefold() == shape
            ]
            assert own, f"{slot.method.upper()} {template} is not a path of {slot.op.id}"
    document = build_openapi(zh.spec, version)
    ids = [
        body["operationId"]
        for item in document["paths"].values()
        for method, body in item.items()
        if method != "parameters"
    ]
    assert len({i.casefold() for i in ids}) == len(ids)
    assert not [i for i in ids if re.search(r"_\d+$", i)]
    titles = {
        (path, method): body.get("summary")
        for path, item in document["paths"].items()
        for method, body in item.items()
        if method != "parameters"
    }
    assert titles[("/users", "get")] == "List users"
    assert titles[("/me", "get")] == "Get user"
    assert titles[("/me/messages", "get")] == "List messages"


# --- 2. query parameters ---------------------------------------------------------------------


def test_query_parameters(zh: BuildResult) -> None:
    with_query = [op for op in zh.spec.operations if op.query_parameters]
    assert len(with_query) >= 380
    assert sum(len(op.query_parameters) for op in with_query) >= 1100
    calendar_views = [op for op in zh.spec.operations if op.id.endswith("calendarView.list")]
    assert len(calendar_views) >= 4
    for op in calendar_views:  # bookings name the range start and end
        required = {p.name for p in op.query_parameters if p.required}
        assert required in ({"startDateTime", "endDateTime"}, {"start", "end"}), op.id


# --- 3. return types against the service's metadata -----------------------------------------


def _bound_operations(
    path: Path,
) -> tuple[dict[str, list[tuple[str, str | None, bool]]], dict[str, str]]:
    """The CSDL's bound actions and functions by name: (binding, return type, collection)."""
    found: dict[str, list[tuple[str, str | None, bool]]] = defaultdict(list)
    bases: dict[str, str] = {}
    root = ET.parse(path).getroot()
    for schema in (e for e in root.iter() if e.tag.endswith("}Schema")):
        namespace, alias = schema.get("Namespace") or "", schema.get("Alias")

        def full(
            name: str | None, namespace: str = namespace, alias: str | None = alias
        ) -> str | None:
            if name and alias and name.startswith(alias + "."):
                return namespace + name[len(alias) :]
            return name

        for element in schema:
            tag = element.tag.rsplit("}", 1)[-1]
            if tag in ("EntityType", "ComplexType") and element.get("BaseType"):
                bases[f"{namespace}.{element.get('Name')}".casefold()] = str(
                    full(element.get("BaseType"))
                ).casefold()
            if tag not in ("Action", "Function") or element.get("IsBound") != "true":
                continue
            binding = next(e for e in element if e.tag.endswith("}Parameter")).get("Type") or ""
            binding = binding.removeprefix("Collection(").removesuffix(")")
            returned = next((e.get("Type") for e in element if e.tag.endswith("}ReturnType")), None)
            many = bool(returned and returned.startswith("Collection("))
            returned = full(
                returned.removeprefix("Collection(").removesuffix(")") if returned else None
            )
            found[str(element.get("Name")).casefold()].append(
                (str(full(binding)).casefold(), returned, many)
            )
    return found, bases


def _agreement(result: BuildResult, version: str, metadata: Path) -> tuple[int, int]:
    operations, bases = _bound_operations(metadata)

    def chain(name: str) -> list[str]:
        out = [name]
        while out[-1] in bases and bases[out[-1]] not in out:
            out.append(bases[out[-1]])
        return out

    def short(name: str | None) -> str | None:
        return name.rsplit(".", 1)[-1].casefold() if name else None

    matched = agree = 0
    for op in in_version(result, version):
        if op.kind not in ("action", "function") or not op.binding_type or not op.name:
            continue
        candidates = operations.get(op.name.casefold(), [])
        binding = op.binding_type.casefold()
        found = [c for c in candidates if c[0] in chain(binding)]
        found = found or [c for c in candidates if binding in chain(c[0])]
        if not found and len({(c[1], c[2]) for c in candidates}) == 1:
            found = candidates
        if not found:
            continue
        matched += 1
        response = next((r for r in op.responses if version in r.versions), op.response)
        agree += any(
            short(response.type) == short(c[1])
            and (response.collection == c[2] or not response.type)
            for c in found
        )
    return agree, matched


@pytest.mark.parametrize(
    ("version", "file", "share"),
    [("v1.0", "v1.0-2021-08-24.xml", 0.93), ("beta", "beta-2021-07-13.xml", 0.88)],
)
def test_return_types_agree_with_the_metadata(
    zh: BuildResult, version: str, file: str, share: float
) -> None:
    metadata = METADATA / file
    if not metadata.is_file():
        pytest.skip("the service metadata (../shared/metadata) is not here")
    agree, matched = _agreement(zh, version, metadata)
    assert matched >= 380 if version == "v1.0" else matched >= 700
    assert agree / matched >= share, (agree, matched)


# --- 4. a plain English rendering of the corpus gives the same ids ---------------------------

_ANCHOR = re.compile(r'<a\s+name\s*=\s*"[^"]*"\s*>\s*</a>\s*', re.IGNORECASE)
_LOCALIZATION = re.compile(
    r"^ms\.(?:openlocfilehash|translationtype|contentlocale|locfileid|lasthandoff|sourcegitcommit):.*\n",
    re.MULTILINE,
)


def english(text: str) -> str:
    """A page as the English repository writes it: every segment's English, no anchors,
    no keys the localization pipeline adds to the front matter."""
    text = _ANCHOR.sub("", split_segments(text).english)
    if text.startswith("---"):
        end = text.find("\n---", 3) + 1
        text = _LOCALIZATION.sub("", text[:end]) + text[end:]
    return text


def test_plain_english_rendering_gives_the_same_ids(
    zh: BuildResult, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("en") / "api-reference"
    for page in ZH_CN.rglob("*.md"):
        target = root / page.relative_to(ZH_CN)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            english(page.read_text(encoding="utf-8", errors="surrogateescape")),
            encoding="utf-8",
            errors="surrogateescape",
        )
    records, _, _ = extract_records(discover([root]), jobs=2, cache_dir=None)
    assert not any("data-ttu-id" in r.title for r in records)
    result = reconcile(records)
    del records
    gc.collect()
    assert [op.id for op in result.spec.operations] == [op.id for op in zh.spec.operations]
    assert [f.id for f in result.fixtures] == [f.id for f in zh.fixtures]


# --- 5. paths are templates with one parameter name per segment --------------------------------


def test_paths_hold_no_sample_value_and_name_each_segment_once(zh: BuildResult) -> None:
    samples = []
    names: dict[str, set[str]] = defaultdict(set)
    for op in zh.spec.operations:
        for request_path in op.paths:
            segments = [s for s in split_top(request_path.path, "/") if s]
            for index, segment in enumerate(segments):
                if is_sample_value(segment) or re.search(
                    r"='?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}", segment
                ):
                    samples.append((op.id, request_path.path))
                whole = re.fullmatch(r"\{([^{}]*)\}", segment)
                if whole and index:
                    names["/".join(segments[:index])].add(whole.group(1))
    assert samples == []
    assert {prefix: found for prefix, found in names.items() if len(found) > 1} == {}
