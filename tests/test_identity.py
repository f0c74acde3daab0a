"""How a secret is named and found: names, ARNs, regions, accounts, partitions, system tags."""

from __future__ import annotations

import string
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from stubtags import Backend, mock_tags

REGION = "us-east-1"
ALPHABET = string.ascii_letters + string.digits + "/_+=.@-!"
INVALID_NAME = (
    "Invalid name. Must be a valid name containing alphanumeric characters, "
    "or any of the following: -/_+=.@!"
)
NOT_FOUND = "Secrets Manager can't find the specified secret."
STACK_KEY = "aws:cloudformation:stack-name"


def sm(region: str = REGION) -> Any:
    return boto3.client("secretsmanager", region_name=region)


def error_of(error: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    body = error.value.response["Error"]
    return str(body["Code"]), str(body["Message"])


def tags_of(client: Any, secret_id: str) -> dict[str, str]:
    described = client.describe_secret(SecretId=secret_id)
    return {tag["Key"]: tag["Value"] for tag in described.get("Tags", [])}


# -------------------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    "name",
    ["a", "Z", "0", "-", "!", ALPHABET, "x" * 512, "path/to/my_secret+v=1.0@prod-db!"],
)
def test_names_from_the_alphabet_up_to_512_chars(client: Any, name: str) -> None:
    arn = client.create_secret(Name=name, SecretString="v")["ARN"]
    assert client.describe_secret(SecretId=name)["Name"] == name
    assert client.describe_secret(SecretId=arn)["Name"] == name
    client.tag_resource(SecretId=name, Tags=[{"Key": "k", "Value": "v"}])
    assert tags_of(client, name) == {"k": "v"}


def test_name_of_513_chars_is_refused(client: Any) -> None:
    with pytest.raises(ClientError) as error:
        client.create_secret(Name="x" * 513, SecretString="v")
    assert error_of(error)[0] == "ValidationException"
    assert client.list_secrets()["SecretList"] == []


@pytest.mark.parametrize("name", ["with space", "hash#", "star*", "comma,", "caf\u00e9", "a$b"])
def test_name_outside_the_alphabet_is_refused_on_create(client: Any, name: str) -> None:
    with pytest.raises(ClientError) as error:
        client.create_secret(Name=name, SecretString="v")
    assert error_of(error) == ("ValidationException", INVALID_NAME)
    assert client.list_secrets()["SecretList"] == []


@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        ("describe_secret", {}),
        ("get_secret_value", {}),
        ("tag_resource", {"Tags": [{"Key": "k", "Value": "v"}]}),
        ("untag_resource", {"TagKeys": ["k"]}),
        ("delete_secret", {}),
        ("update_secret", {"Description": "d"}),
    ],
)
def test_secret_id_outside_the_alphabet_is_refused(
    client: Any, operation: str, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(ClientError) as error:
        getattr(client, operation)(SecretId="bad name", **kwargs)
    assert error_of(error) == ("ValidationException", INVALID_NAME)


def test_missing_secret_message(client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException) as error:
        client.describe_secret(SecretId="nowhere")
    assert error_of(error) == ("ResourceNotFoundException", NOT_FOUND)
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


# --------------------------------------------------------------------------------------- ARNs


def test_arn_shape(client: Any) -> None:
    arn = client.create_secret(Name="app/db", SecretString="v")["ARN"]
    prefix = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-"
    assert arn.startswith(prefix)
    suffix = arn[len(prefix) :]
    assert len(suffix) == 6
    assert suffix.isalnum()
    assert suffix.isascii()


def test_full_and_partial_arn_find_the_secret(client: Any) -> None:
    arn = client.create_secret(Name="app/db", SecretString="v")["ARN"]
    partial = arn[: -len("-XXXXXX")]
    assert partial.endswith(":secret:app/db")
    for secret_id in ("app/db", arn, partial):
        assert client.describe_secret(SecretId=secret_id)["ARN"] == arn
        assert client.get_secret_value(SecretId=secret_id)["SecretString"] == "v"
    client.tag_resource(SecretId=partial, Tags=[{"Key": "via", "Value": "partial"}])
    client.tag_resource(SecretId=arn, Tags=[{"Key": "also", "Value": "full"}])
    assert tags_of(client, "app/db") == {"via": "partial", "also": "full"}


def test_full_arn_with_a_wrong_suffix_is_not_found(client: Any) -> None:
    arn = client.create_secret(Name="app", SecretString="v")["ARN"]
    wrong = arn[:-6] + ("AAAAAA" if not arn.endswith("AAAAAA") else "BBBBBB")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_secret(SecretId=wrong)


def test_partial_arn_of_a_name_ending_like_a_suffix_is_not_found(client: Any) -> None:
    """The documented pitfall: `name-abcdef` reads as a full ARN of `name`."""
    arn = client.create_secret(Name="my-secret-abcdef", SecretString="v")["ARN"]
    partial = arn[: -len("-XXXXXX")]
    assert partial.endswith(":secret:my-secret-abcdef")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_secret(SecretId=partial)
    # The name and the full ARN still work.
    assert client.describe_secret(SecretId="my-secret-abcdef")["ARN"] == arn
    assert client.describe_secret(SecretId=arn)["ARN"] == arn


def test_partial_arn_with_a_shorter_tail_is_fine(client: Any) -> None:
    arn = client.create_secret(Name="my-secret-abc", SecretString="v")["ARN"]
    assert client.describe_secret(SecretId=arn[: -len("-XXXXXX")])["ARN"] == arn


@pytest.mark.parametrize(
    ("part", "replacement"),
    [(1, "aws-cn"), (3, "eu-west-1"), (4, "210987654321")],
    ids=["partition", "region", "account"],
)
def test_arn_of_another_partition_region_or_account_is_not_found(
    client: Any, part: int, replacement: str
) -> None:
    arn = client.create_secret(Name="app", SecretString="v")["ARN"]
    parts = arn.split(":")
    parts[part] = replacement
    foreign = ":".join(parts)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_secret(SecretId=foreign)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.tag_resource(SecretId=foreign, Tags=[{"Key": "k", "Value": "v"}])
    partial = foreign[: -len("-XXXXXX")]
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_secret(SecretId=partial)
    assert "Tags" not in client.describe_secret(SecretId=arn)


# ------------------------------------------------------------------------------------ regions


def test_same_name_in_two_regions_is_two_secrets(client: Any) -> None:
    west = sm("eu-west-1")
    east_arn = client.create_secret(Name="shared", SecretString="east")["ARN"]
    west_arn = west.create_secret(Name="shared", SecretString="west")["ARN"]
    assert east_arn != west_arn
    assert ":us-east-1:" in east_arn
    assert ":eu-west-1:" in west_arn
    assert client.get_secret_value(SecretId="shared")["SecretString"] == "east"
    assert west.get_secret_value(SecretId="shared")["SecretString"] == "west"

    client.tag_resource(SecretId="shared", Tags=[{"Key": "side", "Value": "east"}])
    assert "Tags" not in west.describe_secret(SecretId="shared")
    client.delete_secret(SecretId="shared", ForceDeleteWithoutRecovery=True)
    assert west.describe_secret(SecretId="shared")["ARN"] == west_arn

    with pytest.raises(west.exceptions.ResourceNotFoundException):
        west.describe_secret(SecretId=east_arn)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_secret(SecretId=west_arn)


def test_a_secret_is_invisible_from_another_region(client: Any) -> None:
    client.create_secret(Name="only-east", SecretString="v")
    west = sm("eu-west-1")
    with pytest.raises(west.exceptions.ResourceNotFoundException):
        west.describe_secret(SecretId="only-east")
    assert west.list_secrets()["SecretList"] == []


@pytest.mark.parametrize(
    ("region", "partition"),
    [
        ("cn-north-1", "aws-cn"),
        ("cn-northwest-1", "aws-cn"),
        ("us-gov-west-1", "aws-us-gov"),
        ("eu-central-1", "aws"),
    ],
)
def test_partition_follows_the_region(stubtags: Backend, region: str, partition: str) -> None:
    regional = sm(region)
    arn = regional.create_secret(Name="p", SecretString="v")["ARN"]
    assert arn.startswith(f"arn:{partition}:secretsmanager:{region}:123456789012:secret:p-")
    assert regional.describe_secret(SecretId=arn)["Name"] == "p"
    assert regional.describe_secret(SecretId=arn[: -len("-XXXXXX")])["ARN"] == arn
    aws_arn = arn.replace(f"arn:{partition}:", "arn:aws:", 1)
    if aws_arn != arn:
        with pytest.raises(regional.exceptions.ResourceNotFoundException):
            regional.describe_secret(SecretId=aws_arn)


# ----------------------------------------------------------------------------------- accounts


def test_account_id_goes_into_arns() -> None:
    with mock_tags(account_id="111111111111") as backend:
        client = sm()
        arn = client.create_secret(Name="acct", SecretString="v")["ARN"]
        assert arn.startswith("arn:aws:secretsmanager:us-east-1:111111111111:secret:acct-")
        assert backend.account_id == "111111111111"
        assert backend.names() == ["acct"]
        default_account_arn = arn.replace(":111111111111:", ":123456789012:")
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.describe_secret(SecretId=default_account_arn)


def test_nested_mocks_of_two_accounts_keep_their_secrets_apart() -> None:
    with mock_tags() as outer:
        client = sm()
        home = client.create_secret(Name="same", SecretString="home")["ARN"]
        with mock_tags(account_id="111111111111") as inner:
            assert client.list_secrets()["SecretList"] == []
            other = client.create_secret(Name="same", SecretString="other")["ARN"]
            assert ":111111111111:" in other
            assert client.get_secret_value(SecretId="same")["SecretString"] == "other"
            assert inner.names() == ["same"]
        assert client.get_secret_value(SecretId="same")["SecretString"] == "home"
        assert client.describe_secret(SecretId="same")["ARN"] == home
        assert outer.names() == ["same"]


def test_invalid_account_id_is_refused() -> None:
    for bad in ("123", "abcdefghijkl", "1234567890123"):
        with pytest.raises(ValueError):
            mock_tags(account_id=bad)


# -------------------------------------------------------------------------------- system tags


def test_system_tag_is_visible(client: Any, stubtags: Backend) -> None:
    client.create_secret(Name="s", SecretString="v", Tags=[{"Key": "team", "Value": "core"}])
    stubtags.add_system_tag("s", STACK_KEY, "my-stack")
    assert tags_of(client, "s") == {"team": "core", STACK_KEY: "my-stack"}
    assert stubtags.tags("s") == {"team": "core", STACK_KEY: "my-stack"}


@pytest.mark.parametrize("value", ["my-stack", "other"])
def test_users_cannot_change_a_system_tag(client: Any, stubtags: Backend, value: str) -> None:
    client.create_secret(Name="s", SecretString="v")
    stubtags.add_system_tag("s", STACK_KEY, "my-stack")
    with pytest.raises(client.exceptions.InvalidParameterException) as error:
        client.tag_resource(SecretId="s", Tags=[{"Key": STACK_KEY, "Value": value}])
    assert error_of(error)[1] == f"You can't modify system tags. Tag key: '{STACK_KEY}'."
    assert tags_of(client, "s") == {STACK_KEY: "my-stack"}


def test_users_cannot_remove_a_system_tag(client: Any, stubtags: Backend) -> None:
    client.create_secret(Name="s", SecretString="v", Tags=[{"Key": "team", "Value": "core"}])
    stubtags.add_system_tag("s", STACK_KEY, "my-stack")
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.untag_resource(SecretId="s", TagKeys=["team", STACK_KEY])
    # Nothing was removed, not even the user tag named in the same call.
    assert tags_of(client, "s") == {"team": "core", STACK_KEY: "my-stack"}
    client.untag_resource(SecretId="s", TagKeys=["team"])
    assert tags_of(client, "s") == {STACK_KEY: "my-stack"}


def test_system_tags_do_not_count_toward_fifty(client: Any, stubtags: Backend) -> None:
    client.create_secret(Name="s", SecretString="v")
    stubtags.add_system_tag("s", STACK_KEY, "my-stack")
    stubtags.add_system_tag("s", "aws:cloudformation:logical-id", "Secret")
    fifty = [{"Key": f"k{n}", "Value": "v"} for n in range(50)]
    client.tag_resource(SecretId="s", Tags=fifty)
    assert len(tags_of(client, "s")) == 52
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.tag_resource(SecretId="s", Tags=[{"Key": "k50", "Value": "v"}])
    assert len(tags_of(client, "s")) == 52


def test_system_tags_seeded_with_create_secret(client: Any, stubtags: Backend) -> None:
    arn = stubtags.create_secret(
        "seeded", tags={"team": "core"}, system_tags={STACK_KEY: "stack-1"}
    )
    assert tags_of(client, arn) == {"team": "core", STACK_KEY: "stack-1"}
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.untag_resource(SecretId=arn, TagKeys=[STACK_KEY])


def test_add_system_tag_requires_the_aws_prefix(client: Any, stubtags: Backend) -> None:
    client.create_secret(Name="s", SecretString="v")
    with pytest.raises(ValueError, match="aws:"):
        stubtags.add_system_tag("s", "team", "core")
    assert "Tags" not in client.describe_secret(SecretId="s")


def test_users_cannot_add_aws_prefixed_keys(client: Any) -> None:
    client.create_secret(Name="s", SecretString="v")
    for key in ("aws:mine", "AWS:mine", "Aws:mine"):
        with pytest.raises(client.exceptions.InvalidParameterException):
            client.tag_resource(SecretId="s", Tags=[{"Key": key, "Value": "v"}])
    assert "Tags" not in client.describe_secret(SecretId="s")
