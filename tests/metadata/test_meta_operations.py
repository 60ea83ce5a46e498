"""Actions and functions against the metadata: bindings (inherited, to collections, in other
namespaces), names, kinds, overloads, parameters, return types, request examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from meta_helpers import ENTITY, csdl, found_in, member, of, operation, run, schema, spec

from extractor.metadata.docs import RequestExample, examples_beside

G = "microsoft.graph."
METADATA = csdl(
    ENTITY
    + '<EntityType Name="directoryObject" BaseType="graph.entity"/>'
    + '<EntityType Name="user" BaseType="graph.directoryObject"/>'
    + '<EntityType Name="call" BaseType="graph.entity"/>'
    + '<EnumType Name="rejectReason"><Member Name="none" Value="0"/></EnumType>'
    + '<Action Name="checkMemberGroups" IsBound="true">'
    + '<Parameter Name="bindingParameter" Type="graph.directoryObject"/>'
    + '<Parameter Name="groupIds" Type="Collection(Edm.String)" Nullable="false"/>'
    + '<ReturnType Type="Collection(Edm.String)"/></Action>'
    + '<Function Name="delta" IsBound="true">'
    + '<Parameter Name="bindingParameter" Type="Collection(graph.user)"/>'
    + '<ReturnType Type="Collection(graph.user)"/></Function>'
    + '<Action Name="reject" IsBound="true"><Parameter Name="bindingParameter" Type="graph.call"/>'
    + '<Parameter Name="reason" Type="graph.rejectReason" Nullable="false"/>'
    + '<Parameter Name="callbackUri" Type="Edm.String"/></Action>'
    + '<Action Name="transfer" IsBound="true"><Parameter Name="b" Type="graph.call"/>'
    + '<Parameter Name="transferTarget" Type="graph.entity" Nullable="false"/></Action>'
    + '<Function Name="reminderView" IsBound="true"><Parameter Name="b" Type="graph.user"/>'
    + '<Parameter Name="startDateTime" Type="Edm.String"/><Parameter Name="endDateTime" '
    + 'Type="Edm.String"/><ReturnType Type="Collection(graph.entity)"/></Function>'
    + '<Function Name="reminderView" IsBound="true"><Parameter Name="b" Type="graph.user"/>'
    + '<Parameter Name="startDateTime" Type="Edm.String"/>'
    + '<ReturnType Type="Collection(graph.entity)"/></Function>'
    + '<Action Name="keepAlive" IsBound="true"><Parameter Name="b" Type="graph.call"/></Action>'
    + '<Function Name="getByIds" IsBound="true"><Parameter Name="b" Type="graph.call"/>'
    + '<Parameter Name="ids" Type="Collection(Edm.String)"/>'
    + '<ReturnType Type="graph.call"/></Function>'
    + '<EntityContainer Name="GraphService"><EntitySet Name="users" EntityType="graph.user"/>'
    + '<EntitySet Name="calls" EntityType="graph.call"/></EntityContainer>',
    schema(
        '<EntityType Name="case" BaseType="graph.entity"/>'
        '<Action Name="close" IsBound="true"><Parameter Name="bindingParameter" '
        'Type="microsoft.graph.ediscovery.case"/></Action>',
        namespace="microsoft.graph.ediscovery",
        alias=None,
    ),
)


def agreeing(**replaced: dict[str, object]) -> dict[str, object]:
    """Docs documenting every metadata operation as it is, except those ``replaced``."""
    ops = {
        "user.checkMemberGroups": operation(
            "user.checkMemberGroups",
            binding=G + "user",
            name="checkMemberGroups",
            parameters=(member("groupIds", "Edm.String", True),),
            response=("Edm.String", True),
        ),
        "user.delta": operation(
            "user.delta",
            binding=G + "user",
            name="delta",
            kind="function",
            response=(G + "user", True),
        ),
        "call.reject": operation(
            "call.reject",
            binding=G + "call",
            name="reject",
            parameters=(member("reason", G + "rejectReason"), member("callbackUri", "Edm.String")),
        ),
        "call.transfer": operation(
            "call.transfer",
            binding=G + "call",
            name="transfer",
            parameters=(member("transferTarget", G + "entity"),),
        ),
        "user.reminderView": operation(
            "user.reminderView",
            binding=G + "user",
            name="reminderView",
            kind="function",
            parameters=(member("startDateTime", "Edm.String"), member("endDateTime", "Edm.String")),
            response=(G + "entity", True),
        ),
        "call.keepAlive": operation("call.keepAlive", binding=G + "call", name="keepAlive"),
        "call.getByIds": operation(
            "call.getByIds",
            binding=G + "call",
            name="getByIds",
            kind="function",
            parameters=(member("ids", "Edm.String", True),),
            response=(G + "call", False),
        ),
        "ediscovery.case.close": operation(
            "ediscovery.case.close", binding=G + "ediscovery.case", name="close"
        ),
    }
    ops.update(replaced)
    return spec(operations=tuple(op for op in ops.values() if op))


def test_agreeing_docs_give_no_finding() -> None:
    alignment = run(agreeing(), METADATA)
    assert found_in(alignment, "operations", "parameters") == set()
    rates = alignment.rates()
    assert rates["operationNameF1"] == rates["parameterNameF1"] == 1.0
    assert rates["returnTypeAgreement"] == rates["parameterTypeAccuracy"] == 1.0
    operations = alignment.tallies["operations"]
    assert (operations.docs, operations.metadata, operations.agreeing) == (8, 8, 8)


def test_a_binding_to_a_base_type_or_a_collection_and_a_namespaced_one() -> None:
    """checkMemberGroups is bound to directoryObject (user inherits it), delta to a
    collection of users, close to microsoft.graph.ediscovery.case: all found above."""
    alignment = run(agreeing(), METADATA)
    assert alignment.tallies["operations"].docs_found == 8


def test_overloads_are_scored_against_the_union_of_their_parameters() -> None:
    """reminderView(startDateTime) and reminderView(startDateTime, endDateTime): the docs
    list one parameter; endDateTime, which one overload lacks, is optional in the union."""
    one = operation(
        "user.reminderView",
        binding=G + "user",
        name="reminderView",
        kind="function",
        parameters=(member("startDateTime", "Edm.String"),),
        response=(G + "entity", True),
    )
    alignment = run(agreeing(**{"user.reminderView": one}), METADATA)
    assert found_in(alignment, "operations", "parameters") == {
        (
            "optional-parameter-not-in-docs",
            "operations",
            "user.reminderView",
            "parameters",
            "endDateTime",
        ),
    }
    assert {f.severity for f in alignment.findings if f.area == "parameters"} == {"info"}


@pytest.mark.parametrize(
    ("replacement", "rules"),
    [
        (
            operation("call.keepAlive", binding=G + "call", name="KeepAlive"),
            {"operation-name-case"},
        ),
        (
            operation("call.keepAlive", binding=G + "call", name="keepAlive", kind="function"),
            {"operation-kind-differs"},
        ),
        (
            operation(
                "call.keepAlive", binding=G + "call", name="keepAlive", response=(G + "call", False)
            ),
            {"return-type-differs"},
        ),
    ],
)
def test_names_kinds_and_returns(replacement: dict[str, object], rules: set[str]) -> None:
    alignment = run(agreeing(**{"call.keepAlive": replacement}), METADATA)
    assert (
        of(alignment, ("operations", "call.keepAlive"))
        | of(alignment, ("operations", "call.keepAlive", "returnType"))
        == rules
    )
    assert {rule for rule, *_ in found_in(alignment, "operations", "parameters")} == rules


def test_bindings_that_differ_and_operations_that_are_not_there() -> None:
    docs = agreeing(
        **{
            "call.keepAlive": operation("user.keepAlive", binding=G + "user", name="keepAlive"),
            "call.getByIds": operation("call.hangUp", binding=G + "call", name="hangUp"),
        }
    )
    alignment = run(docs, METADATA)
    assert found_in(alignment, "operations", "parameters") == {
        ("operation-binding-differs", "operations", "user.keepAlive"),
        ("operation-not-in-metadata", "operations", "call.hangUp"),
        ("metadata-operation-not-in-docs", "operations", "call.keepAlive"),
        ("metadata-operation-not-in-docs", "operations", "call.getByIds"),
    }
    binding = next(f for f in alignment.findings if f.rule == "operation-binding-differs")
    assert binding.metadata == "keepAlive bound to microsoft.graph.call"


@pytest.mark.parametrize(
    ("parameters", "rules"),
    [
        (
            (member("reason", "Edm.String"), member("callbackUri", "Edm.String")),
            {("string-for-enum", "reason")},
        ),
        (
            (member("Reason", G + "rejectReason"), member("callbackUri", "Edm.String")),
            {("parameter-name-case", "Reason")},
        ),
        (
            (member("reason", G + "rejectReason"), member("callbackUri", "Edm.Int32")),
            {("operation-parameter-type-differs", "callbackUri")},
        ),
        (
            (member("reason", G + "rejectReason", True), member("callbackUri", "Edm.String")),
            {("parameter-collection-differs", "reason")},
        ),
        (
            (member("reason", G + "rejectReason"),),
            {("metadata-parameter-not-in-docs", "callbackUri")},
        ),
        (
            (
                member("reason", G + "rejectReason"),
                member("callbackUri", "Edm.String"),
                member("clientContext", "Edm.String"),
            ),
            {("docs-parameter-not-in-metadata", "clientContext")},
        ),
    ],
)
def test_parameters(parameters: tuple[dict[str, object], ...], rules: set[tuple[str, str]]) -> None:
    reject = operation("call.reject", binding=G + "call", name="reject", parameters=parameters)
    alignment = run(agreeing(**{"call.reject": reject}), METADATA)
    assert found_in(alignment, "operations", "parameters") == {
        (rule, "operations", "call.reject", "parameters", name) for rule, name in rules
    }


def test_return_collections() -> None:
    delta = operation(
        "user.delta",
        binding=G + "user",
        name="delta",
        kind="function",
        response=(G + "user", False),
    )
    alignment = run(agreeing(**{"user.delta": delta}), METADATA)
    assert found_in(alignment, "operations", "parameters") == {
        ("return-collection-differs", "operations", "user.delta", "returnType")
    }
    (finding,) = [f for f in alignment.findings if f.area in ("operations", "parameters")]
    assert (finding.docs, finding.metadata) == (
        "microsoft.graph.user",
        "Collection(microsoft.graph.user)",
    )


def test_a_request_example_sending_what_neither_side_has() -> None:
    """As on call-transfer's v1.0 page: example 3 sends clientContext, which the parameter
    table does not list and the metadata's transfer lacks."""
    sent = RequestExample(
        "call.transfer",
        "v1.0",
        "pages/v1.0/call-transfer.md",
        445,
        ("transferTarget", "clientContext", "@odata.type"),
    )
    other_version = RequestExample("call.transfer", "beta", "x.md", 3, ("extra",))
    alignment = run(agreeing(), METADATA, examples=(sent, other_version))
    assert found_in(alignment, "operations", "parameters") == {
        (
            "example-parameter-not-in-metadata",
            "operations",
            "call.transfer",
            "parameters",
            "clientContext",
        ),
    }
    (finding,) = [f for f in alignment.findings if f.area in ("operations", "parameters")]
    assert (finding.page, finding.line) == ("pages/v1.0/call-transfer.md", 445)


def test_a_path_reaching_an_operation_the_spec_did_not_identify() -> None:
    """A page read as kind "other" whose request path ends in the metadata's keepAlive."""
    other = operation("calls.keepAlive.post", kind="other", paths=("/calls/{id}/keepAlive",))
    alignment = run(agreeing(**{"call.keepAlive": other}), METADATA)
    assert found_in(alignment, "operations", "parameters") == {
        ("operation-not-identified", "operations", "call.keepAlive")
    }
    (finding,) = [f for f in alignment.findings if f.area in ("operations", "parameters")]
    assert finding.page == "pages/v1.0/calls-keepalive-post.md"
    assert "calls.keepAlive.post" in finding.docs


def test_a_binding_the_metadata_lacks_is_settled_by_the_pages_request_path() -> None:
    """As ``Range: OffsetRange`` (bound to microsoft.graph.Range by its title) whose paths
    reach workbookRange's offsetRange: one finding on the binding, the rest compared."""
    ranged = operation(
        "Call.keepAlive", binding=G + "Call2", name="keepAlive", paths=("/calls/{id}/keepAlive",)
    )
    alignment = run(agreeing(**{"call.keepAlive": ranged}), METADATA)
    assert found_in(alignment, "operations", "parameters") == {
        ("operation-binding-differs", "operations", "Call.keepAlive")
    }
    (finding,) = [f for f in alignment.findings if f.area == "operations"]
    assert finding.metadata == (
        "keepAlive bound to microsoft.graph.call (which its request paths reach)"
    )
    assert alignment.tallies["operations"].metadata_found == 8


def test_a_page_documents_every_operation_of_its_name_its_paths_reach() -> None:
    """One page for ``driveItem.search`` that also lists ``/drive/search``."""
    metadata = csdl(
        ENTITY
        + '<EntityType Name="drive" BaseType="graph.entity"/>'
        + '<EntityType Name="driveItem" BaseType="graph.entity"/>'
        + '<Function Name="search" IsBound="true"><Parameter Name="b" Type="graph.drive"/>'
        + '<ReturnType Type="Collection(graph.driveItem)"/></Function>'
        + '<Function Name="search" IsBound="true"><Parameter Name="b" Type="graph.driveItem"/>'
        + '<ReturnType Type="Collection(graph.driveItem)"/></Function>'
        + '<EntityContainer Name="GraphService"><Singleton Name="drive" Type="graph.drive"/>'
        + '<EntitySet Name="items" EntityType="graph.driveItem"/></EntityContainer>'
    )

    def docs(*paths: str) -> dict[str, object]:
        search = operation(
            "driveItem.search",
            binding=G + "driveItem",
            name="search",
            kind="function",
            paths=paths,
            response=(G + "driveItem", True),
        )
        return spec(operations=(search,))

    both = run(docs("/items/{id}/search(q='x')", "/drive/search(q='x')"), metadata)
    assert found_in(both, "operations", "parameters") == set()
    one = run(docs("/items/{id}/search(q='x')"), metadata)
    assert found_in(one, "operations", "parameters") == {
        ("metadata-operation-not-in-docs", "operations", "drive.search")
    }


def test_request_examples_beside_a_spec_json_are_read_from_fixtures(tmp_path: Path) -> None:
    """A build's index.json names files relative to fixtures/ (an older build's: relative
    to the build's root); check-metadata on a spec.json reads the examples either way."""
    fixtures = tmp_path / "fixtures"
    (fixtures / "v1.0" / "p").mkdir(parents=True)
    for name, key in (("new", "routingPolicies"), ("old", "clientContext")):
        document = {"version": "v1.0", "sourcePath": "v1.0/api/p.md", "line": 7, "body": {key: 1}}
        (fixtures / "v1.0" / "p" / f"{name}.json").write_text(json.dumps(document), "utf-8")
    entry = {"role": "request", "bodyKind": "json", "version": "v1.0", "operation": "call.x"}
    index = [
        {**entry, "file": "v1.0/p/new.json"},
        {**entry, "file": "fixtures/v1.0/p/old.json"},
    ]
    (fixtures / "index.json").write_text(json.dumps(index), "utf-8")
    found = examples_beside(tmp_path / "spec.json", {"call.x"}, "v1.0")
    assert [(e.keys, e.page, e.line) for e in found] == [
        (("routingPolicies",), "v1.0/api/p.md", 7),
        (("clientContext",), "v1.0/api/p.md", 7),
    ]
