"""Change rules of the direction-aware comparisons: members moved to or from a base type,
nullability, read-only, request headers and query parameters.

Where a severity depends on direction, the first listed is the one for a type that travels
both ways (or that no operation reaches), the others for request-only or response-only types
(``extractor.diff.direction``).
"""

from __future__ import annotations

from extractor.rules.rule import Rule

_INFERRED = " Info inside a type only inferred from examples."
_MEMBER_KINDS = ("property", "relationship")
_FIELD_KINDS = ("parameter", "query-parameter", "property", "relationship")


def _rule(id: str, severities: str, help: str, example: str) -> Rule:
    return Rule(id, "change", tuple(severities.split()), help, example)


def _moves() -> list[Rule]:
    rules = []
    for kind in _MEMBER_KINDS:
        rules += [
            _rule(
                f"{kind}-moved-to-base",
                "info",
                f"A {kind} is no longer declared on the type but on one of its base types: "
                "the type still has it and the JSON is the same. Nothing to do; regenerated "
                "models inherit it." + _INFERRED,
                f"{kind} 'eTag' now inherited from base type microsoft.graph.baseItem (same JSON)",
            ),
            _rule(
                f"{kind}-moved-from-base",
                "info",
                f"A {kind} the type inherited from a base type is now declared on the type "
                "itself: the JSON is the same. Nothing to do." + _INFERRED,
                f"{kind} 'eTag' now declared here, no longer inherited from "
                "microsoft.graph.baseItem",
            ),
        ]
    return rules


def _fields() -> list[Rule]:
    rules = []
    for kind in _FIELD_KINDS:
        rules += [
            _rule(
                f"{kind}-became-nullable",
                "breaking non-breaking info",
                f"A {kind} may now be null: breaking where responses carry it (readers must "
                "handle null), non-breaking in requests only." + _INFERRED,
                f"{kind} 'subject' became nullable [response]",
            ),
            _rule(
                f"{kind}-became-non-nullable",
                "breaking non-breaking info",
                f"A {kind} may no longer be null: breaking where requests carry it (clients "
                "sending null fail), non-breaking in responses only." + _INFERRED,
                f"{kind} 'subject' is no longer nullable [request]",
            ),
            _rule(
                f"{kind}-became-read-only",
                "breaking info",
                f"A {kind} is now read-only: breaking where requests carry it (stop sending "
                "it), info in responses only." + _INFERRED,
                f"{kind} 'createdDateTime' became read-only [both]",
            ),
            _rule(
                f"{kind}-became-writable",
                "non-breaking info",
                f"A {kind} is no longer read-only: clients may now send it." + _INFERRED,
                f"{kind} 'displayName' is no longer read-only",
            ),
        ]
    return rules


def _query_parameters() -> list[Rule]:
    kind = "query-parameter"
    return [
        _rule(
            f"{kind}-added",
            "non-breaking breaking",
            "An operation documents a new query parameter: breaking when required.",
            f"{kind} '$top' (Edm.Int32) added",
        ),
        _rule(
            f"{kind}-removed",
            "breaking info",
            "A query parameter is gone: breaking (the service may reject it), info when it was "
            "deprecated before. Stop sending it.",
            f"{kind} 'startDateTime' removed",
        ),
        _rule(
            f"{kind}-renamed-case",
            "breaking",
            "A query parameter's name changed in case only. Send the new spelling.",
            f"{kind} 'StartDateTime' renamed to 'startDateTime' (case only)",
        ),
        _rule(
            f"{kind}-type-changed",
            "breaking info",
            "A query parameter's type changed (info between a string and an enum).",
            f"{kind} 'top' type changed from Edm.String to Edm.Int32",
        ),
        _rule(
            f"{kind}-collection-changed",
            "breaking",
            "A query parameter became a list, or stopped being one.",
            f"{kind} 'ids' changed from Edm.String to Collection(Edm.String)",
        ),
        _rule(
            f"{kind}-became-required",
            "breaking",
            "A query parameter is now required. Clients must send it.",
            f"{kind} 'startDateTime' became required",
        ),
        _rule(
            f"{kind}-became-optional",
            "non-breaking",
            "A query parameter is now optional. Nothing breaks.",
            f"{kind} 'endDateTime' became optional",
        ),
        _rule(
            f"{kind}-deprecated",
            "deprecation",
            "A query parameter is deprecated (or was added deprecated).",
            f"{kind} 'filter' is deprecated",
        ),
        _rule(
            f"{kind}-undeprecated",
            "info",
            "A query parameter is no longer deprecated.",
            f"{kind} 'filter' is no longer deprecated",
        ),
    ]


def _headers() -> list[Rule]:
    return [
        _rule(
            "header-added",
            "non-breaking breaking",
            "An operation documents a new request header: breaking when required (clients "
            "must send it), else non-breaking.",
            "header 'ConsistencyLevel' added (required)",
        ),
        _rule(
            "header-removed",
            "info",
            "A request header is no longer documented. Sending it does no harm.",
            "header 'Prefer' removed",
        ),
        _rule(
            "header-became-required",
            "breaking",
            "A request header is now required. Clients must send it.",
            "header 'Content-Type' became required",
        ),
        _rule(
            "header-became-optional",
            "non-breaking",
            "A request header is now optional. Nothing breaks.",
            "header 'Prefer' became optional",
        ),
    ]


DIRECTION_RULES: tuple[Rule, ...] = (*_moves(), *_fields(), *_query_parameters(), *_headers())
