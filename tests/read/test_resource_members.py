"""Which tables of a resource page list the type's members, its base type from prose, and
deprecation marked beside a name: rules tried on small inline pages."""

from __future__ import annotations

from extractor.read.pages import build_record
from extractor.schema import PageRecord

_FRONT = "---\ntitle: widget resource type\ndoc_type: resourcePageType\n---\n"


def _page(body: str) -> PageRecord:
    text = _FRONT + "# widget resource type\n\nNamespace: microsoft.graph\n\n" + body
    return build_record("v1.0/resources/widget.md", text.encode())


def _names(record: PageRecord, part: str = "properties") -> list[str]:
    assert record.type is not None
    return [item.name for item in getattr(record.type, part)]


def _rules(record: PageRecord) -> list[str]:
    return [d.rule for d in record.diagnostics]


def test_a_table_under_properties_that_lists_no_names_and_types_is_skipped() -> None:
    record = _page(
        "## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n"
        "| displayName | String | The name. |\n\n"
        "| Pre-set constant | Color mapped to in Outlook |\n|:--|:--|\n"
        "| None | No color mapped |\n| Preset0 | Red |\n| Preset1 | Orange |\n"
    )
    assert _names(record) == ["displayName"]
    assert "table-not-members" in _rules(record)


def test_a_derived_types_table_and_a_limits_table_are_not_members() -> None:
    record = _page(
        "## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n"
        "| size | Int64 | Bytes. |\n\n### Derived types\n\n| Type | Description |\n|:--|:--|\n"
        "| [bigWidget](bigwidget.md) | A big one. |\n\n"
        "### Maximum length per resource\n\n| Resource | Maximum expiration time |\n|:--|:--|\n"
        "| Teams | 60 minutes |\n"
    )
    assert _names(record) == ["size"]
    assert _rules(record).count("table-not-members") == 2


def test_a_sub_section_about_another_subject_is_not_read() -> None:
    record = _page(
        "## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n"
        "| definition | String collection | JSON. |\n\n"
        "### Properties of a widget policy definition\n\n"
        "| Property | Type | Description |\n|:--|:--|:--|\n| Version | Int32 | 1. |\n\n"
        "### Properties of a widget\n\n| Property | Type | Description |\n|:--|:--|:--|\n"
        "| color | String | Its colour. |\n"
    )
    assert _names(record) == ["definition", "color"]


def test_a_property_table_outside_a_properties_heading_is_read() -> None:
    record = _page(
        "A widget.\n\n| Name | Type | Description |\n|:--|:--|:--|\n"
        "| controlName | String | The name. |\n| score | Double | The score. |\n\n"
        "## Page content\n\n| Property name | Type | Description |\n|:--|:--|:--|\n"
        "| title | string | The title. |\n"
    )
    assert _names(record) == ["controlName", "score", "title"]


def test_cells_of_names_and_types_under_a_wrong_header_are_read() -> None:
    record = _page(
        "## Properties\n\n| Method | Return Type | Description |\n|:--|:--|:--|\n"
        "| fileName | String | The file. |\n| language | String | Its language. |\n"
        "| fileData | [agreementFileData](agreementfiledata.md) | The data. |\n"
    )
    assert _names(record) == ["fileName", "language", "fileData"]
    assert "table-header-unexpected" in _rules(record)


def test_the_heading_decides_properties_or_relationships_over_a_mislabelled_header() -> None:
    record = _page(
        "## Properties\n\n| Relationship | Type | Description |\n|:--|:--|:--|\n"
        "| availability | String | Free or busy. |\n\n"
        "## Relationships\n\n| Relationship | Type | Description |\n|:--|:--|:--|\n"
        "| owner | [user](user.md) | The owner. |\n"
    )
    assert _names(record) == ["availability"]
    assert _names(record, "relationships") == ["owner"]


def test_an_enum_table_inside_properties_is_an_enum_not_members() -> None:
    record = _page(
        "## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n"
        "| ageGroup | String | See below. |\n\n#### ageGroup values\n\n"
        "| Member | Description |\n|:--|:--|\n| minor | A minor. |\n| adult | An adult. |\n"
    )
    assert _names(record) == ["ageGroup"]
    assert "table-not-members" not in _rules(record)
    assert [e.name for e in record.enums] == ["microsoft.graph.ageGroup"]


def test_deprecated_beside_the_name_marks_the_member_deprecated() -> None:
    record = _page(
        "## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n"
        "| autoAdmittedUsers (deprecated) | String | Who is admitted. |\n"
        "| deprecated | Boolean | Whether the control is deprecated. |\n"
        "| _id (Deprecated) | String | An id. |\n| lobby | String | The lobby. |\n"
    )
    assert record.type is not None
    flags = {p.name: p.deprecated for p in record.type.properties}
    assert flags == {"autoAdmittedUsers": True, "deprecated": True, "_id": True, "lobby": False}


def test_a_property_named_deprecated_is_not_deprecated_by_its_name() -> None:
    record = _page(
        "## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n"
        "| deprecated | Boolean | Whether the control is retired. |\n"
    )
    assert record.type is not None
    assert record.type.properties[0].deprecated is False


def test_base_type_from_the_sentences_that_state_it() -> None:
    cases = {
        "This type inherits from [entity](entity.md).": "microsoft.graph.entity",
        "Inherits from [place](place.md).": "microsoft.graph.place",
        "Derived from [recipient](recipient.md).": "microsoft.graph.recipient",
        "The **widget** resource is derived from [**baseItem**](baseitem.md).": (
            "microsoft.graph.baseItem"
        ),
        "It is a subtype of [userSet](userset.md).": "microsoft.graph.userSet",
        "widget derives from [teamworkHostedContent](x.md).": (
            "microsoft.graph.teamworkHostedContent"
        ),
        "This type will inherit from [identityProviderBase](x.md).": (
            "microsoft.graph.identityProviderBase"
        ),
        "Used to create a mail threat assessment, derived from [threatAssessmentRequest](t.md).": (
            "microsoft.graph.threatAssessmentRequest"
        ),
        "Inherits from base class [identityUserFlow](x.md).": "microsoft.graph.identityUserFlow",
        "Derived from [educationSynchronizationDataProvider].": (
            "microsoft.graph.educationSynchronizationDataProvider"
        ),
        "It is derived from microsoft.graph.policyBase.": "microsoft.graph.policyBase",
        "This creates a subclass from [educationAssignmentGrade](x.md).": (
            "microsoft.graph.educationAssignmentGrade"
        ),
        "All the session controls inherit from [sessionControl](x.md).": None,
        "Controls, settings and all the session controls inherit from [x](x.md).": None,
        "Compliance policies inherit from here.": None,
        "[a](a.md) and [b](b.md) types inherit from this type.": None,
        "It is inherited by [bigWidget](bigwidget.md).": None,
    }
    for sentence, base in cases.items():
        record = _page(
            f"A widget. {sentence}\n\n## Properties\n\n| Property | Type | Description |\n"
            "|:--|:--|:--|\n| id | String | The id. |\n"
        )
        assert record.type is not None
        assert record.type.base_type == base, sentence


def test_abstract_from_the_sentences_that_say_the_type_is() -> None:
    cases = {
        "This is an abstract type.": True,
        "An abstract base class containing properties for all mobile apps.": True,
        "The **widget** entity is an abstract base class used to identify sources.": True,
        "This complex type is abstract.": True,
        "Represents an abstract base type for policy types to inherit from.": True,
        "It is an abstract type that is inherited by [bigWidget](bigwidget.md).": True,
        "Shows up in **extensions**, which is derived from the [extension](e.md) abstract type.": (
            False
        ),
        "This superclass is abstract and you cannot set the property to this value.": False,
        "Note that a userSet is an abstract base class.": False,
        "A widget.": False,
    }
    for sentence, abstract in cases.items():
        record = _page(
            f"{sentence}\n\n## Properties\n\n| Property | Type | Description |\n"
            "|:--|:--|:--|\n| id | String | The id. |\n"
        )
        assert record.type is not None
        assert record.type.abstract is abstract, sentence


def test_deprecated_by_a_note_that_names_the_member() -> None:
    record = _page(
        "## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n"
        "| tollNumber | String | The number. |\n| tollFreeNumber | String | The free one. |\n"
        "| lobby | String | The lobby. |\n| joinUrl | String | The URL. |\n\n"
        "> [!NOTE]\n> - The **tollFreeNumber** and **tollNumber** properties are deprecated.\n"
        "> - The **joinUrl** property will be deprecated in the future.\n"
    )
    assert record.type is not None
    flags = {p.name: p.deprecated for p in record.type.properties}
    assert flags == {"tollNumber": True, "tollFreeNumber": True, "lobby": False, "joinUrl": False}


def test_a_bold_row_alone_heads_a_group_and_is_no_member() -> None:
    record = _page(
        "## Relationships\n\n| Relationship | Type | Description |\n|:--|:--|:--|\n"
        "|**Device management**|\n"
        "| managedDevices | [managedDevice](md.md) collection | The devices. |\n"
        "| **Onboarding** | | |\n| notes | String | |\n"
    )
    assert _names(record, "relationships") == ["managedDevices", "notes"]


def test_a_line_break_inside_a_description_cell_continues_the_row_above() -> None:
    record = _page(
        "## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n"
        "|maximumBandwidth|Int64|The maximum bandwidth. Valid values 0 to 4294967295\n"
        "The value 0 (zero) means no limit.|\n"
        "|threats|String collection|List of threats (accountBreach,\n"
        "spoofing).|\n|tier|String|Control tier.|\n"
    )
    assert record.type is not None
    assert [(p.name, p.description) for p in record.type.properties] == [
        (
            "maximumBandwidth",
            "The maximum bandwidth. Valid values 0 to 4294967295 "
            "The value 0 (zero) means no limit.",
        ),
        ("threats", "List of threats (accountBreach, spoofing)."),
        ("tier", "Control tier."),
    ]
