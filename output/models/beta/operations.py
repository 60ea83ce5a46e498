"""Request bodies of Microsoft Graph beta actions, functions, creates and updates."""

from __future__ import annotations

from pydantic import Field

from ._base import GraphModel, Nested
from .graph import InvitationParticipantInfo


class CallRedirectRequest(GraphModel):
    """Redirect an incoming call that hasn't been [answered](./call-answer.md) or
    [rejected](./call-reject.md) yet. The terms "redirecting" and "forwarding" a call are
    used interchangeably.

    Request body of `call.redirect` (action): `POST
    /communications/calls/{call-id}/redirect`.
    """

    targets: list[Nested[InvitationParticipantInfo]] | None = Field(
        default=None,
        description=(
            "The target participants of the redirect operation. If more than one "
            "target is specified, it's a simulring call. This means that all of the "
            "targets will be rang at the same time and only the first target that "
            "picks up will be connected. We support up to 25 targets for simulring."
        ),
    )
    timeout: int | None = Field(
        default=None,
        description=(
            "The timeout (in seconds) for the redirect operation. The range of the "
            "timeout value is between 15 and 90 seconds inclusive. The default "
            "timeout value is 55 seconds for one target and 60 seconds for multiple "
            "targets (subject to change)."
        ),
    )
    callback_uri: str | None = Field(
        default=None,
        alias="callbackUri",
        description=(
            "This allows bots to provide a specific callback URI for the current "
            "call to receive later notifications. If this property has not been set, "
            "the bot's global callback URI will be used instead. This must be "
            "`https`."
        ),
    )
    target_disposition: str | None = Field(
        default=None,
        alias="targetDisposition",
        description=(
            "(Deprecated) The possible values are: `default` , `simultaneousRing` , "
            "`forward`. This parameter is deprecated, we will automatically identify "
            "whether it's a forward call or simulring call from the number of "
            "targets provided."
        ),
    )
    mask_callee: bool | None = Field(
        default=None,
        alias="maskCallee",
        description=(
            "Indicates whether the callee is to be hidden from the caller. If true, "
            "then the callee identity is the bot identity. Default: false."
        ),
    )
    mask_caller: bool | None = Field(
        default=None,
        alias="maskCaller",
        description=(
            "Indicates whether the caller is to be hidden from the callee. If true, "
            "then the caller identity is the bot identity. Default: false."
        ),
    )


class CallTransferRequest(GraphModel):
    """Transfer an active peer-to-peer call.

    Request body of `call.transfer` (action): `POST
    /communications/calls/{call-id}/transfer`.
    """

    transfer_target: Nested[InvitationParticipantInfo] | None = Field(
        default=None,
        alias="transferTarget",
        description="The participant which is the target of the transfer.",
    )
    client_context: str | None = Field(
        default=None,
        alias="clientContext",
        description="Unique Client Context string. Max limit is 256 chars.",
    )


OPERATION_REQUEST_INDEX: dict[str, type[GraphModel]] = {
    "call.redirect": CallRedirectRequest,
    "call.transfer": CallTransferRequest,
}
