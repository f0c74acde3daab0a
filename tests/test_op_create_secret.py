"""CreateSecret end to end through boto3: which names are valid, what is created, the tags
given at creation (the TagResource rules apply), and the idempotent ClientRequestToken.

Creating a secret under the name of one scheduled for deletion is in
test_op_delete_and_restore_secret.py.
"""

from __future__ import annotations

import string
from typing import Any

import pytest
from botocore.exceptions import ClientError

from stubtags import Backend
from tests.helpers import (
    INVALID_NAME_MESSAGE,
    REGION,
    described_tags,
    error_code,
    error_of,
    numbered_tags,
    request_token,
    stages_of,
    tag_list,
)

# --- names ------------------------------------------------------------------------------------


ALPHABET = string.ascii_letters + string.digits + "/_+=.@-!"


@pytest.mark.parametrize(
    "name",
    ["a", "Z", "0", "-", "!", ALPHABET, "x" * 512, "path/to/my_secret+v=1.0@prod-db!"],
)
def test_names_from_the_alphabet_up_to_512_chars(secretsmanager: Any, name: str) -> None:
    arn = secretsmanager.create_secret(Name=name, SecretString="v")["ARN"]
    assert secretsmanager.describe_secret(SecretId=name)["Name"] == name
    assert secretsmanager.describe_secret(SecretId=arn)["Name"] == name
    secretsmanager.tag_resource(SecretId=name, Tags=[{"Key": "k", "Value": "v"}])
    assert dict(described_tags(secretsmanager, name)) == {"k": "v"}


def test_name_of_513_chars_is_refused(secretsmanager: Any) -> None:
    with pytest.raises(ClientError) as error:
        secretsmanager.create_secret(Name="x" * 513, SecretString="v")
    assert error_code(error) == "ValidationException"
    assert secretsmanager.list_secrets()["SecretList"] == []


@pytest.mark.parametrize("name", ["with space", "hash#", "star*", "comma,", "caf\u00e9", "a$b"])
def test_name_outside_the_alphabet_is_refused_on_create(secretsmanager: Any, name: str) -> None:
    with pytest.raises(ClientError) as error:
        secretsmanager.create_secret(Name=name, SecretString="v")
    assert error_of(error) == ("ValidationException", INVALID_NAME_MESSAGE, 400)
    assert secretsmanager.list_secrets()["SecretList"] == []


# --- what is created --------------------------------------------------------------------------


def test_create_duplicate_name_is_refused(secretsmanager: Any) -> None:
    arn = secretsmanager.create_secret(Name="dup", SecretString="first")["ARN"]
    with pytest.raises(secretsmanager.exceptions.ResourceExistsException):
        secretsmanager.create_secret(Name="dup", SecretString="second")
    assert secretsmanager.describe_secret(SecretId="dup")["ARN"] == arn
    assert secretsmanager.get_secret_value(SecretId="dup")["SecretString"] == "first"


def test_create_without_a_value_has_no_versions(secretsmanager: Any) -> None:
    reply = secretsmanager.create_secret(Name="empty")
    assert "VersionId" not in reply
    assert "VersionIdsToStages" not in secretsmanager.describe_secret(SecretId="empty")
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.get_secret_value(SecretId="empty")


def test_create_returns_version_id_that_holds_awscurrent(secretsmanager: Any) -> None:
    reply = secretsmanager.create_secret(
        Name="s", SecretString="v", Description="d", KmsKeyId="alias/k"
    )
    described = secretsmanager.describe_secret(SecretId="s")
    assert described["VersionIdsToStages"] == {reply["VersionId"]: ["AWSCURRENT"]}
    assert described["Description"] == "d"
    assert described["KmsKeyId"] == "alias/k"


@pytest.mark.parametrize("operation", ["create_secret", "update_secret", "put_secret_value"])
def test_string_and_binary_together_are_refused(secretsmanager: Any, operation: str) -> None:
    secretsmanager.create_secret(Name="s", SecretString="v")
    target = {"Name": "s2"} if operation == "create_secret" else {"SecretId": "s"}
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException):
        getattr(secretsmanager, operation)(**target, SecretString="x", SecretBinary=b"x")
    assert secretsmanager.get_secret_value(SecretId="s")["SecretString"] == "v"
    assert len(stages_of(secretsmanager, "s")) == 1
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.describe_secret(SecretId="s2")


# --- tags given at creation -------------------------------------------------------------------


def test_create_secret_with_fifty_tags_is_accepted(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="app", Tags=tag_list(numbered_tags(50)))
    assert described_tags(secretsmanager, "app") == list(numbered_tags(50).items())


def test_create_secret_with_fifty_one_tags_is_refused_and_creates_nothing(
    secretsmanager: Any, stubtags: Backend
) -> None:
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException):
        secretsmanager.create_secret(Name="app", Tags=tag_list(numbered_tags(51)))
    assert stubtags.names(REGION) == []
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.describe_secret(SecretId="app")


def test_create_secret_stores_a_duplicated_key_once(secretsmanager: Any) -> None:
    secretsmanager.create_secret(
        Name="app",
        Tags=[
            {"Key": "team", "Value": "a"},
            {"Key": "env", "Value": "dev"},
            {"Key": "team", "Value": "b"},
        ],
    )
    tags = described_tags(secretsmanager, "app")
    assert [key for key, _ in tags] == ["team", "env"]
    assert dict(tags)["team"] == "b"


@pytest.mark.parametrize(
    ("tags", "code"),
    [
        ([{"Key": "aws:team", "Value": "x"}], "InvalidParameterException"),
        ([{"Key": "team", "Value": "AWS:x"}], "InvalidParameterException"),
        ([{"Key": "k" * 128, "Value": "x"}], "ValidationException"),
        ([{"Key": "k", "Value": "v" * 256}], "ValidationException"),
    ],
    ids=["aws-key", "aws-value", "key-128", "value-256"],
)
def test_create_secret_tags_obey_the_tag_rules(
    secretsmanager: Any, stubtags: Backend, tags: list[dict[str, str]], code: str
) -> None:
    with pytest.raises(ClientError) as excinfo:
        secretsmanager.create_secret(Name="app", Tags=tags)
    assert error_code(excinfo) == code
    assert stubtags.names(REGION) == []


# --- ClientRequestToken -----------------------------------------------------------------------


def test_create_secret_retry_with_same_token_and_value_is_ignored(secretsmanager: Any) -> None:
    """Documented: a repeated CreateSecret with the same token and value is ignored."""
    request = request_token()
    first = secretsmanager.create_secret(Name="s", SecretString="v", ClientRequestToken=request)
    again = secretsmanager.create_secret(Name="s", SecretString="v", ClientRequestToken=request)
    assert again["ARN"] == first["ARN"]
    assert again["VersionId"] == first["VersionId"] == request
    assert stages_of(secretsmanager, "s") == {request: ["AWSCURRENT"]}


def test_create_secret_same_token_other_value_is_refused(secretsmanager: Any) -> None:
    request = request_token()
    secretsmanager.create_secret(Name="s", SecretString="v", ClientRequestToken=request)
    with pytest.raises(secretsmanager.exceptions.ResourceExistsException):
        secretsmanager.create_secret(Name="s", SecretString="other", ClientRequestToken=request)
    assert secretsmanager.get_secret_value(SecretId="s")["SecretString"] == "v"
    assert stages_of(secretsmanager, "s") == {request: ["AWSCURRENT"]}


def test_a_token_is_the_version_id(secretsmanager: Any) -> None:
    request = request_token()
    reply = secretsmanager.create_secret(Name="s", SecretString="v", ClientRequestToken=request)
    assert reply["VersionId"] == request
    assert secretsmanager.get_secret_value(SecretId="s", VersionId=request)["SecretString"] == "v"
