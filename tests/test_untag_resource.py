"""UntagResource end to end through boto3: idempotent, order-keeping, system tags protected."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from stubtags import Backend

REGION = "us-east-1"
STACK_TAG = "aws:cloudformation:stack-name"
MARKED_FOR_DELETION = (
    "You can't perform this operation on the secret because it was marked for deletion."
)


@pytest.fixture
def client(stubtags: Backend) -> Any:
    return boto3.client("secretsmanager", region_name=REGION)


def tag_list(**tags: str) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags.items()]


def described_tags(client: Any, secret_id: str) -> list[tuple[str, str]]:
    reply = client.describe_secret(SecretId=secret_id)
    return [(tag["Key"], tag["Value"]) for tag in reply["Tags"]]


@pytest.fixture
def tagged(client: Any) -> str:
    """A secret named "app" with tags a, b, c, d in that order; returns its ARN."""
    arn: str = client.create_secret(Name="app", SecretString="x")["ARN"]
    client.tag_resource(SecretId="app", Tags=tag_list(a="1", b="2", c="3", d="4"))
    return arn


def test_removes_the_given_keys_and_returns_only_response_metadata(
    client: Any, tagged: str, stubtags: Backend
) -> None:
    response = client.untag_resource(SecretId="app", TagKeys=["b"])
    assert list(response) == ["ResponseMetadata"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert stubtags.tags("app") == {"a": "1", "c": "3", "d": "4"}


def test_remaining_tags_keep_their_order(client: Any, tagged: str) -> None:
    client.untag_resource(SecretId="app", TagKeys=["c", "a"])
    assert described_tags(client, "app") == [("b", "2"), ("d", "4")]
    client.tag_resource(SecretId="app", Tags=tag_list(a="new"))
    assert described_tags(client, "app") == [("b", "2"), ("d", "4"), ("a", "new")]


def test_absent_keys_are_ignored(client: Any, tagged: str) -> None:
    before = described_tags(client, "app")
    response = client.untag_resource(SecretId="app", TagKeys=["nope", "A", "also-missing"])
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert described_tags(client, "app") == before


def test_removing_twice_is_idempotent(client: Any, tagged: str) -> None:
    client.untag_resource(SecretId="app", TagKeys=["a"])
    client.untag_resource(SecretId="app", TagKeys=["a"])
    assert described_tags(client, "app") == [("b", "2"), ("c", "3"), ("d", "4")]


def test_keys_are_case_sensitive(client: Any) -> None:
    client.create_secret(Name="app")
    client.tag_resource(SecretId="app", Tags=tag_list(Env="Prod", env="prod"))
    client.untag_resource(SecretId="app", TagKeys=["ENV", "env"])
    assert described_tags(client, "app") == [("Env", "Prod")]


def test_removing_every_tag_leaves_an_empty_tags_list(client: Any, tagged: str) -> None:
    client.untag_resource(SecretId="app", TagKeys=["a", "b", "c", "d"])
    reply = client.describe_secret(SecretId="app")
    assert reply["Tags"] == []


def test_removal_updates_last_changed_date(client: Any, tagged: str) -> None:
    before = client.describe_secret(SecretId="app")["LastChangedDate"]
    client.untag_resource(SecretId="app", TagKeys=["a"])
    assert client.describe_secret(SecretId="app")["LastChangedDate"] > before


@pytest.mark.parametrize("secret_id", ["name", "arn", "partial-arn"])
def test_secret_may_be_named_by_name_arn_or_partial_arn(
    client: Any, tagged: str, secret_id: str
) -> None:
    ids = {"name": "app", "arn": tagged, "partial-arn": tagged[: -len("-XXXXXX")]}
    client.untag_resource(SecretId=ids[secret_id], TagKeys=["a"])
    assert [key for key, _ in described_tags(client, "app")] == ["b", "c", "d"]


@pytest.mark.parametrize("key", ["aws:team", "AWS:team", "Aws:team"])
def test_aws_prefixed_keys_are_refused_and_nothing_is_removed(
    client: Any, tagged: str, key: str
) -> None:
    before = client.describe_secret(SecretId="app")
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.untag_resource(SecretId="app", TagKeys=["a", key])
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    after = client.describe_secret(SecretId="app")
    assert after["Tags"] == before["Tags"]
    assert after["LastChangedDate"] == before["LastChangedDate"]


def test_existing_system_tag_cannot_be_removed(client: Any, tagged: str, stubtags: Backend) -> None:
    stubtags.add_system_tag("app", STACK_TAG, "my-stack")
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.untag_resource(SecretId="app", TagKeys=[STACK_TAG])
    error = excinfo.value.response["Error"]
    assert error["Code"] == "InvalidParameterException"
    assert error["Message"] == (
        "You can't modify system tags. Tag key: 'aws:cloudformation:stack-name'."
    )
    assert stubtags.tags("app")[STACK_TAG] == "my-stack"


def test_removing_all_user_tags_keeps_system_tags(
    client: Any, tagged: str, stubtags: Backend
) -> None:
    stubtags.add_system_tag("app", STACK_TAG, "my-stack")
    client.untag_resource(SecretId="app", TagKeys=["a", "b", "c", "d"])
    assert described_tags(client, "app") == [(STACK_TAG, "my-stack")]


def test_key_over_127_characters_is_a_validation_exception(client: Any, tagged: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.untag_resource(SecretId="app", TagKeys=["a", "k" * 128])
    assert excinfo.value.response["Error"]["Code"] == "ValidationException"
    assert [key for key, _ in described_tags(client, "app")] == ["a", "b", "c", "d"]


def test_secret_scheduled_for_deletion_is_refused(client: Any, tagged: str) -> None:
    client.delete_secret(SecretId="app", RecoveryWindowInDays=7)
    with pytest.raises(client.exceptions.InvalidRequestException) as excinfo:
        client.untag_resource(SecretId="app", TagKeys=["a"])
    error = excinfo.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("InvalidRequestException", MARKED_FOR_DELETION)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert [key for key, _ in described_tags(client, "app")] == ["a", "b", "c", "d"]


def test_missing_secret_is_not_found(client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.untag_resource(SecretId="nope", TagKeys=["a"])
    error = excinfo.value.response["Error"]
    assert error["Message"] == "Secrets Manager can't find the specified secret."
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_removed_slots_free_room_under_the_limit(client: Any) -> None:
    client.create_secret(Name="app")
    client.tag_resource(
        SecretId="app", Tags=[{"Key": f"k{i:02d}", "Value": "v"} for i in range(50)]
    )
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.tag_resource(SecretId="app", Tags=tag_list(extra="x"))
    client.untag_resource(SecretId="app", TagKeys=["k00"])
    client.tag_resource(SecretId="app", Tags=tag_list(extra="x"))
    tags = described_tags(client, "app")
    assert len(tags) == 50
    assert tags[-1] == ("extra", "x")
