"""Every supported operation honours policies when a principal calls, and answers as
before without one (each operation's "Required permissions" in the API reference)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

import stubtags
from stubtags import Backend
from tests.permissions_helpers import (
    ALICE,
    REGION,
    allow,
    client_for,
    denial,
    implicit,
    resource_policy,
    statement,
)

# --- every supported operation honours policies --------------------------------------------

World = dict[str, Any]


def _version(admin: Any, arn: str) -> str:
    stages = admin.describe_secret(SecretId=arn)["VersionIdsToStages"]
    return str(next(v for v, labels in stages.items() if "AWSCURRENT" in labels))


def _restore(c: Any, w: World) -> Any:
    w["admin"].delete_secret(SecretId=w["arn"], RecoveryWindowInDays=7)
    return c.restore_secret(SecretId=w["arn"])


ALLOW_ALL_SECRETS = resource_policy(
    statement("secretsmanager:GetSecretValue", Principal={"AWS": "123456789012"})
)

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:rotate"
REPLICA_REGION = "eu-west-1"


def _rotate(c: Any, w: World) -> Any:
    w["backend"].register_lambda(LAMBDA, lambda event, context: None)
    return c.rotate_secret(
        SecretId=w["arn"], RotationLambdaARN=LAMBDA, RotationRules={"AutomaticallyAfterDays": 7}
    )


def _replicated(w: World) -> None:
    w["admin"].replicate_secret_to_regions(
        SecretId=w["arn"], AddReplicaRegions=[{"Region": REPLICA_REGION}]
    )


def _stop_replication(c: Any, w: World) -> Any:
    _replicated(w)
    replica = boto3.client("secretsmanager", region_name=REPLICA_REGION, **w["credentials"](c))
    return replica.stop_replication_to_replica(SecretId="app")


def _remove_regions(c: Any, w: World) -> Any:
    _replicated(w)
    return c.remove_regions_from_replication(
        SecretId=w["arn"], RemoveReplicaRegions=[REPLICA_REGION]
    )


# Their setup (as the root user) changes the secret before the denied call.
SETUP_CHANGES = {"RestoreSecret", "RemoveRegionsFromReplication", "StopReplicationToReplica"}


def _secret(w: World) -> str | None:
    return str(w["arn"])


def _replica(w: World) -> str | None:
    return str(w["arn"]).replace(REGION, REPLICA_REGION)


def _none(w: World) -> str | None:
    return None


# operation -> (the call, the actions to allow, the resource a denial names)
OPERATIONS: dict[
    str, tuple[Callable[[Any, World], Any], list[str], Callable[[World], str | None]]
] = {
    "TagResource": (
        lambda c, w: c.tag_resource(SecretId=w["arn"], Tags=[{"Key": "k", "Value": "v"}]),
        ["TagResource"],
        _secret,
    ),
    "UntagResource": (
        lambda c, w: c.untag_resource(SecretId=w["arn"], TagKeys=["team"]),
        ["UntagResource"],
        _secret,
    ),
    "CreateSecret": (
        lambda c, w: c.create_secret(Name="new", SecretString="v"),
        ["CreateSecret"],
        _secret,
    ),
    "DescribeSecret": (
        lambda c, w: c.describe_secret(SecretId=w["arn"]),
        ["DescribeSecret"],
        _secret,
    ),
    "UpdateSecret": (
        lambda c, w: c.update_secret(SecretId=w["arn"], Description="d"),
        ["UpdateSecret"],
        _secret,
    ),
    "DeleteSecret": (
        lambda c, w: c.delete_secret(SecretId=w["arn"], RecoveryWindowInDays=7),
        ["DeleteSecret"],
        _secret,
    ),
    "RestoreSecret": (_restore, ["RestoreSecret"], _secret),
    "GetSecretValue": (
        lambda c, w: c.get_secret_value(SecretId=w["arn"]),
        ["GetSecretValue"],
        _secret,
    ),
    "PutSecretValue": (
        lambda c, w: c.put_secret_value(SecretId=w["arn"], SecretString="w"),
        ["PutSecretValue"],
        _secret,
    ),
    "ListSecretVersionIds": (
        lambda c, w: c.list_secret_version_ids(SecretId=w["arn"]),
        ["ListSecretVersionIds"],
        _secret,
    ),
    "UpdateSecretVersionStage": (
        lambda c, w: c.update_secret_version_stage(
            SecretId=w["arn"], VersionStage="LABEL", MoveToVersionId=_version(w["admin"], w["arn"])
        ),
        ["UpdateSecretVersionStage"],
        _secret,
    ),
    "BatchGetSecretValue": (
        lambda c, w: c.batch_get_secret_value(SecretIdList=[w["arn"]]),
        ["BatchGetSecretValue", "GetSecretValue"],
        _none,
    ),
    "ListSecrets": (lambda c, w: c.list_secrets(), ["ListSecrets"], _none),
    "PutResourcePolicy": (
        lambda c, w: c.put_resource_policy(SecretId=w["arn"], ResourcePolicy=ALLOW_ALL_SECRETS),
        ["PutResourcePolicy"],
        _secret,
    ),
    "GetResourcePolicy": (
        lambda c, w: c.get_resource_policy(SecretId=w["arn"]),
        ["GetResourcePolicy"],
        _secret,
    ),
    "DeleteResourcePolicy": (
        lambda c, w: c.delete_resource_policy(SecretId=w["arn"]),
        ["DeleteResourcePolicy"],
        _secret,
    ),
    "ValidateResourcePolicy": (
        lambda c, w: c.validate_resource_policy(
            SecretId=w["arn"], ResourcePolicy=ALLOW_ALL_SECRETS
        ),
        ["ValidateResourcePolicy", "PutResourcePolicy"],
        _secret,
    ),
    "GetRandomPassword": (lambda c, w: c.get_random_password(), ["GetRandomPassword"], _none),
    "RotateSecret": (_rotate, ["RotateSecret"], _secret),
    "CancelRotateSecret": (
        lambda c, w: c.cancel_rotate_secret(SecretId=w["arn"]),
        ["CancelRotateSecret"],
        _secret,
    ),
    "ReplicateSecretToRegions": (
        lambda c, w: c.replicate_secret_to_regions(
            SecretId=w["arn"], AddReplicaRegions=[{"Region": REPLICA_REGION}]
        ),
        ["ReplicateSecretToRegions"],
        _secret,
    ),
    "RemoveRegionsFromReplication": (_remove_regions, ["RemoveRegionsFromReplication"], _secret),
    "StopReplicationToReplica": (_stop_replication, ["StopReplicationToReplica"], _replica),
}


def test_the_table_covers_every_supported_operation() -> None:
    assert set(OPERATIONS) == set(stubtags.SUPPORTED_OPERATIONS)


@pytest.fixture
def world(stubtags: Backend, secretsmanager: Any) -> World:
    arn = secretsmanager.create_secret(
        Name="app", SecretString="v", Tags=[{"Key": "team", "Value": "blue"}]
    )["ARN"]

    def credentials(c: Any) -> dict[str, str]:
        """The credentials of secretsmanager `c`, for a second secretsmanager of the same caller."""
        found = c._request_signer._credentials
        if found is None:
            return {}
        return {"aws_access_key_id": found.access_key, "aws_secret_access_key": found.secret_key}

    return {"admin": secretsmanager, "arn": arn, "backend": stubtags, "credentials": credentials}


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_every_operation_is_denied_without_an_allowing_policy(world: World, operation: str) -> None:
    call, actions, shown = OPERATIONS[operation]
    alice = world["backend"].principal(ALICE, policies=[allow("kms:Decrypt")])
    before = world["backend"].describe(world["arn"])
    with pytest.raises(ClientError) as caught:
        call(client_for(alice), world)
    message = denial(caught)
    if operation == "CreateSecret":
        assert message.startswith(
            f"User: {ALICE} is not authorized to perform: secretsmanager:CreateSecret on "
            f"resource: arn:aws:secretsmanager:{REGION}:123456789012:secret:new-"
        )
    else:
        assert message == implicit(ALICE, actions[0], shown(world))
    if operation not in SETUP_CHANGES:
        assert world["backend"].describe(world["arn"]) == before


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_every_operation_is_allowed_by_a_policy_granting_exactly_its_actions(
    world: World, operation: str
) -> None:
    call, actions, _ = OPERATIONS[operation]
    granted = [f"secretsmanager:{action}" for action in actions]
    alice = world["backend"].principal(ALICE, policies=[allow(granted)])
    reply = call(client_for(alice), world)
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    if operation == "BatchGetSecretValue":
        assert [v["Name"] for v in reply["SecretValues"]] == ["app"]


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_every_operation_answers_as_before_without_a_principal(
    world: World, operation: str
) -> None:
    call, _, _ = OPERATIONS[operation]
    reply = call(world["admin"], world)
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
