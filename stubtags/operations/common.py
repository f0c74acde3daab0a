"""What several operations share: reading and checking request members, wire views."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from typing import Any

from stubtags.errors import UnsupportedMemberError
from stubtags.service.errors import (
    BOTH_VALUES,
    TOKEN_REQUIRED,
    InvalidParameterException,
    InvalidRequestException,
    too_long,
    validation_error,
)
from stubtags.service.model import Secret, Version
from stubtags.service.tags import as_wire

Params = Mapping[str, Any]
Reply = dict[str, Any]

DESCRIPTION_MAX = 2048
SECRET_VALUE_MAX = 65536
KMS_KEY_ID_MAX = 2048
TOKEN_MAX = 64


def now() -> float:
    return time.time()


def check_max_length(value: str | None, member: str, maximum: int) -> None:
    """Enforce a model maximum that botocore does not check client side."""
    if value is not None and len(value) > maximum:
        raise validation_error(too_long(value, member, maximum))


def secret_value(params: Params) -> tuple[str | None, str | None]:
    """SecretString / SecretBinary of a request: at most one of them, each within size."""
    string = params.get("SecretString")
    binary = params.get("SecretBinary")
    if string is not None and binary is not None:
        raise InvalidParameterException(BOTH_VALUES)
    check_max_length(string, "secretString", SECRET_VALUE_MAX)
    if binary is not None and len(binary) * 3 // 4 > SECRET_VALUE_MAX:
        raise validation_error(too_long("***", "secretBinary", SECRET_VALUE_MAX))  # masked
    return string, binary


def refuse_unsupported(params: Params, operation: str, *members: str) -> None:
    """Fail loudly on a member the model declares but stubtags cannot honour.

    Ignoring it would answer another request than the one sent.
    """
    for member in members:
        if params.get(member) is not None:
            raise UnsupportedMemberError(operation, member)


def require_token(params: Params) -> None:
    """A request that makes a version must carry its ClientRequestToken (recorded).

    The SDKs fill it in; a raw request, or a client that does not, is refused before
    any other check.
    """
    if params.get("ClientRequestToken") is None:
        raise InvalidRequestException(TOKEN_REQUIRED)


def request_token(params: Params) -> str:
    """The ClientRequestToken, or a fresh one where the request makes no version."""
    token: str | None = params.get("ClientRequestToken")
    check_max_length(token, "clientRequestToken", TOKEN_MAX)
    return token or str(uuid.uuid4())


def has_value(params: Params) -> bool:
    """Whether the request carries a secret value (and so makes a version)."""
    return params.get("SecretString") is not None or params.get("SecretBinary") is not None


def identity(secret: Secret) -> Reply:
    """The ARN and Name that most replies lead with."""
    return {"ARN": secret.arn, "Name": secret.name}


def describe(secret: Secret, versions_member: str) -> Reply:
    """The metadata view of DescribeSecret (and, renamed, of a ListSecrets entry)."""
    reply = identity(secret)
    if secret.description is not None:
        reply["Description"] = secret.description
    if secret.kms_key_id is not None:
        reply["KmsKeyId"] = secret.kms_key_id
    reply["LastChangedDate"] = secret.last_changed
    if secret.last_accessed is not None:
        reply["LastAccessedDate"] = secret.last_accessed
    if secret.deleted_date is not None:
        reply["DeletedDate"] = secret.deleted_date
    if secret.tags is not None:
        reply["Tags"] = as_wire(secret.tags)
    stages = secret.versions_to_stages()
    if stages:
        reply[versions_member] = stages
    if secret.owning_service is not None:
        reply["OwningService"] = secret.owning_service
    reply["CreatedDate"] = secret.created
    if secret.primary_region is not None:
        reply["PrimaryRegion"] = secret.primary_region
    return reply


def value_reply(secret: Secret, version: Version) -> Reply:
    """The body of GetSecretValue, and of each BatchGetSecretValue entry."""
    reply = identity(secret)
    reply["VersionId"] = version.version_id
    if version.secret_string is not None:
        reply["SecretString"] = version.secret_string
    if version.secret_binary is not None:
        reply["SecretBinary"] = version.secret_binary
    reply["VersionStages"] = list(version.stages)
    reply["CreatedDate"] = version.created
    return reply
