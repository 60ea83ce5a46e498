"""``models.check`` validates as the generated packages do, without importing them.

Every test compares ``check_planned`` (the build's validation) with ``check_fixtures``
(which writes the generated packages and imports them): the verdicts and the reasons must
be the same, fixture by fixture.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.engine.records import extract_records
from extractor.read.corpus import discover
from extractor.reconcile import reconcile
from extractor.render.fixtures import check_fixtures, check_planned
from extractor.render.models import render_models_and_plans
from extractor.schema import (
    BuildResult,
    Fixture,
    PageRecord,
    SpecEnumDef,
    SpecEnumMember,
    SpecOperation,
    SpecParameter,
    SpecTypeDef,
    UnifiedSpec,
)

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "samples"
BOTH = ["beta", "v1.0"]


def prop(name: str, type_: str | None = "Edm.String", **kw: Any) -> SpecParameter:
    return SpecParameter(name=name, type=type_, versions=kw.pop("versions", BOTH), **kw)


SPEC = UnifiedSpec(
    types=[
        SpecTypeDef(name="microsoft.graph.entity", versions=BOTH, properties=[prop("id")]),
        SpecTypeDef(
            name="microsoft.graph.call",
            kind="entity",
            base_type="microsoft.graph.entity",
            versions=BOTH,
            properties=[
                prop("id", "Edm.Guid"),  # redefined: keeps the base's place
                prop("state", "microsoft.graph.callState"),
                prop("ringingTimeoutInSeconds", "Edm.Int32"),
                prop("weight", "Edm.Double"),
                prop("isMuted", "Edm.Boolean"),
                prop("mediaConfig", "Edm.Json"),
                prop("tags", "Edm.String", collection=True),
                prop("targets", "microsoft.graph.invitationParticipantInfo", collection=True),
                prop(
                    "source",
                    "microsoft.graph.participantInfo",
                    alternatives=["microsoft.graph.identitySet"],
                ),
                prop("quota", "Edm.Int64", alternatives=["Edm.String"]),
                prop("undocumented", "microsoft.graph.nowhere"),
                prop("model_config", "Edm.String"),  # renamed away from BaseModel's
                prop("transcription", "Edm.String", versions=["beta"]),
                prop("mode", "microsoft.graph.betaOnlyMode"),
            ],
        ),
        SpecTypeDef(
            name="microsoft.graph.participantInfo", versions=BOTH, properties=[prop("region")]
        ),
        SpecTypeDef(
            name="microsoft.graph.invitationParticipantInfo",
            base_type="microsoft.graph.participantInfo",
            versions=BOTH,
            properties=[prop("replacesCallId"), prop("hidden", "Edm.Boolean")],
        ),
        SpecTypeDef(
            name="microsoft.graph.identitySet",
            versions=BOTH,
            properties=[prop("user", "microsoft.graph.identity")],
        ),
        SpecTypeDef(
            name="microsoft.graph.identity",
            versions=BOTH,
            properties=[prop("displayName"), prop("tenantId", "Edm.Guid")],
        ),
        SpecTypeDef(
            name="microsoft.graph.callRecords.session",
            versions=BOTH,
            properties=[prop("caller", "microsoft.graph.participantInfo")],
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
        ),
        SpecEnumDef(  # no member in v1.0
            name="microsoft.graph.betaOnlyMode",
            versions=BOTH,
            members=[SpecEnumMember(name="fast", versions=["beta"])],
        ),
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


def fixture(number: int, body: Any, **kw: Any) -> Fixture:
    values: dict[str, Any] = {
        "id": f"v1.0/call/example-{number}",
        "file": f"fixtures/v1.0/call/example-{number}.json",
        "page": "call",
        "version": "v1.0",
        "role": "response",
        "type": "microsoft.graph.call",
        "body_kind": "json",
        "body": body,
        "source_path": "api-reference/v1.0/api/call-get.md",
        "line": number,
    }
    values.update(kw)
    return Fixture(**values)


@pytest.fixture(scope="module")
def rendered() -> tuple[dict[str, str], dict[str, Any]]:
    return render_models_and_plans(SPEC)


def both(fixtures: list[Fixture], rendered: tuple[dict[str, str], dict[str, Any]]) -> list[Any]:
    """The entries of both checks, which must be equal; returned for more assertions."""
    files, plans = rendered
    planned, planned_failures = check_planned(fixtures, plans)
    imported, imported_failures = check_fixtures(fixtures, files)
    assert planned_failures == imported_failures == []
    for fixture_, left, right in zip(fixtures, planned, imported, strict=True):
        assert left == right, fixture_.body
    return planned


CASES: list[tuple[Any, dict[str, Any]]] = [
    ({"id": "1", "state": "incoming", "unknown": {"kept": True}}, {}),
    ({"state": "transferring", "tags": ["a", "b"], "quota": "12"}, {}),
    ({"ringingTimeoutInSeconds": "soon", "weight": "heavy", "isMuted": "perhaps"}, {}),
    ({"tags": "one", "targets": [5, {"region": 3}], "model_config": 1}, {}),
    ({"targets": [{"@odata.type": "#microsoft.graph.invitationParticipantInfo", "hidden": 2}]}, {}),
    ({"source": {"@odata.type": "microsoft.graph.identitySet", "user": {"tenantId": 5}}}, {}),
    ({"source": {"@odata.type": "#Microsoft.Graph.IdentitySet", "user": []}}, {}),
    ({"source": {"@odata.type": "#microsoft.graph.callRecords.session", "caller": 1}}, {}),
    ({"source": {"@odata.type": 7, "region": "eu"}}, {}),
    ({"@odata.type": ["call"], "ringing_timeout_in_seconds": "x", "id": None}, {}),
    ({"mediaConfig": {"anything": [1, 2]}, "undocumented": [{"x": 1}], "transcription": 1}, {}),
    (
        {"value": [{"id": "1"}, {"state": 5}, "text", {"targets": {"region": "eu"}}]},
        {"collection": True},
    ),
    ([{"weight": 1}, {"weight": True}], {"collection": True}),
    ("just text", {}),
    ([1, 2], {}),
    (
        {"targets": [{"replacesCallId": 1}], "timeout": "later"},
        {"role": "request", "operation": "call.redirect"},
    ),
    ({"maskCallee": "yes"}, {"role": "request", "operation": "call.redirect", "version": "beta"}),
    ({"region": 1}, {"type": "microsoft.graph.PARTICIPANTINFO"}),
    ({"transcription": 1}, {"version": "beta"}),
    ({"user": {"displayName": 1}}, {"type": None, "version": None}),
    ({"@odata.type": "#microsoft.graph.identity", "displayName": 1}, {"type": None}),
    ({"id": 1}, {"type": "Edm.String"}),
    ({"id": 1}, {"role": "resource"}),
    ({"mode": 5}, {}),
    ({"mode": "slow"}, {}),
    ({"mode": 5}, {"version": "beta"}),
]


def test_every_kind_of_field_and_choice(rendered) -> None:
    fixtures = [fixture(i, body, **kw) for i, (body, kw) in enumerate(CASES)]
    entries = both(fixtures, rendered)
    verdicts = [entry[0] for entry in entries]
    assert verdicts.count(True) >= 3 and verdicts.count(False) >= 10 and None in verdicts
    reasons = " ".join(str(entry[1]) for entry in entries)
    assert "source.user.tenantId" in reasons  # nested models, chosen by @odata.type
    assert "value.1.state" in reasons  # a collection's items, and an enum or a string
    assert "mode: Input should be an instance of BetaOnlyMode" in reasons  # no members
    assert "mode: Input should be 'fast'" in reasons


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
KEYS = st.sampled_from(
    [
        "id", "state", "ringingTimeoutInSeconds", "weight", "isMuted", "mediaConfig", "tags",
        "targets", "source", "quota", "undocumented", "transcription", "@odata.type", "region",
        "user", "hidden", "is_muted", "timeout", "maskCallee",
    ]
)  # fmt: skip
ODATA = st.sampled_from(
    ["#microsoft.graph.identitySet", "microsoft.graph.invitationParticipantInfo", "#x", "call"]
)
BODY = st.recursive(
    st.dictionaries(KEYS, JSON | ODATA, max_size=5),
    lambda inner: st.dictionaries(KEYS, inner | st.lists(inner, max_size=2), max_size=4),
    max_leaves=6,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(BODY, st.sampled_from(["call", "request", "participant"])), max_size=8))
def test_random_bodies(rendered, bodies: list[tuple[dict[str, Any], str]]) -> None:
    kinds = {
        "call": {},
        "request": {"role": "request", "operation": "call.redirect", "version": "beta"},
        "participant": {"type": "microsoft.graph.participantInfo"},
    }
    both([fixture(i, body, **kinds[kind]) for i, (body, kind) in enumerate(bodies)], rendered)


def _agree_on(result: BuildResult) -> int:
    files, plans = render_models_and_plans(result.spec)
    planned, planned_failures = check_planned(result.fixtures, plans)
    imported, imported_failures = check_fixtures(result.fixtures, files)
    assert planned_failures == imported_failures == []
    differing = [
        (fixture_.id, left, right)
        for fixture_, left, right in zip(result.fixtures, planned, imported, strict=True)
        if left != right
    ]
    assert differing == []
    return sum(entry[0] is not None for entry in planned)


def test_seed_fixtures(seeds: dict[str, PageRecord]) -> None:
    assert _agree_on(reconcile(seeds.values())) > 0


@pytest.mark.slow
def test_every_zh_cn_fixture(zh_cn_result: BuildResult) -> None:
    """All 20,000 fixtures of the real corpus, 8,392 of them with a model."""
    assert _agree_on(zh_cn_result) >= 8_000


@pytest.mark.slow
def test_every_sample_fixture() -> None:
    if not SAMPLES.is_dir():
        pytest.skip("the real corpus (../shared/corpus) is not here")
    records = extract_records(discover([SAMPLES]), jobs=2, cache_dir=None).records
    assert _agree_on(reconcile(records)) >= 400
