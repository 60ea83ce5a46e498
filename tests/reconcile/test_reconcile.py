"""Reconcile: page identity across locales and commits, v1.0/beta merging, inference, fixtures."""

from __future__ import annotations

import gc
import json
import random
import time
from pathlib import Path, PurePosixPath
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.reconcile import reconcile
from extractor.reconcile.pages import _file_name
from extractor.reconcile.text import _BLANK_RUN, _LOCALE_IN_URL, _SPACE_RUN, normalize_text
from extractor.render.specjson import dump_spec, spec_json_schema
from extractor.schema import (
    Diagnostic,
    EnumDef,
    EnumMember,
    Example,
    HttpMessage,
    Operation,
    PageRecord,
    Parameter,
    Permissions,
    RequestPath,
    ResponseInfo,
    SourceInfo,
    TypeDef,
)

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

LOCALE_DIRS = {
    "zh-CN": "zh-CN",
    "ru-RU": "samples/ru-RU-communications",
    "pt-BR": "samples/pt-BR-communications",
}


def record(
    name: str,
    version: str | None = "v1.0",
    kind: str = "api",
    locale: str = "zh-CN",
    commit: str | None = "c0ffee",
    handoff: str | None = "08/27/2021",
    language: str = "en",
    path: str | None = None,
    **fields: Any,
) -> PageRecord:
    """A record as the pages stage would build it for ``<locale dir>/<version>/<kind>/name.md``."""
    folder = "api" if kind == "api" else "resources"
    if path is None:
        path = f"{LOCALE_DIRS.get(locale, locale)}/api-reference/{version}/{folder}/{name}.md"
    return PageRecord(
        source=SourceInfo(
            path=path, sha256="0" * 64, locale=locale, sourcegitcommit=commit, lasthandoff=handoff
        ),
        version=version,
        kind=kind,
        slug=name,
        title=fields.pop("title", name),
        language=language,
        **fields,
    )


def redirect_op(version: str, **overrides: Any) -> Operation:
    """``call: redirect`` as its v1.0 and beta pages describe it (beta adds three parameters)."""
    params = [
        Parameter(
            name="targets", type="microsoft.graph.invitationParticipantInfo", collection=True
        ),
        Parameter(name="timeout", type="Edm.Int32", line=40),
        Parameter(name="callbackUri", type="Edm.String", line=41),
    ]
    paths = [RequestPath(path="/communications/calls/{id}/redirect", line=30)]
    if version == "beta":
        params.insert(
            1,
            Parameter(
                name="targetDisposition",
                type="Edm.String",
                deprecated=True,
                description="(Deprecated) The possible values are: `default`.",
            ),
        )
        params[2] = Parameter(name="timeout", type="Edm.Int64", line=52)
        params[3] = Parameter(name="callbackURI", type="Edm.String", description="beta text")
        params += [
            Parameter(name="maskCallee", type="Edm.Boolean"),
            Parameter(name="maskCaller", type="Edm.Boolean"),
        ]
        paths.insert(0, RequestPath(path="/app/calls/{id}/redirect", deprecated=True, line=29))
    data: dict[str, Any] = {
        "id": "call.redirect",
        "kind": "action",
        "binding_type": "microsoft.graph.call",
        "name": "redirect",
        "title": "call: redirect",
        "description": f"Redirect an incoming call ({version}).",
        "method": "POST",
        "paths": paths,
        "parameters": params,
        "response": ResponseInfo(status=202),
        "permissions": Permissions(application=["Calls.Initiate.All"]),
    }
    data.update(overrides)
    return Operation(**data)


def example(example_id: str, role: str, line: int, body: Any = None, **fields: Any) -> Example:
    return Example(id=example_id, role=role, line=line, json=body, **fields)


def spec_without_sources(result: Any) -> dict[str, Any]:
    data = result.spec.model_dump(mode="json")
    for group in ("operations", "types", "enums"):
        for item in data[group]:
            item.pop("sources")
    return data


# --- page identity and locales ---------------------------------------------------------------


def test_copies_with_one_commit_are_one_page_listing_every_copy() -> None:
    copies = [
        record("call-redirect", locale=locale, operation=redirect_op("v1.0"))
        for locale in ("ru-RU", "zh-CN", "pt-BR")
    ]
    result = reconcile(copies)
    [operation] = result.spec.operations
    assert operation.id == "call.redirect"
    assert operation.versions == ["v1.0"]
    assert [(s.locale, s.path) for s in operation.sources] == [
        ("pt-BR", "samples/pt-BR-communications/api-reference/v1.0/api/call-redirect.md"),
        ("ru-RU", "samples/ru-RU-communications/api-reference/v1.0/api/call-redirect.md"),
        ("zh-CN", "zh-CN/api-reference/v1.0/api/call-redirect.md"),
    ]
    assert {s.sourcegitcommit for s in operation.sources} == {"c0ffee"}
    # Only the referenced-but-undefined parameter type is reported, once, not per locale.
    assert [d.rule for d in result.diagnostics] == ["unresolved-type"]


def test_copy_choice_prefers_english_then_fewest_diagnostics() -> None:
    noisy = Diagnostic(rule="table-shape", severity="warning", path="x", message="m")
    copies = [
        record(
            "call-redirect",
            locale="pt-BR",
            operation=redirect_op("v1.0", description="from pt-BR"),
            diagnostics=[noisy],
        ),
        record(
            "call-redirect",
            locale="ru-RU",
            operation=redirect_op("v1.0", description="from ru-RU"),
        ),
        record(
            "call-redirect",
            locale="zh-CN",
            language="zh-CN",
            operation=redirect_op("v1.0", description="localized only"),
        ),
    ]
    [operation] = reconcile(copies).spec.operations
    assert operation.description == "from ru-RU"
    # ... and among equally clean English copies, the lowest locale wins.
    copies[0] = copies[0].model_copy(update={"diagnostics": []})
    [operation] = reconcile(copies).spec.operations
    assert operation.description == "from pt-BR"


def test_different_commits_newer_copy_wins_with_a_warning() -> None:
    old = record(
        "call-redirect",
        commit="3d5b7df",
        handoff="02/13/2021",
        path="samples/zh-CN-communications-2021-02/api-reference/v1.0/api/call-redirect.md",
        operation=redirect_op("v1.0", description="old text"),
    )
    new = record(
        "call-redirect",
        commit="a0e03b3",
        handoff="08/27/2021",
        operation=redirect_op("v1.0", description="new text"),
    )
    new_ru = record(
        "call-redirect",
        locale="ru-RU",
        commit="a0e03b3",
        handoff="08/27/2021",
        operation=redirect_op("v1.0", description="new text"),
    )
    result = reconcile([new, old, new_ru])
    [operation] = result.spec.operations
    assert operation.description == "new text"
    assert [s.path for s in operation.sources] == [new_ru.source.path, new.source.path]
    [diagnostic] = [d for d in result.diagnostics if d.rule == "page-version-conflict"]
    assert diagnostic.severity == "warning"
    assert diagnostic.path == old.source.path
    for text in (old.source.path, new.source.path, "3d5b7df", "a0e03b3"):
        assert text in diagnostic.message


def test_handoff_tie_goes_to_the_larger_path_and_bad_dates_lose() -> None:
    first = record(
        "x-get",
        path="a/x-get.md",
        commit="1",
        handoff="08/27/2021",
        operation=redirect_op("v1.0", id="x.get", description="a"),
    )
    second = record(
        "x-get",
        path="b/x-get.md",
        commit="2",
        handoff="08/27/2021",
        operation=redirect_op("v1.0", id="x.get", description="b"),
    )
    third = record(
        "x-get",
        path="c/x-get.md",
        commit="3",
        handoff="not a date",
        operation=redirect_op("v1.0", id="x.get", description="c"),
    )
    result = reconcile([first, second, third])
    assert result.spec.operations[0].description == "b"
    conflicts = [d for d in result.diagnostics if d.rule == "page-version-conflict"]
    assert [d.path for d in conflicts] == ["a/x-get.md", "c/x-get.md"]


def test_spec_is_identical_whatever_the_locale() -> None:
    def page(locale: str, code: str, spaces: str) -> PageRecord:
        description = (
            f"See [Office](https://support.office.com/{code}/article/x).{spaces}Then redirect.  "
        )
        op = redirect_op("v1.0", description=description)
        op.parameters[0].description = f"Targets.{spaces}Up to 25. "
        return record("call-redirect", locale=locale, operation=op)

    zh = reconcile([page("zh-CN", "zh-CN", " ")])
    ru = reconcile([page("ru-RU", "ru-RU", "  ")])
    pt = reconcile([page("pt-BR", "pt-br", " \t ")])
    assert spec_without_sources(zh) == spec_without_sources(ru) == spec_without_sources(pt)
    operation = zh.spec.operations[0]
    assert operation.description == (
        "See [Office](https://support.office.com/article/x). Then redirect."
    )
    assert operation.parameters[0].description == "Targets. Up to 25."


def test_normalize_text_keeps_paragraphs_and_relative_links() -> None:
    text = "A  b \n\n\n\n[c](/zh-cn/graph/x)  \r\nd"
    assert normalize_text(text) == "A b\n\n[c](/graph/x)\nd"
    assert normalize_text(None) == ""
    started = time.process_time()
    normalize_text("[" * 100_000 + "](https://x" * 10_000 + " " * 100_000)
    assert time.process_time() - started < 1.0


def normalize_text_reference(text: str | None) -> str:
    """``normalize_text`` without its shortcuts: every regex on every line of every text."""
    if not text:
        return ""
    text = _LOCALE_IN_URL.sub(r"\1", text)
    lines = [_SPACE_RUN.sub(" ", line).strip() for line in text.replace("\r", "").split("\n")]
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip()


TEXT_PIECES = [" ", "  ", "\t", "\u00a0", "\u3000", "\x0b", "\n", "\r", "x", "/", "](", ")", "["]
TEXT_PIECES += ["https://a.b", "http:/", "://", "/zh-cn", "/en-US/", "zh-hans", "/de-de/x"]


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), st.lists(st.sampled_from(TEXT_PIECES)).map("".join)))
def test_normalize_text_shortcuts_change_nothing(text: str) -> None:
    assert normalize_text(text) == normalize_text_reference(text)


PATH_PIECES = ["a", "b.md", ".", "..", "", "/", "\\", "//", ".md"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PATH_PIECES), max_size=8).map("".join))
def test_file_name_is_what_pure_posix_path_says(path: str) -> None:
    page = record("x", path=path)
    assert _file_name(page) == PurePosixPath(path.replace("\\", "/")).name


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


def test_operation_shares_no_lists_with_records_or_its_responses() -> None:
    records = redirect_pair()
    [op] = reconcile(records).spec.operations
    op.permissions.application.append("Changed.All")
    for granted in op.permission_sets:
        granted.application.append("Changed.All")
    op.response.versions.append("v2")
    v1, beta = records[0].operation, records[1].operation
    assert v1 is not None and beta is not None
    assert v1.permissions.application == ["Calls.Initiate.All"]
    assert beta.permissions.application == ["Calls.Initiate.All", "Calls.X"]
    assert [r.versions for r in op.responses] == [["beta"], ["v1.0"]]


# --- operations ------------------------------------------------------------------------------


def redirect_pair() -> list[PageRecord]:
    return [
        record("call-redirect", version="v1.0", operation=redirect_op("v1.0")),
        record(
            "call-redirect",
            version="beta",
            operation=redirect_op(
                "beta",
                permissions=Permissions(application=["Calls.Initiate.All", "Calls.X"]),
                response=ResponseInfo(status=200, type="microsoft.graph.call"),
            ),
        ),
    ]


def test_operation_merges_versions_paths_and_parameters() -> None:
    result = reconcile(redirect_pair())
    [op] = result.spec.operations
    assert op.versions == ["beta", "v1.0"]
    assert op.description == "Redirect an incoming call (v1.0)."
    assert [(p.path, p.versions, p.deprecated) for p in op.paths] == [
        ("/communications/calls/{id}/redirect", ["beta", "v1.0"], False),
        ("/app/calls/{id}/redirect", ["beta"], True),
    ]
    assert op.deprecated is False
    assert [(p.name, p.type, p.versions, p.deprecated) for p in op.parameters] == [
        ("targets", "microsoft.graph.invitationParticipantInfo", ["beta", "v1.0"], False),
        ("timeout", "Edm.Int32", ["beta", "v1.0"], False),
        ("callbackUri", "Edm.String", ["beta", "v1.0"], False),
        ("targetDisposition", "Edm.String", ["beta"], True),
        ("maskCallee", "Edm.Boolean", ["beta"], False),
        ("maskCaller", "Edm.Boolean", ["beta"], False),
    ]
    assert op.parameters[0].collection is True
    assert op.parameters[3].description == "(Deprecated) The possible values are: `default`."
    assert all(p.line is None for p in op.parameters)
    assert (op.response.status, op.response.type, op.response.versions) == (202, None, ["v1.0"])
    assert [(r.status, r.type, r.versions) for r in op.responses] == [
        (200, "microsoft.graph.call", ["beta"]),
        (202, None, ["v1.0"]),
    ]
    assert op.permissions.application == ["Calls.Initiate.All"]
    assert [(p.application, p.versions) for p in op.permission_sets] == [
        (["Calls.Initiate.All", "Calls.X"], ["beta"]),
        (["Calls.Initiate.All"], ["v1.0"]),
    ]
    assert op.permissions_in("beta").application == ["Calls.Initiate.All", "Calls.X"]
    assert op.permissions_in("v2").application == ["Calls.Initiate.All"]
    assert [(s.version, s.path) for s in op.sources] == [
        ("beta", "zh-CN/api-reference/beta/api/call-redirect.md"),
        ("v1.0", "zh-CN/api-reference/v1.0/api/call-redirect.md"),
    ]
    [differs] = [d for d in result.diagnostics if d.rule == "parameter-type-differs"]
    assert differs.severity == "info"
    assert differs.path == "zh-CN/api-reference/beta/api/call-redirect.md"
    assert differs.line == 52
    assert "'timeout' is Edm.Int32 in v1.0" in differs.message
    assert "Edm.Int64 in beta" in differs.message


def test_beta_only_operation_takes_beta_fields_and_spelling() -> None:
    beta = record(
        "call-transfer",
        version="beta",
        operation=redirect_op("beta", id="call.transfer", name="transfer", description="Transfer."),
    )
    [op] = reconcile([beta]).spec.operations
    assert (op.id, op.name, op.versions, op.description) == (
        "call.transfer",
        "transfer",
        ["beta"],
        "Transfer.",
    )
    assert "callbackURI" in [p.name for p in op.parameters]


def test_deprecation_follows_beta_else_every_version() -> None:
    def op(version: str, flags: dict[str, bool]) -> Operation:
        return Operation(
            id="x.y",
            method="POST",
            paths=[RequestPath(path=f"/{n}", deprecated=d) for n, d in flags.items()],
            parameters=[Parameter(name=n, deprecated=d) for n, d in flags.items()],
        )

    v1 = op("v1.0", {"a": True, "b": False, "c": True})
    beta = op("beta", {"a": False, "b": True, "d": True})
    [merged] = reconcile(
        [record("x-y", "v1.0", operation=v1), record("x-y", "beta", operation=beta)]
    ).spec.operations
    expected = {"a": False, "b": True, "c": True, "d": True}
    assert {p.name: p.deprecated for p in merged.parameters} == expected
    assert {p.path[1:]: p.deprecated for p in merged.paths} == expected
    assert merged.deprecated is False
    [all_gone] = reconcile(
        [record("x-y", "beta", operation=op("beta", {"a": True}))]
    ).spec.operations
    assert all_gone.deprecated is True


def test_duplicate_operation_ids_get_the_slug() -> None:
    first = record("user-get", operation=Operation(id="user.get", method="GET"))
    second = record(
        "user-retrieve",
        operation=Operation(id="user.get", method="GET"),
        examples=[example("request", "request", 9)],
    )
    result = reconcile([second, first])
    assert [op.id for op in result.spec.operations] == ["user.get", "user.get~user-retrieve"]
    assert result.spec.operations[1].examples == ["v1.0/user-retrieve/request"]
    assert result.fixtures[0].operation == "user.get~user-retrieve"
    [diagnostic] = result.diagnostics
    assert diagnostic.rule == "duplicate-operation-id"
    assert diagnostic.path == second.source.path
    assert first.source.path in diagnostic.message


def test_one_identity_in_differently_named_files_of_one_locale_is_two_pages() -> None:
    """``list-members`` is the H1 anchor (slug) and id of many pages: each stays itself."""

    def page(stem: str, version: str, locale: str = "zh-CN") -> PageRecord:
        op = Operation(id="list-members", method="GET", paths=[RequestPath(path=f"/{stem}/m")])
        folder = LOCALE_DIRS[locale]
        return record(
            "list-members",
            version,
            locale=locale,
            commit=stem,
            path=f"{folder}/api-reference/{version}/api/{stem}-list-members.md",
            operation=op,
            examples=[example("request", "request", 5)],
        )

    records = [
        page(s, v, loc)
        for s in ("group", "directoryrole")
        for v in ("v1.0", "beta")
        for loc in ("zh-CN", "ru-RU")
    ]
    result = reconcile(records)
    ops = {op.id: op for op in result.spec.operations}
    assert sorted(ops) == ["list-members", "list-members~group-list-members"]
    assert ops["list-members"].versions == ["beta", "v1.0"]
    assert [p.path for p in ops["list-members~group-list-members"].paths] == ["/group/m"]
    assert len(ops["list-members"].sources) == 4
    assert [d.rule for d in result.diagnostics] == ["duplicate-operation-id"] * 2
    assert sorted(f.id for f in result.fixtures) == [
        "beta/list-members/request",
        "beta/list-members/request-2",
        "v1.0/list-members/request",
        "v1.0/list-members/request-2",
    ]


def test_seed_files_of_two_locales_are_one_page() -> None:
    """Seed file names carry no page name: disjoint locales still make one page."""
    zh = record(
        "call-redirect",
        path="corpus/000_0cb95b7642379844.txt",
        commit="new",
        handoff="06/06/2021",
        operation=redirect_op("v1.0", description="new"),
    )
    ru = record(
        "call-redirect",
        locale="ru-RU",
        path="corpus/002_23f97dc4af16424e.txt",
        commit="old",
        handoff="11/12/2019",
        operation=redirect_op("v1.0"),
    )
    result = reconcile([zh, ru])
    [op] = result.spec.operations
    assert op.description == "new"
    assert [s.path for s in op.sources] == [zh.source.path]
    [conflict] = [d for d in result.diagnostics if d.rule == "page-version-conflict"]
    assert conflict.path == ru.source.path


def test_versions_naming_one_operation_differently_are_joined_by_method_and_path() -> None:
    def op(op_id: str, path: str, method: str = "GET") -> Operation:
        return Operation(id=op_id, method=method, paths=[RequestPath(path=path)])

    records = [
        record("chart-get", "v1.0", operation=op("get-chart", "/charts/{name}")),
        record("chart-get", "beta", operation=op("get-workbookchart", "/charts/{chart-name} ")),
        record(
            "domain-forcedelete",
            "v1.0",
            operation=op("force-domain-deletion", "/domains/{id}/forceDelete", "POST"),
        ),
        record(
            "domain-forcedelete",
            "beta",
            operation=op("domain.forceDelete", "/domains/{id}/forceDelete", "POST"),
        ),
        # Two beta candidates for one v1.0 path: ambiguous, left alone.
        record("a", "v1.0", operation=op("a-get", "/a")),
        record("a1", "beta", operation=op("a-one", "/a")),
        record("a2", "beta", operation=op("a-two", "/A")),
        # Same path, other method: not the same operation.
        record("b", "v1.0", operation=op("b-get", "/b")),
        record("b", "beta", operation=op("b-delete", "/b", "DELETE")),
    ]
    result = reconcile(records)
    assert {op.id: op.versions for op in result.spec.operations} == {
        "a-get": ["v1.0"],
        "a-one": ["beta"],
        "a-two": ["beta"],
        "b-delete": ["beta"],
        "b-get": ["v1.0"],
        "domain.forceDelete": ["beta", "v1.0"],
        "get-chart": ["beta", "v1.0"],
    }
    differs = [d for d in result.diagnostics if d.rule == "operation-id-differs"]
    assert all(d.severity == "info" for d in differs)
    assert {d.path for d in differs} == {
        "zh-CN/api-reference/beta/api/chart-get.md",
        "zh-CN/api-reference/v1.0/api/domain-forcedelete.md",
    }


# --- types, inference and enums ---------------------------------------------------------------


def call_type(version: str) -> TypeDef:
    props = [
        Parameter(name="state", type="microsoft.graph.callState"),
        Parameter(name="source", type="microsoft.graph.participantInfo", line=20),
    ]
    if version == "beta":
        props.append(Parameter(name="transcription", type="microsoft.graph.callTranscriptionInfo"))
        props[0] = Parameter(name="State", type="microsoft.graph.callState", deprecated=True)
    return TypeDef(
        name="microsoft.graph.call",
        kind="entity",
        base_type="microsoft.graph.entity" if version == "v1.0" else None,
        description=f"A call ({version}).",
        properties=props,
        relationships=[
            Parameter(name="participants", type="microsoft.graph.participant", collection=True)
        ],
    )


def test_types_merge_by_name_with_versions() -> None:
    records = [
        record("call", "v1.0", "resource", type=call_type("v1.0")),
        record("call", "beta", "resource", type=call_type("beta")),
        record("entity", "v1.0", "resource", type=TypeDef(name="microsoft.graph.entity")),
        record("participant", "beta", "resource", type=TypeDef(name="microsoft.graph.participant")),
    ]
    spec = reconcile(records).spec
    assert [t.name for t in spec.types] == [
        "microsoft.graph.call",
        "microsoft.graph.entity",
        "microsoft.graph.participant",
    ]
    call = spec.types[0]
    assert (call.kind, call.base_type, call.versions, call.description) == (
        "entity",
        "microsoft.graph.entity",
        ["beta", "v1.0"],
        "A call (v1.0).",
    )
    assert [(p.name, p.versions, p.deprecated) for p in call.properties] == [
        ("state", ["beta", "v1.0"], True),
        ("source", ["beta", "v1.0"], False),
        ("transcription", ["beta"], False),
    ]
    assert [(r.name, r.versions) for r in call.relationships] == [
        ("participants", ["beta", "v1.0"])
    ]


def test_types_only_examples_show_are_inferred_and_others_reported() -> None:
    body = {
        "@odata.type": "#microsoft.graph.call",
        "targets": [
            {
                "@odata.type": "#microsoft.graph.invitationParticipantInfo",
                "@odata.id": "ignored",
                "manager@odata.bind": "ignored",
                "identity": {"@odata.type": "#microsoft.graph.identitySet", "user": None},
                "hidden": True,
                "count": 3,
                "big": 2**40,
                "ratio": 0.5,
                "when": "2021-08-27T10:00:00Z",
                "id": "632899f8-2ea1-4604-8413-27bd2892079f",
                "tags": ["a", "b"],
                "nothing": None,
            }
        ],
    }
    later = {
        "@odata.type": "#microsoft.graph.invitationParticipantInfo",
        "count": 2**35,
        "id": "not-a-guid",
        "extra": {"plain": 1},
    }
    records = [
        record("call", "v1.0", "resource", type=call_type("v1.0")),
        record(
            "call-redirect",
            "v1.0",
            operation=redirect_op("v1.0"),
            examples=[
                example("request", "request", 60, body),
                example(
                    "other",
                    "response",
                    90,
                    body=None,
                    annotation={"@odata.type": "microsoft.graph.mystery"},
                ),
            ],
        ),
        record(
            "call-transfer",
            "beta",
            operation=redirect_op("beta", id="call.transfer"),
            examples=[example("request", "request", 70, later)],
        ),
    ]
    result = reconcile(records)
    types = {t.name: t for t in result.spec.types}
    assert sorted(types) == [
        "microsoft.graph.call",
        "microsoft.graph.identitySet",
        "microsoft.graph.invitationParticipantInfo",
    ]
    info = types["microsoft.graph.invitationParticipantInfo"]
    assert info.inferred is True
    assert info.versions == ["beta", "v1.0"]
    assert [(p.name, p.type, p.collection, p.versions) for p in info.properties] == [
        ("identity", "microsoft.graph.identitySet", False, ["v1.0"]),
        ("hidden", "Edm.Boolean", False, ["v1.0"]),
        ("count", "Edm.Int64", False, ["beta", "v1.0"]),
        ("big", "Edm.Int64", False, ["v1.0"]),
        ("ratio", "Edm.Double", False, ["v1.0"]),
        ("when", "Edm.DateTimeOffset", False, ["v1.0"]),
        ("id", "Edm.String", False, ["beta", "v1.0"]),
        ("tags", "Edm.String", True, ["v1.0"]),
        ("nothing", None, False, ["v1.0"]),
        ("extra", None, False, ["beta"]),
    ]
    assert [s.path for s in info.sources] == [
        "zh-CN/api-reference/beta/api/call-transfer.md",
        "zh-CN/api-reference/v1.0/api/call-redirect.md",
    ]
    assert types["microsoft.graph.identitySet"].inferred is True
    assert [p.name for p in types["microsoft.graph.identitySet"].properties] == ["user"]
    unresolved = [d for d in result.diagnostics if d.rule == "unresolved-type"]
    assert [(d.path, d.line, d.message.split("'")[1]) for d in unresolved] == [
        ("zh-CN/api-reference/v1.0/api/call-redirect.md", 90, "microsoft.graph.mystery"),
        ("zh-CN/api-reference/v1.0/resources/call.md", None, "microsoft.graph.callState"),
        ("zh-CN/api-reference/v1.0/resources/call.md", None, "microsoft.graph.participant"),
        ("zh-CN/api-reference/v1.0/resources/call.md", 20, "microsoft.graph.participantInfo"),
    ]
    assert all(d.severity == "warning" for d in unresolved)


def test_enums_merge_members_with_versions() -> None:
    v1 = EnumDef(
        name="microsoft.graph.callState",
        members=[EnumMember(name="incoming", value=0), EnumMember(name="established", value=1)],
    )
    beta = EnumDef(
        name="microsoft.graph.callState",
        description="States.",
        members=[EnumMember(name="Incoming", value=10), EnumMember(name="transferring", value=5)],
    )
    records = [
        record("enums", "v1.0", "enum", enums=[v1]),
        record("enums", "beta", "enum", enums=[beta]),
        record(
            "call",
            "v1.0",
            "resource",
            type=TypeDef(
                name="microsoft.graph.call",
                properties=[Parameter(name="state", type="microsoft.graph.callstate")],
            ),
        ),
    ]
    result = reconcile(records)
    [enum] = result.spec.enums
    assert (enum.name, enum.versions, enum.description) == (
        "microsoft.graph.callState",
        ["beta", "v1.0"],
        "States.",
    )
    assert [(m.name, m.value, m.versions) for m in enum.members] == [
        ("incoming", 0, ["beta", "v1.0"]),
        ("established", 1, ["v1.0"]),
        ("transferring", 5, ["beta"]),
    ]
    assert [s.version for s in enum.sources] == ["beta", "v1.0"]
    assert not [d for d in result.diagnostics if d.rule == "unresolved-type"]


# --- fixtures --------------------------------------------------------------------------------


def test_fixtures_ids_types_and_pairs() -> None:
    request = HttpMessage(
        kind="request",
        method="POST",
        url="https://graph.microsoft.com/v1.0/x",
        headers=[("Content-Type", "application/json")],
    )
    examples = [
        example("notification", "notification", 10, {"@odata.type": "#microsoft.graph.commsX"}),
        example(
            "request",
            "request",
            20,
            {"a": 1},
            http=request,
            body_kind="json",
            repairs=[{"kind": "trailing-comma", "line": 25, "message": "removed"}],
        ),
        example("response", "response", 40, http=HttpMessage(kind="response", status=202)),
        example(
            "request",
            "request",
            50,
            None,
            body_kind="text",
            raw_body="<bytes>",
            annotation={
                "@odata.type": "#microsoft.graph.x",
                "isCollection": "true",
                "truncated": True,
            },
        ),
        example("request", "request", 60),
        example("response", "response", 70, {"value": []}, body_kind="json"),
    ]
    op = redirect_op(
        "v1.0", response=ResponseInfo(status=200, type="microsoft.graph.call", collection=True)
    )
    records = [
        record("call-redirect", operation=op, examples=examples),
        record("call-redirect", locale="ru-RU", operation=op, examples=examples),
        record(
            "overview",
            version=None,
            kind="conceptual",
            examples=[example("e1", "other", 3, [1, 2])],
        ),
    ]
    result = reconcile(records)
    fixtures = {f.id: f for f in result.fixtures}
    assert [f.id for f in result.fixtures] == sorted(fixtures)
    assert sorted(fixtures) == [
        "unversioned/overview/e1",
        "v1.0/call-redirect/notification",
        "v1.0/call-redirect/request",
        "v1.0/call-redirect/request-2",
        "v1.0/call-redirect/request-3",
        "v1.0/call-redirect/response",
        "v1.0/call-redirect/response-2",
    ]
    first = fixtures["v1.0/call-redirect/request"]
    assert first.file == "fixtures/v1.0/call-redirect/request.json"
    assert (first.page, first.version, first.locale, first.operation) == (
        "call-redirect",
        "v1.0",
        "ru-RU",
        "call.redirect",
    )
    assert (
        first.source_path == "samples/ru-RU-communications/api-reference/v1.0/api/call-redirect.md"
    )
    # an action's request body is its parameters: no entity type, the operation says it
    assert (first.type, first.collection, first.method, first.url) == (
        None,
        False,
        "POST",
        "https://graph.microsoft.com/v1.0/x",
    )
    assert first.headers == [("Content-Type", "application/json")]
    assert (first.body, first.repaired, first.pair, first.valid) == (
        {"a": 1},
        True,
        "v1.0/call-redirect/response",
        None,
    )
    assert fixtures["v1.0/call-redirect/response"].pair == "v1.0/call-redirect/request"
    assert fixtures["v1.0/call-redirect/response"].status == 202
    second = fixtures["v1.0/call-redirect/request-2"]
    assert (second.type, second.collection, second.truncated, second.body) == (
        "microsoft.graph.x",
        True,
        True,
        "<bytes>",
    )
    assert second.pair is None
    assert fixtures["v1.0/call-redirect/request-3"].pair == "v1.0/call-redirect/response-2"
    last = fixtures["v1.0/call-redirect/response-2"]
    assert (last.type, last.collection) == ("microsoft.graph.call", True)
    assert fixtures["v1.0/call-redirect/notification"].type == "microsoft.graph.commsX"
    other = fixtures["unversioned/overview/e1"]
    assert (other.version, other.operation, other.type, other.body) == (None, None, None, [1, 2])
    assert result.spec.operations[0].examples == sorted(
        f for f in fixtures if f.startswith("v1.0/")
    )


# --- output, ordering, robustness -------------------------------------------------------------


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


# --- real corpus -----------------------------------------------------------------------------


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
