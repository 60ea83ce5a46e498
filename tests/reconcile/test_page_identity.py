"""Reconcile's page identity: which records are one page across locales and commits, which
copy is read, and which operation id each page gets."""

from __future__ import annotations

from pathlib import PurePosixPath

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.reconcile import reconcile
from extractor.reconcile.pages import _file_name
from extractor.schema import Diagnostic, Operation, PageRecord, RequestPath, ResponseInfo, TypeDef
from tests.reconcile.builders import LOCALE_DIRS, example, record, redirect_op


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
    # Only the referenced-but-undefined types (the parameter's and the binding's) are
    # reported, once each, not per locale.
    assert [d.rule for d in result.diagnostics] == ["unresolved-type", "unresolved-type"]


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


PATH_PIECES = ["a", "b.md", ".", "..", "", "/", "\\", "//", ".md"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PATH_PIECES), max_size=8).map("".join))
def test_file_name_is_what_pure_posix_path_says(path: str) -> None:
    page = record("x", path=path)
    assert _file_name(page) == PurePosixPath(path.replace("\\", "/")).name


def test_pages_documenting_one_request_are_one_operation() -> None:
    """Two pages giving one id (one method and path) and answering one type document one
    operation: no page name enters the id; the first page by rank speaks for it."""
    first = record("user-get", operation=Operation(id="users.user.get", method="GET"))
    second = record(
        "user-retrieve",
        operation=Operation(id="users.user.get", method="GET"),
        examples=[example("request", "request", 9)],
    )
    result = reconcile([second, first])
    [op] = result.spec.operations
    assert op.id == "users.user.get"
    assert [s.path for s in op.sources] == [first.source.path, second.source.path]
    assert op.examples == ["v1.0/users.user.get/request"]
    assert result.fixtures[0].operation == "users.user.get"
    [diagnostic] = result.diagnostics
    assert diagnostic.rule == "duplicate-operation-id"
    assert diagnostic.path == second.source.path
    assert first.source.path in diagnostic.message


def test_pages_answering_derived_types_are_named_by_their_type() -> None:
    """intune documents one ``POST`` per derived type: the type the path names keeps the
    id, the others are named as if the path cast to theirs, whatever the page order."""

    def page(name: str, type_name: str) -> PageRecord:
        op = Operation(
            id="deviceAppManagement.mobileApps.create",
            kind="create",
            method="POST",
            paths=[RequestPath(path="/deviceAppManagement/mobileApps")],
            response=ResponseInfo(status=201, type=f"microsoft.graph.{type_name}"),
        )
        return record(name, operation=op)

    records = [page("a-create", "androidLobApp"), page("z-create", "mobileApp")]
    for order in (records, records[::-1]):
        result = reconcile(order)
        assert {op.id: op.response.type for op in result.spec.operations} == {
            "deviceAppManagement.mobileApps.create": "microsoft.graph.mobileApp",
            "deviceAppManagement.mobileApps.androidLobApp.create": "microsoft.graph.androidLobApp",
        }


def test_base_type_keeps_the_id_when_the_path_names_no_type() -> None:
    """Without a type named like the collection, the base of the other types keeps the id."""

    def page(name: str, type_name: str) -> PageRecord:
        op = Operation(
            id="a.items.list",
            kind="list",
            method="GET",
            paths=[RequestPath(path="/a/items")],
            response=ResponseInfo(status=200, type=f"microsoft.graph.{type_name}"),
        )
        return record(name, operation=op)

    base = record(
        "policy",
        kind="resource",
        type=TypeDef(name="microsoft.graph.derivedItem", base_type="microsoft.graph.baseItem"),
    )
    result = reconcile([page("a", "derivedItem"), page("b", "baseItem"), base])
    assert sorted(op.id for op in result.spec.operations) == [
        "a.items.derivedItem.list",
        "a.items.list",
    ]


def test_one_identity_in_differently_named_files_of_one_locale_is_two_pages() -> None:
    """Pages of one locale with different file names stay two pages (two sources, fixtures
    of both), and one id makes them one operation."""

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
    [op] = result.spec.operations
    assert op.id == "list-members"
    assert op.versions == ["beta", "v1.0"]
    assert sorted(p.path for p in op.paths) == ["/directoryrole/m", "/group/m"]
    assert len(op.sources) == 8
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
        "force-domain-deletion": ["beta", "v1.0"],
        "get-chart": ["beta", "v1.0"],
    }
    differs = [d for d in result.diagnostics if d.rule == "operation-id-differs"]
    assert all(d.severity == "info" for d in differs)
    assert {d.path for d in differs} == {
        "zh-CN/api-reference/beta/api/chart-get.md",
        "zh-CN/api-reference/beta/api/domain-forcedelete.md",
    }


def test_versions_joined_under_the_id_bound_to_a_documented_type() -> None:
    """v1.0's createLink page reads its binding off the path (``items``: ``item``); beta's
    title says ``driveItem``, a documented type: the joined operation is beta's."""

    def link(version: str, binding: str) -> PageRecord:
        op = Operation(
            id=f"{binding}.createLink",
            kind="action",
            binding_type=f"microsoft.graph.{binding}",
            name="createLink",
            method="POST",
            paths=[RequestPath(path="/drives/{drive-id}/items/{item-id}/createLink")],
        )
        return record("driveitem-createlink", version, operation=op)

    drive_item = record(
        "driveitem", "beta", kind="resource", type=TypeDef(name="microsoft.graph.driveItem")
    )
    result = reconcile([link("v1.0", "item"), link("beta", "driveItem"), drive_item])
    [op] = result.spec.operations
    assert (op.id, op.versions) == ("driveItem.createLink", ["beta", "v1.0"])
    assert op.binding_type == "microsoft.graph.driveItem"
