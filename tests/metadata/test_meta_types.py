"""Types and members against the metadata: names, kinds, bases, inheritance on both sides,
relationships vs navigation properties, member types and collections."""

from __future__ import annotations

import pytest
from meta_helpers import ENTITY, csdl, enum, found, member, of, run, schema, spec, typedef

from extractor.schema import UnifiedSpec

G = "microsoft.graph."
METADATA = csdl(
    ENTITY
    + '<EntityType Name="outlookItem" BaseType="graph.entity" Abstract="true">'
    + '<Property Name="categories" Type="Collection(Edm.String)"/></EntityType>'
    + '<EntityType Name="message" BaseType="graph.outlookItem">'
    + '<Property Name="subject" Type="Edm.String"/>'
    + '<Property Name="importance" Type="graph.importance"/>'
    + '<Property Name="flags" Type="graph.scope"/>'
    + '<Property Name="size" Type="Edm.Int64"/>'
    + '<Property Name="toRecipients" Type="Collection(graph.recipient)"/>'
    + '<Property Name="sender" Type="graph.recipient"/>'
    + '<Property Name="body" Type="graph.itemBody"/>'
    + '<NavigationProperty Name="attachments" Type="Collection(graph.attachment)"/>'
    + '<NavigationProperty Name="extensions" Type="Collection(graph.extension)"/>'
    + "</EntityType>"
    + '<EntityType Name="attachment" BaseType="graph.entity"/>'
    + '<EntityType Name="extension" BaseType="graph.entity"/>'
    + '<ComplexType Name="recipient"><Property Name="name" Type="Edm.String"/></ComplexType>'
    + '<ComplexType Name="itemBody"/><ComplexType Name="mediaPrompt"/>'
    + '<EnumType Name="importance"><Member Name="low" Value="0"/></EnumType>'
    + '<EnumType Name="scope" IsFlags="true"><Member Name="a" Value="1"/></EnumType>',
    schema(
        '<EntityType Name="session" BaseType="graph.entity">'
        '<Property Name="caller" Type="graph.recipient"/></EntityType>',
        namespace="microsoft.graph.callRecords",
        alias=None,
    ),
)


def message(**changes: object) -> dict[str, object]:
    """The docs' message type, agreeing with the metadata in everything."""
    fields: dict[str, object] = {
        "base": G + "outlookItem",
        "properties": (
            member("subject", "Edm.String"),
            member("importance", G + "importance"),
            member("flags", G + "scope"),
            member("size", "Edm.Int64"),
            member("toRecipients", G + "recipient", True),
            member("sender", G + "recipient"),
            member("body", G + "itemBody"),
        ),
        "relationships": (
            member("attachments", G + "attachment", True),
            member("extensions", G + "extension", True),
        ),
    }
    fields.update(changes)
    return typedef(G + "message", **fields)  # type: ignore[arg-type]


def everything(*types: dict[str, object]) -> dict[str, object]:
    """The docs of every metadata type, each agreeing unless replaced by ``types``."""
    given = {str(t["name"]): t for t in types}
    agreeing = [
        typedef(G + "entity", properties=(member("id", "Edm.String"),)),
        typedef(
            G + "outlookItem",
            base=G + "entity",
            properties=(member("categories", "Edm.String", True),),
        ),
        message(),
        typedef(G + "attachment", base=G + "entity"),
        typedef(G + "extension", base=G + "entity"),
        typedef(G + "recipient", kind="complex", properties=(member("name", "Edm.String"),)),
        typedef(G + "itemBody", kind="complex"),
        typedef(G + "mediaPrompt", kind="complex"),
        typedef(
            G + "callRecords.session",
            base=G + "entity",
            properties=(member("caller", G + "recipient"),),
        ),
    ]
    merged = {str(t["name"]): t for t in agreeing} | given
    enums = (enum(G + "importance", ("low", 0)), enum(G + "scope", ("a", 1)))
    return spec(types=tuple(merged[name] for name in sorted(merged)), enums=enums)


def test_docs_that_agree_give_no_finding_and_full_rates() -> None:
    alignment = run(everything(), METADATA)
    assert found(alignment) == set()
    rates = alignment.rates()
    assert rates["typeNameF1"] == rates["memberNameF1"] == rates["memberTypeAccuracy"] == 1.0
    assert rates["baseTypeAgreement"] == 1.0
    members = alignment.tallies["members"]
    assert (members.docs, members.metadata, members.agreeing) == (13, 13, 13)


def test_the_spec_model_is_accepted_as_well_as_its_json() -> None:
    model = UnifiedSpec.model_validate(everything(message(base=None)))
    from extractor.metadata.align import align

    assert found(align(model, "v1.0", METADATA)) == {
        ("base-type-not-in-docs", "types", G + "message", "baseType")
    }


def test_inheritance_on_the_metadata_side_is_agreement() -> None:
    """The page of message lists id and categories, which the metadata declares on entity
    and outlookItem: agreement, even with no base type named on the page."""
    listed = (member("id", "Edm.String"), member("categories", "Edm.String", True))
    alignment = run(
        everything(message(base=None, properties=(*message()["properties"], *listed))), METADATA
    )
    assert found(alignment, "docs-member-not-in-metadata") == set()
    assert found(alignment) == {("base-type-not-in-docs", "types", G + "message", "baseType")}


def test_inheritance_on_the_docs_side_is_agreement() -> None:
    """The metadata declares subject on message; the docs list it on outlookItem, which the
    message page names as its base: documented. The metadata's outlookItem lacks it."""
    props = message()["properties"]
    docs_message = message(properties=tuple(p for p in props if p["name"] != "subject"))
    outlook = typedef(
        G + "outlookItem",
        base=G + "entity",
        properties=(member("categories", "Edm.String", True), member("subject", "Edm.String")),
    )
    alignment = run(everything(docs_message, outlook), METADATA)
    assert found(alignment) == {
        ("docs-member-not-in-metadata", "types", G + "outlookItem", "properties", "subject")
    }


def test_a_member_neither_side_inherits_is_reported_both_ways() -> None:
    props = message()["properties"]
    docs_message = message(
        properties=(
            *(p for p in props if p["name"] != "size"),
            member("clientContext", "Edm.String"),
        )
    )
    alignment = run(everything(docs_message), METADATA)
    assert found(alignment) == {
        ("docs-member-not-in-metadata", "types", G + "message", "properties", "clientContext"),
        ("metadata-member-not-in-docs", "types", G + "message", "properties", "size"),
    }
    (missing,) = [f for f in alignment.findings if f.rule == "metadata-member-not-in-docs"]
    assert (missing.docs, missing.metadata) == ("not listed", "property size: Edm.Int64")
    renamed = run(
        everything(message(properties=(*props[:-1], member("bodys", G + "itemBody")))), METADATA
    )
    hints = {f.rule: (f.docs, f.metadata) for f in renamed.findings}
    assert hints["docs-member-not-in-metadata"][1].endswith("; closest: body")
    assert hints["metadata-member-not-in-docs"][0] == "not listed; the page lists bodys"
    assert missing.page == "pages/v1.0/message.md"
    rates = alignment.rates()
    assert rates["memberNameF1"] == pytest.approx(2 * (12 / 13) * (12 / 13) / (24 / 13), abs=1e-4)


def test_where_a_stray_member_is_declared_is_said() -> None:
    alignment = run(
        everything(
            typedef(
                G + "attachment", base=G + "entity", properties=(member("subject", "Edm.String"),)
            )
        ),
        METADATA,
    )
    (finding,) = alignment.findings
    assert finding.rule == "docs-member-not-in-metadata"
    assert finding.metadata.endswith("declared on microsoft.graph.message")


def test_relationship_listed_as_property_and_the_reverse() -> None:
    props = message()["properties"]
    docs_message = message(
        properties=(
            *(p for p in props if p["name"] != "body"),
            member("attachments", G + "attachment", True),
        ),
        relationships=(member("extensions", G + "extension", True), member("body", G + "itemBody")),
    )
    alignment = run(everything(docs_message), METADATA)
    assert found(alignment) == {
        ("property-is-navigation", "types", G + "message", "properties", "attachments"),
        ("relationship-is-property", "types", G + "message", "relationships", "body"),
    }


@pytest.mark.parametrize(
    ("listed", "rules"),
    [
        (member("size", "Edm.Int32"), {"member-type-differs"}),
        (member("importance", "Edm.String"), {"string-for-enum"}),
        (member("sender", G + "Recipient"), {"type-ref-case"}),
        (member("sender", G + "callRecords.recipient"), {"type-ref-namespace"}),
        (member("sender", None), {"docs-type-missing"}),
        (member("sender", G + "recipient", True), {"member-collection-differs"}),
        (member("toRecipients", G + "recipient"), {"member-collection-differs"}),
        (
            member("toRecipients", "Edm.String"),
            {"member-type-differs", "member-collection-differs"},
        ),
        (member("Subject", "Edm.String"), {"member-name-case"}),
        # a flags enum holds a set of values in one: a "collection" of them agrees
        (member("flags", G + "scope", True), set()),
        (member("importance", G + "importance", True), {"member-collection-differs"}),
        ({**member("size", "Edm.Int32"), "alternatives": ["Edm.Int64"]}, set()),
    ],
)
def test_member_types_and_collections(listed: dict[str, object], rules: set[str]) -> None:
    props = message()["properties"]
    name = str(listed["name"])
    docs_message = message(
        properties=(*(p for p in props if p["name"].casefold() != name.casefold()), listed)
    )
    alignment = run(everything(docs_message), METADATA)
    assert of(alignment, ("types", G + "message", "properties", name)) == rules
    assert {f.rule for f in alignment.findings} == rules
    tally = alignment.tallies["members"]
    assert tally.typed == 13 - (listed["type"] is None)
    assert tally.types_agree == tally.typed - bool(
        rules - {"member-name-case", "docs-type-missing"}
    )


def test_type_names_kinds_and_namespaces() -> None:
    docs = everything(
        typedef(G + "MediaPrompt", kind="complex"),
        typedef(G + "recipient", kind="entity", properties=(member("name", "Edm.String"),)),
        typedef(G + "session", base=G + "entity", properties=(member("caller", G + "recipient"),)),
        typedef(G + "call", properties=(member("state", "Edm.String"),)),
        typedef(G + "importance", kind="complex"),
    )
    del docs["types"][[t["name"] for t in docs["types"]].index(G + "mediaPrompt")]
    del docs["types"][[t["name"] for t in docs["types"]].index(G + "callRecords.session")]
    alignment = run(docs, METADATA)
    assert found(alignment) == {
        ("type-name-case", "types", G + "MediaPrompt"),
        ("type-kind-differs", "types", G + "recipient"),
        ("type-namespace-differs", "types", G + "session"),
        ("type-not-in-metadata", "types", G + "call"),
        ("type-kind-differs", "types", G + "importance"),  # an enum in the metadata
    }
    tally = alignment.tallies["types"]
    assert (tally.docs, tally.docs_found, tally.metadata, tally.metadata_found) == (11, 9, 9, 9)


def test_a_metadata_type_no_page_defines() -> None:
    docs = everything()
    docs["types"] = [t for t in docs["types"] if t["name"] != G + "itemBody"]
    alignment = run(docs, METADATA)
    assert found(alignment) == {("metadata-type-not-in-docs", "types", G + "itemBody")}
    (finding,) = alignment.findings
    assert finding.page is None and finding.severity == "info"


@pytest.mark.parametrize(
    ("base", "rule"),
    [
        (None, "base-type-not-in-docs"),
        (G + "OutlookItem", "type-ref-case"),
        (G + "entity", "base-type-differs"),
        (G + "attachment", "base-type-differs"),
    ],
)
def test_base_types(base: str | None, rule: str) -> None:
    alignment = run(everything(message(base=base)), METADATA)
    assert found(alignment) == {(rule, "types", G + "message", "baseType")}
    if base == G + "entity":
        assert "a base type further up" in alignment.findings[0].message
    assert alignment.rates()["baseTypeAgreement"] == pytest.approx(8 / 9, abs=1e-4)


def test_a_base_type_the_metadata_does_not_have() -> None:
    recipient = typedef(
        G + "recipient",
        kind="complex",
        base=G + "entity",
        properties=(member("name", "Edm.String"),),
    )
    alignment = run(everything(recipient), METADATA)
    assert found(alignment) == {("base-type-not-in-metadata", "types", G + "recipient", "baseType")}


def test_only_the_version_asked_for_is_compared() -> None:
    props = message()["properties"]
    beta_only = member("size", "Edm.Int64", versions=["beta"])
    docs = everything(message(properties=(*(p for p in props if p["name"] != "size"), beta_only)))
    assert found(run(docs, METADATA)) == {
        ("metadata-member-not-in-docs", "types", G + "message", "properties", "size")
    }
    beta = run(docs, METADATA, version="beta")
    assert beta.tallies["types"].docs == 0  # every type is in v1.0 only
