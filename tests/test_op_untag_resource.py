"""UntagResource end to end through boto3: idempotent, order-keeping, system tags protected.

What UntagResource does to a secret scheduled for deletion is in
test_op_delete_and_restore_secret.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from stubtags import Backend
from tests.helpers import (
    STACK_TAG,
    described_tags,
    partial_arn,
    system_tag_message,
    tag_list,
)


@pytest.fixture
def tagged(secretsmanager: Any) -> str:
    """A secret named "app" with tags a, b, c, d in that order; returns its ARN."""
    arn: str = secretsmanager.create_secret(Name="app", SecretString="x")["ARN"]
    secretsmanager.tag_resource(
        SecretId="app", Tags=tag_list({"a": "1", "b": "2", "c": "3", "d": "4"})
    )
    return arn


# --- removing keys ----------------------------------------------------------------------------


def test_removes_the_given_keys_and_returns_only_response_metadata(
    secretsmanager: Any, tagged: str, stubtags: Backend
) -> None:
    response = secretsmanager.untag_resource(SecretId="app", TagKeys=["b"])
    assert list(response) == ["ResponseMetadata"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert stubtags.tags("app") == {"a": "1", "c": "3", "d": "4"}


def test_remaining_tags_keep_their_order(secretsmanager: Any, tagged: str) -> None:
    secretsmanager.untag_resource(SecretId="app", TagKeys=["c", "a"])
    assert described_tags(secretsmanager, "app") == [("b", "2"), ("d", "4")]
    secretsmanager.tag_resource(SecretId="app", Tags=tag_list({"a": "new"}))
    assert described_tags(secretsmanager, "app") == [("b", "2"), ("d", "4"), ("a", "new")]


def test_absent_keys_are_ignored(secretsmanager: Any, tagged: str) -> None:
    before = described_tags(secretsmanager, "app")
    response = secretsmanager.untag_resource(SecretId="app", TagKeys=["nope", "A", "also-missing"])
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert described_tags(secretsmanager, "app") == before


def test_removing_twice_is_idempotent(secretsmanager: Any, tagged: str) -> None:
    secretsmanager.untag_resource(SecretId="app", TagKeys=["a"])
    secretsmanager.untag_resource(SecretId="app", TagKeys=["a"])
    assert described_tags(secretsmanager, "app") == [("b", "2"), ("c", "3"), ("d", "4")]


def test_keys_are_case_sensitive(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="app")
    secretsmanager.tag_resource(SecretId="app", Tags=tag_list({"Env": "Prod", "env": "prod"}))
    secretsmanager.untag_resource(SecretId="app", TagKeys=["ENV", "env"])
    assert described_tags(secretsmanager, "app") == [("Env", "Prod")]


def test_removing_every_tag_leaves_an_empty_tags_list(secretsmanager: Any, tagged: str) -> None:
    secretsmanager.untag_resource(SecretId="app", TagKeys=["a", "b", "c", "d"])
    reply = secretsmanager.describe_secret(SecretId="app")
    assert reply["Tags"] == []


def test_removal_updates_last_changed_date(secretsmanager: Any, tagged: str) -> None:
    before = secretsmanager.describe_secret(SecretId="app")["LastChangedDate"]
    secretsmanager.untag_resource(SecretId="app", TagKeys=["a"])
    assert secretsmanager.describe_secret(SecretId="app")["LastChangedDate"] > before


@pytest.mark.parametrize("secret_id", ["name", "arn", "partial-arn"])
def test_secret_may_be_named_by_name_arn_or_partial_arn(
    secretsmanager: Any, tagged: str, secret_id: str
) -> None:
    ids = {"name": "app", "arn": tagged, "partial-arn": partial_arn(tagged)}
    secretsmanager.untag_resource(SecretId=ids[secret_id], TagKeys=["a"])
    assert [key for key, _ in described_tags(secretsmanager, "app")] == ["b", "c", "d"]


def test_removed_slots_free_room_under_the_limit(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="app")
    secretsmanager.tag_resource(
        SecretId="app", Tags=[{"Key": f"k{i:02d}", "Value": "v"} for i in range(50)]
    )
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException):
        secretsmanager.tag_resource(SecretId="app", Tags=tag_list({"extra": "x"}))
    secretsmanager.untag_resource(SecretId="app", TagKeys=["k00"])
    secretsmanager.tag_resource(SecretId="app", Tags=tag_list({"extra": "x"}))
    tags = described_tags(secretsmanager, "app")
    assert len(tags) == 50
    assert tags[-1] == ("extra", "x")


# --- the aws: prefix and system tags ----------------------------------------------------------


@pytest.mark.parametrize("key", ["aws:team", "AWS:team", "Aws:team"])
def test_aws_prefixed_keys_are_refused_and_nothing_is_removed(
    secretsmanager: Any, tagged: str, key: str
) -> None:
    before = secretsmanager.describe_secret(SecretId="app")
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException) as excinfo:
        secretsmanager.untag_resource(SecretId="app", TagKeys=["a", key])
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    after = secretsmanager.describe_secret(SecretId="app")
    assert after["Tags"] == before["Tags"]
    assert after["LastChangedDate"] == before["LastChangedDate"]


def test_existing_system_tag_cannot_be_removed(
    secretsmanager: Any, tagged: str, stubtags: Backend
) -> None:
    stubtags.add_system_tag("app", STACK_TAG, "my-stack")
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException) as excinfo:
        secretsmanager.untag_resource(SecretId="app", TagKeys=[STACK_TAG])
    error = excinfo.value.response["Error"]
    assert error["Code"] == "InvalidParameterException"
    assert error["Message"] == (system_tag_message(STACK_TAG))
    assert stubtags.tags("app")[STACK_TAG] == "my-stack"


def test_users_cannot_remove_a_system_tag(secretsmanager: Any, stubtags: Backend) -> None:
    secretsmanager.create_secret(
        Name="s", SecretString="v", Tags=[{"Key": "team", "Value": "core"}]
    )
    stubtags.add_system_tag("s", STACK_TAG, "my-stack")
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException):
        secretsmanager.untag_resource(SecretId="s", TagKeys=["team", STACK_TAG])
    # Nothing was removed, not even the user tag named in the same call.
    assert dict(described_tags(secretsmanager, "s")) == {"team": "core", STACK_TAG: "my-stack"}
    secretsmanager.untag_resource(SecretId="s", TagKeys=["team"])
    assert dict(described_tags(secretsmanager, "s")) == {STACK_TAG: "my-stack"}


def test_removing_all_user_tags_keeps_system_tags(
    secretsmanager: Any, tagged: str, stubtags: Backend
) -> None:
    stubtags.add_system_tag("app", STACK_TAG, "my-stack")
    secretsmanager.untag_resource(SecretId="app", TagKeys=["a", "b", "c", "d"])
    assert described_tags(secretsmanager, "app") == [(STACK_TAG, "my-stack")]


# --- errors -----------------------------------------------------------------------------------


def test_key_over_127_characters_is_a_validation_exception(
    secretsmanager: Any, tagged: str
) -> None:
    with pytest.raises(ClientError) as excinfo:
        secretsmanager.untag_resource(SecretId="app", TagKeys=["a", "k" * 128])
    assert excinfo.value.response["Error"]["Code"] == "ValidationException"
    assert [key for key, _ in described_tags(secretsmanager, "app")] == ["a", "b", "c", "d"]


def test_missing_secret_is_not_found(secretsmanager: Any) -> None:
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException) as excinfo:
        secretsmanager.untag_resource(SecretId="nope", TagKeys=["a"])
    error = excinfo.value.response["Error"]
    assert error["Message"] == "Secrets Manager can't find the specified secret."
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
