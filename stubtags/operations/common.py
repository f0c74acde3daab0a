"""What several operations share: request checks and the secret's wire views."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from stubtags.service.errors import InvalidParameterException, constraint_error
from stubtags.service.model import Secret, Version
from stubtags.service.tags import as_wire

Params = Mapping[str, Any]
Reply = dict[str, Any]

DESCRIPTION_MAX = 2048
SECRET_VALUE_MAX = 65536
KMS_KEY_ID_MAX = 2048
TOKEN_MAX = 64
DAY = 86400.0


def now() -> float:
    return time.time()


def check_max_length(value: str | None, member: str, maximum: int) -> None:
    """Enforce a model maximum that botocore does not check client side."""
    if value is not None and len(value) > maximum:
        raise constraint_error(
            value, member, f"Member must have length less than or equal to {maximum}"
        )


def secret_value(params: Params) -> tuple[str | None, str | None]:
    """SecretString / SecretBinary of a request: at most one of them, each within size."""
    string = params.get("SecretString")
    binary = params.get("SecretBinary")
    if string is not None and binary is not None:
        raise InvalidParameterException(
            "You can't specify both a binary secret value and a string secret value in the "
            "same secret."
        )
    check_max_length(string, "secretString", SECRET_VALUE_MAX)
    if binary is not None and len(binary) * 3 // 4 > SECRET_VALUE_MAX:
        raise constraint_error(
            "***",
            "secretBinary",
            f"Member must have length less than or equal to {SECRET_VALUE_MAX}",
        )
    return string, binary


def request_token(params: Params) -> str | None:
    token: str | None = params.get("ClientRequestToken")
    check_max_length(token, "clientRequestToken", TOKEN_MAX)
    return token


def access_day(stamp: float) -> float:
    """LastAccessedDate is kept to the day: the service rounds it down to midnight UTC."""
    return stamp - stamp % DAY


def describe(secret: Secret, versions_member: str) -> Reply:
    """The metadata view of DescribeSecret (and, renamed, of a ListSecrets entry)."""
    reply: Reply = {"ARN": secret.arn, "Name": secret.name}
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
    reply: Reply = {"ARN": secret.arn, "Name": secret.name, "VersionId": version.version_id}
    if version.secret_string is not None:
        reply["SecretString"] = version.secret_string
    if version.secret_binary is not None:
        reply["SecretBinary"] = version.secret_binary
    reply["VersionStages"] = list(version.stages)
    reply["CreatedDate"] = version.created
    return reply
