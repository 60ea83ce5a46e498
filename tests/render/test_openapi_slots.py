"""Which operation owns each path and method of an OpenAPI document, and its operationId
(render/openapi/paths: the slot assignment and the id scheme, nothing else)."""

from __future__ import annotations

from openapi_spec_validator import validate

from extractor.render.openapi import build_openapi
from extractor.schema import OperationKind, SpecOperation, SpecRequestPath, UnifiedSpec


def op(
    op_id: str,
    kind: OperationKind,
    method: str,
    *paths: str,
    query: dict[str, str] | None = None,
    title: str = "",
) -> SpecOperation:
    return SpecOperation(
        id=op_id,
        kind=kind,
        method=method,
        title=title,
        versions=["v1.0"],
        paths=[
            SpecRequestPath(path=p, versions=["v1.0"], query=query if i == 0 and query else {})
            for i, p in enumerate(paths)
        ],
    )


def operations(doc: dict) -> dict[tuple[str, str], dict]:
    return {
        (path, method): body
        for path, item in doc["paths"].items()
        for method, body in item.items()
        if method != "parameters"
    }


def test_a_path_that_fixes_a_query_claims_no_slot() -> None:
    """``GET /users?$expand=manager`` (the manager page) never pushes List users out, and
    a path only given with a fixed query gets no slot at all."""
    spec = UnifiedSpec(
        operations=[
            op(
                "me.manager.get",
                "get",
                "GET",
                "/users",
                "/me/manager",
                query={"$expand": "manager"},
            ),
            op("users.list", "list", "GET", "/users", title="List users"),
            op("x.get", "get", "GET", "/onlineMeetings", query={"$filter": "a eq 'b'"}),
        ]
    )
    doc = build_openapi(spec, "v1.0")
    validate(doc)
    found = operations(doc)
    assert found[("/users", "get")]["summary"] == "List users"
    assert "x-also-documented-by" not in found[("/users", "get")]
    assert ("/onlineMeetings", "get") not in found
    assert found[("/me/manager", "get")]["operationId"] == "me.manager.get"


def test_the_operation_a_path_names_owns_it() -> None:
    """``/me`` is Get user's second path and the first of an operation named after it,
    which owns it; where no operation is named after a path, the one with fewest paths
    (the most specific page) does."""
    spec = UnifiedSpec(
        operations=[
            op("users.user.get", "get", "GET", "/users/{user-id}", "/me", title="Get user"),
            op("me.get", "get", "GET", "/me", "/a", "/b", title="Get me"),
            op("x.get", "get", "GET", "/x", "/users/{user-id}", title="Get x"),
        ]
    )
    found = operations(build_openapi(spec, "v1.0"))
    assert found[("/me", "get")]["summary"] == "Get me"
    assert found[("/users/{user-id}", "get")]["summary"] == "Get user"
    assert found[("/users/{user-id}", "get")]["x-also-documented-by"] == ["x.get"]


def test_operation_ids_follow_the_spec_scheme_and_never_the_position() -> None:
    redirect = op(
        "communications.calls.call.redirect",
        "action",
        "POST",
        "/communications/calls/{call-id}/redirect",
        "/app/calls/{call-id}/redirect",
    )
    ids = {
        key: body["operationId"]
        for key, body in operations(
            build_openapi(UnifiedSpec(operations=[redirect]), "v1.0")
        ).items()
    }
    assert ids == {
        ("/communications/calls/{call-id}/redirect", "post"): "communications.calls.call.redirect",
        ("/app/calls/{call-id}/redirect", "post"): "app.calls.call.redirect",
    }
    # adding a path to the page renames nothing
    redirect.paths.insert(0, SpecRequestPath(path="/x/calls/{call-id}/redirect", versions=["v1.0"]))
    again = {
        key: body["operationId"]
        for key, body in operations(
            build_openapi(UnifiedSpec(operations=[redirect]), "v1.0")
        ).items()
    }
    assert {k: v for k, v in again.items() if k in ids} == ids


def test_paths_differing_in_case_are_one_slot_and_ids_are_unique_ignoring_case() -> None:
    spec = UnifiedSpec(
        operations=[
            op(
                "me.contactFolders.contactFolder.get",
                "get",
                "GET",
                "/me/contactFolders/{contactFolder-id}",
            ),
            op(
                "me.contactfolders.contactfolder.get",
                "get",
                "GET",
                "/me/contactfolders/{contactfolder-id}",
            ),
            # two slots whose words are one: each gets a digest of its method and shape
            op("a.b.get", "get", "GET", "/a/{b}:"),
            op("a.b.get-2", "get", "GET", "/a/b"),
        ]
    )
    doc = build_openapi(spec, "v1.0")
    validate(doc)
    ids = [body["operationId"] for body in operations(doc).values()]
    assert len({i.casefold() for i in ids}) == len(ids) == 3
    assert "me.contactFolders.contactFolder.get" in ids
    clashing = sorted(i for i in ids if i.startswith("a.b.get"))
    assert len(clashing) == 2 and all(len(i.rsplit("-", 1)[1]) == 6 for i in clashing)
