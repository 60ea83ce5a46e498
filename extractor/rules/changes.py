"""Change rules: what ``extractor diff`` reports between two specs.

Severities: ``breaking`` (a client written against the old spec may fail), ``deprecation``,
``non-breaking`` and ``info``. Inside a type the docs only show in examples (inferred),
every change is ``info``: it says which examples exist, not what the API has. The ids are
written where ``extractor/diff`` emits them, many as ``f"{kind}-added"`` with ``kind`` one
of parameter, property, relationship; ``tests/layout/test_rules.py`` expands those.
"""

from __future__ import annotations

from extractor.rules.change_directions import DIRECTION_RULES
from extractor.rules.rule import Rule

#: Said of every rule that can be emitted inside a type inferred from examples.
_INFERRED = " Info inside a type only inferred from examples."


def _rule(id: str, severities: str, help: str, example: str) -> Rule:
    return Rule(id, "change", tuple(severities.split()), help, example)


CHANGE_RULES: tuple[Rule, ...] = (
    # --- operations ---
    _rule(
        "operation-added",
        "non-breaking",
        "An operation is new. Nothing breaks; clients can start using it.",
        "operation 'call.transfer' (POST) added",
    ),
    _rule(
        "operation-removed",
        "breaking info",
        "An operation is gone: breaking, or info when it was deprecated before. Stop calling it.",
        "operation 'chats.members.get' removed",
    ),
    _rule(
        "operation-renamed-case",
        "info",
        "An operation's id changed in case only. Ids are the docs' names, not sent on the wire: "
        "rename references to it if you use the id.",
        "operation 'call.Redirect' now named 'call.redirect'",
    ),
    _rule(
        "operation-deprecated",
        "deprecation",
        "An operation is deprecated (or was added deprecated). Plan to move off it.",
        "operation 'call.redirect' is deprecated",
    ),
    _rule(
        "operation-undeprecated",
        "info",
        "An operation is no longer deprecated.",
        "operation 'call.redirect' is no longer deprecated",
    ),
    _rule(
        "method-changed",
        "breaking",
        "An operation's HTTP method changed. Change the method clients send.",
        "method changed from PATCH to PUT",
    ),
    _rule(
        "path-added",
        "non-breaking",
        "An operation has a new request path. Nothing breaks.",
        "path '/me/calls/{id}/redirect' added",
    ),
    _rule(
        "path-removed",
        "breaking info",
        "A request path is gone: breaking, or info when it was deprecated before. "
        "Call the operation by another path.",
        "path '/app/calls/{id}/redirect' removed",
    ),
    _rule(
        "path-changed",
        "info",
        "A path is written differently (case, placeholder names, origin, trailing slash) but "
        "Graph resolves both alike. Nothing to do.",
        "path '/charts/itemAt' now written '/charts/ItemAt'",
    ),
    _rule(
        "path-deprecated",
        "deprecation",
        "A request path is deprecated (or was added deprecated). Move to another path.",
        "path '/app/calls/{id}/answer' is deprecated",
    ),
    _rule(
        "path-undeprecated",
        "info",
        "A request path is no longer deprecated.",
        "path '/app/calls/{id}/answer' is no longer deprecated",
    ),
    _rule(
        "parameter-added",
        "non-breaking breaking",
        "An operation has a new parameter: breaking when it is required (clients must send "
        "it), else non-breaking.",
        "parameter 'fittingMode' (Edm.String) added",
    ),
    _rule(
        "parameter-removed",
        "breaking info",
        "A parameter is gone: breaking, or info when it was deprecated before. Stop sending it.",
        "parameter 'name' removed",
    ),
    _rule(
        "parameter-renamed-case",
        "breaking",
        "A parameter's name changed in case only; JSON names are case-sensitive. "
        "Send the new spelling.",
        "parameter 'ConferenceId' renamed to 'conferenceId' (case only)",
    ),
    _rule(
        "parameter-type-changed",
        "breaking info",
        "A parameter's type changed: breaking, or info between a string and an enum (the same "
        "JSON). Update what clients send.",
        "parameter 'timeout' type changed from Edm.Int32 to Edm.String",
    ),
    _rule(
        "parameter-collection-changed",
        "breaking",
        "A parameter became a collection, or stopped being one. Update what clients send.",
        "parameter 'targets' changed from microsoft.graph.target to "
        "Collection(microsoft.graph.target)",
    ),
    _rule(
        "parameter-became-required",
        "breaking",
        "A parameter is now required. Clients must send it.",
        "parameter 'targets' became required",
    ),
    _rule(
        "parameter-became-optional",
        "non-breaking",
        "A parameter is now optional. Nothing breaks.",
        "parameter 'timeout' became optional",
    ),
    _rule(
        "parameter-deprecated",
        "deprecation",
        "A parameter is deprecated (or was added deprecated). Plan to stop sending it.",
        "parameter 'targetDisposition' is deprecated",
    ),
    _rule(
        "parameter-undeprecated",
        "info",
        "A parameter is no longer deprecated.",
        "parameter 'targetDisposition' is no longer deprecated",
    ),
    _rule(
        "response-status-changed",
        "breaking",
        "An operation answers with another success status. Accept the new status.",
        "response status changed from 204 to 201",
    ),
    _rule(
        "response-type-changed",
        "breaking",
        "An operation returns another type (or a collection of it instead of one). "
        "Read the new type.",
        "response type changed from microsoft.graph.Range to microsoft.graph.workbookRange",
    ),
    _rule(
        "permission-added",
        "info",
        "An operation lists a permission scope it did not (per kind: delegatedWork, "
        "delegatedPersonal, application). Check the app's consented permissions.",
        "permission 'Files.ReadWrite' (delegatedPersonal) added",
    ),
    _rule(
        "permission-removed",
        "info",
        "An operation no longer lists a permission scope (per kind). The app may ask for less.",
        "permission 'Calendars.ReadWrite' (application) removed",
    ),
    _rule(
        "permission-moved",
        "info",
        "A scope the operation still lists moved between the least privileged and the higher "
        "privileged column (per kind). An app asking for least privilege may need another.",
        "permission 'User.Read.All' (delegatedWork) moved to higher privileged",
    ),
    # --- types ---
    _rule(
        "type-added",
        "non-breaking info",
        "A type is new. Nothing breaks." + _INFERRED,
        "type 'microsoft.graph.Dimensions' added",
    ),
    _rule(
        "type-removed",
        "breaking info",
        "A type is gone. Stop using it." + _INFERRED,
        "type 'microsoft.graph.activityHistoryItem' removed",
    ),
    _rule(
        "type-renamed-case",
        "breaking info",
        "A type's name changed in case only; @odata.type values are case-sensitive. "
        "Use the new spelling." + _INFERRED,
        "type 'microsoft.graph.contract' renamed to 'microsoft.graph.Contract'",
    ),
    _rule(
        "type-base-changed",
        "breaking non-breaking info",
        "A type derives from another base type (or from none), so it has other inherited "
        "properties: breaking, or non-breaking when the old base is still an ancestor (a "
        "type was inserted between them). Check the fields clients use." + _INFERRED,
        "base type of 'microsoft.graph.Contract' changed from microsoft.graph.directoryObject "
        "to none",
    ),
    _rule(
        "type-kind-changed",
        "info",
        "A type changed between entity and complex type (whether it has an id and "
        "relationships of its own).",
        "'microsoft.graph.Contract' changed from entity to complex",
    ),
    _rule(
        "property-added",
        "non-breaking breaking info",
        "A type has a new property: breaking when it is required, else non-breaking." + _INFERRED,
        "property 'target' (microsoft.graph.accessReviewInstanceDecisionItemTarget) added",
    ),
    _rule(
        "property-removed",
        "breaking non-breaking info",
        "A property is gone: breaking where responses carry the type (readers lose it), "
        "non-breaking where only requests do, info when it was deprecated before. A property "
        "that moved to a base type is property-moved-to-base instead. Stop reading or sending "
        "it." + _INFERRED,
        "property 'managedBrowser' removed",
    ),
    _rule(
        "property-renamed-case",
        "breaking info",
        "A property's name changed in case only; JSON names are case-sensitive. "
        "Use the new spelling." + _INFERRED,
        "property 'DisplayName' renamed to 'displayName' (case only)",
    ),
    _rule(
        "property-type-changed",
        "breaking info",
        "A property's type changed: breaking, or info between a string and an enum (the same "
        "JSON). Update the clients' models." + _INFERRED,
        "property 'size' type changed from Edm.Int32 to Edm.Int64",
    ),
    _rule(
        "property-collection-changed",
        "breaking info",
        "A property became a collection, or stopped being one. Update the clients' models."
        + _INFERRED,
        "property 'owner' changed from microsoft.graph.identity to "
        "Collection(microsoft.graph.identity)",
    ),
    _rule(
        "property-became-required",
        "breaking non-breaking info",
        "A property is now required. Clients must send it." + _INFERRED,
        "property 'displayName' became required",
    ),
    _rule(
        "property-became-optional",
        "non-breaking breaking info",
        "A property is now optional: non-breaking in requests, breaking where responses "
        "carry the type (it may be missing)." + _INFERRED,
        "property 'displayName' became optional",
    ),
    _rule(
        "property-deprecated",
        "deprecation info",
        "A property is deprecated (or was added deprecated). Plan to stop using it." + _INFERRED,
        "property 'associatedDomains' is deprecated",
    ),
    _rule(
        "property-undeprecated",
        "info",
        "A property is no longer deprecated.",
        "property 'associatedDomains' is no longer deprecated",
    ),
    _rule(
        "relationship-added",
        "non-breaking breaking info",
        "A type has a new relationship (navigation property): breaking when it is required, "
        "else non-breaking." + _INFERRED,
        "relationship 'definition' (microsoft.graph.accessReviewScheduleDefinition) added",
    ),
    _rule(
        "relationship-removed",
        "breaking non-breaking info",
        "A relationship is gone: breaking, or info when it was deprecated before. "
        "Stop navigating it." + _INFERRED,
        "relationship 'localizations' removed",
    ),
    _rule(
        "relationship-renamed-case",
        "breaking info",
        "A relationship's name changed in case only; URLs and JSON names are case-sensitive. "
        "Use the new spelling." + _INFERRED,
        "relationship 'Members' renamed to 'members' (case only)",
    ),
    _rule(
        "relationship-type-changed",
        "breaking info",
        "A relationship leads to another type: breaking, or info between a string and an enum. "
        "Update the clients' models." + _INFERRED,
        "relationship 'owner' type changed from microsoft.graph.user to "
        "microsoft.graph.directoryObject",
    ),
    _rule(
        "relationship-collection-changed",
        "breaking info",
        "A relationship became a collection, or stopped being one. Update the clients' models."
        + _INFERRED,
        "relationship 'manager' changed from microsoft.graph.user to "
        "Collection(microsoft.graph.user)",
    ),
    _rule(
        "relationship-became-required",
        "breaking non-breaking info",
        "A relationship is now required. Clients must send it." + _INFERRED,
        "relationship 'owner' became required",
    ),
    _rule(
        "relationship-became-optional",
        "non-breaking breaking info",
        "A relationship is now optional. Nothing breaks." + _INFERRED,
        "relationship 'owner' became optional",
    ),
    _rule(
        "relationship-deprecated",
        "deprecation info",
        "A relationship is deprecated (or was added deprecated). Plan to stop navigating it."
        + _INFERRED,
        "relationship 'calendarView' is deprecated",
    ),
    _rule(
        "relationship-undeprecated",
        "info",
        "A relationship is no longer deprecated.",
        "relationship 'calendarView' is no longer deprecated",
    ),
    # --- enums ---
    _rule(
        "enum-added",
        "non-breaking",
        "An enum is new. Nothing breaks.",
        "enum 'microsoft.graph.DecimalPlaces' added",
    ),
    _rule(
        "enum-removed",
        "breaking",
        "An enum is gone. Stop using it.",
        "enum 'microsoft.graph.authenticatorAppFeatureSettings' removed",
    ),
    _rule(
        "enum-renamed-case",
        "breaking",
        "An enum's name changed in case only. Use the new spelling.",
        "enum 'microsoft.graph.callState' renamed to 'microsoft.graph.CallState'",
    ),
    _rule(
        "enum-member-added",
        "non-breaking breaking",
        "An enum has a new member: breaking where responses carry the enum (clients that "
        "switch on it meet a value they do not know), non-breaking where only requests do.",
        "member 'reportOnlyFailure' added",
    ),
    _rule(
        "enum-member-removed",
        "breaking non-breaking",
        "An enum member is gone: breaking where requests carry the enum (stop sending it), "
        "non-breaking where only responses do.",
        "member 'unknownFutureValue' removed",
    ),
    _rule(
        "enum-member-renamed-case",
        "breaking",
        "An enum member's name changed in case only; enum values are case-sensitive strings. "
        "Send the new spelling.",
        "member 'Established' renamed to 'established' (case only)",
    ),
    _rule(
        "enum-member-value-changed",
        "breaking",
        "An enum member's documented numeric value changed. Update clients that send numbers.",
        "value of member 'established' changed from 3 to 4",
    ),
    # --- any item ---
    _rule(
        "version-added",
        "non-breaking info",
        "An item is in more API versions than before (counted over the versions both specs "
        "cover). Nothing breaks." + _INFERRED,
        "operation 'call.redirect' now in beta",
    ),
    _rule(
        "version-removed",
        "breaking info",
        "An item is no longer in an API version it was in. Clients of that version lose it."
        + _INFERRED,
        "operation 'call.redirect' no longer in v1.0",
    ),
    _rule(
        "description-changed",
        "info",
        "An item's description changed (whitespace aside); reported with "
        "--include-descriptions only.",
        "description of operation 'call.redirect' changed",
    ),
)

#: the direction-aware rules (``extractor.rules.change_directions``) belong to the same table
CHANGE_RULES = CHANGE_RULES + DIRECTION_RULES
