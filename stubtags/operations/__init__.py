"""The operations stubtags answers, by their API name: the wire layer of the fake service.

An operation reads its request members and checks what the botocore model declares
(required members, lengths, enums, patterns, ranges, with wire paths such as
`tags.1.member.key`), then calls typed functions of `stubtags.service` and renders
their result as reply members in wire form. Every service rule and every state change,
LastChangedDate included, lives in `stubtags.service`, never here.

Each operation takes the account's region the client talks to and the decoded JSON
body, and returns the reply members, or None for an operation with no output, or
`Unlocked` for work that must run with the store's lock released (RotateSecret).
"""

from __future__ import annotations

from collections.abc import Callable

from stubtags.operations import (
    listing,
    passwords,
    policies,
    replication,
    rotation,
    secrets,
    tagging,
    values,
)
from stubtags.operations.common import Params, Reply, Unlocked
from stubtags.service.store import AccountRegion

Operation = Callable[[AccountRegion, Params], "Reply | Unlocked | None"]

OPERATIONS: dict[str, Operation] = {
    "TagResource": tagging.tag_resource,
    "UntagResource": tagging.untag_resource,
    "CreateSecret": secrets.create_secret,
    "DescribeSecret": secrets.describe_secret,
    "UpdateSecret": secrets.update_secret,
    "DeleteSecret": secrets.delete_secret,
    "RestoreSecret": secrets.restore_secret,
    "GetSecretValue": values.get_secret_value,
    "PutSecretValue": values.put_secret_value,
    "ListSecretVersionIds": values.list_secret_version_ids,
    "UpdateSecretVersionStage": values.update_secret_version_stage,
    "BatchGetSecretValue": values.batch_get_secret_value,
    "ListSecrets": listing.list_secrets,
    "PutResourcePolicy": policies.put_resource_policy,
    "GetResourcePolicy": policies.get_resource_policy,
    "DeleteResourcePolicy": policies.delete_resource_policy,
    "ValidateResourcePolicy": policies.validate_resource_policy,
    "GetRandomPassword": passwords.get_random_password,
    "RotateSecret": rotation.rotate_secret,
    "CancelRotateSecret": rotation.cancel_rotate_secret,
    "ReplicateSecretToRegions": replication.replicate_secret_to_regions,
    "RemoveRegionsFromReplication": replication.remove_regions_from_replication,
    "StopReplicationToReplica": replication.stop_replication_to_replica,
}

__all__ = ["OPERATIONS", "Operation"]
