"""Each version's outputs use that version's facts: a member's type and flags, a type's base
type, from the spec's ``overrides`` (the top-level fields are the primary version's)."""

from __future__ import annotations

from typing import Any

from extractor.diff import diff_versions, project_version
from extractor.render.models import render_models_and_plans
from extractor.render.openapi import build_openapi
from extractor.schema import (
    ParameterFacts,
    SpecOperation,
    SpecParameter,
    SpecTypeDef,
    TypeFacts,
    UnifiedSpec,
)

BOTH = ["beta", "v1.0"]


def prop(name: str, type_: str, **kw: Any) -> SpecParameter:
    return SpecParameter(name=name, type=type_, versions=kw.pop("versions", BOTH), **kw)


def spec() -> UnifiedSpec:
    beta_flag = ParameterFacts(versions=["beta"], type="Edm.String", deprecated=True)
    return UnifiedSpec(
        types=[
            SpecTypeDef(
                name="microsoft.graph.entity", versions=BOTH, properties=[prop("id", "Edm.String")]
            ),
            SpecTypeDef(
                name="microsoft.graph.thing",
                versions=BOTH,
                properties=[prop("label", "Edm.String")],
            ),
            SpecTypeDef(
                name="microsoft.graph.widget",
                kind="entity",
                base_type="microsoft.graph.entity",
                overrides=[TypeFacts(versions=["beta"], base_type="microsoft.graph.thing")],
                versions=BOTH,
                properties=[prop("enabled", "Edm.Boolean", overrides=[beta_flag])],
            ),
        ],
        operations=[
            SpecOperation(
                id="widget.tune",
                kind="action",
                binding_type="microsoft.graph.widget",
                name="tune",
                method="POST",
                versions=BOTH,
                parameters=[prop("level", "Edm.Int32", overrides=[beta_flag])],
            )
        ],
    )


def test_each_openapi_document_uses_its_versions_facts() -> None:
    for version, base, enabled in (
        ("v1.0", "entity", {"type": ["boolean", "null"]}),  # nullable unless the page says not
        ("beta", "thing", {"type": ["string", "null"], "deprecated": True}),
    ):
        schemas = build_openapi(spec(), version)["components"]["schemas"]
        widget = schemas["microsoft.graph.widget"]
        assert widget["allOf"][0] == {"$ref": f"#/components/schemas/microsoft.graph.{base}"}
        assert widget["allOf"][1]["properties"]["enabled"] == enabled
        assert "microsoft.graph.widget" in str(schemas[f"microsoft.graph.{base}"])  # subtypes


def test_each_model_package_uses_its_versions_facts() -> None:
    files, plans = render_models_and_plans(spec())
    for package, base, annotation, request in (
        ("v1_0", "Entity", "bool | None", "int | None"),
        ("beta", "Thing", "str | None", "str | None"),
    ):
        classes = {c.name: c for c in plans[package].classes}
        widget = classes["Widget"]
        assert widget.base == base
        assert dict((f[0], f[2]) for f in widget.fields)["enabled"] == annotation
        tune = classes["WidgetTuneRequest"]
        assert dict((f[0], f[2]) for f in tune.fields)["level"] == request
    assert "Deprecated." in files["models/beta/graph.py"]
    assert "Deprecated." not in files["models/v1_0/graph.py"]


def test_the_version_diff_sees_what_each_version_says() -> None:
    beta = project_version(spec(), "beta")
    widget = next(t for t in beta.types if t.name == "microsoft.graph.widget")
    assert widget.base_type == "microsoft.graph.thing"
    assert widget.properties[0].type == "Edm.String"
    rules = {change.rule for change in diff_versions(spec()).changes}
    assert {"type-base-changed", "property-type-changed", "parameter-type-changed"} <= rules


def test_a_revision_diff_sees_a_change_one_version_makes() -> None:
    from extractor.diff import diff_specs

    old = spec()
    new = spec()
    widget = next(t for t in new.types if t.name == "microsoft.graph.widget")
    widget.properties[0].overrides[0].type = "Edm.Int32"  # beta only
    widget.overrides[0].base_type = "microsoft.graph.entity"  # beta as v1.0: no override left
    messages = {(c.rule, c.message) for c in diff_specs(old, new).changes}
    assert (
        "property-type-changed",
        "property 'enabled' type changed from Edm.String to Edm.Int32 (in beta)",
    ) in messages
    assert (
        "property-undeprecated",
        "property 'enabled' is no longer deprecated (in beta)",
    ) not in messages  # the override still says deprecated
    assert (
        "type-base-changed",
        "base type of 'microsoft.graph.widget' changed from microsoft.graph.thing to "
        "microsoft.graph.entity (in beta)",
    ) in messages
