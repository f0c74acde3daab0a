"""Every supported operation's reply has the shape botocore's model promises.

The parsed reply of a successful call is validated against the operation's output
shape the way botocore's Stubber validates canned responses, and its
ResponseMetadata against what a real reply carries. The test is parametrized over
`SUPPORTED_OPERATIONS`, so an operation added without a case here fails.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.validate import validate_parameters

import stubtags
from tests.helpers import POLICY


@dataclass
class ShapeWorld:
    """A client and two secrets every case can use."""

    client: Any
    arn: str  # "shape": a string secret with a description and tags
    binary_arn: str  # "shape-binary": a binary secret


@pytest.fixture
def shape_world(secretsmanager: Any) -> ShapeWorld:
    arn = secretsmanager.create_secret(
        Name="shape",
        Description="for shapes",
        SecretString="s3cr3t",
        Tags=[{"Key": "team", "Value": "core"}],
    )["ARN"]
    binary_arn = secretsmanager.create_secret(Name="shape-binary", SecretBinary=b"\x00\xffbin")[
        "ARN"
    ]
    return ShapeWorld(secretsmanager, arn, binary_arn)


def _current_version(w: ShapeWorld) -> str:
    stages = w.client.describe_secret(SecretId=w.arn)["VersionIdsToStages"]
    return next(v for v, labels in stages.items() if "AWSCURRENT" in labels)


def _update_version_stage(w: ShapeWorld) -> dict[str, Any]:
    old = _current_version(w)
    new = w.client.put_secret_value(
        SecretId=w.arn, SecretString="next", VersionStages=["AWSPENDING"]
    )["VersionId"]
    return w.client.update_secret_version_stage(
        SecretId=w.arn, VersionStage="AWSCURRENT", MoveToVersionId=new, RemoveFromVersionId=old
    )


def _restore(w: ShapeWorld) -> dict[str, Any]:
    w.client.delete_secret(SecretId=w.arn, RecoveryWindowInDays=7)
    return w.client.restore_secret(SecretId=w.arn)


def _get_policy(w: ShapeWorld) -> dict[str, Any]:
    w.client.put_resource_policy(SecretId=w.arn, ResourcePolicy=POLICY)
    return w.client.get_resource_policy(SecretId=w.arn)


def _delete_policy(w: ShapeWorld) -> dict[str, Any]:
    w.client.put_resource_policy(SecretId=w.arn, ResourcePolicy=POLICY)
    return w.client.delete_resource_policy(SecretId=w.arn)


def _list_versions(w: ShapeWorld) -> dict[str, Any]:
    w.client.put_secret_value(SecretId=w.arn, SecretString="v2")
    w.client.get_secret_value(SecretId=w.arn)
    return w.client.list_secret_version_ids(SecretId=w.arn, IncludeDeprecated=True)


LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:shapes"


def _rotate(w: ShapeWorld) -> dict[str, Any]:
    stubtags.active_backend().register_lambda(LAMBDA, lambda event, context: None)
    return w.client.rotate_secret(
        SecretId=w.arn, RotationLambdaARN=LAMBDA, RotationRules={"AutomaticallyAfterDays": 7}
    )


def _stop_replication(w: ShapeWorld) -> dict[str, Any]:
    w.client.replicate_secret_to_regions(
        SecretId=w.arn, AddReplicaRegions=[{"Region": "eu-west-1"}]
    )
    replica = boto3.client("secretsmanager", region_name="eu-west-1")
    return replica.stop_replication_to_replica(SecretId="shape")


def _remove_regions(w: ShapeWorld) -> dict[str, Any]:
    w.client.replicate_secret_to_regions(
        SecretId=w.arn, AddReplicaRegions=[{"Region": "eu-west-1"}]
    )
    return w.client.remove_regions_from_replication(
        SecretId=w.arn, RemoveReplicaRegions=["eu-west-1"]
    )


Case = Callable[[ShapeWorld], dict[str, Any]]

# operation -> (a successful call, the members the reply must carry)
CASES: dict[str, tuple[Case, set[str]]] = {
    "TagResource": (
        lambda w: w.client.tag_resource(SecretId=w.arn, Tags=[{"Key": "k", "Value": "v"}]),
        set(),
    ),
    "UntagResource": (
        lambda w: w.client.untag_resource(SecretId=w.arn, TagKeys=["team"]),
        set(),
    ),
    "CreateSecret": (
        lambda w: w.client.create_secret(
            Name="new", SecretString="x", Tags=[{"Key": "a", "Value": "b"}]
        ),
        {"ARN", "Name", "VersionId"},
    ),
    "DescribeSecret": (
        lambda w: w.client.describe_secret(SecretId=w.arn),
        {
            "ARN",
            "Name",
            "Description",
            "LastChangedDate",
            "Tags",
            "VersionIdsToStages",
            "CreatedDate",
        },
    ),
    "UpdateSecret": (
        lambda w: w.client.update_secret(SecretId=w.arn, SecretString="y", Description="d"),
        {"ARN", "Name", "VersionId"},
    ),
    "DeleteSecret": (
        lambda w: w.client.delete_secret(SecretId=w.arn, RecoveryWindowInDays=7),
        {"ARN", "Name", "DeletionDate"},
    ),
    "RestoreSecret": (_restore, {"ARN", "Name"}),
    "GetSecretValue": (
        lambda w: w.client.get_secret_value(SecretId=w.arn),
        {"ARN", "Name", "VersionId", "SecretString", "VersionStages", "CreatedDate"},
    ),
    "PutSecretValue": (
        lambda w: w.client.put_secret_value(SecretId=w.arn, SecretBinary=b"\x01\x02"),
        {"ARN", "Name", "VersionId", "VersionStages"},
    ),
    "ListSecretVersionIds": (_list_versions, {"Versions", "ARN", "Name"}),
    "UpdateSecretVersionStage": (_update_version_stage, {"ARN", "Name"}),
    "BatchGetSecretValue": (
        lambda w: w.client.batch_get_secret_value(
            SecretIdList=[w.arn, w.binary_arn, "missing-secret"]
        ),
        {"SecretValues", "Errors"},
    ),
    "ListSecrets": (
        lambda w: w.client.list_secrets(IncludePlannedDeletion=True, MaxResults=1),
        {"SecretList", "NextToken"},
    ),
    "PutResourcePolicy": (
        lambda w: w.client.put_resource_policy(SecretId=w.arn, ResourcePolicy=POLICY),
        {"ARN", "Name"},
    ),
    "GetResourcePolicy": (_get_policy, {"ARN", "Name", "ResourcePolicy"}),
    "DeleteResourcePolicy": (_delete_policy, {"ARN", "Name"}),
    "ValidateResourcePolicy": (
        lambda w: w.client.validate_resource_policy(SecretId=w.arn, ResourcePolicy=POLICY),
        {"PolicyValidationPassed", "ValidationErrors"},
    ),
    "GetRandomPassword": (
        lambda w: w.client.get_random_password(PasswordLength=20),
        {"RandomPassword"},
    ),
    "RotateSecret": (_rotate, {"ARN", "Name", "VersionId"}),
    "CancelRotateSecret": (
        lambda w: w.client.cancel_rotate_secret(SecretId=w.arn),
        {"ARN", "Name"},
    ),
    "ReplicateSecretToRegions": (
        lambda w: w.client.replicate_secret_to_regions(
            SecretId=w.arn, AddReplicaRegions=[{"Region": "eu-west-1", "KmsKeyId": "k"}]
        ),
        {"ARN", "ReplicationStatus"},
    ),
    "RemoveRegionsFromReplication": (_remove_regions, {"ARN", "ReplicationStatus"}),
    "StopReplicationToReplica": (_stop_replication, {"ARN"}),
}


def check_metadata(metadata: dict[str, Any], status: int) -> None:
    assert metadata["HTTPStatusCode"] == status
    assert metadata["RetryAttempts"] == 0
    uuid.UUID(metadata["RequestId"])
    headers = metadata["HTTPHeaders"]
    assert headers["x-amzn-requestid"] == metadata["RequestId"]
    assert headers["content-type"] == "application/x-amz-json-1.1"
    # No content-length: the body is made only when read (stubtags.responses says why).
    assert set(headers) == {"x-amzn-requestid", "content-type", "date"}
    assert parsedate_to_datetime(headers["date"]).tzinfo is not None


@pytest.mark.parametrize("operation", stubtags.SUPPORTED_OPERATIONS)
def test_successful_reply_matches_the_output_shape(shape_world: ShapeWorld, operation: str) -> None:
    if operation not in CASES:
        pytest.fail(f"{operation} is supported but has no case in test_response_shapes.CASES")
    call, expected = CASES[operation]
    model = shape_world.client.meta.service_model.operation_model(operation)

    response = call(shape_world)

    check_metadata(response["ResponseMetadata"], 200)
    body = {key: value for key, value in response.items() if key != "ResponseMetadata"}
    if model.output_shape is None:
        assert body == {}
        assert not expected
    else:
        validate_parameters(body, model.output_shape)
        missing = expected - set(body)
        assert not missing, f"{operation} reply lacks {sorted(missing)}"


def test_every_case_is_a_supported_operation() -> None:
    assert set(CASES) <= set(stubtags.SUPPORTED_OPERATIONS)


def test_timestamps_and_blobs_have_their_python_types(shape_world: ShapeWorld) -> None:
    """Types a real reply parses into: aware datetimes and bytes."""
    described = shape_world.client.describe_secret(SecretId=shape_world.arn)
    assert described["CreatedDate"].tzinfo is not None
    assert described["LastChangedDate"] >= described["CreatedDate"]
    value = shape_world.client.get_secret_value(SecretId=shape_world.binary_arn)
    assert value["SecretBinary"] == b"\x00\xffbin"
    batch = shape_world.client.batch_get_secret_value(SecretIdList=[shape_world.binary_arn])
    assert batch["SecretValues"][0]["SecretBinary"] == b"\x00\xffbin"


def test_request_ids_differ_between_calls(shape_world: ShapeWorld) -> None:
    first = shape_world.client.describe_secret(SecretId=shape_world.arn)["ResponseMetadata"][
        "RequestId"
    ]
    second = shape_world.client.describe_secret(SecretId=shape_world.arn)["ResponseMetadata"][
        "RequestId"
    ]
    assert first != second


# --- error replies ---------------------------------------------------------------------------


def _read_deleted(w: ShapeWorld) -> dict[str, Any]:
    w.client.delete_secret(SecretId=w.arn)
    return w.client.get_secret_value(SecretId=w.arn)


ERROR_CASES: dict[str, tuple[Case, str]] = {
    "not-found": (
        lambda w: w.client.describe_secret(SecretId="missing"),
        "ResourceNotFoundException",
    ),
    "tag-aws-key": (
        lambda w: w.client.tag_resource(SecretId=w.arn, Tags=[{"Key": "aws:x", "Value": "v"}]),
        "InvalidParameterException",
    ),
    "tag-long-key": (
        lambda w: w.client.tag_resource(SecretId=w.arn, Tags=[{"Key": "k" * 128, "Value": ""}]),
        "ValidationException",
    ),
    "untag-bad-name": (
        lambda w: w.client.untag_resource(SecretId="has space", TagKeys=["a"]),
        "ValidationException",
    ),
    "exists": (
        lambda w: w.client.create_secret(Name="shape"),
        "ResourceExistsException",
    ),
    "bad-next-token": (
        lambda w: w.client.list_secrets(NextToken="garbage"),
        "InvalidNextTokenException",
    ),
    "deleted": (_read_deleted, "InvalidRequestException"),
}


@pytest.mark.parametrize("case", list(ERROR_CASES), ids=list(ERROR_CASES))
def test_error_reply_carries_code_message_and_http_400(shape_world: ShapeWorld, case: str) -> None:
    call, code = ERROR_CASES[case]
    with pytest.raises(ClientError) as excinfo:
        call(shape_world)
    response = excinfo.value.response
    assert response["Error"]["Code"] == code
    assert isinstance(response["Error"]["Message"], str) and response["Error"]["Message"]
    check_metadata(response["ResponseMetadata"], 400)
    modeled = getattr(shape_world.client.exceptions, code, None)
    if modeled is not None:
        assert isinstance(excinfo.value, modeled)
    else:
        assert type(excinfo.value) is ClientError
