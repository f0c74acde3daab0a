"""Every supported operation honours policies when a principal calls, and answers as
before without one (each operation's "Required permissions" in the API reference)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError
from permissions_helpers import (
    ALICE,
    REGION,
    allow,
    client_for,
    denial,
    implicit,
    resource_policy,
    statement,
)

import stubtags
from stubtags import Backend

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

# operation -> (the call, the actions to allow, on a resource?)
OPERATIONS: dict[str, tuple[Callable[[Any, World], Any], list[str], bool]] = {
    "TagResource": (
        lambda c, w: c.tag_resource(SecretId=w["arn"], Tags=[{"Key": "k", "Value": "v"}]),
        ["TagResource"],
        True,
    ),
    "UntagResource": (
        lambda c, w: c.untag_resource(SecretId=w["arn"], TagKeys=["team"]),
        ["UntagResource"],
        True,
    ),
    "CreateSecret": (
        lambda c, w: c.create_secret(Name="new", SecretString="v"),
        ["CreateSecret"],
        True,
    ),
    "DescribeSecret": (lambda c, w: c.describe_secret(SecretId=w["arn"]), ["DescribeSecret"], True),
    "UpdateSecret": (
        lambda c, w: c.update_secret(SecretId=w["arn"], Description="d"),
        ["UpdateSecret"],
        True,
    ),
    "DeleteSecret": (
        lambda c, w: c.delete_secret(SecretId=w["arn"], RecoveryWindowInDays=7),
        ["DeleteSecret"],
        True,
    ),
    "RestoreSecret": (_restore, ["RestoreSecret"], True),
    "GetSecretValue": (
        lambda c, w: c.get_secret_value(SecretId=w["arn"]),
        ["GetSecretValue"],
        True,
    ),
    "PutSecretValue": (
        lambda c, w: c.put_secret_value(SecretId=w["arn"], SecretString="w"),
        ["PutSecretValue"],
        True,
    ),
    "ListSecretVersionIds": (
        lambda c, w: c.list_secret_version_ids(SecretId=w["arn"]),
        ["ListSecretVersionIds"],
        True,
    ),
    "UpdateSecretVersionStage": (
        lambda c, w: c.update_secret_version_stage(
            SecretId=w["arn"], VersionStage="LABEL", MoveToVersionId=_version(w["admin"], w["arn"])
        ),
        ["UpdateSecretVersionStage"],
        True,
    ),
    "BatchGetSecretValue": (
        lambda c, w: c.batch_get_secret_value(SecretIdList=[w["arn"]]),
        ["BatchGetSecretValue", "GetSecretValue"],
        False,
    ),
    "ListSecrets": (lambda c, w: c.list_secrets(), ["ListSecrets"], False),
    "PutResourcePolicy": (
        lambda c, w: c.put_resource_policy(SecretId=w["arn"], ResourcePolicy=ALLOW_ALL_SECRETS),
        ["PutResourcePolicy"],
        True,
    ),
    "GetResourcePolicy": (
        lambda c, w: c.get_resource_policy(SecretId=w["arn"]),
        ["GetResourcePolicy"],
        True,
    ),
    "DeleteResourcePolicy": (
        lambda c, w: c.delete_resource_policy(SecretId=w["arn"]),
        ["DeleteResourcePolicy"],
        True,
    ),
    "ValidateResourcePolicy": (
        lambda c, w: c.validate_resource_policy(
            SecretId=w["arn"], ResourcePolicy=ALLOW_ALL_SECRETS
        ),
        ["ValidateResourcePolicy", "PutResourcePolicy"],
        True,
    ),
    "GetRandomPassword": (lambda c, w: c.get_random_password(), ["GetRandomPassword"], False),
}


def test_the_table_covers_every_supported_operation() -> None:
    assert set(OPERATIONS) == set(stubtags.SUPPORTED_OPERATIONS)


@pytest.fixture
def world(stubtags: Backend, client: Any) -> World:
    arn = client.create_secret(
        Name="app", SecretString="v", Tags=[{"Key": "team", "Value": "blue"}]
    )["ARN"]
    return {"admin": client, "arn": arn, "backend": stubtags}


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_every_operation_is_denied_without_an_allowing_policy(world: World, operation: str) -> None:
    call, actions, on_resource = OPERATIONS[operation]
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
        assert message == implicit(ALICE, actions[0], world["arn"] if on_resource else None)
    if operation != "RestoreSecret":  # its setup deleted the secret
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
