"""Fixtures: validation against the generated models, fixture files, index, vcrpy cassettes."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from extractor.engine.resultcache import ValidationMemo, model_shape
from extractor.render.fixtures import (
    cassette_uri,
    check_fixtures,
    fixture_path,
    render_fixtures,
    validate_fixtures,
    validation_summary,
)
from extractor.render.fixtures import validate as validation
from extractor.render.fixtures.cassettes import _yaml_scalar
from extractor.render.models import render_models
from extractor.schema import (
    Diagnostic,
    Fixture,
    Repair,
    SpecEnumDef,
    SpecEnumMember,
    SpecOperation,
    SpecParameter,
    SpecSource,
    SpecTypeDef,
    UnifiedSpec,
)

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
BOTH = ["beta", "v1.0"]
PAGE = "api-reference/v1.0/api/call-redirect.md"


def prop(name: str, type_: str = "Edm.String", *, versions=BOTH, **kw: Any) -> SpecParameter:
    return SpecParameter(name=name, type=type_, versions=list(versions), **kw)


SPEC = UnifiedSpec(
    types=[
        SpecTypeDef(
            name="microsoft.graph.call",
            kind="entity",
            versions=BOTH,
            properties=[
                prop("id"),
                prop("state", "microsoft.graph.callState"),
                prop("ringingTimeoutInSeconds", "Edm.Int32"),
                prop("targets", "microsoft.graph.invitationParticipantInfo", collection=True),
            ],
        ),
        SpecTypeDef(
            name="microsoft.graph.participantInfo",
            versions=BOTH,
            properties=[prop("region")],
        ),
        SpecTypeDef(
            name="microsoft.graph.invitationParticipantInfo",
            base_type="microsoft.graph.participantInfo",
            versions=BOTH,
            properties=[prop("replacesCallId")],
        ),
    ],
    enums=[
        SpecEnumDef(
            name="microsoft.graph.callState",
            versions=BOTH,
            members=[
                SpecEnumMember(name="incoming", versions=BOTH),
                SpecEnumMember(name="established", versions=BOTH),
            ],
        )
    ],
    operations=[
        SpecOperation(
            id="call.redirect",
            kind="action",
            binding_type="microsoft.graph.call",
            method="POST",
            versions=BOTH,
            parameters=[
                prop("targets", "microsoft.graph.invitationParticipantInfo", collection=True),
                prop("timeout", "Edm.Int32"),
                prop("maskCallee", "Edm.Boolean", versions=["beta"]),
            ],
        )
    ],
)


@pytest.fixture(scope="module")
def models() -> dict[str, str]:
    return render_models(SPEC)


def fixture(fixture_id: str, body: Any = None, **kw: Any) -> Fixture:
    values: dict[str, Any] = {
        "id": fixture_id,
        "file": f"fixtures/{fixture_id}.json",
        "page": "call-redirect",
        "version": "v1.0",
        "locale": "zh-CN",
        "role": "response",
        "type": "microsoft.graph.call",
        "body_kind": "json" if body is not None else "empty",
        "body": body,
        "source_path": PAGE,
        "line": 40,
    }
    values.update(kw)
    return Fixture(**values)


def invalid(fixture_id: str, message: str, line: int = 40) -> Diagnostic:
    return Diagnostic(
        rule="fixture-invalid", severity="warning", path=PAGE, line=line, message=message
    )


# --- validation -------------------------------------------------------------------------------


def test_valid_and_invalid_bodies_with_exact_reasons(models: dict[str, str]) -> None:
    fixtures = [
        fixture("v1.0/call/ok", {"id": "1", "state": "incoming", "extra": {"kept": True}}),
        fixture("v1.0/call/undocumented-state", {"state": "transferring"}),
        fixture("v1.0/call/bad", {"ringingTimeoutInSeconds": "soon", "targets": [5]}, line=41),
        fixture(
            "v1.0/call/list",
            {"value": [{"id": "1"}, {"state": 5}, {"targets": {"region": "eu"}}]},
            collection=True,
            line=42,
        ),
        fixture(
            "v1.0/participant/derived",
            {"@odata.type": "#microsoft.graph.invitationParticipantInfo", "replacesCallId": 5},
            type="microsoft.graph.participantInfo",
            line=43,
        ),
        fixture("v1.0/call/case", {"id": 7}, type="microsoft.graph.Call", line=44),
    ]
    result, diagnostics = validate_fixtures(fixtures, models)
    assert [f.valid for f in result] == [True, True, False, False, False, False]
    assert [f.id for f in result] == [f.id for f in fixtures]
    assert diagnostics == [
        invalid(
            "v1.0/call/bad",
            "v1.0/call/bad does not load into the model of microsoft.graph.call (v1.0): "
            "ringingTimeoutInSeconds: Input should be a valid integer, unable to parse string "
            'as an integer (got "soon"); targets.0: Input should be a valid dictionary or '
            "instance of InvitationParticipantInfo (got 5)",
            41,
        ),
        invalid(
            "v1.0/call/list",
            "v1.0/call/list does not load into the model of microsoft.graph.call (v1.0): "
            "value.1.state: Input should be 'incoming' or 'established' (got 5); "
            "value.2.targets: Input should be a valid list",
            42,
        ),
        invalid(
            "v1.0/participant/derived",
            "v1.0/participant/derived does not load into the model of "
            "microsoft.graph.participantInfo (v1.0): replacesCallId: Input should be a valid "
            "string (got 5)",
            43,
        ),
        invalid(
            "v1.0/call/case",
            "v1.0/call/case does not load into the model of microsoft.graph.Call (v1.0): "
            "id: Input should be a valid string (got 7)",
            44,
        ),
    ]


def test_request_bodies_use_the_operation_request_model(models: dict[str, str]) -> None:
    body = {"targets": [{"region": "eu"}], "timeout": 30, "maskCallee": "yes please"}
    fixtures = [
        fixture("v1.0/redirect/request", body, role="request", operation="call.redirect"),
        fixture(
            "beta/redirect/request",
            body,
            role="request",
            operation="call.redirect",
            version="beta",
            line=50,
        ),
    ]
    result, diagnostics = validate_fixtures(fixtures, models)
    # maskCallee is beta-only: v1.0 keeps it as an extra field, beta checks its type.
    assert [f.valid for f in result] == [True, False]
    assert diagnostics == [
        invalid(
            "beta/redirect/request",
            "beta/redirect/request does not load into the model of request body of "
            "call.redirect: maskCallee: Input should be a valid boolean, unable to interpret "
            'input (got "yes please")',
            50,
        )
    ]


def test_fixtures_without_a_model_stay_unvalidated(models: dict[str, str]) -> None:
    fixtures = [
        fixture("v1.0/a/csv", body_kind="csv", body="a,b\n1,2", raw_body="a,b\n1,2"),
        fixture("v1.0/a/empty"),
        fixture("v1.0/a/resource", {"ringingTimeoutInSeconds": "Int32"}, role="resource"),
        fixture("v1.0/a/unknown", {"x": 1}, type="microsoft.graph.unknown"),
        fixture("v1.0/a/primitive", {"value": "x"}, type="Edm.String"),
        fixture("v1.0/a/scalar", 5),
        fixture("v9/a/other-version", {"id": 5}, version="v9"),
    ]
    result, diagnostics = validate_fixtures(fixtures, models)
    assert [f.valid for f in result] == [None] * len(fixtures)
    assert diagnostics == []


def test_primitive_types_never_pick_a_model() -> None:
    # reconcile once inferred a type named "String": a primitive must not validate against it.
    bogus = SpecTypeDef(name="String", versions=BOTH, inferred=True)
    models = render_models(SPEC.model_copy(update={"types": [*SPEC.types, bogus]}))
    fixtures = [
        fixture("v1.0/a/strings", {"value": ["a", "b"]}, type="string", collection=True),
        fixture("v1.0/a/edm", {"value": ["a"]}, type="Edm.String", collection=True),
    ]
    result, diagnostics = validate_fixtures(fixtures, models)
    assert [f.valid for f in result] == [None, None] and diagnostics == []


def test_unversioned_fixtures_use_v1_then_beta(models: dict[str, str]) -> None:
    fixtures = [fixture("unversioned/call", {"id": 5}, version=None)]
    result, diagnostics = validate_fixtures(fixtures, models)
    assert result[0].valid is False
    assert diagnostics[0].message.endswith("(v1.0): id: Input should be a valid string (got 5)")


def test_validation_leaves_no_trace(models: dict[str, str]) -> None:
    path_before, modules_before = list(sys.path), set(sys.modules)
    validate_fixtures([fixture("v1.0/call/ok", {"id": "1"})], models)
    assert sys.path == path_before
    assert not [m for m in set(sys.modules) - modules_before if "extractor_models" in m]


def test_no_models_means_no_verdict() -> None:
    result, diagnostics = validate_fixtures([fixture("v1.0/call/ok", {"id": 1})], {})
    assert result[0].valid is None and diagnostics == []


def test_models_that_do_not_import_are_reported(models: dict[str, str]) -> None:
    broken = dict(models)
    broken["models/v1_0/__init__.py"] = "raise RuntimeError('boom')\n"
    result, diagnostics = validate_fixtures([fixture("v1.0/call/ok", {"id": "1"})], broken)
    assert result[0].valid is None
    assert diagnostics == [
        Diagnostic(
            rule="models-import-failed",
            severity="error",
            path="models/v1_0/__init__.py",
            message="the generated models do not import: RuntimeError: boom",
        )
    ]


def test_request_models_that_do_not_import_are_reported(models: dict[str, str]) -> None:
    broken = dict(models)
    broken["models/v1_0/operations.py"] = "raise ImportError('no requests today')\n"
    body = {"timeout": 30}
    fixtures = [
        fixture("v1.0/redirect/request", body, role="request", operation="call.redirect"),
        fixture("v1.0/call/ok", {"id": "1"}),
    ]
    result, diagnostics = validate_fixtures(fixtures, broken)
    # Without its request model the body is checked as the type the fixture names.
    assert [f.valid for f in result] == [True, True]
    assert diagnostics == [
        Diagnostic(
            rule="models-import-failed",
            severity="error",
            path="models/v1_0/operations.py",
            message="the generated models do not import: ImportError: no requests today",
        )
    ]


def test_validation_summary() -> None:
    fixtures = [
        fixture("a", valid=True),
        fixture("b", valid=True),
        fixture("c", valid=False),
        fixture("d", valid=None),
    ]
    assert validation_summary(fixtures) == (
        "fixtures: 2/3 with a model validate (66.7%); 1 without a model"
    )
    assert validation_summary([]) == "fixtures: 0/0 with a model validate; 0 without a model"


# --- rendering --------------------------------------------------------------------------------


def redirect_pair() -> list[Fixture]:
    request = fixture(
        "v1.0/call-redirect/request",
        {"targets": [{"region": "eu"}], "timeout": 30},
        role="request",
        operation="call.redirect",
        method="POST",
        url="https://graph.microsoft.com/v1.0/communications/calls/{id}/redirect",
        headers=[("Content-Type", "application/json")],
        pair="v1.0/call-redirect/response",
        valid=True,
        line=30,
    )
    response = fixture(
        "v1.0/call-redirect/response",
        role="response",
        type=None,
        status=202,
        pair="v1.0/call-redirect/request",
        line=45,
    )
    get_request = fixture(
        "v1.0/call-get/request",
        role="request",
        operation="call.get",
        method="GET",
        url="/communications/calls/2f1a1100-b174-40a0-aba7-0b405e01ed92",
        pair="v1.0/call-get/response",
    )
    get_response = fixture(
        "v1.0/call-get/response",
        {"id": "2f1a1100-b174-40a0-aba7-0b405e01ed92", "state": "established"},
        status=200,
        headers=[("Content-type", "application/json")],
        repairs=[Repair(kind="trailing-comma", line=60, message="removed a trailing comma")],
        repaired=True,
        truncated=True,
        annotation={"blockType": "response", "truncated": True},
        pair="v1.0/call-get/request",
        valid=True,
        line=58,
    )
    return [request, response, get_request, get_response]


def test_render_fixture_files_and_index() -> None:
    files = render_fixtures(redirect_pair())
    assert sorted(files) == [
        "fixtures/cassettes/v1.0/call-get/request.yaml",
        "fixtures/cassettes/v1.0/call-redirect/request.yaml",
        "fixtures/index.json",
        "fixtures/v1.0/call-get/request.json",
        "fixtures/v1.0/call-get/response.json",
        "fixtures/v1.0/call-redirect/request.json",
        "fixtures/v1.0/call-redirect/response.json",
    ]
    document = json.loads(files["fixtures/v1.0/call-get/response.json"])
    assert document == {
        "annotation": {"blockType": "response", "truncated": True},
        "body": {"id": "2f1a1100-b174-40a0-aba7-0b405e01ed92", "state": "established"},
        "bodyKind": "json",
        "collection": False,
        "findings": [],
        "headers": [["Content-type", "application/json"]],
        "id": "v1.0/call-get/response",
        "line": 58,
        "locale": "zh-CN",
        "method": None,
        "name": "response",
        "operation": None,
        "page": "call-redirect",
        "pair": "v1.0/call-get/request",
        "repaired": True,
        "repairs": [{"kind": "trailing-comma", "line": 60, "message": "removed a trailing comma"}],
        "role": "response",
        "sourcePath": PAGE,
        "status": 200,
        "truncated": True,
        "type": "microsoft.graph.call",
        "uri": None,
        "url": None,
        "valid": True,
        "version": "v1.0",
    }
    assert files["fixtures/v1.0/call-get/response.json"].endswith("}\n")
    index = json.loads(files["fixtures/index.json"])
    assert [entry["id"] for entry in index] == sorted(f.id for f in redirect_pair())
    assert index[2] == {
        "bodyKind": "json",
        "cassette": "cassettes/v1.0/call-redirect/request.yaml",
        "collection": False,
        "file": "v1.0/call-redirect/request.json",
        "findings": [],
        "id": "v1.0/call-redirect/request",
        "line": 30,
        "locale": "zh-CN",
        "method": "POST",
        "name": "request",
        "operation": "call.redirect",
        "page": "call-redirect",
        "pair": "v1.0/call-redirect/response",
        "redirect": None,
        "repaired": False,
        "role": "request",
        "sourcePath": PAGE,
        "status": None,
        "truncated": False,
        "type": "microsoft.graph.call",
        "uri": "https://graph.microsoft.com/v1.0/communications/calls/%7Bid%7D/redirect",
        "valid": True,
        "version": "v1.0",
    }
    assert render_fixtures(list(reversed(redirect_pair()))) == files


def test_cassette_is_vcrpy_format() -> None:
    files = render_fixtures(redirect_pair())
    cassette = yaml.safe_load(files["fixtures/cassettes/v1.0/call-redirect/request.yaml"])
    assert cassette == {
        "version": 1,
        "interactions": [
            {
                "request": {
                    "method": "POST",
                    "uri": "https://graph.microsoft.com/v1.0/communications/calls/%7Bid%7D/redirect",
                    "body": '{"targets": [{"region": "eu"}], "timeout": 30}',
                    "headers": {"Content-Type": ["application/json"]},
                },
                "response": {
                    "status": {"code": 202, "message": "Accepted"},
                    "headers": {},
                    "body": {"string": ""},
                },
            }
        ],
    }


def test_cassette_text() -> None:
    files = render_fixtures(redirect_pair())
    assert files["fixtures/cassettes/v1.0/call-get/request.yaml"] == (
        "interactions:\n"
        "- request:\n"
        "    body: null\n"
        "    headers: {}\n"
        '    method: "GET"\n'
        '    uri: "https://graph.microsoft.com/v1.0/communications/calls/'
        '2f1a1100-b174-40a0-aba7-0b405e01ed92"\n'
        "  response:\n"
        "    body:\n"
        '      string: "{\\"id\\": \\"2f1a1100-b174-40a0-aba7-0b405e01ed92\\", '
        '\\"state\\": \\"established\\"}"\n'
        "    headers:\n"
        '      "Content-type":\n'
        '      - "application/json"\n'
        "    status:\n"
        "      code: 200\n"
        '      message: "OK"\n'
        "version: 1\n"
    )


@given(st.text())
def test_yaml_scalars_read_back_as_written(text: str) -> None:
    assert yaml.safe_load("x: " + _yaml_scalar(text)) == {"x": text}


def test_cassette_replays_with_vcrpy_and_requests(tmp_path: Path) -> None:
    requests = pytest.importorskip("requests")
    vcr = pytest.importorskip("vcr")
    for relative, text in render_fixtures(redirect_pair()).items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    cassettes = tmp_path / "fixtures" / "cassettes" / "v1.0"
    with vcr.use_cassette(str(cassettes / "call-redirect" / "request.yaml"), record_mode="none"):
        response = requests.post(
            "https://graph.microsoft.com/v1.0/communications/calls/{id}/redirect",
            json={"targets": [{"region": "eu"}], "timeout": 30},
            timeout=5,
        )
    assert response.status_code == 202 and response.content == b""
    with vcr.use_cassette(str(cassettes / "call-get" / "request.yaml"), record_mode="none"):
        response = requests.get(
            "https://graph.microsoft.com/v1.0/communications/calls/2f1a1100-b174-40a0-aba7-0b405e01ed92",
            timeout=5,
        )
    assert response.status_code == 200
    assert response.json() == {"id": "2f1a1100-b174-40a0-aba7-0b405e01ed92", "state": "established"}
    assert response.headers["Content-type"] == "application/json"


def test_cassette_uri() -> None:
    assert cassette_uri("/me/events", "beta") == "https://graph.microsoft.com/beta/me/events"
    assert cassette_uri("/v1.0/me", "beta") == "https://graph.microsoft.com/v1.0/me"
    assert cassette_uri("me", None) == "https://graph.microsoft.com/v1.0/me"
    assert cassette_uri("https://bot.contoso.com/api/calls", "v1.0") == (
        "https://bot.contoso.com/api/calls"
    )
    assert cassette_uri("/users?$filter=name eq 'a b'", "v1.0") == (
        "https://graph.microsoft.com/v1.0/users?$filter=name%20eq%20'a%20b'"
    )
    assert cassette_uri("/users/{id | userPrincipalName}", "v1.0") == (
        "https://graph.microsoft.com/v1.0/users/%7Bid%20%7C%20userPrincipalName%7D"
    )


def test_fixture_paths_are_safe() -> None:
    assert fixture_path("v1.0/call-redirect/request") == "fixtures/v1.0/call-redirect/request.json"
    assert fixture_path("../../etc/passwd") == "fixtures/etc/passwd.json"
    assert fixture_path("index") == "fixtures/index_.json"
    assert fixture_path("cassettes/x") == "fixtures/cassettes_/x.json"
    assert fixture_path("a b/c:d") == "fixtures/a_b/c_d.json"
    assert fixture_path("") == "fixtures/fixture.json"


def test_bodies_nested_too_deep_to_write_keep_their_text() -> None:
    deep: Any = []
    for _ in range(100_000):
        deep = [deep]
    raw = "[" * 100_000 + "]" * 100_000
    files = render_fixtures([fixture("v1.0/a/deep", deep, raw_body=raw)])
    assert json.loads(files["fixtures/v1.0/a/deep.json"])["body"] == raw


def test_case_insensitive_clashes_get_distinct_files() -> None:
    """Folders that differ only in case are one folder (two would merge on a checkout on
    Windows or macOS); files that would clash get a number; index.json says which is which."""
    files = render_fixtures([fixture("v1.0/A/x"), fixture("v1.0/a/x"), fixture("v1.0/a/y")])
    assert sorted(files) == [
        "fixtures/index.json",
        "fixtures/v1.0/A/x-2.json",
        "fixtures/v1.0/A/x.json",
        "fixtures/v1.0/A/y.json",
    ]
    index = json.loads(files["fixtures/index.json"])
    assert {entry["id"]: entry["file"] for entry in index} == {
        "v1.0/a/y": "v1.0/A/y.json",  # relative to fixtures/
        "v1.0/A/x": "v1.0/A/x.json",
        "v1.0/a/x": "v1.0/A/x-2.json",
    }


def test_names_from_content_are_portable() -> None:
    """Device names, leading dashes and very long names: a name every system can hold,
    long ones kept apart by a hash of the whole name."""
    long_a, long_b = "n" * 300, "n" * 299 + "m"
    ids = ["v1.0/CON/nul.txt", "v1.0/-rf/--help", f"v1.0/{long_a}/x", f"v1.0/{long_b}/x"]
    paths = sorted(render_fixtures([fixture(i) for i in ids]))
    assert paths[:3] == [
        "fixtures/index.json",
        "fixtures/v1.0/_-rf/_--help.json",
        "fixtures/v1.0/_CON/_nul.txt.json",
    ]
    long_folders = {path.split("/")[2] for path in paths[3:]}
    assert len(long_folders) == 2
    assert all(len(folder) == 128 and folder[-13] == "-" for folder in long_folders)
    assert sorted(render_fixtures([fixture(ids[2])])) == ["fixtures/index.json", paths[3]]


# --- the real corpus --------------------------------------------------------------------------


@pytest.mark.slow
def test_real_corpus_fixtures_validate(zh_cn_result) -> None:
    if not CORPUS.is_dir():
        pytest.skip("the real corpus (../shared/corpus) is not here")
    result = zh_cn_result
    fixtures, diagnostics = validate_fixtures(result.fixtures, render_models(result.spec))
    checked = [f for f in fixtures if f.valid is not None]
    rate = sum(1 for f in checked if f.valid) / len(checked)
    print(validation_summary(fixtures))
    assert len(checked) > 7000 and rate > 0.95
    assert {d.rule for d in diagnostics} == {"fixture-invalid"}
    redirect = {f.id: f for f in fixtures if f.page == "call-redirect" and f.role == "request"}
    assert redirect and all(f.valid for f in redirect.values() if f.body_kind == "json")
    files = render_fixtures(fixtures)
    index = json.loads(files["fixtures/index.json"])
    assert len(index) == len(fixtures)
    cassettes = [p for p in files if p.startswith("fixtures/cassettes/")]
    assert len(cassettes) > 1000


# --- validation memo --------------------------------------------------------------------------


def test_prose_does_not_change_the_model_shape() -> None:
    """Descriptions, titles, lines and sources stay out of the shape; types do not."""
    shape = model_shape(SPEC, "code 1")
    call = SPEC.types[0]
    prose = SPEC.model_copy(
        update={
            "types": [
                call.model_copy(
                    update={
                        "description": "A call.",
                        "properties": [
                            p.model_copy(update={"description": "said otherwise", "line": 99})
                            for p in call.properties
                        ],
                        "sources": [SpecSource(path="elsewhere.md", version="v1.0")],
                    }
                ),
                *SPEC.types[1:],
            ],
            "operations": [SPEC.operations[0].model_copy(update={"title": "Redirect a call"})],
        }
    )
    assert model_shape(prose, "code 1") == shape
    retyped = SPEC.model_copy(deep=True)
    retyped.types[0].properties[2].type = "Edm.String"
    assert model_shape(retyped, "code 1") != shape
    assert model_shape(SPEC, "code 2") != shape


def test_remembered_results_need_no_import(
    models: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memo = ValidationMemo(tmp_path, model_shape(SPEC, "code"))
    fixtures = [
        fixture("v1.0/call/ok", {"id": "1"}),
        fixture("v1.0/call/bad", {"ringingTimeoutInSeconds": "soon"}),
    ]
    first, first_diagnostics = validate_fixtures(fixtures, models, memo)
    assert [f.valid for f in first] == [True, False] and len(first_diagnostics) == 1

    def no_import(_models: dict[str, str]) -> None:
        raise AssertionError("the models were imported")

    monkeypatch.setattr(validation, "_imported_models", no_import)
    moved = [f.model_copy(update={"line": 70}) for f in fixtures]  # the page grew above them
    again, diagnostics = validate_fixtures(moved, models, memo)
    assert [f.valid for f in again] == [True, False]
    assert diagnostics == [first_diagnostics[0].model_copy(update={"line": 70})]


def test_only_fixtures_new_to_the_memo_are_checked(models: dict[str, str], tmp_path: Path) -> None:
    memo = ValidationMemo(tmp_path, model_shape(SPEC, "code"))
    known = fixture("v1.0/call/ok", {"id": "1"})
    validate_fixtures([known], models, memo)
    checked: list[str] = []

    def spy(todo: list[Fixture]) -> tuple[list[Any], list[Diagnostic]]:
        checked.extend(f.id for f in todo)
        return check_fixtures(todo, models)

    edited = fixture("v1.0/call/ok", {"id": 1})  # the same fixture, its body edited
    new = fixture("v1.0/call/new", {"state": "incoming"})
    result, _ = validate_fixtures([known, edited, new], models, memo, spy)
    assert checked == ["v1.0/call/ok", "v1.0/call/new"]
    assert [f.valid for f in result] == [True, False, True]


def test_a_damaged_or_foreign_memo_is_ignored(models: dict[str, str], tmp_path: Path) -> None:
    memo = ValidationMemo(tmp_path, model_shape(SPEC, "code"))
    fixtures = [fixture("v1.0/call/bad", {"ringingTimeoutInSeconds": "soon"})]
    expected = validate_fixtures(fixtures, models, memo)
    for damage in ("{not json", '{"shape": "another", "results": {}}', '{"results": [1, 2]}'):
        memo.file.write_text(damage, encoding="utf-8")
        assert validate_fixtures(fixtures, models, memo) == expected
    key = memo.key(fixtures[0])
    memo.file.write_text(
        json.dumps({"shape": memo.shape, "results": {key: ["yes", [[1, 2, 3]]]}}), encoding="utf-8"
    )
    assert validate_fixtures(fixtures, models, memo) == expected


def test_results_of_models_that_do_not_import_are_not_remembered(
    models: dict[str, str], tmp_path: Path
) -> None:
    broken = dict(models)
    broken["models/v1_0/__init__.py"] = "raise RuntimeError('boom')\n"
    memo = ValidationMemo(tmp_path, model_shape(SPEC, "code"))
    validate_fixtures([fixture("v1.0/call/ok", {"id": "1"})], broken, memo)
    assert not memo.file.exists()
