"""Replication: replicas in other regions that share their primary's state.

"Replicate AWS Secrets Manager secrets across Regions": a replica carries the primary's
value and metadata, tags and resource policy included, under the primary's ARN with
the region replaced, and is changed only through its primary until
StopReplicationToReplica ("Promote a replica secret to a standalone secret").
"""

from __future__ import annotations

import pickle
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from stubtags import Backend
from tests.helpers import POLICY

PRIMARY = "us-east-1"
REPLICA = "eu-west-1"
OTHER = "ap-southeast-2"
ON_REPLICA = (
    "Operation not permitted on a replica secret. Call must be made in primary secret's region."
)


@pytest.fixture
def replica_client(stubtags: Backend) -> Any:
    return boto3.client("secretsmanager", region_name=REPLICA)


def error(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    body = caught.value.response["Error"]
    return body["Code"], body["Message"]


def replicated(secretsmanager: Any, name: str = "db", **extra: Any) -> str:
    arn: str = secretsmanager.create_secret(
        Name=name,
        SecretString="v1",
        Tags=[{"Key": "team", "Value": "core"}],
        AddReplicaRegions=[{"Region": REPLICA}],
        **extra,
    )["ARN"]
    return arn


def test_create_with_replica_regions(secretsmanager: Any, replica_client: Any) -> None:
    reply = secretsmanager.create_secret(
        Name="db",
        SecretString="v1",
        AddReplicaRegions=[{"Region": REPLICA}, {"Region": OTHER, "KmsKeyId": "alias/mine"}],
    )
    assert reply["ReplicationStatus"] == [
        {"Region": REPLICA, "KmsKeyId": "alias/aws/secretsmanager", "Status": "InSync"},
        {"Region": OTHER, "KmsKeyId": "alias/mine", "Status": "InSync"},
    ]
    primary = secretsmanager.describe_secret(SecretId="db")
    assert primary["PrimaryRegion"] == PRIMARY
    assert [s["Region"] for s in primary["ReplicationStatus"]] == [REPLICA, OTHER]

    replica = replica_client.describe_secret(SecretId="db")
    assert replica["ARN"] == reply["ARN"].replace(f":{PRIMARY}:", f":{REPLICA}:")
    assert replica["PrimaryRegion"] == PRIMARY
    assert "ReplicationStatus" not in replica
    assert replica_client.get_secret_value(SecretId=replica["ARN"])["SecretString"] == "v1"
    other = boto3.client("secretsmanager", region_name=OTHER)
    assert other.describe_secret(SecretId="db")["KmsKeyId"] == "alias/mine"


def test_later_changes_on_the_primary_show_on_the_replica(
    secretsmanager: Any, replica_client: Any, stubtags: Backend
) -> None:
    replicated(secretsmanager)
    secretsmanager.tag_resource(SecretId="db", Tags=[{"Key": "env", "Value": "prod"}])
    secretsmanager.untag_resource(SecretId="db", TagKeys=["team"])
    secretsmanager.put_secret_value(SecretId="db", SecretString="v2")
    secretsmanager.put_resource_policy(SecretId="db", ResourcePolicy=POLICY)
    secretsmanager.update_secret(SecretId="db", Description="shared")

    replica = replica_client.describe_secret(SecretId="db")
    assert replica["Tags"] == [{"Key": "env", "Value": "prod"}]
    assert replica["Description"] == "shared"
    assert replica_client.get_secret_value(SecretId="db")["SecretString"] == "v2"
    assert replica_client.get_resource_policy(SecretId="db")["ResourcePolicy"] == POLICY
    assert stubtags.tags("db", region=REPLICA) == stubtags.tags("db", region=PRIMARY)


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.tag_resource(SecretId="db", Tags=[{"Key": "k", "Value": "v"}]),
        lambda c: c.untag_resource(SecretId="db", TagKeys=["team"]),
        lambda c: c.update_secret(SecretId="db", Description="mine"),
        lambda c: c.put_secret_value(SecretId="db", SecretString="mine"),
        lambda c: c.put_resource_policy(SecretId="db", ResourcePolicy=POLICY),
        lambda c: c.delete_resource_policy(SecretId="db"),
        lambda c: c.delete_secret(SecretId="db"),
        lambda c: c.delete_secret(SecretId="db", ForceDeleteWithoutRecovery=True),
        lambda c: c.cancel_rotate_secret(SecretId="db"),
        lambda c: c.replicate_secret_to_regions(
            SecretId="db", AddReplicaRegions=[{"Region": OTHER}]
        ),
    ],
)
def test_changing_a_replica_is_refused(
    secretsmanager: Any, replica_client: Any, stubtags: Backend, call: Any
) -> None:
    replicated(secretsmanager)
    before = stubtags.snapshot()
    with pytest.raises(replica_client.exceptions.InvalidParameterException) as caught:
        call(replica_client)
    assert error(caught) == ("InvalidParameterException", ON_REPLICA)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert stubtags.snapshot() == before


def test_a_primary_with_replicas_cannot_be_deleted(secretsmanager: Any) -> None:
    arn = secretsmanager.create_secret(
        Name="db", AddReplicaRegions=[{"Region": REPLICA}, {"Region": "ap-northeast-2"}]
    )["ARN"]
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException) as caught:
        secretsmanager.delete_secret(SecretId="db", ForceDeleteWithoutRecovery=True)
    assert error(caught)[1] == (
        f"You can't delete secret {arn} that still has replica regions [ap-northeast-2, {REPLICA}]."
    )
    secretsmanager.remove_regions_from_replication(
        SecretId="db", RemoveReplicaRegions=[REPLICA, "ap-northeast-2"]
    )
    secretsmanager.delete_secret(SecretId="db", ForceDeleteWithoutRecovery=True)


def test_the_primary_region_is_not_a_replica_region(secretsmanager: Any, stubtags: Backend) -> None:
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException) as caught:
        secretsmanager.create_secret(Name="db", AddReplicaRegions=[{"Region": PRIMARY}])
    assert error(caught)[1] == "Invalid replica region."
    assert stubtags.names() == []  # nothing created
    secretsmanager.create_secret(Name="db")
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException):
        secretsmanager.replicate_secret_to_regions(
            SecretId="db", AddReplicaRegions=[{"Region": PRIMARY}]
        )


def test_a_malformed_region_is_a_validation_error(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="db")
    with pytest.raises(ClientError) as caught:
        secretsmanager.replicate_secret_to_regions(
            SecretId="db", AddReplicaRegions=[{"Region": "Mars"}]
        )
    assert error(caught)[0] == "ValidationException"


def test_a_malformed_region_is_refused_at_its_member_every_time(secretsmanager: Any) -> None:
    # Regions found valid are remembered (operations.replication): a refused one never is,
    # and the message names the refused member, after known and unknown ones alike.
    secretsmanager.create_secret(Name="db")
    for _ in range(2):
        with pytest.raises(ClientError) as caught:
            secretsmanager.replicate_secret_to_regions(
                SecretId="db", AddReplicaRegions=[{"Region": OTHER}, {"Region": "Mars-1"}]
            )
        assert error(caught)[0] == "ValidationException"
        assert "'addReplicaRegions.2.member.region'" in error(caught)[1]
        with pytest.raises(ClientError) as caught:
            secretsmanager.remove_regions_from_replication(
                SecretId="db", RemoveReplicaRegions=[REPLICA, "mars-"]
            )
        assert error(caught)[0] == "ValidationException"
        assert "'removeReplicaRegions.2.member'" in error(caught)[1]
    assert secretsmanager.describe_secret(SecretId="db").get("ReplicationStatus") is None


def test_a_name_taken_in_the_target_region_fails_unless_overwritten(
    secretsmanager: Any, replica_client: Any
) -> None:
    replica_client.create_secret(Name="db", SecretString="local")
    secretsmanager.create_secret(Name="db", SecretString="v1")

    reply = secretsmanager.replicate_secret_to_regions(
        SecretId="db", AddReplicaRegions=[{"Region": REPLICA}]
    )
    (status,) = reply["ReplicationStatus"]
    assert status["Status"] == "Failed"
    assert "already exists" in status["StatusMessage"]
    assert replica_client.get_secret_value(SecretId="db")["SecretString"] == "local"

    reply = secretsmanager.replicate_secret_to_regions(
        SecretId="db", AddReplicaRegions=[{"Region": REPLICA}], ForceOverwriteReplicaSecret=True
    )
    assert reply["ReplicationStatus"][0]["Status"] == "InSync"
    assert replica_client.get_secret_value(SecretId="db")["SecretString"] == "v1"
    assert replica_client.describe_secret(SecretId="db")["PrimaryRegion"] == PRIMARY


def test_stop_replication_makes_a_standalone_secret(
    secretsmanager: Any, replica_client: Any, stubtags: Backend
) -> None:
    arn = replicated(secretsmanager)
    replica_arn = arn.replace(PRIMARY, REPLICA)
    with pytest.raises(secretsmanager.exceptions.InvalidRequestException):
        secretsmanager.stop_replication_to_replica(SecretId="db")  # the primary is no replica

    assert replica_client.stop_replication_to_replica(SecretId="db")["ARN"] == replica_arn

    replica_client.tag_resource(SecretId="db", Tags=[{"Key": "own", "Value": "yes"}])
    secretsmanager.tag_resource(SecretId="db", Tags=[{"Key": "later", "Value": "primary only"}])
    secretsmanager.put_secret_value(SecretId="db", SecretString="v2")
    assert stubtags.tags("db", region=REPLICA) == {"team": "core", "own": "yes"}
    assert replica_client.get_secret_value(SecretId="db")["SecretString"] == "v1"
    standalone = replica_client.describe_secret(SecretId="db")
    assert standalone["ARN"] == replica_arn
    assert "PrimaryRegion" not in standalone
    primary = secretsmanager.describe_secret(SecretId="db")
    assert "ReplicationStatus" not in primary
    secretsmanager.delete_secret(SecretId="db", ForceDeleteWithoutRecovery=True)  # no replica left


def test_remove_regions_deletes_the_replica(secretsmanager: Any, replica_client: Any) -> None:
    replicated(secretsmanager)
    reply = secretsmanager.remove_regions_from_replication(
        SecretId="db", RemoveReplicaRegions=[REPLICA]
    )
    assert reply["ReplicationStatus"] == []
    with pytest.raises(replica_client.exceptions.ResourceNotFoundException):
        replica_client.describe_secret(SecretId="db")
    replica_client.create_secret(Name="db")  # the name is free there


def test_list_secrets_shows_replicas_in_their_region(
    secretsmanager: Any, replica_client: Any
) -> None:
    replicated(secretsmanager)
    replica_client.create_secret(Name="local")
    listed = {s["Name"]: s for s in replica_client.list_secrets()["SecretList"]}
    assert set(listed) == {"db", "local"}
    assert listed["db"]["PrimaryRegion"] == PRIMARY
    assert listed["db"]["Tags"] == [{"Key": "team", "Value": "core"}]
    filtered = replica_client.list_secrets(Filters=[{"Key": "primary-region", "Values": ["us-"]}])
    assert [s["Name"] for s in filtered["SecretList"]] == ["db"]
    tagged = replica_client.list_secrets(Filters=[{"Key": "tag-key", "Values": ["team"]}])
    assert [s["Name"] for s in tagged["SecretList"]] == ["db"]


def test_reading_a_replica_is_recorded_on_the_primary_status(
    secretsmanager: Any, replica_client: Any
) -> None:
    replicated(secretsmanager)
    replica_client.get_secret_value(SecretId="db")
    (status,) = secretsmanager.describe_secret(SecretId="db")["ReplicationStatus"]
    assert "LastAccessedDate" in status
    assert "LastAccessedDate" in replica_client.describe_secret(SecretId="db")


def test_rotating_the_primary_rotates_the_replicas(
    secretsmanager: Any, replica_client: Any, stubtags: Backend
) -> None:
    function = "arn:aws:lambda:us-east-1:123456789012:function:rotate"

    def rotate(event: dict[str, Any], context: Any) -> None:
        service = boto3.client("secretsmanager")
        if event["Step"] == "createSecret":
            service.put_secret_value(
                SecretId=event["SecretId"],
                ClientRequestToken=event["ClientRequestToken"],
                SecretString="rotated",
                VersionStages=["AWSPENDING"],
            )
        elif event["Step"] == "finishSecret":
            current = service.get_secret_value(SecretId=event["SecretId"])["VersionId"]
            service.update_secret_version_stage(
                SecretId=event["SecretId"],
                VersionStage="AWSCURRENT",
                MoveToVersionId=event["ClientRequestToken"],
                RemoveFromVersionId=current,
            )

    stubtags.register_lambda(function, rotate)
    replicated(secretsmanager)
    with pytest.raises(replica_client.exceptions.InvalidParameterException):
        replica_client.rotate_secret(SecretId="db", RotationLambdaARN=function)
    secretsmanager.rotate_secret(SecretId="db", RotationLambdaARN=function)
    assert replica_client.get_secret_value(SecretId="db")["SecretString"] == "rotated"


def test_snapshots_keep_replicas_reading_their_primary(
    secretsmanager: Any, replica_client: Any, stubtags: Backend
) -> None:
    replicated(secretsmanager)
    snapshot = stubtags.snapshot()
    stubtags.reset()
    stubtags.restore(snapshot)
    assert stubtags.snapshot() == snapshot
    secretsmanager.tag_resource(SecretId="db", Tags=[{"Key": "after", "Value": "restore"}])
    assert stubtags.tags("db", region=REPLICA) == {"team": "core", "after": "restore"}


def test_a_pickled_snapshot_keeps_replicas_reading_their_primary(
    secretsmanager: Any, replica_client: Any, stubtags: Backend
) -> None:
    # A suite may keep a prepared state on disk and load it in another process.
    replicated(secretsmanager)
    snapshot = pickle.loads(pickle.dumps(stubtags.snapshot()))
    assert snapshot == stubtags.snapshot()
    stubtags.reset()
    stubtags.restore(snapshot)
    secretsmanager.tag_resource(SecretId="db", Tags=[{"Key": "after", "Value": "pickle"}])
    assert stubtags.tags("db", region=REPLICA) == {"team": "core", "after": "pickle"}
    assert replica_client.describe_secret(SecretId="db")["PrimaryRegion"] == "us-east-1"
