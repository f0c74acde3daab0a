"""CreateSecret, DescribeSecret, UpdateSecret, DeleteSecret, RestoreSecret."""

from __future__ import annotations

from stubtags.operations.common import (
    DESCRIPTION_MAX,
    KMS_KEY_ID_MAX,
    Params,
    Reply,
    check_max_length,
    describe,
    identity,
    now,
    request_token,
    secret_value,
)
from stubtags.operations.tagging import read_tags
from stubtags.service import deletion
from stubtags.service import secrets as secret_rules
from stubtags.service.identity import validate_name
from stubtags.service.store import AccountRegion


def _metadata(params: Params) -> tuple[str | None, str | None]:
    """Description and KmsKeyId of CreateSecret/UpdateSecret, within the model's sizes."""
    description = params.get("Description")
    check_max_length(description, "description", DESCRIPTION_MAX)
    kms_key_id = params.get("KmsKeyId")
    check_max_length(kms_key_id, "kmsKeyId", KMS_KEY_ID_MAX)
    return description, kms_key_id


def create_secret(region: AccountRegion, params: Params) -> Reply:
    name: str = params["Name"]
    validate_name(name)
    description, kms_key_id = _metadata(params)
    string, binary = secret_value(params)
    token = request_token(params)
    tags = read_tags(params["Tags"]) if "Tags" in params else None
    secret, version_id = secret_rules.create_secret(
        region,
        name,
        description=description,
        kms_key_id=kms_key_id,
        tags=tags,
        secret_string=string,
        secret_binary=binary,
        token=token,
        now=now(),
    )
    reply = identity(secret)
    if version_id is not None:
        reply["VersionId"] = version_id
    return reply


def describe_secret(region: AccountRegion, params: Params) -> Reply:
    return describe(region.find(params["SecretId"]), "VersionIdsToStages")


def update_secret(region: AccountRegion, params: Params) -> Reply:
    description, kms_key_id = _metadata(params)
    string, binary = secret_value(params)
    token = request_token(params)
    secret = region.find_active(params["SecretId"])
    version_id = secret_rules.update_secret(
        secret,
        description=description,
        kms_key_id=kms_key_id,
        secret_string=string,
        secret_binary=binary,
        token=token,
        now=now(),
    )
    reply = identity(secret)
    if version_id is not None:
        reply["VersionId"] = version_id
    return reply


def delete_secret(region: AccountRegion, params: Params) -> Reply:
    force = bool(params.get("ForceDeleteWithoutRecovery", False))
    window: int | None = params.get("RecoveryWindowInDays")
    deletion.check_request(force, window)
    secret = region.find(params["SecretId"])
    reply = identity(secret)
    reply["DeletionDate"] = deletion.delete(region, secret, force, window, now())
    return reply


def restore_secret(region: AccountRegion, params: Params) -> Reply:
    secret = region.find(params["SecretId"])
    deletion.restore(secret, now())
    return identity(secret)
