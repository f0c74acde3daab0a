"""TagResource end to end through boto3: every rule of the seed page and the facts page.

Each test drives a real boto3 client whose calls stubtags answers in memory, and
checks the result the way a user would: by the reply, by DescribeSecret, and by the
backend handle. Rejected calls are always checked for leaving the secret untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from stubtags import Backend

REGION = "us-east-1"
OTHER_REGION = "eu-west-1"

# The service's own wording, written out here rather than imported, so a change of
# message in stubtags is caught.
NOT_FOUND = "Secrets Manager can't find the specified secret."
MARKED_FOR_DELETION = (
    "You can't perform this operation on the secret because it was marked for deletion."
)
INVALID_NAME = (
    "Invalid name. Must be a valid name containing alphanumeric characters, "
    "or any of the following: -/_+=.@!"
)
STACK_TAG = "aws:cloudformation:stack-name"


def tag_list(**tags: str) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags.items()]


def wire(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags.items()]


def described_tags(client: Any, secret_id: str) -> list[tuple[str, str]]:
    """The secret's tags as DescribeSecret lists them, in order."""
    reply = client.describe_secret(SecretId=secret_id)
    return [(tag["Key"], tag["Value"]) for tag in reply["Tags"]]


def numbered(count: int, prefix: str = "k") -> dict[str, str]:
    return {f"{prefix}{i:02d}": f"v{i}" for i in range(count)}


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str, int]:
    response = excinfo.value.response
    return (
        response["Error"]["Code"],
        response["Error"]["Message"],
        response["ResponseMetadata"]["HTTPStatusCode"],
    )


# --- the seed's example and the basic reply ---------------------------------------------------


def test_seed_example_attaches_two_tags_and_returns_only_response_metadata(client: Any) -> None:
    client.create_secret(Name="MyExampleSecret", SecretString="s3cr3t")

    response = client.tag_resource(
        SecretId="MyExampleSecret",
        Tags=[
            {"Key": "FirstTag", "Value": "SomeValue"},
            {"Key": "SecondTag", "Value": "AnotherValue"},
        ],
    )

    assert list(response) == ["ResponseMetadata"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert described_tags(client, "MyExampleSecret") == [
        ("FirstTag", "SomeValue"),
        ("SecondTag", "AnotherValue"),
    ]


def test_backend_handle_sees_the_tags_set_through_boto3(client: Any, stubtags: Backend) -> None:
    client.create_secret(Name="db")
    client.tag_resource(SecretId="db", Tags=tag_list(team="core", env="prod"))
    assert stubtags.tags("db") == {"team": "core", "env": "prod"}
    assert list(stubtags.tags("db")) == ["team", "env"]


def test_never_tagged_secret_has_no_tags_member(client: Any) -> None:
    client.create_secret(Name="plain")
    assert "Tags" not in client.describe_secret(SecretId="plain")


# --- upsert, order, case ---------------------------------------------------------------------


def test_existing_key_is_replaced_in_place_and_new_keys_are_appended(client: Any) -> None:
    client.create_secret(Name="app")
    client.tag_resource(SecretId="app", Tags=tag_list(a="1", b="2", c="3"))

    client.tag_resource(SecretId="app", Tags=tag_list(d="4", b="20"))

    assert described_tags(client, "app") == [("a", "1"), ("b", "20"), ("c", "3"), ("d", "4")]


def test_same_key_twice_in_one_call_is_stored_once(client: Any) -> None:
    client.create_secret(Name="app")
    client.tag_resource(
        SecretId="app",
        Tags=[
            {"Key": "x", "Value": "first"},
            {"Key": "y", "Value": "y"},
            {"Key": "x", "Value": "second"},
        ],
    )
    tags = described_tags(client, "app")
    assert [key for key, _ in tags] == ["x", "y"]
    assert dict(tags)["x"] == "second"


def test_keys_are_case_sensitive(client: Any) -> None:
    client.create_secret(Name="app")
    client.tag_resource(SecretId="app", Tags=tag_list(Env="Prod"))
    client.tag_resource(SecretId="app", Tags=tag_list(env="prod"))
    assert described_tags(client, "app") == [("Env", "Prod"), ("env", "prod")]


def test_values_are_case_sensitive_and_stored_verbatim(client: Any) -> None:
    client.create_secret(Name="app")
    client.tag_resource(SecretId="app", Tags=tag_list(owner="Team-A"))
    client.tag_resource(SecretId="app", Tags=tag_list(owner="team-a"))
    assert described_tags(client, "app") == [("owner", "team-a")]


def test_empty_value_is_accepted(client: Any) -> None:
    client.create_secret(Name="app")
    client.tag_resource(SecretId="app", Tags=tag_list(flag=""))
    assert described_tags(client, "app") == [("flag", "")]


def test_last_changed_date_increases_after_tagging(client: Any) -> None:
    client.create_secret(Name="app")
    before = client.describe_secret(SecretId="app")["LastChangedDate"]
    client.tag_resource(SecretId="app", Tags=tag_list(a="1"))
    after_first = client.describe_secret(SecretId="app")["LastChangedDate"]
    client.tag_resource(SecretId="app", Tags=tag_list(a="2"))
    after_upsert = client.describe_secret(SecretId="app")["LastChangedDate"]
    assert before < after_first < after_upsert


# --- the 50-tag limit ------------------------------------------------------------------------


def test_exactly_fifty_tags_in_one_call_are_accepted(client: Any) -> None:
    client.create_secret(Name="app")
    client.tag_resource(SecretId="app", Tags=wire(numbered(50)))
    assert len(described_tags(client, "app")) == 50


def test_fifty_one_tags_in_one_call_are_refused_and_nothing_is_applied(
    client: Any, stubtags: Backend
) -> None:
    client.create_secret(Name="app")
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.tag_resource(SecretId="app", Tags=wire(numbered(51)))
    assert error_of(excinfo)[0] == "InvalidParameterException"
    assert error_of(excinfo)[2] == 400
    assert "Tags" not in client.describe_secret(SecretId="app")
    assert stubtags.tags("app") == {}


def test_fifty_first_tag_is_refused_and_state_and_date_are_unchanged(client: Any) -> None:
    client.create_secret(Name="app")
    client.tag_resource(SecretId="app", Tags=wire(numbered(50)))
    before = client.describe_secret(SecretId="app")

    with pytest.raises(client.exceptions.InvalidParameterException):
        client.tag_resource(SecretId="app", Tags=tag_list(one_more="x"))

    after = client.describe_secret(SecretId="app")
    assert after["Tags"] == before["Tags"]
    assert after["LastChangedDate"] == before["LastChangedDate"]


def test_over_limit_call_applies_none_of_its_upserts_either(client: Any) -> None:
    client.create_secret(Name="app")
    client.tag_resource(SecretId="app", Tags=wire(numbered(49)))
    before = client.describe_secret(SecretId="app")

    # One upsert of an existing key plus two new keys: 51 in all, so all of it is refused.
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.tag_resource(
            SecretId="app", Tags=[*tag_list(k00="changed"), *tag_list(new1="a", new2="b")]
        )

    after = client.describe_secret(SecretId="app")
    assert after["Tags"] == before["Tags"]
    assert dict(described_tags(client, "app"))["k00"] == "v0"
    assert after["LastChangedDate"] == before["LastChangedDate"]


def test_upserting_existing_keys_at_fifty_is_allowed(client: Any) -> None:
    client.create_secret(Name="app")
    client.tag_resource(SecretId="app", Tags=wire(numbered(50)))

    client.tag_resource(SecretId="app", Tags=tag_list(k00="new0", k49="new49"))

    tags = described_tags(client, "app")
    assert len(tags) == 50
    assert tags[0] == ("k00", "new0")
    assert tags[-1] == ("k49", "new49")


def test_system_tags_do_not_count_toward_fifty(client: Any, stubtags: Backend) -> None:
    client.create_secret(Name="app")
    stubtags.add_system_tag("app", STACK_TAG, "my-stack")
    stubtags.add_system_tag("app", "aws:cloudformation:logical-id", "Secret")

    client.tag_resource(SecretId="app", Tags=wire(numbered(50)))

    tags = described_tags(client, "app")
    assert len(tags) == 52
    assert tags[0] == (STACK_TAG, "my-stack")
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.tag_resource(SecretId="app", Tags=tag_list(extra="x"))
    assert len(described_tags(client, "app")) == 52


# --- key and value lengths -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("k" * 127, "v"),
        ("€" * 127, "v"),
        ("k", "v" * 255),
        ("k", "€" * 255),
    ],
    ids=["key-127", "key-127-euro", "value-255", "value-255-euro"],
)
def test_lengths_at_the_limit_are_accepted(client: Any, key: str, value: str) -> None:
    client.create_secret(Name="app")
    client.tag_resource(SecretId="app", Tags=[{"Key": key, "Value": value}])
    assert described_tags(client, "app") == [(key, value)]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("k" * 128, "v"),
        ("€" * 128, "v"),
        ("k", "v" * 256),
        ("k", "€" * 256),
    ],
    ids=["key-128", "key-128-euro", "value-256", "value-256-euro"],
)
def test_lengths_over_the_limit_are_refused_with_validation_exception(
    client: Any, key: str, value: str
) -> None:
    client.create_secret(Name="app")
    client.tag_resource(SecretId="app", Tags=tag_list(keep="me"))
    with pytest.raises(ClientError) as excinfo:
        client.tag_resource(
            SecretId="app", Tags=[{"Key": "ok", "Value": "ok"}, {"Key": key, "Value": value}]
        )
    # The model declares no ValidationException, so botocore raises a plain ClientError.
    assert type(excinfo.value) is ClientError
    code, _, status = error_of(excinfo)
    assert (code, status) == ("ValidationException", 400)
    assert described_tags(client, "app") == [("keep", "me")]


# --- the aws: prefix -------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["aws:", "AWS:", "Aws:", "aWs:"])
def test_aws_prefix_is_refused_in_new_keys(client: Any, prefix: str) -> None:
    client.create_secret(Name="app")
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.tag_resource(
            SecretId="app", Tags=[*tag_list(ok="1"), {"Key": f"{prefix}team", "Value": "x"}]
        )
    assert error_of(excinfo)[2] == 400
    assert "Tags" not in client.describe_secret(SecretId="app")


@pytest.mark.parametrize("prefix", ["aws:", "AWS:", "Aws:"])
def test_aws_prefix_is_refused_in_values(client: Any, prefix: str) -> None:
    client.create_secret(Name="app")
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.tag_resource(
            SecretId="app", Tags=[*tag_list(ok="1"), {"Key": "team", "Value": f"{prefix}x"}]
        )
    assert "Tags" not in client.describe_secret(SecretId="app")


def test_aws_inside_a_key_or_value_is_not_a_prefix(client: Any) -> None:
    client.create_secret(Name="app")
    client.tag_resource(SecretId="app", Tags=tag_list(my_aws_key="uses aws: inside"))
    assert described_tags(client, "app") == [("my_aws_key", "uses aws: inside")]


def test_touching_an_existing_system_tag_is_refused_with_the_recorded_message(
    client: Any, stubtags: Backend
) -> None:
    client.create_secret(Name="app")
    stubtags.add_system_tag("app", STACK_TAG, "my-stack")
    client.tag_resource(SecretId="app", Tags=tag_list(team="core"))
    before = client.describe_secret(SecretId="app")

    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.tag_resource(
            SecretId="app", Tags=[{"Key": STACK_TAG, "Value": "other"}, *tag_list(team="x")]
        )

    assert error_of(excinfo) == (
        "InvalidParameterException",
        "You can't modify system tags. Tag key: 'aws:cloudformation:stack-name'.",
        400,
    )
    after = client.describe_secret(SecretId="app")
    assert after["Tags"] == before["Tags"]
    assert after["LastChangedDate"] == before["LastChangedDate"]


# --- which secret: names, ARNs, partial ARNs -------------------------------------------------


def test_secret_id_may_be_name_full_arn_or_partial_arn(client: Any, stubtags: Backend) -> None:
    arn = client.create_secret(Name="prod/db")["ARN"]
    partial = arn[: -len("-XXXXXX")]
    assert partial.endswith(":secret:prod/db")

    client.tag_resource(SecretId="prod/db", Tags=tag_list(by="name"))
    client.tag_resource(SecretId=arn, Tags=tag_list(full="arn"))
    client.tag_resource(SecretId=partial, Tags=tag_list(partial="arn"))

    assert stubtags.tags("prod/db") == {"by": "name", "full": "arn", "partial": "arn"}


def test_partial_arn_of_a_name_ending_like_a_suffix_is_not_found(client: Any) -> None:
    """The documented pitfall: `-abc123` at the end reads as the random suffix."""
    arn = client.create_secret(Name="payments-abc123")["ARN"]
    partial = arn[: -len("-XXXXXX")]
    assert partial.endswith(":secret:payments-abc123")

    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.tag_resource(SecretId=partial, Tags=tag_list(a="1"))

    # The name and the full ARN still work.
    client.tag_resource(SecretId="payments-abc123", Tags=tag_list(a="1"))
    client.tag_resource(SecretId=arn, Tags=tag_list(b="2"))
    assert described_tags(client, arn) == [("a", "1"), ("b", "2")]


def test_full_arn_with_a_wrong_suffix_is_not_found(client: Any) -> None:
    arn = client.create_secret(Name="app")["ARN"]
    wrong = arn[:-6] + ("zzzzzz" if not arn.endswith("zzzzzz") else "yyyyyy")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.tag_resource(SecretId=wrong, Tags=tag_list(a="1"))


def _other_region(arn: str) -> str:
    parts = arn.split(":")
    parts[3] = OTHER_REGION
    return ":".join(parts)


def _other_account(arn: str) -> str:
    parts = arn.split(":")
    parts[4] = "999999999999"
    return ":".join(parts)


@pytest.mark.parametrize(
    "rewrite",
    [_other_region, _other_account],
    ids=["other-region", "other-account"],
)
def test_arn_of_another_region_or_account_is_not_found(
    client: Any, rewrite: Callable[[str], str]
) -> None:
    arn = client.create_secret(Name="app")["ARN"]
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.tag_resource(SecretId=rewrite(arn), Tags=tag_list(a="1"))
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.tag_resource(SecretId=rewrite(arn)[: -len("-XXXXXX")], Tags=tag_list(a="1"))
    assert "Tags" not in client.describe_secret(SecretId="app")


def test_client_of_another_region_does_not_find_the_secret(client: Any) -> None:
    arn = client.create_secret(Name="app")["ARN"]
    elsewhere = boto3.client("secretsmanager", region_name=OTHER_REGION)
    for secret_id in ("app", arn):
        with pytest.raises(elsewhere.exceptions.ResourceNotFoundException):
            elsewhere.tag_resource(SecretId=secret_id, Tags=tag_list(a="1"))
    assert "Tags" not in client.describe_secret(SecretId="app")


# --- errors ----------------------------------------------------------------------------------


def test_missing_secret_raises_resource_not_found_with_the_recorded_reply(client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.tag_resource(SecretId="nope", Tags=tag_list(a="1"))
    assert error_of(excinfo) == ("ResourceNotFoundException", NOT_FOUND, 400)


def test_secret_id_with_a_space_is_a_validation_exception(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.tag_resource(SecretId="my secret", Tags=tag_list(a="1"))
    assert error_of(excinfo) == ("ValidationException", INVALID_NAME, 400)


def test_secret_scheduled_for_deletion_is_refused(client: Any) -> None:
    client.create_secret(Name="old")
    client.tag_resource(SecretId="old", Tags=tag_list(a="1"))
    client.delete_secret(SecretId="old", RecoveryWindowInDays=7)
    before = client.describe_secret(SecretId="old")

    with pytest.raises(client.exceptions.InvalidRequestException) as excinfo:
        client.tag_resource(SecretId="old", Tags=tag_list(b="2"))

    assert error_of(excinfo) == ("InvalidRequestException", MARKED_FOR_DELETION, 400)
    after = client.describe_secret(SecretId="old")
    assert after["Tags"] == before["Tags"]
    assert after["LastChangedDate"] == before["LastChangedDate"]


def test_restored_secret_can_be_tagged_again(client: Any) -> None:
    client.create_secret(Name="old")
    client.delete_secret(SecretId="old", RecoveryWindowInDays=7)
    client.restore_secret(SecretId="old")
    client.tag_resource(SecretId="old", Tags=tag_list(b="2"))
    assert described_tags(client, "old") == [("b", "2")]


INVALID_CALLS: dict[str, list[dict[str, str]]] = {
    "key-too-long": [{"Key": "k" * 128, "Value": "v"}],
    "value-too-long": [{"Key": "k", "Value": "v" * 256}],
    "aws-key": [{"Key": "aws:k", "Value": "v"}],
    "aws-value": [{"Key": "k", "Value": "aws:v"}],
    "system-tag": [{"Key": STACK_TAG, "Value": "v"}],
    "over-limit": wire(numbered(41, prefix="n")),
}


@pytest.mark.parametrize("bad", list(INVALID_CALLS), ids=list(INVALID_CALLS))
def test_a_rejected_call_changes_nothing(client: Any, stubtags: Backend, bad: str) -> None:
    client.create_secret(Name="app", SecretString="x")
    stubtags.add_system_tag("app", STACK_TAG, "stack")
    client.tag_resource(SecretId="app", Tags=wire(numbered(10)))
    before = stubtags.describe("app")

    # Valid upserts and new keys alongside the invalid part must not be applied either.
    with pytest.raises(ClientError):
        client.tag_resource(
            SecretId="app",
            Tags=[*tag_list(k00="changed", fresh="new"), *INVALID_CALLS[bad]],
        )

    assert stubtags.describe("app") == before


# --- CreateSecret's Tags follow the same rules -----------------------------------------------


def test_create_secret_with_fifty_tags_is_accepted(client: Any) -> None:
    client.create_secret(Name="app", Tags=wire(numbered(50)))
    assert described_tags(client, "app") == list(numbered(50).items())


def test_create_secret_with_fifty_one_tags_is_refused_and_creates_nothing(
    client: Any, stubtags: Backend
) -> None:
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.create_secret(Name="app", Tags=wire(numbered(51)))
    assert stubtags.names(REGION) == []
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_secret(SecretId="app")


def test_create_secret_stores_a_duplicated_key_once(client: Any) -> None:
    client.create_secret(
        Name="app",
        Tags=[
            {"Key": "team", "Value": "a"},
            {"Key": "env", "Value": "dev"},
            {"Key": "team", "Value": "b"},
        ],
    )
    tags = described_tags(client, "app")
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
    client: Any, stubtags: Backend, tags: list[dict[str, str]], code: str
) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.create_secret(Name="app", Tags=tags)
    assert error_of(excinfo)[0] == code
    assert stubtags.names(REGION) == []
