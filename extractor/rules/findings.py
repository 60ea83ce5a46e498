"""The rules of ``check-metadata``: one plain table (id, severity, area, help, example).

The registry (``extractor.rules``) lists them as ``finding`` rules. A rule says
who disagrees with whom, not who is right: the metadata is evidence, never an override.
Severities: ``warning`` when the docs state something the service contradicts, ``info``
when one side only omits something or the difference is one of spelling.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Severity = Literal["warning", "info"]
Area = Literal["types", "members", "enums", "operations", "parameters", "paths"]
#: Report order of the areas.
AREAS: tuple[Area, ...] = ("types", "members", "enums", "operations", "parameters", "paths")


class FindingRule(NamedTuple):
    id: str
    severity: Severity
    area: Area
    help: str
    example: str


FINDING_TABLE: tuple[FindingRule, ...] = (
    # --- types ---------------------------------------------------------------------------
    FindingRule(
        "type-not-in-metadata",
        "warning",
        "types",
        "A page defines a type the metadata does not have.",
        "microsoft.graph.call in the docs, no EntityType or ComplexType call",
    ),
    FindingRule(
        "metadata-type-not-in-docs",
        "info",
        "types",
        "The metadata has an entity or complex type that no page of this version defines.",
        "microsoft.graph.callTranscriptEventMessageDetail",
    ),
    FindingRule(
        "type-name-case",
        "info",
        "types",
        "A type or enum the docs define differs from the metadata's only in case.",
        "docs microsoft.graph.MediaPrompt, metadata microsoft.graph.mediaPrompt",
    ),
    FindingRule(
        "type-namespace-differs",
        "info",
        "types",
        "A type or enum the docs define is in the metadata under the same name in another "
        "namespace only (it is compared with that one).",
        "docs microsoft.graph.segment, metadata microsoft.graph.callRecords.segment",
    ),
    FindingRule(
        "type-kind-differs",
        "info",
        "types",
        "The docs call a type an entity where the metadata has a complex type, or the reverse.",
        "docs entity, metadata ComplexType",
    ),
    FindingRule(
        "base-type-differs",
        "warning",
        "types",
        "The docs and the metadata name different base types.",
        "docs microsoft.graph.entity, metadata microsoft.graph.outlookItem",
    ),
    FindingRule(
        "base-type-not-in-docs",
        "info",
        "types",
        "The metadata derives the type from a base type that the page never names.",
        "metadata BaseType graph.entity, page names none",
    ),
    FindingRule(
        "base-type-not-in-metadata",
        "warning",
        "types",
        "The page names a base type; the metadata's type has none.",
        "docs baseType microsoft.graph.entity, metadata no BaseType",
    ),
    # --- members (properties and relationships) ----------------------------------------
    FindingRule(
        "docs-member-not-in-metadata",
        "warning",
        "members",
        "A page lists a property or relationship that the metadata has on neither the type "
        "nor its base types.",
        "call.clientContext listed; no such property",
    ),
    FindingRule(
        "metadata-member-not-in-docs",
        "warning",
        "members",
        "The metadata declares a property or navigation property on a documented type that "
        "its page (and the pages of its documented base types) does not list.",
        "call.toneInfo in the metadata, not on the page",
    ),
    FindingRule(
        "member-name-case",
        "info",
        "members",
        "A member's name differs from the metadata's only in case.",
        "docs Onboarding, metadata onboarding",
    ),
    FindingRule(
        "property-is-navigation",
        "warning",
        "members",
        "The page lists as a property what the metadata declares as a navigation property.",
        "user.manager under Properties",
    ),
    FindingRule(
        "relationship-is-property",
        "warning",
        "members",
        "The page lists as a relationship what the metadata declares as a structural property.",
        "call.resultInfo under Relationships",
    ),
    FindingRule(
        "member-type-differs",
        "warning",
        "members",
        "A member's type differs from the metadata's.",
        "docs Edm.Int32, metadata Edm.Int64",
    ),
    FindingRule(
        "member-collection-differs",
        "warning",
        "members",
        "The docs and the metadata disagree on whether a member is a collection.",
        "docs String, metadata Collection(Edm.String)",
    ),
    # --- enums -----------------------------------------------------------------------------
    FindingRule(
        "enum-not-in-metadata",
        "warning",
        "enums",
        "The docs define an enum the metadata does not have.",
        "microsoft.graph.callDisposition in the docs only",
    ),
    FindingRule(
        "metadata-enum-not-in-docs",
        "info",
        "enums",
        "The metadata has an enum that no page of this version defines.",
        "microsoft.graph.rejectReason",
    ),
    FindingRule(
        "enum-member-not-in-metadata",
        "warning",
        "enums",
        "The docs list an enum member the metadata's enum does not have.",
        "callState.ringing",
    ),
    FindingRule(
        "enum-member-missing",
        "warning",
        "enums",
        "The metadata's enum has a member the docs do not list.",
        "callState.unknownFutureValue",
    ),
    FindingRule(
        "enum-member-name-case",
        "info",
        "enums",
        "An enum member's name differs from the metadata's only in case.",
        "docs Busy, metadata busy",
    ),
    FindingRule(
        "enum-member-value-differs",
        "info",
        "enums",
        "The docs give an enum member another value than the metadata.",
        "docs 3, metadata 4",
    ),
    # --- operations --------------------------------------------------------------------
    FindingRule(
        "operation-not-in-metadata",
        "warning",
        "operations",
        "The docs document a bound action or function the metadata does not have by that "
        "name, on that type or any type.",
        "call.transfer on v1.0 when the metadata has no transfer",
    ),
    FindingRule(
        "metadata-operation-not-in-docs",
        "info",
        "operations",
        "The metadata binds an action or function to a type, and no page of this version "
        "documents it.",
        "call.sendDtmfTones",
    ),
    FindingRule(
        "operation-not-identified",
        "info",
        "operations",
        "A docs request path reaches a metadata action or function, but the spec does not "
        "read its page as that action or function (no binding or name).",
        "POST /accessReviews/{id}/applyDecisions read as kind other",
    ),
    FindingRule(
        "operation-name-case",
        "info",
        "operations",
        "An action's or function's name differs from the metadata's only in case.",
        "docs getByIds, metadata getByIDs",
    ),
    FindingRule(
        "operation-binding-differs",
        "warning",
        "operations",
        "The metadata has the action or function by that name, bound to other types only.",
        "docs Range.EntireRow bound to microsoft.graph.Range, metadata to workbookRange",
    ),
    FindingRule(
        "operation-kind-differs",
        "warning",
        "operations",
        "The docs call it an action where the metadata has a function, or the reverse.",
        "docs action, metadata Function",
    ),
    FindingRule(
        "return-type-differs",
        "warning",
        "operations",
        "The response type differs from the metadata's return type (or one side has none).",
        "docs 202 no body, metadata ReturnType graph.commsOperation",
    ),
    FindingRule(
        "return-collection-differs",
        "warning",
        "operations",
        "The docs and the metadata disagree on whether the operation returns a collection.",
        "docs microsoft.graph.user, metadata Collection(graph.user)",
    ),
    # --- parameters --------------------------------------------------------------------
    FindingRule(
        "docs-parameter-not-in-metadata",
        "warning",
        "parameters",
        "The docs list a parameter that no overload of the metadata's operation has.",
        "call.reject.reasonText",
    ),
    FindingRule(
        "metadata-parameter-not-in-docs",
        "warning",
        "parameters",
        "The metadata's operation has a required parameter that the docs do not list.",
        "call.redirect.callbackUri",
    ),
    FindingRule(
        "optional-parameter-not-in-docs",
        "info",
        "parameters",
        "The metadata's operation has an optional parameter (Core.OptionalParameter) that "
        "the docs do not list.",
        "roleSchedules.directoryScopeId",
    ),
    FindingRule(
        "example-parameter-not-in-metadata",
        "warning",
        "parameters",
        "A request example of the page sends a parameter that neither the docs' table nor "
        "the metadata's operation has.",
        "call.transfer example 3 sends clientContext",
    ),
    FindingRule(
        "parameter-name-case",
        "info",
        "parameters",
        "A parameter's name differs from the metadata's only in case.",
        "docs Message, metadata message",
    ),
    FindingRule(
        "operation-parameter-type-differs",
        "warning",
        "parameters",
        "A parameter's type differs from the metadata's.",
        "call.reject.reason: docs Edm.String, metadata microsoft.graph.rejectReason",
    ),
    FindingRule(
        "parameter-collection-differs",
        "warning",
        "parameters",
        "The docs and the metadata disagree on whether a parameter is a collection.",
        "docs String, metadata Collection(Edm.String)",
    ),
    # --- types named by members, parameters, returns and bases ---------------------------
    FindingRule(
        "string-for-enum",
        "warning",
        "members",
        "The docs type a member or parameter Edm.String where the metadata has an enum.",
        "call.reject.reason: docs String, metadata graph.rejectReason",
    ),
    FindingRule(
        "type-ref-case",
        "info",
        "members",
        "A type named by a member, parameter, return or base differs from the metadata's "
        "only in case.",
        "docs microsoft.graph.Identity, metadata microsoft.graph.identity",
    ),
    FindingRule(
        "type-ref-namespace",
        "info",
        "members",
        "A type named by the docs has the metadata's name in another namespace.",
        "docs microsoft.graph.session, metadata microsoft.graph.callRecords.session",
    ),
    FindingRule(
        "docs-type-missing",
        "info",
        "members",
        "The docs give no type for a member or parameter the metadata types.",
        "an empty Type cell",
    ),
    # --- paths -------------------------------------------------------------------------------
    FindingRule(
        "path-root-not-in-metadata",
        "warning",
        "paths",
        "A docs request path starts with a name that is neither an entity set nor a singleton.",
        "/app/calls/{id}",
    ),
    FindingRule(
        "path-segment-not-in-metadata",
        "warning",
        "paths",
        "A docs request path's first segment after an entity set (and key) or a singleton is "
        "neither a member, a bound operation, a type cast nor a $-segment of its type.",
        "/me/foo",
    ),
    FindingRule(
        "path-name-case",
        "info",
        "paths",
        "A path segment differs from the metadata's name only in case.",
        "/Users/{id}",
    ),
    FindingRule(
        "entity-set-not-in-docs",
        "info",
        "paths",
        "No docs request path of this version reaches the metadata's entity set.",
        "/certificateBasedAuthConfiguration",
    ),
    FindingRule(
        "singleton-not-in-docs",
        "info",
        "paths",
        "No docs request path of this version reaches the metadata's singleton.",
        "/branding",
    ),
    FindingRule(
        "navigation-not-in-docs",
        "info",
        "paths",
        "No docs request path of this version reaches a navigation property of an entity set "
        "or singleton (the first level below it).",
        "/me/photos",
    ),
)

FINDINGS_BY_ID: dict[str, FindingRule] = {rule.id: rule for rule in FINDING_TABLE}
