"""Types and enums of `microsoft.graph` in Microsoft Graph beta."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ._base import GraphModel, Nested
from ._wire import Guid, Placeholder


class Call(GraphModel):
    """Graph complex type `microsoft.graph.call`.

    Inferred from the documentation's examples: no page describes this type, so its fields
    are what the examples show.
    """

    __graph_type__ = "microsoft.graph.call"

    state: str | None = None
    direction: str | None = None
    callback_uri: str | None = Field(default=None, alias="callbackUri")
    source: Nested[ParticipantInfo] | None = None
    targets: Any = None
    my_participant_id: Guid | Placeholder | None = Field(default=None, alias="myParticipantId")
    id: Guid | Placeholder | None = None
    tenant_id: str | None = Field(default=None, alias="tenantId")
    answered_by: Nested[ParticipantInfo] | None = Field(default=None, alias="answeredBy")
    result_info: Nested[ResultInfo] | None = Field(default=None, alias="resultInfo")
    termination_reason: str | None = Field(default=None, alias="terminationReason")
    replaces_context: str | None = Field(default=None, alias="replacesContext")


class CommsNotification(GraphModel):
    """Graph complex type `microsoft.graph.commsNotification`.

    Inferred from the documentation's examples: no page describes this type, so its fields
    are what the examples show.
    """

    __graph_type__ = "microsoft.graph.commsNotification"

    change_type: str | None = Field(default=None, alias="changeType")
    resource_url: str | None = Field(default=None, alias="resourceUrl")
    resource_data: Any = Field(default=None, alias="resourceData")


class CommsNotifications(GraphModel):
    """Graph complex type `microsoft.graph.commsNotifications`.

    Inferred from the documentation's examples: no page describes this type, so its fields
    are what the examples show.
    """

    __graph_type__ = "microsoft.graph.commsNotifications"

    value: list[Nested[CommsNotification]] | None = None


class Identity(GraphModel):
    """Graph complex type `microsoft.graph.identity`.

    Inferred from the documentation's examples: no page describes this type, so its fields
    are what the examples show.
    """

    __graph_type__ = "microsoft.graph.identity"

    id: str | None = None
    display_name: str | None = Field(default=None, alias="displayName")
    tenant_id: str | None = Field(default=None, alias="tenantId")


class IdentitySet(GraphModel):
    """Graph complex type `microsoft.graph.identitySet`.

    Inferred from the documentation's examples: no page describes this type, so its fields
    are what the examples show.
    """

    __graph_type__ = "microsoft.graph.identitySet"

    user: Nested[Identity] | None = None
    application: Nested[Identity] | None = None
    application_instance: Nested[Identity] | None = Field(default=None, alias="applicationInstance")
    phone: Nested[Identity] | None = None
    encrypted: Nested[Identity] | None = None


class InvitationParticipantInfo(GraphModel):
    """Graph complex type `microsoft.graph.invitationParticipantInfo`.

    Inferred from the documentation's examples: no page describes this type, so its fields
    are what the examples show.
    """

    __graph_type__ = "microsoft.graph.invitationParticipantInfo"

    identity: Nested[IdentitySet] | None = None
    endpoint_type: str | None = Field(default=None, alias="endpointType")
    id: Guid | Placeholder | None = None
    region: str | None = None
    language_id: str | None = Field(default=None, alias="languageId")
    replaces_call_id: Guid | Placeholder | None = Field(default=None, alias="replacesCallId")


class ParticipantInfo(GraphModel):
    """Graph complex type `microsoft.graph.participantInfo`.

    Inferred from the documentation's examples: no page describes this type, so its fields
    are what the examples show.
    """

    __graph_type__ = "microsoft.graph.participantInfo"

    identity: Nested[IdentitySet] | None = None
    region: str | None = None
    endpoint_type: str | None = Field(default=None, alias="endpointType")


class ResultInfo(GraphModel):
    """Graph complex type `microsoft.graph.resultInfo`.

    Inferred from the documentation's examples: no page describes this type, so its fields
    are what the examples show.
    """

    __graph_type__ = "microsoft.graph.resultInfo"

    code: int | None = None
    subcode: int | None = None
    message: str | None = None
    sub_code: int | None = Field(default=None, alias="subCode")
