"""Merging v1.0 and beta: one operation, type and enum each, with the versions of every part."""

from __future__ import annotations

from extractor.reconcile import reconcile
from extractor.schema import EnumDef, EnumMember, Operation, Parameter, RequestPath, TypeDef
from tests.reconcile.builders import call_type, record, redirect_op, redirect_pair


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


def test_path_deprecation_follows_beta_and_parameter_deprecation_is_per_version() -> None:
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
    assert {p.path[1:]: p.deprecated for p in merged.paths} == expected
    # top level: v1.0's where v1.0 has the parameter; each version's own through in_version
    assert {p.name: p.deprecated for p in merged.parameters} == {
        "a": True,
        "b": False,
        "c": True,
        "d": True,
    }
    assert {p.name: p.in_version("beta").deprecated for p in merged.parameters} == {
        "a": False,
        "b": True,
        "c": True,  # v1.0 only: its own
        "d": True,
    }
    assert [(p.name, o.versions) for p in merged.parameters for o in p.overrides] == [
        ("a", ["beta"]),
        ("b", ["beta"]),
    ]
    assert merged.deprecated is False
    [all_gone] = reconcile(
        [record("x-y", "beta", operation=op("beta", {"a": True}))]
    ).spec.operations
    assert all_gone.deprecated is True


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
        ("state", ["beta", "v1.0"], False),  # v1.0's; beta's in its override
        ("source", ["beta", "v1.0"], False),
        ("transcription", ["beta"], False),
    ]
    assert call.properties[0].in_version("beta").deprecated is True
    assert call.overrides == []  # beta names no base type: v1.0's stands for both
    assert [(o.path.rpartition("/")[2], o.version, o.line) for o in call.properties[1].origins] == [
        ("call.md", "beta", 20),
        ("call.md", "v1.0", 20),
    ]
    assert [(r.name, r.versions) for r in call.relationships] == [
        ("participants", ["beta", "v1.0"])
    ]


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
