"""NextTokens: opaque, signed, and of one kind each.

A token is a small JSON payload as urlsafe base64, a dot, and its HMAC-SHA256 under
a key made once per process, so a token from another process or an altered one is
refused (InvalidNextTokenException) instead of being misread. The payload's `kind`
keeps the listings apart: a ListSecrets cursor is not a ListSecretVersionIds offset.
Tokens are not bound to filters or to the operation; they live as long as the process.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets as _random
from collections.abc import Callable
from typing import Any, Final

from stubtags.service.errors import (
    TOKEN_NOT_A_STRING,
    TOKEN_NOT_OURS,
    TOKEN_OF_ANOTHER_LISTING,
    ServiceError,
    invalid_next_token,
)

_TOKEN_KEY: Final = _random.token_bytes(32)


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _signature(body: str) -> str:
    return _b64encode(hmac.new(_TOKEN_KEY, body.encode("ascii"), hashlib.sha256).digest())


def seal(kind: str, payload: dict[str, Any]) -> str:
    """A payload of that kind as an opaque token: urlsafe base64 JSON, a dot, its HMAC."""
    data = {"kind": kind, **payload}
    body = _b64encode(json.dumps(data, separators=(",", ":")).encode("utf-8"))
    return f"{body}.{_signature(body)}"


def unseal(
    token: object, kind: str, refuse: Callable[[str], ServiceError] = invalid_next_token
) -> dict[str, Any]:
    """The payload of a token of ours of that kind; otherwise `refuse(reason)` is raised
    (InvalidNextTokenException; the Resource Groups Tagging API has its own error)."""
    if not isinstance(token, str):
        raise refuse(TOKEN_NOT_A_STRING)
    body, dot, signature = token.partition(".")
    if not dot or not token.isascii() or not hmac.compare_digest(signature, _signature(body)):
        raise refuse(TOKEN_NOT_OURS)
    try:
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, binascii.Error):
        payload = None  # signed by us yet unreadable: a format this code no longer writes
    if not isinstance(payload, dict) or payload.get("kind") != kind:
        raise refuse(TOKEN_OF_ANOTHER_LISTING)
    return payload


def encode_offset(offset: int) -> str:
    """A NextToken for a plain positional listing (ListSecretVersionIds)."""
    return seal("offset", {"offset": offset})


def decode_offset(token: str) -> int:
    """The offset an `encode_offset` token carries; InvalidNextTokenException otherwise."""
    offset = unseal(token, "offset").get("offset")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise invalid_next_token(TOKEN_NOT_OURS)
    return offset
