"""TagResource end to end through boto3: the TagResource API reference's rules (upsert in
order, at most 50 user tags, key and value lengths, the `aws:` prefix, system tags) and
which SecretId finds the secret.

Each test drives a real boto3 client answered in memory and checks the result the way a
user would: by the reply, by DescribeSecret and by the backend handle. A refused call is
always checked for leaving the secret untouched. What TagResource does to a secret
scheduled for deletion is in test_op_delete_and_restore_secret.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from stubtags import Backend
from tests.helpers import (
    INVALID_NAME_MESSAGE,
    NOT_FOUND_MESSAGE,
    OTHER_REGION,
    STACK_TAG,
    described_tags,
    error_code,
    error_of,
    numbered_tags,
    partial_arn,
    sm_client,
    system_tag_message,
    tag_list,
)

# --- the documented example and the reply -----------------------------------------------------


def test_documented_example_attaches_two_tags_and_returns_only_response_metadata(
    secretsmanager: Any,
) -> None:
    secretsmanager.create_secret(Name="MyExampleSecret", SecretString="s3cr3t")

    response = secretsmanager.tag_resource(
        SecretId="MyExampleSecret",
        Tags=[
            {"Key": "FirstTag", "Value": "SomeValue"},
            {"Key": "SecondTag", "Value": "AnotherValue"},
        ],
    )

    assert list(response) == ["ResponseMetadata"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert described_tags(secretsmanager, "MyExampleSecret") == [
        ("FirstTag", "SomeValue"),
        ("SecondTag", "AnotherValue"),
    ]


def test_backend_handle_sees_the_tags_set_through_boto3(
    secretsmanager: Any, stubtags: Backend
) -> None:
    secretsmanager.create_secret(Name="db")
    secretsmanager.tag_resource(SecretId="db", Tags=tag_list({"team": "core", "env": "prod"}))
    assert stubtags.tags("db") == {"team": "core", "env": "prod"}
    assert list(stubtags.tags("db")) == ["team", "env"]


# --- upsert, order, case ----------------------------------------------------------------------


def test_existing_key_is_replaced_in_place_and_new_keys_are_appended(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="app")
    secretsmanager.tag_resource(SecretId="app", Tags=tag_list({"a": "1", "b": "2", "c": "3"}))

    secretsmanager.tag_resource(SecretId="app", Tags=tag_list({"d": "4", "b": "20"}))

    assert described_tags(secretsmanager, "app") == [
        ("a", "1"),
        ("b", "20"),
        ("c", "3"),
        ("d", "4"),
    ]


def test_same_key_twice_in_one_call_is_stored_once(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="app")
    secretsmanager.tag_resource(
        SecretId="app",
        Tags=[
            {"Key": "x", "Value": "first"},
            {"Key": "y", "Value": "y"},
            {"Key": "x", "Value": "second"},
        ],
    )
    tags = described_tags(secretsmanager, "app")
    assert [key for key, _ in tags] == ["x", "y"]
    assert dict(tags)["x"] == "second"


def test_keys_are_case_sensitive(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="app")
    secretsmanager.tag_resource(SecretId="app", Tags=tag_list({"Env": "Prod"}))
    secretsmanager.tag_resource(SecretId="app", Tags=tag_list({"env": "prod"}))
    assert described_tags(secretsmanager, "app") == [("Env", "Prod"), ("env", "prod")]


def test_values_are_case_sensitive_and_stored_verbatim(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="app")
    secretsmanager.tag_resource(SecretId="app", Tags=tag_list({"owner": "Team-A"}))
    secretsmanager.tag_resource(SecretId="app", Tags=tag_list({"owner": "team-a"}))
    assert described_tags(secretsmanager, "app") == [("owner", "team-a")]


def test_empty_value_is_accepted(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="app")
    secretsmanager.tag_resource(SecretId="app", Tags=tag_list({"flag": ""}))
    assert described_tags(secretsmanager, "app") == [("flag", "")]


def test_last_changed_date_increases_after_tagging(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="app")
    before = secretsmanager.describe_secret(SecretId="app")["LastChangedDate"]
    secretsmanager.tag_resource(SecretId="app", Tags=tag_list({"a": "1"}))
    after_first = secretsmanager.describe_secret(SecretId="app")["LastChangedDate"]
    secretsmanager.tag_resource(SecretId="app", Tags=tag_list({"a": "2"}))
    after_upsert = secretsmanager.describe_secret(SecretId="app")["LastChangedDate"]
    assert before < after_first < after_upsert


# --- the 50-tag limit -------------------------------------------------------------------------


def test_exactly_fifty_tags_in_one_call_are_accepted(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="app")
    secretsmanager.tag_resource(SecretId="app", Tags=tag_list(numbered_tags(50)))
    assert len(described_tags(secretsmanager, "app")) == 50


def test_fifty_one_tags_in_one_call_are_refused_and_nothing_is_applied(
    secretsmanager: Any, stubtags: Backend
) -> None:
    secretsmanager.create_secret(Name="app")
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException) as excinfo:
        secretsmanager.tag_resource(SecretId="app", Tags=tag_list(numbered_tags(51)))
    assert error_code(excinfo) == "InvalidParameterException"
    assert error_of(excinfo).status == 400
    assert "Tags" not in secretsmanager.describe_secret(SecretId="app")
    assert stubtags.tags("app") == {}


def test_fifty_first_tag_is_refused_and_state_and_date_are_unchanged(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="app")
    secretsmanager.tag_resource(SecretId="app", Tags=tag_list(numbered_tags(50)))
    before = secretsmanager.describe_secret(SecretId="app")

    with pytest.raises(secretsmanager.exceptions.InvalidParameterException):
        secretsmanager.tag_resource(SecretId="app", Tags=tag_list({"one_more": "x"}))

    after = secretsmanager.describe_secret(SecretId="app")
    assert after["Tags"] == before["Tags"]
    assert after["LastChangedDate"] == before["LastChangedDate"]


def test_over_limit_call_applies_none_of_its_upserts_either(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="app")
    secretsmanager.tag_resource(SecretId="app", Tags=tag_list(numbered_tags(49)))
    before = secretsmanager.describe_secret(SecretId="app")

    # One upsert of an existing key plus two new keys: 51 in all, so all of it is refused.
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException):
        secretsmanager.tag_resource(
            SecretId="app",
            Tags=[*tag_list({"k00": "changed"}), *tag_list({"new1": "a", "new2": "b"})],
        )

    after = secretsmanager.describe_secret(SecretId="app")
    assert after["Tags"] == before["Tags"]
    assert dict(described_tags(secretsmanager, "app"))["k00"] == "v0"
    assert after["LastChangedDate"] == before["LastChangedDate"]


def test_upserting_existing_keys_at_fifty_is_allowed(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="app")
    secretsmanager.tag_resource(SecretId="app", Tags=tag_list(numbered_tags(50)))

    secretsmanager.tag_resource(SecretId="app", Tags=tag_list({"k00": "new0", "k49": "new49"}))

    tags = described_tags(secretsmanager, "app")
    assert len(tags) == 50
    assert tags[0] == ("k00", "new0")
    assert tags[-1] == ("k49", "new49")


def test_system_tags_do_not_count_toward_fifty(secretsmanager: Any, stubtags: Backend) -> None:
    secretsmanager.create_secret(Name="app")
    stubtags.add_system_tag("app", STACK_TAG, "my-stack")
    stubtags.add_system_tag("app", "aws:cloudformation:logical-id", "Secret")

    secretsmanager.tag_resource(SecretId="app", Tags=tag_list(numbered_tags(50)))

    tags = described_tags(secretsmanager, "app")
    assert len(tags) == 52
    assert tags[0] == (STACK_TAG, "my-stack")
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException):
        secretsmanager.tag_resource(SecretId="app", Tags=tag_list({"extra": "x"}))
    assert len(described_tags(secretsmanager, "app")) == 52


# --- key and value lengths --------------------------------------------------------------------


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
def test_lengths_at_the_limit_are_accepted(secretsmanager: Any, key: str, value: str) -> None:
    secretsmanager.create_secret(Name="app")
    secretsmanager.tag_resource(SecretId="app", Tags=[{"Key": key, "Value": value}])
    assert described_tags(secretsmanager, "app") == [(key, value)]


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
    secretsmanager: Any, key: str, value: str
) -> None:
    secretsmanager.create_secret(Name="app")
    secretsmanager.tag_resource(SecretId="app", Tags=tag_list({"keep": "me"}))
    with pytest.raises(ClientError) as excinfo:
        secretsmanager.tag_resource(
            SecretId="app", Tags=[{"Key": "ok", "Value": "ok"}, {"Key": key, "Value": value}]
        )
    # The model declares no ValidationException, so botocore raises a plain ClientError.
    assert type(excinfo.value) is ClientError
    code, _, status = error_of(excinfo)
    assert (code, status) == ("ValidationException", 400)
    assert described_tags(secretsmanager, "app") == [("keep", "me")]


# --- the aws: prefix and system tags ----------------------------------------------------------


@pytest.mark.parametrize("prefix", ["aws:", "AWS:", "Aws:", "aWs:"])
def test_aws_prefix_is_refused_in_new_keys(secretsmanager: Any, prefix: str) -> None:
    secretsmanager.create_secret(Name="app")
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException) as excinfo:
        secretsmanager.tag_resource(
            SecretId="app", Tags=[*tag_list({"ok": "1"}), {"Key": f"{prefix}team", "Value": "x"}]
        )
    assert error_of(excinfo).status == 400
    assert "Tags" not in secretsmanager.describe_secret(SecretId="app")


def test_users_cannot_add_aws_prefixed_keys(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="v")
    for key in ("aws:mine", "AWS:mine", "Aws:mine"):
        with pytest.raises(secretsmanager.exceptions.InvalidParameterException):
            secretsmanager.tag_resource(SecretId="s", Tags=[{"Key": key, "Value": "v"}])
    assert "Tags" not in secretsmanager.describe_secret(SecretId="s")


@pytest.mark.parametrize("prefix", ["aws:", "AWS:", "Aws:"])
def test_aws_prefix_is_refused_in_values(secretsmanager: Any, prefix: str) -> None:
    secretsmanager.create_secret(Name="app")
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException):
        secretsmanager.tag_resource(
            SecretId="app", Tags=[*tag_list({"ok": "1"}), {"Key": "team", "Value": f"{prefix}x"}]
        )
    assert "Tags" not in secretsmanager.describe_secret(SecretId="app")


def test_aws_inside_a_key_or_value_is_not_a_prefix(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="app")
    secretsmanager.tag_resource(SecretId="app", Tags=tag_list({"my_aws_key": "uses aws: inside"}))
    assert described_tags(secretsmanager, "app") == [("my_aws_key", "uses aws: inside")]


def test_touching_an_existing_system_tag_is_refused_with_the_recorded_message(
    secretsmanager: Any, stubtags: Backend
) -> None:
    secretsmanager.create_secret(Name="app")
    stubtags.add_system_tag("app", STACK_TAG, "my-stack")
    secretsmanager.tag_resource(SecretId="app", Tags=tag_list({"team": "core"}))
    before = secretsmanager.describe_secret(SecretId="app")

    with pytest.raises(secretsmanager.exceptions.InvalidParameterException) as excinfo:
        secretsmanager.tag_resource(
            SecretId="app", Tags=[{"Key": STACK_TAG, "Value": "other"}, *tag_list({"team": "x"})]
        )

    assert error_of(excinfo) == (
        "InvalidParameterException",
        system_tag_message(STACK_TAG),
        400,
    )
    after = secretsmanager.describe_secret(SecretId="app")
    assert after["Tags"] == before["Tags"]
    assert after["LastChangedDate"] == before["LastChangedDate"]


@pytest.mark.parametrize("value", ["my-stack", "other"])
def test_users_cannot_change_a_system_tag(
    secretsmanager: Any, stubtags: Backend, value: str
) -> None:
    secretsmanager.create_secret(Name="s", SecretString="v")
    stubtags.add_system_tag("s", STACK_TAG, "my-stack")
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException) as error:
        secretsmanager.tag_resource(SecretId="s", Tags=[{"Key": STACK_TAG, "Value": value}])
    assert error_of(error).message == system_tag_message(STACK_TAG)
    assert dict(described_tags(secretsmanager, "s")) == {STACK_TAG: "my-stack"}


# --- which secret: names, ARNs, partial ARNs --------------------------------------------------


def test_secret_id_may_be_name_full_arn_or_partial_arn(
    secretsmanager: Any, stubtags: Backend
) -> None:
    arn = secretsmanager.create_secret(Name="prod/db")["ARN"]
    partial = partial_arn(arn)
    assert partial.endswith(":secret:prod/db")

    secretsmanager.tag_resource(SecretId="prod/db", Tags=tag_list({"by": "name"}))
    secretsmanager.tag_resource(SecretId=arn, Tags=tag_list({"full": "arn"}))
    secretsmanager.tag_resource(SecretId=partial, Tags=tag_list({"partial": "arn"}))

    assert stubtags.tags("prod/db") == {"by": "name", "full": "arn", "partial": "arn"}


def test_partial_arn_of_a_name_ending_like_a_suffix_is_not_found(secretsmanager: Any) -> None:
    """The documented pitfall: `-abc123` at the end reads as the random suffix."""
    arn = secretsmanager.create_secret(Name="payments-abc123")["ARN"]
    partial = partial_arn(arn)
    assert partial.endswith(":secret:payments-abc123")

    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.tag_resource(SecretId=partial, Tags=tag_list({"a": "1"}))

    # The name and the full ARN still work.
    secretsmanager.tag_resource(SecretId="payments-abc123", Tags=tag_list({"a": "1"}))
    secretsmanager.tag_resource(SecretId=arn, Tags=tag_list({"b": "2"}))
    assert described_tags(secretsmanager, arn) == [("a", "1"), ("b", "2")]


def test_full_arn_with_a_wrong_suffix_is_not_found(secretsmanager: Any) -> None:
    arn = secretsmanager.create_secret(Name="app")["ARN"]
    wrong = arn[:-6] + ("zzzzzz" if not arn.endswith("zzzzzz") else "yyyyyy")
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.tag_resource(SecretId=wrong, Tags=tag_list({"a": "1"}))


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
    secretsmanager: Any, rewrite: Callable[[str], str]
) -> None:
    arn = secretsmanager.create_secret(Name="app")["ARN"]
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.tag_resource(SecretId=rewrite(arn), Tags=tag_list({"a": "1"}))
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.tag_resource(SecretId=partial_arn(rewrite(arn)), Tags=tag_list({"a": "1"}))
    assert "Tags" not in secretsmanager.describe_secret(SecretId="app")


def test_client_of_another_region_does_not_find_the_secret(secretsmanager: Any) -> None:
    arn = secretsmanager.create_secret(Name="app")["ARN"]
    elsewhere = sm_client(OTHER_REGION)
    for secret_id in ("app", arn):
        with pytest.raises(elsewhere.exceptions.ResourceNotFoundException):
            elsewhere.tag_resource(SecretId=secret_id, Tags=tag_list({"a": "1"}))
    assert "Tags" not in secretsmanager.describe_secret(SecretId="app")


# --- errors, their order, and refusals that change nothing ------------------------------------


def test_missing_secret_raises_resource_not_found_with_the_recorded_reply(
    secretsmanager: Any,
) -> None:
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException) as excinfo:
        secretsmanager.tag_resource(SecretId="nope", Tags=tag_list({"a": "1"}))
    assert error_of(excinfo) == ("ResourceNotFoundException", NOT_FOUND_MESSAGE, 400)


def test_secret_id_with_a_space_is_a_validation_exception(secretsmanager: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        secretsmanager.tag_resource(SecretId="my secret", Tags=tag_list({"a": "1"}))
    assert error_of(excinfo) == ("ValidationException", INVALID_NAME_MESSAGE, 400)


def test_missing_secret_wins_over_a_reserved_key(stubtags: Backend, secretsmanager: Any) -> None:
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.tag_resource(SecretId="missing", Tags=[{"Key": "aws:x", "Value": "v"}])


INVALID_CALLS: dict[str, list[dict[str, str]]] = {
    "key-too-long": [{"Key": "k" * 128, "Value": "v"}],
    "value-too-long": [{"Key": "k", "Value": "v" * 256}],
    "aws-key": [{"Key": "aws:k", "Value": "v"}],
    "aws-value": [{"Key": "k", "Value": "aws:v"}],
    "system-tag": [{"Key": STACK_TAG, "Value": "v"}],
    "over-limit": tag_list(numbered_tags(41, prefix="n")),
}


@pytest.mark.parametrize("bad", list(INVALID_CALLS), ids=list(INVALID_CALLS))
def test_a_rejected_call_changes_nothing(secretsmanager: Any, stubtags: Backend, bad: str) -> None:
    secretsmanager.create_secret(Name="app", SecretString="x")
    stubtags.add_system_tag("app", STACK_TAG, "stack")
    secretsmanager.tag_resource(SecretId="app", Tags=tag_list(numbered_tags(10)))
    before = stubtags.describe("app")

    # Valid upserts and new keys alongside the invalid part must not be applied either.
    with pytest.raises(ClientError):
        secretsmanager.tag_resource(
            SecretId="app",
            Tags=[*tag_list({"k00": "changed", "fresh": "new"}), *INVALID_CALLS[bad]],
        )

    assert stubtags.describe("app") == before
