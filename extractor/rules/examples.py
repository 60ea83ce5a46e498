"""Rules of the strict check of examples against their pages (``render/fixtures/strict``):
each finding is also a fixture's entry in ``fixtures/index.json``."""

from __future__ import annotations

from extractor.rules.rule import Rule


def _rule(id: str, severities: str, help: str, example: str) -> Rule:
    return Rule(id, "diagnostic", tuple(severities.split()), help, example)


EXAMPLE_RULES: tuple[Rule, ...] = (
    _rule(
        "example-undocumented-property",
        "warning",
        "An example's body holds a key its type (or its request-body table) does not document, "
        'or wraps the object in {"value": ...}. Document the property, or fix the example.',
        "v1.0/get-user/example-response $.value[0].shortdescription: 'shortdescription' is not "
        "documented for microsoft.graph.teamsAppDefinition (the page writes 'shortDescription')",
    ),
    _rule(
        "example-missing-required",
        "warning",
        "A request example lacks a parameter the page's request-body table marks required. "
        "Add it to the example, or mark it optional.",
        "v1.0/create-printershare/...-request $: the request body lacks 'printer', which the "
        "page marks required",
    ),
    _rule(
        "example-enum-not-member",
        "warning info",
        "An example holds a value outside the members of the property's enum (info when only "
        "the case differs). Use a member, or document the member.",
        "v1.0/message-copy/...-response $.body.contentType: '' is not a member of "
        "microsoft.graph.bodyType (html, text)",
    ),
    _rule(
        "example-enum-combined",
        "info",
        "An example combines members of an enum ('mailbox,site'), as OData writes a flags "
        "enum's value, but the page does not say the enum is a flags enum; the OpenAPI "
        "documents list single members. Say so on the enum's page, or use one member.",
        "beta/...userSources.list/...-response $.value[0].includedSources: 'mailbox,site' "
        "combines members of microsoft.graph.ediscovery.sourceType",
    ),
    _rule(
        "example-placeholder-value",
        "info",
        'An example holds one of the docs\' placeholders ("datetime-value", "String", '
        '"Url value") where a date-time, date, duration, GUID, enum member or URL belongs; '
        "the models accept it as a Placeholder. Write a real value.",
        "v1.0/post-reply/...-request $.post.attachments[0].lastModifiedDateTime: the "
        "placeholder 'datetime-value' where Edm.DateTimeOffset belongs",
    ),
    _rule(
        "example-malformed-value",
        "warning",
        "A date-time, date, time of day, duration or GUID does not follow OData's grammar (a "
        "date-time needs its UTC offset), or a URL property holds no URL. Fix the value.",
        "'2018-10-04T00: 58: 45.340Z' for Edm.DateTimeOffset: not an ISO 8601 date-time",
    ),
    _rule(
        "example-wrong-type",
        "warning",
        "An example's value is of another JSON kind than the page declares (a string for a "
        "number, a string for an object, null where the page says not nullable). Fix the value "
        "or the declared type.",
        "$.value[0].showInAddressList: a string where Edm.Boolean is declared",
    ),
    _rule(
        "example-collection-mismatch",
        "warning",
        "An example holds one object where its annotation or page declares a collection, or a "
        'collection ({"value": [...]}) where one object is declared. Fix the annotation '
        "(isCollection), the page or the example.",
        "$: a collection where its annotation declares one microsoft.graph.conversationMember",
    ),
    _rule(
        "example-missing-odata-type",
        "warning",
        "An object holds properties of a type derived from the declared one (or its declared "
        "type is abstract) without the @odata.type that says which type it is. Add @odata.type.",
        "$.from.user: holds userIdentityType of the derived type "
        "microsoft.graph.teamworkUserIdentity, but no @odata.type says which it is",
    ),
    _rule(
        "example-odata-type-unknown",
        "warning",
        "An object's @odata.type names a microsoft.graph type no page of its version documents. "
        "Fix the name or document the type.",
        "@odata.type '#microsoft.graph.targetResourceUser' names no type documented in beta",
    ),
    _rule(
        "example-odata-type-mismatch",
        "warning",
        "An object's @odata.type names a type the pages document as neither the declared type "
        "nor one derived from it. Fix @odata.type or the declared type.",
        "@odata.type '#microsoft.graph.user' is not microsoft.graph.application or a type "
        "derived from it",
    ),
    _rule(
        "example-status-mismatch",
        "warning",
        "A response example (to the example's request, not an error) has another status than "
        "the page documents. Fix the status line or the Response section.",
        "$status: status 200, where the page documents 201",
    ),
    _rule(
        "example-url-malformed",
        "warning",
        "A request example's URL is neither a URL nor a path from the root (a relative path, a "
        "generator's 'URI not found' note). Write the request line as Graph receives it.",
        "$url: 'me/devices/{id}/commands/{id}' is not a URL or a path",
    ),
    _rule(
        "example-url-version",
        "warning",
        "A request example calls another API version (v1.0, beta) than its page documents. Fix "
        "the URL or move the example.",
        "$url: the request calls v1.0 on a beta page",
    ),
    _rule(
        "example-unchecked",
        "info",
        "The strict check failed on an example (a bug in extractor, not the page's fault); "
        "the example has no other finding. Report it with the message.",
        "not checked: KeyError: 'microsoft.graph.call'",
    ),
)
