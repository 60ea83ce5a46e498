"""Direction-aware severities: each rule on a small spec where a type travels only in
requests, only in responses, both ways or nowhere; and members moved to or from a base."""

from __future__ import annotations

from typing import Any

import pytest

from extractor.diff import diff_specs
from extractor.diff.direction import Reach, combine
from extractor.schema import Change, UnifiedSpec

NS = "microsoft.graph."


def spec(
    types: list[dict[str, Any]],
    enums: list[dict[str, Any]] = (),  # type: ignore[assignment]
    request: str | None = None,
    response: str | None = None,
    **operation: Any,
) -> UnifiedSpec:
    """One operation that sends ``request`` (a body parameter) and returns ``response``."""
    op: dict[str, Any] = {"id": "thing.do", "method": "POST", **operation}
    if request:
        op["parameters"] = [{"name": "body", "type": NS + request}]
    if response:
        op["response"] = {"status": 200, "type": NS + response}
    return UnifiedSpec.model_validate({"operations": [op], "types": types, "enums": list(enums)})


def thing(*props: dict[str, Any], base: str | None = None, name: str = "thing") -> dict[str, Any]:
    return {"name": NS + name, "baseType": NS + base if base else None, "properties": list(props)}


def prop(name: str, type_: str = "Edm.String", **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **extra}


def only(changes: list[Change], rule: str) -> Change:
    found = [c for c in changes if c.rule == rule]
    assert len(found) == 1, [c.rule for c in changes]
    return found[0]


WAYS = {
    "request": {"request": "thing"},
    "response": {"response": "thing"},
    "both": {"request": "thing", "response": "thing"},
    "none": {},
}


def between(
    before: list[dict[str, Any]], after: list[dict[str, Any]], way: str, **kw: Any
) -> list[Change]:
    return diff_specs(spec(before, **WAYS[way], **kw), spec(after, **WAYS[way], **kw)).changes


def test_reach_follows_properties_bases_and_derived_types() -> None:
    reach = Reach(
        spec(
            [
                thing(prop("inner", NS + "inner")),
                {"name": NS + "inner", "properties": []},
                thing(name="special", base="thing"),
                {"name": NS + "lonely", "properties": []},
            ],
            response="thing",
        )
    )
    assert reach.of(NS + "inner") == "response"
    assert reach.of(NS + "special") == "response"  # a thing may be any type derived from it
    assert reach.of(NS + "lonely") == "none"
    assert combine("request", "response") == "both"
    assert combine("none", "request") == "request"


@pytest.mark.parametrize(
    ("way", "severity"),
    [
        ("response", "breaking"),
        ("request", "non-breaking"),
        ("both", "breaking"),
        ("none", "breaking"),
    ],
)
def test_property_removed_breaks_readers_only(way: str, severity: str) -> None:
    changes = between([thing(prop("a"), prop("b"))], [thing(prop("a"))], way)
    assert only(changes, "property-removed").severity == severity


@pytest.mark.parametrize(
    ("way", "severity"), [("response", "breaking"), ("request", "non-breaking")]
)
def test_enum_member_added_breaks_clients_switching_on_responses(way: str, severity: str) -> None:
    enum_before = {"name": NS + "color", "members": [{"name": "red"}]}
    enum_after = {"name": NS + "color", "members": [{"name": "red"}, {"name": "blue"}]}
    types = [thing(prop("color", NS + "color"))]
    old = spec(types, [enum_before], **WAYS[way])
    new = spec(types, [enum_after], **WAYS[way])
    change = only(diff_specs(old, new).changes, "enum-member-added")
    assert change.severity == severity
    assert change.message.endswith(f"[{way}]")


@pytest.mark.parametrize(
    ("way", "severity"), [("response", "non-breaking"), ("request", "breaking")]
)
def test_enum_member_removed_breaks_senders_only(way: str, severity: str) -> None:
    enum_before = {"name": NS + "color", "members": [{"name": "red"}, {"name": "blue"}]}
    enum_after = {"name": NS + "color", "members": [{"name": "red"}]}
    types = [thing(prop("color", NS + "color"))]
    changes = diff_specs(
        spec(types, [enum_before], **WAYS[way]), spec(types, [enum_after], **WAYS[way])
    ).changes
    assert only(changes, "enum-member-removed").severity == severity


@pytest.mark.parametrize(
    ("way", "severity"), [("request", "breaking"), ("response", "non-breaking")]
)
def test_became_required(way: str, severity: str) -> None:
    changes = between([thing(prop("a", required=False))], [thing(prop("a", required=True))], way)
    assert only(changes, "property-became-required").severity == severity


@pytest.mark.parametrize(
    ("way", "severity"), [("request", "non-breaking"), ("response", "breaking")]
)
def test_became_optional(way: str, severity: str) -> None:
    changes = between([thing(prop("a", required=True))], [thing(prop("a", required=False))], way)
    assert only(changes, "property-became-optional").severity == severity


@pytest.mark.parametrize(
    ("way", "severity"), [("request", "breaking"), ("response", "non-breaking")]
)
def test_required_property_added(way: str, severity: str) -> None:
    changes = between([thing(prop("a"))], [thing(prop("a"), prop("b", required=True))], way)
    assert only(changes, "property-added").severity == severity


@pytest.mark.parametrize(
    ("before", "after", "rule", "sent", "read"),
    [
        (False, True, "property-became-nullable", "non-breaking", "breaking"),
        (True, False, "property-became-non-nullable", "breaking", "non-breaking"),
    ],
)
def test_nullability(before: bool, after: bool, rule: str, sent: str, read: str) -> None:
    old, new = [thing(prop("a", nullable=before))], [thing(prop("a", nullable=after))]
    assert only(between(old, new, "request"), rule).severity == sent
    assert only(between(old, new, "response"), rule).severity == read
    unknown = [thing(prop("a"))]  # the page did not say: no change
    assert not between(unknown, new, "both")


def test_read_only() -> None:
    old, new = [thing(prop("a", readOnly=False))], [thing(prop("a", readOnly=True))]
    assert only(between(old, new, "request"), "property-became-read-only").severity == "breaking"
    assert only(between(old, new, "response"), "property-became-read-only").severity == "info"
    assert only(between(new, old, "both"), "property-became-writable").severity == "non-breaking"


def test_property_moved_to_a_base_type_is_not_breaking() -> None:
    base = {"name": NS + "baseItem", "properties": [prop("eTag")]}
    before = [
        thing(prop("eTag"), prop("a"), base="baseItem"),
        {"name": NS + "baseItem", "properties": []},
    ]
    after = [thing(prop("a"), base="baseItem"), base]
    changes = between(before, after, "response")
    moved = [c for c in changes if c.location == ["types", NS + "thing", "properties", "eTag"]]
    assert [(c.rule, c.severity) for c in moved] == [("property-moved-to-base", "info")]
    back = between(after, before, "response")
    moved = [c for c in back if c.location == ["types", NS + "thing", "properties", "eTag"]]
    assert [(c.rule, c.severity) for c in moved] == [("property-moved-from-base", "info")]


def test_base_type_inserted_between_is_not_breaking() -> None:
    entity = {"name": NS + "entity", "properties": [prop("id")]}
    middle = {"name": NS + "baseItem", "baseType": NS + "entity", "properties": []}
    before = [thing(base="entity"), entity, middle]
    after = [thing(base="baseItem"), entity, middle]
    assert only(between(before, after, "both"), "type-base-changed").severity == "non-breaking"
    assert only(between(after, before, "both"), "type-base-changed").severity == "breaking"


def test_headers_and_query_parameters_are_compared() -> None:
    def with_(headers: list[dict[str, Any]], query: list[dict[str, Any]]) -> UnifiedSpec:
        return spec([], headers=headers, queryParameters=query)

    old = with_([{"name": "Prefer", "required": False}], [{"name": "$top", "type": "Edm.Int32"}])
    new = with_(
        [{"name": "prefer", "required": True}, {"name": "ConsistencyLevel", "required": True}],
        [{"name": "$top", "type": "Edm.String"}, {"name": "$count", "type": "Edm.Boolean"}],
    )
    found = {(c.rule, c.severity) for c in diff_specs(old, new).changes}
    assert ("header-added", "breaking") in found
    assert ("header-became-required", "breaking") in found
    assert ("query-parameter-type-changed", "breaking") in found
    assert ("query-parameter-added", "non-breaking") in found
    assert ("header-removed", "info") in {
        (c.rule, c.severity) for c in diff_specs(new, old).changes
    }


def test_operation_parameters_keep_their_severities() -> None:
    """Parameters are what clients send: became-optional stays non-breaking, no direction note."""
    old = spec([], parameters=[{"name": "a", "required": True}])
    new = spec([], parameters=[{"name": "a", "required": False}])
    change = only(diff_specs(old, new).changes, "parameter-became-optional")
    assert (change.severity, change.message) == ("non-breaking", "parameter 'a' became optional")


def test_permission_columns_are_compared_generically() -> None:
    old = spec([], permissions={"delegatedWork": ["A.Read"], "application": []})
    new = spec([], permissions={"delegatedWork": ["A.Read", "B.Read"], "application": ["C.Read"]})
    found = sorted(c.location[-2:] for c in diff_specs(old, new).changes)
    assert found == [["application", "C.Read"], ["delegatedWork", "B.Read"]]
