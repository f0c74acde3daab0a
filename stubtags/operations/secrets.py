"""CreateSecret, DescribeSecret, UpdateSecret, DeleteSecret, RestoreSecret."""

from __future__ import annotations

import uuid

from stubtags.operations.common import (
    DAY,
    DESCRIPTION_MAX,
    KMS_KEY_ID_MAX,
    Params,
    Reply,
    check_max_length,
    describe,
    now,
    request_token,
    secret_value,
)
from stubtags.service import tags as tag_rules
from stubtags.service.errors import (
    MARKED_FOR_DELETION,
    InvalidParameterException,
    InvalidRequestException,
    ResourceExistsException,
)
from stubtags.service.identity import validate_name
from stubtags.service.store import AccountRegion
from stubtags.service.versions import add_version

RECOVERY_DEFAULT_DAYS = 30


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
    token = request_token(params) or str(uuid.uuid4())
    new_tags = tag_rules.parse_tags(params["Tags"]) if "Tags" in params else None
    if new_tags is not None:
        tag_rules.check_reserved(params["Tags"])
        tag_rules.check_limit(None, new_tags)
    stamp = now()
    retried = _retried_create(region, name, token, string, binary)
    if retried is not None:
        return retried
    secret = region.create(name, stamp)
    secret.description = description
    secret.kms_key_id = kms_key_id
    secret.tags = new_tags
    reply: Reply = {"ARN": secret.arn, "Name": secret.name}
    if string is not None or binary is not None:
        add_version(secret, token, string, binary, None, stamp)
        reply["VersionId"] = token
    return reply


def _retried_create(
    region: AccountRegion, name: str, token: str, string: str | None, binary: str | None
) -> Reply | None:
    """A retry of a CreateSecret that succeeded: same name, token and value (no-op)."""
    existing = region.secrets.get(name)
    if existing is None or existing.deleted_date is not None:
        return None
    version = existing.versions.get(token)
    if version is None:
        return None
    if not version.same_value(string, binary):
        raise ResourceExistsException(
            "You can't modify an existing version, you can only create a new version."
        )
    return {"ARN": existing.arn, "Name": existing.name, "VersionId": token}


def describe_secret(region: AccountRegion, params: Params) -> Reply:
    return describe(region.find(params["SecretId"]), "VersionIdsToStages")


def update_secret(region: AccountRegion, params: Params) -> Reply:
    description, kms_key_id = _metadata(params)
    string, binary = secret_value(params)
    token = request_token(params) or str(uuid.uuid4())
    secret = region.find_active(params["SecretId"])
    stamp = now()
    reply: Reply = {"ARN": secret.arn, "Name": secret.name}
    changed = False
    if string is not None or binary is not None:
        # First, as the one step that can still refuse: a refused call changes nothing.
        version, changed = add_version(secret, token, string, binary, None, stamp)
        reply["VersionId"] = version.version_id
    if description is not None and description != secret.description:
        secret.description = description
        changed = True
    if kms_key_id is not None and kms_key_id != secret.kms_key_id:
        secret.kms_key_id = kms_key_id
        changed = True
    if changed:
        secret.last_changed = stamp
    return reply


def delete_secret(region: AccountRegion, params: Params) -> Reply:
    force = bool(params.get("ForceDeleteWithoutRecovery", False))
    window = params.get("RecoveryWindowInDays")
    if force and window is not None:
        raise InvalidParameterException(
            "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays."
        )
    if window is not None and not 7 <= window <= 30:
        raise InvalidParameterException(
            "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."
        )
    secret = region.find(params["SecretId"])
    stamp = now()
    if force:
        region.remove(secret)
        return {"ARN": secret.arn, "Name": secret.name, "DeletionDate": stamp}
    if secret.deleted_date is not None:
        raise InvalidRequestException(MARKED_FOR_DELETION)
    days = RECOVERY_DEFAULT_DAYS if window is None else window
    secret.deleted_date = stamp
    secret.last_changed = stamp
    return {"ARN": secret.arn, "Name": secret.name, "DeletionDate": stamp + days * DAY}


def restore_secret(region: AccountRegion, params: Params) -> Reply:
    secret = region.find(params["SecretId"])
    if secret.deleted_date is not None:
        secret.deleted_date = None
        secret.last_changed = now()
    return {"ARN": secret.arn, "Name": secret.name}
