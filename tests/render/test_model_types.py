"""Models that say what the docs say: date-times, dates, times, durations and GUIDs typed (and
dumped back as written), the docs' placeholders accepted as such, enum fields typed as their
enum yet open to other strings, OData nullability, and ``@odata.type`` looked up in any case."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from extractor.render.fixtures import check_fixtures, check_planned
from extractor.render.models import render_models, render_models_and_plans
from extractor.render.models.wire import (
    CaseInsensitiveIndex,
    Date,
    DateTimeOffset,
    Duration,
    Guid,
    Open,
    Placeholder,
    TimeOfDay,
    is_placeholder,
    wire_problem,
)
from extractor.schema import (
    Fixture,
    SpecEnumDef,
    SpecEnumMember,
    SpecParameter,
    SpecTypeDef,
    UnifiedSpec,
)
from tests.render.test_codegen import imported, version

BOTH = ["beta", "v1.0"]


class Sample(BaseModel):
    when: DateTimeOffset | Placeholder | None = None
    day: Date | Placeholder | None = None
    at: TimeOfDay | Placeholder | None = None
    took: Duration | Placeholder | None = None
    key: Guid | Placeholder | None = None


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        ("when", "2021-01-01T00:00:00.0000000Z", datetime(2021, 1, 1, tzinfo=UTC)),
        ("when", "2019-02-07T13:35:36.7330000-08:00", None),
        ("when", "2019-02-07T13:35:36", datetime(2019, 2, 7, 13, 35, 36)),
        ("day", "2016-12-31", date(2016, 12, 31)),
        ("at", "17:00:00.0000000", time(17, 0)),
        ("took", "-PT3M22.1587532S", -timedelta(minutes=3, seconds=22.1587532)),
        ("took", "P10675199DT2H48M5.4775807S", None),
        (
            "key",
            "87D349ED-44d7-43e1-9a83-5f2406dee5bd",
            uuid.UUID("87d349ed-44d7-43e1-9a83-5f2406dee5bd"),
        ),
    ],
)
def test_wire_values_are_typed_and_dump_back_as_written(field: str, text: str, value: Any) -> None:
    loaded = getattr(Sample.model_validate({field: text}), field)
    assert not isinstance(loaded, Placeholder)
    if value is not None:
        assert loaded == value
    assert Sample.model_validate({field: text}).model_dump(mode="json")[field] == text


@pytest.mark.parametrize(
    "text", ["datetime-value", "String (timestamp)", "Url value", "{id}", "<guid>", "Date"]
)
def test_placeholders_load_as_placeholders(text: str) -> None:
    assert is_placeholder(text)
    loaded = Sample.model_validate({"when": text, "key": text})
    assert isinstance(loaded.when, Placeholder) and loaded.when == text
    assert loaded.model_dump(mode="json")["when"] == text


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("when", "2018-10-04T00: 58: 45.340Z"),
        ("when", "1974-07-22"),
        ("day", "2020-02-04T00:00:00Z"),
        ("at", "0:00:00"),
        ("took", "P1M"),
        ("key", "19:c253a29b5f694b55a6baad8e83510af7@thread.v2"),
    ],
)
def test_malformed_values_do_not_load(field: str, text: str) -> None:
    with pytest.raises(ValidationError):
        Sample.model_validate({field: text})


def test_python_values_are_accepted_and_dumped_in_odata_form() -> None:
    sample = Sample(
        when=datetime(2021, 1, 1, tzinfo=UTC),  # type: ignore[arg-type]
        took=timedelta(hours=1, seconds=1.5),  # type: ignore[arg-type]
        key=uuid.UUID(int=1),  # type: ignore[arg-type]
    )
    dumped = sample.model_dump(mode="json")
    assert dumped["when"] == "2021-01-01T00:00:00Z"
    assert dumped["took"] == "P0DT1H0M1.5S"
    assert dumped["key"] == "00000000-0000-0000-0000-000000000001"
    assert Sample.model_validate(dumped).model_dump(mode="json") == dumped
    assert Sample.model_json_schema()["properties"]["when"]["anyOf"][0] == {
        "type": "string",
        "format": "date-time",
    }


def test_wire_problem_follows_odata() -> None:
    assert wire_problem("Edm.DateTimeOffset", "2021-01-01T00:00:00Z") is None
    assert "UTC offset" in (wire_problem("Edm.DateTimeOffset", "2021-01-01T00:00:00") or "")
    assert wire_problem("Edm.Guid", "not-a-guid") is not None
    assert wire_problem("Edm.String", "anything") is None


def test_open_enums_type_members_and_keep_other_strings() -> None:
    from enum import StrEnum

    class BodyType(StrEnum):
        HTML = "html"
        TEXT = "text"

    class Body(BaseModel):
        content_type: Open[BodyType] | None = None
        kinds: list[Open[BodyType]] | None = None

    body = Body.model_validate({"content_type": "html", "kinds": ["text", "HTML"]})
    assert body.content_type is BodyType.HTML
    assert body.kinds == [BodyType.TEXT, "HTML"] and type(body.kinds[1]) is str
    assert body.model_dump(mode="json") == {"content_type": "html", "kinds": ["text", "HTML"]}


def test_case_insensitive_index() -> None:
    index = CaseInsensitiveIndex({"microsoft.graph.call": 1, "a.X": 2, "a.x": 3})
    assert index["microsoft.graph.call"] == 1
    assert index["#Microsoft.Graph.Call"] == 1
    assert "MICROSOFT.GRAPH.CALL" in index and index.get("microsoft.graph.CALL") == 1
    assert index["a.x"] == 3 and index.get("A.X") is None  # two keys share it: not guessed
    with pytest.raises(KeyError):
        index["microsoft.graph.nowhere"]
    assert list(index) == ["microsoft.graph.call", "a.X", "a.x"]


def prop(name: str, type_: str = "Edm.String", **kw: Any) -> SpecParameter:
    return SpecParameter(name=name, type=type_, versions=kw.pop("versions", BOTH), **kw)


SPEC = UnifiedSpec(
    types=[
        SpecTypeDef(
            name="microsoft.graph.event",
            versions=BOTH,
            properties=[
                prop("start", "Edm.DateTimeOffset"),
                prop("day", "Edm.Date"),
                prop("reminder", "Edm.Duration"),
                prop("at", "Edm.TimeOfDay"),
                prop("iCalUId", "Edm.Guid"),
                prop("importance", "microsoft.graph.importance"),
                prop("categories", "microsoft.graph.importance", collection=True),
                prop("subject", nullable=False),
                prop("attendees", "Edm.String", collection=True, nullable=False),
            ],
        )
    ],
    enums=[
        SpecEnumDef(
            name="microsoft.graph.importance",
            versions=BOTH,
            members=[SpecEnumMember(name=n, versions=BOTH) for n in ("low", "normal", "high")],
        )
    ],
)
BODY = {
    "@odata.type": "#microsoft.graph.event",
    "start": "2017-04-15T12:00:00.0000000Z",
    "day": "2017-04-15",
    "reminder": "PT15M",
    "at": "08:00:00.0000000",
    "iCalUId": "040000008200E00074C5B7101A82E00800000000",
    "importance": "normal",
    "categories": ["high", "Unknown"],
    "subject": "Lunch",
    "extra": {"kept": True},
}


def test_generated_fields_are_typed(tmp_path: Path) -> None:
    graph = render_models(SPEC)["models/v1_0/graph.py"]
    assert "    start: DateTimeOffset | Placeholder | None = None" in graph
    assert "    importance: Open[Importance] | None = None" in graph
    assert "    categories: list[Open[Importance]] | None = None" in graph
    assert "    subject: str = Field(default=None)" in graph  # not nullable: null is refused
    assert "    attendees: list[str] = Field(default=None)" in graph
    assert "from ._wire import " in graph


def test_generated_models_load_and_dump_back_equal_json(tmp_path: Path) -> None:
    body = {**BODY, "iCalUId": "87d349ed-44d7-43e1-9a83-5f2406dee5bd"}
    with imported(render_models(SPEC), tmp_path) as package:
        v1 = version(package, "v1_0")
        event_class = v1.TYPE_INDEX["#Microsoft.Graph.Event"]
        assert event_class is v1.TYPE_INDEX["microsoft.graph.event"]
        event = event_class.model_validate(body)
        assert isinstance(event.start, datetime) and event.start.tzinfo is UTC
        assert event.importance is v1.Importance.NORMAL
        assert event.categories == [v1.Importance.HIGH, "Unknown"]
        assert event.model_dump(mode="json", exclude_unset=True) == body
        with pytest.raises(ValidationError):
            event_class.model_validate({"subject": None})
        assert v1.ENUM_INDEX["MICROSOFT.GRAPH.IMPORTANCE"] is v1.Importance


def test_planned_and_imported_models_agree_on_typed_values() -> None:
    files, plans = render_models_and_plans(SPEC)
    bodies = [
        BODY,
        {**BODY, "iCalUId": "87d349ed-44d7-43e1-9a83-5f2406dee5bd"},
        {"start": "2018-10-04T00: 58: 45.340Z", "reminder": "datetime-value"},
        {"subject": None, "categories": "high"},
    ]
    fixtures = [
        Fixture(
            id=f"v1.0/x/{i}",
            file=f"fixtures/v1.0/x/{i}.json",
            page="x",
            version="v1.0",
            role="response",
            type="microsoft.graph.event",
            body_kind="json",
            body=body,
            source_path="x.md",
            line=1,
        )
        for i, body in enumerate(bodies)
    ]
    planned = check_planned(fixtures, plans)
    assert planned == check_fixtures(fixtures, files)
    assert [entry[0] for entry in planned[0]] == [False, True, False, False]
