"""Types that only examples show are inferred from their bodies; others are reported."""

from __future__ import annotations

from extractor.reconcile import reconcile
from tests.reconcile.builders import call_type, example, record, redirect_op


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
        ("zh-CN/api-reference/v1.0/resources/call.md", None, "microsoft.graph.entity"),  # base
        ("zh-CN/api-reference/v1.0/resources/call.md", None, "microsoft.graph.participant"),
        ("zh-CN/api-reference/v1.0/resources/call.md", 20, "microsoft.graph.participantInfo"),
    ]
    assert all(d.severity == "warning" for d in unresolved)
