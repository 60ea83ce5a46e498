"""OAuth2 security of an OpenAPI document: each operation's requirements from its page's
permission table, and the schemes holding every scope a version asks for.

A table cell lists alternatives, least privileged first (``A``, ``A or B``, ``A, B``, lines
split by ``<br>``); one alternative may need several scopes at once (``A and B``, ``A plus
B``). Every alternative becomes one security requirement, in table order. An operation whose
page lists no permission still needs a token: it asks for either kind of token with no scope
named, and says so in ``x-ms-permissions``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from extractor.schema import Permissions, SpecOperation

AUTHORIZE_URL = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize"
TOKEN_URL = "https://login.microsoftonline.com/common/oauth2/v2.0/token"
_SCOPE = re.compile(r"(?<![\w./-])[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)+(?![\w/-])")
_LINK_TARGET = re.compile(r"\]\([^)]*\)|https?://\S+|\S+\.(?:md|html?|aspx|yml|json)\b")
_ALTERNATIVES = re.compile(r"<\s*/?\s*br\s*/?\s*>|[,;]|\bor\b", re.IGNORECASE)
_BOTH = re.compile(r"\band\b|\bplus\b|&", re.IGNORECASE)
NO_PERMISSIONS = (
    "No permission is read from the page (it lists none, or in a table the reader does not "
    "take, such as one per resource): a token of either kind is asked for, no scope named."
)


@lru_cache(maxsize=1 << 12)
def requirements(values: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The alternatives a permission cell's values allow, in table order, each the scopes
    needed together (remembered: a few hundred tables recur on thousands of pages)."""
    found: dict[tuple[str, ...], None] = {}
    for value in values:
        text = _LINK_TARGET.sub(" ", value or "")
        for alternative in _ALTERNATIVES.split(text):
            scopes: dict[str, None] = {}
            for part in _BOTH.split(alternative):
                for scope in _SCOPE.findall(part):
                    scopes.setdefault(scope, None)
            if scopes:
                found.setdefault(tuple(scopes), None)
    return tuple(found)


def scopes(values: Iterable[str]) -> list[str]:
    """Every scope the values name, in table order."""
    named: dict[str, None] = {}
    for alternative in requirements(tuple(values)):
        for scope in alternative:
            named.setdefault(scope, None)
    return list(named)


def _delegated(granted: Permissions | None) -> tuple[str, ...]:
    """Least privileged scopes first, then the higher privileged ones: any of them grants."""
    if granted is None:
        return ()
    return (*granted.granted("delegated_work"), *granted.granted("delegated_personal"))


def _application(granted: Permissions | None) -> tuple[str, ...]:
    return tuple(granted.granted("application")) if granted is not None else ()


def operation_security(op: SpecOperation, version: str) -> tuple[list[Any], dict[str, Any]]:
    """``security`` and ``x-ms-permissions`` of ``op`` in ``version``."""
    granted = op.permissions_in(version)
    assert granted is not None  # unknown permissions get no security (see operations)
    delegated = requirements(_delegated(granted))
    application = requirements(_application(granted))
    security: list[Any] = [{"delegated": list(r)} for r in delegated]
    security += [{"application": list(r)} for r in application]
    listed = {
        "delegatedWork": [
            " and ".join(r) for r in requirements(tuple(granted.granted("delegated_work")))
        ],
        "delegatedPersonal": [
            " and ".join(r) for r in requirements(tuple(granted.granted("delegated_personal")))
        ],
        "application": [" and ".join(r) for r in application],
    }
    if security:
        return security, {"documented": True, **listed}
    return [{"delegated": []}, {"application": []}], {
        "documented": False,
        "description": NO_PERMISSIONS,
    }


def security_schemes(operations: list[SpecOperation], version: str) -> dict[str, Any]:
    """The scopes the operations of ``version`` ask for (a beta page may ask for others)."""
    granted = [op.permissions_in(version) for op in operations]
    delegated = sorted({s for p in granted for s in scopes(_delegated(p))})
    application = sorted({s for p in granted for s in scopes(_application(p))})
    return {
        "delegated": {
            "type": "oauth2",
            "description": "Delegated permissions (work or school, or personal account).",
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": AUTHORIZE_URL,
                    "tokenUrl": TOKEN_URL,
                    "scopes": {s: s for s in delegated},
                }
            },
        },
        "application": {
            "type": "oauth2",
            "description": "Application permissions.",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": TOKEN_URL,
                    "scopes": {s: s for s in application},
                }
            },
        },
    }
