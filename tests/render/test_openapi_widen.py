"""One response schema for the pages that document one request: the nearest common type."""

from __future__ import annotations

from extractor.render.openapi.widen import common_type, widened
from extractor.schema import SpecOperation, SpecResponse, SpecTypeDef

V = ["v1.0"]


def typedef(name: str, base: str | None = None) -> SpecTypeDef:
    return SpecTypeDef(
        name=f"microsoft.graph.{name}", base_type=base and f"microsoft.graph.{base}", versions=V
    )


TYPES = {
    t.name.casefold(): t
    for t in (
        typedef("entity"),
        typedef("setting", "entity"),
        typedef("booleanSetting", "setting"),
        typedef("integerSetting", "setting"),
        typedef("user", "entity"),
    )
}


def answering(op_id: str, name: str, collection: bool = False) -> SpecOperation:
    response = SpecResponse(
        status=201, type=f"microsoft.graph.{name}", collection=collection, versions=V
    )
    return SpecOperation(id=op_id, versions=V, response=response, responses=[response])


def test_the_nearest_type_all_answers_derive_from() -> None:
    g = "microsoft.graph."
    assert common_type([g + "booleanSetting", g + "integerSetting"], TYPES, "v1.0") == (
        g + "setting"
    )
    assert common_type([g + "booleanSetting", g + "user"], TYPES, "v1.0") == g + "entity"
    assert common_type([g + "booleanSetting", g + "unknown"], TYPES, "v1.0") is None


def test_a_request_documented_per_derived_type_answers_their_base() -> None:
    owner = answering("settings.create", "booleanSetting")
    other = answering("settings.integerSetting.create", "integerSetting")
    shown = widened(owner, [other], "v1.0", TYPES)
    assert shown.response.type == "microsoft.graph.setting"
    assert [r.type for r in shown.responses] == ["microsoft.graph.setting"]
    assert owner.response.type == "microsoft.graph.booleanSetting"  # the spec is not changed
    # alike answers, or answers of another shape (a list), leave the operation as it is
    assert widened(owner, [answering("x", "booleanSetting")], "v1.0", TYPES) is owner
    assert widened(owner, [answering("x", "integerSetting", True)], "v1.0", TYPES) is owner
