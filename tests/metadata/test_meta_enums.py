"""Enums against the metadata: names, members (case, values), flags enums."""

from __future__ import annotations

from meta_helpers import csdl, enum, found_in, run, spec

G = "microsoft.graph."
METADATA = csdl(
    '<EnumType Name="callState"><Member Name="incoming" Value="0"/>'
    '<Member Name="established" Value="3"/><Member Name="unknownFutureValue" Value="11"/>'
    "</EnumType>"
    '<EnumType Name="recipientScopeType" IsFlags="true"><Member Name="none" Value="0"/>'
    '<Member Name="internal" Value="1"/><Member Name="external" Value="2"/>'
    '<Member Name="externalPartner" Value="4"/></EnumType>'
    '<EnumType Name="rejectReason"><Member Name="none" Value="0"/></EnumType>'
    '<ComplexType Name="mediaInfo"/>'
)
SCOPE = enum(
    G + "recipientScopeType", ("none", 0), ("internal", 1), ("external", 2), ("externalPartner", 4)
)
REJECT = enum(G + "rejectReason", "none")


def test_members_by_name_case_and_value() -> None:
    docs = spec(
        enums=(
            enum(G + "callState", ("incoming", 0), ("Established", 4), ("ringing", 1)),
            SCOPE,
            REJECT,
        )
    )
    alignment = run(docs, METADATA)
    element = ("enums", G + "callState", "members")
    assert found_in(alignment, "enums") == {
        ("enum-member-name-case", *element, "Established"),
        ("enum-member-value-differs", *element, "Established"),
        ("enum-member-not-in-metadata", *element, "ringing"),
        ("enum-member-missing", *element, "unknownFutureValue"),
    }
    members = alignment.tallies["enumMembers"]
    assert (members.docs, members.docs_found, members.metadata, members.metadata_found) == (
        8,
        7,
        8,
        7,
    )
    assert members.agreeing == 6  # incoming and the flags enum's four, and none


def test_a_flags_enum_agrees_by_its_values() -> None:
    alignment = run(
        spec(
            enums=(
                SCOPE,
                REJECT,
                enum(G + "callState", "incoming", "established", "unknownFutureValue"),
            )
        ),
        METADATA,
    )
    assert found_in(alignment, "enums") == set()
    assert alignment.rates()["enumMemberF1"] == 1.0


def test_enum_names_case_kind_and_absence() -> None:
    docs = spec(
        enums=(
            SCOPE,
            enum(G + "CallState", "incoming", "established", "unknownFutureValue"),
            enum(G + "mediaInfo", "audio"),
            enum(G + "callDisposition", "default"),
        )
    )
    alignment = run(docs, METADATA)
    assert found_in(alignment, "enums") == {
        ("type-name-case", "enums", G + "CallState"),
        ("type-kind-differs", "enums", G + "mediaInfo"),
        ("enum-not-in-metadata", "enums", G + "callDisposition"),
        ("metadata-enum-not-in-docs", "enums", G + "rejectReason"),
    }
    tally = alignment.tallies["enums"]
    assert (tally.docs, tally.docs_found, tally.metadata, tally.metadata_found) == (4, 2, 3, 2)
