"""Reading CSDL: schemas and aliases, inheritance, members, enums, operations, container."""

from __future__ import annotations

from pathlib import Path

import pytest
from meta_helpers import ENTITY, csdl, edmx, schema

from extractor.metadata.csdl import (
    CsdlError,
    Parameter,
    TypeRef,
    parse_csdl,
    read_csdl,
    version_from_name,
)

TWO_NAMESPACES = csdl(
    ENTITY
    + '<EntityType Name="user" BaseType="graph.entity" OpenType="true">'
    + '<Property Name="aboutMe" Type="Edm.String"/>'
    + '<Property Name="schools" Type="Collection(Edm.String)" Nullable="false"/>'
    + '<NavigationProperty Name="manager" Type="graph.directoryObject"/>'
    + '<NavigationProperty Name="cases" Type="Collection(ediscovery.case)" ContainsTarget="true"/>'
    + "</EntityType>"
    + '<EnumType Name="scope" IsFlags="true"><Member Name="none" Value="0"/>'
    + '<Member Name="internal" Value="1"/><Member Name="external" Value="2"/></EnumType>',
    schema(
        '<EntityType Name="case" BaseType="graph.entity"><Property Name="status" '
        'Type="ediscovery.caseStatus"/></EntityType>'
        '<EnumType Name="caseStatus" UnderlyingType="Edm.Byte"><Member Name="active" '
        'Value="0"/></EnumType>'
        '<Action Name="close" IsBound="true"><Parameter Name="bindingParameter" '
        'Type="ediscovery.case"/></Action>',
        namespace="microsoft.graph.ediscovery",
        alias="ediscovery",
    ),
)


def test_aliases_are_resolved_across_schemas() -> None:
    user = TWO_NAMESPACES.types["microsoft.graph.user"]
    case = TWO_NAMESPACES.types["microsoft.graph.ediscovery.case"]
    assert user.base_type == "microsoft.graph.entity"
    assert case.base_type == "microsoft.graph.entity"  # "graph" is the other schema's alias
    members = {m.name: m for m in user.members}
    assert members["cases"].type == TypeRef("microsoft.graph.ediscovery.case", True)
    assert TWO_NAMESPACES.namespaces == ("microsoft.graph", "microsoft.graph.ediscovery")
    assert TWO_NAMESPACES.aliases == {
        "graph": "microsoft.graph",
        "ediscovery": "microsoft.graph.ediscovery",
    }


def test_members_keep_collection_nullable_navigation() -> None:
    members = {m.name: m for m in TWO_NAMESPACES.types["microsoft.graph.user"].members}
    assert members["aboutMe"].type == TypeRef("Edm.String") and members["aboutMe"].nullable
    assert members["schools"].type.collection and not members["schools"].nullable
    assert members["manager"].navigation and not members["manager"].contains_target
    assert members["cases"].navigation and members["cases"].contains_target
    user = TWO_NAMESPACES.types["microsoft.graph.user"]
    assert user.open_type and not user.abstract and user.kind == "entity"
    assert TWO_NAMESPACES.types["microsoft.graph.entity"].abstract


def test_inherited_members_and_ancestors() -> None:
    found = TWO_NAMESPACES.members_of("microsoft.graph.user")
    assert found["id"][1] == "microsoft.graph.entity"
    assert found["aboutMe"][1] == "microsoft.graph.user"
    assert TWO_NAMESPACES.ancestors("microsoft.graph.user") == [
        "microsoft.graph.user",
        "microsoft.graph.entity",
    ]
    assert TWO_NAMESPACES.descendants("microsoft.graph.entity") == [
        "microsoft.graph.ediscovery.case",
        "microsoft.graph.user",
    ]


def test_a_base_type_cycle_ends_the_walk() -> None:
    looped = csdl(
        '<ComplexType Name="a" BaseType="graph.b"/><ComplexType Name="b" BaseType="graph.a"/>'
    )
    assert looped.ancestors("microsoft.graph.a") == ["microsoft.graph.a", "microsoft.graph.b"]


def test_enums_flags_values_and_underlying_type() -> None:
    scope = TWO_NAMESPACES.enums["microsoft.graph.scope"]
    assert scope.flags and [(m.name, m.value) for m in scope.members] == [
        ("none", 0),
        ("internal", 1),
        ("external", 2),
    ]
    status = TWO_NAMESPACES.enums["microsoft.graph.ediscovery.caseStatus"]
    assert not status.flags and status.underlying_type == "Edm.Byte"


def test_find_matches_exactly_then_ignoring_case() -> None:
    assert TWO_NAMESPACES.find("microsoft.graph.user") == "microsoft.graph.user"
    assert TWO_NAMESPACES.find("microsoft.graph.User") == "microsoft.graph.user"
    assert TWO_NAMESPACES.find("microsoft.graph.scope") == "microsoft.graph.scope"
    assert TWO_NAMESPACES.find("microsoft.graph.nothing") is None


OPERATIONS = csdl(
    ENTITY
    + '<EntityType Name="call" BaseType="graph.entity"/>'
    + '<Action Name="reject" IsBound="true"><Parameter Name="bindingParameter" Type="graph.call"/>'
    + '<Parameter Name="reason" Type="graph.rejectReason" Nullable="false"/>'
    + '<Parameter Name="callbackUri" Type="Edm.String"/></Action>'
    + '<Function Name="delta" IsBound="true" IsComposable="true">'
    + '<Parameter Name="bindingParameter" Type="Collection(graph.call)"/>'
    + '<ReturnType Type="Collection(graph.call)"/></Function>'
    + '<Function Name="find" IsBound="true"><Parameter Name="b" Type="graph.call"/>'
    + '<Parameter Name="text" Type="Edm.String"><Annotation '
    + 'Term="Org.OData.Core.V1.OptionalParameter"/></Parameter>'
    + '<ReturnType Type="graph.call"/></Function>'
    + '<Function Name="find" IsBound="true"><Parameter Name="b" Type="graph.call"/>'
    + '<Parameter Name="top" Type="Edm.Int32"/><ReturnType Type="graph.call"/></Function>'
    + '<Function Name="find" IsBound="true"><Parameter Name="b" Type="graph.call"/>'
    + '<Parameter Name="near" Type="Edm.String"/><ReturnType Type="graph.call"/></Function>'
    + '<Annotations Target="graph.find(graph.call)/near"><Annotation '
    + 'Term="Org.OData.Core.V1.OptionalParameter"/></Annotations>'
    + '<Action Name="ping"><Parameter Name="to" Type="Edm.String"/></Action>'
    + '<EntityContainer Name="GraphService">'
    + '<EntitySet Name="calls" EntityType="microsoft.graph.call"/>'
    + '<Singleton Name="me" Type="graph.call"/><ActionImport Name="ping" Action="graph.ping"/>'
    + "</EntityContainer>",
)


def test_bound_operations_keep_their_binding_apart() -> None:
    reject = next(o for o in OPERATIONS.operations if o.short_name == "reject")
    assert reject.name == "microsoft.graph.reject" and reject.kind == "action"
    assert reject.binding == TypeRef("microsoft.graph.call")
    assert [p.name for p in reject.parameters] == ["reason", "callbackUri"]
    assert not reject.parameters[0].nullable and reject.return_type is None
    delta = next(o for o in OPERATIONS.operations if o.short_name == "delta")
    assert delta.binding == TypeRef("microsoft.graph.call", True)
    assert delta.return_type == TypeRef("microsoft.graph.call", True)
    assert delta.kind == "function" and delta.composable


def test_overloads_and_optional_parameters_inline_and_out_of_line() -> None:
    finds = [o for o in OPERATIONS.operations if o.short_name == "find"]
    assert [[p.name for p in o.parameters] for o in finds] == [["text"], ["top"], ["near"]]
    assert finds[0].parameters[0] == Parameter("text", TypeRef("Edm.String"), True, True)
    assert not finds[1].parameters[0].optional
    # from Annotations Target="graph.find(graph.call)/near"
    assert finds[2].parameters[0].optional


CORE_ALIAS = (
    '<edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/'
    'Org.OData.Core.V1.xml"><edmx:Include Namespace="Org.OData.Core.V1" Alias="Core"/>'
    "</edmx:Reference>"
)


def test_the_core_alias_of_an_edmx_reference() -> None:
    text = edmx(
        schema(
            '<Function Name="f"><Parameter Name="x" Type="Edm.String"><Annotation '
            'Term="Core.OptionalParameter"/></Parameter><ReturnType Type="Edm.Int32"/></Function>'
        ),
        references=CORE_ALIAS,
    )
    (unbound,) = parse_csdl(text).operations
    assert unbound.binding is None and unbound.parameters[0].optional


def test_unbound_operations_and_the_container() -> None:
    ping = next(o for o in OPERATIONS.operations if o.short_name == "ping")
    assert ping.binding is None and [p.name for p in ping.parameters] == ["to"]
    assert [(m.name, m.kind, m.target) for m in OPERATIONS.container] == [
        ("calls", "entity-set", "microsoft.graph.call"),
        ("me", "singleton", "microsoft.graph.call"),
        ("ping", "action-import", "microsoft.graph.ping"),
    ]


@pytest.mark.parametrize(
    ("name", "version"),
    [
        ("v1.0-2021-08-24.xml", "v1.0"),
        ("beta-2021-07-13.xml", "beta"),
        ("cleanMetadataWithDescriptionsv1.0.xml", "v1.0"),
        ("clean_v10_metadata/metadata.xml", "v1.0"),
        ("beta_metadata.xml", "beta"),
        ("metadata.xml", None),
        ("v1.0-vs-beta.xml", None),  # both: the name does not say
        ("alphabetical.xml", None),  # "beta" inside a word is no version
        ("v10.5.xml", None),
    ],
)
def test_version_from_the_file_name(name: str, version: str | None) -> None:
    assert version_from_name(name) == version


def test_unreadable_input_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(CsdlError, match=r"^cannot read .*missing\.xml: No such file"):
        read_csdl(tmp_path / "missing.xml")
    bad = tmp_path / "v1.0.xml"
    bad.write_text("<edmx:Edmx", encoding="utf-8")
    with pytest.raises(CsdlError, match=r"is not well-formed XML: .*line 1"):
        read_csdl(bad)
    bad.write_text("<html/>", encoding="utf-8")
    with pytest.raises(CsdlError, match=r"is not CSDL: its root element is html$"):
        read_csdl(bad)


def test_a_bare_schema_is_read_too(tmp_path: Path) -> None:
    path = tmp_path / "beta.xml"
    path.write_text(schema('<ComplexType Name="x"/>'), encoding="utf-8")
    read = read_csdl(path)
    assert read.version == "beta" and list(read.types) == ["microsoft.graph.x"]
