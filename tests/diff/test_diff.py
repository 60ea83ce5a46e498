"""Tests of extractor.diff: version diffs, revision diffs, reports and their determinism."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from extractor.diff import (
    AvailabilityMatrix,
    availability_matrix,
    diff_json_schema,
    diff_specs,
    diff_versions,
    has_failures,
    project_version,
    render_diff_html,
    render_diff_json,
    render_diff_markdown,
    render_version_diff,
)
from extractor.schema import Change, DiffReport, UnifiedSpec

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
BOTH = ["beta", "v1.0"]


def param(name: str, type_: str | None, versions: list[str], **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, "versions": versions, **extra}


def seed_spec() -> UnifiedSpec:
    """The seeds as reconcile should see them: call.redirect in both, call.transfer beta-only."""
    return UnifiedSpec.model_validate(
        {
            "operations": [
                {
                    "id": "call.create",
                    "kind": "create",
                    "method": "POST",
                    "versions": ["v1.0"],
                    "paths": [{"path": "/communications/calls", "versions": ["v1.0"]}],
                    "response": {"status": 201, "type": "microsoft.graph.call"},
                },
                {
                    "id": "call.redirect",
                    "kind": "action",
                    "bindingType": "microsoft.graph.call",
                    "name": "redirect",
                    "method": "POST",
                    "versions": BOTH,
                    "paths": [
                        {
                            "path": "/app/calls/{id}/redirect",
                            "versions": ["beta"],
                            "deprecated": True,
                        },
                        {"path": "/communications/calls/{id}/redirect", "versions": BOTH},
                    ],
                    "parameters": [
                        param("callbackUri", "Edm.String", BOTH),
                        param("maskCallee", "Edm.Boolean", ["beta"]),
                        param("maskCaller", "Edm.Boolean", ["beta"]),
                        param(
                            "targetDisposition",
                            "microsoft.graph.callDisposition",
                            ["beta"],
                            deprecated=True,
                        ),
                        param(
                            "targets",
                            "microsoft.graph.invitationParticipantInfo",
                            BOTH,
                            collection=True,
                        ),
                        param("timeout", "Edm.Int32", BOTH),
                    ],
                    "response": {"status": 202, "versions": BOTH},
                    "permissions": {"application": ["Calls.Initiate.All"]},
                },
                {
                    "id": "call.transfer",
                    "kind": "action",
                    "bindingType": "microsoft.graph.call",
                    "name": "transfer",
                    "method": "POST",
                    "versions": ["beta"],
                    "paths": [
                        {
                            "path": "/app/calls/{id}/transfer",
                            "versions": ["beta"],
                            "deprecated": True,
                        },
                        {"path": "/communications/calls/{id}/transfer", "versions": ["beta"]},
                    ],
                    "parameters": [
                        param(
                            "transferTarget", "microsoft.graph.invitationParticipantInfo", ["beta"]
                        )
                    ],
                    "response": {"status": 202},
                },
            ],
            "types": [
                {
                    "name": "microsoft.graph.call",
                    "kind": "entity",
                    "baseType": "microsoft.graph.entity",
                    "versions": BOTH,
                    "properties": [
                        param("state", "microsoft.graph.callState", BOTH),
                        param("transcription", "microsoft.graph.callTranscriptionInfo", ["beta"]),
                    ],
                }
            ],
            "enums": [
                {
                    "name": "microsoft.graph.callDisposition",
                    "versions": ["beta"],
                    "members": [{"name": "default", "value": 0, "versions": ["beta"]}],
                },
                {
                    "name": "microsoft.graph.callState",
                    "versions": BOTH,
                    "members": [
                        {"name": "established", "versions": BOTH},
                        {"name": "incoming", "versions": BOTH},
                    ],
                },
            ],
        }
    )


def triples(report: DiffReport) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(c.rule, c.severity, tuple(c.location)) for c in report.changes]


# --- version diff: the acceptance on the seeds -----------------------------------------

REDIRECT = ("operations", "call.redirect")

SEED_DIFF = [
    ("enum-added", "non-breaking", ("enums", "microsoft.graph.callDisposition")),
    ("operation-removed", "breaking", ("operations", "call.create")),
    ("parameter-added", "non-breaking", (*REDIRECT, "parameters", "maskCallee")),
    ("parameter-added", "non-breaking", (*REDIRECT, "parameters", "maskCaller")),
    ("parameter-added", "non-breaking", (*REDIRECT, "parameters", "targetDisposition")),
    ("parameter-deprecated", "deprecation", (*REDIRECT, "parameters", "targetDisposition")),
    ("path-added", "non-breaking", (*REDIRECT, "paths", "/app/calls/{id}/redirect")),
    ("path-deprecated", "deprecation", (*REDIRECT, "paths", "/app/calls/{id}/redirect")),
    ("operation-added", "non-breaking", ("operations", "call.transfer")),
    (
        "property-added",
        "non-breaking",
        ("types", "microsoft.graph.call", "properties", "transcription"),
    ),
]


def test_seed_version_diff_is_exactly_what_beta_adds() -> None:
    report = diff_versions(seed_spec())
    assert triples(report) == SEED_DIFF


def test_seed_version_diff_messages() -> None:
    by_loc = {(c.rule, c.location[-1]): c.message for c in diff_versions(seed_spec()).changes}
    assert by_loc[("parameter-added", "maskCallee")] == "parameter 'maskCallee' (Edm.Boolean) added"
    assert by_loc[("parameter-added", "targetDisposition")] == (
        "parameter 'targetDisposition' (microsoft.graph.callDisposition) added (deprecated)"
    )
    assert by_loc[("path-added", "/app/calls/{id}/redirect")] == (
        "path '/app/calls/{id}/redirect' added (deprecated)"
    )
    assert by_loc[("operation-added", "call.transfer")] == "operation 'call.transfer' (POST) added"


def test_seed_version_diff_says_nothing_about_shared_parameters() -> None:
    report = diff_versions(seed_spec())
    mentioned = {name for c in report.changes for name in c.location}
    assert not mentioned & {"targets", "timeout", "callbackUri", "state"}
    assert "/communications/calls/{id}/redirect" not in mentioned


def test_reverse_version_diff_is_breaking() -> None:
    report = diff_versions(seed_spec(), "beta", "v1.0")
    assert ("parameter-removed", "breaking", (*REDIRECT, "parameters", "maskCallee")) in triples(
        report
    )
    # a deprecated parameter or path that goes away is only info
    assert ("parameter-removed", "info", (*REDIRECT, "parameters", "targetDisposition")) in (
        triples(report)
    )
    assert ("path-removed", "info", (*REDIRECT, "paths", "/app/calls/{id}/redirect")) in (
        triples(report)
    )
    assert ("operation-removed", "breaking", ("operations", "call.transfer")) in triples(report)


def test_same_version_diff_is_empty() -> None:
    assert diff_versions(seed_spec(), "beta", "beta").changes == []
    assert diff_specs(seed_spec(), seed_spec()).changes == []


# --- projection and matrix -------------------------------------------------------------


def test_project_version_keeps_only_that_version() -> None:
    v1 = project_version(seed_spec(), "v1.0")
    assert [op.id for op in v1.operations] == ["call.create", "call.redirect"]
    redirect = v1.operations[1]
    assert [p.path for p in redirect.paths] == ["/communications/calls/{id}/redirect"]
    assert [p.name for p in redirect.parameters] == ["callbackUri", "targets", "timeout"]
    assert redirect.parameters[0].versions == BOTH  # nested items are shared, not copied
    assert redirect.versions == ["v1.0"]
    assert [p.name for p in v1.types[0].properties] == ["state"]
    assert [e.name for e in v1.enums] == ["microsoft.graph.callState"]


def test_project_version_keeps_unversioned_items_and_picks_the_version_response() -> None:
    spec = UnifiedSpec.model_validate(
        {
            "operations": [
                {
                    "id": "x.get",
                    "versions": [],
                    "response": {"status": 200, "versions": BOTH},
                    "responses": [
                        {"status": 200, "type": "microsoft.graph.a", "versions": ["v1.0"]},
                        {"status": 200, "type": "microsoft.graph.b", "versions": ["beta"]},
                    ],
                }
            ]
        }
    )
    beta = project_version(spec, "beta")
    assert beta.operations[0].response.type == "microsoft.graph.b"
    assert project_version(spec, "v1.0").operations[0].response.type == "microsoft.graph.a"
    report = diff_versions(spec)
    assert triples(report) == [
        ("response-type-changed", "breaking", ("operations", "x.get", "response", "type"))
    ]
    assert report.changes[0].message == (
        "response type changed from microsoft.graph.a to microsoft.graph.b"
    )


def spec_with_permission_sets(beta_application: list[str]) -> UnifiedSpec:
    """``x.run`` in both versions, where beta asks for ``beta_application``."""
    return UnifiedSpec.model_validate(
        {
            "operations": [
                {
                    "id": "x.run",
                    "versions": BOTH,
                    "permissions": {"application": ["X.Read.All"]},
                    "permissionSets": [
                        {"application": beta_application, "versions": ["beta"]},
                        {"application": ["X.Read.All"], "versions": ["v1.0"]},
                    ],
                }
            ]
        }
    )


def test_version_diff_compares_each_versions_permissions() -> None:
    spec = spec_with_permission_sets(["X.ReadWrite.All"])
    beta = project_version(spec, "beta").operations[0]
    assert beta.permissions.application == ["X.ReadWrite.All"]
    assert [p.versions for p in beta.permission_sets] == [["beta"]]
    assert project_version(spec, "v1.0").operations[0].permissions.application == ["X.Read.All"]
    report = diff_versions(spec)
    where = ("operations", "x.run", "permissions", "application")
    assert triples(report) == [
        ("permission-removed", "info", (*where, "X.Read.All")),
        ("permission-added", "info", (*where, "X.ReadWrite.All")),
    ]
    assert [c.message for c in report.changes] == [
        "permission 'X.Read.All' (application) removed",
        "permission 'X.ReadWrite.All' (application) added",
    ]


def test_revision_diff_names_the_version_whose_permissions_changed() -> None:
    old = spec_with_permission_sets(["X.Read.All"])
    new = spec_with_permission_sets(["X.Read.All", "X.Write.All"])
    report = diff_specs(old, new)
    assert triples(report) == [
        (
            "permission-added",
            "info",
            ("operations", "x.run", "permissions", "application", "X.Write.All"),
        )
    ]
    assert report.changes[0].message == "permission 'X.Write.All' (application) added in beta"


def test_availability_matrix() -> None:
    matrix = availability_matrix(seed_spec())
    assert matrix.columns == ["v1.0", "beta"]
    rows = {(r.section, r.name): r.availability for r in matrix.rows}
    assert rows == {
        ("operations", "call.create"): "v1.0-only",
        ("operations", "call.redirect"): "both",
        ("operations", "call.transfer"): "beta-only",
        ("types", "microsoft.graph.call"): "both",
        ("enums", "microsoft.graph.callDisposition"): "beta-only",
        ("enums", "microsoft.graph.callState"): "both",
    }
    assert [r.label for r in matrix.rows][:3] == ["v1.0 only", "both", "beta only"]


# --- revision diffs --------------------------------------------------------------------


def revision_pair() -> tuple[UnifiedSpec, UnifiedSpec]:
    """Two revisions of the docs with one change of each interesting kind."""
    old = {
        "operations": [
            {
                "id": "call.answer",
                "method": "POST",
                "versions": BOTH,
                "paths": [
                    {"path": "/app/calls/{id}/answer", "versions": BOTH, "deprecated": True},
                    {"path": "/communications/calls/{id}/answer", "versions": BOTH},
                    {"path": "/communications/calls/{call-id}/answer2", "versions": BOTH},
                    {"path": "/me/calls/{id}/answer", "versions": BOTH},
                ],
                "parameters": [
                    param("ConferenceId", "Edm.String", BOTH),
                    param("mediaConfig", "microsoft.graph.mediaConfig", BOTH),
                    param("acceptedModalities", "microsoft.graph.modality", BOTH, collection=True),
                    param("callbackUri", "Edm.String", BOTH, required=False),
                    param("participantCapacity", "Edm.Int32", BOTH, description="How many."),
                ],
                "response": {"status": 200},
                "permissions": {"application": ["Calls.JoinGroupCall.All"]},
            },
            {"id": "call.keepAlive", "method": "POST", "versions": BOTH},
        ],
        "types": [
            {
                "name": "microsoft.graph.call",
                "baseType": "microsoft.graph.entity",
                "versions": BOTH,
                "properties": [
                    param("myParticipantId", "Edm.String", BOTH),
                    param("tenantId", "Edm.String", BOTH),
                    param("toneInfo", "microsoft.graph.toneInfo", BOTH),
                ],
                "relationships": [param("Participants", "microsoft.graph.participant", BOTH)],
            }
        ],
        "enums": [
            {
                "name": "microsoft.graph.modality",
                "versions": BOTH,
                "members": [
                    {"name": "audio", "value": 1, "versions": BOTH},
                    {"name": "data", "value": 4, "versions": BOTH},
                    {"name": "unknown", "value": 0, "versions": BOTH},
                    {"name": "video", "value": 2, "versions": BOTH},
                ],
            }
        ],
    }
    new = json.loads(json.dumps(old))
    answer = new["operations"][0]
    answer["method"] = "PATCH"
    answer["paths"] = [
        {"path": "/communications/calls/{id}/answer", "versions": BOTH},
        {"path": "/communications/calls/{id}/answer2", "versions": BOTH},
    ]
    answer["parameters"] = [
        param("conferenceId", "Edm.String", BOTH),
        param("mediaConfig", "microsoft.graph.appHostedMediaConfig", BOTH),
        param("acceptedModalities", "microsoft.graph.modality", BOTH),
        param("callbackUri", "Edm.String", BOTH, required=True),
        param("participantCapacity", "Edm.Int32", ["beta"], description="How many participants."),
    ]
    answer["response"] = {"status": 202}
    answer["permissions"] = {"application": ["Calls.JoinGroupCallAsGuest.All"]}
    call = new["types"][0]
    call["baseType"] = None
    call["properties"][0]["type"] = "Edm.Guid"
    call["properties"][1]["deprecated"] = True
    call["relationships"][0]["name"] = "participants"
    new["enums"][0]["members"] = [
        {"name": "Audio", "value": 1, "versions": BOTH},
        {"name": "screenSharing", "value": 5, "versions": BOTH},
        {"name": "unknown", "value": 0, "versions": BOTH},
        {"name": "video", "value": 3, "versions": BOTH},
    ]
    return UnifiedSpec.model_validate(old), UnifiedSpec.model_validate(new)


ANSWER = ("operations", "call.answer")
CALL = ("types", "microsoft.graph.call")
MODALITY = ("enums", "microsoft.graph.modality")

REVISION_DIFF = [
    ("enum-member-renamed-case", "breaking", (*MODALITY, "members", "Audio")),
    ("enum-member-removed", "breaking", (*MODALITY, "members", "data")),
    ("enum-member-added", "non-breaking", (*MODALITY, "members", "screenSharing")),
    ("enum-member-value-changed", "breaking", (*MODALITY, "members", "video")),
    ("method-changed", "breaking", (*ANSWER, "method")),
    ("parameter-collection-changed", "breaking", (*ANSWER, "parameters", "acceptedModalities")),
    ("parameter-became-required", "breaking", (*ANSWER, "parameters", "callbackUri")),
    ("parameter-renamed-case", "breaking", (*ANSWER, "parameters", "conferenceId")),
    ("parameter-type-changed", "breaking", (*ANSWER, "parameters", "mediaConfig")),
    ("version-removed", "breaking", (*ANSWER, "parameters", "participantCapacity")),
    ("path-removed", "info", (*ANSWER, "paths", "/app/calls/{id}/answer")),
    ("path-changed", "info", (*ANSWER, "paths", "/communications/calls/{id}/answer2")),
    ("path-removed", "breaking", (*ANSWER, "paths", "/me/calls/{id}/answer")),
    (
        "permission-removed",
        "info",
        (*ANSWER, "permissions", "application", "Calls.JoinGroupCall.All"),
    ),
    (
        "permission-added",
        "info",
        (*ANSWER, "permissions", "application", "Calls.JoinGroupCallAsGuest.All"),
    ),
    ("response-status-changed", "breaking", (*ANSWER, "response", "status")),
    ("operation-removed", "breaking", ("operations", "call.keepAlive")),
    ("type-base-changed", "breaking", CALL),
    ("property-type-changed", "breaking", (*CALL, "properties", "myParticipantId")),
    ("property-deprecated", "deprecation", (*CALL, "properties", "tenantId")),
    ("relationship-renamed-case", "breaking", (*CALL, "relationships", "participants")),
]


def test_revision_diff() -> None:
    old, new = revision_pair()
    new.operations.pop(1)  # call.keepAlive removed
    report = diff_specs(old, new)
    assert triples(report) == REVISION_DIFF


def test_revision_diff_messages() -> None:
    old, new = revision_pair()
    messages = {tuple(c.location): c.message for c in diff_specs(old, new).changes}
    assert messages[(*ANSWER, "parameters", "conferenceId")] == (
        "parameter 'ConferenceId' renamed to 'conferenceId' (case only)"
    )
    assert messages[(*ANSWER, "parameters", "acceptedModalities")] == (
        "parameter 'acceptedModalities' changed from Collection(microsoft.graph.modality)"
        " to microsoft.graph.modality"
    )
    assert messages[(*ANSWER, "parameters", "participantCapacity")] == (
        "parameter 'participantCapacity' no longer in v1.0"
    )
    assert messages[(*MODALITY, "members", "video")] == (
        "value of member 'video' changed from 2 to 3"
    )
    assert messages[(*ANSWER, "response", "status")] == "response status changed from 200 to 202"
    assert messages[CALL] == (
        "base type of 'microsoft.graph.call' changed from microsoft.graph.entity to none"
    )


def test_case_rename_is_one_change_not_add_and_remove() -> None:
    old, new = revision_pair()
    rules = [c.rule for c in diff_specs(old, new).changes if c.location[-1] in {"conferenceId"}]
    assert rules == ["parameter-renamed-case"]
    assert not [c for c in diff_specs(old, new).changes if c.location[-1] == "ConferenceId"]


def test_descriptions_only_when_asked() -> None:
    old, new = revision_pair()
    plain = diff_specs(old, new)
    assert "description-changed" not in {c.rule for c in plain.changes}
    with_text = diff_specs(old, new, include_descriptions=True)
    extra = [c for c in with_text.changes if c.rule == "description-changed"]
    assert [(c.severity, tuple(c.location), c.message) for c in extra] == [
        (
            "info",
            (*ANSWER, "parameters", "participantCapacity"),
            "description of parameter 'participantCapacity' changed",
        )
    ]


def test_string_documented_as_enum_is_info_and_origin_urls_match_paths() -> None:
    old = UnifiedSpec.model_validate(
        {
            "operations": [
                {
                    "id": "m.delete",
                    "paths": [
                        {"path": "https://graph.microsoft.com/v1.0/me/m/{id}"},
                        {"path": "/users/{id | userPrincipalName}/m/"},
                    ],
                }
            ],
            "types": [
                {
                    "name": "t",
                    "properties": [
                        param("state", "Edm.String", []),
                        param("modes", "Edm.String", [], collection=True),
                        param("size", "Edm.String", []),
                    ],
                }
            ],
        }
    )
    new = UnifiedSpec.model_validate(
        {
            "operations": [
                {
                    "id": "m.delete",
                    "paths": [{"path": "/me/m/{meetingId}"}, {"path": "/users/{id}/m"}],
                }
            ],
            "types": [
                {
                    "name": "t",
                    "properties": [
                        param("state", "microsoft.graph.callState", []),
                        param("modes", "microsoft.graph.modality", []),
                        param("size", "Edm.Int32", []),
                    ],
                }
            ],
            "enums": [{"name": "microsoft.graph.callState"}, {"name": "microsoft.graph.modality"}],
        }
    )
    report = diff_specs(old, new)
    assert [(c.rule, c.severity, c.location[-1], c.message) for c in report.changes] == [
        (
            "enum-added",
            "non-breaking",
            "microsoft.graph.callState",
            "enum 'microsoft.graph.callState' added",
        ),
        (
            "enum-added",
            "non-breaking",
            "microsoft.graph.modality",
            "enum 'microsoft.graph.modality' added",
        ),
        (
            "path-changed",
            "info",
            "/me/m/{meetingId}",
            "path 'https://graph.microsoft.com/v1.0/me/m/{id}' now written '/me/m/{meetingId}'",
        ),
        (
            "path-changed",
            "info",
            "/users/{id}/m",
            "path '/users/{id | userPrincipalName}/m/' now written '/users/{id}/m'",
        ),
        (
            "property-type-changed",
            "breaking",
            "modes",
            "property 'modes' type changed from Collection(Edm.String) to microsoft.graph.modality",
        ),
        (
            "property-type-changed",
            "breaking",
            "size",
            "property 'size' type changed from Edm.String to Edm.Int32",
        ),
        (
            "property-type-changed",
            "info",
            "state",
            "property 'state' type changed from Edm.String to microsoft.graph.callState"
            " (same JSON: enums are strings on the wire)",
        ),
    ]


def test_unknown_sides_make_no_change() -> None:
    old = UnifiedSpec.model_validate(
        {
            "operations": [
                {
                    "id": "a.b",
                    "method": None,
                    "parameters": [param("x", None, BOTH)],
                    "response": {"status": None},
                }
            ],
            "enums": [{"name": "e", "members": [{"name": "m", "value": None}]}],
        }
    )
    new = UnifiedSpec.model_validate(
        {
            "operations": [
                {
                    "id": "a.b",
                    "method": "GET",
                    "parameters": [param("x", "Edm.String", BOTH, collection=True)],
                    "response": {"status": 200},
                }
            ],
            "enums": [{"name": "e", "members": [{"name": "m", "value": 3}]}],
        }
    )
    assert diff_specs(old, new).changes == []


def test_versions_only_compared_where_both_specs_know_them() -> None:
    old = UnifiedSpec.model_validate({"types": [{"name": "t", "versions": ["v1.0"]}]})
    new = UnifiedSpec.model_validate({"types": [{"name": "t", "versions": BOTH}]})
    assert diff_specs(old, new).changes == []
    older = UnifiedSpec.model_validate(
        {"types": [{"name": "t", "versions": ["beta"]}, {"name": "u", "versions": BOTH}]}
    )
    assert triples(diff_specs(older, new)) == [
        ("version-added", "non-breaking", ("types", "t")),
        ("type-removed", "breaking", ("types", "u")),
    ]


def test_added_required_parameter_is_breaking_and_added_deprecated_operation() -> None:
    old = UnifiedSpec.model_validate({"operations": [{"id": "a.b"}]})
    new = UnifiedSpec.model_validate(
        {
            "operations": [
                {"id": "a.b", "parameters": [param("x", "Edm.String", [], required=True)]},
                {"id": "a.c", "deprecated": True},
            ]
        }
    )
    report = diff_specs(old, new)
    assert [(c.rule, c.severity, c.message) for c in report.changes] == [
        ("parameter-added", "breaking", "parameter 'x' (Edm.String) added (required)"),
        ("operation-added", "non-breaking", "operation 'a.c' added (deprecated)"),
        ("operation-deprecated", "deprecation", "operation 'a.c' is deprecated"),
    ]


def test_duplicates_and_garbage_do_not_raise() -> None:
    spec = UnifiedSpec.model_validate(
        {
            "operations": [
                {"id": "a", "parameters": [param("x", "A", []), param("x", "B", [])]},
                {"id": "a"},
                {"id": "A"},
            ],
            "enums": [{"name": "e", "members": [{"name": "M"}, {"name": "m"}, {"name": "m"}]}],
        }
    )
    other = UnifiedSpec.model_validate({"operations": [{"id": "a"}]})
    report = diff_specs(spec, other)
    assert triples(report) == [
        ("enum-removed", "breaking", ("enums", "e")),
        ("operation-removed", "breaking", ("operations", "A")),
        ("parameter-removed", "breaking", ("operations", "a", "parameters", "x")),
    ]


def test_has_failures() -> None:
    report = diff_versions(seed_spec())
    assert has_failures(report, "breaking")  # call.create is v1.0-only
    assert has_failures(report, "any")
    additive = DiffReport(
        changes=[c for c in report.changes if c.severity in ("non-breaking", "deprecation")]
    )
    assert not has_failures(additive, "breaking")
    assert has_failures(additive, "any")
    assert not has_failures(DiffReport(), "breaking")
    assert not has_failures(DiffReport(), "any")
    info_only = DiffReport(
        changes=[Change(rule="permission-added", severity="info", location=["x"], message="m")]
    )
    assert not has_failures(info_only, "breaking")
    assert has_failures(info_only, "any")


# --- determinism and robustness --------------------------------------------------------


def shuffled(spec: UnifiedSpec, seed: int) -> UnifiedSpec:
    rng = random.Random(seed)
    data = spec.model_dump(by_alias=True)
    for key in ("operations", "types", "enums"):
        rng.shuffle(data[key])
    for op in data["operations"]:
        rng.shuffle(op["parameters"])
        rng.shuffle(op["paths"])
    for t in data["types"]:
        rng.shuffle(t["properties"])
    for e in data["enums"]:
        rng.shuffle(e["members"])
    return UnifiedSpec.model_validate(data)


def test_output_does_not_depend_on_input_order() -> None:
    old, new = revision_pair()
    expected = render_diff_json(diff_specs(old, new))
    for seed in range(5):
        got = render_diff_json(diff_specs(shuffled(old, seed), shuffled(new, seed + 100)))
        assert got == expected
    files = render_version_diff(seed_spec())
    for seed in range(3):
        assert render_version_diff(shuffled(seed_spec(), seed)) == files


def test_pathological_input_is_fast() -> None:
    nasty = "{" * 100_000 + "/" + "{a" * 50_000
    many = [param(f"p{i}", "Edm.String", BOTH) for i in range(20_000)]
    old = UnifiedSpec.model_validate(
        {"operations": [{"id": "x", "paths": [{"path": nasty}], "parameters": many}]}
    )
    renamed = [param(f"P{i}", "Edm.Int32", BOTH) for i in range(20_000)]
    new = UnifiedSpec.model_validate(
        {"operations": [{"id": "x", "paths": [{"path": nasty + "}"}], "parameters": renamed}]}
    )
    start = time.process_time()
    report = diff_specs(old, new)
    render_diff_markdown(DiffReport(changes=report.changes[:10]), "[" * 100_000)
    elapsed = time.process_time() - start
    assert rule_counts(report) == {
        "parameter-renamed-case": 20_000,
        "parameter-type-changed": 20_000,
        "path-added": 1,
        "path-removed": 1,
    }
    assert elapsed < 5


def rule_counts(report: DiffReport) -> dict[str, int]:
    counts: dict[str, int] = {}
    for c in report.changes:
        counts[c.rule] = counts.get(c.rule, 0) + 1
    return counts


# --- renderers -------------------------------------------------------------------------


def test_render_json_shape_and_schema() -> None:
    text = render_diff_json(diff_versions(seed_spec()))
    assert text.endswith("}\n")
    data = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(diff_json_schema())
    jsonschema.validate(data, diff_json_schema())
    assert data["changes"][2] == {
        "location": ["operations", "call.redirect", "parameters", "maskCallee"],
        "message": "parameter 'maskCallee' (Edm.Boolean) added",
        "rule": "parameter-added",
        "severity": "non-breaking",
    }
    assert data["summary"] == {
        "total": 10,
        "bySeverity": {"breaking": 1, "deprecation": 2, "non-breaking": 7, "info": 0},
        "byRule": {
            "enum-added": 1,
            "operation-added": 1,
            "operation-removed": 1,
            "parameter-added": 3,
            "parameter-deprecated": 1,
            "path-added": 1,
            "path-deprecated": 1,
            "property-added": 1,
        },
    }
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert {c["rule"] for c in data["changes"] if c["location"][-1] == "targetDisposition"} == {
        "parameter-added",
        "parameter-deprecated",
    }


def test_render_json_sorts_unsorted_reports() -> None:
    changes = [
        Change(rule="b", severity="info", location=["types", "z"], message="1"),
        Change(rule="a", severity="info", location=["types", "z"], message="2"),
        Change(rule="a", severity="info", location=["operations", "z"], message="3"),
    ]
    data = json.loads(render_diff_json(DiffReport(changes=changes)))
    assert [c["message"] for c in data["changes"]] == ["3", "2", "1"]


def test_render_markdown() -> None:
    text = render_diff_markdown(diff_versions(seed_spec()), "v1.0 → beta")
    assert text.startswith("# v1.0 → beta\n\n10 changes.\n\n| Severity | Changes |\n")
    assert "| 🔴 **breaking** | 1 |\n" in text
    assert "| `parameter-added` | 3 |\n" in text
    assert text.endswith("\n") and not text.endswith("\n\n")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# v1.0 → beta",
        "## Operations",
        "### `call.create`",
        "### `call.redirect`",
        "### `call.transfer`",
        "## Types",
        "### `microsoft.graph.call`",
        "## Enums",
        "### `microsoft.graph.callDisposition`",
    ]
    assert (
        "- 🟢 **non-breaking** `parameter-added` · parameters › maskCallee:"
        " parameter 'maskCallee' (Edm.Boolean) added\n"
    ) in text
    assert (
        "- 🟠 **deprecation** `path-deprecated` · paths › /app/calls/{id}/redirect:"
        " path '/app/calls/{id}/redirect' is deprecated\n"
    ) in text
    assert "\n\n\n" not in text


def test_render_markdown_empty_and_escaping() -> None:
    assert render_diff_markdown(DiffReport(), "Nothing") == "# Nothing\n\nNo changes.\n"
    report = DiffReport(
        changes=[
            Change(
                rule="type-added",
                severity="non-breaking",
                location=["types", "a`b|c"],
                message="type 'a`b|c' *added*",
            )
        ]
    )
    text = render_diff_markdown(report, "T")
    assert "### ``a`b|c``\n" in text
    assert r"type 'a\`b\|c' \*added\*" in text


def test_render_html_escapes_and_is_self_contained() -> None:
    spec = seed_spec()
    spec.types[0].properties[1].name = "<script>alert(1)</script>"
    html = render_diff_html(diff_versions(spec), "A & B", availability_matrix(spec))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<title>A &amp; B</title>" in html
    assert html.startswith("<!DOCTYPE html>\n") and html.endswith("</html>\n")
    for marker in ('id="matrix"', 'id="changes"', 'id="filter-severity"', 'id="filter-text"'):
        assert marker in html
    assert "src=" not in html and "<link" not in html and "@import" not in html
    assert (
        'data-severity="non-breaking" data-rule="parameter-added"'
        ' data-location="[&#34;operations&#34;, &#34;call.redirect&#34;,'
        ' &#34;parameters&#34;, &#34;maskCallee&#34;]"'
    ) in html


def test_render_version_diff_files() -> None:
    files = render_version_diff(seed_spec())
    assert sorted(files) == ["diff/v1.0-beta.html", "diff/v1.0-beta.json", "diff/v1.0-beta.md"]
    assert json.loads(files["diff/v1.0-beta.json"])["summary"]["total"] == 10
    assert files["diff/v1.0-beta.md"].startswith("# Microsoft Graph API: beta compared with v1.0\n")
    assert 'data-name="call.transfer" data-availability="beta-only"' in files["diff/v1.0-beta.html"]


def test_empty_spec_renders() -> None:
    files = render_version_diff(UnifiedSpec())
    assert json.loads(files["diff/v1.0-beta.json"]) == {
        "changes": [],
        "summary": {
            "byRule": {},
            "bySeverity": {"breaking": 0, "deprecation": 0, "info": 0, "non-breaking": 0},
            "total": 0,
        },
    }
    assert 'id="no-changes"' in files["diff/v1.0-beta.html"]
    assert isinstance(availability_matrix(UnifiedSpec()), AvailabilityMatrix)


# --- real corpus -----------------------------------------------------------------------


def _pipeline() -> tuple[Any, Any]:
    pages = pytest.importorskip("extractor.read.pages")
    reconcile = pytest.importorskip("extractor.reconcile")
    if not hasattr(pages, "build_record") or not hasattr(reconcile, "reconcile"):
        pytest.skip("pages.build_record / reconcile.reconcile not available yet")
    return pages.build_record, reconcile.reconcile


def _spec_of(folder: Path) -> UnifiedSpec:
    build_record, reconcile = _pipeline()
    records = [
        build_record(str(path.relative_to(folder)), path.read_bytes())
        for path in sorted(folder.rglob("*.md"))
    ]
    return reconcile(records).spec


@pytest.mark.slow
def test_real_communications_version_diff() -> None:
    folder = CORPUS / "samples" / "ru-RU-communications"
    if not folder.is_dir():
        pytest.skip("corpus absent")
    report = diff_versions(_spec_of(folder))
    found = {(c.rule, tuple(c.location)) for c in report.changes}
    assert ("parameter-added", (*REDIRECT, "parameters", "maskCallee")) in found
    assert ("parameter-added", (*REDIRECT, "parameters", "maskCaller")) in found
    assert ("parameter-added", (*REDIRECT, "parameters", "targetDisposition")) in found
    assert ("parameter-deprecated", (*REDIRECT, "parameters", "targetDisposition")) in found
    assert ("path-added", (*REDIRECT, "paths", "/app/calls/{call-id}/redirect")) in found
    assert not [c for c in report.changes if c.location[-1] in {"targets", "timeout"}]
    assert render_diff_json(report) == render_diff_json(diff_versions(_spec_of(folder)))


@pytest.mark.slow
def test_real_docs_revision_diff() -> None:
    old_dir = CORPUS / "samples" / "zh-CN-communications-2021-02"
    new_dir = CORPUS / "samples" / "ru-RU-communications"
    if not old_dir.is_dir() or not new_dir.is_dir():
        pytest.skip("corpus absent")
    report = diff_specs(_spec_of(old_dir), _spec_of(new_dir))
    assert report.changes
    assert report.changes == sorted(report.changes, key=lambda c: (c.location, c.rule))
    jsonschema.validate(json.loads(render_diff_json(report)), diff_json_schema())


@pytest.mark.parametrize("text", ["", "plain", "a`b", "``x``", "`", "a```b`c``", "`lead", "tail`"])
def test_code_spans_fence_past_the_longest_backtick_run(text: str) -> None:
    from extractor.diff.report import _md_code

    runs = "".join(c if c == "`" else " " for c in text).split()
    longest = max(map(len, runs), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    assert _md_code(text) == f"{fence}{pad}{text}{pad}{fence}"


def test_a_scope_moving_between_the_columns_is_its_own_change() -> None:
    """Today's tables: least and higher privileged; the same scope in the other column."""

    def spec(least: list[str], higher: list[str]) -> UnifiedSpec:
        granted = {"delegatedWork": least, "delegatedWorkHigher": higher}
        return UnifiedSpec.model_validate(
            {"operations": [{"id": "x.get", "versions": ["v1.0"], "permissions": granted}]}
        )

    report = diff_specs(spec(["A.Read"], ["A.ReadWrite"]), spec(["A.ReadWrite"], ["A.Read"]))
    where = ("operations", "x.get", "permissions", "delegatedWork")
    assert triples(report) == [
        ("permission-moved", "info", (*where, "A.Read")),
        ("permission-moved", "info", (*where, "A.ReadWrite")),
    ]
    assert [c.message for c in report.changes] == [
        "permission 'A.Read' (delegatedWork) moved to higher privileged",
        "permission 'A.ReadWrite' (delegatedWork) moved to least privileged",
    ]
    assert triples(diff_specs(spec(["A.Read"], []), spec(["A.Read"], ["B.All"]))) == [
        ("permission-added", "info", (*where, "B.All"))
    ]


def test_unknown_permissions_are_not_compared() -> None:
    """A page whose permissions include was not found: null, never "every scope removed"."""
    known = {"id": "x.get", "versions": ["v1.0"], "permissions": {"application": ["A.Read"]}}
    unknown = {**known, "permissions": None}
    old = UnifiedSpec.model_validate({"operations": [known]})
    new = UnifiedSpec.model_validate({"operations": [unknown]})
    assert triples(diff_specs(old, new)) == []


def test_a_one_column_table_against_a_split_one_is_no_move() -> None:
    """beta's 2021 table (least to most, one column) against v1.0's split one: same scopes."""
    old = {"delegatedWork": ["A.Read", "A.ReadWrite"]}
    new = {"delegatedWork": ["A.Read"], "delegatedWorkHigher": ["A.ReadWrite"]}
    specs = [
        UnifiedSpec.model_validate(
            {"operations": [{"id": "x.get", "versions": ["v1.0"], "permissions": granted}]}
        )
        for granted in (old, new)
    ]
    assert triples(diff_specs(*specs)) == []
