"""A type defined by several pages is one type per version, from its own page and the union
of every page's members; each version keeps its own facts; references are spelled as the
type they name."""

from __future__ import annotations

from typing import Any

from extractor.reconcile import reconcile, reconciliation, skeleton
from extractor.schema import Example, PageRecord, Parameter, SpecTypeDef, TypeDef
from tests.reconcile.builders import record

USER = "microsoft.graph.user"


def p(name: str, type_: str | None = "Edm.String", line: int | None = None, **kw: Any) -> Parameter:
    return Parameter(name=name, type=type_, line=line, **kw)


def resource(
    name: str, version: str, typedef: TypeDef, declares: str | None = None, **annotation: Any
) -> PageRecord:
    examples = []
    if declares is not None:
        annotation["@odata.type"] = declares
    if annotation:
        examples.append(Example(id="r", role="resource", line=90, annotation=annotation))
    return record(name, version, "resource", type=typedef, examples=examples)


def user_pages(version: str = "v1.0") -> list[PageRecord]:
    """``user.md`` and an Intune stub that sorts before it by path, as on the real corpus."""
    stub = TypeDef(
        name=USER,
        kind="entity",
        base_type="microsoft.graph.entity",
        description="Not yet documented",
        properties=[p("id", line=30), p("deviceEnrollmentLimit", "Edm.Int32", line=31)],
        relationships=[p("managedDevices", "microsoft.graph.managedDevice", 40, collection=True)],
    )
    own = TypeDef(
        name=USER,
        kind="entity",
        base_type="microsoft.graph.directoryObject",
        key="id",
        description="Represents an Azure AD user account.",
        properties=[p("displayName", line=100), p("id", line=101), p("mail", line=102)],
        relationships=[p("manager", "microsoft.graph.directoryObject", 200)],
    )
    return [
        resource("intune-devices-user", version, stub, declares=USER),
        resource("user", version, own, declares=USER),
    ]


def only_type(records: list[PageRecord], name: str = USER) -> SpecTypeDef:
    return next(t for t in reconcile(records).spec.types if t.name == name)


def test_the_own_page_gives_the_facts_and_every_page_its_members() -> None:
    result = reconcile(user_pages())
    user = next(t for t in result.spec.types if t.name == USER)
    assert (user.description, user.base_type, user.key) == (
        "Represents an Azure AD user account.",
        "microsoft.graph.directoryObject",
        "id",
    )
    assert [m.name for m in user.properties] == [
        "displayName",
        "id",
        "mail",
        "deviceEnrollmentLimit",
    ]
    assert [m.name for m in user.relationships] == ["manager", "managedDevices"]
    where = {
        m.name: [(o.path.rpartition("/")[2], o.line) for o in m.origins]
        for m in [*user.properties, *user.relationships]
    }
    assert where["id"] == [("user.md", 101)]  # the own page's, though the stub lists it too
    assert where["deviceEnrollmentLimit"] == [("intune-devices-user.md", 31)]
    assert where["managedDevices"] == [("intune-devices-user.md", 40)]
    [merged] = [d for d in result.diagnostics if d.rule == "duplicate-type"]
    assert merged.severity == "info"
    assert merged.path.endswith("intune-devices-user.md")
    assert "user.md" in merged.message and "(2 added)" in merged.message


def test_without_a_page_named_after_it_the_declaring_page_with_most_members_leads() -> None:
    def page(name: str, members: int, declares: str | None) -> PageRecord:
        typedef = TypeDef(
            name="microsoft.graph.deviceManagement",
            description=f"from {name}",
            properties=[p(f"{name}{i}") for i in range(members)],
        )
        return resource(name, "v1.0", typedef, declares)

    records = [
        page("intune-a-devicemanagement", 9, None),  # the most, but declares nothing
        page("intune-b-devicemanagement", 2, "microsoft.graph.deviceManagement"),
        page("intune-c-devicemanagement", 5, "microsoft.graph.deviceManagement"),
    ]
    merged = only_type(records, "microsoft.graph.deviceManagement")
    assert merged.description == "from intune-c-devicemanagement"
    assert len(merged.properties) == 16  # nothing lost


def test_a_member_two_pages_type_differently_keeps_the_own_pages_type() -> None:
    records = user_pages()
    stub = records[0].type
    assert stub is not None
    stub.properties.append(p("mail", "Edm.Int32", line=33))
    result = reconcile(records)
    user = next(t for t in result.spec.types if t.name == USER)
    assert next(m for m in user.properties if m.name == "mail").type == "Edm.String"
    [conflict] = [d for d in result.diagnostics if d.rule == "member-type-conflict"]
    assert (conflict.severity, conflict.line) == ("warning", 33)
    assert conflict.path.endswith("intune-devices-user.md")
    assert "Edm.Int32" in conflict.message and "keeping Edm.String" in conflict.message


def test_an_update_of_one_of_the_pages_gives_what_a_whole_reconcile_gives() -> None:
    records = [*user_pages("v1.0"), *user_pages("beta")]
    parts = reconciliation(records)
    skeletons = {r.source.path: skeleton(r, parts.inferred_keys()) for r in records}
    stub = records[0]
    assert stub.type is not None
    edited_type = stub.type.model_copy(update={"description": "Edited."})
    edited = stub.model_copy(update={"type": edited_type})
    by_path = {r.source.path: r for r in records}
    updated = parts.update([edited], skeletons, by_path.__getitem__)
    assert updated is not None
    assert updated.result() == reconcile([edited, *records[1:]])


def test_each_version_keeps_its_own_member_facts() -> None:
    def page(version: str, **facts: Any) -> PageRecord:
        props = [
            p("size", facts.get("size", "Edm.Int32")),
            p(
                "state",
                "Edm.String",
                nullable=facts.get("nullable"),
                deprecated=facts.get("old", False),
            ),
            p("owner", facts.get("owner", "microsoft.graph.identitySet")),
        ]
        return resource("widget", version, TypeDef(name="microsoft.graph.widget", properties=props))

    widget = only_type(
        [page("v1.0", nullable=True), page("beta", size="Edm.Int64", old=True, owner=None)],
        "microsoft.graph.widget",
    )
    size, state, owner = widget.properties
    assert (size.type, size.in_version("v1.0").type, size.in_version("beta").type) == (
        "Edm.Int32",
        "Edm.Int32",
        "Edm.Int64",
    )
    assert [o.versions for o in size.overrides] == [["beta"]]
    beta_state = state.in_version("beta")
    assert (state.deprecated, beta_state.deprecated) == (False, True)
    assert beta_state.nullable is True  # beta leaves it unstated: v1.0's statement stands
    assert owner.overrides == []  # beta's empty type cell says nothing else
    assert owner.in_version("beta").type == "microsoft.graph.identitySet"


def test_each_version_keeps_its_own_base_type_and_flags() -> None:
    def page(version: str, base: str | None, **annotation: Any) -> PageRecord:
        typedef = TypeDef(
            name="microsoft.graph.userSettings",
            base_type=base,
            open_type=annotation.get("openType") is True,
        )
        return resource("usersettings", version, typedef, **annotation)

    settings = only_type(
        [
            page("v1.0", "microsoft.graph.entity", openType=False),
            page("beta", "microsoft.graph.x", openType=True),
        ],
        "microsoft.graph.userSettings",
    )
    assert (settings.base_type, settings.open_type) == ("microsoft.graph.entity", False)
    beta = settings.in_version("beta")
    assert (beta.base_type, beta.open_type) == ("microsoft.graph.x", True)
    assert settings.in_version("v1.0") is settings
    unstated = only_type(
        [page("v1.0", "microsoft.graph.entity", openType=True), page("beta", None)],
        "microsoft.graph.userSettings",
    )
    # a page naming no base type, an annotation without openType: the other version's stand
    assert (unstated.base_type, unstated.open_type, unstated.overrides) == (
        "microsoft.graph.entity",
        True,
        [],
    )


def test_references_are_spelled_as_the_type_or_enum_they_name() -> None:
    holder = TypeDef(
        name="microsoft.graph.driveItem",
        base_type="microsoft.graph.BaseItem",
        properties=[
            p("parentReference", "microsoft.graph.ItemReference"),
            p("state", "microsoft.graph.CallState"),
            p(
                "either",
                "microsoft.graph.itemreference",
                alternatives=["microsoft.graph.ITEMREFERENCE"],
            ),
            p("lost", "microsoft.graph.nowhereToBeFound"),
        ],
    )
    records = [
        resource("driveitem", "v1.0", holder),
        resource("itemreference", "v1.0", TypeDef(name="microsoft.graph.itemReference")),
        resource("baseitem", "v1.0", TypeDef(name="microsoft.graph.baseItem")),
        record(
            "enums",
            "v1.0",
            "enum",
            enums=[{"name": "microsoft.graph.callState", "members": [{"name": "idle"}]}],
        ),
    ]
    result = reconcile(records)
    item = next(t for t in result.spec.types if t.name == "microsoft.graph.driveItem")
    assert item.base_type == "microsoft.graph.baseItem"
    assert [(m.type, m.alternatives) for m in item.properties] == [
        ("microsoft.graph.itemReference", []),
        ("microsoft.graph.callState", []),
        ("microsoft.graph.itemReference", ["microsoft.graph.itemReference"]),
        ("microsoft.graph.nowhereToBeFound", []),
    ]
    unresolved = [d.message for d in result.diagnostics if d.rule == "unresolved-type"]
    assert len(unresolved) == 1 and "nowhereToBeFound" in unresolved[0]


def test_one_type_spelled_differently_by_its_versions_is_one_camel_case_type() -> None:
    records = [
        resource(
            "orgcontact", "v1.0", TypeDef(name="microsoft.graph.orgcontact", properties=[p("a")])
        ),
        resource(
            "orgcontact", "beta", TypeDef(name="microsoft.graph.orgContact", properties=[p("b")])
        ),
        resource("contract", "beta", TypeDef(name="microsoft.graph.Contract")),
        resource("contract", "v1.0", TypeDef(name="microsoft.graph.contract")),
    ]
    types = {t.name: t for t in reconcile(records).spec.types}
    assert sorted(types) == ["microsoft.graph.contract", "microsoft.graph.orgContact"]
    assert types["microsoft.graph.orgContact"].versions == ["beta", "v1.0"]
    assert [m.name for m in types["microsoft.graph.orgContact"].properties] == ["a", "b"]


def test_a_response_type_nothing_defines_yields_to_the_annotation() -> None:
    from tests.reconcile.builders import redirect_op

    operation = redirect_op("v1.0", id="me.insights.used.list", parameters=[], binding_type=None)
    operation.response.type = "microsoft.graph.used"  # "a list of [used](insights-used.md) items"
    response = Example(
        id="r",
        role="response",
        line=50,
        annotation={"@odata.type": "microsoft.graph.usedInsight", "isCollection": True},
    )
    records = [
        record("insights-list-used", "v1.0", operation=operation, examples=[response]),
        resource("insights-used", "v1.0", TypeDef(name="microsoft.graph.usedInsight")),
    ]
    result = reconcile(records)
    [op] = result.spec.operations
    assert (op.response.type, op.response.collection) == ("microsoft.graph.usedInsight", True)
    assert not [d for d in result.diagnostics if d.rule == "unresolved-type"]
    assert [t.name for t in result.spec.types] == ["microsoft.graph.usedInsight"]


def test_a_bare_primitive_in_an_odata_type_is_the_primitive_not_a_type() -> None:
    from tests.reconcile.builders import redirect_op

    body = {"value": [{"@odata.type": "String", "x": 1}, {"@odata.type": "user", "y": 2}]}
    response = Example(
        id="r", role="response", line=50, annotation={"@odata.type": "String"}, json=body
    )
    operation = redirect_op("v1.0", id="user.checkMemberObjects", parameters=[], binding_type=None)
    result = reconcile(
        [record("user-checkmemberobjects", "v1.0", operation=operation, examples=[response])]
    )
    assert result.spec.types == []
    assert [f.type for f in result.fixtures] == ["Edm.String"]
    assert not [d for d in result.diagnostics if d.rule == "unresolved-type"]
