"""CreateSecret, DescribeSecret, UpdateSecret, DeleteSecret, RestoreSecret."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from stubtags.errors import UnsupportedMemberError
from stubtags.operations.common import (
    DESCRIPTION_MAX,
    KMS_KEY_ID_MAX,
    Params,
    Reply,
    describe,
    fresh_reply,
    replication_status,
    request_token,
    require_token,
    secret_value,
)
from stubtags.operations.tagging import read_tags
from stubtags.service import deletion
from stubtags.service import secrets as secret_rules
from stubtags.service.errors import too_long, validation_error
from stubtags.service.identity import validate_name
from stubtags.service.model import Secret
from stubtags.service.store import AccountRegion

if TYPE_CHECKING:
    from stubtags.service.tags import Tag

# The ClientRequestToken (or a fresh one), Description, KmsKeyId, SecretString and
# SecretBinary, in the order of the service's arguments; None: not given.
SecretInput = tuple[str, str | None, str | None, str | None, str | None]


def _secret_input(params: Params) -> SecretInput:
    """The members CreateSecret and UpdateSecret share, within the model's sizes.

    A tuple, unpacked into the service's arguments: a record class would cost a call to
    its `__init__` and an instance on every CreateSecret and UpdateSecret."""
    description = params.get("Description")
    if description is not None and len(description) > DESCRIPTION_MAX:
        raise validation_error(too_long(description, "description", DESCRIPTION_MAX))
    kms_key_id = params.get("KmsKeyId")
    if kms_key_id is not None and len(kms_key_id) > KMS_KEY_ID_MAX:
        raise validation_error(too_long(kms_key_id, "kmsKeyId", KMS_KEY_ID_MAX))
    string, binary = secret_value(params)
    return request_token(params), description, kms_key_id, string, binary


def _with_version(secret: Secret, version_id: str | None) -> Reply:
    reply: Reply = {"ARN": secret.arn, "Name": secret.name}
    if version_id is not None:
        reply["VersionId"] = version_id
    return reply


@fresh_reply
def create_secret(region: AccountRegion, params: Params) -> Reply:
    # AddReplicaRegions and ForceOverwriteReplicaSecret are left to replication.
    if params.get("Type") is not None:  # `refuse_unsupported`, one member
        raise UnsupportedMemberError("CreateSecret", "Type")
    require_token(params)
    name: str = params["Name"]
    validate_name(name)
    given = _secret_input(params)
    tags = read_tags(params["Tags"]) if "Tags" in params else None
    if params.get("AddReplicaRegions"):
        return _create_with_replicas(region, params, name, given, tags)
    token, description, kms_key_id, string, binary = given
    secret, version_id = secret_rules.create_secret(
        region, name, tags, time.time(), token, description, kms_key_id, string, binary
    )
    return _with_version(secret, version_id)


def _create_with_replicas(
    region: AccountRegion, params: Params, name: str, given: SecretInput, tags: list[Tag] | None
) -> Reply:
    """CreateSecret with AddReplicaRegions: replication is imported by the first one."""
    from stubtags.operations.replication import read_replica_regions
    from stubtags.service import replication

    replicas = read_replica_regions(params["AddReplicaRegions"])
    replication.check_regions(region.name, replicas)  # before anything is created
    token, description, kms_key_id, string, binary = given
    secret, version_id = secret_rules.create_secret(
        region, name, tags, time.time(), token, description, kms_key_id, string, binary
    )
    reply = _with_version(secret, version_id)
    force = bool(params.get("ForceOverwriteReplicaSecret", False))
    replication.replicate(region.store, secret, replicas, force, time.time())
    reply["ReplicationStatus"] = replication_status(secret)
    return reply


@fresh_reply
def describe_secret(region: AccountRegion, params: Params) -> Reply:
    return describe(region.find(params["SecretId"]), "VersionIdsToStages")


@fresh_reply
def update_secret(region: AccountRegion, params: Params) -> Reply:
    if params.get("Type") is not None:  # `refuse_unsupported`, one member
        raise UnsupportedMemberError("UpdateSecret", "Type")
    if params.get("SecretString") is not None or params.get("SecretBinary") is not None:
        require_token(params)  # a value makes a version
    token, description, kms_key_id, string, binary = _secret_input(params)
    secret = region.find_mutable(params["SecretId"])
    version_id = secret_rules.update_secret(
        secret, time.time(), token, description, kms_key_id, string, binary
    )
    return _with_version(secret, version_id)


@fresh_reply
def delete_secret(region: AccountRegion, params: Params) -> Reply:
    name, arn, deleted = deletion.delete_secret(
        region,
        params["SecretId"],
        bool(params.get("ForceDeleteWithoutRecovery", False)),
        params.get("RecoveryWindowInDays"),
        time.time(),
    )
    return {"ARN": arn, "Name": name, "DeletionDate": deleted}


@fresh_reply
def restore_secret(region: AccountRegion, params: Params) -> Reply:
    secret = region.find(params["SecretId"])
    deletion.restore(secret, time.time())
    return {"ARN": secret.arn, "Name": secret.name}
