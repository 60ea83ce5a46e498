"""Issue acceptance on the whole zh-CN corpus: types complete and right.

Records -> spec loses no member any page's property or relationship table lists; every type
reference in the spec names a type or enum exactly as it is spelled, or carries
``unresolved-type``; ``user`` is one type from its own page, and its models and fixtures hold
every field; tables that list no members give none.
"""

from __future__ import annotations

import re

import pytest

from extractor.reconcile import reconcile
from extractor.render.fixtures import check_planned
from extractor.render.models import render_models_and_plans
from extractor.schema import BuildResult, PageRecord, SpecParameter, UnifiedSpec

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def zh_result(zh_cn_records: list[PageRecord]) -> BuildResult:
    return reconcile(zh_cn_records)


def test_no_member_a_page_lists_is_lost(
    zh_cn_records: list[PageRecord], zh_result: BuildResult
) -> None:
    by_name = {t.name.casefold(): t for t in zh_result.spec.types}
    lost = []
    listed = 0
    for record in zh_cn_records:
        typedef = record.type
        if typedef is None or record.version is None:
            continue
        spec_type = by_name[typedef.name.casefold()]
        present = {
            m.name.casefold()
            for m in [*spec_type.properties, *spec_type.relationships]
            if record.version in m.versions
        }
        for member in [*typedef.properties, *typedef.relationships]:
            listed += 1
            if member.name.casefold() not in present:
                lost.append(f"{record.source.path}: {typedef.name}.{member.name}")
    assert listed > 25_000  # 27,527 on zh-CN
    assert not lost, lost[:20]


def _references(spec: UnifiedSpec) -> list[str]:
    found: list[str | None] = []

    def params(items: list[SpecParameter]) -> None:
        for param in items:
            for facts in [param, *param.overrides]:
                found.extend([facts.type, *facts.alternatives])

    for typedef in spec.types:
        found += [typedef.base_type, *(o.base_type for o in typedef.overrides)]
        params([*typedef.properties, *typedef.relationships])
    for op in spec.operations:
        found += [op.binding_type, op.response.type, *(r.type for r in op.responses)]
        params([*op.parameters, *op.query_parameters])
    return [name for name in found if name and not name.startswith("Edm.")]


def test_every_reference_is_spelled_as_its_type_or_is_reported(zh_result: BuildResult) -> None:
    spec = zh_result.spec
    defined = {t.name for t in spec.types} | {e.name for e in spec.enums}
    reported = {
        re.search(r"type '([^']+)'", d.message).group(1).casefold()  # type: ignore[union-attr]
        for d in zh_result.diagnostics
        if d.rule == "unresolved-type"
    }
    references = _references(spec)
    resolved = [name for name in references if name in defined]
    unresolved = [name for name in references if name not in defined]
    assert not [n for n in unresolved if n.casefold() in {d.casefold() for d in defined}]
    assert not [n for n in unresolved if n.casefold() not in reported]
    assert len(resolved) > 18_000 and len(unresolved) < 250  # 19,420 and 206 on zh-CN
    assert "String" not in defined and "microsoft.graph.used" not in defined


def test_user_is_one_type_from_its_own_page(zh_result: BuildResult) -> None:
    user = next(t for t in zh_result.spec.types if t.name == "microsoft.graph.user")
    assert user.description.startswith("Represents an Azure AD user account")
    assert user.base_type == "microsoft.graph.directoryObject"
    members = [*user.properties, *user.relationships]
    assert sum("v1.0" in m.versions for m in members) >= 100
    assert sum("beta" in m.versions for m in members) >= 120
    stub = next(m for m in members if m.name == "deviceEnrollmentLimit")  # Intune's pages only
    assert all("intune" in o.path for o in stub.origins)
    merged = [
        d
        for d in zh_result.diagnostics
        if d.rule == "duplicate-type" and "'microsoft.graph.user'" in d.message
    ]
    assert len(merged) == 4 and {d.severity for d in merged} == {"info"}


def test_user_models_have_every_field_and_user_fixtures_validate(zh_result: BuildResult) -> None:
    _, plans = render_models_and_plans(zh_result.spec)
    for package, at_least in (("v1_0", 100), ("beta", 120)):
        user = next(c for c in plans[package].classes if c.name == "User")
        assert user.base == "DirectoryObject"
        assert len(user.fields) >= at_least
    fixtures = [
        f for f in zh_result.fixtures if (f.type or "").casefold() == "microsoft.graph.user"
    ]
    entries, _ = check_planned(fixtures, plans)
    verdicts = [valid for valid, _ in entries]
    assert verdicts.count(True) >= 75 and False not in verdicts


def test_tables_that_list_no_members_give_none(zh_result: BuildResult) -> None:
    types = {t.name: t for t in zh_result.spec.types}

    def names(name: str) -> set[str]:
        return {m.name for m in [*types[name].properties, *types[name].relationships]}

    assert not {"Preset0", "Preset24", "None"} & names("microsoft.graph.outlookCategory")
    assert not {"Teams", "OneDrive", "user,"} & names("microsoft.graph.subscription")
    assert "definition" in names("microsoft.graph.homeRealmDiscoveryPolicy")
    assert not {"Version", "IncludedAccountTypes"} & names(
        "microsoft.graph.homeRealmDiscoveryPolicy"
    )
    assert {"controlName", "score"} <= names("microsoft.graph.controlScore")
    quality = names("microsoft.graph.teleconferenceDeviceMediaQuality")
    assert "channelIndex" in quality and not {n for n in quality if "Quality" in n}
