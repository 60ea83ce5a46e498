"""Types and enums of `microsoft.graph` in Microsoft Graph v1.0."""

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
    requested_modalities: list[str] | None = Field(default=None, alias="requestedModalities")
    media_config: Any = Field(default=None, alias="mediaConfig")
    call_chain_id: Guid | Placeholder | None = Field(default=None, alias="callChainId")
    subject: str | None = None
    ringing_timeout_in_seconds: Any = Field(default=None, alias="ringingTimeoutInSeconds")
    media_state: Any = Field(default=None, alias="mediaState")
    result_info: Any = Field(
        default=None,
        alias="resultInfo",
        description="microsoft.graph.resultInfo, not documented in v1.0",
    )
    chat_info: Nested[ChatInfo] | None = Field(default=None, alias="chatInfo")
    meeting_info: Nested[OrganizerMeetingInfo] | None = Field(default=None, alias="meetingInfo")
    transcription: Any = None
    tone_info: Any = Field(default=None, alias="toneInfo")
    call_routes: list[Any] | None = Field(default=None, alias="callRoutes")
    active_modalities: list[Any] | None = Field(default=None, alias="activeModalities")
    routing_policies: list[Any] | None = Field(default=None, alias="routingPolicies")
    termination_reason: str | None = Field(default=None, alias="terminationReason")
    meeting_capability: Any = Field(default=None, alias="meetingCapability")


class ChatInfo(GraphModel):
    """Graph complex type `microsoft.graph.chatInfo`.

    Inferred from the documentation's examples: no page describes this type, so its fields
    are what the examples show.
    """

    __graph_type__ = "microsoft.graph.chatInfo"

    thread_id: str | None = Field(default=None, alias="threadId")
    message_id: str | None = Field(default=None, alias="messageId")
    reply_chain_message_id: Any = Field(default=None, alias="replyChainMessageId")


class CommsNotification(GraphModel):
    """Graph complex type `microsoft.graph.commsNotification`.

    Inferred from the documentation's examples: no page describes this type, so its fields
    are what the examples show.
    """

    __graph_type__ = "microsoft.graph.commsNotification"

    change_type: str | None = Field(default=None, alias="changeType")
    resource_url: str | None = Field(default=None, alias="resourceUrl")
    resource_data: Any = Field(default=None, alias="resourceData")
    callback_uri: str | None = Field(default=None, alias="callbackUri")


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


class OrganizerMeetingInfo(GraphModel):
    """Graph complex type `microsoft.graph.organizerMeetingInfo`.

    Inferred from the documentation's examples: no page describes this type, so its fields
    are what the examples show.
    """

    __graph_type__ = "microsoft.graph.organizerMeetingInfo"

    organizer: Nested[IdentitySet] | None = None
    allow_conversation_without_host: bool | None = Field(
        default=None, alias="allowConversationWithoutHost"
    )


class ParticipantInfo(GraphModel):
    """Graph complex type `microsoft.graph.participantInfo`.

    Inferred from the documentation's examples: no page describes this type, so its fields
    are what the examples show.
    """

    __graph_type__ = "microsoft.graph.participantInfo"

    identity: Nested[IdentitySet] | None = None
    region: str | None = None
    endpoint_type: str | None = Field(default=None, alias="endpointType")
    country_code: Any = Field(default=None, alias="countryCode")
    language_id: str | None = Field(default=None, alias="languageId")
